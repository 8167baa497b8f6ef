import { describe, expect, it } from 'vitest';
import { TenantConfigRequestSchema, StoredTenantConfigSchema } from '../../../shared/config/tenantConfigInputSchemas';
import { zodIssues } from '../../../shared/config/formatZodIssues';
import {
  IssueBook,
  defaultSettings,
  parseSettingsForm,
  renderSettingsFields,
  settingsFormValues,
  tenantSettingsFields,
  type FormField,
} from '../../../shared/console/settingsForm';
import { tenantConfigFixture, tenantConfigFixtureNames } from '../../fixtures/tenantConfigs/tenantConfigFixture';
import { expectedTenantConfigs } from '../../fixtures/tenantConfigs/expectedTenantConfigs';

const byPath = (fields: FormField[], path: string): FormField | undefined => {
  for (const field of fields) {
    if (field.path === path) return field;
    const inner =
      field.kind === 'object'
        ? byPath(field.fields, path)
        : field.kind === 'variants'
          ? byPath(
              field.variants.flatMap((v) => v.fields),
              path,
            )
          : undefined;
    if (inner) return inner;
  }
  return undefined;
};

/** The markup with runs of white space as one space and none next to tag edges: assertions about markup, not layout. */
const collapse = (text: string) =>
  text
    .replace(/\s+/g, ' ')
    .replace(/> /g, '>')
    .replace(/ </g, '<')
    .replace(/ (\/?)>/g, '$1>');

describe('the settings form’s fields, from TenantConfigSchema', () => {
  const fields = tenantSettingsFields();

  it('makes sections fieldsets, booleans checkboxes, enums selects, numbers bounded inputs, string lists textareas', () => {
    expect(byPath(fields, 'users')?.kind).toBe('object');
    expect(byPath(fields, 'enabled')?.kind).toBe('boolean');
    expect(byPath(fields, 'users.onDisabled')).toMatchObject({ kind: 'select', options: ['delete', 'disable', 'retain'] });
    expect(byPath(fields, 'pbx.rateLimitPerMinute')).toMatchObject({ kind: 'input', valueType: 'integer', min: 60, max: 1_000_000 });
    expect(byPath(fields, 'users.numbering.start')).toMatchObject({ kind: 'input', pattern: '^[1-9][0-9]{2,12}$' });
    expect(byPath(fields, 'users.scope.users')).toMatchObject({ kind: 'lines', minItems: 1 });
    expect(byPath(fields, 'groups.scope.types')).toMatchObject({ kind: 'choices', options: ['SECURITY', 'MICROSOFT365'] });
    expect(byPath(fields, 'schemaVersion')?.kind).toBe('constant');
  });

  it('makes discriminated unions a select of the variant plus its fields, and lists of objects JSON', () => {
    const scope = byPath(fields, 'users.scope');
    expect(scope).toMatchObject({ kind: 'variants', key: 'mode' });
    expect(scope?.kind === 'variants' && scope.variants.map((v) => v.value)).toEqual(['ALL', 'INCLUDE', 'EXCLUDE', 'GROUPS']);
    const numbering = byPath(fields, 'users.numbering');
    expect(numbering?.kind === 'variants' && numbering.variants.map((v) => v.value)).toEqual(['fromStart', 'fromProperty']);
    expect(byPath(fields, 'pbx')).toMatchObject({ kind: 'variants', key: 'kind' });
    expect(byPath(fields, 'presence.rules')?.kind).toBe('json');
  });
});

