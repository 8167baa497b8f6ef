/** Whose password a sealed value is, and under which data key version: all of it is bound in as AAD. */
export interface PortalPasswordBinding {
  tenantId: string;
  /** The PBX login name, lower-cased (the row key). */
  userName: string;
  dataKeyVersion: number;
}

/**
 * The additional authenticated data of a sealed portal password. A JSON array, so no choice of ids can make two
 * bindings read alike (`a|b` + `c` vs `a` + `b|c`); the label keeps these values apart from any other use of a data key.
 */
export function portalPasswordAad(binding: PortalPasswordBinding): Buffer {
  return Buffer.from(JSON.stringify(['portal-password', 1, binding.tenantId, binding.userName, binding.dataKeyVersion]), 'utf8');
}
