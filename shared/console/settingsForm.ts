import { z } from 'zod';
import { TenantConfigSchema } from '../config/TenantConfig';
import { type FieldIssue } from '../config/formatZodIssues';
import { type SafeHtml, html, trustedHtml } from './html';

/**
 * The settings form of a tenant, generated from the JSON Schema of the same zod schema the admin API validates
 * with (`z.toJSONSchema(TenantConfigSchema, { io: 'input' })`), so a new option appears in the form without
 * touching the console. Pure: schema → fields, configuration → form values, form values → configuration (for
 * the schema to validate), fields + values + issues → markup. Field names are the options' JSON paths
 * (`users.scope.mode`), so a zod issue's path names the field it belongs to.
 */

/** The part of JSON Schema (draft 2020-12, as zod writes it) the form reads. */
export interface JsonSchema {
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  enum?: unknown[];
  const?: unknown;
  default?: unknown;
  oneOf?: JsonSchema[];
  anyOf?: JsonSchema[];
  items?: JsonSchema;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  exclusiveMaximum?: number;
  minLength?: number;
  maxLength?: number;
  pattern?: string;
  format?: string;
  minItems?: number;
  maxItems?: number;
  description?: string;
}

interface FieldBase {
  /** The option's JSON path: the field's name and the path of its zod issues. */
  path: string;
  label: string;
  description: string | undefined;
  /** Required by its parent object (no default to fall back on). */
  required: boolean;
  default: unknown;
}

/** One form control (or group of controls) per option. */
export type FormField =
  | (FieldBase & { kind: 'object'; fields: FormField[] })
  | (FieldBase & { kind: 'boolean' })
  | (FieldBase & { kind: 'select'; options: string[] })
  | (FieldBase & {
      kind: 'input';
      valueType: 'string' | 'number' | 'integer';
      inputType: 'text' | 'number' | 'url';
      min: number | undefined;
      max: number | undefined;
      minLength: number | undefined;
      maxLength: number | undefined;
      pattern: string | undefined;
    })
  /** A list of free strings: a textarea, one per line. */
  | (FieldBase & { kind: 'lines'; minItems: number | undefined; maxItems: number | undefined })
  /** A list of values from an enum: one checkbox each. */
  | (FieldBase & { kind: 'choices'; options: string[] })
  /** A discriminated union: a select of the variant (`<path>.<key>`), then the chosen variant's own fields. */
  | (FieldBase & { kind: 'variants'; key: string; variants: { value: string; fields: FormField[] }[] })
  /** Too deep for fields (e.g. a list of objects such as the presence rules): JSON in a textarea, validated the same way. */
  | (FieldBase & { kind: 'json' })
  /** A fixed value (schemaVersion): not shown, always sent. */
  | (FieldBase & { kind: 'constant'; value: unknown });

/** `rateLimitPerMinute` → "Rate limit per minute"; `microsoft365` stays as it is. */
export function labelOf(key: string): string {
  const words = key
    .replace(/([a-z])([A-Z])/g, '$1 $2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2')
    .toLowerCase()
    // Names people write their own way.
    .replace(/\burl\b/g, 'URL')
    .replace(/\bpbx\b/g, 'PBX')
    .replace(/\bmicrosoft365\b/g, 'Microsoft 365');
  return words.charAt(0).toUpperCase() + words.slice(1);
}

const typeOf = (schema: JsonSchema) => (Array.isArray(schema.type) ? schema.type.find((t) => t !== 'null') : schema.type);
const isScalarEnum = (schema: JsonSchema | undefined) =>
  schema !== undefined && Array.isArray(schema.enum) && schema.enum.every((v) => typeof v === 'string');

/** The property every variant of a union fixes with a `const` (`mode`, `kind`), or undefined when there is none. */
function discriminatorOf(variants: JsonSchema[]): string | undefined {
  const first = variants[0]?.properties;
  if (!first) return undefined;
  return Object.keys(first).find((key) =>
    variants.every((v) => typeOf(v) === 'object' && v.properties?.[key] !== undefined && typeof v.properties[key].const === 'string'),
  );
}

