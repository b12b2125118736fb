-- topic_metrics: one row per topic, over the papers whose PRIMARY topic it is.
-- Inputs: papers, paper_metrics, claims, paper_topics(paper_id, topic_id, score, is_primary), topics(topic_id, label, ...).
-- Medians/maxima of speedup and memory reduction are over papers that state such a claim (NULL if none).
-- Caller runs: CREATE TABLE topic_metrics AS <this SELECT>.
WITH members AS (
    SELECT pt.topic_id, pm.paper_id, pm.abstract_words, pm.claims, pm.max_speedup_x, pm.max_memory_reduction_pct,
           pm.has_code_link
    FROM paper_topics AS pt
    JOIN papers AS p USING (paper_id)
    JOIN paper_metrics AS pm USING (paper_id)
    WHERE pt.is_primary
)
SELECT
    t.topic_id,
    t.label,
    count(m.paper_id)::BIGINT AS papers,
    median(m.abstract_words) AS median_abstract_words,
    count(m.paper_id) FILTER (WHERE m.claims > 0)::BIGINT AS papers_with_claims,
    CASE WHEN count(m.paper_id) = 0 THEN NULL
         ELSE (count(m.paper_id) FILTER (WHERE m.claims > 0))::DOUBLE / count(m.paper_id) END AS share_with_claims,
    coalesce(sum(m.claims), 0)::BIGINT AS claims,
    median(m.max_speedup_x) AS median_speedup_x,
    max(m.max_speedup_x) AS max_speedup_x,
    median(m.max_memory_reduction_pct) AS median_memory_reduction_pct,
    max(m.max_memory_reduction_pct) AS max_memory_reduction_pct,
    count(m.paper_id) FILTER (WHERE m.has_code_link)::BIGINT AS papers_with_code
FROM topics AS t
LEFT JOIN members AS m ON m.topic_id = t.topic_id
GROUP BY t.topic_id, t.label
ORDER BY t.topic_id
