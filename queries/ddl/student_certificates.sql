-- student_certificates: typed view over the accepted rows of raw_student_certificates
-- Rejected rows (checked_student_certificates.reject_reason) are quarantined and never reach the analysis.
CREATE OR REPLACE VIEW student_certificates AS
SELECT
  certificate_key AS certificate_id,
  student_key AS student_id,
  issued AS date_issued
FROM checked_student_certificates
WHERE reject_reason IS NULL
