-- report/reject_examples: the first $per_reason rejected lines of each reason.
SELECT coalesce(reason, '(none)') AS reason, source_file, line_number, raw
FROM rejects
QUALIFY row_number() OVER (PARTITION BY reason ORDER BY source_file, line_number) <= $per_reason
ORDER BY reason, source_file, line_number
