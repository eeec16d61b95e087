// The result tables' input facts: each input file's sha256 is the one the validation took of the
// bytes it checked, not a second read at the end of the run (which a file replaced in between
// would change, making the run look like a repeat of an earlier one or not).
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LocalObjectStore } from '../../lib/local/local-object-store';
import { writeResultTables } from '../../lambdas/steps/write-result-tables';
import { parseResultTableText } from '../../lambdas/contracts/result-tables';

let root: string;
let store: LocalObjectStore;
const RUN = 'tables-test';

beforeEach(() => {
  root = mkdtempSync(path.join(os.tmpdir(), 'result-tables-'));
  mkdirSync(path.join(root, 'input', 'engagement'), { recursive: true });
  mkdirSync(path.join(root, 'out', RUN), { recursive: true });
  store = new LocalObjectStore({ inputDir: path.join(root, 'input'), mounts: [{ prefix: 'results/', dir: path.join(root, 'out') }] });
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

const qualityFile = (file: string, sha256?: string) => ({ study: 'engagement', file, input_rows: 1, accepted_rows: 1, quarantined_rows: 0, reasons: {}, ...(sha256 === undefined ? {} : { sha256 }) });

describe('writeResultTables', () => {
  it('takes each input file\'s sha256 from the validation, and hashes the file only when the validation gave none', async () => {
    const validated = 'student_id,date_registered\n1,2021-01-01\n';
    const replaced = 'student_id,date_registered\n1,2021-01-02\n';
    writeFileSync(path.join(root, 'input', 'engagement', 'student_info.csv'), replaced);
    writeFileSync(path.join(root, 'input', 'engagement', 'student_purchases.csv'), replaced);
    const sha = (text: string) => createHash('sha256').update(text).digest('hex');
    writeFileSync(
      path.join(root, 'out', RUN, 'data_quality.json'),
      JSON.stringify({ files: [qualityFile('student_info.csv', sha(validated)), qualityFile('student_purchases.csv')] }),
    );
    await writeResultTables(store, RUN, { periods: { baseline: '2021Q2', comparison: '2022Q2' }, studiesRan: { engagement: false, mooc: false } });
    const inputs = parseResultTableText(readFileSync(path.join(root, 'out', RUN, 'tables', 'result_inputs', 'result_inputs.json'), 'utf8'));
    expect(inputs.map((row) => [row.file, row.sha256])).toEqual([
      ['student_info.csv', sha(validated)],
      ['student_purchases.csv', sha(replaced)],
    ]);
  });
});
