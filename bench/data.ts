// The benchmark's input data: generated once per size and seed with the project's own generator and
// kept under .cache/bench/ (gitignored); the real MOOC files are linked in place, never copied.
import { existsSync } from 'node:fs';
import { mkdir, readFile, rm, stat, symlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { ENGAGEMENT_TABLES, MOOC_TABLES, type RawTable } from '../lambdas/contracts/tables';
import { generateEngagementData, generateMoocData, type GeneratedTables } from '../lib/synthetic/synthetic-files';

export const CACHE_DIR = path.resolve(__dirname, '..', '.cache', 'bench');
/** The act-mooc files: $MOOC_DATA_DIR, else ../shared/data/mooc beside the repository (as the tests find them). */
export const REAL_MOOC_DIR = process.env.MOOC_DATA_DIR ? path.resolve(process.env.MOOC_DATA_DIR) : path.resolve(__dirname, '..', '..', 'shared', 'data', 'mooc');

/** Watch rows per student of the generator (measured: 98,696 rows for 62,500 students). */
const WATCH_ROWS_PER_STUDENT = 1.58;
/** Actions per MOOC user of the generator (measured on 3,000 users). */
export const MOOC_ACTIONS_PER_USER = 60;

export interface StudyData {
  /** The folder holding the study's files (…/engagement or …/mooc). */
  studyDir: string;
  rows: Record<string, number>;
  bytes: number;
  generatedMs?: number;
}

interface CacheRecord {
  rows: Record<string, number>;
  bytes: number;
  generatedMs: number;
}

export async function engagementData(watchRows: number, seed: number): Promise<StudyData> {
  const students = Math.max(1, Math.round(watchRows / WATCH_ROWS_PER_STUDENT));
  return cached(`engagement-w${watchRows}-s${seed}`, 'engagement', (outDir) => generateEngagementData({ students, seed, outDir }));
}

export async function moocData(actions: number, seed: number): Promise<StudyData> {
  const users = Math.max(1, Math.round(actions / MOOC_ACTIONS_PER_USER));
  return cached(`mooc-a${actions}-s${seed}`, 'mooc', (outDir) => generateMoocData({ users, seed, outDir }));
}

/** The real SNAP act-mooc files, read where they are. */
export async function realMoocData(): Promise<StudyData> {
  const rows: Record<string, number> = {};
  let bytes = 0;
  for (const table of MOOC_TABLES) {
    const file = path.join(REAL_MOOC_DIR, table.fileName);
    bytes += (await stat(file)).size;
    rows[table.fileName] = await countLines(file) - 1;
  }
  return { studyDir: REAL_MOOC_DIR, rows, bytes };
}

async function cached(name: string, study: 'engagement' | 'mooc', generate: (outDir: string) => Promise<GeneratedTables>): Promise<StudyData> {
  const dir = path.join(CACHE_DIR, name);
  const marker = path.join(dir, 'generated.json');
  if (existsSync(marker)) {
    const record = JSON.parse(await readFile(marker, 'utf8')) as CacheRecord;
    return { studyDir: path.join(dir, study), rows: record.rows, bytes: record.bytes };
  }
  await rm(dir, { recursive: true, force: true });
  await mkdir(dir, { recursive: true });
  process.stderr.write(`generating ${name} ...\n`);
  const started = performance.now();
  const generated = await generate(dir);
  const record: CacheRecord = { ...generated, generatedMs: Math.round(performance.now() - started) };
  await writeFile(marker, JSON.stringify(record, null, 2) + '\n');
  return { studyDir: path.join(dir, study), rows: record.rows, bytes: record.bytes, generatedMs: record.generatedMs };
}

/** An input folder holding only the given studies, as symbolic links to their data. */
export async function inputFolder(name: string, studies: Partial<Record<'engagement' | 'mooc', StudyData>>): Promise<string> {
  const dir = path.join(CACHE_DIR, 'inputs', name);
  await rm(dir, { recursive: true, force: true });
  await mkdir(dir, { recursive: true });
  for (const [study, data] of Object.entries(studies)) await symlink(data.studyDir, path.join(dir, study));
  return dir;
}

export function tableFiles(data: StudyData, tables: readonly RawTable[]): Record<string, string> {
  return Object.fromEntries(tables.map((table) => [table.fileName, path.join(data.studyDir, table.fileName)]));
}

export const engagementFiles = (data: StudyData): Record<string, string> => tableFiles(data, ENGAGEMENT_TABLES);

async function countLines(file: string): Promise<number> {
  const text = await readFile(file);
  let lines = 0;
  for (let i = 0; i < text.length; i++) if (text[i] === 10) lines += 1;
  return text.length > 0 && text[text.length - 1] !== 10 ? lines + 1 : lines;
}
