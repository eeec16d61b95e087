-- curate_student_video_watched: this run's accepted rows of raw_student_video_watched, typed, into its Parquet partitions
-- Checked and typed once here; every study query then reads curated_student_video_watched (Parquet) instead of
-- re-parsing the CSV. Partitions: run_id (from validation_settings, written per run by
-- ValidateEngagementFiles), then year and quarter of date_watched. ValidateEngagementFiles deletes the
-- run's partitions first, so a re-run of a run id replaces its rows rather than adding to them.
INSERT INTO curated_student_video_watched
SELECT
  c.student_key AS student_id,
  c.course_key AS course_id,
  c.seconds AS seconds_watched,
  c.watched AS date_watched,
  s.run_id AS run_id,
  CAST(year(c.watched) AS INTEGER) AS year,
  CAST(quarter(c.watched) AS INTEGER) AS quarter
FROM checked_student_video_watched c
CROSS JOIN validation_settings s
WHERE c.reject_reason IS NULL
