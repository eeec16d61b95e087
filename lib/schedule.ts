// Starts the workflow every month (cron from cdk.json), with the rolling periods.
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import type * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';

export interface MonthlyScheduleProps {
  stateMachine: sfn.IStateMachine;
  cron: string;
  enabled: boolean;
}

export class MonthlySchedule extends Construct {
  readonly rule: events.Rule;

  constructor(scope: Construct, id: string, props: MonthlyScheduleProps) {
    super(scope, id);
    this.rule = new events.Rule(this, 'Rule', {
      description: 'Monthly engagement-workflow run: latest complete quarter vs the same quarter a year earlier',
      schedule: events.Schedule.expression(props.cron),
      enabled: props.enabled,
      targets: [new targets.SfnStateMachine(props.stateMachine, { input: events.RuleTargetInput.fromObject({ rolling: true }) })],
    });
  }
}
