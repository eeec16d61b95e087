-- student_purchases: this run's accepted, typed rows of raw_student_purchases, read from the curated Parquet table
-- Rejected rows (checked_student_purchases.reject_reason) are quarantined and never reach the analysis.
-- A template: ValidateEngagementFiles replaces {{run_id}} with the validated run id (views take no
-- parameters, and Athena's injected run_id partition needs a literal equality to find the files).
-- year and quarter (of date_purchased) are partition columns: a filter on them reads only those partitions.
CREATE OR REPLACE VIEW student_purchases AS
SELECT purchase_id, student_id, plan_id, date_purchased, date_refunded, year, quarter
FROM curated_student_purchases
WHERE run_id = '{{run_id}}'
