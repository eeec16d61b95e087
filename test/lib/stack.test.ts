// The CDK stack as CloudFormation sees it: storage, catalog, workgroup, the state machine
// definition, the Lambdas, the schedule and least-privilege IAM. Synthesized without bundling.
import { App, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { StateMachine } from 'aws-local-stepfunctions';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { EngagementWorkflowStack } from '../../lib/engagement-workflow-stack';
import { DataStorage } from '../../lib/storage';
import { WORKFLOW_STEPS, WORKFLOW_STEP_ENV } from '../../lib/function-specs';

const CDK_JSON_CONTEXT = (JSON.parse(readFileSync(path.resolve(__dirname, '../../cdk.json'), 'utf8')) as { context: Record<string, unknown> }).context;
/** The Glue database of the stack named EngagementWorkflow, as the README documents it. */
const DATABASE = 'engagement_workflow';

interface Synthesized {
  template: Template;
  json: { Resources: Record<string, { Type: string; Properties: any }> };
  dataBucketId: string;
}

function synth(extraContext: Record<string, unknown> = {}): Synthesized {
  // An empty bundling-stacks list keeps NodejsFunction from running esbuild.
  const app = new App({ context: { ...CDK_JSON_CONTEXT, 'aws:cdk:bundling-stacks': [], ...extraContext } });
  const stack = new EngagementWorkflowStack(app, 'EngagementWorkflow');
  const storage = stack.node.findChild('Storage') as DataStorage;
  const template = Template.fromStack(stack);
  return { template, json: template.toJSON() as Synthesized['json'], dataBucketId: Stack.of(stack).getLogicalId(storage.bucket.node.defaultChild as any) };
}

/** Flattens intrinsics into readable text: Ref X -> {X}, GetAtt X.Arn -> {X.Arn}, Join -> concatenation. */
function flat(value: unknown): string {
  if (typeof value === 'string') return value;
  if (value && typeof value === 'object') {
    const object = value as Record<string, any>;
    if ('Ref' in object) return `{${object.Ref}}`;
    if ('Fn::GetAtt' in object) return `{${object['Fn::GetAtt'].join('.')}}`;
    if ('Fn::Join' in object) return (object['Fn::Join'][1] as unknown[]).map(flat).join(object['Fn::Join'][0]);
  }
  throw new Error(`cannot flatten ${JSON.stringify(value)}`);
}

const asList = <T>(value: T | T[]): T[] => (Array.isArray(value) ? value : [value]);

function resourcesOfType(json: Synthesized['json'], type: string): [string, any][] {
  return Object.entries(json.Resources)
    .filter(([, resource]) => resource.Type === type)
    .map(([id, resource]) => [id, resource.Properties]);
}

/** Every state, with Parallel branches and Map processors included. */
function allStates(states: Record<string, any>): [string, any][] {
  const found: [string, any][] = [];
  for (const [name, state] of Object.entries(states)) {
    found.push([name, state]);
    for (const branch of state.Branches ?? []) found.push(...allStates(branch.States));
    if (state.ItemProcessor) found.push(...allStates(state.ItemProcessor.States));
    if (state.Iterator) found.push(...allStates(state.Iterator.States));
  }
  return found;
}

let main: Synthesized;
let definition: { StartAt: string; QueryLanguage?: string; States: Record<string, any> };
let states: Map<string, any>;

beforeAll(() => {
  main = synth();
  const [[, machine]] = resourcesOfType(main.json, 'AWS::StepFunctions::StateMachine') as [[string, any]];
  definition = JSON.parse(flat(machine.DefinitionString));
  states = new Map(allStates(definition.States));
});

describe('data bucket', () => {
  it('is private, encrypted, versioned and access-logged', () => {
    main.template.hasResourceProperties('AWS::S3::Bucket', {
      PublicAccessBlockConfiguration: { BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true },
      BucketEncryption: { ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: Match.anyValue() } }] },
      VersioningConfiguration: { Status: 'Enabled' },
      LoggingConfiguration: { DestinationBucketName: Match.anyValue() },
    });
    const bucket = main.json.Resources[main.dataBucketId]!.Properties;
    expect(bucket.VersioningConfiguration).toEqual({ Status: 'Enabled' });
    const logsBucketId = flat(bucket.LoggingConfiguration.DestinationBucketName).slice(1, -1);
    expect(logsBucketId).not.toBe(main.dataBucketId);
    expect(main.json.Resources[logsBucketId]?.Type).toBe('AWS::S3::Bucket');
  });

  it('expires Athena scratch output under athena-results/ after the retention from cdk.json', () => {
    const rules = main.json.Resources[main.dataBucketId]!.Properties.LifecycleConfiguration.Rules as any[];
    const scratch = rules.find((rule) => rule.Prefix === 'athena-results/');
    expect(scratch).toMatchObject({ Status: 'Enabled', ExpirationInDays: CDK_JSON_CONTEXT['engagement:athenaResultsRetentionDays'] });
    const curated = rules.find((rule) => rule.Prefix === 'curated/');
    expect(curated).toMatchObject({ Status: 'Enabled', ExpirationInDays: 90 });
    // checked/ is one run's validation scratch (every raw row, rejected ones included): a week.
    const checked = rules.find((rule) => rule.Prefix === 'checked/');
    expect(checked).toMatchObject({ Status: 'Enabled', ExpirationInDays: 7 });
    // No rule may expire current objects outside athena-results/, checked/ and curated/ (raw input and results are kept).
    for (const rule of rules.filter((candidate) => ![scratch, curated, checked].includes(candidate))) expect(rule.ExpirationInDays).toBeUndefined();
    // Replaced versions expire under results/ only: every version of raw input is kept.
    const versionRules = rules.filter((rule) => rule.NoncurrentVersionExpiration !== undefined);
    expect(versionRules.map((rule) => rule.Prefix).sort()).toEqual(['athena-results/', 'checked/', 'curated/', 'results/']);
  });

  it('denies every request without TLS, on both buckets', () => {
    const policies = resourcesOfType(main.json, 'AWS::S3::BucketPolicy');
    expect(policies).toHaveLength(2);
    const buckets = policies.map(([, policy]) => {
      const deny = (policy.PolicyDocument.Statement as any[]).find((statement) => statement.Effect === 'Deny');
      expect(deny).toMatchObject({ Action: 's3:*', Condition: { Bool: { 'aws:SecureTransport': 'false' } } });
      return flat(policy.Bucket);
    });
    expect(buckets).toContain(`{${main.dataBucketId}}`);
  });
});

