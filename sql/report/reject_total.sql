-- report/reject_total: rejected lines.
SELECT count(*) AS n FROM rejects
