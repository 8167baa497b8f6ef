import { isAppError } from '../../core/errors/AppError';
import { type PbxAccount } from '../ports/PbxAccount';
import { type NoUserAccessReason, noUserAccess, noUserAccessReasonOf, type PortalPasswords } from '../ports/PortalPasswords';
import { LruMap } from './LruMap';
import { PortSipApi, type PortSipCalls } from './PortSipApi';
import { parsePortSipBody } from './parsePortSipBody';
import { portSipErrorFor } from './portSipErrorFor';
import { AuthUserSchema } from './portSipSchemas';
import { PortSipSession } from './PortSipSession';
import { type PortSipTransport } from './PortSipTransport';

export interface PortSipUserSessionsOptions {
  /** The connection's transport: user sessions share the admin's rate limit and request count. */
  transport: PortSipTransport;
  /** The tenant's SIP domain. */
  domain: string;
  passwords: PortalPasswords;
  /**
   * Sessions kept at once; the least recently used one is dropped beyond it. Default 5,000: presence and the
   * calendar write as the user, and a cache smaller than the users they write for signs in again on every write.
   */
  maxSessions?: number;
  now?: () => number;
}

/** One cached session as a user, with the password it signed in with. */
interface UserSession {
  password: string;
  session: PortSipSession;
  api: PortSipApi;
}

const RESET = 'a portal password reset through the connector lets it act as them again';
/** Why, and what would fix it, per reason. */
const WHY: Record<NoUserAccessReason, string> = {
  adopted: 'the connector did not create this user and never sets their password',
  noPasswordKept: `the connector keeps no portal password for this user; ${RESET}`,
  passwordRejected: `PortSIP refused the portal password the connector kept (the user may have changed it); ${RESET}`,
  passwordResetRequired: `PortSIP asks the user to choose a new password first; ${RESET}`,
  twoFactorRequired: 'the user has two-factor sign-in on, which an unattended session cannot answer; the user must turn it off',
};

const userAccessError = (reason: NoUserAccessReason, userName: string, extra = '') =>
  noUserAccess(reason, `PortSIP: cannot act as user ${userName}${extra}: ${WHY[reason]}`);

/**
 * Sessions as individual users, for what PortSIP lets only the user do (personal contacts, the avatar). Each
 * signs in with the user's login name, the portal password the connector kept (PortalPasswords) and the tenant
 * domain, through the connection's transport (one rate limit for admin and users), and is cached (LRU) and
 * refreshed like the admin's. What stops a session becomes a NoUserAccess error with its reason, and the kept
 * password is marked refused so later runs fail fast instead of signing in again (an account lock-out risk)
 * until the password is replaced. Throttling and outages stay THROTTLED / TRANSIENT and mark nothing.
 */
export class PortSipUserSessions {
  private readonly sessions: LruMap<string, Promise<UserSession>>;

  constructor(private readonly options: PortSipUserSessionsOptions) {
    this.sessions = new LruMap(options.maxSessions ?? 5_000);
  }

  /** Calls made as `account`: each one opens (or reuses) the user's session, and reports a refusal as NoUserAccess. */
  apiFor(account: PbxAccount): PortSipCalls {
    return {
      call: (method, path, call) => this.act(account, ({ api }) => api.call(method, path, call)),
      read: (schema, method, path, call) => this.act(account, ({ api }) => api.read(schema, method, path, call)),
      callWithBytes: (method, path, call) => this.act(account, ({ api }) => api.callWithBytes(method, path, call)),
    };
  }

  /** null when a session as the user works (signing in if none is cached), else why not. */
  async check(account: PbxAccount): Promise<NoUserAccessReason | null> {
    try {
      await this.act(account, ({ session }) => session.token());
      return null;
    } catch (err) {
      const reason = noUserAccessReasonOf(err);
      if (reason) return reason;
      throw err;
    }
  }

  /** Drops the cached session (its password was replaced); the next call signs in afresh. */
  forget(userName: string): void {
    this.sessions.delete(userName);
  }

  private async act<T>(account: PbxAccount, work: (session: UserSession) => Promise<T>): Promise<T> {
    const { userName } = account;
    for (let attempt = 0; ; attempt += 1) {
      const opening = this.open(userName);
      const entry = await opening;
      let reason: NoUserAccessReason | undefined;
      let failure: unknown;
      try {
        return await work(entry);
      } catch (err) {
        failure = err;
        reason = noUserAccessReasonOf(err) ?? (await this.forbiddenBecauseOfReset(err, entry));
        if (!reason) throw err;
      }
      if (this.sessions.get(userName) === opening) this.sessions.delete(userName);
      // The kept password may have been replaced (an admin reset elsewhere) while this session used the old one.
      const kept = await this.options.passwords.get(userName);
      if (attempt === 0 && kept && !kept.refused && kept.password !== entry.password) continue;
      await this.options.passwords.markRefused(userName, reason);
      throw noUserAccessReasonOf(failure) ? failure : userAccessError(reason, userName);
    }
  }

  /** The cached session, else a new one for the kept password; fails fast when none is kept or it was refused. */
  private open(userName: string): Promise<UserSession> {
    const cached = this.sessions.get(userName);
    if (cached) return cached;
    const opening = this.create(userName);
    this.sessions.set(userName, opening);
    opening.catch(() => {
      if (this.sessions.get(userName) === opening) this.sessions.delete(userName);
    });
    return opening;
  }

  private async create(userName: string): Promise<UserSession> {
    const kept = await this.options.passwords.get(userName);
    if (!kept) throw userAccessError('noPasswordKept', userName);
    if (kept.refused) throw userAccessError(kept.refused.reason, userName, ' (not signing in again until the password is replaced)');
    const { transport, domain } = this.options;
    const session = new PortSipSession({ username: userName, password: kept.password, domain }, transport, this.options.now, {
      who: `user ${userName}`,
      refused: (refusal) => userAccessError(refusal.kind === 'twoFactor' ? 'twoFactorRequired' : 'passwordRejected', userName),
      verify: (token) => this.verifyNotForcedToReset(userName, token),
    });
    return { password: kept.password, session, api: new PortSipApi(transport, session) };
  }

  /** `GET /api/auth/user` once per new session: a user PortSIP asks to choose a new password cannot be acted as. */
  private async verifyNotForcedToReset(userName: string, token: string): Promise<void> {
    const answer = await this.options.transport.send('GET', '/auth/user', undefined, token);
    if (answer.status < 200 || answer.status >= 300)
      throw portSipErrorFor(answer.status, answer.body, `checking the session of user ${userName}`, { secrets: [token] });
    const me = parsePortSipBody(AuthUserSchema, answer.body, 'GET /api/auth/user');
    if (me.password_force_reset) throw userAccessError('passwordResetRequired', userName);
  }

  /**
   * A 403 on a live session may mean PortSIP started asking for a new password since the session began (⚠ its
   * code for that is undocumented): ask `/api/auth/user` once; otherwise the 403 stands as it is.
   */
  private async forbiddenBecauseOfReset(err: unknown, entry: UserSession): Promise<NoUserAccessReason | undefined> {
    if (!isAppError(err, 'FORBIDDEN')) return undefined;
    try {
      const token = await entry.session.token();
      await this.verifyNotForcedToReset('', token);
      return undefined;
    } catch (checked) {
      return noUserAccessReasonOf(checked) === 'passwordResetRequired' ? 'passwordResetRequired' : undefined;
    }
  }
}