describe('Glue catalog', () => {
  const expectedTables = {
    raw_student_info: { study: 'engagement', folder: 'student_info', columns: ['student_id', 'date_registered'] },
    raw_student_purchases: {
      study: 'engagement',
      folder: 'student_purchases',
      columns: ['purchase_id', 'student_id', 'plan_id', 'date_purchased', 'date_refunded'],
    },
    raw_student_video_watched: { study: 'engagement', folder: 'student_video_watched', columns: ['student_id', 'course_id', 'seconds_watched', 'date_watched'] },
    raw_student_certificates: { study: 'engagement', folder: 'student_certificates', columns: ['certificate_id', 'student_id', 'date_issued'] },
  };
  // The MOOC files have no Glue table: only Lambdas read them (ValidateMoocInput counts their rows).

  it('names the database after the stack, or as engagement:databaseName says', () => {
    main.template.resourceCountIs('AWS::Glue::Database', 1);
    main.template.hasResourceProperties('AWS::Glue::Database', { DatabaseInput: { Name: DATABASE } });
    // A second stack in the same account gets a database of its own, with its workgroup.
    const app = new App({ context: { ...CDK_JSON_CONTEXT, 'aws:cdk:bundling-stacks': [] } });
    const staging = Template.fromStack(new EngagementWorkflowStack(app, 'EngagementWorkflow-Staging'));
    staging.hasResourceProperties('AWS::Glue::Database', { DatabaseInput: { Name: 'engagement_workflow_staging' } });
    staging.hasResourceProperties('AWS::Athena::WorkGroup', { Name: 'engagementworkflow-staging-queries' });
    synth({ 'engagement:databaseName': 'analytics' }).template.hasResourceProperties('AWS::Glue::Database', { DatabaseInput: { Name: 'analytics' } });
  });

  it('has one table per raw table: string columns, the right SerDe, header skipped, raw/<study>/<table>/', () => {
    const tables = resourcesOfType(main.json, 'AWS::Glue::Table')
      .map(([, properties]) => properties)
      .filter((table) => table.TableInput.Name.startsWith('raw_'));
    expect(tables.map((table) => table.TableInput.Name).sort()).toEqual(Object.keys(expectedTables).sort());
    for (const table of tables) {
      const expected = expectedTables[table.TableInput.Name as keyof typeof expectedTables];
      const input = table.TableInput;
      expect(table.DatabaseName).toBe(DATABASE);
      expect(input.Parameters['skip.header.line.count']).toBe('1');
      const storage = input.StorageDescriptor;
      expect(storage.Columns).toEqual(expected.columns.map((name) => ({ Name: name, Type: 'string' })));
      expect(flat(storage.Location)).toBe(`s3://{${main.dataBucketId}}/raw/${expected.study}/${expected.folder}/`);
      expect(storage.SerdeInfo.SerializationLibrary).toBe('org.apache.hadoop.hive.serde2.OpenCSVSerde');
      expect(storage.SerdeInfo.Parameters).toMatchObject({ separatorChar: ',', quoteChar: '"' });
    }
  });
});

/** The Glue tables whose names start with prefix. */
function glueTablesNamed(prefix: string): any[] {
  return resourcesOfType(main.json, 'AWS::Glue::Table')
    .map(([, properties]) => properties)
    .filter((table) => table.TableInput.Name.startsWith(prefix));
}

describe('curated Parquet tables', () => {
  // Written by hand, not read from the stack: the typed columns the study queries read, partitioned run/year/quarter.
  const expected: Record<string, [string, string][]> = {
    curated_student_info: [['student_id', 'bigint'], ['date_registered', 'date']],
    curated_student_purchases: [['purchase_id', 'bigint'], ['student_id', 'bigint'], ['plan_id', 'int'], ['date_purchased', 'date'], ['date_refunded', 'date']],
    curated_student_video_watched: [['student_id', 'bigint'], ['course_id', 'bigint'], ['seconds_watched', 'double'], ['date_watched', 'date']],
    curated_student_certificates: [['certificate_id', 'bigint'], ['student_id', 'bigint'], ['date_issued', 'date']],
  };
  const curatedTables = (): any[] => glueTablesNamed('curated_');

  it('are four ZSTD Parquet tables under curated/<table>/ with the typed columns', () => {
    const tables = curatedTables();
    expect(tables.map((table) => table.TableInput.Name).sort()).toEqual(Object.keys(expected).sort());
    for (const table of tables) {
      const input = table.TableInput;
      const storage = input.StorageDescriptor;
      expect(storage.Columns).toEqual(expected[input.Name]!.map(([Name, Type]) => ({ Name, Type })));
      expect(storage.SerdeInfo.SerializationLibrary).toBe('org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe');
      expect(storage.InputFormat).toBe('org.apache.hadoop.hive.ql.io.parquet.MapredParquetInputFormat');
      expect(storage.OutputFormat).toBe('org.apache.hadoop.hive.ql.io.parquet.MapredParquetOutputFormat');
      expect(input.Parameters).toMatchObject({ classification: 'parquet', 'parquet.compression': 'ZSTD' });
      expect(flat(storage.Location)).toBe(`s3://{${main.dataBucketId}}/curated/${input.Name}/`);
    }
  });

  it('are partitioned by run_id, year and quarter with partition projection (run_id injected)', () => {
    for (const table of curatedTables()) {
      const input = table.TableInput;
      expect(input.PartitionKeys).toEqual([
        { Name: 'run_id', Type: 'string' },
        { Name: 'year', Type: 'int' },
        { Name: 'quarter', Type: 'int' },
      ]);
      expect(input.Parameters).toMatchObject({
        'projection.enabled': 'true',
        'projection.run_id.type': 'injected',
        'projection.year.type': 'integer',
        'projection.year.range': '1970,2100',
        'projection.quarter.type': 'integer',
        'projection.quarter.range': '1,4',
      });
      // Hive-style, as INSERT INTO writes: what the curation writes is where queries look.
      expect(flat(input.Parameters['storage.location.template'])).toBe(
        `s3://{${main.dataBucketId}}/curated/${input.Name}/run_id=\${run_id}/year=\${year}/quarter=\${quarter}/`,
      );
    }
  });

  it('are filled by INSERT INTO in the validation stage; the study queries read this run\'s rows as CTEs, no view', () => {
    const curate = states.get('CurateEngagementTables');
    expect(curate.Type).toBe('Parallel');
    // Templates filled with the run id by PlanRun (they read this run's checked_* rows).
    const inserts = (curate.Branches as any[]).map((branch) => branch.States[branch.StartAt]);
    expect(inserts.map((state) => state.Parameters['QueryString.$']).sort()).toEqual(
      Object.keys(expected).map((name) => `$.runQueries.curate_${name.replace(/^curated_/, '')}`).sort(),
    );
    const templates = states.get('PlanRun').Parameters.queryTemplates;
    for (const name of Object.keys(expected)) {
      expect(templates[`curate_${name.replace(/^curated_/, '')}`]).toMatch(new RegExp(`^INSERT INTO ${name}\\b[\\s\\S]*WHERE c.run_id = '\\{\\{run_id\\}\\}'`));
    }
    const quality = states.get('EngagementQualityQueries');
    expect((quality.Branches as any[]).map((branch) => branch.StartAt)).toContain('CurateEngagementTables');
    expect(templates.cohort_minutes).toMatch(/^WITH student_purchases AS \(/);
    expect(templates.cohort_minutes).toMatch(/\bstudent_video_watched AS \(\nSELECT [^)]*FROM curated_student_video_watched\nWHERE run_id = '\{\{run_id\}\}'\n\)/);
    expect(templates.cohort_minutes).toContain("purchases_info AS (");
    expect(templates.minutes_and_certificates).toContain("FROM curated_student_certificates\nWHERE run_id = '{{run_id}}'");
    expect(templates.purchases_info_flags).toContain("FROM curated_student_purchases\nWHERE run_id = '{{run_id}}'");
    expect([...states.keys()].filter((name) => /View|Counts?Mooc|CountEngagementInputs/.test(name))).toEqual([]);
  });
});

