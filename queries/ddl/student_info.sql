-- student_info: typed view over raw_student_info (one row per registered student)
CREATE OR REPLACE VIEW student_info AS
SELECT
  CAST(student_id AS BIGINT) AS student_id,
  CAST(date_registered AS DATE) AS date_registered
FROM raw_student_info
