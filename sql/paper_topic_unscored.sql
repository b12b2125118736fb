-- paper_topic_unscored: the texts the current model has not scored yet (new and changed papers), one row per
-- content hash, keyed by it (paper_id = content_hash), in the shape topic_score_texts.sql reads.
-- Inputs: topic_texts (paper_id, title, abstract: the papers, or only those of topic_unscored_ids.sql: lifecycle.py),
-- paper_topic_contents, topic_score_cache (content_hash, ...: the verified stored scores).
SELECT c.content_hash AS paper_id,
       arg_min(p.title, p.paper_id) AS title,
       arg_min(p.abstract, p.paper_id) AS abstract
FROM (SELECT * FROM paper_topic_contents ANTI JOIN topic_score_cache USING (content_hash)) AS c
JOIN topic_texts AS p USING (paper_id)
GROUP BY c.content_hash
