-- One row per distinct paper: the latest sighting's text wins (later file by modification time,
-- then name; later line within a file), so a revised dump updates the abstract.
-- Inputs: table `sightings` (every title/abstract pair seen) and `file_order(source_file, file_rank)`.
WITH ranked AS (
    SELECT s.*, f.file_rank
    FROM sightings AS s
    JOIN file_order AS f USING (source_file)
)
SELECT
    paper_id,
    arg_max(title, (file_rank, source_line)) AS title,
    arg_max(abstract, (file_rank, source_line)) AS abstract,
    arg_max(source_file, (file_rank, source_line)) AS source_file,
    arg_max(source_line, (file_rank, source_line)) AS source_line,
    count(*) AS sightings,
    count(DISTINCT source_file) AS source_files,
    $parser_version AS parser_version
FROM ranked
GROUP BY paper_id
ORDER BY paper_id
