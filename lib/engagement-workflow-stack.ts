// The whole product in one stack: storage, catalog, Lambda steps, the state machine and its schedule.
import { CfnOutput, Stack, type StackProps } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
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
    const settings = readSettings(this.node);
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
    new MonthlySchedule(this, 'Schedule', {
      stateMachine: this.workflow.stateMachine,
      cron: settings.scheduleCron,
      enabled: settings.scheduleEnabled,
    });

    new CfnOutput(this, 'DataBucketName', { value: storage.bucket.bucketName, description: 'Upload input under raw/, results appear under results/<runId>/' });
    new CfnOutput(this, 'StateMachineArn', { value: this.workflow.stateMachine.stateMachineArn });
    new CfnOutput(this, 'AthenaWorkGroup', { value: catalog.workGroupName });
    new CfnOutput(this, 'GlueDatabase', { value: catalog.databaseName });
  }
}
