-- topic_score_rows: the rows of the score-cache buckets in $buckets (VARCHAR[]), as written to their files:
-- sorted by content hash, then primary first, score descending, topic id.
SELECT content_hash, topic_id, score, is_primary, at_fit
FROM topic_scores
WHERE list_contains($buckets, left(content_hash, 2))
ORDER BY content_hash, NOT is_primary, score DESC, topic_id
