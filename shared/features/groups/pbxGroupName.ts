import { createHash } from 'node:crypto';

/** The first `max` characters of a name, never splitting a surrogate pair, without trailing spaces. */
function cut(text: string, max: number): string {
  const chars = Array.from(text);
  return chars.length <= max ? text : chars.slice(0, max).join('').trimEnd();
}

/** A short tag derived from the group id: the same group always gets the same suffix. */
function tagOf(groupId: string, length: number): string {
  return createHash('sha256').update(groupId.toLowerCase()).digest('hex').slice(0, length);
}

export interface PbxGroupNameChoice {
  name: string;
  /** The name the group would have had was taken by another PBX group, so it carries the group's suffix. */
  clashed: boolean;
}

/**
 * The PBX name of an Entra group: its display name (spaces collapsed), or, when that is longer than the
 * PBX allows or already taken by another PBX group, the name cut to fit plus ` (tag)`, a tag derived from the
 * group id — stable across runs, so a rename or a replay chooses the same name and never takes over a group
 * somebody else made. `taken` answers for a name in any case (PBX name uniqueness is undocumented, so names
 * that differ only in case count as a clash).
 */
export function pbxGroupName(
  displayName: string,
  groupId: string,
  maxLength: number,
  taken: (name: string) => boolean,
): PbxGroupNameChoice {
  const base = displayName.trim().replace(/\s+/g, ' ');
  const plain = base === '' ? `Group ${tagOf(groupId, 8)}` : base;
  const fits = Array.from(plain).length <= maxLength;
  if (fits && !taken(plain)) return { name: plain, clashed: false };
  // Longer tags only when a shorter one is taken too (somebody named a group after our suffix).
  for (const length of [6, 10, 16, 32]) {
    const suffix = ` (${tagOf(groupId, length)})`;
    const name = `${cut(plain, maxLength - suffix.length)}${suffix}`;
    // A name cut to fit is not a clash; a suffix needed because a name was taken is.
    if (!taken(name)) return { name, clashed: fits || length > 6 };
  }
  // 64 hex characters of a sha256 cannot all be taken by accident; this is a PBX with a group for every one.
  throw new Error(`no free PBX group name for group ${groupId}`);
}
