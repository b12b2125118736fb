"""Topic stage: tokenizer, term statistics, clustering tables, stability, taxonomy (tiny DuckDB corpora)."""

import dataclasses
import shutil
import json
from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq
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
    assets/topics/scoring.py: both routes must give the same scores (same tokenizer, vocabulary, idf)."""
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
        score_papers(con, "papers", vectors_table(h, ids), pattern, settings, reuse_fit_vectors=reuse)
        assign_memberships(con, "paper_topic_memberships", settings)
        got[reuse] = con.execute("SELECT * FROM paper_topic_memberships ORDER BY ALL").fetchall()
    assert len(got[True]) >= 210 and got[True] == got[False]


EDGE_TEXTS = [  # (title, abstract): hyphens, tabs, non-ASCII letters, digits, stop phrases, plurals, NULLs
    ("KV-cache compression", "KV caches\tand kv-CACHE memories; state of the art memory policies."),
    ("  naïve Bayes memory", "Naïve bayes models: GPT4 models, 3D boxes, analysis of classes and processes."),
    ("", None),
    ("Continual learning", "continual   learning in this paper: continual-learning -- catastrophic episodic"),
    ("Memory memory memory", "episodic memory episodic memories episodic-memory\n\rreplay buffers"),
    ("x y z", "a b c . . ."),
]


def test_scorer_counts_the_terms_the_fit_tokenizer_counts():
    """The scorer's term counts (raw words looked up among the vocabulary's raw spellings, bigrams of adjacent
    words, an unknown word breaking a pair) equal the counts of paper_terms.sql's tokenizer (fold, stop words),
    for every vocabulary term, on texts with the tokenizer's edge cases."""
    from collections import Counter
    from assets.topics.model import configure, vectors_table
    from assets.topics.scoring import TermIndex, term_counts
    import numpy as np
    docs = [f"{t or ''} . {a or ''}" for t, a in EDGE_TEXTS]
    counted = [Counter(terms_of(d)) for d in docs]
    terms = sorted({t for c in counted for t in c})
    # keep every bigram but drop a few unigrams: a bigram is found without its words being unigram terms
    vocab = [t for t in terms if " " in t or t not in {"kv", "episodic", "continual"}] + ["unseen term"]
    vocab.sort()
    assert "kv cache" in vocab and "episodic memory" in vocab and "kv" not in vocab
    vocabulary = pa.table({"term_id": pa.array(range(len(vocab)), pa.int32()), "term": vocab,
                           "idf": [1.0] * len(vocab), "is_bigram": [" " in t for t in vocab]})
    index = TermIndex.build(vocabulary, vectors_table(np.ones((1, len(vocab))), [1]))
    con = duckdb.connect()
    configure(con, SMALL)
    con.register("topic_score_input", pa.table({"paper_id": [str(i) for i in range(len(EDGE_TEXTS))],
                                                "title": [t for t, _ in EDGE_TEXTS],
                                                "abstract": [a for _, a in EDGE_TEXTS]}))
    texts = con.sql(load_sql("topic_score_texts"), params={"break_pattern": break_pattern(load_stopwords())}
                    ).order("paper_id").to_arrow_table().column("text")
    counts = term_counts(texts.combine_chunks(), index, with_bigrams=True).toarray()
    for i, expected in enumerate(counted):
        got = {vocab[j]: int(counts[i, j]) for j in np.flatnonzero(counts[i])}
        assert got == {t: n for t, n in expected.items() if t in vocab}, EDGE_TEXTS[i]
    assert counts[0, vocab.index("kv cache")] == 3 and counts[4, vocab.index("episodic memory")] == 3
    assert counts[3, vocab.index("episodic memory")] == 0  # the next text starts with "memory"


def test_scores_do_not_depend_on_the_batch_size():
    """Papers are tokenised and scored `score_batch_size` at a time: any batch size gives the same rows."""
    from assets.topics.model import score_papers, vectors_table
    from assets.topics.model_store import load_current
    import tempfile
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "topic_model"
        dump = parse_dump(DEFAULT_DUMP)
        refresh(root, dump, DUMP_SETTINGS)
        stored, _, _ = load_current(root)
    got = []
    for size in (7, 10_000):
        con = duckdb.connect()
        con.from_arrow(stored.model.vocabulary).create("term_stats")
        con.register("to_score", dump)
        settings = dataclasses.replace(DUMP_SETTINGS, score_batch_size=size)
        score_papers(con, "to_score", stored.model.vectors(), stored.model.break_pattern, settings,
                     reuse_fit_vectors=False)
        got.append(con.execute("SELECT * FROM paper_topic_scores ORDER BY ALL").fetchall())
    assert len(got[0]) > dump.num_rows and got[0] == got[1]


