#!/usr/bin/env node
// The CDK app: `npx cdk synth` / `npx cdk deploy`.
import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { EngagementWorkflowStack } from '../lib/engagement-workflow-stack';

const app = new App();
const stackName = (app.node.tryGetContext('engagement:stackName') as string | undefined) ?? 'EngagementWorkflow';
new EngagementWorkflowStack(app, stackName, {
  env: { account: process.env.CDK_DEFAULT_ACCOUNT, region: process.env.CDK_DEFAULT_REGION },
  description: 'engagement-workflow: engagement study and MOOC drop-out analysis (S3, Glue, Athena, Step Functions, Lambda)',
});
if (app.node.tryGetContext('engagement:nag') !== false && app.node.tryGetContext('engagement:nag') !== 'false') {
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app, { verbose: true }));
}
app.synth();
