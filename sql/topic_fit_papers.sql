-- topic_fit_papers: the deterministic sample of papers the topic model is fitted on: the $sample_size papers
-- with the smallest md5(paper_id) (a uniform, run-independent choice that mostly survives adding papers).
-- When the corpus is no larger than $sample_size this is every paper.
SELECT paper_id, coalesce(title, '') AS title, coalesce(abstract, '') AS abstract
FROM papers
ORDER BY md5(paper_id), paper_id
LIMIT $sample_size
