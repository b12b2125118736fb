-- paper_topics_changed: the paper_topics rows (sql/paper_topics.sql) of the papers in topic_changed_papers(paper_id)
-- only, in its order; lifecycle.py merges them into the kept rows of every other paper.
SELECT c.paper_id, s.topic_id, s.score, s.is_primary
FROM paper_topic_contents AS c
SEMI JOIN topic_changed_papers USING (paper_id)
JOIN topic_scores AS s USING (content_hash)
ORDER BY c.paper_id, NOT s.is_primary, s.score DESC, s.topic_id
