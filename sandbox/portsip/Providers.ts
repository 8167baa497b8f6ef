import { validationFailed } from './PbxError';

/** A provider (SIP trunk) as the sandbox keeps it: the spec's `did_numbers` pool and the DID rule's switch. */
export interface SandboxProvider {
  id: string;
  name: string;
  /** The spec's format: semicolon-separated numbers and ranges, e.g. "14255550100;14255550110-14255550199". */
  did_numbers: string;
  /**
   * Whether a user's outbound caller ID on this trunk must be one of its DIDs. ⚠ PortSIP states the rule for
   * outbound routes ("within the trunk's DID/DDI pool scope"); whether and how it enforces it for a user's
   * `outbound_caller_ids` is not documented, so the sandbox makes it a switch.
   */
  callerIdMustBeDid: boolean;
}

const digitsOf = (value: string) => value.replace(/\D/g, '');

/** Whether a caller ID ("+14255550100", "14255550100") is in a `did_numbers` pool; digits are compared, ranges numerically. */
export function didPoolContains(didNumbers: string, callerId: string): boolean {
  const wanted = digitsOf(callerId);
  if (wanted === '') return false;
  return didNumbers
    .split(';')
    .map((part) => part.trim())
    .filter(Boolean)
    .some((part) => {
      const [from, to] = part.split('-').map(digitsOf);
      if (!from) return false;
      if (to === undefined) return from === wanted;
      return wanted.length === from.length && from.length === to.length && BigInt(from) <= BigInt(wanted) && BigInt(wanted) <= BigInt(to);
    });
}

/** The trunks of the sandbox PBX, added through the sandbox's own API (an administrator's setup). */
export class Providers {
  private readonly byId = new Map<string, SandboxProvider>();

  add(provider: SandboxProvider): void {
    this.byId.set(provider.id, { ...provider });
  }

  get(id: string): SandboxProvider | undefined {
    const provider = this.byId.get(id);
    return provider && { ...provider };
  }

  all(): SandboxProvider[] {
    return [...this.byId.values()].map((p) => ({ ...p }));
  }

  /**
   * The checks a user's `outbound_caller_ids` pass on create and update: each names an existing provider, and
   * where that trunk enforces the DID rule its caller id is one of the trunk's DIDs. The first problem is a
   * 400 VALIDATE_FAILED naming the field, as PortSIP answers other validation errors.
   */
  checkCallerIds(entries: readonly { provider_id: string; caller_id: string }[] | null | undefined): void {
    for (const [index, entry] of (entries ?? []).entries()) {
      const provider = this.byId.get(entry.provider_id);
      if (!provider) throw validationFailed(`outbound_caller_ids.${index}.provider_id`, `the provider ${entry.provider_id} does not exist`);
      if (provider.callerIdMustBeDid && !didPoolContains(provider.did_numbers, entry.caller_id))
        throw validationFailed(
          `outbound_caller_ids.${index}.caller_id`,
          `the caller id ${entry.caller_id} is not a DID of the trunk ${provider.name}`,
        );
    }
  }
}