def test_scorer_keeps_every_row_the_assignment_can_pick():
    """The scorer keeps each paper's 1 + max_secondary best scores and those tied with the last: the
    memberships are those of all scores, under any numbering of the topics (ties go to the lower id), also
    when identical topic vectors tie on every paper."""
    from assets.topics.model import assign_memberships, configure
    from assets.topics.model_store import load_current
    from assets.topics.scoring import TermIndex, topic_scores
    from collections import Counter
    import tempfile
    dump = parse_dump(DEFAULT_DUMP)
    with tempfile.TemporaryDirectory() as tmp:
        refresh(Path(tmp) / "topic_model", dump, DUMP_SETTINGS)
        stored, _, _ = load_current(Path(tmp) / "topic_model")
    vectors = stored.model.vectors()
    first = vectors.filter(pa.compute.equal(vectors["topic_id"], 1))
    copies = [first.set_column(0, "topic_id", pa.array([100 + c] * first.num_rows, pa.int32())) for c in range(3)]
    vectors = pa.concat_tables([vectors, *copies])  # topics 1, 100, 101, 102 tie on every paper
    con = duckdb.connect()
    configure(con, DUMP_SETTINGS)
    con.register("topic_score_input", dump)
    texts = con.sql(load_sql("topic_score_texts"), params={"break_pattern": stored.model.break_pattern}
                    ).to_arrow_table()
    index = TermIndex.build(stored.model.vocabulary, vectors)
    con.from_arrow(texts.select(["paper_id"])).create_view("topic_scored_papers")
    got = {}
    for keep_best in (0, 1 + DUMP_SETTINGS.max_secondary):
        row, topic_id, score = topic_scores(texts["text"].combine_chunks(), index, True, keep_best)
        rows = pa.table({"paper_id": texts["paper_id"].combine_chunks().take(row), "topic_id": topic_id,
                         "score": score})
        got[keep_best] = [max(Counter(rows["paper_id"].to_pylist()).values()), rows.num_rows]
        for order in ("topic_id", "1000 - topic_id"):
            con.execute("DROP TABLE IF EXISTS paper_topic_scores")
            con.from_arrow(rows).select("paper_id", duckdb.SQLExpression(f"{order} AS topic_id"),
                                        duckdb.SQLExpression("round(score, 9) AS score")).create("paper_topic_scores")
            assign_memberships(con, "paper_topic_memberships", DUMP_SETTINGS)
            got[keep_best].append(con.execute("SELECT * FROM paper_topic_memberships ORDER BY ALL").fetchall())
    assert got[0][2:] == got[3][2:] and got[0][2] != got[0][3]
    assert got[3][0] >= 4 and got[3][1] < got[0][1] / 2  # tied rows past the third are kept, most others not


def test_sql_fold_matches_python_and_raw_forms():
    con = duckdb.connect()
    con.execute(load_sql("topic_tokenizer"))
    words = ["memories", "models", "classes", "boxes", "analysis", "status", "ties", "series", "uses", "xes",
             "gas", "bus", "processes", "caches", "is", "memory", "policy", "policies", "indexes", "class"]
    got = con.execute("SELECT list_transform(?::VARCHAR[], lambda w: topic_fold(w))", [words]).fetchone()[0]
    assert got == [fold_word(w) for w in words]
    assert got[:5] == ["memory", "model", "class", "box", "analysis"]
    for w in ["memory", "model", "class", "box", "policy", "analysis", "process"]:
        # the scorer looks raw words up among raw_forms: exactly the spellings the SQL fold maps to w
        spellings = [w, w + "s", w + "es", w + "ies", w[:-1] + "ies", w + "xes", w + "ses"]
        folded = con.execute("SELECT list_transform(?::VARCHAR[], lambda c: topic_fold(c))", [spellings]).fetchone()[0]
        assert sorted(raw_forms(w)) == sorted({c for c, f in zip(spellings, folded) if f == w}) and w in raw_forms(w)


