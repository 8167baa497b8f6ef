import { type SyncRun } from '../engine/RunStore';
import { type RunProgressView } from '../engine/describeRunProgress';
import { type AuditEntry } from '../engine/AuditTrail';
import { RUN_CHANGE_OUTCOMES, type RunChange } from '../engine/RunChange';
import { redactSecrets } from '../admin/redactSecrets';
import { type TenantStatus } from '../admin/tenantStatus';
import { type ConsoleVisitor, CONSOLE_PATH } from './consoleGate';
import { CONSOLE_CSS } from './consoleStyles';
import { type SafeHtml, html, trustedHtml } from './html';

type Operator = ConsoleVisitor & { kind: 'operator' };

export interface PageFrame {
  title: string;
  nonce: string;
  /** The signed-in operator (name, sign-out); absent on the sign-in and refusal pages. */
  operator?: Operator | undefined;
  /** Reload every N seconds (a run in progress); the page says so. */
  refreshSeconds?: number | undefined;
}

const tenantPath = (id: string) => `${CONSOLE_PATH}/tenants/${encodeURIComponent(id)}`;
const runPath = (id: string, runId: string) => `${tenantPath(id)}/runs/${encodeURIComponent(runId)}`;

/** One page: landmarks (banner, navigation, main), a skip link, the stylesheet and script under the CSP nonce. */
export function page(frame: PageFrame, body: SafeHtml): string {
  const { operator, nonce } = frame;
  const signOut =
    operator?.signOut === 'form'
      ? html`<form method="post" action="${CONSOLE_PATH}/session/delete">
          <input type="hidden" name="csrf" value="${operator.csrfToken}" /><button type="submit">Sign out</button>
        </form>`
      : operator?.signOut === 'appService'
        ? html`<a href="/.auth/logout?post_logout_redirect_uri=${encodeURIComponent(CONSOLE_PATH)}">Sign out</a>`
        : '';
  // Forms say they are working while the server does (a dry run reads the whole directory); reloads while a run goes on.
  const script = `document.querySelectorAll('form[data-busy]').forEach(function(f){f.addEventListener('submit',function(){var s=document.getElementById('busy');if(s){s.textContent=f.getAttribute('data-busy');}f.setAttribute('aria-busy','true');});});${
    frame.refreshSeconds ? `setTimeout(function(){location.reload();},${frame.refreshSeconds * 1000});` : ''
  }`;
  return html`<!doctype html>
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>${frame.title} · PBX connector console</title>
        <style nonce="${nonce}">
          ${trustedHtml(CONSOLE_CSS)}
        </style>
      </head>
      <body>
        <a class="skip" href="#main">Skip to content</a>
        <header>
          <a href="${CONSOLE_PATH}"><strong>PBX connector console</strong></a>
          ${
            operator
              ? html`<nav aria-label="Main">
                    <ul>
                      <li><a href="${CONSOLE_PATH}">Tenants</a></li>
                    </ul>
                  </nav>
                  <div class="inline-fields"><span>Signed in as ${operator.user}</span>${signOut}</div>`
              : ''
          }
        </header>
        <main id="main" tabindex="-1">
          <p id="busy" role="status" aria-live="polite"></p>
          ${frame.refreshSeconds ? html`<p class="note">This run is not finished yet: the page reloads every ${frame.refreshSeconds} seconds until it is.</p>` : ''}
          ${body}
        </main>
        <script nonce="${nonce}">
          ${trustedHtml(script)};
        </script>
      </body>
    </html>`.text;
}

export function signInBody(options: { csrfToken: string; error?: string | undefined; keyOff: boolean }): SafeHtml {
  return html`<h1>Sign in</h1>
    ${options.error ? html`<p class="error" role="alert" id="sign-in-error">${options.error}</p>` : ''}
    <form method="post" action="${CONSOLE_PATH}/session" class="panel">
      <input type="hidden" name="csrf" value="${options.csrfToken}" />
      <div class="field">
        <label for="key">Admin key</label>
        <input
          id="key"
          name="key"
          type="password"
          autocomplete="current-password"
          size="48"
          ${options.keyOff ? '' : trustedHtml('required')}
          aria-describedby="key-help${options.error ? ' sign-in-error' : ''}"
          ${options.error ? trustedHtml('aria-invalid="true" autofocus') : ''}
        />
        <p id="key-help">
          ${
            options.keyOff
              ? 'The admin key is off on this machine (LOCAL_ADMIN_KEY=off): leave the field empty.'
              : 'The key the admin API takes: on this machine it is in .local/admin-key.'
          }
        </p>
      </div>
      <button type="submit">Sign in</button>
    </form>`;
}

