-- report/claim_texts: the claims of the papers in $paper_ids with the paper's title and abstract
-- (text_claims, text_papers: the claims and papers views over the files that can hold those papers).
SELECT c.paper_id, c.claim_index, c.value, c.low, c.unit, c.kind, c.text, c.span_start, c.span_end,
       p.title, p.abstract
FROM text_claims c
JOIN text_papers p USING (paper_id)
WHERE list_contains($paper_ids, c.paper_id)
