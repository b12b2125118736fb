-- topic_score_rows: the rows of the score-cache files in $files (VARCHAR[]), as written to them: by file, then
-- sorted by content hash, primary first, score descending, topic id.
SELECT target AS file, content_hash, topic_id, score, is_primary, at_fit
FROM topic_score_targets
WHERE list_contains($files, target)
ORDER BY target, content_hash, NOT is_primary, score DESC, topic_id