describe('checked Parquet tables', () => {
  // Written by hand, not read from the stack: every raw row as text, the typed values, reject_reason; partitioned by run only.
  const typed: Record<string, [string, string][]> = {
    student_info: [['student_id', 'string'], ['date_registered', 'string'], ['student_key', 'bigint'], ['registered', 'date']],
    student_purchases: [
      ['purchase_id', 'string'], ['student_id', 'string'], ['plan_id', 'string'], ['date_purchased', 'string'], ['date_refunded', 'string'],
      ['purchase_key', 'bigint'], ['student_key', 'bigint'], ['plan', 'int'], ['purchased', 'date'], ['refunded', 'date'],
    ],
    student_video_watched: [
      ['student_id', 'string'], ['course_id', 'string'], ['seconds_watched', 'string'], ['date_watched', 'string'],
      ['student_key', 'bigint'], ['course_key', 'bigint'], ['seconds', 'double'], ['watched', 'date'],
    ],
    student_certificates: [['certificate_id', 'string'], ['student_id', 'string'], ['date_issued', 'string'], ['certificate_key', 'bigint'], ['student_key', 'bigint'], ['issued', 'date']],
  };
  const checkedTables = (): any[] => glueTablesNamed('checked_');

  it('are four ZSTD Parquet tables under checked/<table>/, partitioned by run_id (injected projection)', () => {
    const tables = checkedTables();
    expect(tables.map((table) => table.TableInput.Name).sort()).toEqual(Object.keys(typed).map((name) => `checked_${name}`).sort());
    for (const table of tables) {
      const input = table.TableInput;
      const name = input.Name.replace(/^checked_/, '');
      expect(input.StorageDescriptor.Columns).toEqual([...typed[name]!, ['reject_reason', 'string']].map(([Name, Type]) => ({ Name, Type })));
      expect(input.PartitionKeys).toEqual([{ Name: 'run_id', Type: 'string' }]);
      expect(input.Parameters).toMatchObject({ classification: 'parquet', 'parquet.compression': 'ZSTD', 'projection.enabled': 'true', 'projection.run_id.type': 'injected' });
      expect(Object.keys(input.Parameters).filter((key) => /^projection\.(year|quarter)/.test(key))).toEqual([]);
      expect(flat(input.StorageDescriptor.Location)).toBe(`s3://{${main.dataBucketId}}/checked/${input.Name}/`);
      expect(flat(input.Parameters['storage.location.template'])).toBe(`s3://{${main.dataBucketId}}/checked/${input.Name}/run_id=\${run_id}/`);
    }
  });

  it('are filled once per run, student_info first, and every later validation query reads this run\'s rows', () => {
    const templates = states.get('PlanRun').Parameters.queryTemplates;
    const students = states.get('Check_student_info');
    expect(students.Parameters['QueryString.$']).toBe('$.runQueries.check_student_info');
    expect(templates.check_student_info).toMatch(/^INSERT INTO checked_student_info\b/);
    expect(templates.check_student_info).toContain('FROM raw_student_info');
    expect(templates.check_student_info).toContain("run_settings AS (\nSELECT DATE '{{data_start}}' AS data_start, DATE '{{data_end}}' AS data_end, '{{run_id}}' AS run_id\n)");
    expect(students.Next).toBe('CheckEngagementTables');
    const events = states.get('CheckEngagementTables');
    expect((events.Branches as any[]).map((branch) => branch.StartAt).sort()).toEqual(['Check_student_certificates', 'Check_student_purchases', 'Check_student_video_watched']);
    expect(events.Next).toBe('EngagementQualityQueries');
    for (const name of ['student_purchases', 'student_video_watched', 'student_certificates']) {
      expect(states.get(`Check_${name}`).Parameters['QueryString.$']).toBe(`$.runQueries.check_${name}`);
      expect(templates[`check_${name}`]).toMatch(new RegExp(`^INSERT INTO checked_${name}\\b`));
      expect(templates[`check_${name}`]).toContain("FROM checked_student_info WHERE run_id = '{{run_id}}' AND reject_reason IS NULL");
    }
    for (const [state, key] of [['RunEngagementQuarantineQuery', 'engagement_quarantine'], ['CountEngagementQuality', 'engagement_quality_counts']]) {
      expect(states.get(state!).Parameters['QueryString.$']).toBe(`$.runQueries.${key}`);
      // Only the Parquet: no raw table, and each of the four checked tables for this run.
      expect(templates[key!]).not.toMatch(/raw_student/);
      expect(templates[key!].match(/FROM checked_\w+ WHERE run_id = '\{\{run_id\}\}'/g)).toHaveLength(4);
    }
  });
});

describe('result tables', () => {
  // Written from the issue: the figures of every run, partitioned by run id with projection.
  const names = [
    'result_cohorts',
    'result_correlation',
    'result_data_quality',
    'result_inputs',
    'result_mooc',
    'result_probabilities',
    'result_regression',
    'result_runs',
    'result_tests',
  ];

  it('are JSON-lines tables over results/<runId>/tables/<table>/, partitioned by run_id with injected projection', () => {
    const tables = glueTablesNamed('result_');
    expect(tables.map((table) => table.TableInput.Name).sort()).toEqual(names);
    for (const table of tables) {
      const input = table.TableInput;
      expect(input.PartitionKeys).toEqual([{ Name: 'run_id', Type: 'string' }]);
      expect(input.Parameters).toMatchObject({ classification: 'json', 'projection.enabled': 'true', 'projection.run_id.type': 'injected' });
      expect(flat(input.Parameters['storage.location.template'])).toBe(`s3://{${main.dataBucketId}}/results/\${run_id}/tables/${input.Name}/`);
      const storage = input.StorageDescriptor;
      expect(flat(storage.Location)).toBe(`s3://{${main.dataBucketId}}/results/`);
      expect(storage.SerdeInfo.SerializationLibrary).toBe('org.openx.data.jsonserde.JsonSerDe');
      expect(storage.InputFormat).toBe('org.apache.hadoop.mapred.TextInputFormat');
      // run_id is the partition key: a data column of the same name would be refused by Glue.
      expect(storage.Columns.map((column: { Name: string }) => column.Name)).not.toContain('run_id');
    }
  });

  it('hold the figures the issue names', () => {
    const columns = (name: string): string[] => glueTablesNamed(name)[0].TableInput.StorageDescriptor.Columns.map((column: { Name: string }) => column.Name);
    expect(columns('result_cohorts')).toEqual(expect.arrayContaining(['baseline', 'comparison', 'period', 'plan', 'n_after', 'mean', 'sd', 'ci95_low', 'ci95_high']));
    expect(columns('result_tests')).toEqual(expect.arrayContaining(['plan', 'f', 't_pooled', 't_welch', 'p_two_sided', 'chosen', 'cohens_d', 'direction', 'significant_change']));
    expect(columns('result_correlation')).toEqual(expect.arrayContaining(['n', 'pearson', 'spearman', 'p']));
    expect(columns('result_probabilities')).toEqual(expect.arrayContaining(['p_baseline', 'p_comparison', 'p_both', 'chi2_p']));
    expect(columns('result_regression')).toEqual(expect.arrayContaining(['intercept', 'slope', 'r2', 'predicted_certificates']));
    expect(columns('result_data_quality')).toEqual(['study', 'file', 'reason', 'quarantined_rows', 'input_rows', 'accepted_rows']);
    expect(columns('result_mooc')).toEqual(expect.arrayContaining(['users', 'dropout_rate', 'auc_test']));
    expect(columns('result_inputs')).toEqual(['study', 'file', 'input_rows', 'sha256']);
  });
});

