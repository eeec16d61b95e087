-- student_video_watched: this run's accepted, typed rows, read from the curated Parquet table
-- Rejected rows (checked_student_video_watched.reject_reason) are quarantined and never reach the analysis.
-- Not a view: lib/queries.ts puts this SELECT in front of each query that reads student_video_watched, as a CTE,
-- and PlanRun fills in the validated run id (Athena's injected run_id partition needs a literal).
-- year and quarter (of date_watched) are partition columns: a filter on them reads only those partitions.
SELECT student_id, course_id, seconds_watched, date_watched, year, quarter
FROM curated_student_video_watched
WHERE run_id = '{{run_id}}'
