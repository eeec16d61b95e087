-- check_student_info: every raw_student_info row, typed where it can be, with reject_reason (NULL = accepted), into checked_student_info
-- Run once per run (Parquet, partition run_id from run_settings: queries/cte/, prepended as a CTE and
-- filled in by PlanRun with the run's id and declared data range); the quarantine, the counts and
-- the curation read that table instead of re-checking the CSV. ValidateEngagementFiles deletes the
-- run's partition first, so a re-run of a run id replaces its rows rather than adding to them.
-- A date may carry a time of day with no zone or Z (2021-04-01 00:00:00, 2021-04-01T13:05:00Z), as
-- datetime exports write dates; its day counts.
-- The first failing rule gives the reason:
--   'student_id is missing' | 'student_id is not an integer in 0..9007199254740991' (digits only, at most 16, at most 2^53-1:
--   every later step reads ids as doubles, which hold integers exactly up to there)
--   'date_registered is missing' | 'date_registered is not a real YYYY-MM-DD date'
--   'date_registered outside the data range' (run_settings)
--   'duplicate student_id': among rows passing every other rule, the copy with the earliest
--   date_registered (then the raw text) is kept and the others are quarantined.
-- Athena cannot see line numbers, so rules use only the row's own values and other tables.
INSERT INTO checked_student_info
WITH typed AS (
  SELECT
    student_id,
    date_registered,
    CASE WHEN regexp_like(student_id, '^[0-9]{1,16}$') AND try_cast(student_id AS BIGINT) <= 9007199254740991 THEN try_cast(student_id AS BIGINT) END AS student_key,
    try_cast(CASE WHEN regexp_like(date_registered, '^[0-9]{4}-[0-9]{2}-[0-9]{2}([ T]([01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9](\.[0-9]{1,9}){0,1}Z{0,1}){0,1}$') THEN substr(date_registered, 1, 10) END AS DATE) AS registered
  FROM raw_student_info
),
field_checked AS (
  SELECT
    t.*,
    CASE
      WHEN t.student_id IS NULL OR t.student_id = '' THEN 'student_id is missing'
      WHEN t.student_key IS NULL THEN 'student_id is not an integer in 0..9007199254740991'
      WHEN t.date_registered IS NULL OR t.date_registered = '' THEN 'date_registered is missing'
      WHEN t.registered IS NULL THEN 'date_registered is not a real YYYY-MM-DD date'
      WHEN t.registered < s.data_start OR t.registered > s.data_end THEN 'date_registered outside the data range'
    END AS field_reason,
    s.run_id
  FROM typed t
  CROSS JOIN run_settings s
),
checked_rows AS (
  SELECT
    student_id,
    date_registered,
    student_key,
    registered,
    COALESCE(
      field_reason,
      CASE
        WHEN row_number() OVER (PARTITION BY field_reason, student_key ORDER BY registered, student_id, date_registered) > 1
        THEN 'duplicate student_id'
      END
    ) AS reject_reason,
    run_id
  FROM field_checked
)
SELECT
  -- Raw text is kept for rejected rows only (the quarantine shows it); accepted rows are read typed,
  -- and leaving their text out halves what this table writes and scans.
  CASE WHEN reject_reason IS NULL THEN NULL ELSE student_id END AS student_id,
  CASE WHEN reject_reason IS NULL THEN NULL ELSE date_registered END AS date_registered,
  student_key,
  registered,
  reject_reason,
  run_id
FROM checked_rows
