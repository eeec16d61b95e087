// Glue tables over the raw files (all columns strings: OpenCSVSerDe reads neither YYYY-MM-DD dates
// nor empty numerics, so typed views cast them) and the Athena workgroup that runs the queries.
import { Stack } from 'aws-cdk-lib';
import * as athena from 'aws-cdk-lib/aws-athena';
import * as glue from 'aws-cdk-lib/aws-glue';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { ATHENA_RESULTS_PREFIX, rawTablePrefix } from '../lambdas/core/layout';
import { RAW_TABLES, type RawTable } from '../lambdas/core/tables';

export interface QueryCatalogProps {
  bucket: s3.IBucket;
  databaseName: string;
  bytesScannedCutoffMb: number;
}

export class QueryCatalog extends Construct {
  readonly databaseName: string;
  readonly workGroupName: string;
  readonly tableNames: string[];

  constructor(scope: Construct, id: string, props: QueryCatalogProps) {
    super(scope, id);
    const account = Stack.of(this).account;
    this.databaseName = props.databaseName;
    const database = new glue.CfnDatabase(this, 'Database', {
      catalogId: account,
      databaseInput: { name: props.databaseName, description: 'engagement-workflow raw tables and views' },
    });
    this.tableNames = [];
    for (const table of RAW_TABLES) {
      const cfnTable = new glue.CfnTable(this, `Table-${table.rawTableName}`, {
        catalogId: account,
        databaseName: props.databaseName,
        tableInput: rawTableInput(table, props.bucket.bucketName),
      });
      cfnTable.node.addDependency(database);
      this.tableNames.push(table.rawTableName);
    }

    this.workGroupName = `${Stack.of(this).stackName}-queries`.toLowerCase();
    new athena.CfnWorkGroup(this, 'WorkGroup', {
      name: this.workGroupName,
      description: 'Runs the engagement-workflow queries',
      // Deleting the stack must not fail because the workgroup still holds query history.
      recursiveDeleteOption: true,
      state: 'ENABLED',
      workGroupConfiguration: {
        enforceWorkGroupConfiguration: true,
        engineVersion: { selectedEngineVersion: 'Athena engine version 3' },
        bytesScannedCutoffPerQuery: props.bytesScannedCutoffMb * 1024 * 1024,
        publishCloudWatchMetricsEnabled: true,
        resultConfiguration: {
          outputLocation: `s3://${props.bucket.bucketName}/${ATHENA_RESULTS_PREFIX}`,
          encryptionConfiguration: { encryptionOption: 'SSE_S3' },
        },
      },
    });
  }
}

function rawTableInput(table: RawTable, bucketName: string): glue.CfnTable.TableInputProperty {
  const csv = table.delimiter === ',';
  return {
    name: table.rawTableName,
    description: `${table.study} input ${table.fileName} as uploaded (text columns)`,
    tableType: 'EXTERNAL_TABLE',
    parameters: { classification: csv ? 'csv' : 'tsv', 'skip.header.line.count': '1', has_encrypted_data: 'false' },
    storageDescriptor: {
      location: `s3://${bucketName}/${rawTablePrefix(table)}`,
      columns: table.columns.map((name) => ({ name: name.toLowerCase(), type: 'string' })),
      inputFormat: 'org.apache.hadoop.mapred.TextInputFormat',
      outputFormat: 'org.apache.hadoop.hive.ql.io.HiveIgnoreKeyTextOutputFormat',
      serdeInfo: csv
        ? { serializationLibrary: 'org.apache.hadoop.hive.serde2.OpenCSVSerde', parameters: { separatorChar: ',', quoteChar: '"', escapeChar: '\\' } }
        : { serializationLibrary: 'org.apache.hadoop.hive.serde2.lazy.LazySimpleSerDe', parameters: { 'field.delim': '\t', 'serialization.format': '\t' } },
    },
  };
}
