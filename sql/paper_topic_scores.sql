-- paper_topic_scores: the model's scoring rule. Cosine similarity of each paper's L2-normalised TF-IDF vector
-- (same tokenizer, vocabulary and idf as the fit: term_stats) with each unit-length topic vector in
-- topic_model_terms (topic_id, term_id, weight; registered by the caller). Rows only where the score is > 0.
-- Runs over one batch of papers ($batch of $n_batches, by hash(paper_id)); the caller appends the batches.
-- Run with the optimizer partial_aggregate_pushdown disabled (model.py does). Source relation:
-- topic_score_input(paper_id, title, abstract). Each paper is tokenised once (topic_raw_tokens) and its raw
-- terms are joined to every raw spelling of the vocabulary terms (topic_raw_forms: "memories" -> "memory"),
-- so stop words and non-vocabulary terms fall out in the join and no per-word folding or stop-word filtering
-- is needed. Fit-sample papers may instead be scored from their fit vectors (paper_topic_scores_fit.sql):
-- the same numbers, tests check both ways.
-- Parameters: $break_pattern VARCHAR, $with_bigrams BOOLEAN, $n_batches INTEGER, $batch INTEGER.
WITH docs AS (
    SELECT paper_id,
           topic_raw_tokens(coalesce(title, '') || ' . ' || coalesce(abstract, ''), $break_pattern) AS toks
    FROM topic_score_input
    WHERE $n_batches = 1 OR hash(paper_id) % $n_batches = $batch
), forms AS (
    SELECT ts.term_id, ts.idf,
           CASE WHEN ts.is_bigram THEN a.form || ' ' || b.form ELSE a.form END AS form
    FROM term_stats AS ts,
         unnest(topic_raw_forms(split_part(ts.term, ' ', 1))) AS a(form),
         unnest(CASE WHEN ts.is_bigram THEN topic_raw_forms(split_part(ts.term, ' ', 2)) ELSE [''] END) AS b(form)
), hits AS (
    SELECT o.paper_id, f.term_id
    FROM (SELECT paper_id, unnest(topic_terms_from_tokens(toks, $with_bigrams)) AS term FROM docs) AS o
    JOIN forms AS f ON o.term = f.form
), tf AS (
    SELECT h.paper_id, h.term_id, (1 + ln(count(*))) * any_value(ts.idf) AS w
    FROM hits AS h
    JOIN term_stats AS ts USING (term_id)
    GROUP BY h.paper_id, h.term_id
), score_terms AS (  -- the topic vectors, plus a row without topic for every vocabulary term (for the norm)
    SELECT term_id, topic_id, weight FROM topic_model_terms
    UNION ALL
    SELECT term_id, NULL::INTEGER AS topic_id, NULL::DOUBLE AS weight FROM term_stats
), sums AS (  -- per paper: sum(w^2) (topic_id NULL) and sum(w * topic weight) per topic
    SELECT tf.paper_id, m.topic_id, sum(tf.w * coalesce(m.weight, tf.w)) AS s
    FROM tf
    JOIN score_terms AS m USING (term_id)
    GROUP BY tf.paper_id, m.topic_id
), tokenised AS (
    SELECT paper_id, topic_id, s / sqrt(max(CASE WHEN topic_id IS NULL THEN s END) OVER (PARTITION BY paper_id)) AS score
    FROM sums
)
SELECT paper_id, topic_id, round(score, 9) AS score
FROM tokenised
WHERE topic_id IS NOT NULL
