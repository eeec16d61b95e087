// Which catalog writes the state machine's role is granted, read from the statements it runs.
import { describe, expect, it } from 'vitest';
import { catalogWrites } from '../../lib/athena-access';

describe('catalogWrites', () => {
  it('names the tables INSERT INTO writes and the views CREATE [OR REPLACE] VIEW makes; reads add nothing', () => {
    expect(
      catalogWrites([
        '-- a leading comment\nINSERT INTO checked_student_info\nSELECT 1',
        'insert into "Curated_Student_Info" SELECT * FROM x',
        'CREATE OR REPLACE VIEW student_info AS SELECT 1',
        'CREATE VIEW purchases_info AS SELECT 1',
        'WITH a AS (SELECT 1) SELECT * FROM a',
        'SELECT count(*) FROM raw_student_info',
        'INSERT INTO checked_student_info SELECT 2',
      ]),
    ).toEqual({ insertedTables: ['checked_student_info', 'curated_student_info'], createdViews: ['purchases_info', 'student_info'] });
    expect(catalogWrites(['SELECT 1'])).toEqual({ insertedTables: [], createdViews: [] });
  });

  it('refuses statements it derives no grant for, rather than let the first deploy find them', () => {
    for (const sql of ['DROP VIEW student_info', 'CREATE TABLE t AS SELECT 1', 'ALTER TABLE t ADD PARTITION (run_id = \'x\')', 'MSCK REPAIR TABLE t', 'UNLOAD (SELECT 1) TO \'s3://b/\' WITH (format = \'PARQUET\')']) {
      expect(() => catalogWrites([sql]), sql).toThrow(/no Athena grant is derived/);
    }
  });
});
