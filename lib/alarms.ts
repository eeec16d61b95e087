// Tells the team when a run does not succeed: failed, timed-out and aborted executions raise one
// CloudWatch alarm, and a monthly start the schedule could not deliver raises another; both notify
// an SNS topic (with an email subscription from context; synthesis warns when there is none).
import { Annotations, ArnFormat, Duration, Stack } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as actions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import type * as events from 'aws-cdk-lib/aws-events';
import type * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';

export interface RunAlarmsProps {
  stateMachine: sfn.StateMachine;
  /** Where notifications go; empty = no subscription (synthesis warns). */
  alarmEmail: string;
  /** The monthly rule: an alarm when it fails to start the state machine (retries and dead-letter queue spent). */
  schedule?: events.Rule;
}

export class RunAlarms extends Construct {
  readonly topic: sns.Topic;
  readonly alarm: cloudwatch.Alarm;
  readonly scheduleAlarm?: cloudwatch.Alarm;

  constructor(scope: Construct, id: string, props: RunAlarmsProps) {
    super(scope, id);
    this.topic = new sns.Topic(this, 'Topic', { displayName: 'engagement-workflow run failures', enforceSSL: true });
    // This account's CloudWatch alarms publish to the topic; nothing else may (the conditions keep
    // another account's alarm from using CloudWatch to publish here).
    const stack = Stack.of(this);
    this.topic.addToResourcePolicy(
      new iam.PolicyStatement({
        actions: ['sns:Publish'],
        principals: [new iam.ServicePrincipal('cloudwatch.amazonaws.com')],
        resources: [this.topic.topicArn],
        conditions: {
          StringEquals: { 'aws:SourceAccount': stack.account },
          ArnLike: { 'aws:SourceArn': stack.formatArn({ service: 'cloudwatch', resource: 'alarm', resourceName: '*', arnFormat: ArnFormat.COLON_RESOURCE_NAME }) },
        },
      }),
    );
    if (props.alarmEmail) {
      this.topic.addSubscription(new subscriptions.EmailSubscription(props.alarmEmail));
    } else {
      Annotations.of(this).addWarningV2(
        'engagement-workflow:no-alarm-subscriber',
        'engagement:alarmEmail is not set: a failed run or a missed monthly start raises an alarm, but nobody is subscribed to its topic (output AlarmTopicArn). Deploy with -c engagement:alarmEmail=team@example.com, or subscribe to the topic.',
      );
    }

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
      alarmDescription:
        "An engagement-workflow run failed, timed out or was aborted: see results/<runId>/_FAILED.json (a timed-out or aborted run's says only that the attempt did not finish; the execution's history says where it stopped)",
      threshold: 1,
      evaluationPeriods: 1,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });
    this.alarm.addAlarmAction(new actions.SnsAction(this.topic));

    if (props.schedule) {
      // A start EventBridge gave up on (its retries spent, or an error it does not retry, such as a
      // missing permission) never becomes an execution, so the alarm above cannot see it.
      const failedStarts = new cloudwatch.Metric({
        namespace: 'AWS/Events',
        metricName: 'FailedInvocations',
        dimensionsMap: { RuleName: props.schedule.ruleName },
        statistic: 'Sum',
        period: Duration.minutes(5),
      });
      this.scheduleAlarm = failedStarts.createAlarm(this, 'MissedScheduledRuns', {
        alarmDescription: "The monthly schedule could not start the engagement-workflow state machine: that month's run did not happen (the event is in the schedule's dead-letter queue); start it by hand",
        threshold: 1,
        evaluationPeriods: 1,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      });
      this.scheduleAlarm.addAlarmAction(new actions.SnsAction(this.topic));
    }
  }
}
