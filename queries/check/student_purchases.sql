-- check_student_purchases: every raw_student_purchases row, typed where it can be, with reject_reason (NULL = accepted), into checked_student_purchases
-- A template: PlanRun fills in the validated run id (Athena's injected run_id partition needs a literal
-- equality), so the students are this run's checked_student_info rows; run_settings (queries/cte/,
-- prepended as a CTE) holds the run's id and declared data range.
-- A date may carry a time of day with no zone or Z (2021-04-01 00:00:00, 2021-04-01T13:05:00Z), as
-- datetime exports write dates; its day counts.
-- The first failing rule gives the reason:
--   'purchase_id is missing' | 'purchase_id is not an integer in 0..9007199254740991' | 'student_id is missing' | 'student_id is not an integer in 0..9007199254740991'
--   'plan_id is missing' | 'plan_id not in 0..3'
--   'date_purchased is missing' | 'date_purchased is not a real YYYY-MM-DD date' | 'date_purchased outside the data range'
--   'date_refunded is not a real YYYY-MM-DD date' (empty or NULL, as database exports write it, = not refunded)
--   'refund before purchase'. A refund is recorded after its purchase and may fall after the data
--   range's end (the range bounds the purchases the extract covers), so it has no range rule.
--   'unknown student_id': no accepted student_info row (a quarantined student's purchases go too)
--   'duplicate purchase_id': among rows passing every other rule, the copy with the earliest
--   date_purchased (then student_id, plan_id, date_refunded, raw text) is kept.
INSERT INTO checked_student_purchases
WITH typed AS (
  SELECT
    purchase_id,
    student_id,
    plan_id,
    date_purchased,
    date_refunded,
    CASE WHEN regexp_like(purchase_id, '^[0-9]{1,16}$') AND try_cast(purchase_id AS BIGINT) <= 9007199254740991 THEN try_cast(purchase_id AS BIGINT) END AS purchase_key,
    CASE WHEN regexp_like(student_id, '^[0-9]{1,16}$') AND try_cast(student_id AS BIGINT) <= 9007199254740991 THEN try_cast(student_id AS BIGINT) END AS student_key,
    try_cast(CASE WHEN plan_id IN ('0', '1', '2', '3') THEN plan_id END AS INTEGER) AS plan,
    try_cast(CASE WHEN regexp_like(date_purchased, '^[0-9]{4}-[0-9]{2}-[0-9]{2}([ T]([01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9](\.[0-9]{1,9}){0,1}Z{0,1}){0,1}$') THEN substr(date_purchased, 1, 10) END AS DATE) AS purchased,
    try_cast(CASE WHEN regexp_like(date_refunded, '^[0-9]{4}-[0-9]{2}-[0-9]{2}([ T]([01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9](\.[0-9]{1,9}){0,1}Z{0,1}){0,1}$') THEN substr(date_refunded, 1, 10) END AS DATE) AS refunded
  FROM raw_student_purchases
),
accepted_students AS (
  SELECT student_key, registered FROM checked_student_info WHERE run_id = '{{run_id}}' AND reject_reason IS NULL
),
field_checked AS (
  SELECT
    t.*,
    CASE
      WHEN t.purchase_id IS NULL OR t.purchase_id = '' THEN 'purchase_id is missing'
      WHEN t.purchase_key IS NULL THEN 'purchase_id is not an integer in 0..9007199254740991'
      WHEN t.student_id IS NULL OR t.student_id = '' THEN 'student_id is missing'
      WHEN t.student_key IS NULL THEN 'student_id is not an integer in 0..9007199254740991'
      WHEN t.plan_id IS NULL OR t.plan_id = '' THEN 'plan_id is missing'
      WHEN t.plan IS NULL THEN 'plan_id not in 0..3'
      WHEN t.date_purchased IS NULL OR t.date_purchased = '' THEN 'date_purchased is missing'
      WHEN t.purchased IS NULL THEN 'date_purchased is not a real YYYY-MM-DD date'
      WHEN t.purchased < s.data_start OR t.purchased > s.data_end THEN 'date_purchased outside the data range'
      WHEN t.date_refunded IS NULL OR t.date_refunded = '' OR upper(t.date_refunded) = 'NULL' THEN NULL
      WHEN t.refunded IS NULL THEN 'date_refunded is not a real YYYY-MM-DD date'
      WHEN t.refunded < t.purchased THEN 'refund before purchase'
    END AS own_reason,
    a.student_key AS known_student,
    s.run_id
  FROM typed t
  CROSS JOIN run_settings s
  LEFT JOIN accepted_students a ON a.student_key = t.student_key
),
reference_checked AS (
  SELECT
    f.*,
    CASE
      WHEN f.own_reason IS NOT NULL THEN f.own_reason
      WHEN f.known_student IS NULL THEN 'unknown student_id'
    END AS field_reason
  FROM field_checked f
),
checked_rows AS (
  SELECT
    purchase_id,
    student_id,
    plan_id,
    date_purchased,
    date_refunded,
    purchase_key,
    student_key,
    plan,
    purchased,
    refunded,
    COALESCE(
      field_reason,
      CASE
        WHEN row_number() OVER (
          PARTITION BY field_reason, purchase_key
          ORDER BY purchased, student_key, plan, refunded, purchase_id, student_id, plan_id, date_purchased, date_refunded
        ) > 1
        THEN 'duplicate purchase_id'
      END
    ) AS reject_reason,
    run_id
  FROM reference_checked
)
SELECT
  -- Raw text is kept for rejected rows only (the quarantine shows it); accepted rows are read typed,
  -- and leaving their text out halves what this table writes and scans.
  CASE WHEN reject_reason IS NULL THEN NULL ELSE purchase_id END AS purchase_id,
  CASE WHEN reject_reason IS NULL THEN NULL ELSE student_id END AS student_id,
  CASE WHEN reject_reason IS NULL THEN NULL ELSE plan_id END AS plan_id,
  CASE WHEN reject_reason IS NULL THEN NULL ELSE date_purchased END AS date_purchased,
  CASE WHEN reject_reason IS NULL THEN NULL ELSE date_refunded END AS date_refunded,
  purchase_key,
  student_key,
  plan,
  purchased,
  refunded,
  reject_reason,
  run_id
FROM checked_rows
