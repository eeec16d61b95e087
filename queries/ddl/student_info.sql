-- student_info: typed view over the accepted rows of raw_student_info (one row per registered student)
-- Rejected rows (checked_student_info.reject_reason) are quarantined and never reach the analysis.
CREATE OR REPLACE VIEW student_info AS
SELECT
  student_key AS student_id,
  registered AS date_registered
FROM checked_student_info
WHERE reject_reason IS NULL
