"""Cost in proportion to the change: unchanged landing files cost no Dagster run, many new files are
parsed in one batch, and a damaged per-file output is parsed again instead of being trusted."""

from __future__ import annotations

import json

import dagster as dg

from conftest import SAMPLE, run_cli
from tools.synthetic import generate_dump
from workflows.cli import MAX_PER_FILE_RUNS


def _runs_by_job(warehouse) -> dict[str, int]:
    with dg.DagsterInstance.from_config(str(warehouse / "dagster_home")) as instance:
        counts: dict[str, int] = {}
        for run in instance.get_runs():
            counts[run.job_name] = counts.get(run.job_name, 0) + 1
        return counts


def _materializations(warehouse, asset: str) -> list:
    with dg.DagsterInstance.from_config(str(warehouse / "dagster_home")) as instance:
        records = instance.fetch_materializations(dg.AssetKey(asset), limit=100).records
        return [record.asset_materialization for record in reversed(records)]


def test_many_landing_files_batch_then_nothing_per_file(tmp_path, capsys):
    landing, warehouse = tmp_path / "landing", tmp_path / "warehouse"
    files = MAX_PER_FILE_RUNS + 10
    for i in range(files):
        generate_dump(landing / f"day-{i:03d}.txt", 3, seed=i)
    assert run_cli(landing, warehouse) == 0
    assert "parsed in one batch by the corpus run" in capsys.readouterr().out
    assert _runs_by_job(warehouse) == {"refresh_corpus": 1}
    with dg.DagsterInstance.from_config(str(warehouse / "dagster_home")) as instance:
        materialized = instance.get_materialized_partitions(dg.AssetKey("landing_file"))
    assert materialized == {f"day-{i:03d}.txt" for i in range(files)}

    assert run_cli(landing, warehouse) == 0
    out = capsys.readouterr().out
    assert f"landing: {files} files, {files} unchanged, 0 new or changed" in out
    assert "no change: nothing published, latest stays 1.0.0" in out
    assert "topics: assigned (model " in out
    assert _runs_by_job(warehouse) == {"refresh_corpus": 2}

    generate_dump(landing / "day-new.txt", 3, seed=999)  # one new file: one per-file run
    assert run_cli(landing, warehouse) == 0
    assert _runs_by_job(warehouse) == {"refresh_corpus": 3, "ingest_landing_file": 1}


def test_damaged_ingest_output_is_parsed_again(tmp_path, capsys):
    landing, warehouse = tmp_path / "landing", tmp_path / "warehouse"
    landing.mkdir()
    (landing / SAMPLE.name).write_bytes(SAMPLE.read_bytes())
    assert run_cli(landing, warehouse) == 0
    [sightings] = (warehouse / "ingest").glob("*/*/sightings.parquet")
    clean = sightings.read_bytes()
    damaged = bytearray(clean)
    damaged[len(damaged) // 2] ^= 0x01
    sightings.write_bytes(bytes(damaged))
    capsys.readouterr()

    assert run_cli(landing, warehouse) == 0  # the corpus run checks the output before using it
    [sightings] = (warehouse / "ingest").glob("*/*/sightings.parquet")
    assert sightings.read_bytes() == clean
    assert _materializations(warehouse, "landing_file")[-1].metadata["parsed_by"].value == "corpus batch"

    [record] = (warehouse / "ingest").glob("*/*/checksums.json")  # the report copy is sealed by a digest too
    clean_record = record.read_text()
    record.write_text(clean_record.replace('"papers": 210', '"papers": 211'))
    assert record.read_text() != clean_record
    assert run_cli(landing, warehouse) == 0
    assert record.read_text() == clean_record and len(_materializations(warehouse, "landing_file")) == 3


def _published(warehouse) -> dict[str, "pl.DataFrame"]:
    """Every dataset of the latest release, read through its manifest, rows in key order."""
    import polars as pl

    from assets.core.contracts import PUBLIC_DATASETS
    from assets.core.release_format import dataset_files, read_manifest, release_dir

    release = release_dir(warehouse / "published")
    manifest = read_manifest(release)
    return {name: pl.read_parquet(dataset_files(release, name, manifest)).sort(list(key))
            for name, key in PUBLIC_DATASETS.items()}


def _decision(warehouse) -> dict:
    import json

    return json.loads((warehouse / "topic_model" / "decision.json").read_text(encoding="utf-8"))


def test_five_dumps_incrementally_equal_a_scratch_build_with_the_same_topic_model(tmp_path):
    """Dumps land one by one (an abstract edited, a file removed on the way); the published datasets equal
    those of one build of the final landing folder that starts from the same fitted topic model."""
    import os
    import shutil

    from polars.testing import assert_frame_equal

    from assets.ingest.parser import parse_file

    landing, warehouse = tmp_path / "landing", tmp_path / "incremental"
    generate_dump(landing / "d1.txt", 400, seed=1)
    assert run_cli(landing, warehouse) == 0
    assert _decision(warehouse)["action"] == "fitted"
    for day in (2, 3, 4, 5):
        generate_dump(landing / f"d{day}.txt", 15, seed=day)
        if day == 3:  # one abstract edited in the first dump
            text = (landing / "d1.txt").read_text(encoding="utf-8").split("\n")
            text[3] = text[3] + " We also report a 3.5x speedup."
            (landing / "d1.txt").write_text("\n".join(text), encoding="utf-8")
        if day == 4:  # one file removed
            (landing / "d2.txt").unlink()
        assert run_cli(landing, warehouse) == 0
        decision = _decision(warehouse)
        assert decision["action"] == "assigned", f"day {day}: a refit was triggered: {decision['reasons']}"
        assert 0 < decision["papers_scored"] < 40, decision  # only the new and edited papers

    # the same topic model (with the scores that record which texts it was fitted on); nothing else reused
    scratch = tmp_path / "scratch"
    shutil.copytree(warehouse / "topic_model", scratch / "topic_model")
    assert run_cli(landing, scratch) == 0
    assert _decision(scratch)["action"] == "assigned"

    incremental, rebuilt = _published(warehouse), _published(scratch)
    different = []
    for name in incremental:
        try:
            assert_frame_equal(incremental[name], rebuilt[name], check_exact=True)
        except AssertionError as error:
            different.append(f"{name}: {error}")
    assert different == []
    papers = incremental["papers"]
    kept = {p.paper_id for name in ("d1.txt", "d3.txt", "d4.txt", "d5.txt") for p in parse_file(landing / name).papers}
    assert papers.height == len(kept) > 400  # d2's own papers left with its file
    assert papers.filter(papers["abstract"].str.ends_with("We also report a 3.5x speedup.")).height == 1
    assert os.listdir(warehouse / "published" / "data")  # versions share one store of data files
    from assets.core.release_format import read_manifest, release_dir

    topic_model = read_manifest(release_dir(warehouse / "published"))["topic_model"]
    assert topic_model["action"] == "assigned" and topic_model["model_id"] == _decision(warehouse)["model"]["model_id"]
