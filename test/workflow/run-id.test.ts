// Where a run id comes from in the synthesized definition, run by aws-local-stepfunctions: the
// execution input's runId (a rerun of an id in AWS, where execution names are single-use), else the
// execution name (the monthly schedule). PlanRun, RecordFailure and PublishManifest get the
// execution id, which owns the run lock.
import '../../lib/local/promise-with-resolvers';
import { StateMachine } from 'aws-local-stepfunctions';
import { describe, expect, it } from 'vitest';
import { allStates, synthesizeWorkflow } from '../../lib/local/synthesized-definition';
import { MAX_RUN_SECONDS } from '../../lambdas/steps/run-attempt';

async function firstStates(input: Record<string, unknown>, execution: { Name: string; Id: string }) {
  const { definition } = await synthesizeWorkflow();
  const received: Record<string, any> = {};
  const handlers: Record<string, (input: any) => Promise<any>> = {};
  for (const [name, state] of allStates(definition)) {
    if (state.Type !== 'Task') continue;
    handlers[name] = async (payload) => {
      received[name] = payload;
      if (name === 'PlanRun') throw Object.assign(new Error('stop here'), { name: 'WorkflowInputError' });
      return { recorded: false };
    };
  }
  const machine = new StateMachine(definition as any, { validationOptions: { checkPaths: true, checkArn: true } });
  const run = machine.run(input as any, { overrides: { taskResourceLocalHandlers: handlers }, context: { Execution: { ...execution, Input: input as never, StartTime: new Date().toISOString() } } });
  await run.result.catch(() => undefined);
  return { received, definition };
}

describe('the run id of an execution', () => {
  it('is the execution name when the input has none (the monthly schedule)', async () => {
    const { received } = await firstStates({ rolling: true }, { Name: 'monthly-2026-12', Id: 'arn:aws:states:eu-west-1:1:execution:m:monthly-2026-12' });
    expect(received.PlanRun).toEqual({ runId: 'monthly-2026-12', execution: 'arn:aws:states:eu-west-1:1:execution:m:monthly-2026-12', request: { rolling: true }, queryTemplates: expect.any(Object) });
    expect(received.RecordFailure).toMatchObject({ runId: 'monthly-2026-12', execution: 'arn:aws:states:eu-west-1:1:execution:m:monthly-2026-12', failure: { Error: 'WorkflowInputError' } });
  });

  it('is the input\'s runId otherwise, whatever the (unique) execution name', async () => {
    const { received } = await firstStates({ runId: '2022-06', rolling: true }, { Name: 'rerun-7f3a', Id: 'arn:aws:states:eu-west-1:1:execution:m:rerun-7f3a' });
    expect(received.PlanRun).toEqual({ runId: '2022-06', execution: 'arn:aws:states:eu-west-1:1:execution:m:rerun-7f3a', request: { runId: '2022-06', rolling: true }, queryTemplates: expect.any(Object) });
    expect(received.RecordFailure).toMatchObject({ runId: '2022-06', execution: 'arn:aws:states:eu-west-1:1:execution:m:rerun-7f3a' });
  });

  it('cannot outlive its lock: the state machine times out at the lock\'s horizon', async () => {
    const { definition } = (await synthesizeWorkflow()) as { definition: { TimeoutSeconds?: number } };
    expect(definition.TimeoutSeconds).toBe(MAX_RUN_SECONDS);
  });
});
