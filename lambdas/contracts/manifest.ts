// The run manifest's shape: written last by the workflow (PublishManifest), read by the report,
// `engagement results` and the tests.

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
