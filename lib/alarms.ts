// Tells the team when a run does not succeed: failed, timed-out and aborted executions raise one
// CloudWatch alarm that notifies an SNS topic (with an optional email subscription from context).
import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as actions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import type * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';

export interface RunAlarmsProps {
  stateMachine: sfn.StateMachine;
  alarmEmail: string;
}

export class RunAlarms extends Construct {
  readonly topic: sns.Topic;
  readonly alarm: cloudwatch.Alarm;

  constructor(scope: Construct, id: string, props: RunAlarmsProps) {
    super(scope, id);
    this.topic = new sns.Topic(this, 'Topic', { displayName: 'engagement-workflow run failures', enforceSSL: true });
    // CloudWatch alarms publish to the topic; nothing else may.
    this.topic.addToResourcePolicy(
      new iam.PolicyStatement({
        actions: ['sns:Publish'],
        principals: [new iam.ServicePrincipal('cloudwatch.amazonaws.com')],
        resources: [this.topic.topicArn],
      }),
    );
    if (props.alarmEmail) this.topic.addSubscription(new subscriptions.EmailSubscription(props.alarmEmail));

    const machine = props.stateMachine;
    // Step Functions sends each of these metrics only for periods in which it happened, and metric
    // math adds series point by point: with a plain sum, a period where a run failed but none timed
    // out or was aborted has no sum, and the alarm (missing data: not breaching) stays silent.
    // FILL(m, 0) counts a metric with no data point as 0.
    const unsuccessful = new cloudwatch.MathExpression({
      expression: 'FILL(failed, 0) + FILL(timedOut, 0) + FILL(aborted, 0)',
      label: 'Executions that did not succeed',
      usingMetrics: {
        failed: machine.metricFailed({ statistic: 'Sum' }),
        timedOut: machine.metricTimedOut({ statistic: 'Sum' }),
        aborted: machine.metricAborted({ statistic: 'Sum' }),
      },
      period: Duration.minutes(5),
    });
    this.alarm = unsuccessful.createAlarm(this, 'UnsuccessfulRuns', {
      alarmDescription: 'An engagement-workflow run failed, timed out or was aborted: see results/<runId>/_FAILED.json',
      threshold: 1,
      evaluationPeriods: 1,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });
    this.alarm.addAlarmAction(new actions.SnsAction(this.topic));
  }
}
