// Glue tables over the raw engagement files (all columns strings: OpenCSVSerDe reads neither YYYY-MM-DD
// dates nor empty numerics, so the checks type them; the MOOC files are read by Lambdas only), the Parquet tables the validation fills (checked_*:
// every row with its reject reason; curated_*: the accepted rows, typed), and the Athena workgroup.
import { Stack } from 'aws-cdk-lib';
import * as athena from 'aws-cdk-lib/aws-athena';
import * as glue from 'aws-cdk-lib/aws-glue';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { ATHENA_RESULTS_PREFIX, RESULTS_PREFIX, parquetTablePrefix, rawTablePrefix } from '../lambdas/contracts/layout';
import { RESULT_TABLES, RESULT_TABLES_FOLDER, type ResultTable } from '../lambdas/contracts/result-tables';
import { PARQUET_TABLES, SQL_RAW_TABLES, type CuratedTable, type ParquetTable, type RawTable } from '../lambdas/contracts/tables';

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
    // Each table input carries its name, which also names the construct (Table-<name>).
    const inputs = [
      ...SQL_RAW_TABLES.map((table) => rawTableInput(table, props.bucket.bucketName)),
      ...PARQUET_TABLES.map((table) => parquetTableInput(table, props.bucket.bucketName)),
      ...RESULT_TABLES.map((table) => resultTableInput(table, props.bucket.bucketName)),
    ];
    this.tableNames = [];
    for (const tableInput of inputs) {
      const cfnTable = new glue.CfnTable(this, `Table-${tableInput.name}`, { catalogId: account, databaseName: props.databaseName, tableInput });
      cfnTable.node.addDependency(database);
      this.tableNames.push(tableInput.name!);
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

/** Partition projection per partition key: Athena computes partition locations instead of listing Glue partitions. */
const PROJECTIONS: Record<string, Record<string, string>> = {
  // Any run id; queries must name it with a literal equality, as the run's templates do.
  run_id: { type: 'injected' },
  // The run options' data range (dataStart, dataEnd) is held within these years.
  year: { type: 'integer', range: '1970,2100' },
  quarter: { type: 'integer', range: '1,4' },
};

const DESCRIPTIONS: Record<ParquetTable['kind'], (table: ParquetTable) => string> = {
  checked: (table) => `Every row of ${table.fileName} as text, typed where it parses, with reject_reason; Parquet per run`,
  curated: (table) => `Checked, typed rows of ${table.fileName} (accepted rows only), Parquet per run, year and quarter of ${(table as CuratedTable).dateColumn}`,
};

/**
 * Parquet (ZSTD) under checked/<table>/ or curated/<table>/, with partition projection on every
 * partition key; the Hive-style template is where INSERT INTO writes, so what it writes is what
 * queries find.
 */
function parquetTableInput(table: ParquetTable, bucketName: string): glue.CfnTable.TableInputProperty {
  const location = `s3://${bucketName}/${parquetTablePrefix(table)}`;
  const projection: Record<string, string> = { 'projection.enabled': 'true' };
  for (const key of table.partitionKeys) {
    const settings = PROJECTIONS[key.name];
    if (!settings) throw new Error(`no partition projection is declared for ${table.name}.${key.name}`);
    for (const [name, value] of Object.entries(settings)) projection[`projection.${key.name}.${name}`] = value;
  }
  const template = table.partitionKeys.map((key) => `${key.name}=\${${key.name}}/`).join('');
  return {
    name: table.name,
    description: DESCRIPTIONS[table.kind](table),
    tableType: 'EXTERNAL_TABLE',
    partitionKeys: table.partitionKeys.map((key) => ({ name: key.name, type: key.type })),
    parameters: {
      classification: 'parquet',
      'parquet.compression': 'ZSTD',
      has_encrypted_data: 'false',
      ...projection,
      'storage.location.template': `${location}${template}`,
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

/**
 * A result table: JSON lines each run writes under results/<runId>/tables/<table>/, partitioned by
 * run id with injected projection (run ids are free names, so no enum, integer or date range can
 * list them). Athena then needs the run ids in the query (WHERE run_id = '…' or IN ('…', '…')), as
 * the example queries in queries/history/ do; see the README for why.
 */
function resultTableInput(table: ResultTable, bucketName: string): glue.CfnTable.TableInputProperty {
  const location = `s3://${bucketName}/${RESULTS_PREFIX}`;
  return {
    name: table.name,
    description: `Result table of every run: ${table.row}`,
    tableType: 'EXTERNAL_TABLE',
    partitionKeys: [{ name: 'run_id', type: 'string' }],
    parameters: {
      classification: 'json',
      has_encrypted_data: 'false',
      'projection.enabled': 'true',
      'projection.run_id.type': 'injected',
      'storage.location.template': `${location}\${run_id}/${RESULT_TABLES_FOLDER}/${table.name}/`,
    },
    storageDescriptor: {
      location,
      columns: table.columns.map((column) => ({ name: column.name, type: column.type })),
      inputFormat: 'org.apache.hadoop.mapred.TextInputFormat',
      outputFormat: 'org.apache.hadoop.hive.ql.io.HiveIgnoreKeyTextOutputFormat',
      serdeInfo: { serializationLibrary: 'org.openx.data.jsonserde.JsonSerDe', parameters: { 'ignore.malformed.json': 'false' } },
    },
  };
}
