// Deployment settings read from cdk.json context (override with `cdk deploy -c key=value`).
import type { Node } from 'constructs';

export interface WorkflowSettings {
  /** The Glue database; by default the stack name in snake case (EngagementWorkflow: engagement_workflow), so two stacks in one account do not collide. */
  databaseName: string;
  scheduleEnabled: boolean;
  /** EventBridge cron expression, e.g. cron(0 6 2 * ? *) = 06:00 UTC on the 2nd of each month. */
  scheduleCron: string;
  bytesScannedCutoffMb: number;
  athenaResultsRetentionDays: number;
  /** Where failure alerts go; empty = no email subscription. */
  alarmEmail: string;
}

export const DEFAULT_SETTINGS: Omit<WorkflowSettings, 'databaseName'> = {
  scheduleEnabled: true,
  scheduleCron: 'cron(0 6 2 * ? *)',
  bytesScannedCutoffMb: 10240,
  athenaResultsRetentionDays: 7,
  alarmEmail: '',
};

export function readSettings(node: Node, stackName: string): WorkflowSettings {
  const value = (key: keyof WorkflowSettings): unknown => node.tryGetContext(`engagement:${key}`);
  const settings: WorkflowSettings = {
    databaseName: stringOr(value('databaseName'), databaseNameOf(stackName)),
    scheduleEnabled: booleanOr(value('scheduleEnabled'), DEFAULT_SETTINGS.scheduleEnabled),
    scheduleCron: stringOr(value('scheduleCron'), DEFAULT_SETTINGS.scheduleCron),
    bytesScannedCutoffMb: numberOr(value('bytesScannedCutoffMb'), DEFAULT_SETTINGS.bytesScannedCutoffMb),
    athenaResultsRetentionDays: numberOr(value('athenaResultsRetentionDays'), DEFAULT_SETTINGS.athenaResultsRetentionDays),
    alarmEmail: stringOr(value('alarmEmail'), DEFAULT_SETTINGS.alarmEmail),
  };
  if (!/^[a-z_][a-z0-9_]{0,254}$/.test(settings.databaseName)) {
    throw new Error(`engagement:databaseName must be lower-case letters, digits and _, got ${settings.databaseName}`);
  }
  if (!/^cron\(.+\)$/.test(settings.scheduleCron)) {
    throw new Error(`engagement:scheduleCron must look like cron(0 6 2 * ? *), got ${settings.scheduleCron}`);
  }
  if (settings.bytesScannedCutoffMb < 10) throw new Error('engagement:bytesScannedCutoffMb must be at least 10 (Athena minimum)');
  return settings;
}

function stringOr(value: unknown, fallback: string): string {
  return typeof value === 'string' ? value : fallback;
}

function booleanOr(value: unknown, fallback: boolean): boolean {
  if (typeof value === 'boolean') return value;
  if (value === 'true') return true;
  if (value === 'false') return false;
  return fallback;
}

function numberOr(value: unknown, fallback: number): number {
  const parsed = typeof value === 'number' ? value : typeof value === 'string' ? Number(value) : NaN;
  return Number.isFinite(parsed) ? parsed : fallback;
}

/** A stack name as a Glue database name: EngagementWorkflow-Staging gives engagement_workflow_staging. */
export function databaseNameOf(stackName: string): string {
  const snake = stackName
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .replace(/[^A-Za-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '')
    .toLowerCase();
  return /^[a-z_]/.test(snake) ? snake : `_${snake}`;
}
