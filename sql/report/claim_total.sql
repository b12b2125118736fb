-- report/claim_total: number of $kind claims drawn.
SELECT count(*) AS n FROM claim_factors WHERE key = $kind
