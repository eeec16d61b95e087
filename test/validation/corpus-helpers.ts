// A valid base input set (generated once), copied and corrupted one thing per case, and run through
// the real workflow (runLocalWorkflow). Expected outcomes are written by hand in the cases.
import { createHash } from 'node:crypto';
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { runLocalWorkflow, type LocalRunResult } from '../../lib/local/local-runner';
import { generateEngagementData, generateMoocData } from '../../lib/synthetic/synthetic-files';

export const ENGAGEMENT_FILES = ['student_info.csv', 'student_purchases.csv', 'student_video_watched.csv', 'student_certificates.csv'] as const;
export const MOOC_FILES = ['mooc_actions.tsv', 'mooc_action_features.tsv', 'mooc_action_labels.tsv'] as const;
export type InputFile = (typeof ENGAGEMENT_FILES)[number] | (typeof MOOC_FILES)[number];

export function studyOf(file: InputFile): 'engagement' | 'mooc' {
  return file.endsWith('.tsv') ? 'mooc' : 'engagement';
}

export async function makeBaseInput(): Promise<string> {
  const dir = mkdtempSync(path.join(tmpdir(), 'validation-base-'));
  await generateEngagementData({ outDir: dir, students: 300, seed: 11 });
  await generateMoocData({ outDir: dir, users: 30, seed: 11 });
  return dir;
}

/** Lines of an input file, header first, without the final newline's empty string. */
export class InputCase {
  readonly root: string;
  readonly inputDir: string;
  constructor(base: string) {
    this.root = mkdtempSync(path.join(tmpdir(), 'validation-case-'));
    this.inputDir = path.join(this.root, 'input');
    cpSync(base, this.inputDir, { recursive: true });
  }
  file(name: InputFile): string {
    return path.join(this.inputDir, studyOf(name), name);
  }
  lines(name: InputFile): string[] {
    const text = readFileSync(this.file(name), 'utf8');
    return text.replace(/\n$/, '').split('\n');
  }
  fields(name: InputFile): string[][] {
    const delimiter = name.endsWith('.tsv') ? '\t' : ',';
    return this.lines(name).map((line) => line.split(delimiter));
  }
  write(name: InputFile, lines: string[]): void {
    writeFileSync(this.file(name), lines.map((line) => `${line}\n`).join(''));
  }
  writeFields(name: InputFile, rows: string[][]): void {
    const delimiter = name.endsWith('.tsv') ? '\t' : ',';
    this.write(name, rows.map((row) => row.join(delimiter)));
  }
  /** Data rows in a file, counted from its lines (independent of the code under test). */
  dataRows(name: InputFile): number {
    return this.lines(name).length - 1;
  }
  hashes(): Record<string, string> {
    const out: Record<string, string> = {};
    for (const study of ['engagement', 'mooc']) {
      const dir = path.join(this.inputDir, study);
      if (!existsSync(dir)) continue;
      for (const name of readdirSync(dir).sort()) out[`${study}/${name}`] = createHash('sha256').update(readFileSync(path.join(dir, name))).digest('hex');
    }
    return out;
  }
  async run(options: Record<string, unknown> = {}): Promise<LocalRunResult> {
    return runLocalWorkflow({
      inputDir: this.inputDir,
      outDir: path.join(this.root, 'out'),
      runId: 'validation-case',
      request: { options },
      now: () => new Date('2023-01-15T12:00:00Z'),
      retryWaitMs: 1,
    });
  }
  readRunFile(result: LocalRunResult, relative: string): string {
    return readFileSync(path.join(result.runDir, relative), 'utf8');
  }
  runFileExists(result: LocalRunResult, relative: string): boolean {
    return existsSync(path.join(result.runDir, relative));
  }
  remove(): void {
    rmSync(this.root, { recursive: true, force: true });
  }
}

export interface DataQualityFile {
  study: string;
  file: string;
  input_rows: number;
  accepted_rows: number;
  quarantined_rows: number;
  reasons: Record<string, number>;
  quarantine_file: string | null;
}
