"""The topic model's lifecycle: keep the fitted model between runs, assign new and changed papers to its topics,
refit only when asked or when a measured criterion says the model is stale, and record what was done and why.

`refresh_topics(con, root, settings, policy, refit_requested)` brings topics, paper_topics, topic_terms and
topic_lineage in `con` up to date with its `papers`, using the model store under `root` (model_store.py):

- assign (a usual refresh): a paper's memberships are keyed by the hash of the text the model scores; those of
  texts already scored under the current model are reused from its score cache, the others are scored by the
  model's rule (the one a fit applies to every paper: assets/topics/scoring.py, sql/paper_topic_memberships.sql)
  and added; topics are then counted again. A paper's scores depend on its text and the model only.
- refit when requested, when there is no usable model (none yet, a file failing its sha256, settings or topic
  SQL changed), when more than `max_added_share` of the papers were not in the corpus of the fit, or when the
  share of papers whose best score is below the assignment threshold (secondary_min_score) rose by more than
  `max_weak_rise` since the fit. Matching topics keep their ids (match_previous against the previous vectors).

The decision, with the measured numbers, is returned and written to <root>/decision.json.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

import duckdb
import polars as pl
import pyarrow as pa

from assets.core.duck import registered
from assets.core.sql import load_sql
from assets.core.table_changes import merge_rows
from assets.topics.model import (Clock, TopicSettings, assign_memberships, configure, create_table, drop_table,
                                 fit_model, score_papers, write_model_tables)
from assets.topics.model_store import (NO_MODEL, SCORE_SCHEMA, StoredModel, additions_name, load_current,
                                       model_id_of, needs_compaction, point_current, save_model, score_path,
                                       split_files, verified_score_files, write_decision, write_score_files)

DECISION_FORMAT = "papers-topic-decision/1"
# The SQL that defines what a model is and how it scores: a change to any of them makes the model stale.
MODEL_SQL = ("topic_tokenizer", "topic_fit_papers", "paper_terms", "term_stats", "paper_term_weights",
             "topic_term_ctfidf", "topic_score_texts", "paper_topic_scores_fit", "paper_topic_memberships")
SCORER_SOURCE = Path(__file__).with_name("scoring.py")  # the scoring rule, read without importing scipy
RUNTIME_SETTINGS = {"score_batch_size", "memory_limit", "temp_directory", "threads", "stopwords_path"}


@dataclass(frozen=True)
class RefitPolicy:
    """When a kept model counts as stale."""

    max_added_share: float = 0.25  # papers not in the fit's corpus / papers
    max_weak_rise: float = 0.05  # rise of the share of papers whose best score < secondary_min_score


@dataclass
class KeptPaperTopics:
    """The previous paper_topics file to merge into: `rows(model_id)` gives its rows (sorted by paper_id) and the
    papers changed since it, or None when it was not derived under that model (assets/core/table_changes.py);
    refresh_topics sets `merged` (and `changed`) when it merged."""

    rows: Callable[[str], tuple[pl.DataFrame, list] | None]
    merged: pl.DataFrame | None = None
    changed: list = field(default_factory=list)


def model_settings(s: TopicSettings) -> dict:
    """The settings that shape a model (not the runtime ones), as model.json records them."""
    return {f.name: getattr(s, f.name) for f in dataclasses.fields(s) if f.name not in RUNTIME_SETTINGS}


def model_fingerprint(s: TopicSettings) -> str:
    """Identity of how a model is fitted and scores: its settings, stop words, topic SQL and the scorer."""
    digest = hashlib.sha256(json.dumps(model_settings(s), sort_keys=True).encode())
    digest.update(Path(s.stopwords_path).read_bytes())
    for name in MODEL_SQL:
        digest.update(load_sql(name).encode())
    digest.update(SCORER_SOURCE.read_bytes())
    return digest.hexdigest()[:16]


def refresh_topics(con, root: Path, s: TopicSettings, policy: RefitPolicy = RefitPolicy(),
                   refit_requested: bool = False, log: Callable[[str], None] = lambda message: None,
                   contents: pa.Table | None = None, papers_file: Path | None = None,
                   kept_topics: KeptPaperTopics | None = None) -> dict:
    """Assign or refit (see the module doc); returns the decision, also written to <root>/decision.json.
    `contents`: paper_topic_contents of `con`'s papers when the caller has it (assets/topics/contents.py);
    `papers_file`: the Parquet file of `con`'s papers, to read only the texts to score from it;
    `kept_topics`: the previous paper_topics, into which an assignment merges the changed papers' rows."""
    clock = Clock()
    configure(con, s)
    if contents is None:
        create_table(con, "paper_topic_contents", "paper_topic_contents")
    else:
        drop_table(con, "paper_topic_contents")
        con.from_arrow(contents).create("paper_topic_contents")
    stored, problem, baseline = load_current(root)
    fingerprint = model_fingerprint(s)
    decision = {"format": DECISION_FORMAT, "previous_model_id": stored.model_id if stored else None,
                "limits": {**dataclasses.asdict(policy), "weak_score": s.secondary_min_score},
                "cache_problems": []}
    reasons = _model_reasons(stored, problem, fingerprint, refit_requested)
    kept: dict[str, dict] = {}
    if not reasons:
        kept, decision["cache_problems"] = verified_score_files(stored.scores)
        reasons, measures = _assign(con, stored, kept, s, policy, papers_file)
        clock.lap("assign")
    if reasons:
        previous_terms = stored.model.topic_terms if stored else baseline
        stored, measures = _refit(con, root, s, fingerprint, previous_terms, decision["previous_model_id"], reasons)
        kept = {}
        clock.lap("fit")
    manifest_changed = bool(reasons or decision["cache_problems"])
    decision["score_files_written"] = _write_scores(con, stored, kept, manifest_changed, refit=bool(reasons))
    _paper_topics(con, None if reasons else kept_topics, stored.model_id)
    write_model_tables(con, stored.model)
    if reasons:
        point_current(root, stored)
    clock.lap("write")
    # topic_scores has not changed since the assignment or the fit counted it
    decision |= measures | {"weak_share_at_fit": stored.info.get("weak_share_at_fit")}
    action = "assigned" if not reasons else "fitted" if problem == NO_MODEL else "refitted"
    decision |= {"action": action, "reasons": reasons, "model": _model_facts(stored),
                 "seconds": clock.laps, "decided_at": _now()}
    write_decision(root, decision)
    log(describe(decision))
    return decision


