// The whole product in one stack: storage, catalog, Lambda steps, the state machine and its schedule.
import { CfnOutput, Stack, Token, Validations, type StackProps } from 'aws-cdk-lib';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import type { Construct } from 'constructs';
import { RunAlarms } from './alarms';
import { QueryCatalog } from './catalog';
import { WorkflowFunctions } from './functions';
import { MonthlySchedule } from './schedule';
import { readSettings } from './settings';
import { DataStorage } from './storage';
import { AnalyticsWorkflow } from './workflow';

export class EngagementWorkflowStack extends Stack {
  readonly workflow: AnalyticsWorkflow;

  constructor(scope: Construct, id: string, props?: StackProps) {
    super(scope, id, props);
    const settings = readSettings(this.node, this.stackName);
    const storage = new DataStorage(this, 'Storage', { athenaResultsRetentionDays: settings.athenaResultsRetentionDays });
    const catalog = new QueryCatalog(this, 'Catalog', {
      bucket: storage.bucket,
      databaseName: settings.databaseName,
      bytesScannedCutoffMb: settings.bytesScannedCutoffMb,
    });
    const functions = new WorkflowFunctions(this, 'Steps', { bucket: storage.bucket });
    this.workflow = new AnalyticsWorkflow(this, 'Workflow', {
      bucket: storage.bucket,
      functions: functions.byStep,
      databaseName: catalog.databaseName,
      workGroupName: catalog.workGroupName,
    });
    const schedule = new MonthlySchedule(this, 'Schedule', {
      stateMachine: this.workflow.stateMachine,
      cron: settings.scheduleCron,
      enabled: settings.scheduleEnabled,
    });

    this.acknowledgeStateMachineFindings(storage.bucket, catalog.databaseName, Object.values(functions.byStep));
    const alarms = new RunAlarms(this, 'Alarms', { stateMachine: this.workflow.stateMachine, alarmEmail: settings.alarmEmail, schedule: schedule.rule });

    new CfnOutput(this, 'DataBucketName', { value: storage.bucket.bucketName, description: 'Upload input under raw/, results appear under results/<runId>/' });
    new CfnOutput(this, 'StateMachineArn', { value: this.workflow.stateMachine.stateMachineArn });
    new CfnOutput(this, 'AthenaWorkGroup', { value: catalog.workGroupName });
    new CfnOutput(this, 'GlueDatabase', { value: catalog.databaseName });
    new CfnOutput(this, 'AlarmTopicArn', { value: alarms.topic.topicArn, description: 'Subscribe to hear about failed runs' });
  }

  /** How cdk-nag prints a value: itself when known at synth time, <AWS::Pseudo> when a token. */
  private nagValue(value: string, pseudo: string): string {
    return Token.isUnresolved(value) ? `<${pseudo}>` : value;
  }

  /** cdk-nag findings on the state machine's role that are inherent to the design, each with its reason. */
  private acknowledgeStateMachineFindings(bucket: s3.Bucket, databaseName: string, functions: { node: { defaultChild?: unknown } }[]): void {
    const bucketId = this.getLogicalId(bucket.node.defaultChild as s3.CfnBucket);
    const role = this.workflow.stateMachine.role;
    Validations.of(role).acknowledge(
      {
        id: 'AwsSolutions::AwsSolutions-IAM5[Resource::*]',
        reason: 'Execution logging (logs:CreateLogDelivery and friends) and X-Ray (xray:PutTraceSegments) support no resource-level permissions.',
      },
      ...functions.map((fn) => ({
        id: `AwsSolutions::AwsSolutions-IAM5[Resource::<${this.getLogicalId(fn.node.defaultChild as import('aws-cdk-lib').CfnElement)}.Arn>:*]`,
        reason: 'lambda:InvokeFunction on versions and aliases of this one workflow function (added by the Lambda task).',
      })),
    );
    // The Athena queries' own policy (lib/athena-access.ts).
    Validations.of(this.workflow.athenaAccess).acknowledge(
      {
        id: `AwsSolutions::AwsSolutions-IAM5[Resource::arn:${this.nagValue(this.partition, 'AWS::Partition')}:glue:${this.nagValue(this.region, 'AWS::Region')}:${this.nagValue(this.account, 'AWS::AccountId')}:table/${databaseName}/*]`,
        reason: 'Read-only (GetTable, GetPartitions and friends) on the raw, checked and curated tables of this one database, which every query resolves; partition writes (and view DDL, if a statement creates a view) are granted per named table.',
      },
      { id: `AwsSolutions::AwsSolutions-IAM5[Resource::<${bucketId}.Arn>/raw/*]`, reason: 'Athena reads the raw input tables under raw/ (read-only: GetObject).' },
      {
        id: `AwsSolutions::AwsSolutions-IAM5[Resource::<${bucketId}.Arn>/checked/*]`,
        reason: 'Athena writes (INSERT INTO) and reads the checked Parquet tables under checked/<table>/run_id=<runId>/, with generated file names.',
      },
      {
        id: `AwsSolutions::AwsSolutions-IAM5[Resource::<${bucketId}.Arn>/curated/*]`,
        reason: 'Athena writes (INSERT INTO) and reads the curated Parquet tables under curated/<table>/run_id=<runId>/..., with generated file names.',
      },
      {
        id: `AwsSolutions::AwsSolutions-IAM5[Resource::<${bucketId}.Arn>/athena-results/*]`,
        reason: 'Athena writes each query result under athena-results/ with a generated name.',
      },
    );
  }
}
