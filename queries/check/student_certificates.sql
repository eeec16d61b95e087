-- check_student_certificates: every raw_student_certificates row, typed where it can be, with reject_reason (NULL = accepted), into checked_student_certificates
-- A template: PlanRun fills in the validated run id (Athena's injected run_id partition needs a literal
-- equality), so the students are this run's checked_student_info rows; run_settings (queries/cte/,
-- prepended as a CTE) holds the run's id and declared data range.
-- A date may carry a time of day with no zone or Z (2021-04-01 00:00:00, 2021-04-01T13:05:00Z), as
-- datetime exports write dates; its day counts.
-- The first failing rule gives the reason:
--   'certificate_id is missing' | 'certificate_id is not an integer in 0..9007199254740991' | 'student_id is missing' | 'student_id is not an integer in 0..9007199254740991'
--   'date_issued is missing' | 'date_issued is not a real YYYY-MM-DD date' | 'date_issued outside the data range'
--   'unknown student_id': no accepted student_info row
--   'certificate before registration': date_issued earlier than the student's date_registered
--   'duplicate certificate_id': among rows passing every other rule, the copy with the earliest
--   date_issued (then student_id, raw text) is kept.
INSERT INTO checked_student_certificates
WITH typed AS (
  SELECT
    certificate_id,
    student_id,
    date_issued,
    CASE WHEN regexp_like(certificate_id, '^[0-9]{1,16}$') AND try_cast(certificate_id AS BIGINT) <= 9007199254740991 THEN try_cast(certificate_id AS BIGINT) END AS certificate_key,
    CASE WHEN regexp_like(student_id, '^[0-9]{1,16}$') AND try_cast(student_id AS BIGINT) <= 9007199254740991 THEN try_cast(student_id AS BIGINT) END AS student_key,
    try_cast(CASE WHEN regexp_like(date_issued, '^[0-9]{4}-[0-9]{2}-[0-9]{2}([ T]([01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9](\.[0-9]{1,9}){0,1}Z{0,1}){0,1}$') THEN substr(date_issued, 1, 10) END AS DATE) AS issued
  FROM raw_student_certificates
),
accepted_students AS (
  SELECT student_key, registered FROM checked_student_info WHERE run_id = '{{run_id}}' AND reject_reason IS NULL
),
field_checked AS (
  SELECT
    t.*,
    CASE
      WHEN t.certificate_id IS NULL OR t.certificate_id = '' THEN 'certificate_id is missing'
      WHEN t.certificate_key IS NULL THEN 'certificate_id is not an integer in 0..9007199254740991'
      WHEN t.student_id IS NULL OR t.student_id = '' THEN 'student_id is missing'
      WHEN t.student_key IS NULL THEN 'student_id is not an integer in 0..9007199254740991'
      WHEN t.date_issued IS NULL OR t.date_issued = '' THEN 'date_issued is missing'
      WHEN t.issued IS NULL THEN 'date_issued is not a real YYYY-MM-DD date'
      WHEN t.issued < s.data_start OR t.issued > s.data_end THEN 'date_issued outside the data range'
      WHEN a.student_key IS NULL THEN 'unknown student_id'
      WHEN t.issued < a.registered THEN 'certificate before registration'
    END AS field_reason,
    s.run_id
  FROM typed t
  CROSS JOIN run_settings s
  LEFT JOIN accepted_students a ON a.student_key = t.student_key
),
checked_rows AS (
  SELECT
    certificate_id,
    student_id,
    date_issued,
    certificate_key,
    student_key,
    issued,
    COALESCE(
      field_reason,
      CASE
        WHEN row_number() OVER (
          PARTITION BY field_reason, certificate_key
          ORDER BY issued, student_key, certificate_id, student_id, date_issued
        ) > 1
        THEN 'duplicate certificate_id'
      END
    ) AS reject_reason,
    run_id
  FROM field_checked
)
SELECT
  -- Raw text is kept for rejected rows only (the quarantine shows it); accepted rows are read typed,
  -- and leaving their text out halves what this table writes and scans.
  CASE WHEN reject_reason IS NULL THEN NULL ELSE certificate_id END AS certificate_id,
  CASE WHEN reject_reason IS NULL THEN NULL ELSE student_id END AS student_id,
  CASE WHEN reject_reason IS NULL THEN NULL ELSE date_issued END AS date_issued,
  certificate_key,
  student_key,
  issued,
  reject_reason,
  run_id
FROM checked_rows
