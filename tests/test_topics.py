"""Topic stage: tokenizer, term statistics, clustering tables, stability, taxonomy (tiny DuckDB corpora)."""

import dataclasses
from pathlib import Path

import duckdb
import pyarrow as pa
import pytest

from assets.core.sql import load_sql
from tools.evaluate_topics import DEFAULT_DUMP, parse_dump
from assets.topics.model import (TopicSettings, break_pattern, build_topics, fold_word, load_stopwords,
                                  raw_forms, stop_word_pattern)
from assets.topics.taxonomy import TaxonomyError, apply_taxonomy, load_taxonomy

SMALL = TopicSettings(min_df=2, min_topics=2, max_topics=4, k_candidates=2, min_papers_per_topic=3,
                      memory_limit="1GB")

AREAS = {
    "kv": ("KV cache compression for long context inference",
           "We compress the KV cache of transformers so that long context inference fits on one GPU. "
           "The KV cache grows with long context; quantized KV cache entries cut memory."),
    "cl": ("Continual learning without catastrophic forgetting",
           "Continual learning suffers from catastrophic forgetting. We use rehearsal buffers and "
           "regularisation so that continual learning keeps old classes."),
    "rl": ("Reinforcement learning agents with episodic memory",
           "Reinforcement learning agents store episodic memory of rewards. The policy reads episodic "
           "memory to plan in partially observed environments with sparse rewards."),
}


def corpus(n_per_area: int = 6, extra: int = 0) -> pa.Table:
    ids, titles, abstracts = [], [], []
    for area, (t, a) in AREAS.items():
        for i in range(n_per_area + extra):
            ids.append(f"{area}{i:03d}memory")
            titles.append(f"{t} variant {chr(97 + i % 26)}{i} memory")
            abstracts.append(f"{a} Memory matters {i}.")
    return pa.table({"paper_id": ids, "title": titles, "abstract": abstracts})


def connect(papers: pa.Table) -> duckdb.DuckDBPyConnection:
    con = duckdb.connect()
    con.register("papers_arrow", papers)
    con.execute("CREATE TABLE papers AS SELECT * FROM papers_arrow")
    return con


def terms_of(text: str, bigrams: bool = True) -> list[str]:
    """The terms paper_terms.sql counts for one text, in text order (unigrams, then bigrams)."""
    con = duckdb.connect()
    con.execute(load_sql("topic_tokenizer"))
    words = load_stopwords()
    return con.execute("""
        SELECT topic_terms_from_tokens(list_transform(
                   list_transform(topic_raw_tokens($text, $breaks), lambda x: topic_fold(x)),
                   lambda x: CASE WHEN regexp_full_match(x, $stops) THEN '.' ELSE x END), $bigrams)""",
        {"text": text, "breaks": break_pattern(words), "stops": stop_word_pattern(words), "bigrams": bigrams}
    ).fetchone()[0]


def dump_tables(con) -> dict:
    return {t: con.execute(f"SELECT * FROM {t} ORDER BY ALL").fetchall()
            for t in ("topics", "paper_topics", "topic_terms", "topic_lineage")}


def test_tokenizer_lowercases_drops_stopwords_numbers_punctuation():
    terms = terms_of("We PROPOSE a novel method: the KV-Cache (2024) results show 3x gains!", bigrams=False)
    assert terms == ["kv", "cache", "gain"]


def test_bigrams_only_between_adjacent_non_stop_words():
    terms = terms_of("Continual learning of state space models, and kv cache.")
    assert "continual learning" in terms and "state space" in terms and "space model" in terms
    assert "kv cache" in terms
    assert "learning state" not in terms  # "of" breaks the pair
    assert "model kv" not in terms  # punctuation / "and" break the pair


def test_stop_phrases_and_digit_glued_words():
    terms = terms_of("State-of-the-art real worlds memory; in this paper GPT4 models")
    assert terms == ["memory", "gpt", "model"]


def test_plural_folding():
    assert terms_of("memories models classes caches analysis", bigrams=False) == [
        "memory", "model", "class", "cache", "analysis"]


def test_dominant_and_rare_terms_removed():
    con = connect(corpus())
    build_topics(con, SMALL)
    vocab = {r[0] for r in con.execute("SELECT term FROM term_stats").fetchall()}
    assert "memory" not in vocab  # in every paper: above max_df_share
    assert "kv cache" in vocab and "continual learning" in vocab
    assert not any(t.startswith("variant") for t in vocab)
    norms = con.execute("SELECT max(abs(s - 1)) FROM (SELECT sum(weight * weight) s FROM paper_term_weights "
                        "GROUP BY paper_id)").fetchone()[0]
    assert norms < 1e-9


