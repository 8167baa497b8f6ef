import { type FieldIssue } from '../config/formatZodIssues';
import { type SyncRun } from '../engine/RunStore';
import { CONSOLE_PATH } from './consoleGate';
import { type SafeHtml, html, trustedHtml } from './html';
import { IssueBook, renderSettingsFields } from './settingsForm';

const tenantPath = (id: string) => `${CONSOLE_PATH}/tenants/${encodeURIComponent(id)}`;

/** One feature's dry run as syncHandlers' dryRunTenant returns it (with each planned action). */
export interface SettingsPreviewResult {
  feature: string;
  counts?: Partial<SyncRun['counts']>;
  plannedActions?: unknown[];
}

/** What the preview beside the form shows: the plan per feature, or why there is none. */
export type SettingsPreview = { kind: 'plan'; results: SettingsPreviewResult[] } | { kind: 'none'; message: string };

export interface SettingsView {
  /** The tenant being edited; undefined on the new-tenant form (its id is a field). */
  tenantId: string | undefined;
  /** The new-tenant form's id field, as typed. */
  newTenantId: string;
  values: URLSearchParams;
  issues: FieldIssue[];
  /** The stored configuration's ETag the form was made from: a save sends it as If-Match. */
  etag: string;
  csrfToken: string;
  /** The save lost a race: someone else changed the tenant since the form was loaded. */
  conflict: boolean;
  preview: SettingsPreview | undefined;
}

/**
 * The page's own behaviour: a variant's fields follow its select; after a failed post focus goes to what went
 * wrong, and a summary link moves focus to its field (following a fragment link alone only scrolls).
 */
const SETTINGS_SCRIPT = `document.querySelectorAll('select[data-variants]').forEach(function(s){s.addEventListener('change',function(){document.querySelectorAll('fieldset[data-variant-of="'+s.id+'"]').forEach(function(f){var on=f.getAttribute('data-variant')===s.value;f.hidden=!on;f.disabled=!on;});});});var first=document.getElementById('conflict')||document.getElementById('error-summary');if(first){first.focus();}document.querySelectorAll('#error-summary a').forEach(function(a){a.addEventListener('click',function(e){var t=document.getElementById(a.getAttribute('href').slice(1));if(t){e.preventDefault();t.scrollIntoView({block:'center'});t.focus();}});});`;

const SETTINGS_CSS = `
.settings{display:grid;grid-template-columns:minmax(0,3fr) minmax(0,2fr);gap:16px;align-items:start}
@media (max-width:900px){.settings{grid-template-columns:1fr}}
.settings fieldset{border:1px solid #d0d4da;border-radius:6px;margin:0 0 12px;padding:8px 12px;background:#fff}
.settings fieldset fieldset{background:#fafbfc}
.settings legend{font-weight:700;padding:0 4px}
.hint{color:#3d434d;font-size:.9rem;margin:2px 0 0}
.field-error{color:#7a0f14;font-weight:600;margin:4px 0 0}
.check{display:flex;flex-wrap:wrap;gap:0 8px;align-items:baseline}
.check label{display:inline;margin:0}
.check .hint,.check .field-error{flex-basis:100%}
textarea{font:14px/1.4 ui-monospace,Menlo,Consolas,monospace;width:100%;padding:6px 8px;border:1px solid #5a6270;border-radius:4px}
[aria-invalid="true"]{border:2px solid #a4141b}
.preview{position:sticky;top:8px}
#error-summary a{color:#7a0f14}
`;

const OUTCOME_WORDS: [string, string][] = [
  ['create', 'Would create'],
  ['adopt', 'Would adopt (link an existing PBX user)'],
  ['update', 'Would update'],
  ['disable', 'Would disable'],
  ['delete', 'Would delete'],
  ['unlink', 'Would stop managing'],
  ['skip', 'Would skip'],
];

const textOf = (v: unknown) => (typeof v === 'string' || typeof v === 'number' ? String(v) : undefined);

/** Who an action is about and which fields change: names only, never values (a new user's password is one). */
function actionLine(action: Record<string, unknown>): SafeHtml {
  const who =
    textOf(action.userPrincipalName) ??
    textOf(action.displayName) ??
    textOf(action.name) ??
    textOf(action.label) ??
    textOf(action.objectId) ??
    '';
  const changes = typeof action.changes === 'object' && action.changes !== null ? Object.keys(action.changes) : [];
  const why = textOf(action.reason) ?? textOf(action.message);
  return html`<li>${who}${changes.length ? html` — fields: ${changes.join(', ')}` : ''}${why ? ` (${why})` : ''}</li>`;
}

const ACTIONS_SHOWN = 50;

