import { checkObjectName, isVersion, VaultError } from './VaultError';
import { type VaultKeys } from './VaultKeys';

/** What the key routes need besides the keys: paging of version lists, and the 501 for anything else. */
export interface KeyRouteContext {
  keys: VaultKeys;
  list: (items: object[]) => object;
  notImplemented: () => VaultError;
}

/**
 * The `/keys` and `/deletedkeys` routes @azure/keyvault-keys calls (KeyClient and CryptographyClient). `segments`
 * are the decoded path parts after the collection: name, then a version or an action, then a version's action.
 */
export async function routeKeyRequest(
  context: KeyRouteContext,
  method: string,
  collection: 'keys' | 'deletedkeys',
  segments: string[],
  json: unknown,
): Promise<[number, unknown]> {
  const { keys } = context;
  const [name, third, fourth, ...rest] = segments;
  if (name === undefined || rest.length > 0) throw context.notImplemented();
  checkObjectName(name, 'key');
  if (collection === 'deletedkeys') {
    if (method === 'GET' && third === undefined) return [200, keys.getDeleted(name)];
    if (method === 'DELETE' && third === undefined) {
      keys.purge(name);
      return [204, undefined];
    }
    if (method === 'POST' && third === 'recover' && fourth === undefined) return [200, keys.recover(name)];
    throw context.notImplemented();
  }
  if (fourth !== undefined && fourth !== '') {
    if (method !== 'POST' || third === undefined || !isVersion(third)) throw context.notImplemented();
    if (fourth === 'wrapkey') return [200, keys.wrap(name, third, json)];
    if (fourth === 'unwrapkey') return [200, keys.unwrap(name, third, json)];
    throw context.notImplemented();
  }
  if (method === 'POST' && third === 'create') return [200, await keys.create(name, json)];
  if (method === 'POST' && third === 'rotate') return [200, await keys.rotate(name)];
  if (method === 'GET' && third === 'versions') return [200, context.list(keys.listVersions(name))];
  if (method === 'GET' && (third === undefined || third === '')) return [200, keys.get(name, undefined)];
  if (method === 'GET' && isVersion(third ?? '')) return [200, keys.get(name, third)];
  if (method === 'GET') throw new VaultError(404, 'KeyNotFound', `A key with (name/id) ${name}/${third} was not found in this key vault.`);
  if (method === 'DELETE' && third === undefined) return [200, keys.delete(name)];
  throw context.notImplemented();
}
