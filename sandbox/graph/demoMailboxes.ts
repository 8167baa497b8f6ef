import { type GraphSandbox } from './GraphSandbox';
import { type SandboxUser } from './SandboxUser';

/** The demo's shared mailbox, whose contacts fill the company phonebook. */
export const DEMO_SHARED_MAILBOX = 'reception@contoso-demo.com';

/**
 * Outlook data for the demo (`npm start`): a shared mailbox "Reception" with a few contacts (one without any
 * number, which the connector skips and reports), a few personal contacts for the first two users the connector
 * syncs, and photos for the first five.
 */
export function seedDemoMailboxes(graph: GraphSandbox, users: readonly SandboxUser[]): void {
  graph.createSharedMailbox({ address: DEMO_SHARED_MAILBOX, displayName: 'Reception' });
  graph.addContact(DEMO_SHARED_MAILBOX, { displayName: 'City Taxi', businessPhones: ['+1 206 555 0170'], companyName: 'City Taxi Co.' });
  graph.addContact(DEMO_SHARED_MAILBOX, { displayName: 'Building Security', mobilePhone: '+1 206 555 0171' });
  graph.addContact(DEMO_SHARED_MAILBOX, {
    displayName: 'Catering (no number yet)',
    emailAddresses: [{ address: 'orders@catering.example' }],
  });
  const vendors = graph.createContactFolder(DEMO_SHARED_MAILBOX, 'Vendors');
  graph.addContact(
    DEMO_SHARED_MAILBOX,
    { givenName: 'Paula', surname: 'Printer', businessPhones: ['+1 206 555 0172'], companyName: 'Print Shop' },
    vendors.id,
  );
  const synced = users.filter((u) => u.userType === 'Member' && u.accountEnabled && (u.givenName || u.surname));
  for (const user of synced.slice(0, 2)) {
    graph.addContact(user.id, { displayName: 'Dentist', businessPhones: ['+1 206 555 0180'] });
    graph.addContact(user.id, { displayName: 'Pat Partner', mobilePhone: '+1 206 555 0181', homePhones: ['+1 206 555 0182'] });
  }
  for (const user of synced.slice(0, 5)) graph.setUserPhoto(user.id, { sizeBytes: 4096 });
}
