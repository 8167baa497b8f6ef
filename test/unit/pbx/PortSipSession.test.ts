import { describe, expect, it } from 'vitest';
import { AppError } from '../../../shared/core/errors/AppError';
import { type PortSipSender, PortSipSession } from '../../../shared/pbx/portsip/PortSipSession';
import { type PortSipAnswer, type PortSipMethod } from '../../../shared/pbx/portsip/PortSipTransport';
import { appErrorOf } from '../../support/appErrorOf';

const credentials = { username: 'syncadmin', password: 'S3cret!Pass', domain: 'contoso.pbx' };
type Reply = PortSipAnswer | Error;

/** A scripted sender: answers sign-in and refresh from queues (default: fresh tokens) and records calls. */
function fakeSender(script: { signIn?: Reply[]; refresh?: Reply[]; expiresIn?: number } = {}) {
  const calls: { path: string; body: unknown }[] = [];
  let issued = 0;
  const tokens = (): PortSipAnswer => {
    issued += 1;
    return {
      status: 200,
      body: {
        token_type: 'Bearer',
        access_token: `access-${issued}`,
        refresh_token: `refresh-${issued}`,
        expires_in: script.expiresIn ?? 3600,
      },
      retryAfter: null,
    };
  };
  const sender: PortSipSender = {
    async send(_method: PortSipMethod, path: string, body?: unknown) {
      calls.push({ path, body });
      await new Promise((r) => setTimeout(r, 5));
      const queue = path === '/auth/sign_in' ? script.signIn : script.refresh;
      const reply = queue?.shift() ?? tokens();
      if (reply instanceof Error) throw reply;
      return reply;
    },
  };
  return { sender, calls, paths: () => calls.map((c) => c.path) };
}

const answer = (status: number, body?: unknown): PortSipAnswer => ({ status, body, retryAfter: null });

describe('PortSipSession', () => {
  it('signs in once for concurrent callers, with username, password and domain', async () => {
    const { sender, calls } = fakeSender();
    const session = new PortSipSession(credentials, sender);
    const tokens = await Promise.all(Array.from({ length: 10 }, () => session.token()));
    expect(new Set(tokens)).toEqual(new Set(['access-1']));
    expect(calls).toEqual([{ path: '/auth/sign_in', body: credentials }]);
  });

  it('reuses the token, refreshes a minute before expiry and always keeps the latest refresh token', async () => {
    let now = 0;
    const { sender, calls, paths } = fakeSender();
    const session = new PortSipSession(credentials, sender, () => now);
    expect(await session.token()).toBe('access-1');
    now = 3_539_000;
    expect(await session.token()).toBe('access-1');
    now = 3_540_000;
    expect(await session.token()).toBe('access-2');
    now += 3_540_000;
    expect(await session.token()).toBe('access-3');
    expect(paths()).toEqual(['/auth/sign_in', '/auth/refresh_token', '/auth/refresh_token']);
    expect(calls.slice(1).map((c) => c.body)).toEqual([{ refresh_token: 'refresh-1' }, { refresh_token: 'refresh-2' }]);
  });

  it('keeps the margin to a tenth of a short token lifetime', async () => {
    let now = 0;
    const { sender, paths } = fakeSender({ expiresIn: 30 });
    const session = new PortSipSession(credentials, sender, () => now);
    await session.token();
    now = 26_900;
    await session.token();
    expect(paths()).toEqual(['/auth/sign_in']);
    now = 27_000;
    await session.token();
    expect(paths()).toEqual(['/auth/sign_in', '/auth/refresh_token']);
  });

  it('signs in afresh when the refresh is refused or fails', async () => {
    let now = 0;
    const { sender, paths } = fakeSender({
      refresh: [answer(400, { errors: [{ code: 'UNAUTHORIZED', message: 'Invalid refresh token' }] }), new AppError('TRANSIENT', 'down')],
    });
    const session = new PortSipSession(credentials, sender, () => now);
    await session.token();
    now = 3_600_000;
    expect(await session.token()).toBe('access-2');
    now = 7_200_000;
    expect(await session.token()).toBe('access-3');
    expect(paths()).toEqual(['/auth/sign_in', '/auth/refresh_token', '/auth/sign_in', '/auth/refresh_token', '/auth/sign_in']);
  });

  it('renews after invalidate, but not when another caller already replaced the rejected token', async () => {
    const { sender, paths } = fakeSender();
    const session = new PortSipSession(credentials, sender);
    const first = await session.token();
    session.invalidate(first);
    const second = await session.token();
    expect(second).toBe('access-2');
    session.invalidate(first);
    expect(await session.token()).toBe('access-2');
    expect(paths()).toEqual(['/auth/sign_in', '/auth/refresh_token']);
  });

  it('explains that two-factor authentication must be off for the service account', async () => {
    const { sender } = fakeSender({ signIn: [answer(200, { two_factor_enabled: true, token: 'otp-session' })] });
    const err = await appErrorOf(new PortSipSession(credentials, sender).token());
    expect(err.code).toBe('UNAUTHORIZED');
    expect(err.message).toMatch(/two-factor authentication off for this service account/);
    expect(err.message).not.toContain('otp-session');
  });

  it('turns refused credentials into UNAUTHORIZED without the password, even when PortSIP echoes it', async () => {
    const { sender } = fakeSender({
      signIn: [answer(400, { errors: [{ code: 'UNAUTHORIZED', message: 'Login failed for password S3cret!Pass' }] })],
    });
    const err = await appErrorOf(new PortSipSession(credentials, sender).token());
    expect(err.code).toBe('UNAUTHORIZED');
    expect(err.upstreamStatus).toBe(400);
    expect(err.message).toContain('the service account of contoso.pbx');
    expect(err.message).not.toContain('syncadmin');
    expect(err.message).not.toContain('S3cret!Pass');
  });

  it('keeps throttling and outages retryable, and does not remember a failed sign-in', async () => {
    const { sender } = fakeSender({ signIn: [answer(503), { status: 429, body: undefined, retryAfter: '7' }] });
    const session = new PortSipSession(credentials, sender);
    expect((await appErrorOf(session.token())).code).toBe('TRANSIENT');
    const throttled = await appErrorOf(session.token());
    expect(throttled.code).toBe('THROTTLED');
    expect(throttled.retryAfterMs).toBe(7000);
    expect(await session.token()).toBe('access-1');
  });

  it('reports a sign-in answer of an unknown shape as INTERNAL naming the endpoint', async () => {
    const { sender } = fakeSender({ signIn: [answer(200, { accessToken: 'camelCase?' })] });
    const err = await appErrorOf(new PortSipSession(credentials, sender).token());
    expect(err.code).toBe('INTERNAL');
    expect(err.message).toContain('POST /api/auth/sign_in');
    expect(err.message).not.toContain('camelCase?');
  });
});
