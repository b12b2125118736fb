-- report/ingest_files_view: the release's ingest_files with the columns older releases lack
-- (replaced_bytes, reject_lines, quarantined, quarantine_reason) filled with NULL. The empty relation
-- on the right supplies those columns; UNION ALL BY NAME keeps every real column and row as is.
CREATE OR REPLACE TEMP VIEW report_ingest_files AS
FROM ingest_files
UNION ALL BY NAME
SELECT NULL::BIGINT AS replaced_bytes, NULL::BIGINT AS reject_lines, NULL::BOOLEAN AS quarantined,
       NULL::VARCHAR AS quarantine_reason
WHERE false
