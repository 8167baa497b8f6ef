import { z } from 'zod';

/** A feature's name as it appears in jobs, run records, table keys and message ids. */
export const FeatureNameSchema = z.string().regex(/^[a-z][a-zA-Z0-9]{1,31}$/, 'must be a feature name (letters and digits)');

export const LaneSchema = z.enum(['directory', 'realtime']);
