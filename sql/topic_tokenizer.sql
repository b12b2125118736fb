-- topic_tokenizer: NOT a derived table. Defines the two temp macros every topic SQL file uses, so the
-- tokenisation rules live in one place. Run once per connection before the other topic SQL.
--
-- topic_phrases_of(doc, stop_pattern) -> VARCHAR[][]: lower-cases doc, folds plurals ("memories" -> "memory",
--   "models" -> "model", "classes" -> "class"; not after i/s/u: "analysis", "class", "status" stay), replaces every stop word/phrase,
--   single letter and run of non-letters (digits, punctuation) with a break, and returns the runs of adjacent
--   remaining words (2+ letters; hyphens join words, so "kv-cache" = "kv cache").
--   stop_pattern is a bound parameter built by the caller from assets/topics/stopwords.txt.
-- topic_terms_from_phrases(phrases, with_bigrams) -> VARCHAR[]: every word, plus (if with_bigrams) every pair
--   of adjacent words inside a phrase joined by one space ("kv cache", "continual learning").
CREATE OR REPLACE TEMP MACRO topic_phrases_of(doc, stop_pattern) AS
    list_filter(
        list_transform(
            string_split(
                regexp_replace(
                    regexp_replace(
                        regexp_replace(lower(doc), '([a-z]{2})ies\b', '\1y', 'g'),
                        '\b([a-z]+(?:ss|x))es\b|\b([a-z]{2,}[a-hj-rtv-z])s\b', '\1\2', 'g'),
                    stop_pattern, '.', 'g'),
                '.'),
            lambda ph: regexp_extract_all(ph, '[a-z]{2,40}')),
        lambda ws: len(ws) > 0);

CREATE OR REPLACE TEMP MACRO topic_terms_from_phrases(phrases, with_bigrams) AS
    CASE WHEN with_bigrams
        THEN flatten(phrases) || flatten(list_transform(phrases,
                 lambda ws: list_transform(range(1, len(ws)), lambda i: ws[i] || ' ' || ws[i + 1])))
        ELSE flatten(phrases)
    END;
