-- curate_student_info: this run's accepted rows of raw_student_info, typed, into its Parquet partitions
-- Typed once here from this run's checked_student_info rows; every study query then reads curated_student_info
-- (Parquet) instead of re-parsing the CSV. A template: PlanRun fills in the
-- validated run id. Partitions: run_id, then year and quarter of date_registered. ValidateEngagementFiles deletes the
-- run's partitions first, so a re-run of a run id replaces its rows rather than adding to them.
INSERT INTO curated_student_info
SELECT
  c.student_key AS student_id,
  c.registered AS date_registered,
  c.run_id AS run_id,
  CAST(year(c.registered) AS INTEGER) AS year,
  CAST(quarter(c.registered) AS INTEGER) AS quarter
FROM checked_student_info c
WHERE c.run_id = '{{run_id}}' AND c.reject_reason IS NULL
