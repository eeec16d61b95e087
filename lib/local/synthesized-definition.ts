// Synthesizes the stack in-process (no asset bundling) and returns the state machine definition
// with CloudFormation tokens resolved to local placeholders, plus which Lambda step each
// function ARN stands for. The local runner executes exactly this definition.
// Synthesis costs a second or more (the CDK and the whole stack load), so its result is kept in
// .cache/ under a hash of everything it is derived from and reused until any of that changes.
import { StateMachine } from 'aws-local-stepfunctions';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { WORKFLOW_STEPS, WORKFLOW_STEP_ENV, type WorkflowStepName } from '../function-specs';
import { readCachedDefinition, writeCachedDefinition } from './synthesis-cache';

export const LOCAL_ACCOUNT = '000000000000';
export const LOCAL_REGION = 'local-1';
const STACK_NAME = 'EngagementWorkflow';

type CfnValue = unknown;
type Template = { Resources: Record<string, { Type: string; Properties?: Record<string, any> }> };

export interface SynthesizedWorkflow {
  /** Amazon States Language, as Step Functions would receive it (placeholders for ARNs). */
  definition: { StartAt: string; States: Record<string, any> };
  /** Lambda function ARN in the definition -> workflow step. */
  stepByFunctionArn: Record<string, WorkflowStepName>;
}

let cached: SynthesizedWorkflow | undefined;

/** The definition the stack synthesizes today: from this process, from .cache/, or synthesized now. */
export async function synthesizeWorkflow(): Promise<SynthesizedWorkflow> {
  cached ??= readCachedDefinition<SynthesizedWorkflow>() ?? (await synthesizeAndCache());
  return cached;
}

async function synthesizeAndCache(): Promise<SynthesizedWorkflow> {
  const synthesized = await synthesizeFromStack();
  assertValidDefinition(synthesized.definition);
  writeCachedDefinition(synthesized);
  return synthesized;
}

/**
 * Checks a definition against the Amazon States Language schema, its JSONPaths and ARNs (throws
 * when it breaks one). Done once, before the definition is cached: compiling the schema costs
 * about half a second, and every definition synthesizeWorkflow hands out has passed it, so the
 * runner need not check the same bytes again on each run.
 */
export function assertValidDefinition(definition: SynthesizedWorkflow['definition']): void {
  // On a copy: the interpreter fills in defaults (QueryLanguage) on the object it is given.
  new StateMachine(structuredClone(definition) as any, { validationOptions: { checkPaths: true, checkArn: true } });
}

/** Always synthesizes (no cache): for tests that compare the cached definition with a fresh one. */
export async function synthesizeFromStack(): Promise<SynthesizedWorkflow> {
  // Loaded here rather than at the top: a cached definition, or a command that needs none, never
  // pays for loading the CDK and the stack.
  const { App } = await import('aws-cdk-lib');
  const { EngagementWorkflowStack } = await import('../engagement-workflow-stack');
  const outdir = mkdtempSync(path.join(os.tmpdir(), 'engagement-synth-'));
  try {
    // An empty bundling-stacks list tells NodejsFunction not to run esbuild: only the definition is needed.
    // Template validation (seconds of WebAssembly per synth) is left to `cdk synth`/CI: the local run
    // only needs the definition.
    const app = new App({ outdir, context: { ...cdkJsonContext(), 'aws:cdk:bundling-stacks': [] }, builtinCloudFormationValidation: false });
    new EngagementWorkflowStack(app, STACK_NAME);
    const template = app.synth().getStackByName(STACK_NAME).template as Template;
    return definitionFromTemplate(template);
  } finally {
    rmSync(outdir, { recursive: true, force: true });
  }
}

/** The context `cdk synth` would use (feature flags and settings), so both synthesize the same. */
function cdkJsonContext(): Record<string, unknown> {
  const cdkJson = JSON.parse(readFileSync(path.join(__dirname, '..', '..', 'cdk.json'), 'utf8')) as { context?: Record<string, unknown> };
  return cdkJson.context ?? {};
}

export function definitionFromTemplate(template: Template): SynthesizedWorkflow {
  const machines = Object.values(template.Resources).filter((resource) => resource.Type === 'AWS::StepFunctions::StateMachine');
  if (machines.length !== 1) throw new Error(`expected one state machine in the template, found ${machines.length}`);
  const definitionString = resolveCfn(machines[0]!.Properties!.DefinitionString, template);
  if (typeof definitionString !== 'string') throw new Error('state machine definition did not resolve to a string');

  const stepByFunctionArn: Record<string, WorkflowStepName> = {};
  for (const [logicalId, resource] of Object.entries(template.Resources)) {
    if (resource.Type !== 'AWS::Lambda::Function') continue;
    const step = resource.Properties?.Environment?.Variables?.[WORKFLOW_STEP_ENV] as string | undefined;
    if (step && step in WORKFLOW_STEPS) stepByFunctionArn[localFunctionArn(logicalId)] = step as WorkflowStepName;
  }
  return { definition: JSON.parse(definitionString), stepByFunctionArn };
}

export function localFunctionArn(logicalId: string): string {
  return `arn:aws:lambda:${LOCAL_REGION}:${LOCAL_ACCOUNT}:function:${logicalId}`;
}

const PSEUDO_PARAMETERS: Record<string, string> = {
  'AWS::Partition': 'aws',
  'AWS::Region': LOCAL_REGION,
  'AWS::AccountId': LOCAL_ACCOUNT,
  'AWS::URLSuffix': 'amazonaws.com',
  'AWS::StackName': STACK_NAME,
};

/** Resolves the intrinsic functions CDK emits in a definition string. */
export function resolveCfn(value: CfnValue, template: Template): CfnValue {
  if (Array.isArray(value)) return value.map((item) => resolveCfn(item, template));
  if (value === null || typeof value !== 'object') return value;
  const object = value as Record<string, CfnValue>;
  const keys = Object.keys(object);
  if (keys.length === 1) {
    const [key] = keys as [string];
    const argument = object[key];
    if (key === 'Fn::Join') {
      const [separator, parts] = argument as [string, CfnValue[]];
      return parts.map((part) => String(resolveCfn(part, template))).join(separator);
    }
    if (key === 'Ref') {
      const name = argument as string;
      if (name in PSEUDO_PARAMETERS) return PSEUDO_PARAMETERS[name];
      if (!template.Resources[name]) throw new Error(`unresolvable Ref ${name}`);
      return `local-${name}`;
    }
    if (key === 'Fn::GetAtt') {
      const [logicalId, attribute] = argument as [string, string];
      const resource = template.Resources[logicalId];
      if (!resource) throw new Error(`unresolvable Fn::GetAtt ${logicalId}.${attribute}`);
      if (resource.Type === 'AWS::Lambda::Function' && attribute === 'Arn') return localFunctionArn(logicalId);
      return `local-${logicalId}-${attribute}`;
    }
    if (key.startsWith('Fn::')) throw new Error(`the local runner cannot resolve ${key} in the state machine definition`);
  }
  return Object.fromEntries(keys.map((key) => [key, resolveCfn(object[key], template)]));
}

/** Every state of a definition, including those inside Parallel branches and Map processors. */
export function allStates(definition: { States: Record<string, any> }): [string, any][] {
  const found: [string, any][] = [];
  for (const [name, state] of Object.entries(definition.States)) {
    found.push([name, state]);
    for (const branch of state.Branches ?? []) found.push(...allStates(branch));
    if (state.ItemProcessor) found.push(...allStates(state.ItemProcessor));
    if (state.Iterator) found.push(...allStates(state.Iterator));
  }
  return found;
}
