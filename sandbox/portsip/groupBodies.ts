import { z } from 'zod';

const name = () =>
  z
    .string({ error: (iss) => (iss.input === undefined ? 'is required' : 'must be a string') })
    .min(1, 'must not be empty')
    .max(64, 'must be at most 64 characters');
const description = z.string().max(1024, 'must be at most 1024 characters').nullish();
// Kept as sent: the sync does not manage a group's caller IDs.
const callerIds = z.array(z.unknown()).nullish();

/**
 * POST /api/groups. ⚠ The spec marks no field required; a group without a name is useless, so the sandbox
 * requires `name` (1–64) on create. Unknown fields are ignored, as a real API does.
 */
export const CreateGroupBody = z.object({ name: name(), description, outbound_caller_ids: callerIds });

/** POST /api/groups/{id}: the same fields, each optional; a field left out stays as it is. */
export const UpdateGroupBody = z.object({ name: name().optional(), description, outbound_caller_ids: callerIds });
