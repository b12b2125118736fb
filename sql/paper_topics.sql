-- paper_topics: every paper's topic memberships under the current model: the rows of its text in topic_scores.
SELECT c.paper_id, s.topic_id, s.score, s.is_primary
FROM paper_topic_contents AS c
JOIN topic_scores AS s USING (content_hash)
ORDER BY c.paper_id, NOT s.is_primary, s.score DESC, s.topic_id