def _paper_topics(con, kept: KeptPaperTopics | None, model_id: str) -> None:
    """paper_topics in `con`: the kept rows, when derived under this model, with the changed papers' rows derived
    again (a paper's rows depend on its text and the model only); else every paper's (sql/paper_topics.sql)."""
    found = kept.rows(model_id) if kept else None
    if found is None:
        create_table(con, "paper_topics", "paper_topics")
        return
    previous, kept.changed = found
    with registered(con, {"topic_changed_papers": pa.table({"paper_id": pa.array(kept.changed, pa.string())})}):
        new = pl.from_arrow(con.sql(load_sql("paper_topics_changed")).to_arrow_table())
    kept.merged = merge_rows(previous, new, kept.changed)
    drop_table(con, "paper_topics")
    con.from_arrow(kept.merged.to_arrow()).create("paper_topics")


def describe(decision: dict) -> str:
    """One line for the log: what was done, with which model, and why."""
    m = decision["model"]
    head = (f"topics: {decision['action']} with model {m['model_id']} (fitted {m['fit_date']} on "
            f"{m['corpus_papers']} papers): {decision['papers_scored']} papers scored, "
            f"{decision['papers_reused']} reused; added since fit {decision['added_share']:.1%}, "
            f"weakly assigned {decision['weak_share']:.1%} (at fit {decision['weak_share_at_fit']:.1%})")
    problems = "; cache problems: " + "; ".join(decision["cache_problems"]) if decision["cache_problems"] else ""
    why = "; because " + "; ".join(r["detail"] for r in decision["reasons"]) if decision["reasons"] else ""
    return head + why + problems


