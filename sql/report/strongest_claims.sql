-- report/strongest_claims: the $limit largest $kind claim factors.
SELECT s.paper_id, s.claim_index, s.factor, t.label
FROM claim_factors s
JOIN topics t USING (topic_id)
WHERE s.key = $kind
ORDER BY s.factor DESC, s.paper_id, s.claim_index
LIMIT $limit
