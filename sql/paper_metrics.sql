-- paper_metrics: one row per paper, from `papers` and `claims`.
-- Caller runs: CREATE TABLE paper_metrics AS <this SELECT>.
-- Claim aggregates use the claims vocabulary of assets/metrics/claims.py:
--   max_speedup_x            = max value of claims with unit 'x' and kind 'speed'
--   max_memory_reduction_pct = max value of 'percent' memory claims with direction 'decrease'
--   max_memory_reduction_x   = max value of 'x' memory claims with direction 'decrease', and of byte from-to
--                              decreases ("from 42GB to 11GB": value 42, low 11) as value / low
--   max_accuracy_gain        = max value of 'percent'/'points' accuracy claims with direction 'increase'
--   max_context_tokens       = max tokens claim (value expanded by unit_scale K/M/B/T)
WITH claim_agg AS (
    SELECT
        paper_id,
        count(*) AS claims,
        count(DISTINCT kind) AS claim_kinds,
        max(value) FILTER (WHERE unit = 'x' AND kind = 'speed') AS max_speedup_x,
        max(value) FILTER (WHERE unit = 'percent' AND kind = 'memory' AND direction = 'decrease')
            AS max_memory_reduction_pct,
        max(CASE WHEN unit = 'bytes' THEN value / low ELSE value END)
            FILTER (WHERE kind = 'memory' AND direction = 'decrease' AND (unit = 'x' OR (unit = 'bytes' AND low > 0)))
            AS max_memory_reduction_x,
        max(value) FILTER (WHERE kind = 'accuracy' AND unit IN ('percent', 'points') AND direction = 'increase')
            AS max_accuracy_gain,
        max(value * CASE unit_scale WHEN 'K' THEN 1e3 WHEN 'M' THEN 1e6 WHEN 'B' THEN 1e9 WHEN 'T' THEN 1e12 ELSE 1 END)
            FILTER (WHERE unit = 'tokens') AS max_context_tokens
    FROM claims
    GROUP BY paper_id
),
base AS (
    SELECT
        p.paper_id,
        coalesce(p.title, '') AS title,
        coalesce(p.abstract, '') AS abstract,
        nullif(rtrim(regexp_extract(coalesce(p.abstract, ''),
            '(?:https?://)?(?:www\.)?(?:github\.com|gitlab\.com|gitlab\.[a-z0-9.-]+|huggingface\.co)/[^\s\]\)\}\{>,;"''<]+'),
            '.'), '') AS code_url
    FROM papers AS p
)
SELECT
    b.paper_id,
    len(regexp_extract_all(b.title, '\S+'))::BIGINT AS title_words,
    len(regexp_extract_all(b.abstract, '\S+'))::BIGINT AS abstract_words,
    length(b.abstract)::BIGINT AS abstract_chars,
    CASE WHEN trim(b.abstract) = '' THEN 0
         ELSE greatest(1, len(regexp_extract_all(b.abstract, '[.!?]+(?:\s+[A-Z(\["]|\s*$)')))
    END::BIGINT AS sentences,
    coalesce(c.claims, 0)::BIGINT AS claims,
    coalesce(c.claim_kinds, 0)::BIGINT AS claim_kinds,
    (b.code_url IS NOT NULL) AS has_code_link,
    b.code_url,
    len(list_distinct(regexp_extract_all(b.abstract, '\b[A-Z][A-Z0-9]*[A-Z][A-Z0-9]*\b')))::BIGINT AS acronyms,
    c.max_speedup_x,
    c.max_memory_reduction_pct,
    c.max_memory_reduction_x,
    c.max_accuracy_gain,
    c.max_context_tokens
FROM base AS b
LEFT JOIN claim_agg AS c USING (paper_id)
ORDER BY b.paper_id
