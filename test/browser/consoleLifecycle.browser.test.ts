import { type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ConsoleInstance, startConsoleInstance } from './consoleInstance';

// Pause / resume and disconnect in real headless Chromium against `npm start`'s stack (consoleInstance.ts): what a
// person sees at each step, on the demo tenant over both sandboxes.
let instance: ConsoleInstance | undefined;
let page: Page;
let base: string;

const shot = (name: string) => instance!.shot(name);
const main = () => page.locator('main');

beforeAll(async () => {
  instance = await startConsoleInstance();
  ({ page, base } = instance);
}, 60_000);

afterAll(async () => {
  await instance?.stop();
});

/** The run page Sync now or Resume opened (or linked), followed until the run has finished. */
async function runSucceeded() {
  await page.locator('#run-status', { hasText: 'succeeded' }).waitFor({ timeout: 60_000 });
}

describe('pausing, resuming and disconnecting in headless Chromium', () => {
  it('pauses user sync keeping the extensions, is warned before resuming, resumes with adoption: no second extension', async () => {
    await page.goto(`${base}/api/console`);
    await page.getByLabel('Admin key').fill(instance!.adminKey);
    await Promise.all([page.waitForURL(`${base}/api/console`), page.getByRole('button', { name: 'Sign in' }).click()]);
    await Promise.all([page.waitForURL('**/api/console/tenants/demo'), page.getByRole('link', { name: 'demo' }).click()]);
    // Users synced first, so there are extensions to keep.
    await Promise.all([page.waitForURL(/\/runs\//), page.getByRole('button', { name: 'Sync now' }).click()]);
    await runSucceeded();
    await page.goto(`${base}/api/console/tenants/demo`);

    // Pause…: the choice first; the preview counts what would happen, nothing done yet.
    await Promise.all([page.waitForURL('**/features/users/pause'), page.getByRole('link', { name: 'Pause users' }).click()]);
    await shot('20-pause-choice');
    // Without a choice the browser does not post (the radios are required).
    await page.getByRole('button', { name: 'Show what this will do' }).click();
    expect(page.url()).toMatch(/\/features\/users\/pause$/);
    await page.getByRole('radio', { name: /^Retain/ }).check();
    await Promise.all([
      page.waitForResponse((r) => r.url().endsWith('/features/users/pause') && r.request().method() === 'POST'),
      page.getByRole('button', { name: 'Show what this will do' }).click(),
    ]);
    const counts = (await page.locator('#pause-counts').textContent())!.replace(/\s+/g, ' ');
    const kept = Number(/(\d+) will be handed over/.exec(counts)?.[1]);
    expect(counts).toContain('0 extensions will be deleted');
    expect(kept).toBeGreaterThan(5);
    await expect(main().textContent()).resolves.toContain('Nothing has been done yet');
    await shot('21-pause-preview');

    await page.getByRole('button', { name: 'Pause users', exact: true }).click();
    await page.getByRole('heading', { name: /users of demo is paused/ }).waitFor();
    await expect(page.locator('#pause-result').textContent()).resolves.toMatch(
      new RegExp(`0\\s+extensions deleted, ${kept}\\s+handed over`),
    );
    await shot('22-paused');

    // The users card is off with a Resume button; resuming warns that the kept extensions would get a twin.
    await page.getByRole('link', { name: 'Back to demo' }).click();
    await page.getByRole('button', { name: 'Resume users' }).click();
    await page.getByRole('heading', { name: /Resume users of demo\?/ }).waitFor();
    await expect(page.getByRole('alert').textContent()).resolves.toMatch(
      new RegExp(`handed ${kept} extension\\(s\\) over[\\s\\S]*adoptByEmail`),
    );
    await shot('23-resume-warning');

    // As the warning says: adoption by e-mail on in Settings, then resume — no warning, and the run adopts them back.
    await Promise.all([page.waitForURL('**/settings'), page.getByRole('link', { name: 'Open Settings' }).click()]);
    await page.locator('#f-users-adoptByEmail').check();
    await Promise.all([
      page.waitForURL('**/api/console/tenants/demo?notice=saved'),
      page.getByRole('button', { name: 'Save', exact: true }).click(),
    ]);
    await page.getByRole('button', { name: 'Resume users' }).click();
    await page.getByRole('heading', { name: /users of demo is on again/ }).waitFor();
    await shot('24-resumed');
    await page.getByRole('link', { name: 'follow it' }).click();
    await runSucceeded();
    const summary = (await page.locator('dl.panel').textContent())!.replace(/\s+/g, ' ');
    expect(summary).toContain(`adopted ${kept}`);
    expect(summary).toMatch(/created 0,/);
    await shot('25-resumed-run');

    // The audit trail names the signed-in person for each step.
    await page.goto(`${base}/api/console/tenants/demo/audit`);
    const actions = await page.locator('tbody tr td:nth-child(3)').allTextContents();
    expect(actions.slice(0, 3)).toEqual(['feature.resume', 'tenant.update', 'feature.pause']);
    expect(await page.locator('tbody tr').first().textContent()).toContain('local admin');
  });

  it('disconnects with retain once the tenant id is typed, after the counts per feature', async () => {
    await page.goto(`${base}/api/console/tenants/demo`);
    await Promise.all([page.waitForURL('**/demo/disconnect'), page.getByRole('link', { name: 'Disconnect…' }).click()]);
    await page.getByRole('radio', { name: /^Retain/ }).check();
    await Promise.all([page.waitForURL('**/demo/disconnect'), page.getByRole('button', { name: 'Show what this will do' }).click()]);
    const table = page.locator('#disconnect-counts');
    await table.waitFor();
    const usersRow = (await table.locator('tr', { has: page.getByRole('rowheader', { name: 'users' }) }).textContent())!;
    expect(usersRow.replace(/\s+/g, ' ')).toMatch(/users 0 extensions [1-9]\d* /);
    await shot('26-disconnect-preview');

    // A mistyped id: refused next to the field, nothing done.
    await page.getByLabel('Type the tenant id, demo, to confirm').fill('dmeo');
    const [refused] = await Promise.all([
      page.waitForResponse((r) => r.url().endsWith('/demo/disconnect') && r.request().method() === 'POST'),
      page.getByRole('button', { name: /^Disconnect demo/ }).click(),
    ]);
    expect(refused.status()).toBe(422);
    await expect(page.getByRole('alert').textContent()).resolves.toContain('That is not demo');
    await shot('27-disconnect-mistyped');

    await page.getByLabel('Type the tenant id, demo, to confirm').fill('demo');
    await page.getByRole('button', { name: /^Disconnect demo/ }).click();
    await page.getByRole('heading', { name: 'demo is disconnected' }).waitFor();
    await shot('28-disconnected');
    await page.getByRole('link', { name: 'Back to the tenants' }).click();
    await page.getByRole('heading', { name: 'Tenants' }).waitFor();
    expect(await page.getByRole('link', { name: 'demo', exact: true }).count()).toBe(0);
  });
});
