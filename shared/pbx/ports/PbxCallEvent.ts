/**
 * One thing the PBX said about an extension's calls (product-neutral). Delivery is at least once and in no
 * particular order, so consumers order events by `at` (the PBX's time) and treat repeats as no-ops.
 */
export interface PbxCallEvent {
  /** The PBX's id of the extension's user, when the event names it. */
  pbxUserId?: string | undefined;
  /** The extension number, when the event names it. */
  extensionNumber?: string | undefined;
  /** `onCall`: talking; `ringing`: a call is being offered; `idle`: no call. */
  state: 'onCall' | 'ringing' | 'idle';
  /** When the PBX says it happened; the arrival time when the event carries none. */
  at: Date;
}