describe('Athena workgroup', () => {
  it('runs engine v3 with enforced settings, a scan cutoff and output under athena-results/', () => {
    const [[, workGroup]] = resourcesOfType(main.json, 'AWS::Athena::WorkGroup') as [[string, any]];
    expect(workGroup.RecursiveDeleteOption).toBe(true);
    const configuration = workGroup.WorkGroupConfiguration;
    expect(configuration.EngineVersion.SelectedEngineVersion).toBe('Athena engine version 3');
    expect(configuration.EnforceWorkGroupConfiguration).toBe(true);
    expect(configuration.BytesScannedCutoffPerQuery).toBe((CDK_JSON_CONTEXT['engagement:bytesScannedCutoffMb'] as number) * 1024 * 1024);
    expect(flat(configuration.ResultConfiguration.OutputLocation)).toBe(`s3://{${main.dataBucketId}}/athena-results/`);
  });
});

describe('state machine definition', () => {
  const ATHENA_SYNC = /^arn:(aws|\{AWS::Partition\}):states:::athena:startQueryExecution\.sync$/;
  const athenaStates = (): [string, any][] => [...states].filter(([, state]) => ATHENA_SYNC.test(state.Resource ?? ''));

  it('is JSONPath throughout (no JSONata)', () => {
    expect(definition.QueryLanguage ?? 'JSONPath').toBe('JSONPath');
    for (const [name, state] of states) {
      expect(state.QueryLanguage ?? 'JSONPath', name).toBe('JSONPath');
      expect(state.Arguments, `${name} uses JSONata Arguments`).toBeUndefined();
      expect(state.Output, `${name} uses JSONata Output`).toBeUndefined();
    }
  });

  /** The template PlanRun fills for an Athena state: at $.runQueries.<key>, or carried by its Map item (sql). */
  const templateOf = (name: string): string => {
    const templates = states.get('PlanRun').Parameters.queryTemplates;
    let path: string = states.get(name).Parameters['QueryString.$'];
    if (path === '$.sql') path = states.get('CohortQueries').ItemSelector['sql.$'];
    const key = /^\$\.runQueries\.(\w+)$/.exec(path)?.[1];
    expect(key, `${name} reads ${path}`).toBeDefined();
    return templates[key!];
  };

  it('runs every query through athena .sync from the run\'s filled templates, parameters where the query has ?', () => {
    const parametrized = ['RunCohortQuery', 'RunMinutesAndCertificatesQuery', 'RunPurchasesInfoQuery'];
    expect(athenaStates().length).toBeGreaterThanOrEqual(parametrized.length + 5);
    for (const name of parametrized) {
      const state = states.get(name);
      expect(state?.Resource, name).toMatch(ATHENA_SYNC);
      // Built from the state's named object in the SQL markers' order (lib/queries.ts).
      expect(state.Parameters['ExecutionParameters.$'], name).toMatch(/^States\.Array\(\$\.[\w.]+(, \$\.[\w.]+)*\)$/);
      expect(templateOf(name), name).toContain('?');
    }
    for (const [name, state] of athenaStates()) {
      expect(state.Parameters.WorkGroup, name).toBe('engagementworkflow-queries');
      expect(state.Parameters.QueryExecutionContext.Database, name).toBe(DATABASE);
      // No SQL fixed in the definition: every query is this run's, filled in by PlanRun.
      expect(state.Parameters.QueryString, name).toBeUndefined();
      // A query with ? placeholders and no parameters would fail at run time, and the reverse too.
      expect('ExecutionParameters.$' in state.Parameters, name).toBe(templateOf(name).includes('?'));
    }
  });

  it('gives every INSERT INTO state, and only those, a ClientRequestToken of the execution and the state', async () => {
    const templates = states.get('PlanRun').Parameters.queryTemplates;
    const sqlOf = (state: any): string | undefined =>
      state.Parameters.QueryString ?? templates[/^\$\.runQueries\.(\w+)$/.exec(state.Parameters['QueryString.$'] ?? '')?.[1] ?? ''];
    const inserts = athenaStates().filter(([, state]) => /^\s*INSERT INTO/i.test(sqlOf(state) ?? ''));
    expect(inserts.map(([name]) => name).sort()).toEqual(
      ['student_info', 'student_purchases', 'student_video_watched', 'student_certificates'].flatMap((table) => [`Check_${table}`, `Curate_${table}`]).sort(),
    );
    // A token names its state, not a Map iteration: iterations would share it, so no INSERT runs in a Map.
    for (const [mapName, map] of [...states].filter(([, state]) => state.Type === 'Map')) {
      const inMap = allStates(map.ItemProcessor?.States ?? map.Iterator?.States ?? {}).map(([name]) => name);
      expect(inserts.filter(([name]) => inMap.includes(name)), mapName).toEqual([]);
    }
    for (const [name, state] of athenaStates()) {
      const isInsert = inserts.some(([insert]) => insert === name);
      expect('ClientRequestToken.$' in state.Parameters, name).toBe(isInsert);
      expect(state.Parameters.ClientRequestToken, name).toBeUndefined();
    }
    // In the cloud: SHA-256 of '<state>@<execution id>', 64 hex characters (Athena takes 32 to 128).
    const tokens = Object.fromEntries(inserts.map(([name, state]) => [name, state.Parameters['ClientRequestToken.$']]));
    for (const [name, token] of Object.entries(tokens)) expect(token, name).toBe(`States.Hash(States.Format('${name}@{}', $$.Execution.Id), 'SHA-256')`);
    // Evaluated by aws-local-stepfunctions (the local executor): the same on every attempt, another
    // for another state (or execution), and SHA-256 for inputs shorter than its 56-byte limit.
    const evaluate = async (executionId: string): Promise<Record<string, string>> => {
      const machine = new StateMachine({ StartAt: 'Tokens', States: { Tokens: { Type: 'Pass', Parameters: Object.fromEntries(Object.entries(tokens).map(([name, token]) => [`${name}.$`, token])), End: true } } } as any);
      return (await machine.run({}, { context: { Execution: { Id: executionId } } } as any).result) as Record<string, string>;
    };
    const short = await evaluate('local:r1');
    for (const [name] of inserts) expect(short[name], name).toBe(createHash('sha256').update(`${name}@local:r1`).digest('hex'));
    expect(await evaluate('local:r2')).not.toEqual(short);
    // The local runner's execution id is local:<run id>, up to 80 characters: tokens still differ per state.
    const longest = `local:${'r'.repeat(80)}`;
    const first = await evaluate(longest);
    expect(await evaluate(longest)).toEqual(first);
    expect(new Set(Object.values(first)).size).toBe(inserts.length);
    for (const token of Object.values(first)) expect(token).toMatch(/^[0-9a-f]{64}$/);
  });

  it('takes the run id from the input, else the month of the schedule\'s event, else the execution name', async () => {
    // ResolveRunId and its three Pass states, run by aws-local-stepfunctions (the local executor).
    const choice = states.get('ResolveRunId');
    const branches = [...choice.Choices.map((rule: any) => rule.Next), choice.Default] as string[];
    expect(branches).toEqual(['RunIdFromInput', 'RunIdFromSchedule', 'RunIdFromExecutionName']);
    const definition = {
      StartAt: 'ResolveRunId',
      States: {
        ResolveRunId: choice,
        ...Object.fromEntries(branches.map((name) => {
          const { Next: _next, ...pass } = states.get(name);
          return [name, { ...pass, End: true }];
        })),
      },
    };
    const resolve = async (input: Record<string, unknown>) =>
      (await new StateMachine(definition as any).run(input as any, { context: { Execution: { Name: 'a1b2c3d4-uuid', Id: 'x' } } } as any).result) as { runId: string };
    const scheduledAt = '2026-12-02T06:00:00Z';
    expect((await resolve({ rolling: true, scheduledAt })).runId).toBe('2026-12');
    expect((await resolve({ runId: 'rerun-2026-12', rolling: true, scheduledAt })).runId).toBe('rerun-2026-12');
    expect((await resolve({ baseline: '2021Q2', comparison: '2022Q2' })).runId).toBe('a1b2c3d4-uuid');
    expect(await resolve({ rolling: true, scheduledAt })).toEqual({ runId: '2026-12', request: { rolling: true, scheduledAt } });
  });

  it('runs the cohort queries inside a Map, next to the other queries in a Parallel', () => {
    const map = states.get('CohortQueries');
    expect(map.Type).toBe('Map');
    expect(Object.keys(map.ItemProcessor.States)).toContain('RunCohortQuery');
    const parallel = states.get('EngagementQueries');
    expect(parallel.Type).toBe('Parallel');
    const branchStarts = (parallel.Branches as any[]).map((branch) => branch.StartAt);
    expect(branchStarts).toEqual(expect.arrayContaining(['CohortQueries', 'RunMinutesAndCertificatesQuery', 'RunPurchasesInfoQuery']));
    expect(states.get('RemoveOutliers').Type).toBe('Map');
    expect(Object.keys(states.get('RemoveOutliers').ItemProcessor.States)).toEqual(['RemoveCohortOutliers']);
  });

  it('gives every Task a timeout and a Retry', () => {
    const tasks = [...states].filter(([, state]) => state.Type === 'Task');
    expect(tasks.length).toBeGreaterThanOrEqual(15);
    for (const [name, state] of tasks) {
      expect(state.TimeoutSeconds, `${name} TimeoutSeconds`).toBeGreaterThan(0);
      expect(state.Retry?.length, `${name} Retry`).toBeGreaterThan(0);
      for (const retry of state.Retry) expect(retry.ErrorEquals, `${name} retries everything`).not.toContain('States.ALL');
    }
  });

  it('catches failures of the top-level work into RecordFailure, which ends in a Fail state', () => {
    const top = definition.States;
    for (const name of ['PlanRun', 'RunStudies', 'PublishManifest']) {
      expect(top[name].Catch, name).toEqual(expect.arrayContaining([expect.objectContaining({ ErrorEquals: ['States.ALL'], Next: 'RecordFailure' })]));
    }
    expect(top.RecordFailure.Type).toBe('Task');
    expect(top[top.RecordFailure.Next].Type).toBe('Fail');
    // Every top-level state that can fail (Task/Parallel/Map) other than RecordFailure itself is caught.
    for (const [name, state] of Object.entries(top)) {
      if (['Task', 'Parallel', 'Map'].includes(state.Type) && name !== 'RecordFailure') {
        expect(state.Catch?.some((c: any) => c.Next === 'RecordFailure'), name).toBe(true);
      }
    }
  });
});