export function messageBody(title: string, message: string, link?: { href: string; text: string }): SafeHtml {
  return html`<h1>${title}</h1>
    <p>${message}</p>
    ${link ? html`<p><a href="${link.href}">${link.text}</a></p>` : ''}`;
}

function when(iso: string | null | undefined): SafeHtml | string {
  if (!iso) return '—';
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return html`<time datetime="${date.toISOString()}">${date.toISOString().slice(0, 19).replace('T', ' ')} UTC</time>`;
}

function duration(ms: number | null | undefined): string {
  if (ms === null || ms === undefined) return '—';
  if (ms < 1000) return `${ms} ms`;
  const s = Math.round(ms / 1000);
  return s < 60 ? `${s} s` : `${Math.floor(s / 60)} min ${s % 60} s`;
}

const STATUS_CLASS: Record<string, string> = { succeeded: 'ok', partial: 'attention', failed: 'failed', ok: 'ok', healthy: 'ok' };

function badge(text: string): SafeHtml {
  return html`<span class="badge ${STATUS_CLASS[text] ?? (text === 'attention' || text === 'degraded' ? 'attention' : 'off')}"
    >${text}</span
  >`;
}

interface RunLike {
  runId: string;
  feature?: string | undefined;
  status: string;
  trigger: string;
  queuedAt: string;
  startedAt?: string | null | undefined;
  finishedAt?: string | null | undefined;
  durationMs?: number | null | undefined;
  counts: SyncRun['counts'];
}

function countsText(counts: SyncRun['counts']): string {
  const { created, updated, disabled, deleted, skipped, failed } = counts;
  return `created ${created}, updated ${updated}, disabled ${disabled}, deleted ${deleted}, skipped ${skipped}, failed ${failed}`;
}

function runLine(tenantId: string, run: RunLike): SafeHtml {
  return html`<a href="${runPath(tenantId, run.runId)}">${run.feature ?? 'users'} run</a> ${badge(run.status)} — ${run.trigger}, queued
    ${when(run.queuedAt)}, took ${duration(run.durationMs)}; ${countsText(run.counts)}`;
}

const TOTAL_BASIS: Record<string, string> = {
  graphCount: "Microsoft 365's own count",
  previousRun: 'what the last full run read',
};

/**
 * A running run's progress for a person: a progress bar (with its numbers as text, for screen readers and phones),
 * items done of the estimated total, the rate and the time left. Undefined progress: not started a page yet.
 */
export function progressLine(progress: RunProgressView | null | undefined, id = 'run-progress'): SafeHtml {
  if (!progress) return html`<span id="${id}">No progress reported yet (no page of items finished so far).</span>`;
  const { done, total, percent, ratePerSecond, etaSeconds, totalBasis } = progress;
  const ofTotal = total === undefined ? '' : ` of about ${total}${percent === undefined ? '' : ` (${percent} %)`}`;
  const rate = ratePerSecond === undefined ? '' : `, ${ratePerSecond} a second`;
  const left = etaSeconds === undefined ? '' : etaSeconds === 0 ? ', almost done' : `, about ${duration(etaSeconds * 1000)} left`;
  return html`<span id="${id}"
    >${total === undefined ? '' : html`<progress max="${total}" value="${Math.min(done, total)}" aria-label="Progress">${percent} %</progress> `}${done}
    items
    done${ofTotal}${rate}${left}.${totalBasis ? html` <small>(The total is ${TOTAL_BASIS[totalBasis] ?? totalBasis}.)</small>` : ''}</span
  >`;
}

export interface TenantRow {
  id: string;
  displayName: string;
  enabled: boolean;
  lastRun: SyncRun | undefined;
}

