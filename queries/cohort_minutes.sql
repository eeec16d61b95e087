-- cohort_minutes: minutes watched in one period by the students of one paid cohort
-- One cohort is a period and a paid flag; the workflow runs this once per cohort.
-- Execution parameters: each `?` is followed by its name as a `/* :name */` marker (lib/queries.ts
-- reads the order from them; lambdas/athena/query-parameters.ts builds the named values): year and
-- quarter bare (2021, 2), firstDay and lastDay quoted ('2021-04-01'), paid bare (0 or 1).
-- Athena accepts parameters only in WHERE clauses.
-- year and quarter are partition columns of the curated table: the CTEs are read from the one
-- partition of the period only (the date test alone would not prune).
-- A student is paid in the period when any purchase's [date_start, date_end] overlaps the period's
-- days, both ends inclusive; a purchase without an end (lifetime) overlaps when it starts by the
-- last day. seconds_watched is DOUBLE, so the division by 60 is not an integer division.
-- student_video_watched and purchases_info are this run's rows: lib/queries.ts prepends them from
-- queries/cte/ as CTEs, and PlanRun fills in the run id (only the periods travel as parameters).
WITH period_seconds AS (
  SELECT student_id, SUM(seconds_watched) AS seconds_watched
  FROM student_video_watched
  WHERE year = ? /* :year */ AND quarter = ? /* :quarter */
    AND date_watched BETWEEN CAST(? /* :firstDay */ AS DATE) AND CAST(? /* :lastDay */ AS DATE)
  GROUP BY student_id
),
paid_students AS (
  SELECT DISTINCT student_id
  FROM purchases_info
  WHERE date_start <= CAST(? /* :lastDay */ AS DATE)
    AND (date_end IS NULL OR date_end >= CAST(? /* :firstDay */ AS DATE))
),
period_minutes AS (
  SELECT
    s.student_id,
    CAST(ROUND(s.seconds_watched / 60, 2) AS DECIMAL(38, 2)) AS minutes_watched,
    CASE WHEN p.student_id IS NULL THEN 0 ELSE 1 END AS paid_in_period
  FROM period_seconds s
  LEFT JOIN paid_students p ON p.student_id = s.student_id
)
SELECT student_id, minutes_watched, paid_in_period
FROM period_minutes
WHERE paid_in_period = ? /* :paid */
ORDER BY student_id
