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
texts AS (
    SELECT paper_id, coalesce(title, '') AS title, coalesce(abstract, '') AS abstract FROM papers
),
base AS (
    SELECT
        paper_id,
        title,
        abstract,
        -- the code-link regex (~3 s of CPU over 1M abstracts) only where one of its host names occurs
        CASE WHEN contains(abstract, 'github.com') OR contains(abstract, 'gitlab.') OR contains(abstract, 'huggingface.co')
             THEN nullif(rtrim(regexp_extract(abstract,
                 '(?:https?://)?(?:www\.)?(?:github\.com|gitlab\.com|gitlab\.[a-z0-9.-]+|huggingface\.co)/[^\s\]\)\}\{>,;"''<]+'),
                 '.'), '')
        END AS code_url,
        NOT (contains(title, chr(9)) OR contains(title, chr(10)) OR contains(title, chr(12)) OR contains(title, chr(13))
             OR contains(title, '  ') OR starts_with(title, ' ') OR ends_with(title, ' ')) AS title_plain,
        NOT (contains(abstract, chr(9)) OR contains(abstract, chr(10)) OR contains(abstract, chr(12))
             OR contains(abstract, chr(13)) OR contains(abstract, '  ') OR starts_with(abstract, ' ')
             OR ends_with(abstract, ' ')) AS abstract_plain
    FROM texts
)
SELECT
    b.paper_id,
    -- words: runs of non-whitespace (\S+). A text whose only whitespace is single inner spaces has
    -- spaces + 1 of them, counted without a regex (~5x less CPU on 200k abstracts); any other text is matched.
    CASE WHEN b.title_plain THEN (b.title <> '')::BIGINT + strlen(b.title) - strlen(replace(b.title, ' ', ''))
         ELSE len(regexp_extract_all(b.title, '\S+')) END::BIGINT AS title_words,
    CASE WHEN b.abstract_plain THEN (b.abstract <> '')::BIGINT + strlen(b.abstract) - strlen(replace(b.abstract, ' ', ''))
         ELSE len(regexp_extract_all(b.abstract, '\S+')) END::BIGINT AS abstract_words,
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
