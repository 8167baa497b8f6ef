import { beforeAll, describe, expect, it } from 'vitest';
import { generateUsers } from '../../sandbox/graph/generateUsers';
import { ConsoleGate } from '../../shared/console/consoleGate';
import { localConsoleSettings } from '../../shared/console/consoleSettings';
import { createSandboxTenant } from '../support/sandboxTenant';
import { useSandboxes } from '../support/useSandboxes';
import { collapseSpace, consoleCaller } from '../support/consoleCall';

const ADMIN_KEY = 'k'.repeat(43);
const sandboxes = useSandboxes();
let services: Awaited<ReturnType<typeof createSandboxTenant>>['services'];
const gate = new ConsoleGate(localConsoleSettings(ADMIN_KEY));

/** Forms are posted from the console's own origin, as the browser does. */
const call = consoleCaller(
  () => services,
  () => gate,
  { formOrigin: 'http://localhost:7071', normalize: (text) => collapseSpace(text).replace(/ (\/?)>/g, '$1>') },
);

const cookieOf = (setCookie: string | undefined) => setCookie?.split(';')[0] ?? '';
const hidden = (body: string, name: string) =>
  new RegExp(`name="${name}" value="([^"]*)"`)
    .exec(body)?.[1]
    ?.replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'");

async function signIn(): Promise<string> {
  const form = await call('consoleHome');
  const answer = await call('consoleSignIn', {
    form: new URLSearchParams({ key: ADMIN_KEY, csrf: hidden(form.body, 'csrf')! }),
    cookie: cookieOf(form.headers['set-cookie']),
  });
  return cookieOf(answer.headers['set-cookie']);
}

/** The settings form as a browser would post it: every field's current value (checked boxes, chosen options, enabled fieldsets). */
function formOf(body: string): URLSearchParams {
  const form = new URLSearchParams();
  // Inactive variants are disabled fieldsets: their controls are not submitted.
  const active = body.replace(/<fieldset class="variant"[^>]* hidden disabled>.*?<\/fieldset>/g, '');
  const decode = (t: string) =>
    t
      .replace(/&quot;/g, '"')
      .replace(/&#39;/g, "'")
      .replace(/&lt;/g, '<')
      .replace(/&gt;/g, '>')
      .replace(/&amp;/g, '&');
  for (const m of active.matchAll(/<input ([^>]*)\/>/g)) {
    const attrs = m[1]!;
    const name = /name="([^"]+)"/.exec(attrs)?.[1];
    if (!name) continue;
    const value = decode(/value="([^"]*)"/.exec(attrs)?.[1] ?? 'on');
    if (/type="checkbox"/.test(attrs) && !/ checked/.test(attrs)) continue;
    form.append(name, value);
  }
  for (const m of active.matchAll(/<select [^>]*name="([^"]+)"[^>]*>(.*?)<\/select>/g)) {
    const selected = /<option value="([^"]*)" selected>/.exec(m[2]!)?.[1] ?? /<option value="([^"]*)"/.exec(m[2]!)?.[1] ?? '';
    form.append(m[1]!, decode(selected));
  }
  for (const m of active.matchAll(/<textarea [^>]*name="([^"]+)"[^>]*>(.*?)<\/textarea>/gs)) form.append(m[1]!, decode(m[2]!));
  return form;
}

let cookie: string;

beforeAll(async () => {
  sandboxes.graph.seed(generateUsers(6));
  ({ services } = await createSandboxTenant(sandboxes, 'contoso'));
  cookie = await signIn();
});

