-- student_certificates: typed view over raw_student_certificates
CREATE OR REPLACE VIEW student_certificates AS
SELECT
  CAST(certificate_id AS BIGINT) AS certificate_id,
  CAST(student_id AS BIGINT) AS student_id,
  CAST(date_issued AS DATE) AS date_issued
FROM raw_student_certificates
