-- topic_tokenizer: NOT a derived table. Defines the temp macros every topic SQL file uses, so the tokenisation
-- rules live in one place. Run once per connection before the other topic SQL.
--
-- Words are maximal runs of the letters a-z of the lower-cased text. Whitespace and hyphens join words
-- ("kv-cache" = "kv cache"); any other character (digits, punctuation, non-ASCII letters) is a break, and so
-- is every stop phrase ("state of the art", "in this paper", ...), matched in any plural spelling.
-- Stop WORDS and single letters are not removed here: they stay in the token list so that they still separate
-- their neighbours, and every unigram/bigram containing one is dropped by the callers (paper_terms.sql keeps
-- none in the vocabulary; the scorer looks up only vocabulary spellings), which is the same as
-- turning them into breaks. One cheap regexp pass per document, no giant stop-word alternation.
--
-- topic_raw_tokens(doc, break_pattern) -> VARCHAR[]: the words of doc, unfolded, in text order, with '.' for
--   each break. $break_pattern is bound by the caller (model.py: break_pattern()).
-- topic_fold(word) -> VARCHAR: plural folding of one word: "memories" -> "memory", "classes" -> "class",
--   "boxes" -> "box", "models" -> "model"; not after i/s/u ("analysis", "class", "status" stay); words of
--   fewer than 4 letters stay.
-- topic_terms_from_tokens(toks, with_bigrams) -> VARCHAR[]: every word, plus (if with_bigrams) every pair of
--   adjacent words not separated by a break, joined by one space ("kv cache", "continual learning").
CREATE OR REPLACE TEMP MACRO topic_raw_tokens(doc, break_pattern) AS
    list_filter(
        string_split(
            translate(regexp_replace(lower(doc), break_pattern, ' . ', 'g'), '-' || chr(9) || chr(10) || chr(13),
                      '    '),
            ' '),
        lambda x: x <> '');

CREATE OR REPLACE TEMP MACRO topic_fold(w) AS
    CASE
        WHEN length(w) >= 5 AND suffix(w, 'ies') THEN left(w, -3) || 'y'
        WHEN (length(w) >= 5 AND suffix(w, 'sses')) OR (length(w) >= 4 AND suffix(w, 'xes')) THEN left(w, -2)
        WHEN length(w) >= 4 AND suffix(w, 's') AND w[-2:-2] NOT IN ('i', 's', 'u') THEN left(w, -1)
        ELSE w
    END;

CREATE OR REPLACE TEMP MACRO topic_terms_from_tokens(toks, with_bigrams) AS
    list_filter(toks, lambda x: x <> '.')
    || CASE WHEN with_bigrams
            THEN [p[1] || ' ' || p[2] FOR p IN list_zip(toks[:-2], toks[2:]) IF p[1] <> '.' AND p[2] <> '.']
            ELSE []::VARCHAR[]
       END;

