-- report/topics: every topic, largest first, with its first $top_terms terms.
SELECT topic_id, label, top_terms[1:$top_terms] AS top_terms, paper_count
FROM topics
ORDER BY paper_count DESC, topic_id
