import { type z } from 'zod';
import { type PortSipCalls } from './PortSipApi';
import { listPageSchema } from './portSipSchemas';

/** PortSIP's maximum `top`. */
export const PORTSIP_PAGE_SIZE = 100;

/**
 * Every item of a PortSIP list, page by page. `skip` advances by what came back (a server may cap `top`
 * below 100) and items are de-duplicated by key, so that ⚠ a 1-based `skip` (the docs' prose, against the
 * spec) costs one repeated item per page instead of a lost one. Stops at `count`, at an empty page, or at a
 * page with nothing new.
 */
export async function* portSipPages<T extends z.ZodType>(
  api: Pick<PortSipCalls, 'read'>,
  path: string,
  item: T,
  what: string,
  keyOf: (item: z.output<T>) => string,
): AsyncIterable<z.output<T>[]> {
  const schema = listPageSchema(item);
  const seen = new Set<string>();
  let unkeyed = 0;
  for (let skip = 0; ;) {
    const page = await api.read(schema, 'GET', `${path}?skip=${skip}&top=${PORTSIP_PAGE_SIZE}`, { what });
    const items = page.items as z.output<T>[];
    const fresh = items.filter((entry) => {
      const key = keyOf(entry) || `#${(unkeyed += 1)}`;
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    });
    if (fresh.length > 0) yield fresh;
    skip += items.length;
    const complete = typeof page.count === 'number' ? seen.size >= page.count : items.length < PORTSIP_PAGE_SIZE;
    if (items.length === 0 || fresh.length === 0 || complete) return;
  }
}
