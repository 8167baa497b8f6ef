import { HttpRequest } from '@azure/functions';
import { beforeAll, describe, expect, it } from 'vitest';
import { type Services } from '../../shared/app/Services';
import { ConsoleGate, foreignPostReason } from '../../shared/console/consoleGate';
import { type ConsoleSettings, localConsoleSettings } from '../../shared/console/consoleSettings';
import { tenantConfig } from '../integration/platform/tables/storeTestTables';
import { createTestServices } from '../support/testServices';
import { syncRunRecord } from '../support/syncRunRecord';
import { consoleCaller as callConsole } from '../support/consoleCall';

const ADMIN_KEY = 'k'.repeat(43);
const GROUP = '7a1c2b3d-0000-4000-8000-00000000abcd';
let services: Services;

/** Calls console routes through a gate with these settings. */
const consoleCaller = (settings: ConsoleSettings) => {
  const gate = new ConsoleGate(settings);
  return callConsole(
    () => services,
    () => gate,
  );
};
const csrfOf = (body: string) => /name="csrf" value="([^"]+)"/.exec(body)?.[1];
const cookieOf = (setCookie: string | undefined) => setCookie?.split(';')[0] ?? '';

/** Signs in with the admin key the way a browser does: the form (pre-session cookie + token), then the post. */
async function signedIn(call: ReturnType<typeof consoleCaller>) {
  const form = await call('consoleHome');
  const preSession = cookieOf(form.headers['set-cookie']);
  const answer = await call('consoleSignIn', { form: { key: ADMIN_KEY, csrf: csrfOf(form.body)! }, headers: { cookie: preSession } });
  expect(answer.status).toBe(303);
  const cookie = cookieOf(answer.headers['set-cookie']);
  const tenantPage = await call('consoleTenant', { params: { id: 'contoso' }, headers: { cookie } });
  return { cookie, csrf: csrfOf(tenantPage.body)!, setCookie: answer.headers['set-cookie']! };
}

const run = syncRunRecord;

beforeAll(async () => {
  services = await createTestServices({}, { publicBaseUrl: 'https://fn.example' });
  await services.tenants.create('contoso', tenantConfig({ displayName: 'Contoso <script>alert(1)</script>' }));
  await services.runs.create(run('1764662400000-0000abcd'));
  await services.runs.create(
    run('1764662500000-0000abce', { status: 'running', finishedAt: undefined, queuedAt: '2026-03-01T09:00:00.000Z' }),
  );
});

describe('console sign-in with the admin key', () => {
  const call = consoleCaller(localConsoleSettings(ADMIN_KEY));

  it('shows the sign-in form without a session, with the security headers and a pre-session cookie', async () => {
    const page = await call('consoleHome');
    expect(page.status).toBe(200);
    expect(page.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(page.body).toContain('<label for="key">Admin key</label>');
    expect(page.body).toContain('<html lang="en">');
    const csp = page.headers['content-security-policy']!;
    const nonce = /script-src 'nonce-([^']+)'/.exec(csp)![1]!;
    expect(page.body).toContain(`<script nonce="${nonce}">`);
    expect(csp).toContain("frame-ancestors 'none'");
    expect(page.headers).toMatchObject({
      'x-content-type-options': 'nosniff',
      'cache-control': 'no-store',
      'referrer-policy': 'same-origin',
    });
    expect(page.headers['set-cookie']).toMatch(/^console_signin=[\w-]{22}; Path=\/api\/console; Max-Age=1800; HttpOnly; SameSite=Strict$/);
  });

  it('answers a wrong key with the form again and 401; the right key with an 8-hour session cookie', async () => {
    const form = await call('consoleHome');
    const preSession = cookieOf(form.headers['set-cookie']);
    const wrong = await call('consoleSignIn', { form: { key: 'nope', csrf: csrfOf(form.body)! }, headers: { cookie: preSession } });
    expect(wrong.status).toBe(401);
    expect(wrong.body).toContain('That is not the admin key');
    expect(wrong.body).not.toContain('nope');
    const right = await call('consoleSignIn', { form: { key: ADMIN_KEY, csrf: csrfOf(wrong.body)! }, headers: { cookie: preSession } });
    expect(right.status).toBe(303);
    expect(right.headers.location).toBe('/api/console');
    expect(right.headers['set-cookie']).toMatch(
      /^console_session=v1\.[^;]+; Path=\/api\/console; Max-Age=28800; HttpOnly; SameSite=Strict$/,
    );
  });

  it('marks the cookie Secure over https', async () => {
    const form = await call('consoleHome', { origin: 'https://fn.example' });
    const headers = { cookie: cookieOf(form.headers['set-cookie']) };
    const right = await call('consoleSignIn', {
      origin: 'https://fn.example',
      form: { key: ADMIN_KEY, csrf: csrfOf(form.body)! },
      headers,
    });
    expect(right.headers['set-cookie']).toMatch(/; Secure$/);
  });

  it('refuses a sign-in post without this browser’s form token (403), and from another origin', async () => {
    expect((await call('consoleSignIn', { form: { key: ADMIN_KEY, csrf: 'x' } })).status).toBe(403);
    const form = await call('consoleHome');
    const headers = { cookie: cookieOf(form.headers['set-cookie']), origin: 'https://evil.example' };
    expect((await call('consoleSignIn', { form: { key: ADMIN_KEY, csrf: csrfOf(form.body)! }, headers })).status).toBe(403);
  });

  it('shows the sign-in form (401) on a deep page without a session, or with a tampered one', async () => {
    const none = await call('consoleTenant', { params: { id: 'contoso' } });
    expect(none.status).toBe(401);
    expect(none.body).toContain('Admin key');
    const { cookie } = await signedIn(call);
    const tampered = await call('consoleTenant', {
      params: { id: 'contoso' },
      headers: { cookie: cookie.replace(/.$/, (c) => (c === 'A' ? 'B' : 'A')) },
    });
    expect(tampered.status).toBe(401);
  });

  it('signs out: the cookie is removed and the old one no longer works', async () => {
    const { cookie, csrf } = await signedIn(call);
    const out = await call('consoleSignOut', { form: { csrf }, headers: { cookie } });
    expect(out.status).toBe(303);
    expect(out.headers['set-cookie']).toMatch(/^console_session=; Path=\/api\/console; Max-Age=0/);
    expect((await call('consoleTenant', { params: { id: 'contoso' }, headers: { cookie } })).status).toBe(401);
  });
});

