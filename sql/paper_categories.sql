-- paper_categories: every (paper, category) where at least one of the category's keywords/phrases occurs as
-- a whole word/phrase in the lower-cased title + abstract. Rules come from the registered Arrow table
-- taxonomy_rules(category_id, keyword, pattern); pattern is the keyword as a whole-word regex.
-- matched_terms: the matching keywords, sorted. The rules table is small, so the cross join is cheap per paper.
WITH docs AS (
    SELECT paper_id, lower(coalesce(title, '') || ' . ' || coalesce(abstract, '')) AS doc
    FROM papers
)
SELECT d.paper_id, r.category_id, list_sort(list_distinct(list(r.keyword))) AS matched_terms
FROM docs AS d
JOIN taxonomy_rules AS r ON regexp_matches(d.doc, r.pattern)
GROUP BY d.paper_id, r.category_id
ORDER BY d.paper_id, r.category_id
