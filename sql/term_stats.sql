-- term_stats: the topic vocabulary. Document frequency (df), collection frequency (cf) and smoothed idf per
-- term over the fit sample, keeping only terms with $min_df <= df <= $max_df_share * n_docs (drops the
-- dump-wide dominant terms, e.g. "memory" in a memory search) and at most the $max_terms most frequent ones
-- (ties by term). term_id numbers the kept terms 0.. in term order.
WITH n AS (
    SELECT count(*) AS n_docs FROM topic_fit_papers
), df AS (
    SELECT term, count(*) AS df, sum(tf) AS cf FROM paper_terms GROUP BY term
), kept AS (
    SELECT df.term, df.df, df.cf, n.n_docs
    FROM df, n
    WHERE df.df >= $min_df AND df.df <= $max_df_share * n.n_docs
    QUALIFY row_number() OVER (ORDER BY df.df DESC, df.term) <= $max_terms
)
SELECT (row_number() OVER (ORDER BY term) - 1)::INTEGER AS term_id,
       term,
       df,
       cf,
       ln((1 + n_docs) / (1 + df)) + 1 AS idf,
       contains(term, ' ') AS is_bigram
FROM kept
