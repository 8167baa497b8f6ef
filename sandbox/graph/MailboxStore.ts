import { newChangeKey, newOutlookId } from './outlookIds';
import { type SandboxContact, type SandboxContactFields } from './SandboxContact';
import { SandboxConflictError, SandboxNotFoundError } from './sandboxErrors';

/** Makes the fields of the i-th contact of a bulk seed, the same every time it is asked. */
export type ContactFieldsMaker = (index: number) => SandboxContactFields;

/** A contact with the change sequence numbers delta rounds compare with their token's. */
export interface TrackedContact {
  contact: SandboxContact;
  createdSeq: number;
  changedSeq: number;
  /** Set once deleted: the contact stays as a tombstone so later rounds can report `@removed`. */
  removedSeq?: number | undefined;
  /**
   * A seeded contact keeps only its ids in `contact` until it is edited; its other fields are made again
   * when read (see `contactOf`), so 100,000 seeded contacts cost little memory.
   */
  fieldsAt?: ContactFieldsMaker | undefined;
  index?: number | undefined;
}

/** A contact's current state (for a seeded one, made from its seed; don't keep it). */
export function contactOf(tracked: TrackedContact): SandboxContact {
  return tracked.fieldsAt ? { ...tracked.fieldsAt(tracked.index!), ...tracked.contact } : tracked.contact;
}

export interface SandboxContactFolder {
  id: string;
  displayName: string;
  parentFolderId: string;
  contacts: Map<string, TrackedContact>;
  childIds: string[];
}

export interface SandboxMailbox {
  /** The user's object id: the key throttling, stats and notifications use. */
  userId: string;
  defaultFolderId: string;
  /** The folder the default folder hangs below (Outlook's mailbox root); never listed. */
  rootFolderId: string;
  folders: Map<string, SandboxContactFolder>;
}

/** What a contact change was, for notifications: the mailbox, folder and contact it concerns. */
export interface ContactChange {
  mailboxId: string;
  folderId: string;
  contact: SandboxContact;
  changeType: 'created' | 'updated' | 'deleted';
}

/** A contact edit: a field given as null is cleared, one left out keeps its value. */
export type ContactPatch = SandboxContactFields;

/**
 * The sandbox's Outlook data: per user a mailbox (made on first use, so a 100,000-user tenant costs nothing
 * until a mailbox is read) with a default contact folder, folders below it and their contacts. One change
 * sequence for all mailboxes; deleted contacts stay as tombstones for delta.
 */
export class MailboxStore {
  private seq = 0;
  private readonly mailboxes = new Map<string, SandboxMailbox>();

  constructor(private readonly now: () => number = Date.now) {}

  get sequence(): number {
    return this.seq;
  }

  clear(): void {
    this.mailboxes.clear();
  }

  /** The mailbox of a live user (by object id); made on first use. */
  mailboxOf(userId: string): SandboxMailbox {
    let mailbox = this.mailboxes.get(userId);
    if (!mailbox) {
      const rootFolderId = newOutlookId('folder');
      const defaultFolderId = newOutlookId('folder');
      mailbox = { userId, defaultFolderId, rootFolderId, folders: new Map() };
      mailbox.folders.set(defaultFolderId, {
        id: defaultFolderId,
        displayName: 'Contacts',
        parentFolderId: rootFolderId,
        contacts: new Map(),
        childIds: [],
      });
      this.mailboxes.set(userId, mailbox);
    }
    return mailbox;
  }

  /** A folder by id; `default` names the default folder. */
  folder(mailbox: SandboxMailbox, folderId: string): SandboxContactFolder | undefined {
    return mailbox.folders.get(folderId === 'default' ? mailbox.defaultFolderId : folderId);
  }

  createFolder(mailbox: SandboxMailbox, displayName: string, parentFolderId = 'default'): SandboxContactFolder {
    const parent = this.requireFolder(mailbox, parentFolderId);
    const clash = parent.childIds.some((id) => mailbox.folders.get(id)!.displayName.toLowerCase() === displayName.toLowerCase());
    // Outlook refuses a second folder of the same name under one parent (ErrorFolderExists).
    if (clash) throw new SandboxConflictError(`a folder named '${displayName}' already exists there`);
    const folder: SandboxContactFolder = {
      id: newOutlookId('folder'),
      displayName,
      parentFolderId: parent.id,
      contacts: new Map(),
      childIds: [],
    };
    mailbox.folders.set(folder.id, folder);
    parent.childIds.push(folder.id);
    return folder;
  }

  addContact(mailbox: SandboxMailbox, fields: SandboxContactFields, folderId = 'default'): ContactChange {
    const folder = this.requireFolder(mailbox, folderId);
    const contact = this.track(folder, new Date(this.now()).toISOString(), structuredClone(fields));
    return { mailboxId: mailbox.userId, folderId: folder.id, contact, changeType: 'created' };
  }

