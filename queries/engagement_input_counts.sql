-- engagement_input_counts: number of data rows in each raw engagement table
SELECT 'raw_student_certificates' AS table_name, COUNT(*) AS row_count FROM raw_student_certificates
UNION ALL
SELECT 'raw_student_info' AS table_name, COUNT(*) AS row_count FROM raw_student_info
UNION ALL
SELECT 'raw_student_purchases' AS table_name, COUNT(*) AS row_count FROM raw_student_purchases
UNION ALL
SELECT 'raw_student_video_watched' AS table_name, COUNT(*) AS row_count FROM raw_student_video_watched
ORDER BY table_name
