-- paper_topic_scores: cosine similarity of each paper's L2-normalised TF-IDF vector (same tokenizer,
-- vocabulary and idf as the fit: term_stats) with each unit-length topic vector in topic_model_terms
-- (topic_id, term_id, weight; registered by the caller). Rows only where the score is > 0.
-- Runs over one batch of papers: ($batch of $n_batches, by hash(paper_id)); the caller appends
-- the batches. Source relation: topic_score_input(paper_id, title, abstract).
WITH docs AS (
    SELECT paper_id,
           topic_tokens_of(coalesce(title, '') || ' . ' || coalesce(abstract, ''), $stop_pattern) AS toks
    FROM topic_score_input
    WHERE $n_batches = 1 OR hash(paper_id) % $n_batches = $batch
), occurrences AS (
    SELECT paper_id, unnest(topic_terms_from_tokens(toks, $with_bigrams)) AS term
    FROM docs
), tf AS (
    SELECT o.paper_id, ts.term_id, any_value(ts.idf) AS idf, count(*) AS tf
    FROM occurrences AS o
    JOIN term_stats AS ts USING (term)
    GROUP BY o.paper_id, ts.term_id
), weights AS (
    SELECT paper_id, term_id, (1 + ln(tf)) * idf AS w,
           sqrt(sum(((1 + ln(tf)) * idf) ** 2) OVER (PARTITION BY paper_id)) AS norm
    FROM tf
)
SELECT w.paper_id, m.topic_id, round(sum(w.w * m.weight) / any_value(w.norm), 9) AS score
FROM weights AS w
JOIN topic_model_terms AS m USING (term_id)
GROUP BY w.paper_id, m.topic_id
