-- curate_student_info: this run's accepted rows of raw_student_info, typed, into its Parquet partitions
-- Checked and typed once here; every study query then reads curated_student_info (Parquet) instead of
-- re-parsing the CSV. Partitions: run_id (from validation_settings, written per run by
-- ValidateEngagementFiles), then year and quarter of date_registered. ValidateEngagementFiles deletes the
-- run's partitions first, so a re-run of a run id replaces its rows rather than adding to them.
INSERT INTO curated_student_info
SELECT
  c.student_key AS student_id,
  c.registered AS date_registered,
  s.run_id AS run_id,
  CAST(year(c.registered) AS INTEGER) AS year,
  CAST(quarter(c.registered) AS INTEGER) AS quarter
FROM checked_student_info c
CROSS JOIN validation_settings s
WHERE c.reject_reason IS NULL