# ---------------------------------------------------------------- the model's lifecycle (assets/topics/lifecycle.py)

DUMP_SETTINGS = dataclasses.replace(SMALL, min_topics=4, max_topics=12, k_candidates=3, min_papers_per_topic=10)
THREE = dataclasses.replace(SMALL, min_topics=3, max_topics=3)


def refresh(root: Path, papers: pa.Table, settings: TopicSettings = SMALL, **kwargs):
    """One topic-stage run on `papers` against the model store `root`: (connection, decision, log lines)."""
    from assets.topics.lifecycle import refresh_topics
    con = connect(papers)
    log: list[str] = []
    decision = refresh_topics(con, root, settings, log=log.append, **kwargs)
    return con, decision, log


def primaries(con) -> dict[str, int]:
    return dict(con.execute("SELECT paper_id, topic_id FROM paper_topics WHERE is_primary").fetchall())


def score_under_model(root: Path, papers: pa.Table, settings: TopicSettings) -> list[tuple]:
    """paper_topics rows a scorer gives `papers` under the stored current model, on a fresh connection."""
    from assets.topics.model import assign_memberships, configure, score_papers
    from assets.topics.model_store import load_current
    stored, problem, _ = load_current(root)
    assert problem is None
    con = duckdb.connect()
    configure(con, settings)
    con.from_arrow(stored.model.vocabulary).create("term_stats")
    con.register("to_score", papers)
    score_papers(con, "to_score", stored.model.vectors(), stored.model.break_pattern, settings,
                 reuse_fit_vectors=False)
    assign_memberships(con, "paper_topic_memberships", settings)
    return con.execute("SELECT * FROM paper_topic_memberships ORDER BY ALL").fetchall()


def rows_of(con, ids: list[str]) -> list[tuple]:
    return con.execute("SELECT * FROM paper_topics WHERE list_contains(?, paper_id) ORDER BY ALL", [ids]).fetchall()


def model_files(root: Path) -> dict[str, tuple[int, str]]:
    """(mtime_ns, sha256) of every file of the model store except the decision record."""
    from assets.core.storage import sha256_file
    return {str(p.relative_to(root)): (p.stat().st_mtime_ns, sha256_file(p))
            for p in sorted(root.rglob("*")) if p.is_file() and p.name != "decision.json"}


def test_refresh_assigns_new_papers_with_the_model_and_keeps_existing_rows(tmp_path):
    dump = parse_dump(DEFAULT_DUMP)
    root = tmp_path / "topic_model"
    con1, fitted, _ = refresh(root, dump.slice(0, 180), DUMP_SETTINGS)
    assert fitted["action"] == "fitted" and fitted["reasons"][0]["criterion"] == "no_model"
    con2, assigned, log = refresh(root, dump, DUMP_SETTINGS)
    assert assigned["action"] == "assigned" and assigned["reasons"] == []
    assert assigned["model"]["model_id"] == fitted["model"]["model_id"]
    assert (assigned["papers_scored"], assigned["papers_reused"]) == (30, 180)
    assert assigned["added_share"] == round(30 / 210, 6) and "assigned with model" in log[0]
    old = dump["paper_id"].to_pylist()[:180]
    new = dump["paper_id"].to_pylist()[180:]
    assert rows_of(con2, old) == rows_of(con1, old)
    # the new papers get what a scorer gives them under the model, and so would every paper (one rule)
    assert rows_of(con2, new) == score_under_model(root, dump.slice(180), DUMP_SETTINGS)
    assert con2.execute("SELECT * FROM paper_topics ORDER BY ALL").fetchall() == score_under_model(
        root, dump, DUMP_SETTINGS)
    counted = con2.execute("SELECT sum(paper_count) FROM topics").fetchall()[0][0]
    assert counted == 210 and con2.execute("SELECT * FROM topic_terms ORDER BY ALL").fetchall() == \
        con1.execute("SELECT * FROM topic_terms ORDER BY ALL").fetchall()