export function tenantsBody(rows: TenantRow[], invalid: string[]): SafeHtml {
  return html`<h1>Tenants</h1>
    <p><a href="${CONSOLE_PATH}/tenants/new">New tenant</a></p>
    ${rows.length === 0 ? html`<p>No tenants yet: create one with the link above or PUT /api/tenants/{id}.</p>` : ''}
    <div class="table-wrap">
      <table>
        <caption class="skip">
          Tenants, their state and last run
        </caption>
        <thead>
          <tr>
            <th scope="col">Tenant</th>
            <th scope="col">Name</th>
            <th scope="col">Enabled</th>
            <th scope="col">Last run</th>
          </tr>
        </thead>
        <tbody>
          ${rows.map(
            (row) =>
              html`<tr>
                <th scope="row"><a href="${tenantPath(row.id)}">${row.id}</a></th>
                <td>${row.displayName}</td>
                <td>${row.enabled ? 'yes' : 'no (disabled)'}</td>
                <td>
                  ${row.lastRun ? html`${badge(row.lastRun.status)} ${when(row.lastRun.finishedAt ?? row.lastRun.queuedAt)}` : 'never ran'}
                </td>
              </tr>`,
          )}
        </tbody>
      </table>
    </div>
    ${invalid.length ? html`<p class="error">Stored configurations that no longer validate (fix with PUT or remove with DELETE): ${invalid.join(', ')}</p>` : ''}`;
}

/** Options as a readable list: objects become nested definition lists, lists comma-separated text. */
function optionsList(value: unknown, depth = 0): SafeHtml | string {
  if (value === null || value === undefined) return '—';
  if (Array.isArray(value)) {
    if (value.length === 0) return 'none';
    if (value.every((v) => typeof v !== 'object' || v === null)) return value.map(String).join(', ');
    return html`<ul class="plain">
      ${value.map((v) => html`<li>${optionsList(v, depth + 1)}</li>`)}
    </ul>`;
  }
  if (typeof value === 'object') {
    if (depth > 5) return '…';
    const entries = Object.entries(value as Record<string, unknown>);
    if (entries.length === 0) return 'none';
    return html`<dl>
      ${entries.map(
        ([k, v]) =>
          html`<dt>${k}</dt>
            <dd>${optionsList(v, depth + 1)}</dd>`,
      )}
    </dl>`;
  }
  if (typeof value === 'boolean') return value ? 'yes' : 'no';
  return typeof value === 'string' || typeof value === 'number' ? String(value) : JSON.stringify(value);
}

function postButton(action: string, csrfToken: string, label: string, options: { secondary?: boolean; busy: string }): SafeHtml {
  return html`<form method="post" action="${action}" data-busy="${options.busy}">
    <input type="hidden" name="csrf" value="${csrfToken}" />
    <button type="submit" ${options.secondary ? trustedHtml(' class="secondary"') : ''}>${label}</button>
  </form>`;
}

/** What a redirect to the tenant page may say (`?notice=`): fixed texts only, never the query's own words. */
export const TENANT_NOTICES: Record<string, string> = {
  saved: 'Settings saved. Subscriptions and polling follow the new settings; the next sync uses them.',
  created: 'Tenant created. Write its credentials (the Credentials page) before the first sync.',
  disabled: 'Tenant disabled: nothing syncs, its Graph subscriptions are removed; links and settings are kept. Enable resumes.',
  enabled: 'Tenant enabled: subscriptions are being made again and polling starts; the next scheduled sync runs as usual.',
};

/**
 * A feature card's own switch: Pause… (the choice and its counts come next) while its section is on, Resume while
 * it is off. The card's `enabled` is false for every feature of a disabled tenant; the section's switch is not.
 */
function featureSwitch(tenantId: string, card: TenantStatus['features'][number], csrfToken: string): SafeHtml {
  const featurePath = `${tenantPath(tenantId)}/features/${encodeURIComponent(card.name)}`;
  const section: object | null = card.options;
  const switchedOn = section !== null && 'enabled' in section && section.enabled === true;
  if (switchedOn) return html`<a href="${featurePath}/pause" aria-label="Pause ${card.name}">Pause…</a>`;
  return html`<form method="post" action="${featurePath}/resume" data-busy="Turning ${card.name} on…">
    <input type="hidden" name="csrf" value="${csrfToken}" />
    <button type="submit" class="secondary" aria-label="Resume ${card.name}">Resume</button>
  </form>`;
}

