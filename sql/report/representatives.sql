-- report/representatives: the $per_topic highest-scoring primary papers of each topic in $topic_ids.
WITH best AS (
    SELECT topic_id, unnest(max_by(paper_id, score, $per_topic)) AS paper_id
    FROM paper_topics
    WHERE is_primary AND list_contains($topic_ids, topic_id)
    GROUP BY topic_id
)
SELECT b.topic_id, p.title, pt.score
FROM best b
JOIN papers p USING (paper_id)
JOIN paper_topics pt ON pt.paper_id = b.paper_id AND pt.topic_id = b.topic_id
ORDER BY b.topic_id, pt.score DESC, p.title
