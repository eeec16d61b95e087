-- curate_student_certificates: this run's accepted rows of raw_student_certificates, typed, into its Parquet partitions
-- Typed once here from this run's checked_student_certificates rows; every study query then reads curated_student_certificates
-- (Parquet) instead of re-parsing the CSV. A template: PlanRun fills in the
-- validated run id. Partitions: run_id, then year and quarter of date_issued. ValidateEngagementFiles deletes the
-- run's partitions first, so a re-run of a run id replaces its rows rather than adding to them.
INSERT INTO curated_student_certificates
SELECT
  c.certificate_key AS certificate_id,
  c.student_key AS student_id,
  c.issued AS date_issued,
  c.run_id AS run_id,
  CAST(year(c.issued) AS INTEGER) AS year,
  CAST(quarter(c.issued) AS INTEGER) AS quarter
FROM checked_student_certificates c
WHERE c.run_id = '{{run_id}}' AND c.reject_reason IS NULL
