-- student_purchases: typed view over raw_student_purchases (an empty date_refunded means not refunded)
CREATE OR REPLACE VIEW student_purchases AS
SELECT
  CAST(purchase_id AS BIGINT) AS purchase_id,
  CAST(student_id AS BIGINT) AS student_id,
  CAST(plan_id AS INTEGER) AS plan_id,
  CAST(date_purchased AS DATE) AS date_purchased,
  CAST(NULLIF(date_refunded, '') AS DATE) AS date_refunded
FROM raw_student_purchases
