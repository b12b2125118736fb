-- category_metrics: one row per category over the papers assigned to it (a paper may be in several).
-- Inputs: papers, paper_metrics, claims, paper_categories(paper_id, category_id, matched_terms),
--         categories(category_id, name, ...).
-- Caller runs: CREATE TABLE category_metrics AS <this SELECT>.
-- A paper counts once per category: paper_categories holds a (paper, category) pair at most once (its SQL groups
-- by the pair; the blocking check paper_category_pair_unique stops the run before this when it does not), and
-- paper_metrics one row per paper, so no DISTINCT (0.8 s CPU over the 4M pairs of a 1M corpus) is needed.
WITH members AS (
    SELECT pc.category_id, pm.paper_id, pm.abstract_words, pm.claims, pm.max_speedup_x,
           pm.max_memory_reduction_pct, pm.has_code_link
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
