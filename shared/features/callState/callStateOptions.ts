import { z } from 'zod';

/**
 * PBX calls → Teams presence. `{}` is valid (and off). While a synced user's PBX phone is in a call, the
 * connector holds a Teams presence session for them (Busy / In a call), so colleagues in Teams see it.
 */
export const CallStateOptionsSchema = z
  .object({
    enabled: z.boolean().default(false),
    /**
     * How long Graph keeps the session without a re-assertion (Graph allows 5 to 240 minutes). The connector
     * re-asserts a minute before the end while the PBX still shows the call, so this bounds how long a call end
     * that never arrives can leave someone busy.
     */
    sessionMinutes: z.number().int().min(5).max(240).default(5),
    /** Calls longer than this are let go (the session expires); a phone left off the hook does not keep anyone busy all day. */
    maxCallHours: z.number().int().min(1).max(24).default(8),
    /**
     * Point the PBX's extension events at the connector (PortSIP: the tenant's "Extension events" URL, with a
     * Bearer token the connector makes). A URL there that the connector did not set is never overwritten: the
     * conflict is reported instead. Off: an administrator sets the URL and token by hand.
     */
    registerEventUrl: z.boolean().default(true),
  })
  .strict();
export type CallStateOptions = z.infer<typeof CallStateOptionsSchema>;
