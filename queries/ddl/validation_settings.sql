-- validation_settings: the run's declared data range and its run id, read by the checks (queries/check/)
-- This file holds the defaults (plausible dates only); each run replaces the view with its own range
-- (run options dataStart, dataEnd) and run id through validationSettingsSql() in lambdas/core/validation/settings.ts.
CREATE OR REPLACE VIEW validation_settings AS
SELECT DATE '1970-01-01' AS data_start, DATE '2100-12-31' AS data_end, '{{run_id}}' AS run_id
