-- category_metrics: one row per category over the papers assigned to it (a paper may be in several).
-- Inputs: papers, paper_metrics, claims, paper_categories(paper_id, category_id, matched_terms),
--         categories(category_id, name, ...).
-- Caller runs: CREATE TABLE category_metrics AS <this SELECT>.
WITH members AS (
    SELECT DISTINCT pc.category_id, pm.*
    FROM paper_categories AS pc
    JOIN papers AS p USING (paper_id)
    JOIN paper_metrics AS pm USING (paper_id)
)
SELECT
    c.category_id,
    c.name,
    count(m.paper_id)::BIGINT AS papers,
    median(m.abstract_words) AS median_abstract_words,
    count(m.paper_id) FILTER (WHERE m.claims > 0)::BIGINT AS papers_with_claims,
    CASE WHEN count(m.paper_id) = 0 THEN NULL
         ELSE (count(m.paper_id) FILTER (WHERE m.claims > 0))::DOUBLE / count(m.paper_id) END AS share_with_claims,
    coalesce(sum(m.claims), 0)::BIGINT AS claims,
    median(m.max_speedup_x) AS median_speedup_x,
    max(m.max_speedup_x) AS max_speedup_x,
    median(m.max_memory_reduction_pct) AS median_memory_reduction_pct,
    max(m.max_memory_reduction_pct) AS max_memory_reduction_pct,
    count(m.paper_id) FILTER (WHERE m.has_code_link)::BIGINT AS papers_with_code
FROM categories AS c
LEFT JOIN members AS m ON m.category_id = c.category_id
GROUP BY c.category_id, c.name
ORDER BY c.category_id
