-- Every place a paper was seen: one row per (paper, file, title line), duplicates included.
SELECT paper_id, source_file, source_line AS line_number, abstract_line, duplicate AS duplicate_in_file
FROM sightings
ORDER BY paper_id, source_file, line_number
