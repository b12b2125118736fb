-- topic_term_ctfidf: class-based TF-IDF (c-TF-IDF, as in BERTopic) of vocabulary terms per topic, over the
-- fit sample's primary assignments: weight = (tf of term in topic / terms in topic) * ln(1 + A / tf of term
-- in all topics), A = average number of term occurrences per topic. Terms frequent in every topic (the
-- dump's dominant vocabulary) get a low class factor, so labels show what sets a topic apart.
-- Inputs: paper_terms, term_stats, topic_fit_assignments(paper_id, topic_id) (primary topic per paper).
WITH class_tf AS (
    SELECT a.topic_id, pt.term, sum(pt.tf) AS tf
    FROM paper_terms AS pt
    JOIN term_stats AS ts USING (term)
    JOIN topic_fit_assignments AS a USING (paper_id)
    GROUP BY a.topic_id, pt.term
), class_size AS (
    SELECT topic_id, sum(tf) AS n_terms FROM class_tf GROUP BY topic_id
), term_total AS (
    SELECT term, sum(tf) AS f_t FROM class_tf GROUP BY term
), avg_size AS (
    SELECT avg(n_terms) AS a FROM class_size
)
SELECT c.topic_id, c.term, c.tf,
       (c.tf / s.n_terms) * ln(1 + avg_size.a / t.f_t) AS weight
FROM class_tf AS c
JOIN class_size AS s USING (topic_id)
JOIN term_total AS t USING (term)
CROSS JOIN avg_size