export function tenantBody(status: TenantStatus, csrfToken: string, notice?: string): SafeHtml {
  const id = status.tenant.id;
  const { connection, credentials, subscriptions } = status;
  return html`<h1>${status.tenant.displayName} <small>(${id})</small></h1>
    ${notice ? html`<p class="note" role="status">${notice}</p>` : ''}
    <p class="actions"><a href="${tenantPath(id)}/settings">Settings</a> <a href="${tenantPath(id)}/credentials">Credentials</a></p>
    <p>
      PBX: ${status.tenant.pbx.kind} at ${status.tenant.pbx.baseUrl}.
      ${status.tenant.enabled ? '' : 'This tenant is disabled: nothing runs.'}
    </p>
    <form method="post" action="${tenantPath(id)}/sync" class="inline-fields" data-busy="Working (a dry run writes nothing)…">
      <input type="hidden" name="csrf" value="${csrfToken}" />
      <div>
        <label for="sync-feature">What</label
        ><select id="sync-feature" name="feature">
          <option value="">every feature in the reconcile</option>
          ${status.features.filter((f) => f.enabled).map((f) => html`<option value="${f.name}">${f.name} only</option>`)}
        </select>
      </div>
      <div>
        <label for="sync-mode">How</label
        ><select id="sync-mode" name="mode">
          <option value="full">full: read everything again</option>
          <option value="delta">delta: the changes since the last run</option>
        </select>
      </div>
      <button type="submit">Sync now</button>
      <button type="submit" class="secondary" formaction="${tenantPath(id)}/dry-run">Dry run</button>
    </form>
    <div class="actions">
      <a href="${tenantPath(id)}/runs">All recent runs</a>
      <a href="${tenantPath(id)}/audit">Audit trail</a>
    </div>
    <section aria-labelledby="connection">
      <h2 id="connection">Connection ${badge(connection.state)}</h2>
      ${
        connection.problems.length === 0
          ? html`<p>Everything the connector needs is in place.</p>`
          : html`<ul>
              ${connection.problems.map((p) => html`<li><strong>${p.what}</strong>. What to do: ${p.advice}</li>`)}
            </ul>`
      }
    </section>
    <section aria-labelledby="runs">
      <h2 id="runs">Runs</h2>
      <dl>
        <dt>Last run</dt>
        <dd>${status.lastRun ? runLine(id, status.lastRun) : 'none yet'}</dd>
        <dt>In progress</dt>
        <dd>
          ${
            status.running.length === 0
              ? 'none'
              : html`<ul class="plain">
                  ${status.running.map((r) => html`<li>${runLine(id, r)}<br />${progressLine(r.progress, `progress-${r.runId}`)}</li>`)}
                </ul>`
          }
        </dd>
        <dt>Next scheduled run</dt>
        <dd>${status.nextScheduledRunAt ? when(status.nextScheduledRunAt) : 'none (disabled or no schedule)'}</dd>
      </dl>
    </section>
    <section aria-labelledby="features">
      <h2 id="features">Features</h2>
      <div class="cards">
        ${status.features.map(
          (f) =>
            html`<article class="card" aria-labelledby="feature-${f.name}">
              <h3 id="feature-${f.name}">${f.name} ${badge(f.enabled ? f.health : 'off')}</h3>
              <p>${f.enabled ? 'On' : 'Off'} · lane ${f.lane}</p>
              <p>Last result: ${f.lastRun ? runLine(id, f.lastRun) : 'no run yet'}</p>
              ${
                f.lastCycle
                  ? html`<p>
                      Last cycle: ${when(f.lastCycle.startedAt)}, ${f.lastCycle.users} users, ${f.lastCycle.graphCalls} Graph calls,
                      ${f.lastCycle.pbxWrites} PBX writes, ${f.lastCycle.failed}
                      failed${f.lastCycle.lastError ? html` — ${f.lastCycle.lastError}` : ''}
                    </p>`
                  : ''
              }
              ${'note' in f && typeof f.note === 'string' ? html`<p>${f.note}</p>` : ''}
              <div class="actions">${featureSwitch(id, f, csrfToken)}</div>
              ${
                f.enabled
                  ? html`<details>
                      <summary>Options</summary>
                      ${optionsList(redactSecrets(f.options))}
                    </details>`
                  : ''
              }
            </article>`,
        )}
      </div>
    </section>
    <section aria-labelledby="subscriptions">
      <h2 id="subscriptions">Change notifications ${badge(subscriptions.health)}</h2>
      ${
        subscriptions.value.length === 0
          ? html`<p>
              ${subscriptions.notificationsEnabled ? 'No Graph subscriptions yet.' : 'Off: PUBLIC_BASE_URL is not set, changes arrive with the scheduled reconcile.'}
            </p>`
          : html`<div class="table-wrap">
                <table>
                  <thead>
                    <tr>
                      <th scope="col">Feature</th>
                      <th scope="col">Graph resource</th>
                      <th scope="col">Expires</th>
                    </tr>
                  </thead>
                  <tbody>
                    ${subscriptions.value.map(
                      (s) =>
                        html`<tr>
                          <td>${s.feature}</td>
                          <td>${s.resource}</td>
                          <td>${when(s.expiresAt)}${s.expired ? ' (expired)' : ''}</td>
                        </tr>`,
                    )}
                  </tbody>
                </table>
              </div>
              ${
                subscriptions.count > subscriptions.value.length
                  ? html`<p>Showing ${subscriptions.value.length} of ${subscriptions.count}.</p>`
                  : ''
              }`
      }
    </section>
    <section aria-labelledby="credentials">
      <h2 id="credentials">Credentials</h2>
      <dl>
        <dt>Microsoft 365 sign-in</dt>
        <dd>
          ${badge(credentials.graph.health)} ${credentials.graph.kind}:
          ${credentials.graph.message}${credentials.graph.daysLeft === null ? '' : ` (${credentials.graph.daysLeft} days left)`}
        </dd>
        <dt>PBX credential</dt>
        <dd>${credentials.pbxWritten ? 'written' : html`not written: <a href="${tenantPath(id)}/credentials#form-pbx">write it</a>`}</dd>
      </dl>
    </section>
    <section aria-labelledby="errors">
      <h2 id="errors">Latest errors</h2>
      ${
        status.errors.length === 0
          ? html`<p>None.</p>`
          : html`<ul>
              ${status.errors.map(
                (e) =>
                  html`<li>
                    ${when(e.at)} · ${e.feature}: ${e.message}. What to do:
                    ${e.advice}${'runId' in e && typeof e.runId === 'string' ? html` (<a href="${runPath(id, e.runId)}">the run</a>)` : ''}
                  </li>`,
              )}
            </ul>`
      }
    </section>
    <section aria-labelledby="integration">
      <h2 id="integration">Integration</h2>
      <p>
        ${
          status.tenant.enabled
            ? 'Disable stops everything (links and settings are kept). Disconnect removes the tenant from the connector.'
            : 'Disabled: nothing syncs. Enable starts it again where it stopped.'
        }
      </p>
      <div class="actions">
        ${
          status.tenant.enabled
            ? postButton(`${tenantPath(id)}/disable`, csrfToken, 'Disable tenant', { secondary: true, busy: 'Disabling…' })
            : postButton(`${tenantPath(id)}/enable`, csrfToken, 'Enable tenant', { busy: 'Enabling…' })
        }
        <a href="${tenantPath(id)}/disconnect">Disconnect…</a>
      </div>
    </section>`;
}

