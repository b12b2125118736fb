-- topic_unscored_ids: the papers whose text the current model has not scored yet (new and changed papers, and
-- those of a dropped score file): the only texts paper_topic_unscored.sql needs.
SELECT paper_id
FROM paper_topic_contents
ANTI JOIN topic_score_cache USING (content_hash)
