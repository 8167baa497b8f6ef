import { afterEach, beforeEach, expect, it } from 'vitest';
import { type PbxUsers } from '../../../shared/pbx/ports/PbxUsers';
import { type PbxProfile } from '../../../shared/pbx/ports/PbxProfile';
import { type PbxUserFields } from '../../../shared/pbx/ports/PbxUserFields';
import { refusal } from '../../support/refusal';

/** One PBX product behind the users port: a fresh, empty PBX, its adapter, and the simulator's controls. */
export interface PbxUsersRig {
  users: PbxUsers;
  profile: PbxProfile;
  /** The user fields this product keeps (others are not on its extensions and read back as ''). */
  keptFields: readonly (keyof PbxUserFields)[];
  /** The n-th valid extension number for this PBX (its length rule). */
  numberOf(n: number): string;
  /** Something that is not a user takes the number (a ring group). */
  addNonUserNumber(number: string, name: string): void;
  throttleNext(count: number, retryAfterSeconds: number): void;
  failNext(count: number, status: number): void;
  stop(): Promise<void>;
}

/**
 * What the users feature relies on from any PBX adapter, written once and run on every product
 * (portSipUsers.contract.test.ts, threeCxUsers.contract.test.ts) over its simulator: the sync engine plans
 * against these behaviours and nothing product-specific.
 */
export function pbxUsersContract(start: () => Promise<PbxUsersRig>): void {
  let rig: PbxUsersRig;
  beforeEach(async () => {
    rig = await start();
  });
  afterEach(async () => {
    await rig.stop();
  });

  const newUser = (n: number, extra: Partial<PbxUserFields & { extensionNumber: string }> = {}) => ({
    userName: `user${n}`,
    extensionNumber: rig.numberOf(n),
    displayName: `Ada Lovelace ${n}`,
    email: `ada${n}@contoso.com`,
    mobilePhone: '+1 206 555 0100',
    workPhone: '+1 425 555 0100',
    department: 'Sales',
    enabled: true,
    ...(rig.profile.splitNames ? { givenName: 'Ada', surname: `Lovelace ${n}` } : {}),
    ...extra,
  });
  const kept = (fields: Partial<PbxUserFields>) =>
    Object.fromEntries(Object.entries(fields).filter(([key]) => rig.keptFields.includes(key as keyof PbxUserFields)));

  it('creates a user that reads back with its number and the fields the product keeps', async () => {
    const wanted = newUser(1);
    const { id } = await rig.users.createUser(wanted);
    const read = await rig.users.getUser(id);
    expect(read).not.toBeNull();
    expect(read!.id).toBe(id);
    expect(read!.extensionNumber).toBe(rig.numberOf(1));
    expect(kept(read!)).toEqual(kept(wanted));
  });

  it('updates only the fields it is given, disables, and deletes (twice is fine)', async () => {
    const { id } = await rig.users.createUser(newUser(2));
    await rig.users.updateUser(id, { email: 'ada.l@contoso.com' });
    const afterEmail = await rig.users.getUser(id);
    expect(afterEmail!.email).toBe('ada.l@contoso.com');
    expect(afterEmail!.displayName).toBe('Ada Lovelace 2');
    await rig.users.updateUser(id, { enabled: false });
    expect((await rig.users.getUser(id))!.enabled).toBe(false);
    await rig.users.deleteUser(id);
    expect(await rig.users.getUser(id)).toBeNull();
    await rig.users.deleteUser(id);
  });

  it('lists every user across pages (more than one page of 100)', async () => {
    for (let n = 0; n < 105; n++) await rig.users.createUser(newUser(10 + n));
    const numbers: string[] = [];
    for await (const page of rig.users.listUsers()) numbers.push(...page.map((u) => u.extensionNumber));
    expect(numbers.sort()).toEqual(Array.from({ length: 105 }, (_, n) => rig.numberOf(10 + n)).sort());
  });

  it('says who holds a number: a user, something else, or nobody; and lists the numbers held by non-users', async () => {
    const { id } = await rig.users.createUser(newUser(3));
    rig.addNonUserNumber(rig.numberOf(4), 'Sales line');
    expect(await rig.users.findNumberOwner(rig.numberOf(3))).toMatchObject({ id, extensionNumber: rig.numberOf(3), type: 'EXTENSION' });
    const other = await rig.users.findNumberOwner(rig.numberOf(4));
    expect(other?.type).not.toBe('EXTENSION');
    expect(other?.extensionNumber).toBe(rig.numberOf(4));
    expect(await rig.users.findNumberOwner(rig.numberOf(5))).toBeNull();
    const nonUser = await rig.users.listNonUserNumbers();
    expect(nonUser).toContain(rig.numberOf(4));
    expect(nonUser).not.toContain(rig.numberOf(3));
  });

  it('refuses a number that is taken with CONFLICT, and creates nothing', async () => {
    await rig.users.createUser(newUser(6));
    rig.addNonUserNumber(rig.numberOf(7), 'IVR');
    await refusal(rig.users.createUser(newUser(8, { extensionNumber: rig.numberOf(6) })), 'CONFLICT');
    await refusal(rig.users.createUser(newUser(9, { extensionNumber: rig.numberOf(7) })), 'CONFLICT');
    let count = 0;
    for await (const page of rig.users.listUsers()) count += page.length;
    expect(count).toBe(1);
  });

  it('rides out a 429 and a 503 (retried), and counts its requests', async () => {
    const before = rig.users.requestCount();
    rig.throttleNext(1, 0);
    rig.failNext(1, 503);
    const { id } = await rig.users.createUser(newUser(11));
    expect(await rig.users.getUser(id)).not.toBeNull();
    expect(rig.users.requestCount()).toBeGreaterThan(before + 2);
  });
}
