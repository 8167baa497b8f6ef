/**
 * The PortSIP API versions whose presence the sandbox speaks: v22.3 renamed the chosen presence AVAILABLE to
 * ONLINE and the on-call presence ON_CALL to OTHER_CALL (and added RINGING), so a client must cope with both.
 */
export const PORTSIP_API_VERSIONS = ['22.1', '22.3'] as const;
export type PortSipApiVersion = (typeof PORTSIP_API_VERSIONS)[number];

/**
 * What a user chooses (on the phone, in the portal, or `POST /api/user/presence`), version-neutral: AVAILABLE
 * stands for v22.3's ONLINE too, so a user keeps their choice whichever version the sandbox speaks.
 */
export const CHOSEN_PRESENCES = ['DO_NOT_DISTURB', 'AVAILABLE', 'AWAY', 'BUSINESS_TRIP', 'LUNCH'] as const;
export type ChosenPresence = (typeof CHOSEN_PRESENCES)[number];

/** Every name either version gives a chosen presence (what the sandbox's own control route accepts). */
export const ANY_VERSION_PRESENCE_NAMES = [...CHOSEN_PRESENCES, 'ONLINE'] as const;
export type AnyVersionPresenceName = (typeof ANY_VERSION_PRESENCE_NAMES)[number];

/** How `version` names a chosen presence. */
export function presenceName(chosen: ChosenPresence, version: PortSipApiVersion): string {
  return chosen === 'AVAILABLE' && version === '22.3' ? 'ONLINE' : chosen;
}

/** The names `POST /api/user/presence` accepts in `version` (the sandbox is strict: the other version's name is 400). */
export function writablePresenceNames(version: PortSipApiVersion): string[] {
  return CHOSEN_PRESENCES.map((chosen) => presenceName(chosen, version));
}

/** The chosen presence a name of either version stands for. */
export function chosenPresenceOf(name: AnyVersionPresenceName): ChosenPresence {
  return name === 'ONLINE' ? 'AVAILABLE' : name;
}

/** What `status` and `presence` show while the user is on a call, per version. */
export function onCallName(version: PortSipApiVersion): 'ON_CALL' | 'OTHER_CALL' {
  return version === '22.1' ? 'ON_CALL' : 'OTHER_CALL';
}
