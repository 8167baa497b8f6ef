import { type Feature } from '../Feature';
import { phonebookManifest } from './phonebookManifest';
import { type PhonebookOptions } from './phonebookOptions';
import { runPhonebookSync } from './runPhonebookSync';
import { teardownPhonebook } from './teardownPhonebook';

/** Outlook contacts of shared mailboxes → the PBX's company phonebook, as a feature of the engine. */
export const phonebookFeature: Feature<PhonebookOptions> = {
  manifest: phonebookManifest,
  optionsFor: (config) => (config.phonebook.enabled ? config.phonebook : undefined),
  reconcileOnSchedule: true,
  // One subscription per shared mailbox (Graph allows 1,000 per mailbox): its default contacts folder. Changes
  // in the folders below it arrive with the scheduled reconcile (⚠ whether /contacts notifies for subfolders is unverified).
  subscriptions: (options) =>
    options.sharedMailboxes.map((mailbox) => ({
      graphResource: `users/${mailbox}/contacts`,
      changeType: 'created,updated,deleted',
      maxLifetimeMinutes: 10_080,
    })),
  teardown: teardownPhonebook,
  sync: (context, request) => runPhonebookSync(context, request),
};