def test_exactly_one_primary_and_sensible_topics():
    papers = corpus()
    con = connect(papers)
    build_topics(con, SMALL)
    rows = con.execute("SELECT paper_id, sum(is_primary::INT) FROM paper_topics GROUP BY paper_id").fetchall()
    assert len(rows) == papers.num_rows and all(n == 1 for _, n in rows)
    # every area ends up in a single topic of its own
    per_area = con.execute("""SELECT substr(paper_id, 1, 2) area, count(DISTINCT topic_id)
                              FROM paper_topics WHERE is_primary GROUP BY area""").fetchall()
    assert all(n == 1 for _, n in per_area)
    assert con.execute("SELECT count(*) FROM topics").fetchone()[0] == 3
    labels = [r[0] for r in con.execute("SELECT label FROM topics").fetchall()]
    assert all("memory" not in lab.split(" / ") for lab in labels)
    assert con.execute("SELECT sum(paper_count) FROM topics").fetchone()[0] == papers.num_rows


def test_paper_without_vocabulary_gets_unassigned_primary():
    papers = corpus()
    extra = pa.table({"paper_id": ["zzz"], "title": ["The"], "abstract": ["We propose a novel method."]})
    con = connect(pa.concat_tables([papers, extra]))
    build_topics(con, SMALL)
    assert con.execute("SELECT topic_id, is_primary FROM paper_topics WHERE paper_id = 'zzz'").fetchall() == [
        (0, True)]


def test_deterministic_two_runs():
    a, b = connect(corpus()), connect(corpus())
    build_topics(a, SMALL)
    build_topics(b, SMALL)
    assert dump_tables(a) == dump_tables(b)


def test_ids_stable_when_papers_added():
    settings = dataclasses.replace(SMALL, min_topics=3, max_topics=3)
    con = connect(corpus())
    build_topics(con, settings)
    before = dict(con.execute("SELECT paper_id, topic_id FROM paper_topics WHERE is_primary").fetchall())
    prev_terms = con.sql("SELECT * FROM topic_terms").to_arrow_table()
    # 4 more "rl" papers: rl becomes the largest topic, which would renumber it without stability matching
    big = corpus(6, 4)
    keep = [p[:2] == "rl" or int(p[2:5]) < 6 for p in big["paper_id"].to_pylist()]
    con2 = connect(big.filter(pa.array(keep)))
    build_topics(con2, settings, previous_topic_terms=prev_terms)
    after = dict(con2.execute("SELECT paper_id, topic_id FROM paper_topics WHERE is_primary").fetchall())
    assert all(after[p] == t for p, t in before.items())
    lineage = con2.execute("SELECT topic_id, previous_topic_id, status FROM topic_lineage").fetchall()
    assert all(s == "matched" and t == p for t, p, s in lineage)


def test_new_topic_gets_id_above_previous_max():
    con = connect(corpus())
    build_topics(con, SMALL)
    prev = con.sql("SELECT * FROM topic_terms WHERE topic_id <> (SELECT max(topic_id) FROM topics)"
                   ).to_arrow_table()
    prev_max = max(prev["topic_id"].to_pylist())
    con2 = connect(corpus())
    build_topics(con2, SMALL, previous_topic_terms=prev)
    lineage = con2.execute("SELECT topic_id, previous_topic_id, status FROM topic_lineage").fetchall()
    new = [t for t, p, s in lineage if s == "new"]
    assert len(new) == 1 and new[0] > prev_max


def test_sample_dump_topics_balanced():
    con = connect(parse_dump(DEFAULT_DUMP))
    build_topics(con, dataclasses.replace(SMALL, min_topics=4, max_topics=12, k_candidates=3,
                                          min_papers_per_topic=10))
    assert con.execute("SELECT count(*) FROM papers").fetchone()[0] == 210
    assert con.execute("SELECT max(share) FROM topics WHERE topic_id <> 0").fetchone()[0] <= 0.40
    assert con.execute("SELECT count(*) FROM term_stats WHERE term = 'memory'").fetchone()[0] == 0


