-- One row per run: periods, whether it repeats an earlier run, the minutes-certificates correlation
-- and the MOOC drop-out rate and model AUC. Each table names its runs: an injected partition key
-- must be given as literals in every table's own WHERE, a join condition does not count.
WITH runs AS (
  SELECT run_id, baseline, comparison, repeat_of FROM result_runs
  WHERE run_id IN ('2026-01', '2026-02', '2026-03')
), correlation AS (
  SELECT run_id, pearson, spearman FROM result_correlation
  WHERE run_id IN ('2026-01', '2026-02', '2026-03')
), mooc AS (
  SELECT run_id, dropout_rate, auc_test FROM result_mooc
  WHERE run_id IN ('2026-01', '2026-02', '2026-03')
)
SELECT runs.run_id, runs.baseline, runs.comparison, runs.repeat_of, correlation.pearson, correlation.spearman, mooc.dropout_rate, mooc.auc_test
FROM runs
LEFT JOIN correlation ON correlation.run_id = runs.run_id
LEFT JOIN mooc ON mooc.run_id = runs.run_id
ORDER BY runs.run_id
