// The MOOC study's two Lambda steps: the drop-out model first (its own Lambda: the heavy part),
// then the descriptive analysis, which also writes summary.json with the model's figures in it.
import { forEachRecord } from '../tabular/tokenizer';
import { studyResultKey, assertRunId, validatedMoocActionsKey } from '../contracts/layout';
import { analyzeMoocDescriptive, analyzeMoocModel } from '../analysis/mooc/analyze';
import { MOOC_FILES, MOOC_SUMMARY_FILE } from '../contracts/result-files';
import type { MoocActions } from '../tabular/mooc-load';
import { decodeMoocActions } from '../tabular/mooc-actions-file';
import { validatedInputCounts } from './export-engagement-results';
import type { StepContext } from './step-context';
import type { AnalyzeMoocEvent, DropoutModelSummary, PublishedOutput, StudyResult, TrainDropoutModelEvent } from '../contracts/state-payloads';

/** The rows ValidateMoocInput accepted (the TSVs are parsed once per run, by the validation). */
async function loadValidatedMoocActions(runId: string, context: StepContext): Promise<MoocActions> {
  const key = validatedMoocActionsKey(runId);
  return decodeMoocActions(await context.store.getBytes(key), key);
}

async function writeFiles(context: StepContext, runId: string, files: Record<string, string>): Promise<PublishedOutput[]> {
  const written = [];
  for (const [name, text] of Object.entries(files)) {
    const key = studyResultKey(runId, 'mooc', name);
    await context.store.put(key, text, name.endsWith('.json') ? 'application/json' : 'text/csv');
    written.push({ key, rows: name.endsWith('.csv') ? await csvDataRows(text, name) : 0 });
  }
  return written;
}

/** Data records of a CSV text (the manifest takes this count as is): a quoted field may hold a line break. */
async function csvDataRows(text: string, source: string): Promise<number> {
  return Math.max(0, (await forEachRecord([text], source, {}, () => {})) - 1);
}

export async function trainDropoutModelStep(event: TrainDropoutModelEvent, context: StepContext): Promise<DropoutModelSummary> {
  const runId = assertRunId(event.runId);
  const actions = await loadValidatedMoocActions(runId, context);
  const analysis = analyzeMoocModel(actions);
  const outputs = await writeFiles(context, runId, analysis.files);
  context.logger.info('drop-out model trained', { runId, trainingSeconds: analysis.seconds, ...(analysis.summary.dropoutModel as object) });
  return { summary: analysis.summary, outputs, trainingSeconds: analysis.seconds ?? 0 };
}

export async function analyzeMoocStep(event: AnalyzeMoocEvent, context: StepContext): Promise<StudyResult> {
  const runId = assertRunId(event.runId);
  const actions = await loadValidatedMoocActions(runId, context);
  const analysis = analyzeMoocDescriptive(actions, { seed: event.options.seed });
  const outputs = await writeFiles(context, runId, analysis.files);
  const summary = { ...analysis.summary, ...event.model.summary, files: [...Object.values(MOOC_FILES), MOOC_SUMMARY_FILE] };
  const summaryKey = studyResultKey(runId, 'mooc', MOOC_SUMMARY_FILE);
  await context.store.put(summaryKey, JSON.stringify(summary, null, 2) + '\n', 'application/json');
  context.logger.info('MOOC analysis written', { runId, seconds: analysis.seconds });

  const inputs = validatedInputCounts('mooc', event.validation);
  return {
    study: 'mooc',
    status: 'succeeded',
    inputs,
    outputs: [...event.model.outputs, ...outputs, { key: summaryKey, rows: 0 }],
    timings: { dropout_model_training_seconds: event.model.trainingSeconds },
  };
}