def test_refresh_reads_only_the_texts_it_scores_from_the_papers_file(tmp_path):
    """papers_file (as the pipeline passes it): only the unscored papers' texts are read from the file, and
    the rows and counts equal those of the join over every paper's text."""
    dump = parse_dump(DEFAULT_DUMP)
    refresh(tmp_path / "a", dump.slice(0, 180), DUMP_SETTINGS)
    shutil.copytree(tmp_path / "a", tmp_path / "b")
    pq.write_table(dump, tmp_path / "papers.parquet")
    con1, joined, _ = refresh(tmp_path / "a", dump, DUMP_SETTINGS)
    con2, filtered, _ = refresh(tmp_path / "b", dump, DUMP_SETTINGS, papers_file=tmp_path / "papers.parquet")
    assert con2.execute("SELECT count(*) FROM topic_texts").fetchall()[0][0] == 30
    assert con1.execute("SELECT count(*) FROM topic_texts").fetchall()[0][0] == 210
    assert filtered["papers_scored"] == joined["papers_scored"] == 30
    assert {k: filtered[k] for k in ("added_share", "weak_share", "papers_reused")} == \
        {k: joined[k] for k in ("added_share", "weak_share", "papers_reused")}
    for table in ("paper_topics", "topics"):
        assert con2.table(table).order("ALL").fetchall() == con1.table(table).order("ALL").fetchall()


def test_an_assignment_merges_the_changed_papers_rows_into_the_kept_paper_topics(tmp_path):
    """kept_topics (as the pipeline passes the previous paper_topics file): under the same model the changed
    papers' rows (30 added, one removed) are merged into the kept rows; the result, sorted as the file is
    written, and the topic counts equal a refresh that derives every paper's rows."""
    import polars as pl

    from assets.topics.lifecycle import KeptPaperTopics
    order = "paper_id, NOT is_primary, score DESC, topic_id"
    dump = parse_dump(DEFAULT_DUMP)
    con0, fitted, _ = refresh(tmp_path / "a", dump.slice(0, 180), DUMP_SETTINGS)
    previous = pl.from_arrow(con0.table("paper_topics").order(order).to_arrow_table())
    shutil.copytree(tmp_path / "a", tmp_path / "b")
    corpus = dump.slice(1)
    changed = [dump["paper_id"][0].as_py()] + dump["paper_id"].to_pylist()[180:]
    asked: list[str] = []
    kept = KeptPaperTopics(lambda model_id: asked.append(model_id) or (previous, changed))
    con1, merged, _ = refresh(tmp_path / "a", corpus, DUMP_SETTINGS, kept_topics=kept)
    con2, full, _ = refresh(tmp_path / "b", corpus, DUMP_SETTINGS)
    assert merged["action"] == full["action"] == "assigned" and asked == [fitted["model"]["model_id"]]
    want = con2.table("paper_topics").order(order).fetchall()
    assert kept.merged.rows() == want and len(want) > previous.height
    assert con1.table("topics").order("ALL").fetchall() == con2.table("topics").order("ALL").fetchall()
    untouched = KeptPaperTopics(lambda model_id: None)  # not derived under this model: every paper's rows
    con3, _, _ = refresh(tmp_path / "a", corpus, DUMP_SETTINGS, kept_topics=untouched)
    assert untouched.merged is None and con3.table("paper_topics").order(order).fetchall() == want


def test_changed_paper_is_scored_again_and_its_old_scores_pruned(tmp_path):
    root = tmp_path / "topic_model"
    papers = corpus()
    refresh(root, papers, THREE)
    abstracts = papers["abstract"].to_pylist()
    abstracts[0] = AREAS["rl"][1]  # a kv paper now reads like an rl one
    edited = papers.set_column(2, "abstract", pa.array(abstracts))
    con, decision, _ = refresh(root, edited, THREE)
    assert decision["action"] == "assigned" and decision["papers_scored"] == 1
    assert decision["added_since_fit"] == 1 and decision["score_files_written"] >= 1
    rl_topic = primaries(con)["rl000memory"]
    assert primaries(con)["kv000memory"] == rl_topic
    stored = {h for f in root.glob("*/scores/*.parquet")
              for h in pq.read_table(f, columns=["content_hash"]).column(0).to_pylist()}
    assert stored == {r[0] for r in con.execute("SELECT content_hash FROM paper_topic_contents").fetchall()}


