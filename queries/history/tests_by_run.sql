-- Did the change between the periods hold from run to run? Per run and plan: the mean difference
-- (comparison - baseline, minutes), the chosen test's two-sided p, direction and significance.
SELECT run_id, baseline, comparison, plan, mean_difference, p_two_sided, chosen, direction, significant_change, effect_size
FROM result_tests
WHERE run_id IN ('2026-01', '2026-02', '2026-03')
ORDER BY run_id, plan