describe('the console’s settings form', () => {
  it('shows the stored configuration in fields named by their JSON paths, with the ETag and a CSRF token', async () => {
    const page = await call('consoleSettings', { params: { id: 'contoso' }, cookie });
    expect(page.status).toBe(200);
    const stored = (await services.tenants.get('contoso'))!;
    expect(hidden(page.body, 'etag')).toBe(stored.etag);
    expect(page.body).toContain('name="displayName" type="text" value="Contoso Demo (sandbox)"');
    expect(page.body).toContain('<option value="ALL" selected>');
    expect(page.body).toContain('<label for="f-users-numbering-start--fromStart">Start</label>');
    // The page's own script and style run under the answer's nonce.
    const nonce = /script-src 'nonce-([^']+)'/.exec(page.headers['content-security-policy']!)![1]!;
    expect(page.body.split(`<script nonce="${nonce}">`).length - 1).toBe(2);
    expect(page.body).toContain(`<style nonce="${nonce}">`);
    // The tenant page links to it.
    expect((await call('consoleTenant', { params: { id: 'contoso' }, cookie })).body).toContain(
      'href="/api/console/tenants/contoso/settings"',
    );
  });

  it('answers a bad value with the form again (422): the error next to its field and in the summary, nothing stored', async () => {
    const page = await call('consoleSettings', { params: { id: 'contoso' }, cookie });
    const before = (await services.tenants.get('contoso'))!;
    const form = formOf(page.body);
    form.set('users.numbering.start', 'abc');
    form.set('schedule.cron', '* *');
    form.set('action', 'save');
    const answer = await call('consoleSettingsPost', { params: { id: 'contoso' }, form, cookie });
    expect(answer.status).toBe(422);
    expect(answer.body).toMatch(
      /<input id="f-users-numbering-start--fromStart" name="users.numbering.start" type="text" value="abc"[^>]*aria-describedby="f-users-numbering-start--fromStart-hint f-users-numbering-start--fromStart-error" aria-invalid="true"/,
    );
    expect(answer.body).toMatch(
      /<p class="field-error" id="f-users-numbering-start--fromStart-error"><span class="skip">Error:<\/span>[^<]+<\/p>/,
    );
    expect(answer.body).toContain('id="f-schedule-cron-error"');
    expect(answer.body).toContain('<div class="error" id="error-summary" role="alert"');
    expect(answer.body).toContain('<a href="#f-users-numbering-start--fromStart">users.numbering.start:');
    expect((await services.tenants.get('contoso'))!.etag).toBe(before.etag);
  });

  it('previews a change with a dry run of the proposed configuration and stores nothing', async () => {
    const page = await call('consoleSettings', { params: { id: 'contoso' }, cookie });
    const before = (await services.tenants.get('contoso'))!;
    const preview = async (form: URLSearchParams) => {
      form.set('action', 'preview');
      const answer = await call('consoleSettingsPost', { params: { id: 'contoso' }, form, cookie });
      expect(answer.status).toBe(200);
      expect(answer.body).toContain('Nothing was saved or written.');
      const creates = /<h4>Would create \((\d+)\)<\/h4><ul class="plain">(.*?)<\/ul>/.exec(answer.body)!;
      return { body: answer.body, count: Number(creates[1]), who: [...creates[2]!.matchAll(/<li>([^<]+)<\/li>/g)].map((m) => m[1]!) };
    };
    const asStored = await preview(formOf(page.body));
    expect(asStored.count).toBeGreaterThan(1);
    expect(asStored.body).toContain(`<p>Create ${asStored.count}, update 0, disable 0, delete 0;`);
    // The proposed scope leaves one user out: the plan is made with it, not with the stored one.
    const form = formOf(page.body);
    form.set('users.scope.mode', 'EXCLUDE');
    form.set('users.scope.users', asStored.who[0]!);
    const excluding = await preview(form);
    expect(excluding.count).toBe(asStored.count - 1);
    expect(excluding.who).not.toContain(asStored.who[0]);
    // The form keeps what was typed, the chosen variant open.
    expect(excluding.body).toContain('<option value="EXCLUDE" selected>');
    expect(excluding.body).toContain(`${asStored.who[0]}</textarea>`);
    const after = (await services.tenants.get('contoso'))!;
    expect(after.etag).toBe(before.etag);
    expect(after.config.users.scope).toEqual({ mode: 'ALL' });
    expect(await services.runs.list('contoso', 10)).toEqual([]);
    expect(await services.links.listByTenant('contoso')).toEqual([]);
  });

  it('saves through PUT tenant with the form’s ETag and redirects to the tenant page with a notice', async () => {
    const page = await call('consoleSettings', { params: { id: 'contoso' }, cookie });
    const form = formOf(page.body);
    form.set('displayName', 'Contoso <Renamed>');
    form.set('users.numbering.start', '2000');
    form.set('action', 'save');
    const answer = await call('consoleSettingsPost', { params: { id: 'contoso' }, form, cookie });
    expect(answer.status).toBe(303);
    expect(answer.headers.location).toBe('/api/console/tenants/contoso?notice=saved');
    const saved = (await services.tenants.get('contoso'))!;
    expect(saved.config.displayName).toBe('Contoso <Renamed>');
    expect(saved.config.users.numbering).toEqual({ mode: 'fromStart', start: '2000', quarantineDays: 30 });
    const tenantPage = await call('consoleTenant', { params: { id: 'contoso' }, cookie, query: 'notice=saved' });
    expect(tenantPage.body).toContain('<p class="note" role="status">Settings saved.');
    expect(tenantPage.body).toContain('Contoso &lt;Renamed&gt;');
  });

  it('refuses a save with a stale ETag: the form again (409) with “changed by someone else”, nothing stored', async () => {
    const page = await call('consoleSettings', { params: { id: 'contoso' }, cookie });
    const current = (await services.tenants.get('contoso'))!;
    // Someone else saves in between.
    const theirs = await services.tenants.replace('contoso', { ...current.config, displayName: 'Theirs' }, current.etag);
    const form = formOf(page.body);
    form.set('displayName', 'Mine');
    form.set('action', 'save');
    const answer = await call('consoleSettingsPost', { params: { id: 'contoso' }, form, cookie });
    expect(answer.status).toBe(409);
    expect(answer.body).toContain('<strong>This tenant was changed by someone else</strong>');
    expect(answer.body).toContain('value="Mine"');
    const after = (await services.tenants.get('contoso'))!;
    expect(after.etag).toBe(theirs.etag);
    expect(after.config.displayName).toBe('Theirs');
  });

  it('refuses a post without the CSRF token (403) and changes nothing', async () => {
    const page = await call('consoleSettings', { params: { id: 'contoso' }, cookie });
    const before = (await services.tenants.get('contoso'))!;
    const form = formOf(page.body);
    form.delete('csrf');
    form.set('displayName', 'Forged');
    form.set('action', 'save');
    expect((await call('consoleSettingsPost', { params: { id: 'contoso' }, form, cookie })).status).toBe(403);
    form.set('csrf', 'forged');
    expect((await call('consoleSettingsPost', { params: { id: 'contoso' }, form, cookie })).status).toBe(403);
    expect((await services.tenants.get('contoso'))!.etag).toBe(before.etag);
  });

  it('creates a tenant from the new-tenant form, refusing an id in use', async () => {
    const page = await call('consoleNewTenant', { cookie });
    expect(page.status).toBe(200);
    expect(page.body).toContain('<label for="f-tenantId">Tenant id</label>');
    const form = formOf(page.body);
    form.set('tenantId', 'contoso');
    form.set('action', 'save');
    const taken = await call('consoleNewTenantPost', { form, cookie });
    expect(taken.status).toBe(422);
    expect(taken.body).toContain('a tenant with this id exists already');
    form.set('tenantId', 'fabrikam');
    form.set('displayName', 'Fabrikam');
    form.set('microsoft365.directoryId', '5f1c2d3e-4a5b-4c6d-8e7f-9a0b1c2d3e4f');
    form.set('microsoft365.applicationId', '0a1b2c3d-4e5f-4a6b-9c7d-8e9f0a1b2c3d');
    form.set('pbx.baseUrl', 'https://pbx.fabrikam.example:8887');
    form.set('pbx.domain', 'fabrikam.pbx');
    const created = await call('consoleNewTenantPost', { form, cookie });
    expect(created.status).toBe(303);
    expect(created.headers.location).toBe('/api/console/tenants/fabrikam?notice=created');
    expect((await services.tenants.get('fabrikam'))!.config.pbx).toMatchObject({ kind: 'portsip', domain: 'fabrikam.pbx' });
  });
});
