import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { loadMoocActions } from '../../lambdas/tabular/mooc-load';
import { NumberFieldParser, parseNumberField } from '../../lambdas/tabular/number-field';

const encoder = new TextEncoder();

/** The loader's rule, spelled with the built-in parser: blank is NaN, else Number(text). */
function expected(text: string): number {
  return text.trim().length === 0 ? NaN : Number(text);
}

const ODD_FIELDS = ['', ' ', '-', '.', '-.', '5.', '.5', '-.5', '-0', '0', '007', '-007.50', '+1', '1e3', '1E-7', ' 12 ', '0x1F', '1_000', 'Infinity', '-Infinity', 'NaN', '1.2.3', '--1', '1-', 'abc', '\uFEFF5', 'é', '9007199254740993', '123456789012345', '1234567890123456', '0.1', '0.3', '-0.3199914794575269'];

const decimal = fc
  .tuple(fc.boolean(), fc.stringMatching(/^[0-9]{1,20}$/), fc.option(fc.stringMatching(/^[0-9]{0,20}$/)))
  .map(([negative, whole, fraction]) => `${negative ? '-' : ''}${whole}${fraction === null ? '' : `.${fraction}`}`);
const field = fc.oneof(decimal, fc.double().map(String), fc.constantFrom(...ODD_FIELDS), fc.string({ maxLength: 6 }).filter((s) => !/[\t\r\n]/.test(s)));

describe('number fields from bytes', () => {
  it('equal Number(text) for decimals of any length, doubles printed by JS and odd text', () => {
    fc.assert(
      fc.property(fc.array(field, { minLength: 1, maxLength: 40 }), (texts) => {
        const parser = new NumberFieldParser();
        // Each text twice, so the memo answers the second time.
        for (const text of [...texts, ...texts]) {
          const bytes = encoder.encode(`\t${text}\t`);
          const want = expected(text);
          expect(Object.is(parseNumberField(bytes, 1, bytes.length - 1), want), JSON.stringify(text)).toBe(true);
          expect(Object.is(parser.parse(bytes, 1, bytes.length - 1), want), JSON.stringify(text)).toBe(true);
        }
      }),
      { numRuns: 500 },
    );
  });

  it('keep answering right when keys collide and once the memo is full', () => {
    // A 4-slot table holding the first 2 fields: lookups walk past keys one first digit apart
    // or of another length; then the default table.
    for (const slotsLog2 of [2, 13]) {
      const parser = new NumberFieldParser(slotsLog2);
      const texts = [...Array.from({ length: 10 }, (_, d) => `${d}.12345678901234567`), '0.123456789012345678', '0.1234567890123456'];
      for (let round = 0; round < 3; round++) {
        for (const text of texts) {
          const bytes = encoder.encode(text);
          expect(parser.parse(bytes, 0, bytes.length), `${text} (table 2^${slotsLog2})`).toBe(Number(text));
        }
      }
    }
  });
});

describe('loadMoocActions on bytes', () => {
  it('reads the same numbers as splitting decoded lines and calling Number(), for any chunking', async () => {
    const number = fc.oneof(fc.double({ min: -1e6, max: 1e6, noNaN: true }).map(String), decimal, fc.constantFrom('0.5', '-0.3199914794575269', '1e2'));
    const row = fc.tuple(fc.nat(1000), fc.nat(50), fc.nat(20), fc.nat(10 ** 7), fc.array(number, { minLength: 4, maxLength: 4 }), fc.constantFrom('0', '1'));
    await fc.assert(
      // Rows in time order, as the loader wants each user's actions.
      fc.asyncProperty(fc.array(row, { minLength: 1, maxLength: 30 }).map((rows) => [...rows].sort((a, b) => a[3] - b[3])), fc.nat(40), async (rows, chunkSize) => {
        const actions = ['ACTIONID\tUSERID\tTARGETID\tTIMESTAMP', ...rows.map(([id, user, target, t]) => `${id}\t${user}\t${target}\t${t / 10}`)].join('\n') + '\n';
        const features = ['ACTIONID\tFEATURE0\tFEATURE1\tFEATURE2\tFEATURE3', ...rows.map(([id, , , , f]) => [id, ...f].join('\t'))].join('\n') + '\n';
        const labels = ['ACTIONID\tLABEL', ...rows.map(([id, , , , , label]) => `${id}\t${label}`)].join('\n') + '\n';
        const chunked = (text: string) => {
          const bytes = encoder.encode(text);
          const size = chunkSize + 1;
          return Array.from({ length: Math.ceil(bytes.length / size) }, (_, i) => bytes.slice(i * size, (i + 1) * size));
        };
        const loaded = await loadMoocActions({ actions: chunked(actions), features: chunked(features), labels: chunked(labels) });
        expect(loaded.n).toBe(rows.length);
        rows.forEach(([id, user, target, t, f, label], i) => {
          expect(loaded.actionId[i]).toBe(id);
          expect(loaded.userId[i]).toBe(user);
          expect(loaded.targetId[i]).toBe(target);
          expect(loaded.timestamp[i]).toBe(Number(String(t / 10)));
          f.forEach((text, k) => expect(Object.is(loaded.features[k]![i], Number(text)), text).toBe(true));
          expect(loaded.label[i]).toBe(Number(label));
        });
      }),
      { numRuns: 200 },
    );
  });
});
