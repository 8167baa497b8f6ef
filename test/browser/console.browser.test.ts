import { describe, expect, it } from 'vitest';
import { useConsoleInstance } from './consoleInstance';

// The console in real headless Chromium against `npm start`'s stack (consoleInstance.ts).
const stack = useConsoleInstance();

const shot = (name: string) => stack.shot(name);

describe('the console in headless Chromium', () => {
  it('signs in with the admin key, shows the demo tenant, dry-runs, syncs, and searches the run’s changes', async () => {
    // Signed out: the sign-in form, under a CSP with a nonce and the other security headers.
    const first = await stack.page.goto(`${stack.base}/api/console`);
    expect(first?.status()).toBe(200);
    const headers = first!.headers();
    expect(headers['content-security-policy']).toMatch(/script-src 'nonce-[^']+'/);
    expect(headers['content-security-policy']).toContain("frame-ancestors 'none'");
    expect(headers).toMatchObject({ 'x-content-type-options': 'nosniff', 'cache-control': 'no-store' });
    await expect(stack.page.getByLabel('Admin key').isVisible()).resolves.toBe(true);
    await shot('01-sign-in');

    // A wrong key: the form again, 401, the error announced.
    await stack.page.getByLabel('Admin key').fill('not-the-key-at-all');
    const [wrong] = await Promise.all([
      stack.page.waitForResponse((r) => r.url().endsWith('/api/console/session')),
      stack.page.getByRole('button', { name: 'Sign in' }).click(),
    ]);
    expect(wrong.status()).toBe(401);
    await expect(stack.page.getByRole('alert').textContent()).resolves.toContain('not the admin key');
    await shot('02-wrong-key');

    // The right key: a session cookie (HttpOnly, Strict, console path only), then the tenants.
    await stack.page.getByLabel('Admin key').fill(stack.adminKey);
    await Promise.all([stack.page.waitForURL(`${stack.base}/api/console`), stack.page.getByRole('button', { name: 'Sign in' }).click()]);
    const cookie = (await stack.page.context().cookies()).find((c) => c.name === 'console_session');
    expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Strict', path: '/api/console' });
    expect(stack.page.url()).not.toContain(stack.adminKey);
    await stack.page.getByRole('link', { name: 'demo' }).waitFor();
    await shot('03-tenants');

    // The demo tenant: connection, one card per feature, Sync now and Dry run.
    await Promise.all([stack.page.waitForURL('**/api/console/tenants/demo'), stack.page.getByRole('link', { name: 'demo' }).click()]);
    await stack.page.getByRole('heading', { name: /^users/ }).waitFor();
    expect(await stack.page.locator('article.card').count()).toBeGreaterThanOrEqual(5);
    await shot('04-tenant');
    // A phone's width: one column of cards, nothing cut off sideways.
    await stack.page.setViewportSize({ width: 390, height: 844 });
    expect(await stack.page.evaluate(() => (globalThis as unknown as { innerWidth: number }).innerWidth)).toBe(390);
    await shot('04-tenant-phone');
    await stack.page.setViewportSize({ width: 1100, height: 900 });

    // Dry run: the plan, and that nothing was written.
    await Promise.all([stack.page.waitForURL('**/dry-run'), stack.page.getByRole('button', { name: 'Dry run' }).click()]);
    await expect(stack.page.locator('main').textContent()).resolves.toContain('Nothing was written');
    await stack.page.getByRole('heading', { name: 'users', exact: true }).waitFor();
    await shot('05-dry-run');

    // Keyboard only: Tab from the top of the tenant page to Sync now, Enter; the run page reloads until it is done.
    await stack.page.goto(`${stack.base}/api/console/tenants/demo`);
    let focused = '';
    for (let tab = 0; tab < 15 && focused !== 'Sync now'; tab++) {
      await stack.page.keyboard.press('Tab');
      focused = ((await stack.page.locator(':focus').first().textContent()) ?? '').trim();
    }
    expect(focused).toBe('Sync now');
    await Promise.all([
      stack.page.waitForURL(/\/api\/console\/tenants\/demo\/runs\/\d{13}-[0-9a-f]{8}$/),
      stack.page.keyboard.press('Enter'),
    ]);
    await stack.page.locator('#run-status', { hasText: 'succeeded' }).waitFor({ timeout: 30_000 });
    await shot('06-run-succeeded');

    // The run's change list: every user of the demo, searchable and filterable by outcome.
    const rows = stack.page.locator('section[aria-labelledby="changes"] tbody tr');
    expect(await rows.count()).toBeGreaterThan(5);
    const label = (await rows.first().locator('td').first().textContent())!.trim();
    const needle = label.slice(0, Math.min(label.length, 8));
    await stack.page.getByLabel('Search (name, id or extension)').fill(needle);
    await Promise.all([stack.page.waitForURL(/q=/), stack.page.getByRole('button', { name: 'Search' }).click()]);
    const found = await rows.locator('td:first-child').allTextContents();
    expect(found.length).toBeGreaterThan(0);
    for (const text of found) expect(text.toLowerCase()).toContain(needle.toLowerCase());
    await shot('07-changes-search');
    await stack.page.getByLabel('Outcome').selectOption('failed');
    await Promise.all([stack.page.waitForURL(/outcome=failed/), stack.page.getByRole('button', { name: 'Search' }).click()]);
    await expect(stack.page.locator('main').textContent()).resolves.toContain('No changes match');
    await shot('08-changes-failed-only');
  });

  it('shows a long sync’s progress while it runs: a bar, done of about the total, the rate, the time left', async () => {
    // 500 more people in Microsoft 365 whose change notifications are lost (so no delta run takes them first), and a
    // slow PBX (150 ms an answer): the operator's Sync now has a while to go.
    const post = async (url: string, body: unknown) => {
      const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
      expect(res.status, await res.text()).toBeLessThan(300);
    };
    await post(`${stack.graphSandbox}/_sandbox/notifications/faults`, { dropNext: 10_000 });
    for (let batch = 0; batch < 10; batch++)
      await Promise.all(
        Array.from({ length: 50 }, (_, k) => {
          const n = batch * 50 + k + 1;
          return post(`${stack.graphSandbox}/_sandbox/users`, {
            displayName: `Progress Person ${n}`,
            givenName: 'Progress',
            surname: `Person ${n}`,
            mail: `progress.${n}@contoso.example`,
            userPrincipalName: `progress.${n}@contoso.example`,
          });
        }),
      );
    await post(`${stack.pbxSandbox}/_sandbox/latency`, { ms: 150 });
    try {
      await stack.page.goto(`${stack.base}/api/console/tenants/demo`);
      await Promise.all([
        stack.page.waitForURL(/\/runs\/\d{13}-[0-9a-f]{8}$/),
        stack.page.getByRole('button', { name: 'Sync now' }).click(),
      ]);
      // The page reloads itself every 2 seconds; once a page of users is done the progress shows, with a bar.
      // Read it between reloads (a read during one is retried), until it shows a total or the run ends.
      let text = '';
      let barMax: string | null = null;
      for (const until = Date.now() + 90_000; Date.now() < until && !/items done of about \d+/.test(text);) {
        await new Promise((resolve) => setTimeout(resolve, 500));
        const read = await stack.page
          .locator('#run-progress')
          .evaluate((el) => [el.textContent ?? '', el.querySelector('progress')?.getAttribute('max') ?? null] as const, undefined, {
            timeout: 1000,
          })
          .catch(() => ['', null] as const);
        text = read[0].replace(/\s+/g, ' ');
        barMax = read[1];
      }
      await shot('06b-run-progress');
      const [, done, total] = /(\d+) items done of about (\d+)/.exec(text) ?? [];
      expect(text, 'the progress while the run runs').toMatch(/items done of about/);
      expect(Number(total)).toBeGreaterThanOrEqual(500);
      expect(Number(done)).toBeGreaterThan(0);
      expect(Number(done)).toBeLessThan(Number(total));
      expect(text).toMatch(/a second/);
      expect(text).toMatch(/left|almost done/);
      expect(text).toContain("The total is Microsoft 365's own count.");
      expect(barMax).toBe(total);
      await post(`${stack.pbxSandbox}/_sandbox/latency`, { ms: 0 });
      await stack.page.locator('#run-status', { hasText: 'succeeded' }).waitFor({ timeout: 120_000 });
      // Finished: no progress line any more, the counts instead.
      expect(await stack.page.locator('#run-progress').count()).toBe(0);
      await expect(stack.page.locator('dl.panel').textContent()).resolves.toMatch(/created \d{3}/);
    } finally {
      await post(`${stack.pbxSandbox}/_sandbox/latency`, { ms: 0 });
    }
  }, 240_000);

  it('refuses a post without the CSRF token (403) and signs out', async () => {
    const refused = await stack.page.request.post(`${stack.base}/api/console/tenants/demo/sync`, { form: { csrf: 'forged' } });
    expect(refused.status()).toBe(403);
    await stack.page.goto(`${stack.base}/api/console`);
    await Promise.all([stack.page.waitForURL(`${stack.base}/api/console`), stack.page.getByRole('button', { name: 'Sign out' }).click()]);
    await stack.page.getByLabel('Admin key').waitFor();
    await shot('09-signed-out');
  });
});
