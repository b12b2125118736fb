-- report/claim_factors: the speed and memory claims drawn in the report, as a factor (key = kind),
-- with the claiming paper's primary topic.
--   speed:  unit 'x', value > 0; the factor is the value.
--   memory: not an increase; unit 'x' with value > 0 (factor = value), or unit 'percent' with
--           0 < value < 100, as a factor: "75% less memory" -> 1 / (1 - 0.75) = 4, or a byte
--           "from A to B" decrease (value A, low B): factor = value / low ("from 42GB to 11GB" -> 3.8).
--   Parameter counts have their own kind ('parameters') and are not memory claims.
CREATE OR REPLACE TEMP TABLE claim_factors AS
SELECT c.kind AS key, c.paper_id, c.claim_index,
       CASE WHEN c.kind = 'memory' AND c.unit = 'percent' THEN 100.0 / (100.0 - c.value)
            WHEN c.kind = 'memory' AND c.unit = 'bytes' THEN c.value / c.low
            ELSE c.value END AS factor,
       pt.topic_id
FROM claims c
JOIN paper_topics pt ON pt.paper_id = c.paper_id AND pt.is_primary
WHERE (c.kind = 'speed' AND c.unit = 'x' AND c.value > 0)
   OR (c.kind = 'memory' AND coalesce(c.direction, '') <> 'increase'
       AND ((c.unit = 'x' AND c.value > 0) OR (c.unit = 'percent' AND c.value > 0 AND c.value < 100)
            OR (c.unit = 'bytes' AND c.direction = 'decrease' AND c.low > 0)))
