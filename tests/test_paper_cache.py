"""The per-paper cache (assets/core/paper_cache.py): per-paper tables computed once per paper content and
step version give today's tables, cold or warm; a version bump recomputes that step only; damaged, missing
or unlisted cache files are never trusted; crowded buckets and old versions are cleaned up."""

from __future__ import annotations

import hashlib
import logging
import shutil
from pathlib import Path

import polars as pl
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from assets.core import paper_cache
from assets.core.duck import attach_parquet, export_relation, export_sql_table, export_table, stage_connection
from assets.core.paper_cache import PaperStep, content_hashes, paper_rows
from assets.core.storage import write_parquet_atomic
from assets.metrics import claims as claim_rules
from assets.metrics.claims import extract_claims
from assets.metrics.per_paper import cached_claims, cached_paper_metrics
from assets.quality.gx_runner import paper_flags
from assets.topics import taxonomy as taxonomy_rules
from assets.topics.taxonomy import apply_taxonomy, categorised_papers, load_taxonomy
from tests.conftest import SAMPLE, run_cli

STEPS = ("claims", "paper_flags", "paper_categories", "paper_metrics")
CACHED_STEPS = ("claims", "paper_categories", "paper_metrics")  # paper_flags costs less than its cache


@pytest.fixture(scope="module")
def papers(built_warehouse) -> pl.DataFrame:
    """The sample's papers plus papers that share an abstract (under another title or the same), an edited
    title, and a missing abstract: the cases where per-content and per-paper results could differ."""
    sample = pl.read_parquet(built_warehouse / "tables" / "papers.parquet", columns=["paper_id", "title", "abstract"])
    extra = pl.concat([
        sample.head(6).with_columns(pl.col("paper_id") + "-retitled", pl.col("title") + " (v2)"),
        sample.slice(10, 3).with_columns(pl.col("paper_id") + "-copy"),
        sample.slice(20, 1).with_columns(pl.col("paper_id") + "-no-abstract", pl.lit(None, pl.String).alias("abstract")),
    ])
    return pl.concat([sample, extra])


def todays_tables(papers: pl.DataFrame, out: Path) -> dict[str, pa.Table]:
    """The four tables as the pipeline wrote them before the cache, read back from Parquet."""
    out.mkdir(parents=True, exist_ok=True)
    claims = extract_claims(papers.select("paper_id", "abstract"))
    write_parquet_atomic(out / "claims.parquet", claims.to_arrow())
    write_parquet_atomic(out / "paper_flags.parquet", paper_flags(papers).to_arrow())
    con = stage_connection(out / "duckdb", "1GB")
    try:
        con.register("papers", papers.to_arrow())
        apply_taxonomy(con, load_taxonomy())
        export_table(con, "paper_categories", out / "paper_categories.parquet")
        attach_parquet(con, {"claims": out / "claims.parquet"})
        export_sql_table(con, "paper_metrics", out / "paper_metrics.parquet")
    finally:
        con.close()
    return {step: pq.read_table(out / f"{step}.parquet") for step in STEPS}


def cached_tables(papers: pl.DataFrame, cache: Path, out: Path) -> tuple[dict[str, pa.Table], dict[str, object]]:
    """The four tables from the cache, written the way the assets write them, and each step's stats."""
    out.mkdir(parents=True, exist_ok=True)
    claims, claim_stats = cached_claims(papers.select("paper_id", "abstract"), cache)
    write_parquet_atomic(out / "claims.parquet", claims.to_arrow())
    write_parquet_atomic(out / "paper_flags.parquet", paper_flags(papers).to_arrow())  # cheaper than a cache
    con = stage_connection(out / "duckdb", "1GB")
    try:
        matched, match_stats = categorised_papers(con, load_taxonomy(), papers, cache)
        export_relation(matched, out / "paper_categories.parquet")
        metrics, metric_stats = cached_paper_metrics(con, papers, pl.read_parquet(out / "claims.parquet"), cache)
        export_relation(metrics, out / "paper_metrics.parquet")
    finally:
        con.close()
    stats = {"claims": claim_stats, "paper_categories": match_stats, "paper_metrics": metric_stats}
    return {step: pq.read_table(out / f"{step}.parquet") for step in STEPS}, stats


def assert_same_tables(got: dict[str, pa.Table], want: dict[str, pa.Table]) -> None:
    for step in STEPS:
        assert got[step].schema.equals(want[step].schema, check_metadata=True), step
        assert got[step].equals(want[step]), step


def computed(stats: dict) -> dict[str, int]:
    return {step: s.computed for step, s in stats.items()}


