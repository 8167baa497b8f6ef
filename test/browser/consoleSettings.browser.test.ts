import { describe, expect, it } from 'vitest';
import { useConsoleInstance } from './consoleInstance';

// The settings page in real headless Chromium against `npm start`'s stack (consoleInstance.ts): its own stack,
// so the demo tenant can be changed freely.
const stack = useConsoleInstance();

const shot = (name: string) => stack.shot(name);
/** A demo user (sandbox/graph/demoCompany.ts) the startup sync has linked. */
const DEMO_USER = 'sofia.marino@contoso-demo.com';

describe('the console’s settings page in headless Chromium', () => {
  it('shows a bad value’s error next to its field, previews the fixed settings, and saves them', async () => {
    await stack.page.goto(`${stack.base}/api/console`);
    await stack.page.getByLabel('Admin key').fill(stack.adminKey);
    await Promise.all([stack.page.waitForURL(`${stack.base}/api/console`), stack.page.getByRole('button', { name: 'Sign in' }).click()]);
    await stack.page.getByRole('link', { name: 'demo' }).click();
    await Promise.all([
      stack.page.waitForURL('**/api/console/tenants/demo/settings'),
      stack.page.getByRole('link', { name: 'Settings' }).click(),
    ]);
    await stack.page.getByRole('heading', { name: 'Settings of demo' }).waitFor();
    await shot('10-settings');

    // A bad numbering start: saved, refused (422), the error next to the field and in the summary, which gets focus.
    const start = stack.page.locator('#f-users-numbering-start--fromStart');
    expect(await start.inputValue()).toBe('1000');
    await start.fill('abc');
    const [refused] = await Promise.all([
      stack.page.waitForResponse((r) => r.url().endsWith('/api/console/tenants/demo/settings') && r.request().method() === 'POST'),
      stack.page.getByRole('button', { name: 'Save', exact: true }).click(),
    ]);
    expect(refused.status()).toBe(422);
    await expect(start.getAttribute('aria-invalid')).resolves.toBe('true');
    const error = stack.page.locator('#f-users-numbering-start--fromStart-error');
    await expect(error.isVisible()).resolves.toBe(true);
    expect(await start.getAttribute('aria-describedby')).toContain('f-users-numbering-start--fromStart-error');
    expect(
      await stack.page.evaluate(() => (globalThis as unknown as { document: { activeElement: { id: string } } }).document.activeElement.id),
    ).toBe('error-summary');
    await shot('11-settings-error');
    // The summary's link takes focus to the field.
    await stack.page.locator('#error-summary a[href="#f-users-numbering-start--fromStart"]').click();
    expect(
      await stack.page.evaluate(() => (globalThis as unknown as { document: { activeElement: { id: string } } }).document.activeElement.id),
    ).toBe('f-users-numbering-start--fromStart');

    // Fixed, and one user left out of scope: the preview beside the form shows the plan, nothing saved.
    await start.fill('2000');
    await stack.page.locator('#f-users-scope-mode').selectOption('EXCLUDE');
    const excluded = stack.page.locator('#f-users-scope-users--EXCLUDE');
    await expect(excluded.isVisible()).resolves.toBe(true);
    await excluded.fill(DEMO_USER);
    const [previewed] = await Promise.all([
      stack.page.waitForResponse((r) => r.url().endsWith('/api/console/tenants/demo/settings') && r.request().method() === 'POST'),
      stack.page.getByRole('button', { name: 'Preview (nothing is saved)' }).click(),
    ]);
    expect(previewed.status()).toBe(200);
    const preview = stack.page.locator('aside.preview');
    await expect(preview.textContent()).resolves.toContain('Nothing was saved or written.');
    await preview.getByRole('heading', { name: 'users', exact: true }).waitFor();
    // Out of scope now, so the plan disables its extension (named by its object id: the user is no longer read).
    await expect(preview.textContent()).resolves.toMatch(/Would disable \(1\)\s+\S+ — fields: enabled \(user left the sync scope\)/);
    expect(await start.inputValue()).toBe('2000');
    await shot('12-settings-preview');

    // Saved: the tenant page with the notice, and the settings page shows the stored values.
    await Promise.all([
      stack.page.waitForURL('**/api/console/tenants/demo?notice=saved'),
      stack.page.getByRole('button', { name: 'Save', exact: true }).click(),
    ]);
    await expect(stack.page.getByRole('status').filter({ hasText: 'Settings saved' }).isVisible()).resolves.toBe(true);
    await shot('13-settings-saved');
    await stack.page.goto(`${stack.base}/api/console/tenants/demo/settings`);
    expect(await stack.page.locator('#f-users-numbering-start--fromStart').inputValue()).toBe('2000');
    expect(await stack.page.locator('#f-users-scope-mode').inputValue()).toBe('EXCLUDE');
  });

  it('shows which credentials are written and writes one, never showing it back', async () => {
    const { page } = stack;
    await page.goto(`${stack.base}/api/console/tenants/demo`);
    await Promise.all([page.waitForURL('**/demo/credentials'), page.getByRole('link', { name: 'Credentials' }).click()]);
    const pbxRow = page.getByRole('row', { name: /PBX credential/ });
    await expect(pbxRow.textContent()).resolves.toMatch(/written \d{4}-\d\d-\d\d/);
    await shot('14-credentials');

    // The password field is required: the browser does not post without it.
    await page.getByLabel('PortSIP tenant admin user name').fill('second.admin');
    await page.getByRole('button', { name: 'Save PBX credential' }).click();
    expect(page.url()).toMatch(/\/demo\/credentials$/);
    const secret = 'Typed#Secret-4711';
    await page.getByLabel('Password', { exact: true }).fill(secret);
    await Promise.all([
      page.waitForURL('**/demo/credentials?notice=pbx'),
      page.getByRole('button', { name: 'Save PBX credential' }).click(),
    ]);
    await expect(page.getByRole('status').filter({ hasText: 'PBX credential saved' }).isVisible()).resolves.toBe(true);
    expect(await page.content()).not.toContain(secret);
    expect(await page.getByLabel('Password', { exact: true }).inputValue()).toBe('');
    await shot('15-credentials-saved');
    await page.goto(`${stack.base}/api/console/tenants/demo/audit`);
    await expect(page.locator('tbody tr').first().textContent()).resolves.toMatch(/secret\.write[\s\S]*"credential":"pbx"/);
  });
});
