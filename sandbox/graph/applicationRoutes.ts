import { type IncomingMessage, type ServerResponse } from 'node:http';
import { z } from 'zod';
import { type ApplicationView, DuplicateKeyCredentialError, type EntraSandbox } from '../entra/EntraSandbox';
import { type GraphCaller } from './graphCaller';
import { sendGraphError, sendJson } from './graphErrors';
import { checkProof } from './proofOfPossession';
import { BadBodyError, readJsonBody } from './readJsonBody';
import { selectionOf } from './userProjection';

export interface ApplicationRouteDeps {
  baseUrl: string;
  entra: EntraSandbox;
}

const PROOF = z.string().min(1).max(16_000);
const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;

const AddKeyBodySchema = z.object({
  keyCredential: z.looseObject({
    type: z.literal('AsymmetricX509Cert'),
    usage: z.literal('Verify'),
    key: z.string().max(20_000).regex(BASE64, 'must be the base64 DER of a certificate'),
    displayName: z.string().max(256).nullish(),
  }),
  // Secrets go through addPassword; the sandbox models addKey for certificates only.
  passwordCredential: z.null().optional(),
  proof: PROOF,
});

const RemoveKeyBodySchema = z.object({ keyId: z.uuid(), proof: PROOF });

/** The application properties the sandbox models; also Graph's default set here. */
const APPLICATION_PROPERTIES = ['id', 'appId', 'displayName', 'signInAudience', 'keyCredentials', 'passwordCredentials', 'web'] as const;

const notFound = (id: string) => `Resource '${id}' does not exist or one of its queried reference-property objects are not present.`;
const denied = () => 'Insufficient privileges to complete the operation.';

/**
 * `GET /applications/{objectId}`, `GET /applications(appId='{appId}')` and the key-rolling actions
 * `POST …/addKey` and `POST …/removeKey` (either address). Answers and returns true when the path is one of these.
 */
