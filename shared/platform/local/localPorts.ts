import { z } from 'zod';
import { AppError } from '../../core/errors/AppError';

/**
 * The ports `npm start` and `npm run sync` listen on, each with the variable that moves it; the one list the
 * README documents them from. Every port binds to 127.0.0.1.
 */
export const LOCAL_PORTS = {
  PORT: { defaultPort: 7071, serves: 'the admin API and the Graph webhook (/api)' },
  SANDBOX_GRAPH_PORT: { defaultPort: 7081, serves: 'the sandbox Microsoft Graph' },
  SANDBOX_PBX_PORT: { defaultPort: 7082, serves: 'the sandbox PortSIP PBX' },
  AZURITE_TABLE_PORT: { defaultPort: 10002, serves: 'the Azurite Table service (when AzureWebJobsStorage names no account)' },
} as const;

export type LocalPortVariable = keyof typeof LOCAL_PORTS;
export type LocalPorts = Record<LocalPortVariable, number>;

const portText = (variable: LocalPortVariable) =>
  z
    .string()
    .trim()
    // Unset and blank both mean the default, as an empty `PORT=` line in a settings file would suggest.
    .transform((text) => (text === '' ? String(LOCAL_PORTS[variable].defaultPort) : text))
    .pipe(z.string().regex(/^[0-9]{1,5}$/, `${variable} must be a whole number from 1 to 65535`))
    .transform(Number)
    .pipe(z.int().min(1, `${variable} must be from 1 to 65535`).max(65535, `${variable} must be from 1 to 65535`))
    .optional()
    .transform((port) => port ?? LOCAL_PORTS[variable].defaultPort);

const LocalPortsSchema = z
  .object({
    PORT: portText('PORT'),
    SANDBOX_GRAPH_PORT: portText('SANDBOX_GRAPH_PORT'),
    SANDBOX_PBX_PORT: portText('SANDBOX_PBX_PORT'),
    AZURITE_TABLE_PORT: portText('AZURITE_TABLE_PORT'),
  })
  .superRefine((ports, ctx) => {
    // Two services on one port would fail later with a less helpful EADDRINUSE, so say which two collide.
    const seen = new Map<number, string>();
    for (const [variable, port] of Object.entries(ports)) {
      const other = seen.get(port);
      if (other) ctx.addIssue({ code: 'custom', message: `${other} and ${variable} are both ${port}; give each its own port` });
      seen.set(port, variable);
    }
  });

/** The four local ports from the environment (defaults for unset ones); throws one line naming the bad variable. */
export function localPorts(env: Record<string, string | undefined>): LocalPorts {
  const parsed = LocalPortsSchema.safeParse({
    PORT: env.PORT,
    SANDBOX_GRAPH_PORT: env.SANDBOX_GRAPH_PORT,
    SANDBOX_PBX_PORT: env.SANDBOX_PBX_PORT,
    AZURITE_TABLE_PORT: env.AZURITE_TABLE_PORT,
  });
  if (!parsed.success) throw new AppError('CONFIG', parsed.error.issues.map((issue) => issue.message).join('; '));
  return parsed.data;
}
