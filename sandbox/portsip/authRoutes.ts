import { RefreshBody, SignInBody } from './authBodies';
import { parseBody } from './parseBody';
import { PbxError } from './PbxError';
import { type PbxTenant } from './PbxTenant';
import { type Route } from './Route';

// The auth page shows a failed login as HTTP 400 with code UNAUTHORIZED and this message.
const loginFailed = () => new PbxError(400, 'UNAUTHORIZED', 'Login failed, authentication error');

const sameText = (a: string | undefined, b: string) => a !== undefined && a.toLowerCase() === b.toLowerCase();

/** /api/auth/*: the tenant admin signs in with its tenant's domain, refreshes, signs out, asks who it is. */
export function authRoutes(tenant: PbxTenant): Route[] {
  return [
    {
      method: 'POST',
      path: '/api/auth/sign_in',
      public: true,
      handle: ({ body }) => {
        const b = parseBody(SignInBody, body);
        const { admin } = tenant;
        // A tenant admin must name its tenant's domain; only system admins sign in without one.
        if (!sameText(b.username, admin.username) || b.password !== admin.password || !sameText(b.domain, admin.domain))
          throw loginFailed();
        return { status: 200, body: tenant.tokens.issue() };
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
      handle: ({ bearer }) => {
        if (bearer) tenant.tokens.signOut(bearer);
        return { status: 200 };
      },
    },
    {
      method: 'GET',
      path: '/api/auth/user',
      handle: () => ({ status: 200, body: { role: 'Admin', password_verified: true, password_force_reset: false } }),
    },
  ];
}
