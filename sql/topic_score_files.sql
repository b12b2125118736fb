-- topic_score_files: the score-cache files written again in this run: those receiving rows (new rows, or rows
-- moved into their bucket by a compaction), those losing rows to a move, and those holding texts no longer in
-- the corpus (pruned). A file whose rows all left is deleted. Unchanged files are not touched: a refresh that
-- scores a few papers writes one additions file, not every bucket those papers fall in.
-- Inputs: topic_score_targets, topic_score_cache, paper_topic_contents.
SELECT target AS file FROM topic_score_targets WHERE target IS DISTINCT FROM file
UNION
SELECT file FROM topic_score_targets WHERE target IS DISTINCT FROM file AND file IS NOT NULL
UNION
SELECT file FROM topic_score_cache ANTI JOIN paper_topic_contents USING (content_hash)
ORDER BY file