/**
 * The only steps allowed off arm64, each with its reason. buildReport: @resvg/resvg-js's native
 * binary is installed beside the bundle for linux-x64 whatever the build host (report-asset.test.ts).
 */
const X86_64_STEPS: Record<string, string> = { buildReport: 'native @resvg/resvg-js binary' };

describe('Lambda functions', () => {
  it('are one nodejs22.x arm64 function per declared step', () => {
    const functions = resourcesOfType(main.json, 'AWS::Lambda::Function');
    expect(functions.length).toBeGreaterThanOrEqual(8);
    expect(functions).toHaveLength(Object.keys(WORKFLOW_STEPS).length);
    for (const [id, properties] of functions) {
      const step = properties.Environment.Variables[WORKFLOW_STEP_ENV] as string;
      expect(properties.Runtime, id).toBe('nodejs22.x');
      expect(properties.Architectures, `${id} (${step})`).toEqual([X86_64_STEPS[step] ? 'x86_64' : 'arm64']);
    }
  });
});

describe('monthly schedule', () => {
  it('starts the state machine with {"rolling": true} and the event\'s time on the cron from cdk.json', () => {
    const [[, rule]] = resourcesOfType(main.json, 'AWS::Events::Rule') as [[string, any]];
    expect(rule.ScheduleExpression).toBe(CDK_JSON_CONTEXT['engagement:scheduleCron']);
    expect(rule.State).toBe('ENABLED');
    expect(rule.Targets).toHaveLength(1);
    const transformer = rule.Targets[0].InputTransformer;
    const fields = Object.entries(transformer.InputPathsMap as Record<string, string>);
    expect(fields).toHaveLength(1);
    const [[field, eventPath]] = fields as [[string, string]];
    expect(eventPath).toBe('$.time');
    expect(JSON.parse((transformer.InputTemplate as string).replace(`<${field}>`, '"2026-12-02T06:00:00Z"'))).toEqual({ rolling: true, scheduledAt: '2026-12-02T06:00:00Z' });
    const [[machineId]] = resourcesOfType(main.json, 'AWS::StepFunctions::StateMachine');
    expect(flat(rule.Targets[0].Arn)).toBe(`{${machineId}}`);
  });

  it('retries an undelivered start for a day, then keeps it in an encrypted dead-letter queue that an alarm watches', () => {
    const [[ruleId, rule]] = resourcesOfType(main.json, 'AWS::Events::Rule') as [[string, any]];
    const target = rule.Targets[0];
    expect(target.RetryPolicy).toEqual({ MaximumRetryAttempts: 185, MaximumEventAgeInSeconds: 86400 });
    const queueId = flat(target.DeadLetterConfig.Arn).replace(/^\{|\.Arn\}$/g, '');
    expect(main.json.Resources[queueId]).toMatchObject({ Type: 'AWS::SQS::Queue', Properties: { SqsManagedSseEnabled: true, MessageRetentionPeriod: 14 * 86400 } });
    const alarm = resourcesOfType(main.json, 'AWS::CloudWatch::Alarm').map(([, properties]) => properties).find((properties) => properties.Namespace === 'AWS/Events');
    expect(alarm).toMatchObject({ MetricName: 'FailedInvocations', Statistic: 'Sum', Threshold: 1, ComparisonOperator: 'GreaterThanOrEqualToThreshold', TreatMissingData: 'notBreaching' });
    expect(alarm.Dimensions.map((dimension: any) => [dimension.Name, flat(dimension.Value)])).toEqual([['RuleName', `{${ruleId}}`]]);
    const [[topicId]] = resourcesOfType(main.json, 'AWS::SNS::Topic');
    expect(alarm.AlarmActions.map(flat)).toEqual([`{${topicId}}`]);
  });

  it('is disabled by engagement:scheduleEnabled=false and takes another cron from context', () => {
    const other = synth({ 'engagement:scheduleEnabled': 'false', 'engagement:scheduleCron': 'cron(30 4 15 * ? *)' });
    other.template.hasResourceProperties('AWS::Events::Rule', { ScheduleExpression: 'cron(30 4 15 * ? *)', State: 'DISABLED' });
  });
});

