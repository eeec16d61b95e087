// Athena ExecutionParameters as the emulator reads them: Athena substitutes each one for a `?` as a
// literal, so a string must arrive quoted ('2021-04-01', inner quotes doubled) and a number bare.
// Anything else is refused here rather than guessed at.

export type ExecutionParameterValue =
  | { kind: 'string'; value: string }
  | { kind: 'integer'; value: bigint }
  | { kind: 'double'; value: number };

export class ExecutionParameterError extends Error {
  override name = 'ExecutionParameterError';
}

const QUOTED_STRING = /^'((?:[^']|'')*)'$/s;
const INTEGER = /^[+-]?\d+$/;
const DECIMAL_OR_EXPONENT = /^[+-]?(?:\d+\.\d*|\.\d+|\d+(?:\.\d*)?[eE][+-]?\d+|\.\d+[eE][+-]?\d+)$/;

/** Reads one parameter; `position` (1-based) only serves the error message. */
export function parseExecutionParameter(text: unknown, position: number): ExecutionParameterValue {
  if (typeof text !== 'string') {
    throw new ExecutionParameterError(`execution parameter ${position} must be a string, got ${JSON.stringify(text)}`);
  }
  const quoted = QUOTED_STRING.exec(text);
  if (quoted) return { kind: 'string', value: quoted[1]!.replace(/''/g, "'") };
  if (INTEGER.test(text)) return { kind: 'integer', value: BigInt(text) };
  if (DECIMAL_OR_EXPONENT.test(text)) return { kind: 'double', value: Number(text) };
  throw new ExecutionParameterError(
    `execution parameter ${position} must be a quoted string such as '2021-04-01' or a bare number, got ${JSON.stringify(text)}`,
  );
}

export function parseExecutionParameters(texts: readonly unknown[] | undefined): ExecutionParameterValue[] {
  if (texts === undefined) return [];
  if (!Array.isArray(texts)) throw new ExecutionParameterError(`ExecutionParameters must be a list of strings, got ${JSON.stringify(texts)}`);
  return texts.map((text, index) => parseExecutionParameter(text, index + 1));
}
