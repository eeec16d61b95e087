import { describe, expect, it } from 'vitest';
import { ExecutionParameterError, parseExecutionParameter, parseExecutionParameters } from '../../lambdas/athena/athena-execution-parameters';

describe('parseExecutionParameter', () => {
  it('reads quoted strings, undoubling inner quotes', () => {
    expect(parseExecutionParameter("'2021-04-01'", 1)).toEqual({ kind: 'string', value: '2021-04-01' });
    expect(parseExecutionParameter("'it''s'", 1)).toEqual({ kind: 'string', value: "it's" });
    expect(parseExecutionParameter("''", 1)).toEqual({ kind: 'string', value: '' });
  });

  it('reads bare integers exactly and other numbers as doubles', () => {
    expect(parseExecutionParameter('1', 1)).toEqual({ kind: 'integer', value: 1n });
    expect(parseExecutionParameter('-12345678901234567', 1)).toEqual({ kind: 'integer', value: -12345678901234567n });
    expect(parseExecutionParameter('2.5', 1)).toEqual({ kind: 'double', value: 2.5 });
    expect(parseExecutionParameter('1e3', 1)).toEqual({ kind: 'double', value: 1000 });
    expect(parseExecutionParameter('.5', 1)).toEqual({ kind: 'double', value: 0.5 });
  });

  it.each(['2021-04-01', "'abc", "'a'b'", 'abc', '', ' 1', '1 OR 1=1', "'x' OR 'a'='a'"])('refuses %j', (text) => {
    expect(() => parseExecutionParameter(text, 3)).toThrow(ExecutionParameterError);
    expect(() => parseExecutionParameter(text, 3)).toThrow(/execution parameter 3/);
  });

  it('refuses a value that is not a string, and a list that is not a list', () => {
    expect(() => parseExecutionParameter(1, 2)).toThrow(/execution parameter 2 must be a string/);
    expect(() => parseExecutionParameters('x' as unknown as string[])).toThrow(/must be a list/);
    expect(parseExecutionParameters(undefined)).toEqual([]);
  });
});