def _model_reasons(stored: StoredModel | None, problem: str | None, fingerprint: str, requested: bool) -> list:
    reasons = []
    if requested:
        reasons.append({"criterion": "requested", "detail": "refit requested (setting topic_refit or job refit_topics)"})
    if stored is None:
        reasons.append({"criterion": "no_model" if problem == NO_MODEL else "model_damaged", "detail": problem})
    elif stored.info["fingerprint"] != fingerprint:
        reasons.append({"criterion": "settings_changed",
                        "detail": f"the model's settings/stop words/topic SQL changed "
                                  f"(fingerprint {stored.info['fingerprint']} -> {fingerprint})"})
    return reasons


def _assign(con, stored: StoredModel, kept: dict, s: TopicSettings, policy: RefitPolicy,
            papers_file: Path | None = None) -> tuple[list, dict]:
    """Reuse the verified cached scores, score the rest under `stored`; the stale reasons found (then nothing
    is kept from this attempt: the caller refits) and the measures of topic_scores."""
    _set_cache(con, [score_path(stored.scores, stem) for stem in sorted(kept)])
    _set_new_scores(con, None)
    measures = _measures(con, s, stored.info)
    if reasons := _added_reasons(measures, policy):
        return reasons, measures
    drop_table(con, "term_stats")
    con.from_arrow(stored.model.vocabulary).create("term_stats")
    _set_texts(con, papers_file)
    con.sql(load_sql("paper_topic_unscored")).create_view("topic_unscored_papers", replace=True)
    n = con.execute("SELECT count(*) FROM topic_unscored_papers").fetchall()[0][0]
    if n:
        score_papers(con, "topic_unscored_papers", stored.model.vectors(), stored.model.break_pattern, s,
                     reuse_fit_vectors=False)
        assign_memberships(con, "paper_topic_memberships", s)
        _add_new_scores(con, "topic_assigned_scores")
        measures = _measures(con, s, stored.info)
    return _weak_reasons(measures, s, policy), measures


def _set_texts(con, papers_file: Path | None) -> None:
    """The topic_texts view: `con`'s papers, or, given their file, only the papers of topic_unscored_ids.sql,
    read from it with a polars filter (a DuckDB join decodes every text: ~1 s CPU per million papers)."""
    if papers_file is None:
        con.table("papers").create_view("topic_texts", replace=True)
        return
    ids = pl.from_arrow(con.sql(load_sql("topic_unscored_ids")).to_arrow_table()).get_column("paper_id")
    texts = (pl.scan_parquet(papers_file).select("paper_id", "title", "abstract")
             .filter(pl.col("paper_id").is_in(ids.implode())).collect().to_arrow())
    con.from_arrow(texts).create_view("topic_texts", replace=True)  # the view holds a reference to the table


def _added_reasons(m: dict, policy: RefitPolicy) -> list:
    if m["added_share"] <= policy.max_added_share:
        return []
    return [{"criterion": "added_share", "measured": m["added_share"], "limit": policy.max_added_share,
             "detail": f"{m['added_since_fit']} of {m['papers']} papers ({m['added_share']:.1%}) are not in the "
                       f"corpus of the fit (limit {policy.max_added_share:.0%})"}]


def _weak_reasons(m: dict, s: TopicSettings, policy: RefitPolicy) -> list:
    if m["weak_share"] - m["weak_share_at_fit"] <= policy.max_weak_rise:
        return []
    return [{"criterion": "weak_share", "measured": m["weak_share"], "at_fit": m["weak_share_at_fit"],
             "limit": policy.max_weak_rise,
             "detail": f"{m['weak_share']:.1%} of papers have no topic score >= {s.secondary_min_score} "
                       f"(at fit {m['weak_share_at_fit']:.1%}; rise limit {policy.max_weak_rise:.0%})"}]


