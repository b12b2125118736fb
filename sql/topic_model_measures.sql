-- topic_model_measures: one row, the numbers the refit criteria read (assets/topics/lifecycle.py): papers; papers
-- whose text was not in the corpus the model was fitted on (not scored at the fit: new or changed since);
-- papers whose best score is below $weak_score (unassigned or weakly assigned; counted among scored papers);
-- papers scored in this run and reused from the cache.
SELECT count(*) AS papers,
       count(*) FILTER (WHERE s.at_fit IS NOT TRUE) AS added_since_fit,
       count(*) FILTER (WHERE s.score < $weak_score) AS weakly_assigned,
       count(*) FILTER (WHERE s.scored_now) AS papers_scored,
       count(*) FILTER (WHERE NOT s.scored_now) AS papers_reused
FROM paper_topic_contents AS c
LEFT JOIN (SELECT * FROM topic_scores WHERE is_primary) AS s USING (content_hash)
