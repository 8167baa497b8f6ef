import { type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ConsoleInstance, startConsoleInstance } from './consoleInstance';

// The console in real headless Chromium against `npm start`'s stack (consoleInstance.ts).
let instance: ConsoleInstance | undefined;
let page: Page;
let base: string;
let adminKey: string;

const shot = (name: string) => instance!.shot(name);

beforeAll(async () => {
  instance = await startConsoleInstance();
  ({ page, base, adminKey } = instance);
}, 60_000);

afterAll(async () => {
  await instance?.stop();
});

describe('the console in headless Chromium', () => {
  it('signs in with the admin key, shows the demo tenant, dry-runs, syncs, and searches the run’s changes', async () => {
    // Signed out: the sign-in form, under a CSP with a nonce and the other security headers.
    const first = await page.goto(`${base}/api/console`);
    expect(first?.status()).toBe(200);
    const headers = first!.headers();
    expect(headers['content-security-policy']).toMatch(/script-src 'nonce-[^']+'/);
    expect(headers['content-security-policy']).toContain("frame-ancestors 'none'");
    expect(headers).toMatchObject({ 'x-content-type-options': 'nosniff', 'cache-control': 'no-store' });
    await expect(page.getByLabel('Admin key').isVisible()).resolves.toBe(true);
    await shot('01-sign-in');

    // A wrong key: the form again, 401, the error announced.
    await page.getByLabel('Admin key').fill('not-the-key-at-all');
    const [wrong] = await Promise.all([
      page.waitForResponse((r) => r.url().endsWith('/api/console/session')),
      page.getByRole('button', { name: 'Sign in' }).click(),
    ]);
    expect(wrong.status()).toBe(401);
    await expect(page.getByRole('alert').textContent()).resolves.toContain('not the admin key');
    await shot('02-wrong-key');

    // The right key: a session cookie (HttpOnly, Strict, console path only), then the tenants.
    await page.getByLabel('Admin key').fill(adminKey);
    await Promise.all([page.waitForURL(`${base}/api/console`), page.getByRole('button', { name: 'Sign in' }).click()]);
    const cookie = (await page.context().cookies()).find((c) => c.name === 'console_session');
    expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Strict', path: '/api/console' });
    expect(page.url()).not.toContain(adminKey);
    await page.getByRole('link', { name: 'demo' }).waitFor();
    await shot('03-tenants');

    // The demo tenant: connection, one card per feature, Sync now and Dry run.
    await Promise.all([page.waitForURL('**/api/console/tenants/demo'), page.getByRole('link', { name: 'demo' }).click()]);
    await page.getByRole('heading', { name: /^users/ }).waitFor();
    expect(await page.locator('article.card').count()).toBeGreaterThanOrEqual(5);
    await shot('04-tenant');
    // A phone's width: one column of cards, nothing cut off sideways.
    await page.setViewportSize({ width: 390, height: 844 });
    expect(await page.evaluate(() => (globalThis as unknown as { innerWidth: number }).innerWidth)).toBe(390);
    await shot('04-tenant-phone');
    await page.setViewportSize({ width: 1100, height: 900 });

    // Dry run: the plan, and that nothing was written.
    await Promise.all([page.waitForURL('**/dry-run'), page.getByRole('button', { name: 'Dry run' }).click()]);
    await expect(page.locator('main').textContent()).resolves.toContain('Nothing was written');
    await page.getByRole('heading', { name: 'users', exact: true }).waitFor();
    await shot('05-dry-run');

    // Keyboard only: Tab from the top of the tenant page to Sync now, Enter; the run page reloads until it is done.
    await page.goto(`${base}/api/console/tenants/demo`);
    let focused = '';
    for (let tab = 0; tab < 15 && focused !== 'Sync now'; tab++) {
      await page.keyboard.press('Tab');
      focused = ((await page.locator(':focus').first().textContent()) ?? '').trim();
    }
    expect(focused).toBe('Sync now');
    await Promise.all([page.waitForURL(/\/api\/console\/tenants\/demo\/runs\/\d{13}-[0-9a-f]{8}$/), page.keyboard.press('Enter')]);
    await page.locator('#run-status', { hasText: 'succeeded' }).waitFor({ timeout: 30_000 });
    await shot('06-run-succeeded');

    // The run's change list: every user of the demo, searchable and filterable by outcome.
    const rows = page.locator('section[aria-labelledby="changes"] tbody tr');
    expect(await rows.count()).toBeGreaterThan(5);
    const label = (await rows.first().locator('td').first().textContent())!.trim();
    const needle = label.slice(0, Math.min(label.length, 8));
    await page.getByLabel('Search (name, id or extension)').fill(needle);
    await Promise.all([page.waitForURL(/q=/), page.getByRole('button', { name: 'Search' }).click()]);
    const found = await rows.locator('td:first-child').allTextContents();
    expect(found.length).toBeGreaterThan(0);
    for (const text of found) expect(text.toLowerCase()).toContain(needle.toLowerCase());
    await shot('07-changes-search');
    await page.getByLabel('Outcome').selectOption('failed');
    await Promise.all([page.waitForURL(/outcome=failed/), page.getByRole('button', { name: 'Search' }).click()]);
    await expect(page.locator('main').textContent()).resolves.toContain('No changes match');
    await shot('08-changes-failed-only');
  });

  it('shows a long sync’s progress while it runs: a bar, done of about the total, the rate, the time left', async () => {
    // 500 more people in Microsoft 365 whose change notifications are lost (so no delta run takes them first), and a
    // slow PBX (150 ms an answer): the operator's Sync now has a while to go.
    const post = async (url: string, body: unknown) => {
      const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
      expect(res.status, await res.text()).toBeLessThan(300);
    };
    await post(`${instance!.graphSandbox}/_sandbox/notifications/faults`, { dropNext: 10_000 });
    for (let batch = 0; batch < 10; batch++)
      await Promise.all(
        Array.from({ length: 50 }, (_, k) => {
          const n = batch * 50 + k + 1;
          return post(`${instance!.graphSandbox}/_sandbox/users`, {
            displayName: `Progress Person ${n}`,
            givenName: 'Progress',
            surname: `Person ${n}`,
            mail: `progress.${n}@contoso.example`,
            userPrincipalName: `progress.${n}@contoso.example`,
          });
        }),
      );
    await post(`${instance!.pbxSandbox}/_sandbox/latency`, { ms: 150 });
    try {
      await page.goto(`${base}/api/console/tenants/demo`);
      await Promise.all([page.waitForURL(/\/runs\/\d{13}-[0-9a-f]{8}$/), page.getByRole('button', { name: 'Sync now' }).click()]);
      // The page reloads itself every 2 seconds; once a page of users is done the progress shows, with a bar.
      // Read it between reloads (a read during one is retried), until it shows a total or the run ends.
      let text = '';
      let barMax: string | null = null;
      for (const until = Date.now() + 90_000; Date.now() < until && !/items done of about \d+/.test(text);) {
        await new Promise((resolve) => setTimeout(resolve, 500));
        const read = await page
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
      expect(text).toContain("The total is Microsoft 365's count of users.");
      expect(barMax).toBe(total);
      await post(`${instance!.pbxSandbox}/_sandbox/latency`, { ms: 0 });
      await page.locator('#run-status', { hasText: 'succeeded' }).waitFor({ timeout: 120_000 });
      // Finished: no progress line any more, the counts instead.
      expect(await page.locator('#run-progress').count()).toBe(0);
      await expect(page.locator('dl.panel').textContent()).resolves.toMatch(/created \d{3}/);
    } finally {
      await post(`${instance!.pbxSandbox}/_sandbox/latency`, { ms: 0 });
    }
  }, 240_000);

  it('refuses a post without the CSRF token (403) and signs out', async () => {
    const refused = await page.request.post(`${base}/api/console/tenants/demo/sync`, { form: { csrf: 'forged' } });
    expect(refused.status()).toBe(403);
    await page.goto(`${base}/api/console`);
    await Promise.all([page.waitForURL(`${base}/api/console`), page.getByRole('button', { name: 'Sign out' }).click()]);
    await page.getByLabel('Admin key').waitFor();
    await shot('09-signed-out');
  });
});
