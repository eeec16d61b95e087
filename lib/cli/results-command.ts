// `engagement results list|pull`: runs from the manifests, in a bucket or a local results folder.
import { LocalObjectStore } from '../local/local-object-store';
import type { ObjectStore } from '../../lambdas/io/object-store';
import { runResultsCommand, type ResultsCommand } from './run-download';
import { RESULTS_PREFIX } from '../../lambdas/contracts/layout';
import { UsageError } from './arguments';

export interface ResultsSource {
  bucket?: string;
  stack?: string;
  local?: string;
}

export async function resultsCommand(source: ResultsSource, command: ResultsCommand): Promise<string> {
  return runResultsCommand(await openResultsStore(source), command);
}

async function openResultsStore(source: ResultsSource): Promise<ObjectStore> {
  const given = [source.bucket, source.stack, source.local].filter((value) => value !== undefined);
  if (given.length !== 1) throw new UsageError('give exactly one of --bucket NAME, --stack NAME (a deployed stack) or --local DIR (a results folder)');
  if (source.local !== undefined) return new LocalObjectStore({ mounts: [{ prefix: RESULTS_PREFIX, dir: source.local }] });
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
