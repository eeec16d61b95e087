-- engagement_quality_counts: rows per file and reject_reason (an empty reason counts the accepted rows)
-- A template: reads this run's checked_* rows (PlanRun fills in the validated run id).
SELECT 'student_certificates.csv' AS file_name, reject_reason, COUNT(*) AS row_count FROM checked_student_certificates WHERE run_id = '{{run_id}}' GROUP BY reject_reason
UNION ALL
SELECT 'student_info.csv' AS file_name, reject_reason, COUNT(*) AS row_count FROM checked_student_info WHERE run_id = '{{run_id}}' GROUP BY reject_reason
UNION ALL
SELECT 'student_purchases.csv' AS file_name, reject_reason, COUNT(*) AS row_count FROM checked_student_purchases WHERE run_id = '{{run_id}}' GROUP BY reject_reason
UNION ALL
SELECT 'student_video_watched.csv' AS file_name, reject_reason, COUNT(*) AS row_count FROM checked_student_video_watched WHERE run_id = '{{run_id}}' GROUP BY reject_reason
ORDER BY file_name, reject_reason
