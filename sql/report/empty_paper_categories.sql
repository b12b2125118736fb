-- report/empty_paper_categories: registered as the paper_categories view when the release has none,
-- so every category counts 0 papers.
SELECT NULL::VARCHAR AS paper_id, NULL::VARCHAR AS category_id, NULL::VARCHAR[] AS matched_terms
WHERE false