describe('IAM least privilege', () => {
  /** The statements of every policy attached to the role a resource points at with Fn::GetAtt Role.Arn. */
  const statementsOfRole = (roleArn: unknown): any[] => {
    const roleId = (roleArn as { 'Fn::GetAtt': [string, string] })['Fn::GetAtt'][0];
    const policies = resourcesOfType(main.json, 'AWS::IAM::Policy').filter(([, policy]) => (policy.Roles as unknown[]).some((role) => flat(role) === `{${roleId}}`));
    expect(policies.length, roleId).toBeGreaterThan(0);
    const role = main.json.Resources[roleId]!.Properties;
    // Inline policies and managed policies on the role would escape the checks below.
    expect(role.Policies ?? [], `${roleId} inline policies`).toEqual([]);
    expect(role.ManagedPolicyArns ?? [], `${roleId} managed policies`).toEqual([]);
    return policies.flatMap(([, policy]) => policy.PolicyDocument.Statement);
  };
  const s3Statements = (statements: any[]): any[] => statements.filter((statement) => asList(statement.Action).some((action: string) => action.startsWith('s3:')));

  it('state machine role: no wildcard action, S3 only on its prefixes, Athena only in the workgroup, Glue only in the database (and default)', () => {
    const [[, machine]] = resourcesOfType(main.json, 'AWS::StepFunctions::StateMachine') as [[string, any]];
    const statements = statementsOfRole(machine.RoleArn);
    const bucketArn = `{${main.dataBucketId}.Arn}`;
    for (const statement of statements) {
      expect(statement.Effect).toBe('Allow');
      for (const action of asList(statement.Action) as string[]) expect(action === '*' || action.endsWith(':*'), action).toBe(false);
    }
    const s3Resources = s3Statements(statements).flatMap((statement) => asList(statement.Resource).map(flat));
    expect(s3Resources.length).toBeGreaterThan(0);
    expect(new Set(s3Resources)).toEqual(
      new Set([bucketArn, `${bucketArn}/raw/*`, `${bucketArn}/checked/*`, `${bucketArn}/curated/*`, `${bucketArn}/athena-results/*`]),
    );
    // Writes only to Athena's scratch prefix and the checked and curated tables (INSERT INTO); never deletes.
    const writes = s3Statements(statements).filter((statement) => asList(statement.Action).includes('s3:PutObject'));
    expect(new Set(writes.flatMap((statement) => asList(statement.Resource).map(flat)))).toEqual(
      new Set([`${bucketArn}/athena-results/*`, `${bucketArn}/checked/*`, `${bucketArn}/curated/*`]),
    );
    for (const statement of s3Statements(statements)) for (const action of asList(statement.Action) as string[]) expect(action).not.toMatch(/^s3:Delete/);

    const athena = statements.filter((statement) => asList(statement.Action).some((action: string) => action.startsWith('athena:')));
    // The workgroup, and the account's Glue catalog as Athena names it.
    expect(new Set(athena.flatMap((statement) => asList(statement.Resource).map(flat)))).toEqual(
      new Set([
        'arn:{AWS::Partition}:athena:{AWS::Region}:{AWS::AccountId}:workgroup/engagementworkflow-queries',
        'arn:{AWS::Partition}:athena:{AWS::Region}:{AWS::AccountId}:datacatalog/AwsDataCatalog',
      ]),
    );
    const database = DATABASE;
    const glue = statements.filter((statement) => asList(statement.Action).some((action: string) => action.startsWith('glue:')));
    for (const resource of glue.flatMap((statement) => asList(statement.Resource).map(flat))) {
      // This database and its tables; and `default`, which Athena looks up for any query.
      expect(resource).toMatch(new RegExp(`^arn:\\{AWS::Partition\\}:glue:\\{AWS::Region\\}:\\{AWS::AccountId\\}:(catalog|database/(${database}|default)|table/${database}/(\\*|\\w+))$`));
    }
    // Only the service-mandated statements (logs delivery, X-Ray) may use Resource "*".
    for (const statement of statements.filter((candidate) => asList(candidate.Resource).includes('*'))) {
      for (const action of asList(statement.Action) as string[]) expect(action, 'action on Resource "*"').toMatch(/^(logs|xray):/);
    }
  });

  it('each Lambda reads and writes only its own prefixes, and writes only under results/ (and the validated MOOC rows)', () => {
    // Written from what each step is documented to do, not read from the code under test.
    const expected: Record<string, { reads: string[]; writes: string[] }> = {
      // results/: the run lock (results/.locks/), the "attempt not finished" marker, clearing an earlier attempt.
      planRun: { reads: ['raw/', 'results/'], writes: ['results/'] },
      // checked/, curated/: lists the run's own partitions to delete them before a re-run writes them.
      validateEngagementFiles: { reads: ['raw/', 'checked/', 'curated/'], writes: [] },
      exportEngagementResults: { reads: ['athena-results/'], writes: ['results/'] },
      removeCohortOutliers: { reads: ['results/'], writes: ['results/'] },
      computeEngagementStatistics: { reads: ['results/'], writes: ['results/'] },
      // checked/mooc_actions/: the MOOC rows the validation accepted, typed, read by the MOOC steps after it.
      validateMoocInput: { reads: ['raw/'], writes: ['results/', 'checked/mooc_actions/'] },
      trainDropoutModel: { reads: ['checked/mooc_actions/'], writes: ['results/'] },
      analyzeMooc: { reads: ['checked/mooc_actions/', 'athena-results/'], writes: ['results/'] },
      publishManifest: { reads: ['results/'], writes: ['results/'] },
      recordFailure: { reads: ['results/'], writes: ['results/'] },
    };
    const bucketArn = `{${main.dataBucketId}.Arn}`;
    const functions = resourcesOfType(main.json, 'AWS::Lambda::Function');
    expect(functions.length).toBe(Object.keys(WORKFLOW_STEPS).length);
    const seen = new Set<string>();
    for (const [id, properties] of functions) {
      const step = properties.Environment.Variables[WORKFLOW_STEP_ENV] as keyof typeof WORKFLOW_STEPS;
      expect(step in WORKFLOW_STEPS, `${id} names a declared step`).toBe(true);
      seen.add(step);
      // Steps added after this test was written are held to their declaration (and the invariants).
      const prefixes = expected[step] ?? { reads: [...WORKFLOW_STEPS[step].reads], writes: [...WORKFLOW_STEPS[step].writes] };
      const statements = statementsOfRole(properties.Role);
      const s3 = s3Statements(statements);
      const kindOf = (statement: any): 'read' | 'write' | 'delete' => {
        const actions = asList(statement.Action) as string[];
        if (actions.some((action) => /^s3:Delete/.test(action))) return 'delete';
        return actions.some((action) => /^s3:(Put|Abort)/.test(action)) ? 'write' : 'read';
      };
      const resourcesOf = (kind: 'read' | 'write' | 'delete'): Set<string> =>
        new Set(s3.filter((statement) => kindOf(statement) === kind).flatMap((statement) => asList(statement.Resource).map(flat)).filter((resource) => resource !== bucketArn));
      expect(resourcesOf('read'), `${step} reads`).toEqual(new Set(prefixes.reads.map((prefix) => `${bucketArn}/${prefix}*`)));
      expect(resourcesOf('write'), `${step} writes`).toEqual(new Set(prefixes.writes.map((prefix) => `${bucketArn}/${prefix}*`)));
      // The one write outside results/ is the validated MOOC rows, run scratch under checked/.
      for (const write of resourcesOf('write')) {
        if (step === 'validateMoocInput' && write === `${bucketArn}/checked/mooc_actions/*`) continue;
        expect(write, `${step} writes outside results/`).toBe(`${bucketArn}/results/*`);
      }
      // Deletes: only where declared, and never the input under raw/.
      const deletes: readonly string[] = (WORKFLOW_STEPS[step] as { deletes?: readonly string[] }).deletes ?? [];
      expect(resourcesOf('delete'), `${step} deletes`).toEqual(new Set(deletes.map((prefix) => `${bucketArn}/${prefix}*`)));
      for (const removed of resourcesOf('delete')) expect(removed, `${step} deletes`).toMatch(/\/(results|checked|curated)\/\*$/);
      // Listing the bucket itself is allowed only under the read prefixes.
      for (const statement of s3.filter((candidate) => asList(candidate.Resource).map(flat).includes(bucketArn))) {
        const listed = statement.Condition?.StringLike?.['s3:prefix'];
        expect(listed, `${step} lists the whole bucket`).toBeDefined();
        expect(new Set(asList(listed)), `${step} list prefixes`).toEqual(new Set(prefixes.reads.map((prefix) => `${prefix}*`)));
      }
      for (const statement of statements) {
        for (const action of asList(statement.Action) as string[]) expect(action === '*' || action.endsWith(':*'), `${step} ${action}`).toBe(false);
        if (asList(statement.Resource).includes('*')) {
          for (const action of asList(statement.Action) as string[]) expect(action, `${step}: ${action} on "*"`).toMatch(/^xray:/);
        }
      }
    }
    expect([...seen].sort()).toEqual(Object.keys(WORKFLOW_STEPS).sort());
    for (const step of Object.keys(expected)) expect(seen.has(step), `function for ${step}`).toBe(true);
  });
});