function fieldOf(key: string, path: string, schema: JsonSchema, required: boolean): FormField {
  const base: FieldBase = { path, label: labelOf(key), description: schema.description, required, default: schema.default };
  if (schema.const !== undefined) return { ...base, kind: 'constant', value: schema.const };
  const union = schema.oneOf ?? schema.anyOf;
  if (union) {
    const discriminator = discriminatorOf(union);
    if (!discriminator) return { ...base, kind: 'json' };
    return {
      ...base,
      kind: 'variants',
      key: discriminator,
      variants: union.map((variant) => ({
        value: variant.properties![discriminator]!.const as string,
        fields: objectFields(variant, path).filter((f) => f.path !== `${path}.${discriminator}`),
      })),
    };
  }
  if (isScalarEnum(schema)) return { ...base, kind: 'select', options: schema.enum as string[] };
  switch (typeOf(schema)) {
    case 'object':
      return { ...base, kind: 'object', fields: objectFields(schema, path) };
    case 'boolean':
      return { ...base, kind: 'boolean' };
    case 'array':
      if (isScalarEnum(schema.items)) return { ...base, kind: 'choices', options: schema.items!.enum as string[] };
      if (schema.items && typeOf(schema.items) === 'string' && !schema.items.oneOf && !schema.items.anyOf)
        return { ...base, kind: 'lines', minItems: schema.minItems, maxItems: schema.maxItems };
      return { ...base, kind: 'json' };
    case 'number':
    case 'integer':
    case 'string': {
      const valueType = typeOf(schema) as 'string' | 'number' | 'integer';
      return {
        ...base,
        kind: 'input',
        valueType,
        inputType: valueType === 'string' ? (schema.format === 'uri' ? 'url' : 'text') : 'number',
        min: schema.minimum ?? schema.exclusiveMinimum,
        max: schema.maximum ?? schema.exclusiveMaximum,
        minLength: schema.minLength,
        maxLength: schema.maxLength,
        pattern: schema.pattern,
      };
    }
    case undefined:
    default:
      // No type the form knows (e.g. a schema without `type`): edited as JSON, validated the same way.
      return { ...base, kind: 'json' };
  }
}

function objectFields(schema: JsonSchema, path: string): FormField[] {
  const required = new Set(schema.required ?? []);
  return Object.entries(schema.properties ?? {}).map(([key, inner]) =>
    fieldOf(key, path ? `${path}.${key}` : key, inner, required.has(key) && inner.default === undefined),
  );
}

/** The fields of a schema's top-level object (exported for tests; the console uses `tenantSettingsFields`). */
export function formFieldsOf(schema: JsonSchema): FormField[] {
  return objectFields(schema, '');
}

let tenantFields: FormField[] | undefined;

/** The tenant configuration's fields, from TenantConfigSchema's input JSON Schema (made once per process). */
export function tenantSettingsFields(): FormField[] {
  return (tenantFields ??= formFieldsOf(z.toJSONSchema(TenantConfigSchema, { io: 'input' }) as JsonSchema));
}

// ---------------------------------------------------------------------------------------------------------
// Configuration → form values (what the form shows), form values → configuration (what the schema validates).

const recordOf = (value: unknown): Record<string, unknown> | undefined =>
  value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;

function activeVariant(field: FormField & { kind: 'variants' }, chosen: string | null | undefined) {
  return field.variants.find((v) => v.value === chosen);
}

