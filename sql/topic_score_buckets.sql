-- topic_score_buckets: the score-cache buckets (first two hex digits of the content hash) whose file is written
-- again: those with texts scored in this run, and those holding texts no longer in the corpus (pruned).
WITH stored AS (
    SELECT left(content_hash, 2) AS bucket, count(*) AS n FROM topic_score_cache GROUP BY bucket
), kept AS (
    SELECT left(content_hash, 2) AS bucket, count(*) AS n
    FROM topic_score_cache SEMI JOIN paper_topic_contents USING (content_hash)
    GROUP BY bucket
)
SELECT bucket FROM stored LEFT JOIN kept USING (bucket) WHERE kept.n IS DISTINCT FROM stored.n
UNION
SELECT DISTINCT left(content_hash, 2) AS bucket FROM topic_score_new
ORDER BY bucket
