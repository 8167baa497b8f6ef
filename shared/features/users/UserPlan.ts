import { type PbxNewUser, type PbxUserFields } from '../../pbx/ports/PbxClient';
import { type RunIssue } from '../../engine/RunStore';

interface ActionBase {
  objectId: string;
  userPrincipalName?: string | undefined;
}

/** Create a PBX user (or finish a create that a crash interrupted: `resume`). */
export interface CreateAction extends ActionBase {
  kind: 'create';
  user: PbxNewUser;
  resume: boolean;
  /** fromStart numbering may pick another number when the PBX reports this one taken. */
  renumberable: boolean;
}

/** Link an existing, unlinked PBX user with the same email, then write only the differing fields. */
export interface AdoptAction extends ActionBase {
  kind: 'adopt';
  pbxUserId: string;
  pbxUserName: string;
  extensionNumber: string;
  changes: Partial<PbxUserFields>;
  fields: PbxUserFields;
}

export interface UpdateAction extends ActionBase {
  kind: 'update' | 'disable';
  pbxUserId: string;
  changes: Partial<PbxUserFields>;
  fields: PbxUserFields;
  reason?: string | undefined;
}

export interface DeleteAction extends ActionBase {
  kind: 'delete';
  pbxUserId: string;
  reason: string;
}

/** Retain policy: forget the link, leave the extension to the PBX admin. */
export interface UnlinkAction extends ActionBase {
  kind: 'unlink';
  reason: string;
}

export interface SkipAction extends ActionBase {
  kind: 'skip';
  code: string;
  message: string;
}

export type UserAction = CreateAction | AdoptAction | UpdateAction | DeleteAction | UnlinkAction | SkipAction;

/** A user of the batch that needs no PBX write. */
export interface QuietItem {
  objectId: string;
  userPrincipalName?: string | undefined;
  link?: { pbxUserId?: string | undefined; extensionNumber: string } | undefined;
  outcome: 'unchanged' | 'outOfScope';
  reason?: string | undefined;
}

export interface UserPlan {
  actions: UserAction[];
  /** Linked users whose PBX record already matches (no write). */
  unchanged: number;
  /** Unlinked users the connector leaves alone, by reason (out of scope, disabled, deleted): no PBX record. */
  outOfScope: Record<string, number>;
  /** Every user that needs no write, one by one (unchanged, or left alone with a reason): the run's change list. */
  quiet: QuietItem[];
  /** Things worth telling that change nothing and count as nothing (the user is counted by its action). */
  notices: RunIssue[];
  /** Users seen in this batch (for the full-round sweep). */
  seen: string[];
}
