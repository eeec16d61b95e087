-- student_info: this run's accepted, typed rows of raw_student_info, read from the curated Parquet table
-- Rejected rows (checked_student_info.reject_reason) are quarantined and never reach the analysis.
-- A template: ValidateEngagementFiles replaces {{run_id}} with the validated run id (views take no
-- parameters, and Athena's injected run_id partition needs a literal equality to find the files).
-- year and quarter (of date_registered) are partition columns: a filter on them reads only those partitions.
CREATE OR REPLACE VIEW student_info AS
SELECT student_id, date_registered, year, quarter
FROM curated_student_info
WHERE run_id = '{{run_id}}'
