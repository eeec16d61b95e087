// `engagement results list|pull|history`: runs from the manifests, in a bucket or a local results folder.
import { LocalObjectStore } from '../local/local-object-store';
import type { ObjectStore } from '../../lambdas/io/object-store';
import { runResultsCommand, type ResultsCommand } from './run-download';
import { RESULTS_PREFIX } from '../../lambdas/contracts/layout';
import { UsageError, existingFolder } from './arguments';
import { readRunHistory } from '../../lambdas/steps/run-history';
import { historyTable } from '../../lambdas/analysis/run-history';
import { formatCsv } from '../../lambdas/tabular/csv';

export interface ResultsSource {
  bucket?: string;
  stack?: string;
  local?: string;
}

export async function resultsCommand(source: ResultsSource, command: ResultsCommand): Promise<string> {
  return runResultsCommand(await openResultsStore(source), command);
}

/** `engagement results history`: the last N succeeded runs side by side, as aligned text or CSV. */
export async function historyCommand(source: ResultsSource, options: { last: number; csv: boolean }): Promise<string> {
  const history = await readRunHistory(await openResultsStore(source), { last: options.last });
  const table = historyTable(history.runs, options.csv ? 'data' : 'display');
  if (options.csv) return formatCsv(table.header, table.rows);
  const notes =
    (history.withoutTables.length > 0 ? `left out, written before runs had result tables: ${history.withoutTables.join(', ')}\n` : '') +
    history.unreadable.map((reason) => `left out, a result table could not be read: ${reason}\n`).join('');
  if (table.rows.length === 0) return `no succeeded run with result tables found\n${notes}`;
  return alignedColumns(table.header, table.rows) + notes;
}

/** A column per figure, padded to its widest cell; the flags column last, unpadded. */
function alignedColumns(header: string[], rows: string[][]): string {
  const all = [header, ...rows.map((row) => row.map((cell) => cell || '-'))];
  const widths = header.map((_, column) => Math.max(...all.map((row) => row[column]!.length)));
  return all.map((row) => row.map((cell, column) => cell.padEnd(widths[column]!)).join('  ').trimEnd()).join('\n') + '\n';
}

async function openResultsStore(source: ResultsSource): Promise<ObjectStore> {
  const given = [source.bucket, source.stack, source.local].filter((value) => value !== undefined);
  if (given.length !== 1) throw new UsageError('give exactly one of --bucket NAME, --stack NAME (a deployed stack) or --local DIR (a results folder)');
  // A mistyped folder is an error, not an empty list of runs.
  if (source.local !== undefined) return new LocalObjectStore({ mounts: [{ prefix: RESULTS_PREFIX, dir: existingFolder(source.local, 'results (--local)') }] });
  const bucket = source.bucket ?? (await bucketFromStack(source.stack!));
  const { PresigningS3ObjectStore } = await import('./presigning-s3-store');
  return new PresigningS3ObjectStore(bucket);
}

/** The DataBucketName output of a deployed stack. */
export async function bucketFromStack(stackName: string): Promise<string> {
  const { CloudFormationClient, DescribeStacksCommand } = await import('@aws-sdk/client-cloudformation');
  const response = await new CloudFormationClient({}).send(new DescribeStacksCommand({ StackName: stackName }));
  const output = response.Stacks?.[0]?.Outputs?.find((candidate) => candidate.OutputKey === 'DataBucketName');
  if (!output?.OutputValue) throw new Error(`stack ${stackName} has no DataBucketName output: is it an engagement-workflow stack?`);
  return output.OutputValue;
}
