// Glue tables over the raw files (all columns strings: OpenCSVSerDe reads neither YYYY-MM-DD dates
// nor empty numerics, so typed views cast them), the curated Parquet tables the validation fills
// with the checked, typed rows, and the Athena workgroup that runs the queries.
import { Stack } from 'aws-cdk-lib';
import * as athena from 'aws-cdk-lib/aws-athena';
import * as glue from 'aws-cdk-lib/aws-glue';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { ATHENA_RESULTS_PREFIX, curatedTablePrefix, rawTablePrefix } from '../lambdas/core/layout';
import { CURATED_PARTITION_KEYS, CURATED_TABLES, RAW_TABLES, type CuratedTable, type RawTable } from '../lambdas/core/tables';

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
    for (const table of CURATED_TABLES) {
      const cfnTable = new glue.CfnTable(this, `Table-${table.name}`, {
        catalogId: account,
        databaseName: props.databaseName,
        tableInput: curatedTableInput(table, props.bucket.bucketName),
      });
      cfnTable.node.addDependency(database);
      this.tableNames.push(table.name);
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

/**
 * Parquet (ZSTD) under curated/<table>/, partitioned run_id/year/quarter with partition projection:
 * Athena computes partition locations from the query instead of listing Glue partitions. run_id is
 * `injected` (any run id; queries must name it with a literal equality, as the student_* views do);
 * the Hive-style template is where INSERT INTO writes, so what it writes is what queries find.
 */
function curatedTableInput(table: CuratedTable, bucketName: string): glue.CfnTable.TableInputProperty {
  const location = `s3://${bucketName}/${curatedTablePrefix(table.name)}`;
  return {
    name: table.name,
    description: `Checked, typed rows of ${table.fileName} (accepted rows only), Parquet per run, year and quarter of ${table.dateColumn}`,
    tableType: 'EXTERNAL_TABLE',
    partitionKeys: CURATED_PARTITION_KEYS.map((key) => ({ name: key.name, type: key.type })),
    parameters: {
      classification: 'parquet',
      'parquet.compression': 'ZSTD',
      has_encrypted_data: 'false',
      'projection.enabled': 'true',
      'projection.run_id.type': 'injected',
      'projection.year.type': 'integer',
      // The run options' data range (dataStart, dataEnd) is held within these years.
      'projection.year.range': '1970,2100',
      'projection.quarter.type': 'integer',
      'projection.quarter.range': '1,4',
      'storage.location.template': `${location}run_id=\${run_id}/year=\${year}/quarter=\${quarter}/`,
    },
    storageDescriptor: {
      location,
      columns: table.columns.map((column) => ({ name: column.name, type: column.type })),
      inputFormat: 'org.apache.hadoop.hive.ql.io.parquet.MapredParquetInputFormat',
      outputFormat: 'org.apache.hadoop.hive.ql.io.parquet.MapredParquetOutputFormat',
      serdeInfo: { serializationLibrary: 'org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe', parameters: { 'serialization.format': '1' } },
    },
  };
}