describe('configuration → form → configuration', () => {
  it.each(tenantConfigFixtureNames)('round-trips the %s fixture exactly', (name) => {
    const stored = StoredTenantConfigSchema.parse(tenantConfigFixture(name));
    const form = settingsFormValues(stored);
    // Through text, as a browser posts it.
    const posted = new URLSearchParams(form.toString());
    const parsed = parseSettingsForm(posted);
    expect(parsed.issues).toEqual([]);
    expect(TenantConfigRequestSchema.parse(parsed.config)).toEqual(expectedTenantConfigs[name]);
  });

  it('starts a new tenant with the schema’s defaults and asks for the rest', () => {
    const values = settingsFormValues(defaultSettings());
    expect(values.get('users.numbering.mode')).toBe('fromStart');
    expect(values.get('users.numbering.start')).toBe('1000');
    expect(values.get('enabled')).toBe('on');
    expect(values.get('pbx.kind')).toBe('portsip');
    const result = TenantConfigRequestSchema.safeParse(parseSettingsForm(values).config);
    const paths = result.success ? [] : zodIssues(result.error).map((i) => i.path);
    expect(paths).toEqual(expect.arrayContaining(['displayName', 'microsoft365.directoryId', 'pbx.baseUrl', 'pbx.domain']));
  });

  it('reads a number as typed, so the schema’s message lands on the field; bad JSON is an issue of its own', () => {
    const values = settingsFormValues(StoredTenantConfigSchema.parse(tenantConfigFixture('minimal')));
    values.set('pbx.maxConcurrency', 'lots');
    values.set('users.numbering.start', 'abc');
    values.set('presence.rules', '[{');
    values.delete('users.enabled');
    const parsed = parseSettingsForm(values);
    expect(parsed.issues).toEqual([{ path: 'presence.rules', message: expect.stringMatching(/^is not valid JSON/) }]);
    expect((parsed.config.users as { enabled: boolean }).enabled).toBe(false);
    const result = TenantConfigRequestSchema.safeParse(parsed.config);
    expect(result.success).toBe(false);
    const paths = zodIssues(result.error!).map((i) => i.path);
    expect(paths).toEqual(expect.arrayContaining(['pbx.maxConcurrency', 'users.numbering.start']));
  });

  it('leaves an optional section out when it is left empty, and keeps it when it is filled', () => {
    const values = settingsFormValues(StoredTenantConfigSchema.parse(tenantConfigFixture('minimal')));
    expect(values.get('microsoft365.applicationObjectId')).toBeNull();
    const empty = parseSettingsForm(
      new URLSearchParams([...values, ['users.outboundCallerId.property', ''], ['users.outboundCallerId.providerId', '']]),
    );
    expect((empty.config.users as Record<string, unknown>).outboundCallerId).toBeUndefined();
    values.set('users.outboundCallerId.property', 'businessPhones');
    values.set('users.outboundCallerId.providerId', 'trunk-1');
    values.set('users.outboundCallerId.defaultCountry', 'DE');
    const filled = TenantConfigRequestSchema.parse(parseSettingsForm(values).config);
    expect(filled.users.outboundCallerId).toEqual({ property: 'businessPhones', providerId: 'trunk-1', defaultCountry: 'DE' });
  });
});

describe('the form’s markup', () => {
  const stored = StoredTenantConfigSchema.parse(tenantConfigFixture('full')) as Record<string, unknown>;

  it('labels every control, ties hints with aria-describedby, and shows only the chosen variant', () => {
    const markup = collapse(renderSettingsFields(settingsFormValues(stored), new IssueBook([])).text);
    const ids = [...markup.matchAll(/<(?:input|select|textarea) id="([^"]+)"/g)].map((m) => m[1]!);
    expect(ids.length).toBeGreaterThan(40);
    for (const id of ids) expect(markup).toContain(`<label for="${id}">`);
    expect(new Set(ids).size).toBe(ids.length);
    expect(markup).toMatch(
      /<input id="f-pbx-maxConcurrency--portsip" name="pbx.maxConcurrency" type="number" value="4" min="1" max="64" step="1" aria-describedby="f-pbx-maxConcurrency--portsip-hint"/,
    );
    expect(markup).toContain('<p class="hint" id="f-pbx-maxConcurrency--portsip-hint">A whole number, from 1 to 64, default 8.</p>');
    expect(markup).toContain('<option value="INCLUDE" selected>');
    expect(markup).toMatch(/<fieldset class="variant" data-variant-of="f-users-scope-mode" data-variant="INCLUDE">/);
    expect(markup).toMatch(/<fieldset class="variant" data-variant-of="f-users-scope-mode" data-variant="EXCLUDE" hidden disabled>/);
    expect(markup).toContain('alice.smith@fabrikam.us\nbob.jones@fabrikam.us'.replace(/\n/g, ' '));
  });

  it('puts each issue next to its field (aria-invalid, aria-describedby) and records where it went', () => {
    const issues = new IssueBook([
      { path: 'users.numbering.start', message: 'Invalid <string>' },
      { path: 'users.scope.users.1', message: 'Too small' },
      { path: '(root)', message: 'odd' },
    ]);
    const values = settingsFormValues(stored);
    values.set('users.numbering.mode', 'fromStart');
    values.set('users.numbering.start', '"><script>');
    const markup = collapse(renderSettingsFields(values, issues).text);
    expect(markup).toContain('value="&quot;&gt;&lt;script&gt;"');
    expect(markup).toMatch(
      /<input id="f-users-numbering-start--fromStart" name="users.numbering.start" type="text" value="[^"]*" pattern="\[1-9\]\[0-9\]\{2,12\}" required aria-required="true" aria-describedby="f-users-numbering-start--fromStart-hint f-users-numbering-start--fromStart-error" aria-invalid="true"/,
    );
    expect(markup).toContain(
      '<p class="field-error" id="f-users-numbering-start--fromStart-error"><span class="skip">Error:</span>Invalid &lt;string&gt;</p>',
    );
    expect(markup).toContain('id="f-users-scope-users--INCLUDE-error"');
    expect(issues.placed.get(issues.issues[0]!)).toBe('f-users-numbering-start--fromStart');
    expect(issues.placed.has(issues.issues[2]!)).toBe(false);
  });
});
