-- report/claim_stats: box-plot statistics of the $kind claim factors per topic, every claim counted;
-- the $limit topics with the highest median.
SELECT s.topic_id, t.label, count(*) AS n, min(factor) AS lo,
       quantile_cont(factor, 0.25) AS q1, median(factor) AS med,
       quantile_cont(factor, 0.75) AS q3, max(factor) AS hi
FROM claim_factors s
JOIN topics t USING (topic_id)
WHERE s.key = $kind
GROUP BY ALL
ORDER BY med DESC, s.topic_id
LIMIT $limit
