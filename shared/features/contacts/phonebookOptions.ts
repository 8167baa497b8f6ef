import { z } from 'zod';

const mailboxAddress = z
  .string()
  .trim()
  .toLowerCase()
  .pipe(z.email({ message: 'must be a mailbox address' }).max(256));

/** Shared mailboxes' contacts → the PBX's company phonebook. `{}` is valid (and off). */
export const PhonebookOptionsSchema = z
  .object({
    enabled: z.boolean().default(false),
    /** The shared mailboxes (by address) whose contact folders, all of them, fill the company phonebook. */
    sharedMailboxes: z
      .array(mailboxAddress)
      .max(50)
      .default([])
      .transform((list) => [...new Set(list)].sort()),
  })
  .strict()
  .refine((options) => !options.enabled || options.sharedMailboxes.length > 0, {
    message: 'name at least one shared mailbox when the phonebook is on',
    path: ['sharedMailboxes'],
  });
export type PhonebookOptions = z.infer<typeof PhonebookOptionsSchema>;