def cache_files(cache: Path, step: str) -> list[Path]:
    return sorted((cache / step).glob("*/bucket=*/*.parquet"))


# ----------------------------------------------------------------------------- content hashes
def test_content_hash_is_sha256_of_named_column_digests():
    frame = pl.DataFrame({"title": ["T", None, "", "ab"], "abstract": ["A", "A", "A", None]})
    got = content_hashes(frame, ["title", "abstract"]).to_list()

    def expected(title, abstract):
        parts = [f"{name}=" + (hashlib.sha256(value.encode()).hexdigest() if value is not None else "null")
                 for name, value in (("title", title), ("abstract", abstract))]
        return hashlib.sha256(",".join(parts).encode()).hexdigest()

    assert got == [expected(*row) for row in frame.rows()]
    assert len(set(got)) == 4  # NULL, '' and different values all differ
    assert content_hashes(frame, ["abstract"])[0] != content_hashes(frame.rename({"abstract": "x"}), ["x"])[0]


# ----------------------------------------------------------------------------- same tables, cold or warm
def test_cold_and_warm_builds_give_todays_tables(papers, tmp_path):
    want = todays_tables(papers, tmp_path / "today")

    cold, cold_stats = cached_tables(papers, tmp_path / "cold-cache", tmp_path / "cold")
    assert_same_tables(cold, want)
    assert all(s.reused == 0 for s in cold_stats.values())

    warm_cache = tmp_path / "warm-cache"
    subset = papers.slice(30, 120)
    cached_tables(subset, warm_cache, tmp_path / "subset")
    warm, warm_stats = cached_tables(papers, warm_cache, tmp_path / "warm")
    assert_same_tables(warm, want)
    for step, s in warm_stats.items():
        assert s.reused >= subset.height and s.computed + s.reused == papers.height, (step, s)

    again, again_stats = cached_tables(papers, warm_cache, tmp_path / "again")
    assert_same_tables(again, want)
    assert computed(again_stats) == dict.fromkeys(CACHED_STEPS, 0)
    assert again_stats["claims"].summary() == f"claims: 0 computed, {papers.height} reused"


def test_version_bump_recomputes_that_step_for_every_paper_and_nothing_else(papers, tmp_path, monkeypatch):
    cache = tmp_path / "cache"
    cached_tables(papers, cache, tmp_path / "first")
    old_claims = cache_files(cache, "claims")

    monkeypatch.setattr(claim_rules, "CLAIMS_VERSION", claim_rules.CLAIMS_VERSION + 1)
    _, stats = cached_tables(papers, cache, tmp_path / "claims-bumped")
    everyone = papers.height
    # paper_metrics aggregates claims, so its version includes the claims version
    assert computed(stats) == {"claims": everyone, "paper_categories": 0, "paper_metrics": everyone}
    assert not any(path.exists() for path in old_claims)  # the old version is removed
    assert len(list((cache / "claims").iterdir())) == 1

    monkeypatch.setattr(taxonomy_rules, "TAXONOMY_MATCH_VERSION", taxonomy_rules.TAXONOMY_MATCH_VERSION + 1)
    tables, stats = cached_tables(papers, cache, tmp_path / "taxonomy-bumped")
    assert computed(stats) == {"claims": 0, "paper_categories": everyone, "paper_metrics": 0}
    assert_same_tables(tables, todays_tables(papers, tmp_path / "today"))


