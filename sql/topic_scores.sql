-- topic_scores: the memberships of every text of the corpus under the current model: the stored rows of texts
-- still in the corpus (topic_score_cache, with the score-cache file each came from) and the rows scored in this
-- run (topic_score_new, scored_now, no file yet).
SELECT content_hash, topic_id, score, is_primary, at_fit, false AS scored_now, file
FROM topic_score_cache
SEMI JOIN paper_topic_contents USING (content_hash)
UNION ALL
SELECT content_hash, topic_id, score, is_primary, at_fit, true AS scored_now, NULL::VARCHAR AS file
FROM topic_score_new
