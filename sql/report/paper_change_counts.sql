-- How many papers this release added, updated and removed.
SELECT change, count(*) AS n FROM paper_diff GROUP BY change
