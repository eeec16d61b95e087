-- engagement_quarantine: every rejected engagement row, its file, reason and raw fields (value_1.. in file column order)
-- One query for the four files (one Athena result to export); ExportEngagementQuarantine splits it
-- into results/<runId>/quarantine/<file>.csv with the file's own column names. A template: reads this
-- run's checked_* rows (PlanRun fills in the validated run id).
SELECT 'student_certificates.csv' AS file_name, reject_reason, certificate_id AS value_1, student_id AS value_2, date_issued AS value_3,
  CAST(NULL AS VARCHAR) AS value_4, CAST(NULL AS VARCHAR) AS value_5
FROM checked_student_certificates WHERE run_id = '{{run_id}}' AND reject_reason IS NOT NULL
UNION ALL
SELECT 'student_info.csv' AS file_name, reject_reason, student_id, date_registered, CAST(NULL AS VARCHAR), CAST(NULL AS VARCHAR), CAST(NULL AS VARCHAR)
FROM checked_student_info WHERE run_id = '{{run_id}}' AND reject_reason IS NOT NULL
UNION ALL
SELECT 'student_purchases.csv' AS file_name, reject_reason, purchase_id, student_id, plan_id, date_purchased, date_refunded
FROM checked_student_purchases WHERE run_id = '{{run_id}}' AND reject_reason IS NOT NULL
UNION ALL
SELECT 'student_video_watched.csv' AS file_name, reject_reason, student_id, course_id, seconds_watched, date_watched, CAST(NULL AS VARCHAR)
FROM checked_student_video_watched WHERE run_id = '{{run_id}}' AND reject_reason IS NOT NULL
ORDER BY file_name, value_1, value_2, value_3, value_4, value_5, reject_reason