function writeValues(fields: FormField[], value: Record<string, unknown> | undefined, into: URLSearchParams): void {
  for (const field of fields) {
    const inner = value?.[field.path.slice(field.path.lastIndexOf('.') + 1)];
    switch (field.kind) {
      case 'object':
        writeValues(field.fields, recordOf(inner), into);
        break;
      case 'boolean':
        if (inner === true) into.set(field.path, 'on');
        break;
      case 'select':
      case 'input':
        if (typeof inner === 'string' || typeof inner === 'number') into.set(field.path, String(inner));
        break;
      case 'lines':
        if (Array.isArray(inner)) into.set(field.path, inner.map(String).join('\n'));
        break;
      case 'choices':
        if (Array.isArray(inner)) for (const item of inner) into.append(field.path, String(item));
        break;
      case 'variants': {
        const chosen = recordOf(inner)?.[field.key];
        const variant = activeVariant(field, typeof chosen === 'string' ? chosen : undefined);
        if (!variant) break;
        into.set(`${field.path}.${field.key}`, variant.value);
        writeValues(variant.fields, recordOf(inner), into);
        break;
      }
      case 'json':
        if (inner !== undefined) into.set(field.path, JSON.stringify(inner, null, 2));
        break;
      case 'constant':
        break;
    }
  }
}

/** The form values that show `config` (a stored configuration, or a skeleton of defaults for a new tenant). */
export function settingsFormValues(config: Record<string, unknown>, fields: FormField[] = tenantSettingsFields()): URLSearchParams {
  const values = new URLSearchParams();
  writeValues(fields, config, values);
  return values;
}

/** A configuration made of the schema's defaults only: what a new tenant's form starts with. */
export function defaultSettings(fields: FormField[] = tenantSettingsFields()): Record<string, unknown> {
  const build = (list: FormField[]): Record<string, unknown> => {
    const out: Record<string, unknown> = {};
    for (const field of list) {
      const key = field.path.slice(field.path.lastIndexOf('.') + 1);
      if (field.default !== undefined) out[key] = field.default;
      else if (field.kind === 'object') out[key] = build(field.fields);
      else if (field.kind === 'variants' && field.required) out[key] = { [field.key]: field.variants[0]!.value };
    }
    return out;
  };
  return build(fields);
}

const NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

/** What a submitted form says: the configuration to validate, and the problems found before validation (bad JSON). */
export interface ParsedSettingsForm {
  config: Record<string, unknown>;
  issues: FieldIssue[];
}

function readValue(field: FormField, form: URLSearchParams, issues: FieldIssue[]): unknown {
  const text = form.get(field.path);
  switch (field.kind) {
    case 'constant':
      return field.value;
    case 'object': {
      // An optional section left entirely empty (e.g. outbound caller id) is left out, not sent half-filled.
      const optional = !field.required && field.default === undefined;
      if (optional && ![...form].some(([name, text]) => name.startsWith(`${field.path}.`) && text.trim() !== '')) return undefined;
      return readObject(field.fields, form, issues);
    }
    case 'boolean':
      // An unchecked box is not submitted at all: absent means false.
      return text !== null;
    case 'select':
      return text === null || text === '' ? undefined : text;
    case 'input': {
      if (text === null) return undefined;
      const trimmed = text.trim();
      // Empty: the default applies, or (required) the schema says the field is missing.
      if (trimmed === '') return field.required && field.valueType === 'string' ? '' : undefined;
      if (field.valueType === 'string') return text;
      // Not a number: passed on as typed, so the schema's own message ("expected number") lands on the field.
      return NUMBER.test(trimmed) ? Number(trimmed) : text;
    }
    case 'lines': {
      if (text === null) return undefined;
      const lines = text
        .split(/\r?\n/)
        .map((line) => line.trim())
        .filter((line) => line !== '');
      return lines.length === 0 && !field.required && field.default === undefined ? undefined : lines;
    }
    case 'choices':
      return form.getAll(field.path);
    case 'variants': {
      const variant = activeVariant(field, form.get(`${field.path}.${field.key}`));
      if (!variant) return undefined;
      return { [field.key]: variant.value, ...readObject(variant.fields, form, issues) };
    }
    case 'json': {
      if (text === null || text.trim() === '') return undefined;
      try {
        return JSON.parse(text) as unknown;
      } catch (err) {
        issues.push({ path: field.path, message: `is not valid JSON (${(err as Error).message})` });
        return undefined;
      }
    }
  }
}

function readObject(fields: FormField[], form: URLSearchParams, issues: FieldIssue[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const field of fields) {
    const value = readValue(field, form, issues);
    if (value !== undefined) out[field.path.slice(field.path.lastIndexOf('.') + 1)] = value;
  }
  return out;
}

