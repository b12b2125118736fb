-- report/ingest_files: one row per source file, quarantined first. $limit: rows returned.
SELECT source_file, papers, lines, encoding, replaced_bytes, reject_lines,
       coalesce(quarantined, false) AS quarantined, quarantine_reason
FROM report_ingest_files
ORDER BY quarantined DESC, source_file
LIMIT $limit
