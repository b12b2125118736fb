"""`tools.bench` end to end at a tiny size: every stage runs as a real Dagster run and is reported."""

from __future__ import annotations

import json

from tools.bench import STAGES, main

STAGE_NAMES = ["ingest", *STAGES]


def _positive(row: dict) -> None:
    assert row["wall_s"] > 0 and row["cpu_s"] > 0 and row["peak_rss_mb"] > 0, row


def test_bench_writes_every_stage(tmp_path, monkeypatch):
    monkeypatch.setenv("PAPERS_WAREHOUSE_DIR", str(tmp_path / "warehouse"))
    assert main(["--papers", "500", "--no-startup"]) == 0

    results = json.loads((tmp_path / "warehouse" / "bench" / "results.json").read_text())
    size = results["sizes"]["500"]
    assert size["papers"] == 500 and size["bytes"] > 0 and size["success"]
    for ref in ("wc_l", "duckdb_lines_to_parquet"):
        _positive(size["references"][ref])
    for run in (size["stages"],):
        assert list(run) == STAGE_NAMES
        for name in STAGE_NAMES:
            row = run[name]
            _positive(row)
            assert row["success"], name
            assert row["step_s"] > 0 and row["steps_s"], name
            assert row["ratio_to_duckdb_lines"] > 0, name
    assert size["stages"]["ingest"]["mb_per_s"] > 0
    assert size["stages"]["corpus_validation"]["rows_per_s"] > 0
    # the bench warehouse is a real one: the last stage built papers.duckdb with every paper
    import duckdb

    con = duckdb.connect(str(tmp_path / "warehouse" / "bench" / "500" / "warehouse" / "papers.duckdb"),
                         read_only=True)
    try:
        assert con.execute("SELECT count(*) FROM papers").fetchall()[0][0] == 500
    finally:
        con.close()
