-- report/categories: every category with its number of distinct papers, largest first.
SELECT c.category_id, c.name, c.description, coalesce(n.papers, 0) AS papers
FROM categories c
LEFT JOIN (
    SELECT category_id, count(DISTINCT paper_id) AS papers FROM paper_categories GROUP BY ALL
) n USING (category_id)
ORDER BY papers DESC, c.category_id
