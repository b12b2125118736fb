"""The whole pipeline as a user runs it: real Dagster runs, a real DuckDB file, real releases."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import duckdb

from tests.conftest import SAMPLE, run_cli

FIRST_TITLE = "PipeOffload: Improving Scalability of Pipeline Parallelism with Memory Optimization"


def test_sample_yields_210_papers_and_no_rejects(db):
    assert db.execute("SELECT count(*) FROM papers").fetchone()[0] == 210
    assert db.execute("SELECT count(*) FROM rejects").fetchone()[0] == 0
    assert db.execute("SELECT title FROM papers WHERE source_line = 3").fetchone()[0] == FIRST_TITLE


def test_every_pair_is_a_pair_of_the_source(db):
    lines = SAMPLE.read_text(encoding="utf-8").split("\n")
    rows = db.execute("SELECT title, abstract, source_line FROM papers").fetchall()
    for title, abstract, line in rows:
        assert lines[line - 1].removeprefix("Subscribe") == title
        assert lines[line] == abstract  # the abstract is the very next source line


def test_lines_are_accounted_for(db):
    row = db.execute(
        "SELECT lines, paper_lines + duplicate_lines + blank_lines + boilerplate_lines + reject_lines,"
        " boilerplate_lines, encoding FROM ingest_files"
    ).fetchone()
    assert row == (422, 422, 2, "utf-8")


def test_derived_tables_are_in_the_warehouse(db):
    tables = {r[0] for r in db.execute("SELECT table_name FROM information_schema.tables").fetchall()}
    for name in ("papers", "paper_sources", "rejects", "ingest_files", "topics", "paper_topics", "topic_terms",
                 "categories", "paper_categories", "claims", "paper_metrics", "topic_metrics",
                 "category_metrics", "validation_results", "releases"):
        assert name in tables, name
    primaries = db.execute(
        "SELECT count(*) FROM (SELECT paper_id FROM paper_topics WHERE is_primary GROUP BY 1 HAVING count(*) = 1)"
    ).fetchone()[0]
    assert primaries == 210
    assert db.execute("SELECT count(*) FROM claims").fetchone()[0] > 100
    assert db.execute("SELECT count(*) FROM paper_metrics").fetchone()[0] == 210


def test_validation_results_hold_one_row_per_expectation(db):
    rows = db.execute(
        "SELECT asset, count(*), count(DISTINCT expectation), bool_and(success OR severity = 'warning')"
        " FROM validation_results GROUP BY asset"
    ).fetchall()
    assets = {r[0] for r in rows}
    assert {"papers", "ingest_files", "topics", "claims"} <= assets
    for asset, n, distinct, blocking_ok in rows:
        assert n == distinct, asset  # one run so far: one row per expectation
        assert blocking_ok, asset


def test_release_is_published_and_verifiable(built_warehouse, db):
    from assets.core.release_format import verify_release

    published = built_warehouse / "published"
    version = json.loads((published / "latest.json").read_text())["version"]
    assert verify_release(published / version) == []
    assert db.execute("SELECT count(*) FROM published.papers").fetchone()[0] == 210
    manifest = json.loads((published / version / "manifest.json").read_text())
    assert manifest["datasets"]["papers"]["rows"] == 210
    assert manifest["validation"]["failed_blocking"] == []
    report = published / "reports" / f"{version}.html"
    assert report.is_file() and "<svg" in report.read_text(encoding="utf-8")


def test_data_docs_exist(built_warehouse):
    index = built_warehouse / "quality" / "data_docs" / "index.html"
    assert index.is_file() and "papers" in index.read_text(encoding="utf-8")


def test_rerun_publishes_nothing_and_new_dump_adds_exactly_its_papers(sample_landing, built_warehouse, tmp_path):
    """Uses a copy of the shared warehouse so the session fixture stays as built."""
    import polars as pl

    from tools.synthetic import generate_dump

    warehouse = tmp_path / "warehouse"
    shutil.copytree(built_warehouse, warehouse, symlinks=True)
    landing = tmp_path / "landing"
    shutil.copytree(sample_landing, landing)
    published = warehouse / "published"
    before = json.loads((published / "latest.json").read_text())["version"]

    assert run_cli(landing, warehouse) == 0
    assert json.loads((published / "latest.json").read_text())["version"] == before

    generate_dump(landing / "extra dump (2).txt", 30, seed=7)
    assert run_cli(landing, warehouse) == 0
    after = json.loads((published / "latest.json").read_text())["version"]
    assert after != before
    diff = pl.read_parquet(published / after / "diffs" / "papers.parquet")
    assert diff.filter(pl.col("change") == "added").height == 30
    assert diff.filter(pl.col("change") != "added").height == 0


def test_mixed_landing_keeps_good_papers_and_names_bad_files(tmp_path):
    import duckdb

    landing = tmp_path / "landing"
    landing.mkdir()
    shutil.copy(SAMPLE, landing / SAMPLE.name)
    (landing / "empty.txt").write_bytes(b"")
    (landing / "image.png").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 8)
    warehouse = tmp_path / "warehouse"
    assert run_cli(landing, warehouse) == 0
    con = duckdb.connect(str(warehouse / "papers.duckdb"), read_only=True)
    assert con.execute("SELECT count(*) FROM papers").fetchone()[0] == 210
    rejected = dict(con.execute("SELECT source_file, any_value(reason) FROM rejects GROUP BY 1").fetchall())
    assert "image.png" in rejected and "binary" in rejected["image.png"]
    files = dict(con.execute("SELECT source_file, lines FROM ingest_files").fetchall())
    assert files["empty.txt"] == 0
    assert con.execute("SELECT count(*) FROM published.papers").fetchone()[0] == 210
    # The bad file failed a warning-level expectation: recorded, quarantined, not blocking.
    quarantined = dict(con.execute("SELECT source_file, quarantined FROM ingest_files").fetchall())
    assert quarantined["image.png"] is True and quarantined[SAMPLE.name] is False
    warnings = con.execute(
        "SELECT expectation FROM validation_results WHERE asset = 'ingest_files' AND NOT success"
    ).fetchall()
    assert warnings and all(
        con.execute("SELECT severity FROM validation_results WHERE expectation = ?", [w[0]]).fetchone()[0]
        == "warning"
        for w in warnings
    )


def test_garbage_dump_blocks_publication(tmp_path, capsys):
    landing = tmp_path / "landing"
    landing.mkdir()
    page = "<!DOCTYPE html>\n<html><head><title>502 Bad Gateway</title></head>\n<body>\n" + \
        "<h1>Bad Gateway</h1>\n<p>The server returned an invalid response.</p>\n</body></html>\n"
    (landing / "error page.txt").write_text(page, encoding="utf-8")
    warehouse = tmp_path / "warehouse"
    assert run_cli(landing, warehouse) == 1
    err = capsys.readouterr()
    assert "blocking" in err.out and "papers" in err.out
    assert "Nothing was published" in err.err
    assert not (warehouse / "published" / "latest.json").exists()
    assert not list((warehouse / "tables").glob("*.parquet"))  # the failed run's tables stay staged
    # no run succeeded yet, and still the failed checks are where the message points
    run_id = re.search(r"run_id = '([0-9a-f-]+)'", err.err)[1]
    with duckdb.connect(str(warehouse / "papers.duckdb"), read_only=True) as con:
        assert con.execute("SELECT count(*) FROM validation_results WHERE run_id = ? AND NOT success",
                           [run_id]).fetchone()[0] >= 1
