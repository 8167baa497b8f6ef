import { randomBytes } from 'node:crypto';
import { RefreshBody, SignInBody } from './authBodies';
import { parseBody } from './parseBody';
import { PbxError } from './PbxError';
import { type PbxTenant } from './PbxTenant';
import { type Route } from './Route';
import { type SandboxStats } from './SandboxStats';

// The auth page shows a failed login as HTTP 400 with code UNAUTHORIZED and this message.
const loginFailed = () => new PbxError(400, 'UNAUTHORIZED', 'Login failed, authentication error');

const sameText = (a: string | undefined, b: string) => a !== undefined && a.toLowerCase() === b.toLowerCase();

/**
 * /api/auth/*: the tenant admin, and every user with the portal password they were created with (or were
 * given since), sign in with the tenant's domain; refresh; sign out; ask who they are. A user with two-factor
 * sign-in on gets PortSIP's `{two_factor_enabled, token}` answer instead of tokens (the OTP steps that follow
 * are not modelled).
 */
export function authRoutes(tenant: PbxTenant, stats: SandboxStats): Route[] {
  return [
    {
      method: 'POST',
      path: '/api/auth/sign_in',
      public: true,
      handle: ({ body }) => {
        const b = parseBody(SignInBody, body);
        const { admin } = tenant;
        // A tenant admin or user must name its tenant's domain; only system admins sign in without one.
        if (!sameText(b.domain, admin.domain)) throw loginFailed();
        if (sameText(b.username, admin.username)) {
          if (b.password !== admin.password) throw loginFailed();
          return { status: 200, body: tenant.tokens.issue() };
        }
        const record = tenant.users.withName(b.username);
        // ⚠ Whether PortSIP lets a disabled user sign in is undocumented; the sandbox does not look at `enabled`.
        if (!record?.passwords || record.passwords.password !== b.password) throw loginFailed();
        if (record.twoFactor) return { status: 200, body: { two_factor_enabled: true, token: randomBytes(24).toString('base64url') } };
        stats.userSignIns += 1;
        return { status: 200, body: tenant.tokens.issue({ kind: 'user', userId: record.user.id }) };
      },
    },
    {
      method: 'POST',
      path: '/api/auth/refresh_token',
      public: true,
      handle: ({ body }) => {
        const answer = tenant.tokens.refresh(parseBody(RefreshBody, body).refresh_token);
        // ⚠ The answer to a used or unknown refresh token is undocumented; like a failed login here.
        if (!answer) throw new PbxError(400, 'UNAUTHORIZED', 'The refresh token is invalid or has been used');
        return { status: 200, body: answer };
      },
    },
    {
      method: 'POST',
      path: '/api/auth/sign_out',
      access: 'any',
      handle: ({ bearer }) => {
        if (bearer) tenant.tokens.signOut(bearer);
        return { status: 200 };
      },
    },
    {
      method: 'GET',
      path: '/api/auth/user',
      access: 'any',
      handle: ({ caller }) => {
        if (caller?.kind !== 'user') return { status: 200, body: { role: 'Admin', password_verified: true, password_force_reset: false } };
        const record = tenant.users.get(caller.userId)!;
        return {
          status: 200,
          body: { role: record.user.role, password_verified: true, password_force_reset: record.forcePasswordReset === true },
        };
      },
    },
  ];
}
