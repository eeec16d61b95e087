-- student_purchases: typed view over the accepted rows of raw_student_purchases (date_refunded NULL = not refunded)
-- Rejected rows (checked_student_purchases.reject_reason) are quarantined and never reach the analysis.
CREATE OR REPLACE VIEW student_purchases AS
SELECT
  purchase_key AS purchase_id,
  student_key AS student_id,
  plan AS plan_id,
  purchased AS date_purchased,
  refunded AS date_refunded
FROM checked_student_purchases
WHERE reject_reason IS NULL
