// NumberColumn keeps values in blocks: whatever the count (below, at and past block edges), toArray
// gives every value pushed, in order, bit for bit, as an array of exactly that length.
import { describe, expect, it } from 'vitest';
import { NumberColumn } from '../../lambdas/tabular/typed-column';

const valueAt = (i: number): number => (i % 7 === 0 ? -0 : i % 11 === 0 ? NaN : i * 1.25 - 3);

describe('NumberColumn', () => {
  it.each([0, 1, 1023, 1024, 1025, 1024 + 65536, 1024 + 65537, 200_003])('holds %i values in order', (count) => {
    const column = new NumberColumn();
    for (let i = 0; i < count; i++) column.push(valueAt(i));
    const values = column.toArray();
    expect(column.length).toBe(count);
    expect(values.length).toBe(count);
    let mismatches = 0;
    for (let i = 0; i < count; i++) if (!Object.is(values[i], valueAt(i))) mismatches += 1;
    expect(mismatches).toBe(0);
  });

  it('gives a copy that later pushes leave alone', () => {
    const column = new NumberColumn();
    column.push(1);
    const before = column.toArray();
    before[0] = 99;
    column.push(2);
    expect(Array.from(column.toArray())).toEqual([1, 2]);
    expect(Array.from(before)).toEqual([99]);
  });
});