def _refit(con, root: Path, s: TopicSettings, fingerprint: str, previous_terms: pa.Table | None,
           previous_model_id: str | None, reasons: list) -> tuple[StoredModel, dict]:
    """Fit a new model (ids continue `previous_terms`), score every paper under it, save it (not yet current);
    and the measures of its scores."""
    model = fit_model(con, s, previous_terms)
    _set_cache(con, [])
    _set_new_scores(con, "topic_fit_scores")
    fit = _measures(con, s, {})
    statuses = model.lineage["status"].to_pylist()
    info = {"model_id": model_id_of(model, fingerprint), "fingerprint": fingerprint, "settings": model_settings(s),
            "fit_date": _now(), "fit_papers": model.summary["fit_papers"], "corpus_papers": fit["papers"],
            "weak_share_at_fit": fit["weak_share"], "topics": model.summary["k"],
            "vocabulary": model.summary["vocabulary"], "k_trials": model.summary["k_trials"],
            "fit_seconds": model.summary["seconds"], "fit_reasons": reasons, "previous_model_id": previous_model_id,
            "lineage": {"matched": statuses.count("matched"), "new": statuses.count("new")}}
    return save_model(root, model, info), fit


def _set_new_scores(con, sql_name: str | None) -> None:
    """topic_score_new from sql/<sql_name>.sql (empty if None), and topic_scores over the cache and it: a table,
    as the measures, the score files and paper_topics each read it (a view joined 1M contents each time)."""
    if sql_name is None:
        drop_table(con, "topic_score_new")
        con.from_arrow(SCORE_SCHEMA.empty_table()).create("topic_score_new")
    else:
        create_table(con, "topic_score_new", sql_name)
    create_table(con, "topic_scores", "topic_scores")


def _add_new_scores(con, sql_name: str) -> None:
    """After _set_new_scores(con, None) on the same cache: topic_score_new from sql/<sql_name>.sql, and its rows
    appended to topic_scores, which gives what rebuilding it does without joining the cached rows to the
    contents again (the filter leaves the cache's side of topic_scores.sql out of the plan)."""
    create_table(con, "topic_score_new", sql_name)
    con.sql(load_sql("topic_scores")).filter("scored_now").insert_into("topic_scores")


def _set_cache(con, files: list[Path]) -> None:
    """topic_score_cache: the rows of the verified score files, each with the stem of its file."""
    drop_table(con, "topic_score_cache")
    if files:
        rel = con.read_parquet([str(f) for f in files], filename=True)
        rel.select(*SCORE_SCHEMA.names, duckdb.SQLExpression("parse_filename(filename, true) AS file")) \
            .create("topic_score_cache")
    else:
        empty = SCORE_SCHEMA.empty_table().append_column("file", pa.array([], pa.string()))
        con.from_arrow(empty).create("topic_score_cache")


def _write_scores(con, stored: StoredModel, kept: dict, manifest_changed: bool, refit: bool) -> int:
    """Write the score files whose rows change (sql/topic_score_files.sql: after a fit every bucket, on a
    refresh one additions file plus pruned files, or the compaction's files) and the manifest listing them
    and the `kept` verified files; returns files written. An unchanged corpus writes nothing."""
    new = [r[0] for r in con.execute("SELECT DISTINCT content_hash FROM topic_score_new").fetchall()]
    to_buckets = refit or needs_compaction(kept, len(new))
    layout = pa.table({"to_buckets": [to_buckets], "addition": [additions_name(new)]})
    with registered(con, {"topic_score_layout": layout}):
        create_table(con, "topic_score_targets", "topic_score_targets")  # read 4 times below
        files = [r[0] for r in con.sql(load_sql("topic_score_files")).fetchall()]
        if not (files or manifest_changed):
            return 0
        rows = con.sql(load_sql("topic_score_rows"), params={"files": files}).to_arrow_table()
    write_score_files(stored.scores, split_files(rows, files), kept)
    return len(files)


def _measures(con, s: TopicSettings, info: dict) -> dict:
    row = con.sql(load_sql("topic_model_measures"), params={"weak_score": s.secondary_min_score}).fetchall()[0]
    papers, added, weak, scored, reused = row
    return {"papers": papers, "added_since_fit": added, "added_share": round(added / max(papers, 1), 6),
            "weak_share": round(weak / max(papers, 1), 6), "weak_share_at_fit": info.get("weak_share_at_fit"),
            "papers_scored": scored, "papers_reused": reused}


def _model_facts(stored: StoredModel) -> dict:
    keys = ("model_id", "fit_date", "fit_papers", "corpus_papers", "topics", "vocabulary", "weak_share_at_fit",
            "fit_reasons", "previous_model_id", "lineage")
    return {key: stored.info.get(key) for key in keys}


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")
