// The id rule, and the SQL checks spelling the same rule as the loader and the Lambdas.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { MAX_ID, MAX_ID_DIGITS, idRuleReason, isIdField, isIdText } from '../../lambdas/validation/id-rule';
import { CHECKED_TABLES, ENGAGEMENT_TABLES } from '../../lambdas/contracts/tables';

const bytesOf = (text: string) => new TextEncoder().encode(text);
const field = (text: string) => isIdField(bytesOf(text), 0, bytesOf(text).length, Number(text));

describe('the id rule', () => {
  it('is 2^53 - 1 and 16 digits', () => {
    expect(MAX_ID).toBe(2 ** 53 - 1);
    expect(String(MAX_ID)).toHaveLength(MAX_ID_DIGITS);
  });

  it.each(['0', '7', '0007', '9007199254740991', '0000000000000001'])('accepts %j', (text) => {
    expect(isIdText(text)).toBe(true);
    expect(field(text)).toBe(true);
  });

  it.each(['', '-1', '+1', '1e1', '0x1F', ' 1', '1 ', '1.0', '9007199254740992', '9999999999999999', '00000000000000001', '١'])('rejects %j', (text) => {
    expect(isIdText(text)).toBe(false);
    expect(field(text)).toBe(false);
  });

  it('is the rule every engagement check applies to every id column, with the same reason', () => {
    const idColumns: Record<string, string[]> = {
      student_info: ['student_id'],
      student_purchases: ['purchase_id', 'student_id'],
      student_video_watched: ['student_id', 'course_id'],
      student_certificates: ['certificate_id', 'student_id'],
    };
    for (const table of CHECKED_TABLES) {
      const sql = readFileSync(path.resolve(__dirname, `../../queries/check/${table.table}.sql`), 'utf8');
      const raw = ENGAGEMENT_TABLES.find((candidate) => candidate.fileName === table.fileName)!;
      for (const column of idColumns[table.table]!) {
        expect(raw.columns).toContain(column);
        expect(sql, `${table.table}.${column}`).toContain(
          `CASE WHEN regexp_like(${column}, '^[0-9]{1,${MAX_ID_DIGITS}}$') AND try_cast(${column} AS BIGINT) <= ${MAX_ID} THEN try_cast(${column} AS BIGINT) END`,
        );
        expect(sql, `${table.table}.${column}`).toContain(`THEN '${idRuleReason(column)}'`);
      }
      // No other id typing is left in the file.
      expect(sql.match(/regexp_like\(\w+, '\^\[0-9\]\{1,/g)).toHaveLength(idColumns[table.table]!.length);
    }
  });
});