  /**
   * Many contacts at once without per-contact copies or notifications (benchmarks: 200 mailboxes × 500
   * contacts, a 5,000-contact folder). `fieldsAt(i)` makes the i-th contact's fields.
   */
  seedContacts(mailbox: SandboxMailbox, count: number, fieldsAt: ContactFieldsMaker, folderId = 'default'): number {
    const folder = this.requireFolder(mailbox, folderId);
    const at = new Date(this.now()).toISOString();
    for (let i = 0; i < count; i += 1) this.track(folder, at, {}, { fieldsAt, index: i });
    return count;
  }

  /**
   * A new contact in `folder` with the properties Outlook itself assigns, tracked as created at `at`. A seeded one
   * gets its `fields` from `seed` whenever it is read.
   */
  private track(
    folder: SandboxContactFolder,
    at: string,
    fields: SandboxContactFields,
    seed?: Pick<TrackedContact, 'fieldsAt' | 'index'>,
  ): SandboxContact {
    const contact: SandboxContact = {
      ...fields,
      id: newOutlookId('item'),
      parentFolderId: folder.id,
      changeKey: newChangeKey(),
      createdDateTime: at,
      lastModifiedDateTime: at,
    };
    const seq = ++this.seq;
    folder.contacts.set(contact.id, { contact, createdSeq: seq, changedSeq: seq, ...seed });
    return contact;
  }

  updateContact(mailbox: SandboxMailbox, contactId: string, patch: ContactPatch): ContactChange {
    const { folder, tracked } = this.liveContact(mailbox, contactId);
    // An edited seeded contact keeps its fields from now on.
    tracked.contact = contactOf(tracked);
    tracked.fieldsAt = undefined;
    tracked.index = undefined;
    const target = tracked.contact as unknown as Record<string, unknown>;
    for (const [key, value] of Object.entries(structuredClone(patch))) {
      if (value === undefined) continue;
      if (value === null) delete target[key];
      else target[key] = value;
    }
    tracked.contact.changeKey = newChangeKey();
    tracked.contact.lastModifiedDateTime = new Date(this.now()).toISOString();
    tracked.changedSeq = ++this.seq;
    return { mailboxId: mailbox.userId, folderId: folder.id, contact: tracked.contact, changeType: 'updated' };
  }

  deleteContact(mailbox: SandboxMailbox, contactId: string): ContactChange {
    const { folder, tracked } = this.liveContact(mailbox, contactId);
    tracked.removedSeq = ++this.seq;
    tracked.changedSeq = tracked.removedSeq;
    return { mailboxId: mailbox.userId, folderId: folder.id, contact: contactOf(tracked), changeType: 'deleted' };
  }

  /** A live contact (possibly the stored object; callers copy before handing it out). */
  findContact(mailbox: SandboxMailbox, contactId: string): SandboxContact | undefined {
    const tracked = this.locate(mailbox, contactId)?.tracked;
    return tracked && tracked.removedSeq === undefined ? contactOf(tracked) : undefined;
  }

  /**
   * The ids a round reports: every live contact (initial), or those changed after `since` — a contact
   * created and deleted in between never existed for the client, so it is left out.
   */
  idsForRound(folder: SandboxContactFolder, since: number | null): string[] {
    const ids: string[] = [];
    for (const [id, t] of folder.contacts) {
      if (since === null) {
        if (t.removedSeq === undefined) ids.push(id);
      } else if (t.changedSeq > since && !(t.removedSeq !== undefined && t.createdSeq > since)) {
        ids.push(id);
      }
    }
    return ids;
  }

  private requireFolder(mailbox: SandboxMailbox, folderId: string): SandboxContactFolder {
    const folder = this.folder(mailbox, folderId);
    if (!folder) throw new SandboxNotFoundError(`no contact folder ${folderId} in mailbox ${mailbox.userId}`);
    return folder;
  }

  private liveContact(mailbox: SandboxMailbox, contactId: string): { folder: SandboxContactFolder; tracked: TrackedContact } {
    const found = this.locate(mailbox, contactId);
    if (!found || found.tracked.removedSeq !== undefined)
      throw new SandboxNotFoundError(`no contact ${contactId} in mailbox ${mailbox.userId}`);
    return found;
  }

  /** A mailbox has few folders, so asking each beats an id-to-folder index that would double the memory per contact. */
  private locate(mailbox: SandboxMailbox, contactId: string): { folder: SandboxContactFolder; tracked: TrackedContact } | undefined {
    for (const folder of mailbox.folders.values()) {
      const tracked = folder.contacts.get(contactId);
      if (tracked) return { folder, tracked };
    }
    return undefined;
  }
}