export async function handleApplicationRoute(
  deps: ApplicationRouteDeps,
  caller: GraphCaller,
  method: string,
  path: string,
  url: URL,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<boolean> {
  let decoded: string;
  try {
    // Clients may send `applications(appId=%27…%27)`; both spellings address the same object.
    decoded = decodeURIComponent(path);
  } catch {
    return false;
  }
  const match = /^\/applications(?:\/([^/()']+)|\(appId='([^/']+)'\))(?:\/(?:microsoft\.graph\.)?(addKey|removeKey))?$/.exec(decoded);
  if (!match) return false;
  const ref = match[1] !== undefined ? { objectId: match[1] } : { appId: match[2]! };
  const action = match[3] as 'addKey' | 'removeKey' | undefined;
  const expectedMethod = action ? 'POST' : 'GET';
  if (method !== expectedMethod) {
    sendGraphError(res, 405, 'Request_BadRequest', `${method} is not supported on ${decoded}.`);
    return true;
  }
  const app = deps.entra.application(ref);
  // An app registration lives in its home directory: a token from another directory does not see it.
  if (!app || (caller.kind === 'application' && caller.directoryId !== app.homeDirectoryId)) {
    sendGraphError(res, 404, 'Request_ResourceNotFound', notFound(match[1] ?? match[2]!));
    return true;
  }
  if (!action) {
    // ⚠ Real Graph needs Application.Read.All (or the caller owning the app) for this read; the sandbox lets an app
    // read its own registration, which is all the connector's key rolling needs, and the fixed sandbox token read any.
    if (caller.kind === 'application' && caller.appId !== app.appId) {
      sendGraphError(res, 403, 'Authorization_RequestDenied', denied());
      return true;
    }
    read(deps, app, url, res);
    return true;
  }
  // An application may roll its own keys with no permission at all, only with its own token and a proof; nobody
  // else may do it through these actions (the fixed sandbox token has no application identity).
  if (caller.kind !== 'application' || caller.appId !== app.appId) {
    sendGraphError(res, 403, 'Authorization_RequestDenied', denied());
    return true;
  }
  try {
    if (action === 'addKey') await addKey(deps, app, req, res);
    else await removeKey(deps, app, req, res);
  } catch (err) {
    if (!(err instanceof BadBodyError)) throw err;
    sendGraphError(res, err.status, 'Request_BadRequest', err.message);
  }
  return true;
}

function read(deps: ApplicationRouteDeps, app: ApplicationView, url: URL, res: ServerResponse): void {
  const selection = selectionOf(url, APPLICATION_PROPERTIES);
  const unknown = selection.properties.find((p) => !(APPLICATION_PROPERTIES as readonly string[]).includes(p));
  if (unknown !== undefined) {
    return sendGraphError(
      res,
      400,
      'Request_BadRequest',
      `Could not find a property named '${unknown}' on type 'microsoft.graph.application'.`,
    );
  }
  const all: Record<string, unknown> = {
    id: app.objectId,
    appId: app.appId,
    displayName: app.displayName,
    signInAudience: app.multiTenant ? 'AzureADMultipleOrgs' : 'AzureADMyOrg',
    keyCredentials: app.keyCredentials,
    passwordCredentials: app.passwordCredentials,
    web: { redirectUris: app.redirectUris },
  };
  const body: Record<string, unknown> = {
    '@odata.context': `${deps.baseUrl}/v1.0/$metadata#applications${selection.query ? `(${selection.query})` : ''}/$entity`,
  };
  for (const p of selection.properties) body[p] = all[p];
  sendJson(res, 200, body);
}

/** A refused proof. ⚠ The status and code real Graph gives are unverified; the reason text is the sandbox's. */
function sendProofRefused(res: ServerResponse, reason: string): void {
  sendGraphError(res, 400, 'Request_BadRequest', `Proof of possession validation failed: ${reason}.`);
}

async function addKey(deps: ApplicationRouteDeps, app: ApplicationView, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const body = await readJsonBody(req, AddKeyBodySchema);
  // The proof is judged on Entra's clock: the keys, their validity and the tokens all live there.
  const proof = checkProof(body.proof, { objectId: app.objectId, keys: deps.entra.proofKeys(app.objectId), now: deps.entra.now() });
  if (!proof.ok) return sendProofRefused(res, proof.reason);
  let added;
  try {
    added = deps.entra.addKeyCredential(
      app.objectId,
      Buffer.from(body.keyCredential.key, 'base64'),
      body.keyCredential.displayName ?? undefined,
    );
  } catch (err) {
    // ⚠ Real Graph refuses a certificate the app already has; its exact status, code and text are unverified.
    if (err instanceof DuplicateKeyCredentialError) return sendGraphError(res, 400, 'Request_BadRequest', err.message);
    return sendGraphError(res, 400, 'Request_BadRequest', `keyCredential.key: ${err instanceof Error ? err.message : String(err)}`);
  }
  sendJson(res, 200, { '@odata.context': `${deps.baseUrl}/v1.0/$metadata#microsoft.graph.keyCredential`, ...added });
}

async function removeKey(deps: ApplicationRouteDeps, app: ApplicationView, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const body = await readJsonBody(req, RemoveKeyBodySchema);
  const proof = checkProof(body.proof, { objectId: app.objectId, keys: deps.entra.proofKeys(app.objectId), now: deps.entra.now() });
  if (!proof.ok) return sendProofRefused(res, proof.reason);
  // ⚠ The message for an unknown keyId is the sandbox's; 404 is what Graph documents for a missing resource.
  if (!deps.entra.removeKeyCredential(app.objectId, body.keyId)) {
    return sendGraphError(
      res,
      404,
      'Request_ResourceNotFound',
      `No key credential with keyId '${body.keyId}' on application '${app.objectId}'.`,
    );
  }
  res.writeHead(204);
  res.end();
}
