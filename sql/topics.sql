-- topics: one row per topic of the model with its paper counts over paper_topics (primary and secondary
-- memberships) and its share of the papers; the reserved topic $unassigned_topic_id only when papers have it.
-- Inputs: topic_meta(topic_id, label, top_terms) (the model's topics, registered by the caller), paper_topics.
WITH c AS (
    SELECT topic_id,
           count(*) FILTER (WHERE is_primary) AS paper_count,
           count(*) FILTER (WHERE NOT is_primary) AS secondary_count
    FROM paper_topics
    GROUP BY topic_id
), n AS (
    SELECT count(*) AS n FROM paper_topics WHERE is_primary
)
SELECT m.topic_id, m.label, m.top_terms,
       coalesce(c.paper_count, 0)::BIGINT AS paper_count,
       coalesce(c.secondary_count, 0)::BIGINT AS secondary_count,
       round(coalesce(c.paper_count, 0) / greatest(n.n, 1), 6) AS share
FROM topic_meta AS m
LEFT JOIN c USING (topic_id)
CROSS JOIN n
WHERE m.topic_id <> $unassigned_topic_id OR coalesce(c.paper_count, 0) > 0
ORDER BY m.topic_id