interface DryRunResult {
  feature?: string;
  counts?: Partial<SyncRun['counts']>;
  plannedActions?: unknown[];
  notes?: string[];
}

/** One planned action in words: what, to whom, which fields (names only; values may be secrets such as a new user's password). */
function plannedAction(action: unknown): SafeHtml {
  if (typeof action !== 'object' || action === null) return html`${String(action)}`;
  const a = action as Record<string, unknown>;
  const text = (v: unknown) => (typeof v === 'string' || typeof v === 'number' ? String(v) : undefined);
  const what = text(a.kind) ?? text(a.action) ?? text(a.change) ?? 'change';
  const who = text(a.userPrincipalName) ?? text(a.label) ?? text(a.displayName) ?? text(a.name) ?? text(a.objectId) ?? text(a.userId) ?? '';
  const changes = typeof a.changes === 'object' && a.changes !== null ? Object.keys(a.changes) : [];
  const why = text(a.reason) ?? text(a.message) ?? text(a.why);
  return html`<strong>${what}</strong> ${who}${changes.length ? ` — fields: ${changes.join(', ')}` : ''}${why ? ` (${why})` : ''}`;
}

export function dryRunBody(tenantId: string, answer: { results?: DryRunResult[] } & DryRunResult): SafeHtml {
  const results = answer.results ?? [answer];
  const ACTIONS_SHOWN = 200;
  return html`<h1>Dry run of ${tenantId}</h1>
    <p class="note" role="status"><strong>Nothing was written</strong>: this is what a sync would do now.</p>
    ${results.map((r) => {
      const counts = r.counts ?? {};
      const actions = r.plannedActions ?? [];
      return html`<section class="panel" aria-labelledby="plan-${r.feature ?? 'users'}">
        <h2 id="plan-${r.feature ?? 'users'}">${r.feature ?? 'users'}</h2>
        <p>
          Would create ${counts.created ?? 0}, update ${counts.updated ?? 0}, disable ${counts.disabled ?? 0}, delete
          ${counts.deleted ?? 0}; unchanged ${counts.unchanged ?? 0}, skipped ${counts.skipped ?? 0}, out of scope
          ${counts.outOfScope ?? 0}, failed ${counts.failed ?? 0}.
        </p>
        ${
          actions.length === 0
            ? html`<p>No changes planned.</p>`
            : html`<ul>
                  ${actions.slice(0, ACTIONS_SHOWN).map((a) => html`<li>${plannedAction(a)}</li>`)}
                </ul>
                ${actions.length > ACTIONS_SHOWN ? html`<p>… and ${actions.length - ACTIONS_SHOWN} more.</p>` : ''}`
        }
      </section>`;
    })}
    <p><a href="${tenantPath(tenantId)}">Back to ${tenantId}</a></p>`;
}

