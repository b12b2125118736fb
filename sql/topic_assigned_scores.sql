-- topic_assigned_scores: score-cache rows of the texts scored under the current model in this run (keyed by
-- content hash: paper_topic_unscored.sql), from paper_topic_memberships; not part of the model's fit corpus.
SELECT paper_id AS content_hash, topic_id, score, is_primary, false AS at_fit
FROM paper_topic_memberships
