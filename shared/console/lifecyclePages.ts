import { type FeatureTeardownLine, type TeardownChoice } from '../admin/tenantLifecycle';
import { type FeatureTeardownResult } from '../features/Feature';
import { CONSOLE_PATH } from './consoleGate';
import { type SafeHtml, html, trustedHtml } from './html';

/*
 * The pages of pause / resume and disconnect (docs/CONSOLE.md): a choice, a preview with the counts of what
 * will be deleted, handed over and restored, a confirmation that names them, and what was done.
 */

const tenantPath = (id: string) => `${CONSOLE_PATH}/tenants/${encodeURIComponent(id)}`;
const featurePath = (id: string, feature: string) => `${tenantPath(id)}/features/${encodeURIComponent(feature)}`;

/** What a feature's PBX records are, in words, for the choice and the counts. */
const RECORDS_OF: Record<string, string> = {
  users: 'extensions',
  groups: 'extension groups',
  personalContacts: 'personal contacts',
  phonebook: 'phonebook entries',
  photos: 'extension pictures',
  presence: 'PBX statuses',
  calendar: 'PBX statuses',
  callState: 'Teams call statuses',
};
const recordsOf = (feature: string) => RECORDS_OF[feature] ?? 'records';

function hidden(csrfToken: string, fields: Record<string, string> = {}): SafeHtml {
  return html`<input type="hidden" name="csrf" value="${csrfToken}" />${Object.entries(fields).map(
      ([name, value]) => html`<input type="hidden" name="${name}" value="${value}" />`,
    )}`;
}

function choiceFieldset(legend: string, error: string | undefined): SafeHtml {
  return html`<fieldset ${error ? trustedHtml('aria-describedby="choice-error"') : ''}>
    <legend>${legend}</legend>
    ${error ? html`<p class="error" id="choice-error" role="alert">${error}</p>` : ''}
    <div class="choice">
      <input type="radio" id="choice-retain" name="pbxRecords" value="retain" required />
      <label for="choice-retain"
        ><strong>Retain</strong>: leave them on the PBX, handed over to the PBX's admin; the connector no longer changes them</label
      >
    </div>
    <div class="choice">
      <input type="radio" id="choice-delete" name="pbxRecords" value="delete" required />
      <label for="choice-delete"><strong>Delete</strong>: the connector deletes what it created (what it adopted is handed over)</label>
    </div>
  </fieldset>`;
}

/** The pause page: what pausing does, and the delete-or-retain choice; the next step previews the counts. */
export function pauseChoiceBody(tenantId: string, feature: string, csrfToken: string, error?: string): SafeHtml {
  return html`<h1>Pause ${feature} of <a href="${tenantPath(tenantId)}">${tenantId}</a></h1>
    <p>
      Pausing turns ${feature} off: nothing of it runs until it is resumed, its change notifications go, and its state is forgotten, so a
      resume starts with a full run. What it made on the PBX (${recordsOf(feature)}) is kept or deleted as you choose. Statuses it set are
      put back or cleared.
    </p>
    <form method="post" action="${featurePath(tenantId, feature)}/pause" class="panel" data-busy="Counting what this would do…">
      ${hidden(csrfToken)} ${choiceFieldset(`What becomes of the ${recordsOf(feature)} ${feature} made?`, error)}
      <button type="submit">Show what this will do</button>
      <a href="${tenantPath(tenantId)}">Cancel</a>
    </form>`;
}

function countsLine(feature: string, r: FeatureTeardownResult, done: boolean): SafeHtml {
  const records = recordsOf(feature);
  const [del, hand, rest] = done ? ['deleted', 'handed over', 'restored'] : ['will be deleted', 'will be handed over', 'will be restored'];
  return html`<strong>${r.deleted}</strong> ${records} ${del}, <strong>${r.handedOver}</strong> ${hand}${
      r.restored ? html`, <strong>${r.restored}</strong> statuses ${rest}` : ''
    }${r.failed ? html`, <strong class="failed">${r.failed} failed</strong>` : ''}${
      r.notes.length
        ? html`<ul class="plain">
            ${r.notes.map((n) => html`<li>${n}</li>`)}
          </ul>`
        : ''
    }`;
}

