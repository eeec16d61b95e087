-- Rows quarantined per run, input file and reason (files with none are left out).
SELECT run_id, study, file, reason, rows, input_rows
FROM result_data_quality
WHERE run_id IN ('2026-01', '2026-02', '2026-03') AND rows > 0
ORDER BY run_id, study, file, reason
