// The validated MOOC rows survive the binary object the later MOOC steps read: every column bit for
// bit (-0 included), the notes and the quarantined rows.
import { describe, expect, it } from 'vitest';
import { decodeMoocActions, encodeMoocActions } from '../../lambdas/tabular/mooc-actions-file';
import { loadMoocActions } from '../../lambdas/tabular/mooc-load';

const actions = 'ACTIONID\tUSERID\tTARGETID\tTIMESTAMP\n0\t1\t2\t10.5\n1\t1\t3\t11\n2\t2\t3\tnope\n3\t2\t4\t12.25\n3\t5\t4\t13\n';
const features = 'ACTIONID\tFEATURE0\tFEATURE1\tFEATURE2\tFEATURE3\n0\t-0\t0.1\t5\t1e3\n1\t-0.3199914794575269\tx\t2\t3\n2\t1\t\t3\t4\n3\t5\t6\t7\t8\n3\t1\t1\t1\t1\n';
const labels = 'ACTIONID\tLABEL\n0\t0\n1\t1\n2\t0\n3\t1\n3\t0\n';

describe('the validated MOOC actions file', () => {
  it('decodes to what the validation loaded, bit for bit, from a Buffer at any offset', async () => {
    const loaded = await loadMoocActions({ actions, features, labels }, { rowFaults: 'quarantine' });
    expect(loaded.rejected.map((row) => row.line)).toEqual([3, 4]); // the quarantined rows travel too
    const encoded = encodeMoocActions(loaded);
    // A stored object comes back as a Buffer, possibly at an odd offset of a larger allocation.
    const holder = Buffer.alloc(encoded.length + 3);
    holder.set(encoded, 3);
    const decoded = decodeMoocActions(holder.subarray(3), 'actions.bin');
    expect(decoded.n).toBe(loaded.n);
    for (const name of ['actionId', 'userId', 'targetId', 'timestamp'] as const) {
      expect(Array.from(decoded[name]).map((x) => Object.is(x, -0) ? '-0' : x)).toEqual(Array.from(loaded[name]).map((x) => Object.is(x, -0) ? '-0' : x));
    }
    loaded.features.forEach((column, k) => {
      expect(Array.from(decoded.features[k]!).every((x, i) => Object.is(x, column[i]))).toBe(true);
    });
    expect(Object.is(decoded.features[0]![0], -0)).toBe(true);
    expect(Array.from(decoded.label)).toEqual(Array.from(loaded.label));
    expect(decoded.notes).toEqual(loaded.notes);
    expect(decoded.rejected).toEqual(loaded.rejected);
    // At an aligned offset the columns are views of the stored bytes: the same values.
    const alignedHolder = Buffer.alloc(encoded.length + 8);
    alignedHolder.set(encoded, 8);
    expect(decodeMoocActions(alignedHolder.subarray(8), 'actions.bin')).toEqual(decoded);
  });

  it('refuses bytes that are not such a file or are cut short', async () => {
    const loaded = await loadMoocActions({ actions, features, labels }, { rowFaults: 'quarantine' });
    const encoded = encodeMoocActions(loaded);
    expect(() => decodeMoocActions(encoded.subarray(0, encoded.length - 1), 'a.bin')).toThrow('a.bin: ');
    expect(() => decodeMoocActions(new TextEncoder().encode('ACTIONID\tUSERID\n'), 'b.bin')).toThrow('b.bin: not a validated MOOC actions file');
  });
});
