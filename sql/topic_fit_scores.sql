-- topic_fit_scores: score-cache rows of a fit: every paper's memberships under the new model (fit_model leaves
-- them in paper_topic_memberships by paper_id), keyed by content hash; papers with the same text share rows.
SELECT DISTINCT c.content_hash, m.topic_id, m.score, m.is_primary, true AS at_fit
FROM paper_topic_memberships AS m
JOIN paper_topic_contents AS c USING (paper_id)
