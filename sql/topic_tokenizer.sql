-- topic_tokenizer: NOT a derived table. Defines the two temp macros every topic SQL file uses, so the
-- tokenisation rules live in one place. Run once per connection before the other topic SQL.
--
-- topic_tokens_of(doc, stop_pattern) -> VARCHAR[]: lower-cases doc, folds plurals ("memories" -> "memory",
--   "models" -> "model", "classes" -> "class"; not after i/s/u: "analysis", "status" stay), replaces every
--   stop word/phrase, single letter and run of non-letters (digits, punctuation) with a break token '.',
--   treats hyphens/line breaks as spaces ("kv-cache" = "kv cache") and returns the word and break tokens
--   (words of 2+ letters) in text order.
--   stop_pattern is a bound parameter built by the caller from assets/topics/stopwords.txt.
-- topic_terms_from_tokens(toks, with_bigrams) -> VARCHAR[]: every word, plus (if with_bigrams) every pair of
--   adjacent words not separated by a break, joined by one space ("kv cache", "continual learning").
CREATE OR REPLACE TEMP MACRO topic_tokens_of(doc, stop_pattern) AS
    list_filter(
        string_split(
            translate(
                regexp_replace(
                    regexp_replace(
                        regexp_replace(lower(doc), '([a-z]{2})ies\b', '\1y', 'g'),
                        '\b([a-z]+(?:ss|x))es\b|\b([a-z]{2,}[a-hj-rtv-z])s\b', '\1\2', 'g'),
                    stop_pattern, ' . ', 'g'),
                '-' || chr(9) || chr(10) || chr(13), '    '),
            ' '),
        lambda x: len(x) >= 2 OR x = '.');

CREATE OR REPLACE TEMP MACRO topic_terms_from_tokens(toks, with_bigrams) AS
    CASE WHEN with_bigrams
        THEN list_filter(toks, lambda x: x <> '.')
             || list_filter(
                    list_transform(toks[2:],
                        lambda x, i: CASE WHEN x <> '.' AND toks[i] <> '.' THEN toks[i] || ' ' || x END),
                    lambda y: y IS NOT NULL)
        ELSE list_filter(toks, lambda x: x <> '.')
    END;
