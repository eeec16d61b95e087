// One Lambda function per workflow step (see lib/function-specs.ts), bundled with
// esbuild (settings in lib/bundling.ts), Node.js 22 on arm64, each allowed only the bucket prefixes
// its step touches.
import { Duration, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as nodejs from 'aws-cdk-lib/aws-lambda-nodejs';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import path from 'node:path';
import { SERVICE_NAME } from '../lambdas/handlers/wiring';
import { WORKFLOW_STEPS, WORKFLOW_STEP_ENV, type WorkflowStepName, type WorkflowStepSpec } from './function-specs';
import { PROJECT_ROOT, cdkBundling } from './bundling';

/** GetObject/ListBucket under the read prefixes, PutObject under the write prefixes, DeleteObject where declared: nothing else. */
function grantPrefixes(role: iam.Role, bucket: s3.IBucket, reads: readonly string[], writes: readonly string[], deletes: readonly string[]): void {
  if (reads.length > 0) {
    role.addToPolicy(new iam.PolicyStatement({ actions: ['s3:GetObject'], resources: reads.map((prefix) => bucket.arnForObjects(`${prefix}*`)) }));
    role.addToPolicy(
      new iam.PolicyStatement({
        actions: ['s3:ListBucket'],
        resources: [bucket.bucketArn],
        conditions: { StringLike: { 's3:prefix': reads.map((prefix) => `${prefix}*`) } },
      }),
    );
  }
  if (writes.length > 0) {
    role.addToPolicy(
      new iam.PolicyStatement({ actions: ['s3:PutObject', 's3:AbortMultipartUpload'], resources: writes.map((prefix) => bucket.arnForObjects(`${prefix}*`)) }),
    );
  }
  if (deletes.length > 0) {
    role.addToPolicy(new iam.PolicyStatement({ actions: ['s3:DeleteObject'], resources: deletes.map((prefix) => bucket.arnForObjects(`${prefix}*`)) }));
  }
}

export interface WorkflowFunctionsProps {
  bucket: s3.IBucket;
}

export class WorkflowFunctions extends Construct {
  readonly byStep: Record<WorkflowStepName, lambda.IFunction>;

  constructor(scope: Construct, id: string, props: WorkflowFunctionsProps) {
    super(scope, id);
    const entries = Object.entries(WORKFLOW_STEPS) as [WorkflowStepName, WorkflowStepSpec][];
    this.byStep = {} as Record<WorkflowStepName, lambda.IFunction>;
    for (const [name, spec] of entries) {
      const id = name[0]!.toUpperCase() + name.slice(1);
      const logGroup = new logs.LogGroup(this, `${id}Logs`, { retention: logs.RetentionDays.THREE_MONTHS, removalPolicy: RemovalPolicy.DESTROY });
      // An explicit role (no AWS managed policy): write its own log group, touch only its prefixes.
      const role = new iam.Role(this, `${id}Role`, { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'), description: `${name} step` });
      role.addToPolicy(new iam.PolicyStatement({ actions: ['logs:CreateLogStream', 'logs:PutLogEvents'], resources: [logGroup.logGroupArn] }));
      grantPrefixes(role, props.bucket, spec.reads, spec.writes, spec.deletes ?? []);
      const fn = new nodejs.NodejsFunction(this, id, {
        entry: path.join(__dirname, '..', 'lambdas', 'handlers', spec.entry),
        // Found from here rather than searched upward from the working directory, so the stack
        // also synthesizes when the command line runs from another folder.
        depsLockFilePath: path.join(PROJECT_ROOT, 'package-lock.json'),
        handler: 'handler',
        description: spec.description,
        runtime: lambda.Runtime.NODEJS_22_X,
        architecture: spec.architecture === 'x86_64' ? lambda.Architecture.X86_64 : lambda.Architecture.ARM_64,
        memorySize: spec.memoryMb,
        timeout: Duration.seconds(spec.timeoutSeconds),
        role,
        logGroup,
        loggingFormat: lambda.LoggingFormat.JSON,
        tracing: lambda.Tracing.ACTIVE,
        environment: {
          DATA_BUCKET: props.bucket.bucketName,
          [WORKFLOW_STEP_ENV]: name,
          POWERTOOLS_SERVICE_NAME: SERVICE_NAME,
          NODE_OPTIONS: '--enable-source-maps',
        },
        bundling: cdkBundling(spec),
      });
      Validations.of(role).acknowledge(
        {
          id: 'AwsSolutions::AwsSolutions-IAM5[Resource::*]',
          reason: 'X-Ray tracing: xray:PutTraceSegments and xray:PutTelemetryRecords support no resource-level permissions.',
        },
        ...[...spec.reads, ...spec.writes].map((prefix) => ({
          id: `AwsSolutions::AwsSolutions-IAM5[Resource::<${Stack.of(this).getLogicalId(props.bucket.node.defaultChild as s3.CfnBucket)}.Arn>/${prefix}*]`,
          reason: `Run ids are chosen at run time, so the step may read/write any object under ${prefix} and no other prefix.`,
        })),
        {
          id: 'AwsSolutions::AwsSolutions-IAM5[Resource::<' + Stack.of(this).getLogicalId(logGroup.node.defaultChild as logs.CfnLogGroup) + '.Arn>:*]',
          reason: 'Log streams of this function\'s own log group.',
        },
      );
      Validations.of(fn).acknowledge({
        id: 'AwsSolutions::AwsSolutions-L1',
        reason: 'The product targets the nodejs22.x runtime on purpose (its tests and local runner are checked against Node 22).',
      });
      this.byStep[name] = fn;
    }
  }
}
