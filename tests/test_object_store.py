"""The landing folder and the warehouse on object storage, against a real S3 API: moto's server mode on a
loopback port, started by the fixture. Every run is `python -m workflows.cli run` as a child process.

The tests of one bucket run in file order: two concurrent first runs, an unchanged second run on another
machine (a fresh scratch folder), then the four SIGKILL points of publishing a new release."""

from __future__ import annotations

import hashlib
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from tests.conftest import ROOT, SAMPLE

from assets.core.object_store import CRASH_POINTS, LOCK, acquire_lock, open_store, parse_location
from tools.bench_object_store import start_moto

BUCKET = "papers"
KEYS = {"AWS_ACCESS_KEY_ID": "test", "AWS_SECRET_ACCESS_KEY": "test", "AWS_REGION": "us-east-1"}


@pytest.fixture(scope="module")
def s3_env(tmp_path_factory):
    """A moto S3 server on loopback and the environment of a run against it (landing and warehouse on s3://)."""
    server, endpoint = start_moto()
    env = {**os.environ, **KEYS, "AWS_ENDPOINT_URL": endpoint, "PYTHONUNBUFFERED": "1",  # output of killed runs
           "PAPERS_LANDING_DIR": f"s3://{BUCKET}/landing", "PAPERS_WAREHOUSE_DIR": f"s3://{BUCKET}/wh"}
    env.pop("DAGSTER_HOME", None)
    admin = _admin(env)
    admin.create_bucket(Bucket=BUCKET)
    admin.upload_file(str(SAMPLE), BUCKET, f"landing/{SAMPLE.name}")
    env["_SCRATCH_BASE"] = str(tmp_path_factory.mktemp("scratch"))
    yield env
    server.terminate()
    server.wait(timeout=30)


def _admin(env):
    import boto3

    return boto3.client("s3", endpoint_url=env["AWS_ENDPOINT_URL"], region_name="us-east-1",
                        aws_access_key_id="test", aws_secret_access_key="test")


def _store(env, url=f"s3://{BUCKET}/wh"):
    return open_store(parse_location(url, "test"), env)


def run_cli(env, machine: str, *args: str, **extra: str) -> subprocess.CompletedProcess:
    """`make run` on one `machine` (its own scratch folder), as a child process."""
    env = {**env, "PAPERS_SCRATCH_DIR": str(Path(env["_SCRATCH_BASE"]) / machine), **extra}
    return subprocess.run([sys.executable, "-m", "workflows.cli", "run", *args], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=600)


def _get(store, path: str) -> bytes:
    import obstore

    return bytes(obstore.get(store, path).bytes())


def verified_latest(store) -> tuple[str, dict]:
    """The version `published/latest.json` names, after checking every file its manifest lists exists in
    the bucket with the manifest's bytes and sha256."""
    version = json.loads(_get(store, "published/latest.json"))["version"]
    manifest = json.loads(_get(store, f"published/{version}/manifest.json"))
    files = [f for ds in manifest["datasets"].values() for f in ds["files"]] + list(manifest.get("diffs", {}).values())
    assert files
    for entry in files:
        data = _get(store, f"published/{entry['path']}")
        assert (len(data), hashlib.sha256(data).hexdigest()) == (entry["bytes"], entry["sha256"]), entry["path"]
    return version, manifest


def _objects(store) -> dict[str, str]:
    import obstore

    return {m["path"]: m["e_tag"] for batch in obstore.list(store) for m in batch}


def test_an_unsupported_scheme_is_a_setup_error_that_creates_nothing(tmp_path):
    for variable, value in [("PAPERS_WAREHOUSE_DIR", "ftp://x/wh"), ("PAPERS_LANDING_DIR", "gs://b/landing"),
                            ("PAPERS_WAREHOUSE_DIR", "s3:///no-bucket")]:
        env = {**os.environ, "PAPERS_LANDING_DIR": str(tmp_path), "PAPERS_WAREHOUSE_DIR": str(tmp_path / "wh"),
               variable: value, "DAGSTER_HOME": f"{value}/dagster_home"}
        run = subprocess.run([sys.executable, "-m", "workflows.cli", "run"], cwd=tmp_path, env=env,
                             capture_output=True, text=True, timeout=120)
        assert run.returncode == 2, run.stderr
        lines = run.stderr.strip().splitlines()
        assert len(lines) == 1 and lines[0].startswith("error: ") and value in lines[0]
        assert list(tmp_path.iterdir()) == []


@pytest.fixture(scope="module")
def first_runs(s3_env):
    """Two machines start `make run` against the same empty warehouse at once."""
    env = {**s3_env}
    procs = []
    for machine in ("a", "b"):
        scratch = str(Path(env["_SCRATCH_BASE"]) / machine)
        procs.append(subprocess.Popen([sys.executable, "-m", "workflows.cli", "run"], cwd=ROOT,
                                      env={**env, "PAPERS_SCRATCH_DIR": scratch},
                                      stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True))
    return [(p.wait(timeout=600), *p.communicate()) for p in procs]


def test_of_two_concurrent_runs_exactly_one_publishes(first_runs):
    codes = sorted(code for code, _, _ in first_runs)
    assert codes == [0, 2], first_runs
    _, _, loser_err = next(r for r in first_runs if r[0] == 2)
    assert loser_err.startswith("error: warehouse s3://papers/wh is busy: pid ") and ".run.lock" in loser_err
    _, winner_out, _ = next(r for r in first_runs if r[0] == 0)
    assert "published release 1.0.0" in winner_out