describe('run failure alarm', () => {
  it('sums failed, timed-out and aborted executions with each missing series filled with 0', () => {
    const alarm = resourcesOfType(main.json, 'AWS::CloudWatch::Alarm').map(([, properties]) => properties).find((properties) => properties.Metrics !== undefined);
    const queries = alarm.Metrics as any[];
    const expression = queries.find((query) => query.Expression !== undefined);
    expect(expression.ReturnData ?? true).toBe(true);
    // One metric alone must give the sum a data point: every operand is wrapped in FILL(<id>, 0).
    const byMetricName = new Map(queries.filter((query) => query.MetricStat).map((query) => [query.MetricStat.Metric.MetricName, query.Id]));
    expect([...byMetricName.keys()].sort()).toEqual(['ExecutionsAborted', 'ExecutionsFailed', 'ExecutionsTimedOut']);
    const operands = (expression.Expression as string).split('+').map((term) => term.trim());
    expect(operands.sort()).toEqual([...byMetricName.values()].map((id) => `FILL(${id}, 0)`).sort());
    for (const query of queries.filter((candidate) => candidate.MetricStat)) {
      expect(query.MetricStat.Stat).toBe('Sum');
      expect(query.ReturnData).toBe(false);
    }
    expect(alarm).toMatchObject({ Threshold: 1, ComparisonOperator: 'GreaterThanOrEqualToThreshold', EvaluationPeriods: 1, TreatMissingData: 'notBreaching' });
  });

  it("lets only this account's CloudWatch alarms publish to the topic", () => {
    const [[, policy]] = resourcesOfType(main.json, 'AWS::SNS::TopicPolicy') as [[string, any]];
    const publish = (policy.PolicyDocument.Statement as any[]).find((statement) => statement.Principal?.Service === 'cloudwatch.amazonaws.com');
    expect(publish.Action).toBe('sns:Publish');
    expect(flat(publish.Condition.StringEquals['aws:SourceAccount'])).toBe('{AWS::AccountId}');
    expect(flat(publish.Condition.ArnLike['aws:SourceArn'])).toBe('arn:{AWS::Partition}:cloudwatch:{AWS::Region}:{AWS::AccountId}:alarm:*');
  });

  it('warns at synthesis when no one is subscribed to the alarms, and not when an email is given', () => {
    const warnings = (extraContext: Record<string, unknown>) => {
      const app = new App({ context: { ...CDK_JSON_CONTEXT, 'aws:cdk:bundling-stacks': [], ...extraContext } });
      const stack = new EngagementWorkflowStack(app, 'EngagementWorkflow');
      return Annotations.fromStack(stack).findWarning('*', Match.stringLikeRegexp('engagement:alarmEmail is not set'));
    };
    expect(warnings({ 'engagement:alarmEmail': '' })).toHaveLength(1);
    expect(warnings({ 'engagement:alarmEmail': 'team@example.com' })).toHaveLength(0);
  });
});

