import { type PbxConfig } from '../../config/TenantConfig';

/** Which PBX product: the tenant configuration's `pbx.kind`. */
export type PbxKind = PbxConfig['kind'];

/** Maximum lengths of the user text fields the planner clips to (longer values are cut, never refused). */
export interface PbxFieldLimits {
  displayName: number;
  mobilePhone: number;
  workPhone: number;
  department: number;
}

/** Longest contact values the PBX takes (longer ones are cut, never refused). */
export interface PbxContactLimits {
  name: number;
  /** Every other text field: company, title, e-mail, numbers. */
  text: number;
  address: number;
  notes: number;
}

/** The e-mail rule: an address that breaks it is unusable (the user is skipped), never clipped. */
export interface PbxEmailRule {
  /** Whether every user must have an address (PortSIP requires one on create). */
  required: boolean;
  maxLength: number;
}

/** What the PBX accepts as an extension number (digits only on both products known so far). */
export interface PbxExtensionNumberRule {
  minLength: number;
  maxLength: number;
  leadingZerosAllowed: boolean;
  /** A number cannot change after creation: renumbering means delete and re-create. */
  immutable: boolean;
}

/** How the connector names a new PBX account (the login name the product keeps beside the number). */
export interface PbxAccountNameRule {
  maxLength: number;
  /** Names the product keeps for itself (compared in lower case); a user whose address gives one gets `ext<number>`. */
  reserved: readonly string[];
}

/**
 * What the product's API offers with some token (an admin's or the user's own); whether the connector's admin
 * token may write it is in the `adminCan…` fields, and whether our adapter implements it is PbxConnection.
 */
export interface PbxSupports {
  groups: boolean;
  companyContacts: boolean;
  personalContacts: boolean;
  presence: boolean;
  callEvents: boolean;
  /** A user's picture (PortSIP: only through a session as the user). */
  avatars: boolean;
}

/**
 * A PBX product's rules as data, so the generic planner applies them without naming a product. Pure data on
 * purpose: it can be tested, shown by the admin API and documented without a connection.
 */
export interface PbxProfile {
  kind: PbxKind;
  /** For messages and docs, e.g. "PortSIP PBX v22". */
  productName: string;
  fieldLimits: PbxFieldLimits;
  email: PbxEmailRule;
  /**
   * Users with neither a given name nor a surname are not synced (PortSIP's own Microsoft 365 integration
   * skips them; the connector keeps that behaviour so a switch to it changes nothing).
   */
  requiresGivenNameOrSurname: boolean;
  /**
   * The product keeps first and last name as fields of their own (3CX) rather than one display name alone
   * (PortSIP): the users feature then also owns `givenName` and `surname`.
   */
  splitNames: boolean;
  extensionNumbers: PbxExtensionNumberRule;
  accountNames: PbxAccountNameRule;
  /** Longest extension-group name the product takes (longer Entra names are shortened with a stable suffix). */
  groupNameMaxLength: number;
  contactLimits: PbxContactLimits;
  /** Presence an admin token may set on another user: `dndOnly` = the DND flag but not the status. */
  adminCanWritePresence: 'dndOnly' | 'full' | 'none';
  /** Whether an admin token may write a user's personal contacts (else it takes the user's own session). */
  adminCanWritePersonalContacts: boolean;
  /** Whether an admin token may set a user's photo. */
  adminCanSetAvatar: boolean;
  supports: PbxSupports;
}
