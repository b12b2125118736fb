"""Cost in proportion to the change: unchanged landing files cost no Dagster run, many new files are
parsed in one batch, and a damaged per-file output is parsed again instead of being trusted."""

from __future__ import annotations

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
    assert f"landing: {files} files, {files} unchanged, 0 new or changed" in capsys.readouterr().out
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

    assert run_cli(landing, warehouse) == 0
    assert "1 files, 0 unchanged, 1 new or changed" in capsys.readouterr().out
    [sightings] = (warehouse / "ingest").glob("*/*/sightings.parquet")
    assert sightings.read_bytes() == clean
