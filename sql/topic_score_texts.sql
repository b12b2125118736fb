-- topic_score_texts: each paper's text as the scorer (assets/topics/scoring.py) splits it: title + ' . ' +
-- abstract lower-cased, every break ($break_pattern: stop phrases and runs of characters other than a-z,
-- whitespace and hyphens) turned into ' . ', hyphens into spaces; so its words are the runs of a-z between
-- whitespace, and '.' marks a break (topic_raw_tokens in topic_tokenizer.sql gives the same tokens); a last
-- ' . ' ends every text with a break, so no bigram spans two texts.
-- Source: topic_score_input(paper_id, title, abstract). Parameter: $break_pattern VARCHAR.
SELECT paper_id,
       replace(regexp_replace(lower(coalesce(title, '') || ' . ' || coalesce(abstract, '')), $break_pattern,
                              ' . ', 'g'), '-', ' ') || ' . ' AS text
FROM topic_score_input
