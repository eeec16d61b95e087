-- minutes_and_certificates: certificates issued in the comparison period and minutes watched over both periods
-- One row per student with at least one certificate issued in the comparison period.
-- Execution parameters, in this order (all quoted dates, e.g. '2021-04-01'):
--   1. baseline first day     2. baseline last day      (viewing days counted)
--   3. comparison first day   4. comparison last day    (viewing days counted)
--   5. comparison first day   6. comparison last day    (certificates counted)
-- minutes_watched sums the seconds of both periods' days, 0.00 for a student who watched nothing.
WITH study_seconds AS (
  SELECT student_id, SUM(seconds_watched) AS seconds_watched
  FROM student_video_watched
  WHERE date_watched BETWEEN CAST(? AS DATE) AND CAST(? AS DATE)
     OR date_watched BETWEEN CAST(? AS DATE) AND CAST(? AS DATE)
  GROUP BY student_id
),
comparison_certificates AS (
  SELECT student_id, COUNT(*) AS certificates_issued
  FROM student_certificates
  WHERE date_issued BETWEEN CAST(? AS DATE) AND CAST(? AS DATE)
  GROUP BY student_id
)
SELECT
  c.student_id,
  c.certificates_issued,
  CAST(ROUND(COALESCE(s.seconds_watched, 0) / 60, 2) AS DECIMAL(18, 2)) AS minutes_watched
FROM comparison_certificates c
LEFT JOIN study_seconds s ON s.student_id = c.student_id
ORDER BY c.student_id