describe('state machine role: Athena access', () => {
  const database = DATABASE;
  const arn = (service: string, resource: string): string => `arn:{AWS::Partition}:${service}:{AWS::Region}:{AWS::AccountId}:${resource}`;
  const roleStatements = (): any[] => {
    const [[, machine]] = resourcesOfType(main.json, 'AWS::StepFunctions::StateMachine') as [[string, any]];
    const roleId = machine.RoleArn['Fn::GetAtt'][0];
    return resourcesOfType(main.json, 'AWS::IAM::Policy')
      .filter(([, policy]) => (policy.Roles as unknown[]).some((role) => flat(role) === `{${roleId}}`))
      .flatMap(([, policy]) => policy.PolicyDocument.Statement);
  };

  /**
   * Every SQL statement an Athena state can run, read from the synthesized definition: the run
   * template in PlanRun's payload its QueryString.$ path gets at run time (directly, or through the
   * item selector of the Map it runs in).
   */
  const athenaSql = (): string[] => {
    const templates = states.get('PlanRun').Parameters.queryTemplates;
    const mapSelectors = [...states].filter(([, state]) => state.Type === 'Map').map(([, map]) => ({ map, names: allStates(map.ItemProcessor?.States ?? {}).map(([name]) => name) }));
    return [...states]
      .filter(([, state]) => /:states:::athena:startQueryExecution/.test(state.Resource ?? ''))
      .map(([name, state]) => {
        let path = state.Parameters['QueryString.$'] as string;
        const enclosing = mapSelectors.find(({ names }) => names.includes(name));
        const fromItem = /^\$\.(\w+)$/.exec(path);
        if (enclosing && fromItem) path = enclosing.map.ItemSelector[`${fromItem[1]}.$`];
        const template = /^\$\.runQueries\.(\w+)$/.exec(path ?? '');
        if (template && typeof templates[template[1]!] === 'string') return templates[template[1]!] as string;
        throw new Error(`${name}: no known source for the SQL at ${state.Parameters['QueryString.$']}`);
      });
  };
  const namesAfter = (keyword: RegExp): string[] =>
    [...new Set(athenaSql().flatMap((sql) => [...sql.matchAll(keyword)].map((match) => match[1]!)))].sort();

  it('names each Athena, Glue and S3 action with exactly its resources, all of this stack', () => {
    const granted = new Map<string, Set<string>>();
    for (const statement of roleStatements()) {
      for (const action of asList(statement.Action) as string[]) {
        if (!/^(athena|glue|s3|lakeformation):/.test(action)) continue;
        expect(statement.Condition, action).toBeUndefined();
        const resources = granted.get(action) ?? new Set<string>();
        for (const resource of asList(statement.Resource)) resources.add(flat(resource));
        granted.set(action, resources);
      }
    }
    const inserted = namesAfter(/^\s*INSERT INTO (\w+)/gim);
    // Written from the design: the checks fill checked_*, the curation curated_*, nothing else.
    expect(inserted).toEqual(['student_certificates', 'student_info', 'student_purchases', 'student_video_watched'].flatMap((table) => [`checked_${table}`, `curated_${table}`]).sort());
    const views = namesAfter(/^\s*CREATE (?:OR REPLACE )?VIEW (\w+)/gim);

    const bucket = `{${main.dataBucketId}.Arn}`;
    const catalog = arn('glue', 'catalog');
    const ourDatabase = arn('glue', `database/${database}`);
    const defaultDatabase = arn('glue', 'database/default');
    const tables = (names: string[]): string[] => names.map((name) => arn('glue', `table/${database}/${name}`));
    const workGroup = arn('athena', 'workgroup/engagementworkflow-queries');
    const expected: Record<string, string[]> = {
      'athena:StartQueryExecution': [workGroup],
      'athena:GetQueryExecution': [workGroup],
      'athena:StopQueryExecution': [workGroup],
      'athena:GetDataCatalog': [arn('athena', 'datacatalog/AwsDataCatalog')],
      'glue:GetDatabase': [catalog, ourDatabase, defaultDatabase],
      'glue:CreateDatabase': [catalog, defaultDatabase],
      'glue:GetTable': [catalog, ourDatabase, arn('glue', `table/${database}/*`)],
      'glue:GetTables': [catalog, ourDatabase, arn('glue', `table/${database}/*`)],
      'glue:GetPartition': [catalog, ourDatabase, arn('glue', `table/${database}/*`)],
      'glue:GetPartitions': [catalog, ourDatabase, arn('glue', `table/${database}/*`)],
      'glue:BatchGetPartition': [catalog, ourDatabase, arn('glue', `table/${database}/*`)],
      'glue:BatchCreatePartition': [catalog, ourDatabase, ...tables(inserted)],
      'glue:CreatePartition': [catalog, ourDatabase, ...tables(inserted)],
      'glue:UpdatePartition': [catalog, ourDatabase, ...tables(inserted)],
      // Views are Glue tables: only the ones some statement creates or replaces, and none when none does.
      ...(views.length > 0 ? { 'glue:CreateTable': [catalog, ourDatabase, ...tables(views)], 'glue:UpdateTable': [catalog, ourDatabase, ...tables(views)] } : {}),
      's3:GetObject': ['raw/', 'checked/', 'curated/', 'athena-results/'].map((prefix) => `${bucket}/${prefix}*`),
      's3:PutObject': ['checked/', 'curated/', 'athena-results/'].map((prefix) => `${bucket}/${prefix}*`),
      's3:AbortMultipartUpload': ['checked/', 'curated/', 'athena-results/'].map((prefix) => `${bucket}/${prefix}*`),
      's3:ListMultipartUploadParts': ['checked/', 'curated/', 'athena-results/'].map((prefix) => `${bucket}/${prefix}*`),
      's3:ListBucket': [bucket],
      's3:GetBucketLocation': [bucket],
      's3:ListBucketMultipartUploads': [bucket],
    };
    expect(Object.fromEntries([...granted].map(([action, resources]) => [action, [...resources].sort()]))).toEqual(
      Object.fromEntries(Object.entries(expected).map(([action, resources]) => [action, [...resources].sort()])),
    );
  });

  it('fits IAM\'s 10,240-character limit on a role\'s inline policies, resolved with the longest names', () => {
    // CDK moves what does not fit its estimate into a managed policy; what IAM counts is the
    // resolved JSON, so resolve it with the longest values each token can take.
    const [[, machine]] = resourcesOfType(main.json, 'AWS::StepFunctions::StateMachine') as [[string, any]];
    const roleId = machine.RoleArn['Fn::GetAtt'][0];
    const longest: Record<string, string> = { 'AWS::Partition': 'aws-us-gov', 'AWS::Region': 'ap-southeast-7', 'AWS::AccountId': '123456789012' };
    const resolve = (value: any): any => {
      if (Array.isArray(value)) return value.map(resolve);
      if (value && typeof value === 'object') {
        if ('Ref' in value) return longest[value.Ref] ?? 'x'.repeat(64);
        if ('Fn::GetAtt' in value) {
          const type = main.json.Resources[value['Fn::GetAtt'][0]]!.Type;
          if (type === 'AWS::Lambda::Function') return `arn:aws-us-gov:lambda:ap-southeast-7:123456789012:function:${'f'.repeat(64)}`;
          if (type === 'AWS::S3::Bucket') return `arn:aws-us-gov:s3:::${'b'.repeat(63)}`;
          return `arn:aws-us-gov:service:ap-southeast-7:123456789012:${'r'.repeat(128)}`;
        }
        if ('Fn::Join' in value) return (resolve(value['Fn::Join'][1]) as string[]).join(value['Fn::Join'][0]);
        return Object.fromEntries(Object.entries(value).map(([key, inner]) => [key, resolve(inner)]));
      }
      return value;
    };
    const inline = resourcesOfType(main.json, 'AWS::IAM::Policy').filter(([, policy]) => (policy.Roles as unknown[]).some((role) => flat(role) === `{${roleId}}`));
    expect(inline.length).toBeGreaterThanOrEqual(2);
    const characters = inline.reduce((sum, [, policy]) => sum + JSON.stringify(resolve(policy.PolicyDocument)).length, 0);
    expect(characters).toBeLessThan(10_240);
    expect(resourcesOfType(main.json, 'AWS::IAM::ManagedPolicy')).toEqual([]);
  });
});