/** Who did what to the tenant, newest first (the audit trail). */
export function auditBody(tenantId: string, entries: AuditEntry[]): SafeHtml {
  return html`<h1>Audit trail of <a href="${tenantPath(tenantId)}">${tenantId}</a></h1>
    ${
      entries.length === 0
        ? html`<p>Nothing recorded yet.</p>`
        : html`<div class="table-wrap">
            <table>
              <thead>
                <tr>
                  <th scope="col">When</th>
                  <th scope="col">Who</th>
                  <th scope="col">What</th>
                  <th scope="col">Detail</th>
                </tr>
              </thead>
              <tbody>
                ${entries.map(
                  (e) =>
                    html`<tr>
                      <td>${when(e.at)}</td>
                      <td>${e.actor.name} <small>(${e.actor.kind})</small></td>
                      <td>${e.action}</td>
                      <td><code>${JSON.stringify(redactSecrets(e.detail))}</code></td>
                    </tr>`,
                )}
              </tbody>
            </table>
          </div>`
    }`;
}

export function runsBody(tenantId: string, runs: SyncRun[]): SafeHtml {
  return html`<h1>Recent runs of <a href="${tenantPath(tenantId)}">${tenantId}</a></h1>
    ${
      runs.length === 0
        ? html`<p>No runs yet.</p>`
        : html`<div class="table-wrap">
            <table>
              <thead>
                <tr>
                  <th scope="col">Queued</th>
                  <th scope="col">Feature</th>
                  <th scope="col">Status</th>
                  <th scope="col">Trigger</th>
                  <th scope="col">Duration</th>
                  <th scope="col">Counts</th>
                </tr>
              </thead>
              <tbody>
                ${runs.map(
                  (r) =>
                    html`<tr>
                      <td><a href="${runPath(tenantId, r.runId)}">${when(r.queuedAt)}</a></td>
                      <td>${r.feature ?? 'users'}${r.dryRun ? ' (dry run)' : ''}</td>
                      <td>${badge(r.status)}</td>
                      <td>${r.trigger}</td>
                      <td>${duration(r.durationMs)}</td>
                      <td>${countsText(r.counts)}</td>
                    </tr>`,
                )}
              </tbody>
            </table>
          </div>`
    }`;
}

export interface ChangeListView {
  q: string;
  outcome: string;
  items: RunChange[];
  /** The next page's continuation token, when there is more. */
  next: string | undefined;
  /** Whether this is a later page (a link back to the first). */
  paged: boolean;
}

function changeDetail(change: RunChange): string {
  switch (change.outcome) {
    case 'updated':
      return `fields: ${change.fields.join(', ')}`;
    case 'outOfScope':
    case 'skipped':
      return change.reason;
    case 'failed':
      return `${change.code}: ${change.message}`;
    case 'created':
    case 'adopted':
    case 'disabled':
    case 'deleted':
    case 'unlinked':
    case 'unchanged':
      return '';
  }
}

