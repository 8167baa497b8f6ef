import { type TenantSecretView } from '../platform/secrets/tenantSecrets';
import { CONSOLE_PATH } from './consoleGate';
import { type SafeHtml, html, trustedHtml } from './html';

/*
 * The credentials page: which of the tenant's secrets are written (never a value), and a form for each one the
 * tenant's configuration uses. Values typed are never put back into a page, even when refused.
 */

const tenantPath = (id: string) => `${CONSOLE_PATH}/tenants/${encodeURIComponent(id)}`;

/** What a redirect to the credentials page may say (`?notice=`): fixed texts only. */
export const CREDENTIAL_NOTICES: Record<string, string> = {
  pbx: 'PBX credential saved. The next run signs in with it.',
  graph: 'Microsoft 365 secret saved. The next run signs in with it.',
};

export interface CredentialsView {
  tenantId: string;
  pbxKind: 'portsip' | '3cx';
  pbxBaseUrl: string;
  graphAuthKind: string;
  secrets: TenantSecretView[];
}

/** A refused form: which one, the message, and the fields' problems (path → message), plus text fields to keep. */
export interface CredentialFormError {
  form: 'pbx' | 'graph';
  message: string;
  fields: Record<string, string>;
  /** Non-secret values typed (the PortSIP user name, the expiry date), to fill in again. */
  kept?: Record<string, string>;
}

const SECRET_LABELS: Record<TenantSecretView['kind'], string> = {
  pbx: 'PBX credential',
  graph: 'Microsoft 365 secret (client secret or sandbox token)',
  graphCertificate: 'Microsoft 365 certificate',
};

function secretState(secret: TenantSecretView): string {
  if (!secret.exists) return secret.used ? 'not written' : 'not written (not used by these settings)';
  const written = secret.writtenAt ? `written ${secret.writtenAt.slice(0, 19).replace('T', ' ')} UTC` : 'written';
  if (secret.kind === 'pbx' && secret.matchesPbxUrl === false)
    return `${written} for ${secret.origin ?? 'another address'}: not the PBX address in the settings, so it is not used — write it again`;
  return secret.used ? written : `${written} (not used by these settings)`;
}

interface FieldSpec {
  name: string;
  label: string;
  type: 'text' | 'password' | 'date' | 'textarea';
  hint?: string;
  optional?: boolean;
}

function field(form: 'pbx' | 'graph', spec: FieldSpec, error: CredentialFormError | undefined): SafeHtml {
  const id = `${form}-${spec.name}`;
  const problem = error?.form === form ? error.fields[spec.name] : undefined;
  const kept = error?.form === form ? (error.kept?.[spec.name] ?? '') : '';
  const describedBy = [spec.hint ? `${id}-hint` : '', problem ? `${id}-error` : ''].filter(Boolean).join(' ');
  const attrs = trustedHtml(
    [spec.optional ? '' : 'required', describedBy ? `aria-describedby="${describedBy}"` : '', problem ? 'aria-invalid="true"' : '']
      .filter(Boolean)
      .join(' '),
  );
  const control =
    spec.type === 'textarea'
      ? html`<textarea id="${id}" name="${spec.name}" rows="8" cols="64" spellcheck="false" ${attrs}></textarea>`
      : html`<input
          id="${id}"
          name="${spec.name}"
          type="${spec.type}"
          size="48"
          autocomplete="${spec.type === 'password' ? 'new-password' : 'off'}"
          value="${spec.type === 'password' ? '' : kept}"
          ${attrs}
        />`;
  return html`<div class="field">
    <label for="${id}">${spec.label}${spec.optional ? ' (optional)' : ''}</label>
    ${control} ${spec.hint ? html`<p id="${id}-hint">${spec.hint}</p>` : ''}
    ${problem ? html`<p class="error" id="${id}-error">${problem}</p>` : ''}
  </div>`;
}

function pbxFields(kind: CredentialsView['pbxKind']): FieldSpec[] {
  if (kind === '3cx') return [{ name: 'clientSecret', label: '3CX API client secret', type: 'password' }];
  return [
    { name: 'username', label: 'PortSIP tenant admin user name', type: 'text', hint: 'A tenant administrator without two-factor sign-in.' },
    { name: 'password', label: 'Password', type: 'password' },
  ];
}

function graphFields(authKind: string): FieldSpec[] | string {
  switch (authKind) {
    case 'clientSecret':
      return [
        {
          name: 'clientSecret',
          label: 'Client secret value',
          type: 'password',
          hint: 'From the app registration: Certificates & secrets.',
        },
        {
          name: 'expiresOn',
          label: 'Expires on',
          type: 'date',
          optional: true,
          hint: 'As Entra shows it beside the secret: the status warns 30 days before.',
        },
      ];
    case 'certificate':
      return [
        {
          name: 'certificatePem',
          label: 'Private key and certificate (PEM)',
          type: 'textarea',
          hint: 'Both in one text; the certificate’s expiry is read from it.',
        },
      ];
    case 'sandbox':
      return [{ name: 'token', label: 'Sandbox Graph token', type: 'password' }];
    default:
      return `This tenant signs in with ${authKind}: the connector makes and renews that certificate itself, so there is no secret to write here (the admin API's certificate routes show and roll it).`;
  }
}

function secretForm(
  view: CredentialsView,
  form: 'pbx' | 'graph',
  title: string,
  fields: FieldSpec[],
  csrfToken: string,
  error: CredentialFormError | undefined,
): SafeHtml {
  return html`<form method="post" action="${tenantPath(view.tenantId)}/credentials/${form}" class="panel" data-busy="Saving…">
    <h2 id="form-${form}">${title}</h2>
    ${error?.form === form ? html`<p class="error" role="alert" id="${form}-summary">${error.message}</p>` : ''}
    <input type="hidden" name="csrf" value="${csrfToken}" />
    ${fields.map((spec) => field(form, spec, error))}
    <button type="submit">Save ${form === 'pbx' ? 'PBX credential' : 'Microsoft 365 secret'}</button>
  </form>`;
}

export function credentialsBody(
  view: CredentialsView,
  csrfToken: string,
  options: { notice?: string; error?: CredentialFormError } = {},
): SafeHtml {
  const graph = graphFields(view.graphAuthKind);
  return html`<h1>Credentials of <a href="${tenantPath(view.tenantId)}">${view.tenantId}</a></h1>
    ${options.notice ? html`<p class="note" role="status">${options.notice}</p>` : ''}
    <p>
      What the connector signs in with. Values are written to the secret store and never shown again — not here, not in the admin API, not
      in logs. Writing one replaces the old value.
    </p>
    <div class="table-wrap">
      <table>
        <thead>
          <tr>
            <th scope="col">Secret</th>
            <th scope="col">State</th>
          </tr>
        </thead>
        <tbody>
          ${view.secrets.map(
            (s) =>
              html`<tr>
                <th scope="row">${SECRET_LABELS[s.kind]}</th>
                <td>${secretState(s)}</td>
              </tr>`,
          )}
        </tbody>
      </table>
    </div>
    ${secretForm(view, 'pbx', `PBX (${view.pbxKind} at ${view.pbxBaseUrl})`, pbxFields(view.pbxKind), csrfToken, options.error)}
    ${
      typeof graph === 'string'
        ? html`<section class="panel" aria-labelledby="form-graph">
            <h2 id="form-graph">Microsoft 365</h2>
            <p>${graph}</p>
          </section>`
        : secretForm(view, 'graph', `Microsoft 365 (${view.graphAuthKind})`, graph, csrfToken, options.error)
    }`;
}
