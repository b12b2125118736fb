-- paper_topic_scores (fit-sample route): the rows the scorer (assets/topics/scoring.py) gives the papers of the
-- fit sample, computed from their TF-IDF vectors already in paper_term_weights instead of tokenising them again
-- (the same numbers: same tokenizer, vocabulary and idf; tests check both ways). Appended by model.py to
-- paper_topic_scores for the papers of topic_score_fit_input(paper_id); topic_model_terms as there.
SELECT w.paper_id, m.topic_id, round(sum(w.weight * m.weight), 9) AS score
FROM paper_term_weights AS w
JOIN topic_model_terms AS m USING (term_id)
SEMI JOIN topic_score_fit_input USING (paper_id)
GROUP BY w.paper_id, m.topic_id
