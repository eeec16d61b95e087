-- student_certificates: this run's accepted, typed rows of raw_student_certificates, read from the curated Parquet table
-- Rejected rows (checked_student_certificates.reject_reason) are quarantined and never reach the analysis.
-- A template: ValidateEngagementFiles replaces {{run_id}} with the validated run id (views take no
-- parameters, and Athena's injected run_id partition needs a literal equality to find the files).
-- year and quarter (of date_issued) are partition columns: a filter on them reads only those partitions.
CREATE OR REPLACE VIEW student_certificates AS
SELECT certificate_id, student_id, date_issued, year, quarter
FROM curated_student_certificates
WHERE run_id = '{{run_id}}'
