-- topic_score_targets: every row of topic_scores with the score-cache file (name without .parquet) it belongs
-- in after this run. Rows scored in this run go to this run's additions file (topic_score_layout.addition),
-- stored rows stay where they are; when topic_score_layout.to_buckets (a fit, or compacting the additions)
-- the new rows and those of additions files go to their bucket file instead: the first two hex digits of the
-- content hash. Input: topic_score_layout(to_buckets BOOLEAN, addition VARCHAR), one row, registered by
-- lifecycle.py.
SELECT s.content_hash, s.topic_id, s.score, s.is_primary, s.at_fit, s.file,
       CASE WHEN l.to_buckets AND (s.file IS NULL OR NOT regexp_full_match(s.file, '[0-9a-f]{2}'))
                THEN left(s.content_hash, 2)
            ELSE coalesce(s.file, l.addition)
       END AS target
FROM topic_scores AS s
CROSS JOIN topic_score_layout AS l
