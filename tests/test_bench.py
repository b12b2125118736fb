"""`tools.bench` end to end at a tiny size: the users' command runs for real and every figure is reported."""

from __future__ import annotations

import json

from tools.bench import STAGES, main


def test_bench_reports_full_incremental_and_sample_runs(tmp_path, monkeypatch):
    monkeypatch.setenv("PAPERS_WAREHOUSE_DIR", str(tmp_path / "warehouse"))
    assert main(["--papers", "500", "--incremental"]) == 0

    results = json.loads((tmp_path / "warehouse" / "bench" / "results.json").read_text())
    size = results["sizes"]["500"]
    assert size["papers"] == 500 and size["bytes"] > 0
    for ref in ("wc_l", "duckdb_lines_to_parquet"):
        assert size["references"][ref]["wall_s"] > 0 and size["references"][ref]["mb_per_s"] > 0
    for run in (size["full"], size["incremental"], results["sample"]["run"]):
        assert run["returncode"] == 0 and run["wall_s"] > 0 and run["cpu_s"] > 0 and run["peak_rss_mb"] > 0
        assert set(run["stages_s"]) == {"ingest", *STAGES}
        assert all(seconds > 0 for seconds in run["stages_s"].values()), run["stages_s"]
    assert size["full"]["release_bytes_added"] > 0 and size["full"]["ratio_to_duckdb_lines"] > 0
    assert 0 < size["incremental"]["release_bytes_added"] and size["incremental"]["ratio_to_sample_alone"] > 0
    # the bench warehouse is a real one: papers.duckdb holds every paper, the sample's included
    import duckdb

    con = duckdb.connect(str(tmp_path / "warehouse" / "bench" / "500" / "warehouse" / "papers.duckdb"),
                         read_only=True)
    try:
        assert con.execute("SELECT count(*) FROM papers").fetchall()[0][0] == 500 + 210
    finally:
        con.close()
