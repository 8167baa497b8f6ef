import { type Feature } from '../Feature';
import { personalContactsManifest } from './personalContactsManifest';
import { type PersonalContactsOptions } from './personalContactsOptions';
import { runPersonalContactsSync } from './runPersonalContactsSync';
import { teardownPersonalContacts } from './teardownPersonalContacts';

/**
 * Outlook personal contacts → each synced user's PBX contacts, as a feature of the engine. It has no change
 * notifications of its own (a subscription per mailbox and folder for every synced user would be thousands
 * per tenant): the scheduled reconcile and "Sync now" run it, each folder costing one delta request when
 * nothing changed.
 */
export const personalContactsFeature: Feature<PersonalContactsOptions> = {
  manifest: personalContactsManifest,
  optionsFor: (config) => (config.personalContacts.enabled ? config.personalContacts : undefined),
  reconcileOnSchedule: true,
  subscriptions: () => [],
  // A newly linked user's contacts follow at once, not with the next schedule.
  onLinkEvents: (batch) => (batch.feature === 'users' && batch.counts.linked > 0 ? { mode: 'delta' } : undefined),
  teardown: teardownPersonalContacts,
  sync: (context, request) => runPersonalContactsSync(context, request),
};
