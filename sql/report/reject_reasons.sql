-- report/reject_reasons: rejected lines and files per reason.
SELECT coalesce(reason, '(none)') AS reason, count(*) AS n, count(DISTINCT source_file) AS files
FROM rejects
GROUP BY ALL
ORDER BY n DESC, reason
