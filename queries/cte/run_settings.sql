-- run_settings: this run's id and declared data range, read by the checks (queries/check/)
-- Not a view: lib/queries.ts puts this SELECT in front of each check that reads run_settings, as a
-- CTE, and PlanRun fills the placeholders with the run's validated id and YYYY-MM-DD dates, so
-- overlapping runs never read each other's values and no catalog object changes during a run.
SELECT DATE '{{data_start}}' AS data_start, DATE '{{data_end}}' AS data_end, '{{run_id}}' AS run_id
