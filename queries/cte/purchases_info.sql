-- purchases_info: each purchase with the days it gives access, date_start through date_end inclusive
-- Plans: 0 monthly, 1 quarterly, 2 annual, 3 lifetime (no end: date_end NULL).
-- Adding months clamps to the month's last day on Trino and DuckDB alike (2021-01-31 + 1 month =
-- 2021-02-28); DuckDB answers a TIMESTAMP, hence the CAST back to DATE.
-- A refund ends the access on the refund day, whatever the plan, lifetime included.
-- Not a view: lib/queries.ts puts this SELECT (and student_purchases, which it reads) in front of
-- each query that reads purchases_info, as CTEs.
SELECT
  purchase_id,
  student_id,
  plan_id,
  date_purchased,
  date_refunded,
  date_purchased AS date_start,
  CASE
    WHEN date_refunded IS NOT NULL THEN date_refunded
    WHEN plan_id = 0 THEN CAST(date_purchased + INTERVAL '1' MONTH AS DATE)
    WHEN plan_id = 1 THEN CAST(date_purchased + INTERVAL '3' MONTH AS DATE)
    WHEN plan_id = 2 THEN CAST(date_purchased + INTERVAL '12' MONTH AS DATE)
    ELSE NULL
  END AS date_end
FROM student_purchases
