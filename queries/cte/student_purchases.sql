-- student_purchases: this run's accepted, typed rows, read from the curated Parquet table
-- Rejected rows (checked_student_purchases.reject_reason) are quarantined and never reach the analysis.
-- Not a view: lib/queries.ts puts this SELECT in front of each query that reads student_purchases, as a CTE,
-- and PlanRun fills in the validated run id (Athena's injected run_id partition needs a literal).
-- year and quarter (of date_purchased) are partition columns: a filter on them reads only those partitions.
SELECT purchase_id, student_id, plan_id, date_purchased, date_refunded, year, quarter
FROM curated_student_purchases
WHERE run_id = '{{run_id}}'