def test_taxonomy_matching_whole_words_and_phrases():
    papers = pa.table({"paper_id": ["a", "b", "c"],
                       "title": ["KV-cache compression", "Graphical models", "Continual Learning in RL"],
                       "abstract": ["Long context inference.", "We study graphics.", "Catastrophic forgetting."]})
    con = connect(papers)
    apply_taxonomy(con)
    got = {(p, c): m for p, c, m in con.execute("SELECT * FROM paper_categories").fetchall()}
    assert got[("a", "systems_efficiency")] == ["kv cache"]
    assert got[("a", "long_context")] == ["long context"]
    assert not any(p == "b" for p, _ in got)  # "graph" must not match inside "graphical"
    assert got[("c", "continual_learning")] == ["catastrophic forgetting", "continual learning", "forgetting"]
    assert ("c", "rl") in got
    version = con.execute("SELECT DISTINCT taxonomy_version FROM categories").fetchall()
    assert version == [(load_taxonomy().version,)]


@pytest.mark.parametrize("text, msg", [
    ("categories: [", "not valid YAML"),
    ("version: 1\n", "'categories' must be a non-empty list"),
    ("categories:\n  - id: a\n    name: A\n    keywords: [x]\n", "missing or empty 'version'"),
    ("version: 1\ncategories:\n  - id: Bad Id\n    name: A\n    keywords: [x]\n", "snake_case"),
    ("version: 1\ncategories:\n  - id: a\n    name: A\n    keywords: []\n", "keywords must be a non-empty"),
    ("version: 1\ncategories:\n  - {id: a, name: A, keywords: [x]}\n  - {id: a, name: B, keywords: [y]}\n",
     "duplicate category id"),
])
def test_malformed_taxonomy_errors(tmp_path: Path, text, msg):
    path = tmp_path / "taxonomy.yaml"
    path.write_text(text)
    with pytest.raises(TaxonomyError, match=msg):
        load_taxonomy(path)
    with pytest.raises(TaxonomyError, match="cannot read"):
        load_taxonomy(tmp_path / "missing.yaml")


def test_scoring_by_tokenising_matches_fit_vectors():
    """Fit-sample papers are scored from paper_term_weights, the others by tokenising in
    paper_topic_scores.sql: both routes must give the same scores (same tokenizer, vocabulary, idf)."""
    from assets.topics.model import assign_memberships, score_papers, vectors_table
    import numpy as np
    con = connect(parse_dump(DEFAULT_DUMP))
    settings = dataclasses.replace(SMALL, min_topics=4, max_topics=12, k_candidates=3, min_papers_per_topic=10)
    build_topics(con, settings)
    n_terms = con.execute("SELECT count(*) FROM term_stats").fetchone()[0]
    ids = [r[0] for r in con.execute("SELECT topic_id FROM topics WHERE topic_id <> 0 ORDER BY topic_id").fetchall()]
    h = np.zeros((len(ids), n_terms))
    for tid, j, w in con.execute("SELECT topic_id, term_id, weight FROM topic_terms JOIN term_stats USING (term)"
                                 ).fetchall():
        h[ids.index(tid), j] = w
    pattern = break_pattern(load_stopwords())
    got = {}
    for reuse in (True, False):
        score_papers(con, "papers", vectors_table(h, ids), pattern, settings, 210, reuse_fit_vectors=reuse)
        assign_memberships(con, "paper_topic_memberships", settings)
        got[reuse] = con.execute("SELECT * FROM paper_topic_memberships ORDER BY ALL").fetchall()
    assert len(got[True]) >= 210 and got[True] == got[False]


def test_sql_fold_matches_python_and_raw_forms():
    con = duckdb.connect()
    con.execute(load_sql("topic_tokenizer"))
    words = ["memories", "models", "classes", "boxes", "analysis", "status", "ties", "series", "uses", "xes",
             "gas", "bus", "processes", "caches", "is", "memory", "policy", "policies", "indexes", "class"]
    got = con.execute("SELECT list_transform(?::VARCHAR[], lambda w: topic_fold(w))", [words]).fetchone()[0]
    assert got == [fold_word(w) for w in words]
    assert got[:5] == ["memory", "model", "class", "box", "analysis"]
    for w in ["memory", "model", "class", "box", "policy", "analysis", "process"]:
        sql_forms = con.execute("SELECT topic_raw_forms(?)", [w]).fetchone()[0]
        assert sorted(sql_forms) == sorted(raw_forms(w)) and w in sql_forms
        assert all(fold_word(f) == w for f in sql_forms)