describe('console pages and forms', () => {
  const call = consoleCaller(localConsoleSettings(ADMIN_KEY));

  it('lists the tenants with the last run’s outcome, names escaped', async () => {
    const { cookie } = await signedIn(call);
    const page = await call('consoleHome', { headers: { cookie } });
    expect(page.status).toBe(200);
    expect(page.body).toContain('href="/api/console/tenants/contoso"');
    expect(page.body).toContain('Contoso &lt;script&gt;alert(1)&lt;/script&gt;');
    expect(page.body).not.toContain('<script>alert(1)');
    expect(page.body).toContain('succeeded');
  });

  it('shows the tenant page: connection with advice, a card per feature, Sync now and Dry run with the CSRF token', async () => {
    const { cookie, csrf } = await signedIn(call);
    const page = await call('consoleTenant', { params: { id: 'contoso' }, headers: { cookie } });
    expect(page.status).toBe(200);
    for (const feature of ['users', 'groups', 'phonebook', 'presence', 'callState'])
      expect(page.body).toContain(`<h3 id="feature-${feature}">${feature}<span class="badge`);
    expect(page.body).toContain('no PBX credential is written');
    expect(page.body).toMatch(/<button type="submit"\s*>Sync now<\/button>/);
    expect(page.body).toContain('formaction="/api/console/tenants/contoso/dry-run"');
    expect(page.body).toContain('<option value="users">users only</option>');
    expect(page.body).toContain('<option value="delta">delta: the changes since the last run</option>');
    // Every form that posts carries the token: Sync now, Dry run, sign out, Disable, Resume on each feature that is off.
    const posts = page.body.match(/<form method="post"/g)?.length ?? 0;
    expect(posts).toBeGreaterThanOrEqual(5);
    expect(page.body.match(new RegExp(`name="csrf" value="${csrf}"`, 'g'))?.length).toBe(posts);
    expect(page.body).toContain('href="/api/console/tenants/contoso/features/users/pause"');
    expect(page.body).toContain('action="/api/console/tenants/contoso/features/presence/resume"');
    expect(page.body).toContain('action="/api/console/tenants/contoso/disable"');
    expect(page.body).toContain('href="/api/console/tenants/contoso/disconnect"');
    expect((await call('consoleTenant', { params: { id: 'nobody' }, headers: { cookie } })).status).toBe(404);
  });

  it('refuses a post with a missing or wrong CSRF token, or from another origin (403), and queues nothing', async () => {
    const { cookie, csrf } = await signedIn(call);
    const before = (await services.runs.list('contoso', 100)).length;
    const params = { id: 'contoso' };
    expect((await call('consoleSyncNow', { params, form: {}, headers: { cookie } })).status).toBe(403);
    expect((await call('consoleSyncNow', { params, form: { csrf: `${csrf}x` }, headers: { cookie } })).status).toBe(403);
    const otherSession = await signedIn(call);
    expect((await call('consoleSyncNow', { params, form: { csrf: otherSession.csrf }, headers: { cookie } })).status).toBe(403);
    const foreign = { cookie, origin: 'https://evil.example' };
    expect((await call('consoleSyncNow', { params, form: { csrf }, headers: foreign })).status).toBe(403);
    const crossSite = { cookie, 'sec-fetch-site': 'cross-site' };
    expect((await call('consoleSyncNow', { params, form: { csrf }, headers: crossSite })).status).toBe(403);
    expect((await services.runs.list('contoso', 100)).length).toBe(before);
  });

  it('Sync now queues the runs and redirects to the first run’s page, which reloads itself while it is queued', async () => {
    const { cookie, csrf } = await signedIn(call);
    const answer = await call('consoleSyncNow', {
      params: { id: 'contoso' },
      form: { csrf },
      headers: { cookie, origin: 'http://localhost:7071' },
    });
    expect(answer.status).toBe(303);
    // Who pressed it is in the tenant's audit trail.
    const [entry] = await services.audit.list('contoso', 1);
    expect(entry).toMatchObject({ action: 'sync.now', actor: { kind: 'console' }, detail: { via: 'console', mode: 'full' } });
    const audit = await call('consoleAudit', { params: { id: 'contoso' }, headers: { cookie } });
    expect(audit.status).toBe(200);
    expect(audit.body).toContain('<td>sync.now</td>');
    const runId = /\/api\/console\/tenants\/contoso\/runs\/(\d{13}-[0-9a-f]{8})$/.exec(answer.headers.location!)![1]!;
    const page = await call('consoleRun', { params: { id: 'contoso', runId }, headers: { cookie } });
    expect(page.status).toBe(200);
    expect(page.body).toContain('queued');
    expect(page.body).toContain('location.reload()');
    const finished = await call('consoleRun', { params: { id: 'contoso', runId: '1764662400000-0000abcd' }, headers: { cookie } });
    expect(finished.body).not.toContain('location.reload()');
  });

  it('shows a running run’s progress — done of the estimated total, rate, time left — on its page and the tenant page', async () => {
    const { cookie } = await signedIn(call);
    const startedAt = new Date(Date.now() - 20_000);
    const updatedAt = new Date(startedAt.getTime() + 10_000);
    const runId = `${startedAt.getTime()}-0000beef`;
    await services.runs.create(
      run(runId, {
        status: 'running',
        queuedAt: startedAt.toISOString(),
        startedAt: startedAt.toISOString(),
        finishedAt: undefined,
        durationMs: undefined,
        progress: { done: 120, total: 240, totalBasis: 'graphCount', updatedAt: updatedAt.toISOString() },
      }),
    );
    const page = await call('consoleRun', { params: { id: 'contoso', runId }, headers: { cookie } });
    // 120 in 10 s: 12 a second; 120 left is 10 s from the save, which was 10 s ago, so almost done.
    expect(page.body).toContain('<progress max="240" value="120" aria-label="Progress">50 %</progress>');
    expect(page.body).toMatch(/120 items done of about 240 \(50 %\), 12 a second, almost done\./);
    expect(page.body).toContain('The total is Microsoft 365&#39;s own count.');
    expect(page.body).toContain('location.reload()');

    const tenantPage = await call('consoleTenant', { params: { id: 'contoso' }, headers: { cookie } });
    expect(tenantPage.body).toContain(`id="progress-${runId}"`);
    expect(tenantPage.body).toMatch(/120 items done of about 240 \(50 %\)/);
    // A running run that has not finished a page yet says so.
    expect(tenantPage.body).toContain('No progress reported yet (no page of items finished so far).');
  });

  it('syncs one feature or every one, full or delta, as chosen; refuses a mode or feature it does not know', async () => {
    const { cookie, csrf } = await signedIn(call);
    const params = { id: 'contoso' };
    const answer = await call('consoleSyncNow', { params, form: { csrf, feature: 'users', mode: 'delta' }, headers: { cookie } });
    expect(answer.status).toBe(303);
    const [entry] = await services.audit.list('contoso', 1);
    expect(entry).toMatchObject({ action: 'sync.now', detail: { mode: 'delta', feature: 'users', via: 'console' } });
    const runId = /\/runs\/(\d{13}-[0-9a-f]{8})$/.exec(answer.headers.location!)![1]!;
    expect(await services.runs.get('contoso', runId)).toMatchObject({ feature: 'users', mode: 'delta', trigger: 'manual' });

    expect((await call('consoleSyncNow', { params, form: { csrf, mode: 'sideways' }, headers: { cookie } })).status).toBe(400);
    expect((await call('consoleSyncNow', { params, form: { csrf, feature: 'fax', mode: 'full' }, headers: { cookie } })).status).toBe(404);
    expect((await call('consoleDryRun', { params, form: { csrf, feature: 'Bad Name!', mode: 'full' }, headers: { cookie } })).status).toBe(
      400,
    );
  });

  it('lists recent runs, and a run’s change list keeps the search text escaped', async () => {
    const { cookie } = await signedIn(call);
    const runs = await call('consoleRuns', { params: { id: 'contoso' }, headers: { cookie } });
    expect(runs.body).toContain('/api/console/tenants/contoso/runs/1764662400000-0000abcd');
    const search = await call('consoleRun', {
      params: { id: 'contoso', runId: '1764662400000-0000abcd' },
      query: `q=${encodeURIComponent('"><b>x')}&outcome=failed`,
      headers: { cookie },
    });
    expect(search.status).toBe(200);
    expect(search.body).toContain('value="&quot;&gt;&lt;b&gt;x"');
    expect(search.body).toContain('<option value="failed" selected>');
  });
});

