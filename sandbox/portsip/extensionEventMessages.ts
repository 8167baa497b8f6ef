/** What a phone's line shows in PortSIP's WSI extension messages: a call up, a call ringing, or nothing. */
export type ExtensionCallStatus = 'ON_CALL' | 'RINGING' | '';

/** WSI `extension_call` (reference/portsip.md §6): one extension's call began or ended. */
export interface ExtensionCallMessage {
  event_type: 'extension_call';
  extension: string;
  call_status: ExtensionCallStatus;
  tenant_id: string;
  extension_id: string;
  /** Unix seconds as a string, as every PortSIP webhook and WSI time is. */
  time: string;
}

/** One extension in a WSI `extension_status` message. */
export interface ExtensionStatusEntry {
  /** `sip:<number>@<domain>`. */
  extension: string;
  extension_id: string;
  call_status: ExtensionCallStatus;
  online: boolean;
  presence: string;
  presence_note: string;
  push_online: boolean;
  time: string;
}

/** WSI `extension_status`: the state of several extensions at once. */
export interface ExtensionStatusMessage {
  event_type: 'extension_status';
  tenant_id: string;
  status: ExtensionStatusEntry[];
}

export type ExtensionEventMessage = ExtensionCallMessage | ExtensionStatusMessage;

export const unixSecondsNow = (): string => String(Math.floor(Date.now() / 1000));

export function extensionCallMessage(
  tenantId: string,
  extension: { number: string; id: string },
  callStatus: ExtensionCallStatus,
): ExtensionCallMessage {
  return {
    event_type: 'extension_call',
    extension: extension.number,
    call_status: callStatus,
    tenant_id: tenantId,
    extension_id: extension.id,
    time: unixSecondsNow(),
  };
}
