-- minutes_and_certificates: certificates issued in the comparison period and minutes watched over both periods
-- One row per student with at least one certificate issued in the comparison period.
-- Execution parameters: each `?` is followed by its name as a `/* :name */` marker (lib/queries.ts
-- reads the order from them): years and quarters bare (2021, 2), first and last days quoted ('2021-04-01').
-- year and quarter are partition columns of the curated tables: only the two periods' partitions are read.
-- minutes_watched sums the seconds of both periods' days, 0.00 for a student who watched nothing.
-- student_video_watched and student_certificates are this run's rows: lib/queries.ts prepends them
-- from queries/cte/ as CTEs, and PlanRun fills in the run id (only the periods travel as parameters).
WITH study_seconds AS (
  SELECT student_id, SUM(seconds_watched) AS seconds_watched
  FROM student_video_watched
  WHERE ((year = ? /* :baselineYear */ AND quarter = ? /* :baselineQuarter */) OR (year = ? /* :comparisonYear */ AND quarter = ? /* :comparisonQuarter */))
    AND (date_watched BETWEEN CAST(? /* :baselineFirstDay */ AS DATE) AND CAST(? /* :baselineLastDay */ AS DATE)
      OR date_watched BETWEEN CAST(? /* :comparisonFirstDay */ AS DATE) AND CAST(? /* :comparisonLastDay */ AS DATE))
  GROUP BY student_id
),
comparison_certificates AS (
  SELECT student_id, COUNT(*) AS certificates_issued
  FROM student_certificates
  WHERE year = ? /* :comparisonYear */ AND quarter = ? /* :comparisonQuarter */
    AND date_issued BETWEEN CAST(? /* :comparisonFirstDay */ AS DATE) AND CAST(? /* :comparisonLastDay */ AS DATE)
  GROUP BY student_id
)
SELECT
  c.student_id,
  c.certificates_issued,
  CAST(ROUND(COALESCE(s.seconds_watched, 0) / 60, 2) AS DECIMAL(38, 2)) AS minutes_watched
FROM comparison_certificates c
LEFT JOIN study_seconds s ON s.student_id = c.student_id
ORDER BY c.student_id
