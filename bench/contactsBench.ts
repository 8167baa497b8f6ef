import { PersonalContactsOptionsSchema } from '../shared/features/contacts/personalContactsOptions';
import { personalContactsManifest } from '../shared/features/contacts/personalContactsManifest';
import { PhotoSyncOptionsSchema } from '../shared/features/photos/photosOptions';
import { photosManifest } from '../shared/features/photos/photosManifest';
import { usersManifest } from '../shared/features/users/usersManifest';
import { measureFeatureRun } from './measureFeatureRun';
import { ask, type SandboxRig, type SandboxStats, startSandboxRig, configureRigTenant } from './sandboxRig';

export interface ContactsBenchOptions {
  /** Synced users whose mailboxes hold contacts. */
  mailboxes: number;
  contactsPerMailbox: number;
  /** Synced users with a photo (and the number of users synced: at least `mailboxes`). */
  photos: number;
  pbxRate: number;
}

/**
 * The contacts and photos bench: syncs max(mailboxes, photos) sandbox users (not measured; the connector
 * creates them, so it keeps their portal passwords), seeds `contactsPerMailbox` Outlook contacts in the first
 * `mailboxes` users' default folders and a photo for the first `photos` users, then measures the first
 * personal-contacts run, a no-change delta re-run and a no-change full re-run, and the same for photos. The
 * bound is the PBX's rate limit (Outlook's 10,000 requests per 10 minutes per mailbox is far from binding).
 */
export async function runContactsBench(options: ContactsBenchOptions): Promise<void> {
  const users = Math.max(options.mailboxes, options.photos);
  const rig = await startSandboxRig({ users, pbxRate: options.pbxRate });
  try {
    await measureFeatureRun(rig, usersManifest, `users sync, ${users} users (setup)`, 'full');
    const synced = (await rig.services.links.listByTenant(rig.tenantId)).filter((l) => l.state === 'active').map((l) => l.objectId);
    await ask(rig.sandbox, { cmd: 'seedContacts', mailboxes: synced.slice(0, options.mailboxes), count: options.contactsPerMailbox });
    await ask(rig.sandbox, { cmd: 'setPhotos', userIds: synced.slice(0, options.photos) });

    await configureRigTenant(rig, (config) => {
      config.personalContacts = PersonalContactsOptionsSchema.parse({ enabled: true });
    });
    const contacts = `${options.mailboxes} mailboxes × ${options.contactsPerMailbox} contacts`;
    const personal = [
      await withOutlook(await measureFeatureRun(rig, personalContactsManifest, `first personal contacts run, ${contacts}`, 'delta'), rig),
      await withOutlook(await measureFeatureRun(rig, personalContactsManifest, 're-run, no change (delta)', 'delta'), rig),
      await withOutlook(await measureFeatureRun(rig, personalContactsManifest, 'full re-run, no change', 'full'), rig),
    ];
    await configureRigTenant(rig, (config) => {
      config.personalContacts = PersonalContactsOptionsSchema.parse({ enabled: false });
      config.photos = PhotoSyncOptionsSchema.parse({ enabled: true });
    });
    const photos = [
      await withOutlook(
        await measureFeatureRun(rig, photosManifest, `first photos run, ${options.photos} photos of ${users} users`, 'full'),
        rig,
      ),
      await withOutlook(await measureFeatureRun(rig, photosManifest, 're-run, no change', 'full'), rig),
    ];
    console.log(
      JSON.stringify(
        {
          contacts: {
            users,
            ...options,
            pbxRateLimitPerMinute: options.pbxRate,
            node: process.version,
            personalContactRuns: personal,
            photoRuns: photos,
          },
        },
        null,
        2,
      ),
    );
  } finally {
    await rig.stop();
  }
}

/** The run's result with what the sandboxes saw of sessions as users and Outlook throttling. */
async function withOutlook<T extends object>(
  result: T,
  rig: SandboxRig,
): Promise<T & Pick<SandboxStats, 'pbxUserSignIns' | 'outlookThrottled' | 'outlookPeakInFlight'>> {
  const stats = await ask<SandboxStats>(rig.sandbox, { cmd: 'stats' });
  return {
    ...result,
    pbxUserSignIns: stats.pbxUserSignIns,
    outlookThrottled: stats.outlookThrottled,
    outlookPeakInFlight: stats.outlookPeakInFlight,
  };
}