/**
 * The run's page. `running`: set while the run is queued or running, with its progress (describeRunProgress) —
 * the page reloads itself then, so the numbers move.
 */
export function runBody(
  tenantId: string,
  run: SyncRun,
  view: ChangeListView,
  running?: { progress: RunProgressView | undefined },
): SafeHtml {
  const base = runPath(tenantId, run.runId);
  const filters = new URLSearchParams();
  if (view.q) filters.set('q', view.q);
  if (view.outcome) filters.set('outcome', view.outcome);
  const nextHref =
    view.next === undefined ? undefined : `${base}?${new URLSearchParams([...filters, ['continuationToken', view.next]]).toString()}`;
  return html`<h1>${run.feature ?? 'users'} run of <a href="${tenantPath(tenantId)}">${tenantId}</a></h1>
    <p id="run-status" role="status">Status: ${badge(run.status)}</p>
    <dl class="panel">
      <dt>Run</dt>
      <dd>${run.runId}</dd>
      <dt>Trigger</dt>
      <dd>${run.trigger}, ${run.mode}${run.dryRun ? ', dry run' : ''}</dd>
      <dt>Queued</dt>
      <dd>${when(run.queuedAt)}</dd>
      <dt>Started</dt>
      <dd>${when(run.startedAt)}</dd>
      <dt>Finished</dt>
      <dd>${when(run.finishedAt)}</dd>
      <dt>Duration</dt>
      <dd>${duration(run.durationMs)}</dd>
      ${
        running
          ? html`<dt>Progress</dt>
              <dd>${progressLine(running.progress)}</dd>`
          : ''
      }
      <dt>Items read</dt>
      <dd>${run.itemsRead}</dd>
      <dt>Counts</dt>
      <dd>
        ${countsText(run.counts)}; adopted ${run.counts.adopted}, unchanged ${run.counts.unchanged}, out of scope ${run.counts.outOfScope}
      </dd>
      ${
        run.error
          ? html`<dt>Error</dt>
              <dd>${run.error}</dd>`
          : ''
      }
      ${
        run.issues.length
          ? html`<dt>Issues</dt>
              <dd>
                <ul class="plain">
                  ${run.issues.slice(0, 20).map((i) => html`<li>${i.userPrincipalName ?? i.objectId ?? ''} ${i.code}: ${i.message}</li>`)}
                </ul>
              </dd>`
          : ''
      }
    </dl>
    <section aria-labelledby="changes">
      <h2 id="changes">Changes</h2>
      <form method="get" action="${base}" class="inline-fields" role="search" aria-label="Search the change list">
        <div>
          <label for="q">Search (name, id or extension)</label><input id="q" name="q" type="search" value="${view.q}" maxlength="200" />
        </div>
        <div>
          <label for="outcome">Outcome</label
          ><select id="outcome" name="outcome">
            <option value="" ${view.outcome === '' ? trustedHtml(' selected') : ''}>any</option>
            ${RUN_CHANGE_OUTCOMES.map((o) => html`<option value="${o}" ${view.outcome === o ? trustedHtml(' selected') : ''}>${o}</option>`)}
          </select>
        </div>
        <button type="submit">Search</button>
      </form>
      ${
        view.items.length === 0
          ? html`<p>No changes${view.q || view.outcome ? ' match' : ' recorded'}.</p>`
          : html`<div class="table-wrap">
              <table>
                <thead>
                  <tr>
                    <th scope="col">Item</th>
                    <th scope="col">Extension</th>
                    <th scope="col">Outcome</th>
                    <th scope="col">Detail</th>
                    <th scope="col">When</th>
                  </tr>
                </thead>
                <tbody>
                  ${view.items.map(
                    (c) =>
                      html`<tr>
                        <td>${c.label ?? c.sourceId}</td>
                        <td>${c.extension ?? ''}</td>
                        <td>${c.outcome}</td>
                        <td>${changeDetail(c)}</td>
                        <td>${when(c.at)}</td>
                      </tr>`,
                  )}
                </tbody>
              </table>
            </div>`
      }
      <nav aria-label="Change list pages" class="actions">
        ${view.paged ? html`<a href="${filters.size ? `${base}?${filters.toString()}` : base}">First page</a>` : ''}
        ${nextHref ? html`<a href="${nextHref}">Next page</a>` : ''}
      </nav>
    </section>`;
}
