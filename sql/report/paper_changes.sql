-- The papers this release added, updated and removed (at most $per_change of each), titles from the
-- release's papers (a removed paper has none there: its id is shown).
SELECT d.change, d.paper_id, p.title, d.changed_fields
FROM paper_diff AS d
LEFT JOIN papers AS p USING (paper_id)
QUALIFY row_number() OVER (PARTITION BY d.change ORDER BY p.title NULLS LAST, d.paper_id) <= $per_change
ORDER BY CASE d.change WHEN 'added' THEN 0 WHEN 'updated' THEN 1 ELSE 2 END, p.title NULLS LAST, d.paper_id
