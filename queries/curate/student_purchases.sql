-- curate_student_purchases: this run's accepted rows of raw_student_purchases, typed, into its Parquet partitions
-- Typed once here from this run's checked_student_purchases rows; every study query then reads curated_student_purchases
-- (Parquet) instead of re-parsing the CSV. A template: PlanRun fills in the
-- validated run id. Partitions: run_id, then year and quarter of date_purchased. ValidateEngagementFiles deletes the
-- run's partitions first, so a re-run of a run id replaces its rows rather than adding to them.
INSERT INTO curated_student_purchases
SELECT
  c.purchase_key AS purchase_id,
  c.student_key AS student_id,
  c.plan AS plan_id,
  c.purchased AS date_purchased,
  c.refunded AS date_refunded,
  c.run_id AS run_id,
  CAST(year(c.purchased) AS INTEGER) AS year,
  CAST(quarter(c.purchased) AS INTEGER) AS quarter
FROM checked_student_purchases c
WHERE c.run_id = '{{run_id}}' AND c.reject_reason IS NULL