/** The preview of a pause: the counts, and the confirmation button that names them. */
export function pausePreviewBody(
  tenantId: string,
  preview: { feature: string; pbxRecords: TeardownChoice; enabled: boolean } & FeatureTeardownResult,
  csrfToken: string,
): SafeHtml {
  const { feature, pbxRecords } = preview;
  const destructive = preview.deleted > 0;
  const label = destructive ? `Pause ${feature} and delete ${preview.deleted} ${recordsOf(feature)}` : `Pause ${feature}`;
  return html`<h1>Pause ${feature} of <a href="${tenantPath(tenantId)}">${tenantId}</a>?</h1>
    <p class="note" role="status">Nothing has been done yet. With <strong>${pbxRecords}</strong>, pausing will do this:</p>
    <p id="pause-counts" class="panel">${countsLine(feature, preview, false)}</p>
    ${preview.enabled ? '' : html`<p>${feature} is already off; pausing it lets go of what it still holds.</p>`}
    <div class="actions">
      <form method="post" action="${featurePath(tenantId, feature)}/pause" data-busy="Pausing ${feature}…">
        ${hidden(csrfToken, { pbxRecords, confirm: 'yes' })}
        <button type="submit" ${destructive ? trustedHtml('class="danger"') : ''}>${label}</button>
      </form>
      <a href="${featurePath(tenantId, feature)}/pause">Choose again</a>
      <a href="${tenantPath(tenantId)}">Cancel</a>
    </div>`;
}

/** What a pause did. */
export function pauseDoneBody(
  tenantId: string,
  result: { feature: string; pbxRecords: TeardownChoice } & FeatureTeardownResult,
  auditRecorded: boolean,
): SafeHtml {
  return html`<h1>${result.feature} of <a href="${tenantPath(tenantId)}">${tenantId}</a> is paused</h1>
    <p id="pause-result" role="status" class="panel">${countsLine(result.feature, result, true)}</p>
    ${auditRecorded ? '' : html`<p class="error">The audit trail could not record this (the log has why).</p>`}
    <p><a href="${tenantPath(tenantId)}">Back to ${tenantId}</a></p>`;
}

/** Resume asks first when it would do something the operator may not expect (warnings): e.g. duplicate extensions. */
export function resumeConfirmBody(tenantId: string, feature: string, warnings: string[], csrfToken: string): SafeHtml {
  return html`<h1>Resume ${feature} of <a href="${tenantPath(tenantId)}">${tenantId}</a>?</h1>
    <div class="error" role="alert">
      <p>Before you resume:</p>
      <ul class="plain">
        ${warnings.map((w) => html`<li>${w}</li>`)}
      </ul>
    </div>
    <div class="actions">
      <a href="${tenantPath(tenantId)}/settings">Open Settings</a>
      <form method="post" action="${featurePath(tenantId, feature)}/resume" data-busy="Resuming ${feature}…">
        ${hidden(csrfToken, { confirm: 'yes' })}
        <button type="submit" class="danger">Resume ${feature} anyway</button>
      </form>
      <a href="${tenantPath(tenantId)}">Cancel</a>
    </div>`;
}

/** What a resume did: on again, and the run it queued. */
export function resumeDoneBody(tenantId: string, feature: string, runs: { runId: string }[], tenantEnabled: boolean): SafeHtml {
  return html`<h1>${feature} of <a href="${tenantPath(tenantId)}">${tenantId}</a> is on again</h1>
    <p role="status" class="note">
      ${tenantEnabled ? '' : 'The tenant itself is disabled: nothing runs until it is enabled. '}
      ${
        runs.length
          ? html`A full run was queued: <a href="${tenantPath(tenantId)}/runs/${encodeURIComponent(runs[0]!.runId)}">follow it</a>.`
          : 'Its subscriptions and polling start again.'
      }
    </p>
    <p><a href="${tenantPath(tenantId)}">Back to ${tenantId}</a></p>`;
}

