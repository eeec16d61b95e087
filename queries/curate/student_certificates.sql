-- curate_student_certificates: this run's accepted rows of raw_student_certificates, typed, into its Parquet partitions
-- Checked and typed once here; every study query then reads curated_student_certificates (Parquet) instead of
-- re-parsing the CSV. Partitions: run_id (from validation_settings, written per run by
-- ValidateEngagementFiles), then year and quarter of date_issued. ValidateEngagementFiles deletes the
-- run's partitions first, so a re-run of a run id replaces its rows rather than adding to them.
INSERT INTO curated_student_certificates
SELECT
  c.certificate_key AS certificate_id,
  c.student_key AS student_id,
  c.issued AS date_issued,
  s.run_id AS run_id,
  CAST(year(c.issued) AS INTEGER) AS year,
  CAST(quarter(c.issued) AS INTEGER) AS quarter
FROM checked_student_certificates c
CROSS JOIN validation_settings s
WHERE c.reject_reason IS NULL
