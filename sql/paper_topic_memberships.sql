-- paper_topic_memberships: the model's assignment rule, per scored paper, from paper_topic_scores. Exactly one
-- primary per paper (highest score, ties to the lower topic_id); up to $max_secondary secondary topics with
-- score >= $secondary_min_score and >= $secondary_min_ratio * the primary score. Papers without any vocabulary
-- term (no score row) get the reserved topic $unassigned_topic_id as primary with score 0.
-- Source: topic_scored_papers(paper_id), every paper that was scored (its key may be a content hash). The scorer
-- (assets/topics/scoring.py) leaves only the rows this rule can pick: 1 + $max_secondary per paper and ties.
WITH ranked AS (
    SELECT paper_id, topic_id, score,
           row_number() OVER (PARTITION BY paper_id ORDER BY score DESC, topic_id) AS rnk,
           max(score) OVER (PARTITION BY paper_id) AS best
    FROM paper_topic_scores
)
SELECT paper_id, topic_id, score, rnk = 1 AS is_primary
FROM ranked
WHERE rnk = 1
   OR (rnk <= 1 + $max_secondary AND score >= $secondary_min_score AND score >= $secondary_min_ratio * best)
UNION ALL
SELECT i.paper_id, $unassigned_topic_id::INTEGER AS topic_id, 0.0::DOUBLE AS score, true AS is_primary
FROM topic_scored_papers AS i
ANTI JOIN paper_topic_scores AS s USING (paper_id)
