// The README's results table is what analysts read to find a file: it must list exactly the
// catalogued result files (lambdas/contracts/result-files.ts), each with its meaning and, for a CSV,
// its columns in order.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { RESULT_FILES, resultFileIdOf, resultFileKey, type ResultFileEntry } from '../../lambdas/contracts/result-files';

const README = readFileSync(path.resolve(__dirname, '../../README.md'), 'utf8');

/** The rows of the first table under "## Results": file cell -> content cell, as markdown. */
function resultsTable(markdown: string): { files: string[]; content: string }[] {
  const start = markdown.indexOf('\n## Results\n');
  expect(start, 'README has a "## Results" section').toBeGreaterThanOrEqual(0);
  const section = markdown.slice(start);
  const lines = section.split('\n');
  const header = lines.findIndex((line) => /^\|\s*file\s*\|\s*content\s*\|$/.test(line));
  expect(header, 'the Results section has a | file | content | table').toBeGreaterThan(0);
  const rows: { files: string[]; content: string }[] = [];
  for (const line of lines.slice(header + 2)) {
    if (!line.startsWith('|')) break;
    // Cells split on | not escaped as \| (file names such as _paid_<0\|1> hold one).
    const cells = line.slice(1, -1).split(/(?<!\\)\|/).map((cell) => cell.trim().replace(/\\\|/g, '|'));
    expect(cells, line).toHaveLength(2);
    rows.push({ files: [...cells[0]!.matchAll(/`([^`]+)`/g)].map((match) => match[1]!), content: cells[1]! });
  }
  return rows;
}

const plain = (markdown: string) => markdown.replace(/`/g, '');
const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const entries: [string, ResultFileEntry][] = Object.entries(RESULT_FILES);

describe('README results table against the catalogue', () => {
  const rows = resultsTable(README);

  it('lists every catalogued file once and nothing else', () => {
    const listed = rows.flatMap((row) => row.files);
    expect(listed.length).toBe(new Set(listed).size);
    expect(new Set(listed)).toEqual(new Set(entries.map(([, entry]) => resultFileKey(entry))));
  });

  it.each(entries)('%s: its row gives the meaning and, for a CSV, the columns in order', (_id, entry) => {
    const row = rows.find((candidate) => candidate.files.includes(resultFileKey(entry)));
    expect(row, resultFileKey(entry)).toBeDefined();
    expect(plain(row!.content)).toContain(plain(entry.meaning));
    // The whole header as a list: no column more or less at either end (user_id, segment is not user_id, segments).
    if (entry.columns) expect(plain(row!.content)).toMatch(new RegExp(`(?<![\\w,] ?)${escapeRegExp(entry.columns.join(', '))}(?![\\w]|, \\w)`));
  });

  it('splits a row on unescaped bars only', () => {
    const table = '\n## Results\n\n| file | content |\n|---|---|\n| `a_<0\\|1>.csv`, `b.json` | x \\| y |\n\ntext';
    expect(resultsTable(table)).toEqual([{ files: ['a_<0|1>.csv', 'b.json'], content: 'x | y' }]);
  });
});

describe('the catalogue', () => {
  it('names each file once, with a CSV\'s columns unique and a JSON file\'s type', () => {
    const keys = entries.map(([, entry]) => resultFileKey(entry));
    expect(new Set(keys).size).toBe(keys.length);
    for (const [id, entry] of entries) {
      if (entry.columns) expect(new Set(entry.columns).size, id).toBe(entry.columns.length);
      if (entry.format === 'json') expect(entry.schema, id).toBeTruthy();
      expect(entry.producers.length, id).toBeGreaterThan(0);
    }
  });
});

describe('resultFileIdOf', () => {
  it('finds the entry of a run\'s key, placeholders standing for what they mean', () => {
    expect(resultFileIdOf('engagement/minutes_watched_2021Q2_paid_1.csv')).toBe('cohortMinutes');
    expect(resultFileIdOf('engagement/minutes_watched_2021Q2_paid_1_no_outliers.csv')).toBe('cohortMinutesWithoutOutliers');
    expect(resultFileIdOf('report/charts/engagement_means.vl.json')).toBe('reportCharts');
    expect(resultFileIdOf('quarantine/student_info.csv')).toBe('quarantine');
    expect(resultFileIdOf('manifest.json')).toBe('manifest');
    expect(resultFileIdOf('engagement/minutes_watched_2021Q5_paid_1.csv')).toBeUndefined();
    expect(resultFileIdOf('engagement/minutes_watched_2021Q2_paid_2.csv')).toBeUndefined();
    expect(resultFileIdOf('report/charts/a.gif')).toBeUndefined();
    expect(resultFileIdOf('engagement/notes.txt')).toBeUndefined();
  });
});