/** The configuration a submitted form describes (the inverse of settingsFormValues), before validation. */
export function parseSettingsForm(form: URLSearchParams, fields: FormField[] = tenantSettingsFields()): ParsedSettingsForm {
  const issues: FieldIssue[] = [];
  return { config: readObject(fields, form, issues), issues };
}

// ---------------------------------------------------------------------------------------------------------
// Markup.

/** Issues by field: each rendered field takes the issues at its path (leaves: and below it, e.g. a list's items). */
export class IssueBook {
  private readonly open: FieldIssue[];
  /** Issue → the id of the field it is shown next to (for the summary's links). */
  readonly placed = new Map<FieldIssue, string>();

  constructor(readonly issues: FieldIssue[]) {
    this.open = [...issues];
  }

  take(path: string, fieldId: string, below: boolean): FieldIssue[] {
    const taken = this.open.filter((i) => i.path === path || (below && i.path.startsWith(`${path}.`)));
    for (const issue of taken) {
      this.open.splice(this.open.indexOf(issue), 1);
      this.placed.set(issue, fieldId);
    }
    return taken;
  }
}

/** A field's element id: its path, plus the variant it belongs to (two variants may have a field of one name). */
export function fieldIdOf(path: string, variantTrail = ''): string {
  return `f-${path.replace(/[^A-Za-z0-9_-]/g, '-')}${variantTrail}`;
}

interface RenderContext {
  values: URLSearchParams;
  issues: IssueBook;
  /** Inside a variant that is not chosen: rendered (hidden, disabled) but takes no issues. */
  inactive: boolean;
  variantTrail: string;
}

/** Patterns the hint says in words rather than as a regular expression. */
const PATTERN_WORDS: Record<string, string> = {
  '^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$': 'a GUID (8-4-4-4-12 hexadecimal digits)',
  '^[A-Z]{2}$': 'two capital letters (ISO country code)',
};

function constraintsOf(field: FormField): string[] {
  const notes: string[] = [];
  if (field.kind === 'input') {
    if (field.valueType === 'integer') notes.push('A whole number');
    if (field.min !== undefined && field.max !== undefined) notes.push(`from ${field.min} to ${field.max}`);
    else if (field.min !== undefined) notes.push(`at least ${field.min}`);
    else if (field.max !== undefined) notes.push(`at most ${field.max}`);
    if (field.maxLength !== undefined) notes.push(`at most ${field.maxLength} characters`);
    if (field.pattern !== undefined) notes.push(PATTERN_WORDS[field.pattern] ?? `matching ${field.pattern}`);
    if (field.inputType === 'url') notes.push('a URL');
  }
  if (field.kind === 'lines') {
    notes.push('One per line');
    if (field.minItems) notes.push(`at least ${field.minItems}`);
    if (field.maxItems) notes.push(`at most ${field.maxItems}`);
  }
  if (field.kind === 'json') notes.push('JSON, validated like the API’s body');
  if (field.default !== undefined && field.kind !== 'object' && field.kind !== 'json' && field.kind !== 'variants') {
    notes.push(`default ${field.kind === 'boolean' ? (field.default ? 'on' : 'off') : JSON.stringify(field.default)}`);
  }
  if (!field.required && field.default === undefined && field.kind !== 'boolean' && field.kind !== 'object') notes.push('optional');
  return notes;
}

function hintOf(field: FormField, id: string): { markup: SafeHtml | string; id: string | undefined } {
  const constraints = constraintsOf(field);
  const text = [field.description, constraints.length ? `${constraints.join(', ')}.` : undefined].filter(Boolean).join(' ');
  if (!text) return { markup: '', id: undefined };
  return { markup: html`<p class="hint" id="${id}-hint">${capitalise(text)}</p>`, id: `${id}-hint` };
}

/** A textarea's content: the parser drops one newline right after `<textarea>`, so one goes first to keep the value's own. */
const textareaText = (value: string) => `\n${value}`;

const capitalise = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);

