import { describe, expect, it } from 'vitest';
import { pbxGroupName } from '../../../../shared/features/groups/pbxGroupName';

const GROUP = '3f2504e0-4f89-41d3-9a0c-0305e82c3301';
const OTHER = '9b2f6a1c-0d4e-4b8f-a1c2-3d4e5f6a7b8c';
const none = () => false;

describe('pbxGroupName', () => {
  it('keeps a display name that fits and is free, spaces collapsed', () => {
    expect(pbxGroupName('  Sales   EMEA ', GROUP, 64, none)).toEqual({ name: 'Sales EMEA', clashed: false });
  });

  it('cuts a long name to the limit with a suffix derived from the group id, the same every time', () => {
    const long = 'Customer Success and Account Management — Northern Europe and the Baltics';
    const first = pbxGroupName(long, GROUP, 64, none);
    expect(Array.from(first.name)).toHaveLength(64);
    expect(first.name).toMatch(/^Customer Success and Account Management — Northern Euro \([0-9a-f]{6}\)$/);
    expect(first.clashed).toBe(false);
    expect(pbxGroupName(long, GROUP, 64, none)).toEqual(first);
    // Another group with the same long name gets another suffix: the two never collide.
    expect(pbxGroupName(long, OTHER, 64, none).name).not.toBe(first.name);
  });

  it('never splits a surrogate pair when cutting', () => {
    const name = `${'a'.repeat(50)}😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀`;
    const { name: cut } = pbxGroupName(name, GROUP, 64, none);
    expect(Array.from(cut)).toHaveLength(64);
    expect(cut).not.toMatch(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])/);
  });

  it('takes a suffixed name when another PBX group has the name (in any case) and says it clashed', () => {
    const taken = (name: string) => name.toLowerCase() === 'sales';
    const choice = pbxGroupName('Sales', GROUP, 64, taken);
    expect(choice.clashed).toBe(true);
    expect(choice.name).toMatch(/^Sales \([0-9a-f]{6}\)$/);
  });

  it('takes a longer suffix when the short one is taken too', () => {
    const short = pbxGroupName('Sales', GROUP, 64, (n) => n === 'Sales').name;
    const choice = pbxGroupName('Sales', GROUP, 64, (n) => n === 'Sales' || n === short);
    expect(choice.name).toMatch(/^Sales \([0-9a-f]{10}\)$/);
    expect(choice.clashed).toBe(true);
  });

  it('names a group without a display name after its id', () => {
    expect(pbxGroupName('   ', GROUP, 64, none).name).toMatch(/^Group [0-9a-f]{8}$/);
  });
});
