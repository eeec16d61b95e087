// cdk-nag's AwsSolutions pack over the synthesized stack: no finding may be left unacknowledged,
// and every acknowledgment carries a written reason.
import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { mkdtempSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { EngagementWorkflowStack } from '../../lib/engagement-workflow-stack';

function appWithNag(extraContext: Record<string, unknown> = {}): { app: App; stack: EngagementWorkflowStack } {
  const context = JSON.parse(readFileSync(path.join(__dirname, '..', '..', 'cdk.json'), 'utf8')).context;
  const app = new App({ outdir: mkdtempSync(path.join(os.tmpdir(), 'nag-')), context: { ...context, ...extraContext, 'aws:cdk:bundling-stacks': [] } });
  const stack = new EngagementWorkflowStack(app, 'EngagementWorkflow');
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
  return { app, stack };
}

describe('cdk-nag AwsSolutions', () => {
  it('synthesizes with no unacknowledged finding', () => {
    const { app } = appWithNag({ 'engagement:alarmEmail': 'team@example.com' });
    expect(() => app.synth()).not.toThrow();
  });

  it('fails synthesis when a finding is introduced (the check is live)', async () => {
    const { app, stack } = appWithNag();
    const { Bucket } = await import('aws-cdk-lib/aws-s3');
    new Bucket(stack, 'UnloggedBucket'); // no access logs, no TLS-only policy
    expect(() => app.synth()).toThrow(/AwsSolutions-S1|AwsSolutions-S10|Validation failed/);
  });

  it('gives a reason with every acknowledgment', () => {
    const { app, stack } = appWithNag();
    app.synth();
    const acknowledgments = stack.node
      .findAll()
      .flatMap((construct) => construct.node.metadata.filter((entry) => entry.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY))
      .flatMap((entry) => Object.entries(entry.data as Record<string, string>).map(([id, reason]) => ({ id, reason })));
    expect(acknowledgments.length).toBeGreaterThan(5);
    for (const acknowledgment of acknowledgments) expect(acknowledgment.reason?.length ?? 0, acknowledgment.id).toBeGreaterThan(20);
  });
});
