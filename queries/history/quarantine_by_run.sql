-- Rows quarantined per run, input file and reason (files with none are left out).
SELECT run_id, study, file, reason, quarantined_rows, input_rows
FROM result_data_quality
WHERE run_id IN ('2026-01', '2026-02', '2026-03') AND quarantined_rows > 0
ORDER BY run_id, study, file, reason
