// NumberColumn: values pushed across chunk boundaries come back in order, exactly, at exact length.
import { describe, expect, it } from 'vitest';
import { NumberColumn } from '../../lambdas/core/typed-column';

describe('NumberColumn', () => {
  it('returns every pushed value in order across chunk boundaries', () => {
    for (const n of [0, 1, 65_535, 65_536, 65_537, 200_001]) {
      const column = new NumberColumn();
      for (let i = 0; i < n; i++) column.push(i * 0.5 - 7);
      const values = column.toArray();
      expect(column.length).toBe(n);
      expect(values.length).toBe(n);
      let wrong = 0;
      for (let i = 0; i < n; i++) if (values[i] !== i * 0.5 - 7) wrong += 1;
      expect(wrong).toBe(0);
    }
  });

  it('gives a copy that stays as it was while the column grows', () => {
    const column = new NumberColumn();
    column.push(1);
    column.push(2);
    const first = column.toArray();
    column.push(3);
    expect([...first]).toEqual([1, 2]);
    expect([...column.toArray()]).toEqual([1, 2, 3]);
  });
});
