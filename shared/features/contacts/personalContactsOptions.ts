import { z } from 'zod';
import { FeatureUserScopeSchema } from '../featureUserScope';

/** Whose Outlook contacts are copied: every synced user, or the synced members of chosen groups. */
export const ContactOwnersSchema = FeatureUserScopeSchema;

/** Each synced user's Outlook contacts → that user's personal PBX contacts. Every field has a default, so `{}` is valid (and off). */
export const PersonalContactsOptionsSchema = z
  .object({
    enabled: z.boolean().default(false),
    /** `DEFAULT`: the mailbox's Contacts folder; `ALL`: it and every folder below it. */
    folders: z.enum(['DEFAULT', 'ALL']).default('DEFAULT'),
    users: ContactOwnersSchema.default({ mode: 'ALL' }),
    /** Mailboxes read side by side (Outlook allows 4 requests in flight per mailbox, so many mailboxes go in parallel). */
    mailboxConcurrency: z.number().int().min(1).max(64).default(16),
  })
  .strict();
export type PersonalContactsOptions = z.infer<typeof PersonalContactsOptionsSchema>;