def test_refresh_writes_one_additions_file_and_compaction_keeps_the_rows(tmp_path, monkeypatch):
    """A refresh writes the texts it scored to one additions file, whatever buckets they fall in; past
    MAX_ADDITIONS files the additions move into their buckets, and every paper keeps its rows."""
    from assets.topics import model_store
    dump = parse_dump(DEFAULT_DUMP)
    root = tmp_path / "topic_model"
    monkeypatch.setattr(model_store, "MAX_ADDITIONS_SHARE", 0.5)  # 10 new papers are 5% of this small corpus
    refresh(root, dump.slice(0, 180), DUMP_SETTINGS)
    scores = next(root.glob("*/scores"))
    buckets = {p.name: p.stat().st_mtime_ns for p in scores.glob("*.parquet")}
    for end in (190, 200):
        _, decision, _ = refresh(root, dump.slice(0, end), DUMP_SETTINGS)
        assert (decision["papers_scored"], decision["score_files_written"]) == (10, 1)
    additions = sorted(p.name for p in scores.glob("add-*.parquet"))
    assert len(additions) == 2
    assert {p.name: p.stat().st_mtime_ns for p in scores.glob("[0-9a-f][0-9a-f].parquet")} == buckets
    monkeypatch.setattr(model_store, "MAX_ADDITIONS", 2)
    con, decision, _ = refresh(root, dump, DUMP_SETTINGS)
    assert decision["action"] == "assigned" and decision["papers_scored"] == 10
    assert list(scores.glob("add-*.parquet")) == [] and decision["score_files_written"] > 3
    assert con.execute("SELECT * FROM paper_topics ORDER BY ALL").fetchall() == score_under_model(
        root, dump, DUMP_SETTINGS)
    stored = [h for f in scores.glob("*.parquet") for h in pq.read_table(f, columns=["content_hash"]).column(0).to_pylist()
              if f.stem != h[:2]]
    assert stored == []  # every row in its bucket


def test_added_papers_past_the_limit_refit_and_keep_topic_ids(tmp_path):
    root = tmp_path / "topic_model"
    con1, fitted, _ = refresh(root, corpus(), THREE)
    con2, decision, log = refresh(root, corpus(6, 4), THREE)  # 12 of 30 papers new: 40% > 25%
    assert decision["action"] == "refitted"
    (reason,) = decision["reasons"]
    assert reason["criterion"] == "added_share" and reason["measured"] == 0.4 and reason["limit"] == 0.25
    assert "not in the corpus of the fit" in log[0]
    assert decision["model"]["model_id"] != fitted["model"]["model_id"]
    assert decision["model"]["previous_model_id"] == fitted["model"]["model_id"]
    assert decision["model"]["lineage"] == {"matched": 3, "new": 0}
    lineage = con2.execute("SELECT topic_id, previous_topic_id, status FROM topic_lineage").fetchall()
    assert all(s == "matched" and t == p for t, p, s in lineage)
    before, after = primaries(con1), primaries(con2)
    assert all(after[p] == t for p, t in before.items())
    area_topic = {p[:2]: t for p, t in before.items()}
    assert all(after[p] == area_topic[p[:2]] for p in after)
    assert (decision["added_share"], decision["papers_scored"]) == (0.0, 30)  # every paper is in the new fit


def test_weakly_assigned_papers_past_the_limit_refit(tmp_path):
    root = tmp_path / "topic_model"
    refresh(root, corpus(), THREE)
    vague = pa.table({"paper_id": ["zz1", "zz2"], "title": ["The", "A"],
                      "abstract": ["We propose a novel method.", "Results are shown."]})
    _, decision, _ = refresh(root, pa.concat_tables([corpus(), vague]), THREE)  # 2 of 20 new: under the added limit
    (reason,) = decision["reasons"]
    assert reason["criterion"] == "weak_share" and reason["measured"] == 0.1 and reason["at_fit"] == 0.0
    assert decision["action"] == "refitted" and decision["added_share"] == 0.0


def test_refit_requested_by_setting_or_job_keeps_ids(tmp_path):
    root = tmp_path / "topic_model"
    con1, fitted, _ = refresh(root, corpus(), THREE)
    con2, decision, log = refresh(root, corpus(), THREE, refit_requested=True)
    assert decision["action"] == "refitted" and [r["criterion"] for r in decision["reasons"]] == ["requested"]
    assert "refit requested" in log[0]
    assert primaries(con2) == primaries(con1)
    assert decision["model"]["lineage"] == {"matched": 3, "new": 0}
    assert decision["model"]["fit_reasons"] == decision["reasons"]
    assert len([p for p in root.iterdir() if p.is_dir()]) == 2  # the previous model is kept for audit


