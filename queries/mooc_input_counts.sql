-- mooc_input_counts: data rows of each raw MOOC file, for the run manifest
SELECT 'raw_mooc_action_features' AS table_name, count(*) AS row_count FROM raw_mooc_action_features
UNION ALL
SELECT 'raw_mooc_action_labels' AS table_name, count(*) AS row_count FROM raw_mooc_action_labels
UNION ALL
SELECT 'raw_mooc_actions' AS table_name, count(*) AS row_count FROM raw_mooc_actions
ORDER BY table_name