function previewBody(preview: SettingsPreview): SafeHtml {
  if (preview.kind === 'none')
    return html`<h2 id="preview-title">Preview</h2>
      <p>${preview.message}</p>`;
  return html`<h2 id="preview-title">Preview: what a sync would do with these settings</h2>
    <p class="note"><strong>Nothing was saved or written.</strong> Save to keep these settings.</p>
    ${preview.results.map((result) => {
      const c = result.counts ?? {};
      const actions = (result.plannedActions ?? []).filter((a): a is Record<string, unknown> => typeof a === 'object' && a !== null);
      const kindOf = (a: Record<string, unknown>) => textOf(a.kind) ?? textOf(a.action) ?? 'change';
      return html`<section aria-labelledby="preview-${result.feature}">
        <h3 id="preview-${result.feature}">${result.feature}</h3>
        <p>
          Create ${c.created ?? 0}, update ${c.updated ?? 0}, disable ${c.disabled ?? 0}, delete ${c.deleted ?? 0}; unchanged
          ${c.unchanged ?? 0}, skipped ${c.skipped ?? 0}, out of scope ${c.outOfScope ?? 0}.
        </p>
        ${actions.length === 0 ? html`<p>No changes planned.</p>` : ''}
        ${[...OUTCOME_WORDS, ...otherKinds(actions, kindOf)].map(([kind, words]) => {
          const some = actions.filter((a) => kindOf(a) === kind);
          if (some.length === 0) return '';
          return html`<h4>${words} (${some.length})</h4>
            <ul class="plain">
              ${some.slice(0, ACTIONS_SHOWN).map(actionLine)}
            </ul>
            ${some.length > ACTIONS_SHOWN ? html`<p>… and ${some.length - ACTIONS_SHOWN} more.</p>` : ''}`;
        })}
      </section>`;
    })}`;
}

/** Kinds of planned action a feature has beyond the users' (groups: its own words), shown as they are named. */
function otherKinds(actions: Record<string, unknown>[], kindOf: (a: Record<string, unknown>) => string): [string, string][] {
  const known = new Set(OUTCOME_WORDS.map(([kind]) => kind));
  return [...new Set(actions.map(kindOf))].filter((kind) => !known.has(kind)).map((kind) => [kind, kind]);
}

/** The settings page: the generated form (errors next to fields, a summary on top), and the preview beside it. */
export function settingsBody(view: SettingsView, nonce: string): SafeHtml {
  const isNew = view.tenantId === undefined;
  const action = isNew ? `${CONSOLE_PATH}/tenants/new` : `${tenantPath(view.tenantId!)}/settings`;
  const book = new IssueBook(view.issues);
  const idIssues = isNew ? book.take('tenantId', 'f-tenantId', false) : [];
  const fields = renderSettingsFields(view.values, book);
  const summary = view.issues.length
    ? html`<div class="error" id="error-summary" role="alert" tabindex="-1" aria-labelledby="error-summary-title">
        <h2 id="error-summary-title">
          ${view.issues.length === 1 ? 'There is a problem' : `There are ${view.issues.length} problems`}: nothing was saved
        </h2>
        <ul>
          ${view.issues.map((issue) => {
            const target = book.placed.get(issue);
            const text = `${issue.path === '(root)' ? 'The configuration' : issue.path}: ${issue.message}`;
            return html`<li>${target ? html`<a href="#${target}">${text}</a>` : text}</li>`;
          })}
        </ul>
      </div>`
    : '';
  const conflict = view.conflict
    ? html`<div class="error" id="conflict" role="alert" tabindex="-1">
        <strong>This tenant was changed by someone else</strong> since this form was loaded, so your changes were not saved.
        <a href="${action}">Reload the settings</a> to see the current ones, then make your change again.
      </div>`
    : '';
  const idField = isNew
    ? html`<div class="field">
        <label for="f-tenantId">Tenant id</label>
        <input
          id="f-tenantId"
          name="tenantId"
          type="text"
          value="${view.newTenantId}"
          maxlength="63"
          pattern="[a-z0-9][a-z0-9\\-]{0,62}"
          required
          aria-required="true"
          aria-describedby="f-tenantId-hint${idIssues.length ? ' f-tenantId-error' : ''}"
          ${idIssues.length ? trustedHtml('aria-invalid="true"') : ''}
        />
        <p class="hint" id="f-tenantId-hint">1-63 lowercase letters, digits or dashes; it names the tenant in URLs and cannot change.</p>
        ${
          idIssues.length
            ? html`<p class="field-error" id="f-tenantId-error">
                <span class="skip">Error: </span>${idIssues.map((i) => i.message).join('; ')}
              </p>`
            : ''
        }
      </div>`
    : '';
  return html`<style nonce="${nonce}">
      ${trustedHtml(SETTINGS_CSS)}
    </style>
    <h1>${isNew ? 'New tenant' : html`Settings of <a href="${tenantPath(view.tenantId!)}">${view.tenantId}</a>`}</h1>
    ${conflict}${summary}
    <div class="settings">
      <form method="post" action="${action}" novalidate data-busy="Working…" aria-labelledby="settings-form-title">
        <h2 id="settings-form-title" class="skip">Configuration</h2>
        <input type="hidden" name="csrf" value="${view.csrfToken}" />
        <input type="hidden" name="etag" value="${view.etag}" />
        ${idField}${fields}
        <div class="actions">
          <button type="submit" name="action" value="preview" class="secondary">Preview (nothing is saved)</button>
          <button type="submit" name="action" value="save">Save</button>
          ${isNew ? html`<a href="${CONSOLE_PATH}">Cancel</a>` : html`<a href="${tenantPath(view.tenantId!)}">Cancel</a>`}
        </div>
      </form>
      <aside class="panel preview" aria-labelledby="preview-title" aria-live="polite">
        ${
          view.preview
            ? previewBody(view.preview)
            : html`<h2 id="preview-title">Preview</h2>
                <p>
                  Preview shows what a sync of users${isNew ? '' : ' (and groups, when on)'} would do with the settings in the form: who
                  would be created, updated (which fields), disabled or deleted. Nothing is saved until you press Save.
                </p>`
        }
      </aside>
    </div>
    <script nonce="${nonce}">
      ${trustedHtml(SETTINGS_SCRIPT)};
    </script>`;
}
