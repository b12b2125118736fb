-- report/validation: the chosen validation result rows (registered as the view `results`), failures
-- first. Older result files have no description column: the empty relation supplies it as NULL.
SELECT run_id, asset, expectation, severity, success, observed_value, description, checked_at
FROM (
    FROM results
    UNION ALL BY NAME
    SELECT NULL::VARCHAR AS description WHERE false
)
ORDER BY success, severity, asset, expectation
