// The byte-reading loaders must give exactly what the generic readers give: the same columns for
// every file they read, and the same error (file, row, reason) for every file they decline.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  loadCohortColumn,
  loadCohortFile,
  loadMinutesAndCertificates,
  parseCohortFile,
  parseMinutesAndCertificates,
  readCohortColumn,
} from '../../lambdas/tabular/cohort-file';

const open = (text: string) => async () => [new TextEncoder().encode(text)];

async function outcome<T>(read: () => Promise<T>): Promise<T | string> {
  try {
    return await read();
  } catch (error) {
    return `error: ${(error as Error).message}`;
  }
}

const value = fc.oneof(
  fc.integer({ min: 0, max: 10_000 }).map(String),
  fc.double({ min: 0, max: 1e6, noNaN: true }).map((x) => x.toFixed(2)),
  fc.constantFrom('', '-1', '1.5', 'abc', ' 7', '"3"', '"4.25"', '1e3', '9007199254740993', '0', '1'),
);
const row = fc.tuple(value, value, value);

describe('cohort loaders read bytes like the generic readers', () => {
  it('loadCohortFile = parseCohortFile, results and errors', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(row, { maxLength: 6 }), fc.constantFrom('paid_in_period', 'paid_in_q2', 'paid'), fc.boolean(), async (rows, paidName, quoteHeader) => {
        const header = ['student_id', 'minutes_watched', paidName].map((name) => (quoteHeader ? `"${name}"` : name)).join(',');
        const text = [header, ...rows.map((fields) => fields.join(','))].join('\n') + '\n';
        expect(await outcome(() => loadCohortFile(open(text), 'c.csv'))).toEqual(await outcome(async () => parseCohortFile(await open(text)(), 'c.csv')));
        for (const column of ['student_id', 'minutes_watched'] as const) {
          expect(await outcome(() => loadCohortColumn(open(text), 'c.csv', column))).toEqual(
            await outcome(async () => readCohortColumn(await open(text)(), 'c.csv', column)),
          );
        }
      }),
      { numRuns: 500 },
    );
  });

  it('loadMinutesAndCertificates = parseMinutesAndCertificates, results and errors', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(row, { maxLength: 6 }), async (rows) => {
        const text = ['student_id,certificates_issued,minutes_watched', ...rows.map((fields) => fields.join(','))].join('\n');
        expect(await outcome(() => loadMinutesAndCertificates(open(text), 'm.csv'))).toEqual(
          await outcome(async () => parseMinutesAndCertificates(await open(text)(), 'm.csv')),
        );
      }),
      { numRuns: 500 },
    );
  });

  it('reads a plain file from its bytes in one pass (the generic reader is not needed)', async () => {
    let opened = 0;
    const counting = async () => {
      opened++;
      return [new TextEncoder().encode('"student_id","minutes_watched","paid_in_period"\n"5","1.25","1"\n"6","0.00","1"\n')];
    };
    const cohort = await loadCohortFile(counting, 'c.csv');
    expect(opened).toBe(1);
    expect(Array.from(cohort.studentIds)).toEqual([5, 6]);
    expect(Array.from(cohort.minutes)).toEqual([1.25, 0]);
    expect(Array.from(cohort.paid)).toEqual([1, 1]);
  });
});
