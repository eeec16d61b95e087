// What the state machine's role needs to run its Athena queries through the `.sync` integration,
// derived from the SQL the workflow runs: Athena calls Glue and S3 with the caller's credentials,
// so the role needs the catalog reads of every query, the partition writes of every INSERT INTO
// and the view DDL of every CREATE VIEW, on the tables those statements name and nothing wider.
// Sources: Step Functions "IAM policies for calling Amazon Athena" (startQueryExecution .sync:
// athena:StartQueryExecution/GetQueryExecution/StopQueryExecution/GetDataCatalog, Glue on the
// catalog, the database and its tables, S3 for the data and the result location) and Athena's
// "Configure access to databases and tables in the AWS Glue Data Catalog" (access to the catalog
// and the `default` database in each Region; a table action needs its database and catalog too).
import { Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import type { Construct } from 'constructs';
import { ATHENA_RESULTS_PREFIX, CHECKED_PREFIX, CURATED_PREFIX, RAW_PREFIX } from '../lambdas/contracts/layout';

export interface AthenaAccessProps {
  bucket: s3.IBucket;
  databaseName: string;
  workGroupName: string;
  /** Every SQL statement (or template) an Athena state of the workflow can run. */
  statements: readonly string[];
}

/**
 * The tables a set of statements writes (INSERT INTO) and the views they create or replace. Any
 * other kind of statement than these and reads (SELECT, WITH) fails here, at synth time: the grants
 * below know nothing of it, and the first deploy would meet it as an access error.
 */
export function catalogWrites(statements: readonly string[]): { insertedTables: string[]; createdViews: string[] } {
  const insertedTables = new Set<string>();
  const createdViews = new Set<string>();
  for (const sql of statements) {
    const text = sql.replace(/^(\s*--[^\n]*\n)*\s*/, '');
    const insert = /^INSERT\s+INTO\s+"?(\w+)"?/i.exec(text);
    const view = /^CREATE\s+(?:OR\s+REPLACE\s+)?VIEW\s+"?(\w+)"?/i.exec(text);
    if (insert) insertedTables.add(insert[1]!.toLowerCase());
    else if (view) createdViews.add(view[1]!.toLowerCase());
    else if (!/^(SELECT|WITH)\b/i.test(text)) throw new Error(`no Athena grant is derived for this kind of statement (lib/athena-access.ts): ${text.slice(0, 60)}`);
  }
  return { insertedTables: [...insertedTables].sort(), createdViews: [...createdViews].sort() };
}

/**
 * A policy with exactly what Athena needs to run the given statements in this stack's workgroup,
 * attached to the role. Its own inline policy rather than the role's default one: that one also
 * holds the Lambda grants, and past CDK's size estimate it would spill into a managed policy.
 */
export function grantAthenaAccess(scope: Construct, role: iam.IRole, props: AthenaAccessProps): iam.Policy {
  const stack = Stack.of(scope);
  const { bucket, databaseName, workGroupName } = props;
  const glueArn = (resource: 'catalog' | 'database' | 'table', resourceName?: string): string => stack.formatArn({ service: 'glue', resource, resourceName });
  const catalog = glueArn('catalog');
  const database = glueArn('database', databaseName);
  const tables = (names: readonly string[]): string[] => names.map((name) => glueArn('table', `${databaseName}/${name}`));
  const { insertedTables, createdViews } = catalogWrites(props.statements);
  const policy = new iam.Policy(scope, 'AthenaQueryAccess');
  const add = (statement: iam.PolicyStatementProps): void => policy.addStatements(new iam.PolicyStatement(statement));

  add({
    sid: 'RunQueriesInTheWorkGroup',
    actions: ['athena:StartQueryExecution', 'athena:GetQueryExecution', 'athena:StopQueryExecution'],
    resources: [stack.formatArn({ service: 'athena', resource: 'workgroup', resourceName: workGroupName })],
  });
  add({
    sid: 'ResolveTheGlueDataCatalog',
    // Queries name no catalog, so Athena resolves the account's AWS Glue catalog, AwsDataCatalog.
    actions: ['athena:GetDataCatalog'],
    resources: [stack.formatArn({ service: 'athena', resource: 'datacatalog', resourceName: 'AwsDataCatalog' })],
  });
  add({
    sid: 'FindTheDatabases',
    // Athena looks up the query's database and the account's `default` database for any query.
    actions: ['glue:GetDatabase'],
    resources: [catalog, database, glueArn('database', 'default')],
  });
  add({
    sid: 'CreateTheDefaultDatabaseWhereMissing',
    // In an account that never used Athena, `default` may not exist yet; the Athena guide's
    // per-Region policy grants creating it, and nothing else may be created.
    actions: ['glue:CreateDatabase'],
    resources: [catalog, glueArn('database', 'default')],
  });
  add({
    sid: 'ReadTheTables',
    // Tables are resolved at query time (raw_*, checked_*, curated_* and the views), all in this database.
    actions: ['glue:GetTable', 'glue:GetTables', 'glue:GetPartition', 'glue:GetPartitions', 'glue:BatchGetPartition'],
    resources: [catalog, database, glueArn('table', `${databaseName}/*`)],
  });
  if (insertedTables.length > 0) {
    add({
      sid: 'RegisterPartitionsOfTheInsertedTables',
      // INSERT INTO a partitioned table adds the partitions it writes to the Glue table.
      actions: ['glue:BatchCreatePartition', 'glue:CreatePartition', 'glue:UpdatePartition'],
      resources: [catalog, database, ...tables(insertedTables)],
    });
  }
  if (createdViews.length > 0) {
    add({
      sid: 'CreateOrReplaceTheViews',
      // A view is a Glue table: CREATE creates it, OR REPLACE updates it.
      actions: ['glue:CreateTable', 'glue:UpdateTable'],
      resources: [catalog, database, ...tables(createdViews)],
    });
  }
  add({
    sid: 'ReadRawInputParquetTablesAndQueryResults',
    actions: ['s3:GetObject'],
    resources: [RAW_PREFIX, CHECKED_PREFIX, CURATED_PREFIX, ATHENA_RESULTS_PREFIX].map((prefix) => bucket.arnForObjects(`${prefix}*`)),
  });
  add({
    sid: 'WriteQueryResultsAndParquetTables',
    // Results (and INSERT INTO's Parquet files) are written in multipart uploads when large.
    actions: ['s3:PutObject', 's3:AbortMultipartUpload', 's3:ListMultipartUploadParts'],
    resources: [ATHENA_RESULTS_PREFIX, CHECKED_PREFIX, CURATED_PREFIX].map((prefix) => bucket.arnForObjects(`${prefix}*`)),
  });
  add({
    sid: 'ListTheDataBucket',
    actions: ['s3:ListBucket', 's3:GetBucketLocation', 's3:ListBucketMultipartUploads'],
    resources: [bucket.bucketArn],
  });
  policy.attachToRole(role);
  return policy;
}