# ----------------------------------------------------------------------------- never trust a damaged cache
def test_flipped_byte_in_a_cache_file_is_dropped_and_its_papers_recomputed(papers, tmp_path, caplog):
    want = todays_tables(papers, tmp_path / "today")
    cache = tmp_path / "cache"
    cached_tables(papers, cache, tmp_path / "first")
    damaged = cache_files(cache, "claims")[0]
    data = bytearray(damaged.read_bytes())
    data[len(data) // 2] ^= 0xFF
    damaged.write_bytes(bytes(data))
    name = damaged.relative_to(damaged.parents[1]).as_posix()

    with caplog.at_level(logging.WARNING, logger=paper_cache.__name__):
        tables, stats = cached_tables(papers, cache, tmp_path / "after")
    assert_same_tables(tables, want)
    assert stats["claims"].dropped == (name,) and 0 < stats["claims"].computed < papers.height
    assert f"dropped cache files {name}, their papers recomputed" in stats["claims"].summary()
    assert any(name in r.getMessage() and "sha256 mismatch" in r.getMessage() for r in caplog.records)
    assert not damaged.exists() or damaged.read_bytes() != bytes(data)  # the damaged bytes are gone
    assert computed(stats) | {"claims": 0} == dict.fromkeys(CACHED_STEPS, 0)


def test_missing_file_is_recomputed_and_unlisted_files_are_removed(papers, tmp_path):
    cache = tmp_path / "cache"
    want, _ = cached_tables(papers, cache, tmp_path / "first")
    missing, *_ = cache_files(cache, "paper_categories")
    missing.unlink()
    unlisted = missing.parent / ("0" * 64 + ".parquet")  # e.g. written by a run killed before its manifest
    shutil.copy(cache_files(cache, "paper_categories")[0], unlisted)

    tables, stats = cached_tables(papers, cache, tmp_path / "after")
    assert_same_tables(tables, want)
    assert stats["paper_categories"].dropped and stats["paper_categories"].computed > 0
    assert not unlisted.exists()


# ----------------------------------------------------------------------------- bounded size
def counting_step(calls: list[str]) -> PaperStep:
    """Words of the abstract, one row each; records every content it computes."""

    def compute(todo: pl.DataFrame) -> pl.DataFrame:
        calls.extend(todo.get_column("content_hash"))
        return todo.select("content_hash", pl.col("abstract").str.split(" ").alias("word")).explode("word")

    return PaperStep("words", "v1", ("abstract",), {"word": pl.String}, compute)


def test_crowded_bucket_is_compacted_to_the_current_corpus(tmp_path, monkeypatch):
    monkeypatch.setattr(paper_cache, "BUCKET_CHARS", 0)  # a single bucket
    monkeypatch.setattr(paper_cache, "MAX_FILES_PER_BUCKET", 2)
    cache, calls = tmp_path / "cache", []
    corpus = pl.DataFrame({"paper_id": [f"p{i}" for i in range(30)], "abstract": [f"text {i}" for i in range(30)]})
    for start, end in ((0, 10), (5, 20), (10, 30)):  # each refresh adds 10 papers and drops 5
        _, stats = paper_rows(cache, counting_step(calls), corpus.slice(start, end - start))
        assert stats.computed == 10
    files = cache_files(cache, "words")
    assert len(files) == 1  # the third file crowded the bucket: compacted into one
    current = corpus.slice(10)
    stored = pl.read_parquet(files[0]).get_column("content_hash")
    assert sorted(stored) == sorted(content_hashes(current, ["abstract"]))  # only the current corpus kept

    rows, stats = paper_rows(cache, counting_step(calls), current)
    want = current.select("paper_id", pl.col("abstract").str.split(" ").alias("word")).explode("word")
    assert rows.equals(want) and stats.computed == 0 and len(calls) == 30


def test_a_run_over_some_papers_reads_their_buckets_only_and_keeps_the_others(tmp_path, monkeypatch):
    """paper_rows(whole_corpus=False), as the claims/paper_metrics merges call it for the changed papers:
    only the buckets of their contents are read, every other file stays listed, and a crowded bucket is
    compacted without dropping contents of papers the run did not see."""
    monkeypatch.setattr(paper_cache, "MAX_FILES_PER_BUCKET", 1)
    cache, calls = tmp_path / "cache", []
    corpus = pl.DataFrame({"paper_id": [f"p{i}" for i in range(40)], "abstract": [f"text {i}" for i in range(40)]})
    paper_rows(cache, counting_step(calls), corpus.slice(0, 30))
    before = set(cache_files(cache, "words"))
    read = []
    monkeypatch.setattr(paper_cache._StepCache, "_read", lambda self, name, meta, wanted=None,
                        real=paper_cache._StepCache._read: read.append(name) or real(self, name, meta, wanted))
    some = corpus.slice(25, 10)  # 5 known contents, 5 new ones
    rows, stats = paper_rows(cache, counting_step(calls), some, whole_corpus=False)
    assert (stats.computed, stats.reused) == (5, 5) and len(calls) == 35
    buckets = set(content_hashes(some, ["abstract"]).str.slice(0, paper_cache.BUCKET_CHARS))
    assert read and {name.split("/")[0].removeprefix("bucket=") for name in read} <= buckets
    assert len(read) < len(before)
    _, stats = paper_rows(cache, counting_step(calls), corpus.slice(0, 35))  # every content is still stored
    assert stats.computed == 0 and len(calls) == 35


def test_batch_rows_bounds_each_compute_call_and_keeps_the_rows(tmp_path):
    """A step with batch_rows gets its contents at most that many at a time (the taxonomy and paper_metrics
    queries' memory follows the batch) and gives the rows of one call over all of them."""
    import dataclasses
    corpus = pl.DataFrame({"paper_id": [f"p{i}" for i in range(23)],
                           "abstract": [f"text {i % 20} more words" for i in range(23)]})  # 3 repeated contents
    sizes = []

    def batched(calls: list) -> PaperStep:
        step = counting_step(calls)
        return dataclasses.replace(step, compute=lambda todo: sizes.append(todo.height) or step.compute(todo),
                                   batch_rows=6)

    whole, _ = paper_rows(tmp_path / "one", counting_step([]), corpus)
    rows, stats = paper_rows(tmp_path / "batched", batched([]), corpus)
    assert sizes == [6, 6, 6, 2] and stats.computed == 23 and rows.equals(whole)


def test_a_lazy_corpus_read_a_batch_at_a_time_gives_the_same_rows_and_cache_files(tmp_path):
    """A LazyFrame (as the taxonomy and paper_metrics steps pass the papers file) is read batch_rows papers
    at a time; a content repeated in a later batch is computed once; the rows and the cache files are the
    ones a DataFrame computed in one call gives."""
    import dataclasses
    corpus = pl.DataFrame({"paper_id": [f"p{i}" for i in range(23)],
                           "abstract": [f"text {i % 20} more" if i != 7 else None for i in range(23)]})
    corpus.write_parquet(tmp_path / "papers.parquet", row_group_size=5)
    calls, sizes = [], []
    step = counting_step(calls)
    batched = dataclasses.replace(step, compute=lambda todo: sizes.append(todo.height) or step.compute(todo),
                                  batch_rows=6)
    whole, _ = paper_rows(tmp_path / "one", counting_step([]), corpus)
    rows, stats = paper_rows(tmp_path / "lazy", batched, pl.scan_parquet(tmp_path / "papers.parquet"))
    assert rows.equals(whole) and sizes == [6, 6, 6, 2] and len(calls) == len(set(calls)) == 20
    assert (stats.computed, stats.reused) == (23, 0)
    files = {path.relative_to(tmp_path / "one"): path.read_bytes() for path in cache_files(tmp_path / "one", "words")}
    assert files and files == {path.relative_to(tmp_path / "lazy"): path.read_bytes()
                               for path in cache_files(tmp_path / "lazy", "words")}


def test_unknown_contents_from_compute_are_refused(tmp_path):
    def wrong(todo: pl.DataFrame) -> pl.DataFrame:
        return pl.DataFrame({"content_hash": ["not-a-content"], "word": ["x"]})

    step = PaperStep("words", "v1", ("abstract",), {"word": pl.String}, wrong)
    with pytest.raises(ValueError, match="not given"):
        paper_rows(tmp_path, step, pl.DataFrame({"paper_id": ["p"], "abstract": ["a"]}))


# ----------------------------------------------------------------------------- the real pipeline
def test_pipeline_warm_build_equals_the_cold_build(built_warehouse, tmp_path):
    """A warehouse whose cache was filled by a run over the first 100 papers of the sample, then run over
    the whole sample, writes the same tables as a cold build, reusing the first run's cache files and
    computing only the 110 new papers."""
    landing, warehouse = tmp_path / "landing", tmp_path / "warehouse"
    landing.mkdir()
    lines = SAMPLE.read_text(encoding="utf-8").split("\n")
    (landing / SAMPLE.name).write_text("\n".join(lines[:202]) + "\n", encoding="utf-8")
    assert run_cli(landing, warehouse) == 0
    first = {step: set(cache_files(warehouse / "cache", step)) for step in CACHED_STEPS}
    assert all(first.values())

    shutil.copy(SAMPLE, landing / SAMPLE.name)
    assert run_cli(landing, warehouse) == 0
    for step in CACHED_STEPS:
        cold = pq.read_table(built_warehouse / "tables" / f"{step}.parquet")
        warm = pq.read_table(warehouse / "tables" / f"{step}.parquet")
        assert warm.schema.equals(cold.schema, check_metadata=True) and warm.equals(cold), step
        assert first[step] < set(cache_files(warehouse / "cache", step)), step  # kept and added to
    assert {f"{step}: 110 computed, 100 reused" for step in CACHED_STEPS} <= set(last_refresh_log(warehouse))


def last_refresh_log(warehouse: Path) -> list[str]:
    """Messages the last `refresh_corpus` run logged."""
    import dagster as dg

    with dg.DagsterInstance.from_config(str(warehouse / "dagster_home")) as instance:
        run = instance.get_runs(dg.RunsFilter(job_name="refresh_corpus"), limit=1)[0]
        return [entry.user_message for entry in instance.all_logs(run.run_id)]
