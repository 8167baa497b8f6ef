import { describe, expect, it } from 'vitest';
import { useConsoleInstance } from './consoleInstance';

// Pause / resume and disconnect in real headless Chromium against `npm start`'s stack (consoleInstance.ts): what a
// person sees at each step, on the demo tenant over both sandboxes.
const stack = useConsoleInstance();

const shot = (name: string) => stack.shot(name);
const main = () => stack.page.locator('main');

/** The run page Sync now or Resume opened (or linked), followed until the run has finished. */
async function runSucceeded() {
  await stack.page.locator('#run-status', { hasText: 'succeeded' }).waitFor({ timeout: 60_000 });
}

describe('pausing, resuming and disconnecting in headless Chromium', () => {
  it('pauses user sync keeping the extensions, is warned before resuming, resumes with adoption: no second extension', async () => {
    await stack.page.goto(`${stack.base}/api/console`);
    await stack.page.getByLabel('Admin key').fill(stack.adminKey);
    await Promise.all([stack.page.waitForURL(`${stack.base}/api/console`), stack.page.getByRole('button', { name: 'Sign in' }).click()]);
    await Promise.all([stack.page.waitForURL('**/api/console/tenants/demo'), stack.page.getByRole('link', { name: 'demo' }).click()]);
    // Users synced first, so there are extensions to keep.
    await Promise.all([stack.page.waitForURL(/\/runs\//), stack.page.getByRole('button', { name: 'Sync now' }).click()]);
    await runSucceeded();
    await stack.page.goto(`${stack.base}/api/console/tenants/demo`);

    // Pause…: the choice first; the preview counts what would happen, nothing done yet.
    await Promise.all([stack.page.waitForURL('**/features/users/pause'), stack.page.getByRole('link', { name: 'Pause users' }).click()]);
    await shot('20-pause-choice');
    // Without a choice the browser does not post (the radios are required).
    await stack.page.getByRole('button', { name: 'Show what this will do' }).click();
    expect(stack.page.url()).toMatch(/\/features\/users\/pause$/);
    await stack.page.getByRole('radio', { name: /^Retain/ }).check();
    await Promise.all([
      stack.page.waitForResponse((r) => r.url().endsWith('/features/users/pause') && r.request().method() === 'POST'),
      stack.page.getByRole('button', { name: 'Show what this will do' }).click(),
    ]);
    const counts = (await stack.page.locator('#pause-counts').textContent())!.replace(/\s+/g, ' ');
    const kept = Number(/(\d+) will be handed over/.exec(counts)?.[1]);
    expect(counts).toContain('0 extensions will be deleted');
    expect(kept).toBeGreaterThan(5);
    await expect(main().textContent()).resolves.toContain('Nothing has been done yet');
    await shot('21-pause-preview');

    await stack.page.getByRole('button', { name: 'Pause users', exact: true }).click();
    await stack.page.getByRole('heading', { name: /users of demo is paused/ }).waitFor();
    await expect(stack.page.locator('#pause-result').textContent()).resolves.toMatch(
      new RegExp(`0\\s+extensions deleted, ${kept}\\s+handed over`),
    );
    await shot('22-paused');

    // The users card is off with a Resume button; resuming warns that the kept extensions would get a twin.
    await stack.page.getByRole('link', { name: 'Back to demo' }).click();
    await stack.page.getByRole('button', { name: 'Resume users' }).click();
    await stack.page.getByRole('heading', { name: /Resume users of demo\?/ }).waitFor();
    await expect(stack.page.getByRole('alert').textContent()).resolves.toMatch(
      new RegExp(`handed ${kept} extension\\(s\\) over[\\s\\S]*adoptByEmail`),
    );
    await shot('23-resume-warning');

    // As the warning says: adoption by e-mail on in Settings, then resume — no warning, and the run adopts them back.
    await Promise.all([stack.page.waitForURL('**/settings'), stack.page.getByRole('link', { name: 'Open Settings' }).click()]);
    await stack.page.locator('#f-users-adoptByEmail').check();
    await Promise.all([
      stack.page.waitForURL('**/api/console/tenants/demo?notice=saved'),
      stack.page.getByRole('button', { name: 'Save', exact: true }).click(),
    ]);
    await stack.page.getByRole('button', { name: 'Resume users' }).click();
    await stack.page.getByRole('heading', { name: /users of demo is on again/ }).waitFor();
    await shot('24-resumed');
    await stack.page.getByRole('link', { name: 'follow it' }).click();
    await runSucceeded();
    const summary = (await stack.page.locator('dl.panel').textContent())!.replace(/\s+/g, ' ');
    expect(summary).toContain(`adopted ${kept}`);
    expect(summary).toMatch(/created 0,/);
    await shot('25-resumed-run');

    // The audit trail names the signed-in person for each step.
    await stack.page.goto(`${stack.base}/api/console/tenants/demo/audit`);
    const actions = await stack.page.locator('tbody tr td:nth-child(3)').allTextContents();
    expect(actions.slice(0, 3)).toEqual(['feature.resume', 'tenant.update', 'feature.pause']);
    expect(await stack.page.locator('tbody tr').first().textContent()).toContain('local admin');
  });

  it('disconnects with retain once the tenant id is typed, after the counts per feature', async () => {
    await stack.page.goto(`${stack.base}/api/console/tenants/demo`);
    await Promise.all([stack.page.waitForURL('**/demo/disconnect'), stack.page.getByRole('link', { name: 'Disconnect…' }).click()]);
    await stack.page.getByRole('radio', { name: /^Retain/ }).check();
    await Promise.all([
      stack.page.waitForURL('**/demo/disconnect'),
      stack.page.getByRole('button', { name: 'Show what this will do' }).click(),
    ]);
    const table = stack.page.locator('#disconnect-counts');
    await table.waitFor();
    const usersRow = (await table.locator('tr', { has: stack.page.getByRole('rowheader', { name: 'users' }) }).textContent())!;
    expect(usersRow.replace(/\s+/g, ' ')).toMatch(/users 0 extensions [1-9]\d* /);
    await shot('26-disconnect-preview');

    // A mistyped id: refused next to the field, nothing done.
    await stack.page.getByLabel('Type the tenant id, demo, to confirm').fill('dmeo');
    const [refused] = await Promise.all([
      stack.page.waitForResponse((r) => r.url().endsWith('/demo/disconnect') && r.request().method() === 'POST'),
      stack.page.getByRole('button', { name: /^Disconnect demo/ }).click(),
    ]);
    expect(refused.status()).toBe(422);
    await expect(stack.page.getByRole('alert').textContent()).resolves.toContain('That is not demo');
    await shot('27-disconnect-mistyped');

    await stack.page.getByLabel('Type the tenant id, demo, to confirm').fill('demo');
    await stack.page.getByRole('button', { name: /^Disconnect demo/ }).click();
    await stack.page.getByRole('heading', { name: 'demo is disconnected' }).waitFor();
    await shot('28-disconnected');
    await stack.page.getByRole('link', { name: 'Back to the tenants' }).click();
    await stack.page.getByRole('heading', { name: 'Tenants' }).waitFor();
    expect(await stack.page.getByRole('link', { name: 'demo', exact: true }).count()).toBe(0);
  });
});
