"""Shared fixtures: one warehouse built from the sample dump per test session, by a real `make run`
equivalent (Dagster runs on a persistent instance), shared by every test that only reads it."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "data" / "landing" / "hf_papers_memory.txt"


def run_cli(landing: Path, warehouse: Path, *args: str) -> int:
    """Run `python -m workflows.cli run` in this process with the given folders."""
    from workflows.cli import main

    environ = {"PAPERS_LANDING_DIR": str(landing), "PAPERS_WAREHOUSE_DIR": str(warehouse),
               "DAGSTER_HOME": str(warehouse / "dagster_home")}
    return main(["run", *args], environ=environ)


@pytest.fixture(scope="session")
def sample_landing(tmp_path_factory) -> Path:
    landing = tmp_path_factory.mktemp("landing")
    shutil.copy(SAMPLE, landing / SAMPLE.name)
    return landing


@pytest.fixture(scope="session")
def built_warehouse(sample_landing, tmp_path_factory) -> Path:
    """The sample dump run through the whole pipeline once; tests must not modify it."""
    warehouse = tmp_path_factory.mktemp("warehouse")
    assert run_cli(sample_landing, warehouse) == 0
    return warehouse


@pytest.fixture(scope="session")
def db(built_warehouse):
    import duckdb

    con = duckdb.connect(str(built_warehouse / "papers.duckdb"), read_only=True)
    yield con
    con.close()