/** The disconnect page: what disconnecting does, and the delete-or-retain choice. */
export function disconnectChoiceBody(tenantId: string, csrfToken: string, error?: string): SafeHtml {
  return html`<h1>Disconnect <a href="${tenantPath(tenantId)}">${tenantId}</a></h1>
    <p>
      Disconnecting ends the integration: the configuration, links, Graph subscriptions, per-user credentials and secrets of this tenant are
      removed; statuses the connector set in Teams and on the PBX are put back or cleared; the PBX event registration it made goes. The
      audit trail is kept. What it made on the PBX is kept or deleted as you choose.
    </p>
    <form method="post" action="${tenantPath(tenantId)}/disconnect" class="panel" data-busy="Counting what this would do…">
      ${hidden(csrfToken)} ${choiceFieldset('What becomes of the extensions, groups and contacts the connector made?', error)}
      <button type="submit">Show what this will do</button>
      <a href="${tenantPath(tenantId)}">Cancel</a>
    </form>`;
}

function teardownTable(results: FeatureTeardownLine[], done: boolean): SafeHtml {
  if (results.length === 0) return html`<p>No feature is on: nothing on the PBX to let go of.</p>`;
  return html`<div class="table-wrap">
    <table id="disconnect-counts">
      <caption class="skip">
        ${done ? 'What each feature let go of' : 'What each feature will let go of'}
      </caption>
      <thead>
        <tr>
          <th scope="col">Feature</th>
          <th scope="col">${done ? 'Deleted' : 'To delete'}</th>
          <th scope="col">${done ? 'Handed over' : 'To hand over'}</th>
          <th scope="col">${done ? 'Restored' : 'To restore'}</th>
          <th scope="col">Notes</th>
        </tr>
      </thead>
      <tbody>
        ${results.map(
          (r) =>
            html`<tr>
              <th scope="row">${r.feature}</th>
              <td>${r.deleted} ${recordsOf(r.feature)}</td>
              <td>${r.handedOver}</td>
              <td>${r.restored}</td>
              <td>${r.failed ? html`<span class="failed">${r.failed} failed. </span>` : ''}${r.notes.join(' ')}</td>
            </tr>`,
        )}
      </tbody>
    </table>
  </div>`;
}

/** The preview of a disconnect: counts per feature, and a confirmation that asks for the tenant id typed in. */
export function disconnectPreviewBody(
  tenantId: string,
  preview: { pbxRecords: TeardownChoice; results: FeatureTeardownLine[] },
  csrfToken: string,
  error?: string,
): SafeHtml {
  const deleted = preview.results.reduce((sum, r) => sum + r.deleted, 0);
  return html`<h1>Disconnect <a href="${tenantPath(tenantId)}">${tenantId}</a>?</h1>
    <p class="note" role="status">Nothing has been done yet. With <strong>${preview.pbxRecords}</strong>, disconnecting will do this:</p>
    ${teardownTable(preview.results, false)}
    <form method="post" action="${tenantPath(tenantId)}/disconnect" class="panel" data-busy="Disconnecting ${tenantId}…">
      ${hidden(csrfToken, { pbxRecords: preview.pbxRecords, confirm: 'yes' })}
      <div class="field">
        <label for="confirmTenantId">Type the tenant id, ${tenantId}, to confirm</label>
        <input
          id="confirmTenantId"
          name="confirmTenantId"
          required
          autocomplete="off"
          spellcheck="false"
          ${error ? trustedHtml('aria-invalid="true" aria-describedby="confirm-error" autofocus') : ''}
        />
        ${error ? html`<p class="error" id="confirm-error" role="alert">${error}</p>` : ''}
      </div>
      <button type="submit" class="danger">Disconnect ${tenantId}${deleted ? ` and delete ${deleted} PBX records` : ''}</button>
      <a href="${tenantPath(tenantId)}">Cancel</a>
    </form>`;
}

/** What a disconnect did; the tenant is gone (its audit trail stays, through the admin API). */
export function disconnectDoneBody(tenantId: string, results: FeatureTeardownLine[], auditRecorded: boolean): SafeHtml {
  return html`<h1>${tenantId} is disconnected</h1>
    <p role="status" class="note">The tenant's configuration, links, subscriptions and secrets are gone.</p>
    ${teardownTable(results, true)}
    ${auditRecorded ? '' : html`<p class="error">The audit trail could not record this (the log has why).</p>`}
    <p>Its audit trail is kept: <code>GET /api/tenants/${tenantId}/audit</code>.</p>
    <p><a href="${CONSOLE_PATH}">Back to the tenants</a></p>`;
}
