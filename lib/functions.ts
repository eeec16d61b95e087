// One Lambda function per workflow step (see lambdas/handlers/workflow-steps.ts), bundled with
// esbuild, Node.js 22 on arm64, each allowed only the bucket prefixes its step touches.
import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as nodejs from 'aws-cdk-lib/aws-lambda-nodejs';
import * as logs from 'aws-cdk-lib/aws-logs';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import path from 'node:path';
import { SERVICE_NAME } from '../lambdas/handlers/wiring';
import { WORKFLOW_STEPS, WORKFLOW_STEP_ENV, type WorkflowStepName } from '../lambdas/handlers/workflow-steps';

export interface WorkflowFunctionsProps {
  bucket: s3.IBucket;
}

export class WorkflowFunctions extends Construct {
  readonly byStep: Record<WorkflowStepName, lambda.IFunction>;

  constructor(scope: Construct, id: string, props: WorkflowFunctionsProps) {
    super(scope, id);
    const entries = Object.entries(WORKFLOW_STEPS) as [WorkflowStepName, (typeof WORKFLOW_STEPS)[WorkflowStepName]][];
    this.byStep = {} as Record<WorkflowStepName, lambda.IFunction>;
    for (const [name, spec] of entries) {
      const id = name[0]!.toUpperCase() + name.slice(1);
      const logGroup = new logs.LogGroup(this, `${id}Logs`, { retention: logs.RetentionDays.THREE_MONTHS, removalPolicy: RemovalPolicy.DESTROY });
      const fn = new nodejs.NodejsFunction(this, id, {
        entry: path.join(__dirname, '..', 'lambdas', 'handlers', spec.entry),
        handler: 'handler',
        description: spec.description,
        runtime: lambda.Runtime.NODEJS_22_X,
        architecture: lambda.Architecture.ARM_64,
        memorySize: spec.memoryMb,
        timeout: Duration.seconds(spec.timeoutSeconds),
        logGroup,
        loggingFormat: lambda.LoggingFormat.JSON,
        tracing: lambda.Tracing.ACTIVE,
        environment: {
          DATA_BUCKET: props.bucket.bucketName,
          [WORKFLOW_STEP_ENV]: name,
          POWERTOOLS_SERVICE_NAME: SERVICE_NAME,
          NODE_OPTIONS: '--enable-source-maps',
        },
        bundling: {
          target: 'node22',
          format: nodejs.OutputFormat.CJS,
          minify: true,
          sourceMap: true,
          // The Node.js 22 runtime ships AWS SDK v3; leaving it out keeps bundles small.
          externalModules: ['@aws-sdk/*'],
          loader: { '.sql': 'text' },
        },
      });
      for (const prefix of spec.reads) props.bucket.grantRead(fn, `${prefix}*`);
      for (const prefix of spec.writes) props.bucket.grantPut(fn, `${prefix}*`);
      this.byStep[name] = fn;
    }
  }
}
