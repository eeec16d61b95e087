// The run manifest's shape: written last by the workflow (PublishManifest), read by the report,
// `engagement results` and the tests.
import type { RunManifest as ManifestAsRead } from './result-types';

/** Data rows of one input file, as the workflow counted them. */
export interface InputCount {
  study: 'engagement' | 'mooc';
  table: string;
  key: string;
  rows: number;
}

export interface ManifestOutput {
  /** Relative to the run folder, e.g. engagement/statistics.json */
  key: string;
  /** Data rows of a CSV; null for other files. */
  rows: number | null;
  bytes: number;
  sha256: string;
}

export interface RunManifest {
  run_id: string;
  status: 'succeeded';
  started_at: string;
  finished_at: string;
  periods: { baseline: string; comparison: string };
  studies: Record<string, { status: 'succeeded' | 'skipped'; note?: string }>;
  inputs: InputCount[];
  outputs: ManifestOutput[];
  /** Wall-clock figures of the run (seconds), e.g. dropout_model_training_seconds: the manifest alone holds clock readings. */
  timings?: Record<string, number>;
}

export class ManifestFormatError extends Error {
  override name = 'ManifestFormatError';
}

/**
 * A manifest's text checked for the fields its readers rely on (status, each output's
 * key, bytes and sha256): a truncated or hand-edited file is named as such instead of failing later
 * on a missing field.
 */
export function parseRunManifest(text: string): ManifestAsRead {
  const value = parseJsonObject(text);
  const problem = manifestProblem(value);
  if (problem) throw new ManifestFormatError(problem);
  return value as unknown as ManifestAsRead;
}

/** A marker file's text as a JSON object, or a ManifestFormatError saying why it is none (empty, not JSON, not an object). */
export function parseJsonObject(text: string): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new ManifestFormatError(text.trim() === '' ? 'the file is empty' : `not valid JSON (${(error as Error).message})`);
  }
  if (!isObject(value)) throw new ManifestFormatError('not a JSON object');
  return value;
}

function manifestProblem(value: Record<string, unknown>): string | undefined {
  if (value.status !== 'succeeded' && value.status !== 'failed') return `status is ${JSON.stringify(value.status)}, neither "succeeded" nor "failed"`;
  for (const field of ['run_id', 'started_at', 'finished_at'] as const) {
    if (value[field] !== undefined && typeof value[field] !== 'string') return `${field} is not text`;
  }
  if (value.periods !== undefined && (!isObject(value.periods) || typeof value.periods.baseline !== 'string' || typeof value.periods.comparison !== 'string')) return 'periods lack their labels';
  if (!Array.isArray(value.outputs)) return 'no outputs list';
  const bad = value.outputs.findIndex(
    (output) => !isObject(output) || typeof output.key !== 'string' || typeof output.bytes !== 'number' || typeof output.sha256 !== 'string',
  );
  if (bad >= 0) return `outputs[${bad}] lacks its key, bytes or sha256`;
  return undefined;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
