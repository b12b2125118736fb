-- report/claim_points: up to $per_topic $kind claim factors per topic, a stable hash sample.
SELECT topic_id, factor
FROM claim_factors
WHERE key = $kind
QUALIFY row_number() OVER (PARTITION BY topic_id ORDER BY hash(paper_id, claim_index)) <= $per_topic
