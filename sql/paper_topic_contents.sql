-- paper_topic_contents: each paper's content hash, the key of its topic memberships in the score cache: the first
-- 32 hex digits of sha256 of the text the model scores (title + ' . ' + abstract, as topic_score_texts.sql and
-- paper_terms.sql read it), so a paper is scored again exactly when that text changes.
SELECT paper_id, left(sha256(coalesce(title, '') || ' . ' || coalesce(abstract, '')), 32) AS content_hash
FROM papers