def test_damaged_model_file_refits_with_the_reason_logged(tmp_path):
    root = tmp_path / "topic_model"
    con1, fitted, _ = refresh(root, corpus(), THREE)
    vocabulary = root / fitted["model"]["model_id"] / "vocabulary.parquet"
    data = bytearray(vocabulary.read_bytes())
    data[len(data) // 2] ^= 0xFF
    vocabulary.write_bytes(bytes(data))
    con2, decision, log = refresh(root, corpus(), THREE)
    (reason,) = decision["reasons"]
    assert reason["criterion"] == "model_damaged" and "vocabulary.parquet does not match its sha256" in reason["detail"]
    assert decision["action"] == "refitted" and "vocabulary.parquet does not match its sha256" in log[0]
    assert primaries(con2) == primaries(con1)  # ids continue the damaged model's verified topic vectors
    again = refresh(root, corpus(), THREE)[1]
    assert again["action"] == "assigned" and again["model"]["model_id"] == decision["model"]["model_id"]


def test_damaged_score_bucket_is_scored_again(tmp_path):
    root = tmp_path / "topic_model"
    con1, fitted, _ = refresh(root, corpus(), THREE)
    bucket = sorted((root / fitted["model"]["model_id"] / "scores").glob("*.parquet"))[0]
    bucket.write_bytes(bucket.read_bytes()[:-9] + b"corrupted")
    con2, decision, log = refresh(root, corpus(), THREE)
    assert decision["action"] == "assigned" and decision["papers_scored"] >= 1
    assert decision["cache_problems"] == [f"score bucket {bucket.stem} does not match its sha256"]
    assert "cache problems" in log[0]
    assert con2.execute("SELECT * FROM paper_topics ORDER BY ALL").fetchall() == \
        con1.execute("SELECT * FROM paper_topics ORDER BY ALL").fetchall()
    assert refresh(root, corpus(), THREE)[1]["cache_problems"] == []


def test_rerun_on_unchanged_input_is_a_no_op_for_the_model(tmp_path):
    root = tmp_path / "topic_model"
    con1, fitted, _ = refresh(root, corpus(), THREE)
    files = model_files(root)
    con2, decision, _ = refresh(root, corpus(), THREE)
    assert decision["action"] == "assigned" and decision["model"]["model_id"] == fitted["model"]["model_id"]
    assert (decision["papers_scored"], decision["score_files_written"]) == (0, 0)
    assert model_files(root) == files
    assert dump_tables(con2) == dump_tables(con1)


def test_changed_settings_refit(tmp_path):
    root = tmp_path / "topic_model"
    refresh(root, corpus(), THREE)
    decision = refresh(root, corpus(), dataclasses.replace(THREE, max_secondary=1))[1]
    assert [r["criterion"] for r in decision["reasons"]] == ["settings_changed"]


def test_refit_job_and_setting_reach_the_asset(tmp_path):
    """Real Dagster materializations of discovered_topics: the refit_topics job's tag and the topic_refit
    setting each force a refit; a plain run assigns."""
    import dagster as dg

    from assets.core.resources import PipelinePaths, PipelineSettings
    from assets.topics.defs import REFIT_TAG, discovered_topics
    from workflows.jobs import refit_topics, refresh_corpus

    assert refit_topics.tags == {REFIT_TAG: "true"} and refresh_corpus.tags.get(REFIT_TAG) is None
    paths = PipelinePaths(landing_dir=str(tmp_path), warehouse_dir=str(tmp_path / "wh"))
    paths.tables.mkdir(parents=True)
    pq.write_table(corpus(), paths.table("papers"))

    def run(tags=None, **settings):
        result = dg.materialize([discovered_topics], tags=tags, resources={
            "paths": paths, "settings": PipelineSettings(min_topics=3, max_topics=3, **settings)})
        topics = next(m for m in result.asset_materializations_for_node("discovered_topics")
                      if m.asset_key == dg.AssetKey("topics"))
        return topics.metadata["topic_model/action"].value, topics.metadata["topic_model/reasons"].value

    assert run() == ("fitted", "no model yet")
    assert run() == ("assigned", "model current")
    assert run(tags=refit_topics.tags)[0] == "refitted"
    assert run(topic_refit=True) == ("refitted", "refit requested (setting topic_refit or job refit_topics)")
    assert json.loads((paths.topic_model / "decision.json").read_text())["action"] == "refitted"
