-- paper_terms: term frequency per paper over the fit sample (topic_fit_papers).
-- Terms are the plural-folded words of title + abstract without stop words and single letters, plus
-- (if $with_bigrams) bigrams of adjacent such words (a stop word, single letter, stop phrase or punctuation
-- between two words breaks the pair); see topic_tokenizer.sql.
-- Needs: topic_tokenizer macros; parameters $break_pattern VARCHAR, $stop_word_pattern VARCHAR (matches a whole
-- folded stop word or single letter), $with_bigrams BOOLEAN.
WITH docs AS (
    SELECT paper_id,
           list_transform(
               list_transform(topic_raw_tokens(title || ' . ' || abstract, $break_pattern), lambda x: topic_fold(x)),
               lambda x: CASE WHEN regexp_full_match(x, $stop_word_pattern) THEN '.' ELSE x END) AS toks
    FROM topic_fit_papers
)
SELECT paper_id, term, count(*)::INTEGER AS tf
FROM (SELECT paper_id, unnest(topic_terms_from_tokens(toks, $with_bigrams)) AS term FROM docs)
GROUP BY paper_id, term