function errorsOf(issues: FieldIssue[], id: string): { markup: SafeHtml | string; id: string | undefined } {
  if (issues.length === 0) return { markup: '', id: undefined };
  return {
    markup: html`<p class="field-error" id="${id}-error">
      ${issues.map((i, k) => html`${k ? html`<br />` : ''}<span class="skip">Error: </span>${i.message}`)}
    </p>`,
    id: `${id}-error`,
  };
}

const describedBy = (...ids: (string | undefined)[]) => {
  const list = ids.filter(Boolean).join(' ');
  return list ? html` aria-describedby="${list}"` : '';
};
const invalid = (issues: FieldIssue[]) => (issues.length ? trustedHtml(' aria-invalid="true"') : '');

function renderField(field: FormField, ctx: RenderContext): SafeHtml | string {
  const id = fieldIdOf(field.path, ctx.variantTrail);
  const take = (below: boolean) => (ctx.inactive ? [] : ctx.issues.take(field.path, id, below));
  const value = ctx.values.get(field.path) ?? '';
  const required = field.required ? trustedHtml(' required aria-required="true"') : '';
  switch (field.kind) {
    case 'constant':
      return '';
    case 'object': {
      const inner = renderFields(field.fields, ctx);
      const errors = errorsOf(take(false), id);
      const hint = hintOf(field, id);
      return html`<fieldset id="${id}" ${describedBy(hint.id, errors.id)}>
        <legend>${field.label}</legend>
        ${hint.markup}${errors.markup}${inner}
      </fieldset>`;
    }
    case 'boolean': {
      const issues = take(true);
      const errors = errorsOf(issues, id);
      const hint = hintOf(field, id);
      return html`<div class="field check">
        <input
          type="checkbox"
          id="${id}"
          name="${field.path}"
          ${ctx.values.has(field.path) ? trustedHtml(' checked') : ''}${describedBy(hint.id, errors.id)}${invalid(issues)}
        />
        <label for="${id}">${field.label}</label>
        ${hint.markup}${errors.markup}
      </div>`;
    }
    case 'select': {
      const issues = take(true);
      const errors = errorsOf(issues, id);
      const hint = hintOf(field, id);
      // No default: an empty choice first, so an optional section left alone stays empty (and a required one must be chosen).
      const options = field.default === undefined ? ['', ...field.options] : field.options;
      return html`<div class="field">
        <label for="${id}">${field.label}</label>
        <select id="${id}" name="${field.path}" ${required}${describedBy(hint.id, errors.id)}${invalid(issues)}>
          ${options.map(
            (o) =>
              html`<option value="${o}" ${o === value ? trustedHtml(' selected') : ''}>
                ${o === '' ? (field.required ? '— choose —' : '— none —') : o}
              </option>`,
          )}
        </select>
        ${hint.markup}${errors.markup}
      </div>`;
    }
    case 'input': {
      const issues = take(true);
      const errors = errorsOf(issues, id);
      const hint = hintOf(field, id);
      const attrs = [
        field.min !== undefined ? html` min="${field.min}"` : '',
        field.max !== undefined ? html` max="${field.max}"` : '',
        field.inputType === 'number' ? html` step="${field.valueType === 'integer' ? '1' : 'any'}"` : '',
        field.maxLength !== undefined ? html` maxlength="${field.maxLength}"` : '',
        field.pattern !== undefined ? html` pattern="${field.pattern.replace(/^\^|\$$/g, '')}"` : '',
      ];
      return html`<div class="field">
        <label for="${id}">${field.label}</label>
        <input
          id="${id}"
          name="${field.path}"
          type="${field.inputType}"
          value="${value}"
          ${attrs}${required}${describedBy(hint.id, errors.id)}${invalid(issues)}
        />
        ${hint.markup}${errors.markup}
      </div>`;
    }
    case 'lines':
    case 'json': {
      const issues = take(true);
      const errors = errorsOf(issues, id);
      const hint = hintOf(field, id);
      const rows = Math.min(12, Math.max(3, value.split('\n').length + 1));
      return html`<div class="field">
        <label for="${id}">${field.label}</label>
        <textarea
          id="${id}"
          name="${field.path}"
          rows="${rows}"
          cols="60"
          spellcheck="false"
          ${required}${describedBy(hint.id, errors.id)}${invalid(issues)}
        >
${textareaText(value)}</textarea>
        ${hint.markup}${errors.markup}
      </div>`;
    }
    case 'choices': {
      const issues = take(true);
      const errors = errorsOf(issues, id);
      const hint = hintOf(field, id);
      const chosen = new Set(ctx.values.getAll(field.path));
      return html`<fieldset id="${id}" ${describedBy(hint.id, errors.id)}>
        <legend>${field.label}</legend>
        ${hint.markup}${errors.markup}
        <div class="inline-fields">
          ${field.options.map(
            (o, k) =>
              html`<div class="check">
                <input
                  type="checkbox"
                  id="${id}-${k}"
                  name="${field.path}"
                  value="${o}"
                  ${chosen.has(o) ? trustedHtml(' checked') : ''}${invalid(issues)}
                /><label for="${id}-${k}">${o}</label>
              </div>`,
          )}
        </div>
      </fieldset>`;
    }
    case 'variants': {
      const keyPath = `${field.path}.${field.key}`;
      const selectId = fieldIdOf(keyPath, ctx.variantTrail);
      const chosen = activeVariant(field, ctx.values.get(keyPath))?.value;
      // Issues at the union itself (no variant matched) belong to its select.
      const issues = ctx.inactive ? [] : [...ctx.issues.take(keyPath, selectId, false), ...ctx.issues.take(field.path, selectId, false)];
      const errors = errorsOf(issues, selectId);
      const hint = hintOf(field, selectId);
      const options =
        field.required || field.default !== undefined ? field.variants.map((v) => v.value) : ['', ...field.variants.map((v) => v.value)];
      const variants = field.variants
        .filter((v) => v.fields.some((f) => f.kind !== 'constant'))
        .map((v) => {
          const active = v.value === chosen;
          const inner = renderFields(v.fields, {
            ...ctx,
            inactive: ctx.inactive || !active,
            variantTrail: `${ctx.variantTrail}--${v.value}`,
          });
          // A variant not chosen: hidden and disabled, so its controls are neither seen nor submitted.
          return html`<fieldset
            class="variant"
            data-variant-of="${selectId}"
            data-variant="${v.value}"
            ${active ? '' : trustedHtml(' hidden disabled')}
          >
            <legend>${field.label}: ${v.value}</legend>
            ${inner}
          </fieldset>`;
        });
      return html`<fieldset id="${id}">
        <legend>${field.label}</legend>
        <div class="field">
          <label for="${selectId}">${labelOf(field.key)}</label>
          <select
            id="${selectId}"
            name="${keyPath}"
            data-variants${field.required ? trustedHtml(' required aria-required="true"') : ''}${describedBy(
              hint.id,
              errors.id,
            )}${invalid(issues)}
          >
            ${options.map(
              (o) =>
                html`<option value="${o}" ${o === (chosen ?? '') ? trustedHtml(' selected') : ''}>${o === '' ? '— none —' : o}</option>`,
            )}
          </select>
          ${hint.markup}${errors.markup}
        </div>
        ${variants}
      </fieldset>`;
    }
  }
}

function renderFields(fields: FormField[], ctx: RenderContext): SafeHtml {
  // Top-level and section scalars first, then the nested fieldsets, so each fieldset reads as one block.
  const scalars = fields.filter((f) => f.kind !== 'object' && f.kind !== 'variants');
  const groups = fields.filter((f) => f.kind === 'object' || f.kind === 'variants');
  return html`${scalars.map((f) => renderField(f, ctx))}${groups.map((f) => renderField(f, ctx))}`;
}

/** The form's fields for `values`, each with its issues; `issues.placed` then says where each issue went. */
export function renderSettingsFields(values: URLSearchParams, issues: IssueBook, fields: FormField[] = tenantSettingsFields()): SafeHtml {
  return renderFields(fields, { values, issues, inactive: false, variantTrail: '' });
}
