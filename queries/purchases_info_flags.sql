-- purchases_info_flags: every purchase with its access days and whether it overlaps each study period
-- The export renames paid_baseline and paid_comparison to the periods' flag columns (paid_q2_2021, ...).
-- Execution parameters: each `?` is followed by its name as a `/* :name */` marker (lib/queries.ts
-- reads the order from them), all quoted dates ('2021-06-30').
-- Overlap, both ends inclusive: date_start <= last day and (no end or date_end >= first day).
-- The flags come from joins because Athena takes parameters only in WHERE clauses.
-- purchases_info is this run's purchases: lib/queries.ts prepends it from queries/cte/ as a CTE, and
-- PlanRun fills in the run id (only the periods travel as parameters).
WITH baseline_purchases AS (
  SELECT DISTINCT purchase_id
  FROM purchases_info
  WHERE date_start <= CAST(? /* :baselineLastDay */ AS DATE)
    AND (date_end IS NULL OR date_end >= CAST(? /* :baselineFirstDay */ AS DATE))
),
comparison_purchases AS (
  SELECT DISTINCT purchase_id
  FROM purchases_info
  WHERE date_start <= CAST(? /* :comparisonLastDay */ AS DATE)
    AND (date_end IS NULL OR date_end >= CAST(? /* :comparisonFirstDay */ AS DATE))
)
SELECT
  p.purchase_id,
  p.student_id,
  p.plan_id,
  p.date_start,
  p.date_end,
  CASE WHEN b.purchase_id IS NULL THEN 0 ELSE 1 END AS paid_baseline,
  CASE WHEN c.purchase_id IS NULL THEN 0 ELSE 1 END AS paid_comparison
FROM purchases_info p
LEFT JOIN baseline_purchases b ON b.purchase_id = p.purchase_id
LEFT JOIN comparison_purchases c ON c.purchase_id = p.purchase_id
ORDER BY p.purchase_id
