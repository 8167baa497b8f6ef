import { z } from 'zod';
import { AppError } from '../../core/errors/AppError';
import { type ExtensionEventTarget, type PbxEventTarget } from '../ports/PbxEventTarget';
import { type PortSipCalls } from './PortSipApi';

/** PortSIP's limit on an event URL. */
const URL_MAX = 128;

const AUTH_METHODS = ['DISABLE', 'BASIC', 'DIGEST', 'BEARER'] as const;

/**
 * `GET /api/tenant`, the part we use. Tolerant: the tenant carries many settings we do not read (they pass),
 * a blank URL comes as null, '' or not at all, and a PBX that never had events set may leave `auth` out.
 */
const PortSipTenantEventsSchema = z.object({
  extension_event: z
    .object({
      enabled: z
        .boolean()
        .nullish()
        .transform((v) => v ?? false),
      auth: z
        .enum(AUTH_METHODS)
        .nullish()
        .transform((v) => v ?? 'DISABLE'),
      url: z
        .string()
        .nullish()
        .transform((v) => v || null),
    })
    .loose()
    .nullish()
    .transform((v) => v ?? { enabled: false, auth: 'DISABLE' as const, url: null }),
});

/**
 * The PortSIP v22 adapter of the PbxEventTarget port: the tenant's `extension_event` setting
 * (`GET`/`POST /api/tenant`), as the tenant admin. A POST changes only the fields it sends, so the tenant's
 * other settings (name, CDR events) are left as they are.
 */
export class PortSipEventTarget implements PbxEventTarget {
  constructor(private readonly admin: PortSipCalls) {}

  async read(): Promise<ExtensionEventTarget> {
    const tenant = await this.admin.read(PortSipTenantEventsSchema, 'GET', '/tenant', { what: 'reading the extension-event target' });
    const { enabled, auth, url } = tenant.extension_event;
    return { enabled, auth, url };
  }

  async register(target: { url: string; token: string }): Promise<void> {
    const what = 'registering the extension-event target';
    // PortSIP would refuse it with a 400; refused here so the message says why. The URL, not the token, is shown.
    if (target.url.length > URL_MAX)
      throw new AppError('INVALID', `${what}: the URL is ${target.url.length} characters long, PortSIP takes at most ${URL_MAX}`);
    if (!target.token) throw new AppError('INVALID', `${what}: the Bearer token is empty`);
    await this.admin.call('POST', '/tenant', {
      what: `${what} ${target.url}`,
      body: { extension_event: { enabled: true, auth: 'BEARER', token: target.token, url: target.url } },
      // PortSIP may echo the body back in a refusal: the token is redacted from any error.
      secrets: [target.token],
    });
  }

  async unregister(): Promise<void> {
    // ⚠ PortSIP documents url as 1-128 characters, so an empty or null URL is not sent: the PBX keeps the last
    // URL (and token) but, disabled, posts nothing to it. Verify on a live PBX whether url:'' clears it.
    await this.admin.call('POST', '/tenant', {
      what: 'unregistering the extension-event target',
      body: { extension_event: { enabled: false, auth: 'DISABLE' } },
    });
  }
}