def test_the_sample_on_s3_publishes_a_complete_release(s3_env, first_runs):
    store = _store(s3_env)
    version, manifest = verified_latest(store)
    assert version == "1.0.0" and manifest["datasets"]["papers"]["rows"] > 0
    objects = _objects(store)
    assert LOCK not in objects  # released
    assert not [p for p in objects if p.startswith(("dagster_home/", "tmp/")) or "/." in f"/{p}" and p != ".state.json"]


def test_a_consumer_reads_the_latest_release_from_the_bucket(s3_env, first_runs):
    """What a user outside the pipeline does: follow latest.json, read the manifest's files."""
    import polars as pl
    import pyarrow.dataset as ds
    import pyarrow.fs

    _, manifest = verified_latest(_store(s3_env))
    paths = [f"{BUCKET}/wh/published/{f['path']}" for f in manifest["datasets"]["papers"]["files"]]
    options = {"aws_endpoint_url": s3_env["AWS_ENDPOINT_URL"], "aws_allow_http": "true",
               "aws_access_key_id": "test", "aws_secret_access_key": "test", "aws_region": "us-east-1"}
    papers = pl.read_parquet([f"s3://{p}" for p in paths], storage_options=options)
    fs = pyarrow.fs.S3FileSystem(endpoint_override=s3_env["AWS_ENDPOINT_URL"], access_key="test",
                                 secret_key="test", region="us-east-1", scheme="http")
    table = ds.dataset(paths, filesystem=fs, format="parquet").to_table()
    assert papers.height == table.num_rows == manifest["datasets"]["papers"]["rows"]
    assert papers.columns == table.schema.names


def test_a_second_unchanged_run_on_another_machine_publishes_nothing(s3_env, first_runs):
    store = _store(s3_env)
    before = _objects(store)
    run = run_cli(s3_env, "c")  # a fresh scratch folder: everything comes from the bucket, verified
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-3000:]
    assert "no change: nothing published, latest stays 1.0.0" in run.stdout
    after = _objects(store)
    assert after["published/latest.json"] == before["published/latest.json"]
    assert {p for p in after if p.startswith("published/")} == {p for p in before if p.startswith("published/")}


def test_a_run_killed_at_each_point_of_publishing_never_shows_a_partial_release(s3_env, first_runs):
    """A new landing object makes a new release; the run is SIGKILLed at each of the 4 points of pushing it.
    Readers following latest.json see 1.0.0 complete until the pointer is pushed, then the new one complete;
    the lock of a killed run is taken over; a last run leaves no shared data file no manifest lists."""
    from tools.synthetic import generate_dump

    extra = Path(s3_env["_SCRATCH_BASE"]) / "extra.txt"
    generate_dump(extra, 20, seed=7)
    _admin(s3_env).upload_file(str(extra), BUCKET, "landing/extra.txt")
    store = _store(s3_env)
    versions = []
    for point in CRASH_POINTS:
        run = run_cli(s3_env, "a", PAPERS_CRASH_AT=point)
        assert run.returncode == -9, (point, run.stdout[-2000:], run.stderr[-2000:])
        assert "published release" in run.stdout, (point, run.stdout[-2000:])
        versions.append(verified_latest(store)[0])
        assert LOCK in _objects(store)  # left behind by the killed run
    assert versions[:3] == ["1.0.0"] * 3 and versions[3] not in ("1.0.0", None)
    run = run_cli(s3_env, "a")
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-3000:]
    assert f"no change: nothing published, latest stays {versions[3]}" in run.stdout
    assert verified_latest(store)[0] == versions[3]
    objects = _objects(store)
    listed = set()
    for version in {p.split("/")[1] for p in objects if re.fullmatch(r"published/[0-9.]+/manifest\.json", p)}:
        manifest = json.loads(_get(store, f"published/{version}/manifest.json"))
        listed |= {f"published/{f['path']}" for ds in manifest["datasets"].values() for f in ds["files"]}
    assert {p for p in objects if p.startswith("published/data/")} == listed
    assert LOCK not in objects


def test_the_lock_object_admits_exactly_one_of_many_concurrent_takers(s3_env):
    from concurrent.futures import ThreadPoolExecutor

    store = _store(s3_env, f"s3://{BUCKET}/lock-race")

    def take(i: int):
        try:
            return acquire_lock(store, {"pid": i}, lambda holder: False, wait_seconds=0)
        except Exception as error:  # noqa: BLE001 - BucketBusy for the losers
            return type(error).__name__

    with ThreadPoolExecutor(8) as pool:
        outcomes = list(pool.map(take, range(8)))
    assert sorted(o == "BucketBusy" for o in outcomes) == [False] + [True] * 7


def test_a_dagster_launched_run_refuses_a_url_instead_of_making_a_folder(tmp_path, monkeypatch):
    """The resource the stages read: a URL is an error there (only `make run` mirrors s3://), never `s3:/...`."""
    from assets.core.resources import PipelinePaths

    monkeypatch.chdir(tmp_path)
    for value in ("s3://papers/wh", "ftp://x/wh"):
        with pytest.raises(ValueError, match="PAPERS_WAREHOUSE_DIR"):
            _ = PipelinePaths(landing_dir=str(tmp_path), warehouse_dir=value).tables
    assert list(tmp_path.iterdir()) == []
