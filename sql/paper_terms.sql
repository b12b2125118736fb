-- paper_terms: term frequency per paper over the fit sample (topic_fit_papers).
-- Terms are the lower-cased words of title + abstract without stop words, numbers and punctuation, plus
-- (if $with_bigrams) bigrams of adjacent non-stop words; see topic_tokenizer.sql.
-- Needs: topic_tokenizer macros; parameters $stop_pattern VARCHAR, $with_bigrams BOOLEAN.
WITH docs AS (
    SELECT paper_id, topic_tokens_of(title || ' . ' || abstract, $stop_pattern) AS toks
    FROM topic_fit_papers
), occurrences AS (
    SELECT paper_id, unnest(topic_terms_from_tokens(toks, $with_bigrams)) AS term
    FROM docs
)
SELECT paper_id, term, count(*)::INTEGER AS tf
FROM occurrences
GROUP BY paper_id, term
