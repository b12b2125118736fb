-- paper_categories: every (paper, category) where at least one of the category's keywords/phrases occurs as
-- a whole word/phrase in the lower-cased title + abstract. Rules come from the registered Arrow table
-- taxonomy_rules(category_id, keyword, pattern); pattern is the keyword as a whole-word regex.
-- matched_terms: the matching keywords, sorted.
--
-- Same result as `regexp_matches(doc, pattern)` for every (paper, rule), without compiling a regex per row:
-- a keyword (words of [a-z0-9] joined by single spaces) matches `\bw1[\s\-]+w2\b` iff each word is a whole
-- run of RE2 word characters [0-9A-Za-z_] and the gaps between them hold only whitespace/hyphens. `doc`
-- below turns every other non-word character into a ' | ' barrier and every whitespace/hyphen run into one
-- space, so the keyword matches iff ' ' || keyword || ' ' occurs in it. Candidate rules per paper: the distinct
-- words of its doc that are some keyword's first word, found by one regex per doc ($first_word_pattern, bound
-- by taxonomy.py: `\b(?:w1|w2|...)\b` over the rules' first words; the doc's words are whole runs of word
-- characters, so this finds exactly the words equal to a first word), joined to the rules (a small table).
WITH docs AS (
    SELECT paper_id,
           ' ' || regexp_replace(
                     regexp_replace(lower(coalesce(title, '') || ' . ' || coalesce(abstract, '')),
                                    '[^0-9A-Za-z_\s\-]+', ' | ', 'g'),
                     '[\s\-]*[\t\n\f\r\-][\s\-]*| {2,}', ' ', 'g') || ' ' AS doc
    FROM papers
), words AS (
    SELECT paper_id, doc, unnest(list_distinct(regexp_extract_all(doc, $first_word_pattern))) AS word
    FROM docs
), rules AS (
    SELECT category_id, keyword, split_part(keyword, ' ', 1) AS first_word
    FROM taxonomy_rules
)
SELECT w.paper_id, r.category_id, list_sort(list_distinct(list(r.keyword))) AS matched_terms
FROM words AS w
JOIN rules AS r ON w.word = r.first_word
WHERE r.keyword = r.first_word OR contains(w.doc, ' ' || r.keyword || ' ')
GROUP BY w.paper_id, r.category_id
ORDER BY w.paper_id, r.category_id
