-- check_student_video_watched: every raw_student_video_watched row, typed where it can be, with reject_reason (NULL = accepted), into checked_student_video_watched
-- A template: PlanRun fills in the validated run id (Athena's injected run_id partition needs a literal
-- equality), so the students are this run's checked_student_info rows; run_settings (queries/cte/,
-- prepended as a CTE) holds the run's id and declared data range.
-- A date may carry a time of day with no zone or Z (2021-04-01 00:00:00, 2021-04-01T13:05:00Z), as
-- datetime exports write dates; its day counts.
-- The first failing rule gives the reason:
--   'student_id is missing' | 'student_id is not an integer in 0..9007199254740991' | 'course_id is missing' | 'course_id is not an integer in 0..9007199254740991'
--   'seconds_watched is missing' | 'seconds_watched is not a number' (plain decimal, e.g. 12, 12.5 or 3.3000000000000003 as doubles print) | 'seconds_watched is negative'
--   'date_watched is missing' | 'date_watched is not a real YYYY-MM-DD date' | 'date_watched outside the data range'
--   'unknown student_id': no accepted student_info row
--   'view before registration': date_watched earlier than the student's date_registered
INSERT INTO checked_student_video_watched
WITH typed AS (
  SELECT
    student_id,
    course_id,
    seconds_watched,
    date_watched,
    CASE WHEN regexp_like(student_id, '^[0-9]{1,16}$') AND try_cast(student_id AS BIGINT) <= 9007199254740991 THEN try_cast(student_id AS BIGINT) END AS student_key,
    CASE WHEN regexp_like(course_id, '^[0-9]{1,16}$') AND try_cast(course_id AS BIGINT) <= 9007199254740991 THEN try_cast(course_id AS BIGINT) END AS course_key,
    try_cast(CASE WHEN regexp_like(seconds_watched, '^-{0,1}[0-9]{1,15}(\.[0-9]+){0,1}$') THEN seconds_watched END AS DOUBLE) AS seconds,
    try_cast(CASE WHEN regexp_like(date_watched, '^[0-9]{4}-[0-9]{2}-[0-9]{2}([ T]([01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9](\.[0-9]{1,9}){0,1}Z{0,1}){0,1}$') THEN substr(date_watched, 1, 10) END AS DATE) AS watched
  FROM raw_student_video_watched
),
accepted_students AS (
  SELECT student_key, registered FROM checked_student_info WHERE run_id = '{{run_id}}' AND reject_reason IS NULL
),
checked_rows AS (
  SELECT
    t.student_id,
    t.course_id,
    t.seconds_watched,
    t.date_watched,
    t.student_key,
    t.course_key,
    t.seconds,
    t.watched,
    CASE
      WHEN t.student_id IS NULL OR t.student_id = '' THEN 'student_id is missing'
      WHEN t.student_key IS NULL THEN 'student_id is not an integer in 0..9007199254740991'
      WHEN t.course_id IS NULL OR t.course_id = '' THEN 'course_id is missing'
      WHEN t.course_key IS NULL THEN 'course_id is not an integer in 0..9007199254740991'
      WHEN t.seconds_watched IS NULL OR t.seconds_watched = '' THEN 'seconds_watched is missing'
      WHEN t.seconds IS NULL THEN 'seconds_watched is not a number'
      WHEN t.seconds < 0 THEN 'seconds_watched is negative'
      WHEN t.date_watched IS NULL OR t.date_watched = '' THEN 'date_watched is missing'
      WHEN t.watched IS NULL THEN 'date_watched is not a real YYYY-MM-DD date'
      WHEN t.watched < s.data_start OR t.watched > s.data_end THEN 'date_watched outside the data range'
      WHEN a.student_key IS NULL THEN 'unknown student_id'
      WHEN t.watched < a.registered THEN 'view before registration'
    END AS reject_reason,
    s.run_id AS run_id
  FROM typed t
  CROSS JOIN run_settings s
  LEFT JOIN accepted_students a ON a.student_key = t.student_key
)
SELECT
  -- Raw text is kept for rejected rows only (the quarantine shows it); accepted rows are read typed,
  -- and leaving their text out halves what this table writes and scans.
  CASE WHEN reject_reason IS NULL THEN NULL ELSE student_id END AS student_id,
  CASE WHEN reject_reason IS NULL THEN NULL ELSE course_id END AS course_id,
  CASE WHEN reject_reason IS NULL THEN NULL ELSE seconds_watched END AS seconds_watched,
  CASE WHEN reject_reason IS NULL THEN NULL ELSE date_watched END AS date_watched,
  student_key,
  course_key,
  seconds,
  watched,
  reject_reason,
  run_id
FROM checked_rows
