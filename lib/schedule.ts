// Starts the workflow every month (cron from cdk.json), with the rolling periods. A start that
// cannot be delivered is retried for a day, then kept in a dead-letter queue (RunAlarms alarms on it).
import { Duration, Validations } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import type * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';

export interface MonthlyScheduleProps {
  stateMachine: sfn.IStateMachine;
  cron: string;
  enabled: boolean;
}

export class MonthlySchedule extends Construct {
  readonly rule: events.Rule;
  /** Monthly starts EventBridge could not deliver, kept 14 days to look into. */
  readonly deadLetterQueue: sqs.Queue;

  constructor(scope: Construct, id: string, props: MonthlyScheduleProps) {
    super(scope, id);
    this.deadLetterQueue = new sqs.Queue(this, 'DeadLetters', {
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    Validations.of(this.deadLetterQueue).acknowledge({
      id: 'AwsSolutions::AwsSolutions-SQS3',
      reason: "This queue is the dead-letter queue of the schedule's EventBridge target (cdk-nag recognizes only SQS redrive as dead-letter use).",
    });
    this.rule = new events.Rule(this, 'Rule', {
      description: 'Monthly engagement-workflow run: latest complete quarter vs the same quarter a year earlier',
      schedule: events.Schedule.expression(props.cron),
      enabled: props.enabled,
      targets: [
        new targets.SfnStateMachine(props.stateMachine, {
          // The event's time: the run id (its month) and the rolling periods come from it.
          input: events.RuleTargetInput.fromObject({ rolling: true, scheduledAt: events.EventField.time }),
          retryAttempts: 185,
          maxEventAge: Duration.hours(24),
          deadLetterQueue: this.deadLetterQueue,
        }),
      ],
    });
  }
}
