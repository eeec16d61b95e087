-- student_video_watched: this run's accepted, typed rows of raw_student_video_watched, read from the curated Parquet table
-- Rejected rows (checked_student_video_watched.reject_reason) are quarantined and never reach the analysis.
-- A template: ValidateEngagementFiles replaces {{run_id}} with the validated run id (views take no
-- parameters, and Athena's injected run_id partition needs a literal equality to find the files).
-- year and quarter (of date_watched) are partition columns: a filter on them reads only those partitions.
CREATE OR REPLACE VIEW student_video_watched AS
SELECT student_id, course_id, seconds_watched, date_watched, year, quarter
FROM curated_student_video_watched
WHERE run_id = '{{run_id}}'
