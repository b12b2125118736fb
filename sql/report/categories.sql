-- report/categories: every category with its number of distinct papers, largest first. paper_categories'
-- key (paper_id, category_id) is unique (the release checks it), so a category's rows count its distinct
-- papers: count(paper_id) instead of count(DISTINCT paper_id), which hashed 4M ids at 1M papers.
SELECT c.category_id, c.name, c.description, coalesce(n.papers, 0) AS papers
FROM categories c
LEFT JOIN (
    SELECT category_id, count(paper_id) AS papers FROM paper_categories GROUP BY ALL
) n USING (category_id)
ORDER BY papers DESC, c.category_id
