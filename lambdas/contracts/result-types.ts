// Shapes of the result files the report and the CLI read back (tolerant of older or hand-made
// files), and of _FAILED.json as written.

import type { ManifestOutput, RunManifest as WrittenManifest } from './manifest';

export interface StudyPeriodLabels {
  baseline: string;
  comparison: string;
}

// statistics.json is declared in engagement-statistics.ts (as written, and as read back).
export type { StatisticsAsRead } from './engagement-statistics';

export type { ManifestOutput };

/** A manifest as read back: written by PublishManifest, tolerant of older or hand-made files. */
export type RunManifest = Pick<WrittenManifest, 'run_id' | 'started_at' | 'finished_at' | 'outputs'> & {
  status: WrittenManifest['status'] | 'failed';
  periods?: StudyPeriodLabels;
  studies?: Record<string, { status: string; note?: string }>;
  inputs?: WrittenManifest['inputs'];
};

/** _FAILED.json as RecordFailure writes it. */
export interface FailureRecord {
  run_id: string;
  status: 'failed';
  failed_at: string;
  state: string | null;
  error: string;
  cause: string;
}

/** _FAILED.json as read back (FailureRecord, or an older or hand-made file). */
export interface FailedMarker {
  failed_at?: string;
  state?: string;
  error?: string;
  cause?: string;
}
