// JSONPaths built from the payload types of lambdas/contracts/state-payloads.ts, so that lib/workflow.ts
// cannot name a field its state does not have, or hand a step a field of another type: a renamed or
// misspelt field fails `tsc`, not a run. They synthesize to the same strings as written by hand.

type Join<Head extends string, Tail> = Tail extends string ? `${Head}.${Tail}` : never;

/**
 * The dotted paths into T: 'runId', 'engagement.cohorts', 'studies.mooc.run', 'runQueries.<key>' for
 * a record. Arrays are leaves (the workflow never indexes into them). Depth is capped because the
 * type is expanded for every path written.
 */
export type FieldPath<T, Depth extends readonly unknown[] = []> = Depth['length'] extends 6
  ? never
  : T extends readonly unknown[]
    ? never
    : T extends object
      ? { [K in keyof T & string]-?: K | Join<K, FieldPath<NonNullable<T[K]>, [...Depth, unknown]>> }[keyof T & string]
      : never;

/** The type of the value at a dotted path into T. */
export type FieldAt<T, P extends string> = P extends `${infer Head}.${infer Rest}`
  ? Head extends keyof T
    ? FieldAt<NonNullable<T[Head]>, Rest>
    : never
  : P extends keyof T
    ? T[P]
    : never;

/** A JSONPath that reads a value of type T. A path to a narrower type may go where T is read. */
export class JsonPathRef<T> {
  /** Carries T for the type checker only; never set. */
  declare readonly valueType?: T;
  constructor(readonly path: string) {}
}

/** A ResultPath that receives a value of type T. A slot of a wider type may receive T. */
export class ResultSlot<T> {
  /** Carries T for the type checker only (contravariant, as a parameter); never set. */
  declare readonly receives?: (value: T) => void;
  constructor(readonly path: string) {}
}

export interface StatePaths<State> {
  /** The field read from the state: at('engagement.cohorts') is $.engagement.cohorts. */
  at<P extends FieldPath<State>>(field: P): JsonPathRef<FieldAt<State, P>>;
  /** The field a state's result is put in: into('outliers') is $.outliers. */
  into<P extends FieldPath<State>>(field: P): ResultSlot<FieldAt<State, P>>;
  /** The whole state: $. */
  readonly whole: JsonPathRef<State>;
}

/** The paths into a state of the given type (the type is all there is: nothing is checked at run time). */
export function statePaths<State>(): StatePaths<State> {
  return {
    at: (field) => new JsonPathRef(`$.${field}`),
    into: (field) => new ResultSlot(`$.${field}`),
    whole: new JsonPathRef<State>('$'),
  };
}

/** The execution's ARN ($$.Execution.Id): one attempt of a run. */
export const EXECUTION_ID = new JsonPathRef<string>('$$.Execution.Id');
/** The execution's name ($$.Execution.Name): the run id when the input names none. */
export const EXECUTION_NAME = new JsonPathRef<string>('$$.Execution.Name');

/** The item a Map iteration is given ($$.Map.Item.Value), typed as an element of the list the Map runs over. */
export function mapItemOf<Item>(_items: JsonPathRef<readonly Item[]>): JsonPathRef<Item> {
  return new JsonPathRef<Item>('$$.Map.Item.Value');
}

/** A payload of type P: each field a literal of its type or a path to a value of its type. */
export type BoundPayload<P> = { [K in keyof P]: P[K] | JsonPathRef<P[K]> };

/**
 * The Parameters (or Payload) object of a state: a field given as a path becomes `"<field>.$": path`,
 * a literal stays as it is. Field order is kept, so the definition reads as the payload is written.
 */
export function parametersOf<P>(payload: BoundPayload<P>): Record<string, unknown> {
  const parameters: Record<string, unknown> = {};
  for (const [field, value] of Object.entries(payload as Record<string, unknown>)) {
    if (value instanceof JsonPathRef) parameters[`${field}.$`] = value.path;
    else parameters[field] = value;
  }
  return parameters;
}
