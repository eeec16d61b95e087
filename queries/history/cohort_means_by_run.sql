-- Mean minutes watched per cohort (after outlier removal), run by run: e.g. the last 12 monthly runs.
-- result_* tables are partitioned by run_id with injected projection: Athena needs the run ids as
-- literals, so list the runs to compare (`engagement results list` shows them, newest first).
SELECT run_id, baseline, comparison, plan, role, period, n_after, mean, ci95_low, ci95_high
FROM result_cohorts
WHERE run_id IN ('2026-01', '2026-02', '2026-03')
ORDER BY run_id, plan, role
