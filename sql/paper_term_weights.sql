-- paper_term_weights: TF-IDF of the fit sample over the vocabulary, sublinear tf ((1 + ln tf) * idf),
-- L2-normalised per paper (sum of weight^2 = 1 for every paper with at least one vocabulary term).
WITH raw AS (
    SELECT pt.paper_id, ts.term_id, ts.term, (1 + ln(pt.tf)) * ts.idf AS w
    FROM paper_terms AS pt
    JOIN term_stats AS ts USING (term)
), norms AS (
    SELECT paper_id, sqrt(sum(w * w)) AS norm FROM raw GROUP BY paper_id
)
SELECT raw.paper_id, raw.term_id, raw.term, raw.w / norms.norm AS weight
FROM raw
JOIN norms USING (paper_id)
