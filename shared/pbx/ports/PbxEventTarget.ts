/** Where the PBX posts its extension events (calls starting and ending, status), as the PBX shows it. */
export interface ExtensionEventTarget {
  enabled: boolean;
  auth: 'DISABLE' | 'BASIC' | 'DIGEST' | 'BEARER';
  /** null when none is set. */
  url: string | null;
}

/**
 * Port (implemented by PortSIP: shared/pbx/portsip/PortSipEventTarget.ts): the PBX's extension-event webhook
 * registration, one per PBX tenant. The secret it is given (the Bearer token) is write-only: `read` never
 * shows it, and no error message or log carries it.
 */
export interface PbxEventTarget {
  read(): Promise<ExtensionEventTarget>;
  /** Points the PBX's extension events at `url` with a Bearer token (enabled). */
  register(target: { url: string; token: string }): Promise<void>;
  /**
   * Turns the PBX's extension events off and clears the URL. ⚠ PortSIP takes no empty URL, so its adapter
   * leaves the last URL stored (disabled, nothing is posted to it); `read` may still show it.
   */
  unregister(): Promise<void>;
}
