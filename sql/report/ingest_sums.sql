-- report/ingest_sums: corpus totals over every source file.
SELECT count(*) AS files, sum(papers) AS papers, sum(lines) AS lines,
       count(*) FILTER (WHERE coalesce(quarantined, false)) AS quarantined
FROM report_ingest_files