describe('console behind App Service Authentication', () => {
  const principal = (groups: string[]) =>
    Buffer.from(
      JSON.stringify({ name_typ: 'name', claims: [{ typ: 'name', val: 'Ada <Ops>' }, ...groups.map((g) => ({ typ: 'groups', val: g }))] }),
    ).toString('base64');
  const settings: ConsoleSettings = { ...localConsoleSettings('off'), signIn: { kind: 'appService', allowedGroup: GROUP } };
  const call = consoleCaller(settings);

  it('takes the principal as the user when it is in the allowed group', async () => {
    const page = await call('consoleHome', { headers: { 'x-ms-client-principal': principal([GROUP]) } });
    expect(page.status).toBe(200);
    expect(page.body).toContain('Signed in as Ada &lt;Ops&gt;');
    expect(page.body).toContain('/.auth/logout');
  });

  it('is 403 for a principal outside the group, 401 with the sign-in link without one', async () => {
    expect((await call('consoleHome', { headers: { 'x-ms-client-principal': principal(['other']) } })).status).toBe(403);
    const none = await call('consoleHome');
    expect(none.status).toBe(401);
    expect(none.body).toContain('/.auth/login/aad');
  });

  it('binds the CSRF token to the principal', async () => {
    const headers = { 'x-ms-client-principal': principal([GROUP]) };
    const page = await call('consoleTenant', { params: { id: 'contoso' }, headers });
    expect((await call('consoleSyncNow', { params: { id: 'contoso' }, form: { csrf: 'x' }, headers })).status).toBe(403);
    expect(csrfOf(page.body)).toBeDefined();
  });

  it('lets nobody in when no sign-in is configured (Azure without CONSOLE_AUTH)', async () => {
    const closed = consoleCaller({ ...settings, signIn: { kind: 'none' } });
    const page = await closed('consoleHome', { headers: { 'x-ms-client-principal': principal([GROUP]) } });
    expect(page.status).toBe(403);
    expect(page.body).toContain('CONSOLE_AUTH=appService');
  });
});

describe('foreignPostReason', () => {
  const post = (headers: Record<string, string>, url = 'http://localhost:7071/api/console/session') =>
    foreignPostReason(new HttpRequest({ method: 'POST', url, headers }));
  it('lets same-origin posts and header-less clients through, refuses other origins, null and cross-site', () => {
    expect(post({ origin: 'http://localhost:7071', 'sec-fetch-site': 'same-origin' })).toBeUndefined();
    expect(post({})).toBeUndefined();
    expect(post({ origin: 'http://localhost:7072' })).toMatch(/another origin/);
    expect(post({ origin: 'null' })).toMatch(/another origin/);
    expect(post({ 'sec-fetch-site': 'same-site' })).toMatch(/same-site/);
    expect(post({ origin: 'https://app.example', 'x-forwarded-proto': 'https' }, 'http://app.example/api/console')).toBeUndefined();
  });
});
