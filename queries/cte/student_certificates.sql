-- student_certificates: this run's accepted, typed rows, read from the curated Parquet table
-- Rejected rows (checked_student_certificates.reject_reason) are quarantined and never reach the analysis.
-- Not a view: lib/queries.ts puts this SELECT in front of each query that reads student_certificates, as a CTE,
-- and PlanRun fills in the validated run id (Athena's injected run_id partition needs a literal).
-- year and quarter (of date_issued) are partition columns: a filter on them reads only those partitions.
SELECT certificate_id, student_id, date_issued, year, quarter
FROM curated_student_certificates
WHERE run_id = '{{run_id}}'
