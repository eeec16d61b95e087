-- curate_student_video_watched: this run's accepted rows of raw_student_video_watched, typed, into its Parquet partitions
-- Typed once here from this run's checked_student_video_watched rows; every study query then reads curated_student_video_watched
-- (Parquet) instead of re-parsing the CSV. A template: PlanRun fills in the
-- validated run id. Partitions: run_id, then year and quarter of date_watched. ValidateEngagementFiles deletes the
-- run's partitions first, so a re-run of a run id replaces its rows rather than adding to them.
INSERT INTO curated_student_video_watched
SELECT
  c.student_key AS student_id,
  c.course_key AS course_id,
  c.seconds AS seconds_watched,
  c.watched AS date_watched,
  c.run_id AS run_id,
  CAST(year(c.watched) AS INTEGER) AS year,
  CAST(quarter(c.watched) AS INTEGER) AS quarter
FROM checked_student_video_watched c
WHERE c.run_id = '{{run_id}}' AND c.reject_reason IS NULL
