"""The production shape of Dagster: deploy/dagster.yaml loads with the installed packages (the image's deploy
group), the Dockerfile builds that group, and a real PostgreSQL server (Debian's `postgresql` package, on a
loopback port, in a temporary data folder) backs an instance whose daemon runs 20 landing-file partitions
as separate queued runs with the run limit holding."""

from __future__ import annotations

import glob
import importlib
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import tomllib
from pathlib import Path

import dagster as dg
import pytest
import yaml
from tests.conftest import ROOT

DEPLOY = ROOT / "deploy"


def _deploy_config() -> dict:
    return yaml.safe_load((DEPLOY / "dagster.yaml").read_text(encoding="utf-8"))


def test_instance_config_loads_with_the_installed_packages(tmp_path, monkeypatch):
    """What the image's instance ConfigMap holds: valid for Dagster, every configured class importable and
    its config valid for that class (dagster_postgres for the storage, dagster_k8s for the run launcher)."""
    from dagster._config import validate_config
    from dagster._core.instance.config import dagster_instance_config
    from dagster_postgres import DagsterPostgresStorage
    from dagster_postgres.utils import pg_config

    shutil.copy(DEPLOY / "dagster.yaml", tmp_path / "dagster.yaml")
    monkeypatch.setenv("DAGSTER_PG_PASSWORD", "secret")
    config, _ = dagster_instance_config(str(tmp_path))
    assert validate_config(pg_config(), config["storage"]["postgres"]).success
    assert DagsterPostgresStorage.config_type()
    for part in ("run_coordinator", "run_launcher"):
        entry = config[part]
        klass = getattr(importlib.import_module(entry["module"]), entry["class"])
        result = validate_config(klass.config_type(), entry.get("config", {}))
        assert result.success, (part, result.errors)
    assert config["run_launcher"]["class"] == "K8sRunLauncher"
    assert config["concurrency"]["pools"]["default_limit"] == 1


def test_the_image_installs_the_locked_deploy_group_as_a_non_root_user():
    dockerfile = (ROOT / "Dockerfile").read_text(encoding="utf-8")
    syncs = [line for line in dockerfile.splitlines() if "uv sync" in line]
    assert syncs and all("--frozen" in s and "--group deploy" in s and "--no-default-groups" in s for s in syncs)
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    packages = project["tool"]["hatch"]["build"]["targets"]["wheel"]["packages"]
    for folder in [*packages, "sql"]:
        assert f"COPY {folder} ./{folder}" in dockerfile, folder
    users = [line.split()[1] for line in dockerfile.splitlines() if line.startswith("USER ")]
    assert users and users[-1] not in ("root", "0")
    deploy_group = project["dependency-groups"]["deploy"]
    assert any(d.startswith("dagster-postgres") for d in deploy_group)
    assert any(d.startswith("dagster-k8s") for d in deploy_group)
    lock = (ROOT / "uv.lock").read_text(encoding="utf-8")
    assert 'name = "dagster-postgres"' in lock and 'name = "dagster-k8s"' in lock
    values = yaml.safe_load((DEPLOY / "values.yaml").read_text(encoding="utf-8"))
    image = values["dagster-user-deployments"]["deployments"][0]["image"]
    assert f"docker build -t {image['repository']}:{image['tag']} ." in dockerfile


def _pg_binary(name: str) -> str:
    found = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"), reverse=True) or [shutil.which(name)]
    assert found[0], f"PostgreSQL's {name} not found: apt-get install postgresql (.ci/run installs it)"
    return found[0]


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="module")
def postgres_port():
    """A PostgreSQL server in a temporary folder on a loopback port, run as a non-root user (initdb refuses
    root), stopped and deleted afterwards."""
    folder = Path(tempfile.mkdtemp(prefix="papers-pg-", dir="/tmp"))
    os.chmod(folder, 0o755)
    as_user: list[str] = []
    if os.geteuid() == 0:
        shutil.chown(folder, user="nobody")
        as_user = ["runuser", "-u", "nobody", "--"]
    port = _free_port()
    data = folder / "data"
    subprocess.run([*as_user, _pg_binary("initdb"), "-D", str(data), "-U", "dagster", "--auth=trust", "-E", "UTF8"],
                   check=True, capture_output=True)
    options = f"-p {port} -c listen_addresses=127.0.0.1 -k {folder}"
    subprocess.run([*as_user, _pg_binary("pg_ctl"), "-D", str(data), "-l", str(folder / "log"), "-o", options,
                    "-w", "start"], check=True, capture_output=True)
    try:
        yield port
    finally:
        subprocess.run([*as_user, _pg_binary("pg_ctl"), "-D", str(data), "-m", "immediate", "stop"],
                       capture_output=True)
        shutil.rmtree(folder, ignore_errors=True)


MAX_RUNS = 3


@pytest.fixture
def pg_home(postgres_port, tmp_path, monkeypatch) -> Path:
    """A DAGSTER_HOME whose instance is deploy/dagster.yaml on the test server."""
    monkeypatch.setenv("DAGSTER_PG_PASSWORD", "unused-with-trust-auth")  # the instance config reads it
    home = tmp_path / "home"
    home.mkdir()
    (home / "dagster.yaml").write_text(_instance_yaml(postgres_port), encoding="utf-8")
    return home


def _instance_yaml(port: int) -> str:
    """deploy/dagster.yaml with the test server for storage and runs launched as local processes."""
    config = _deploy_config()
    config["storage"]["postgres"]["postgres_db"].update(hostname="127.0.0.1", port=port, db_name="postgres")
    del config["run_launcher"]  # the default launcher: a process per run instead of a pod
    config["concurrency"]["runs"]["max_concurrent_runs"] = MAX_RUNS
    config["run_coordinator"]["config"] = {"dequeue_interval_seconds": 1}
    return yaml.safe_dump(config)


def _max_overlap(windows: list[tuple[float, float]]) -> int:
    edges = sorted([(start, 1) for start, _ in windows] + [(end, -1) for _, end in windows])
    running = peak = 0
    for _, step in edges:
        running += step
        peak = max(peak, running)
    return peak


def test_daemon_runs_twenty_partitions_as_queued_runs_on_postgres(pg_home, tmp_path):
    from tools.synthetic import generate_dump

    landing, warehouse, home = tmp_path / "landing", tmp_path / "warehouse", pg_home
    keys = [f"dump-{i:02d}.txt" for i in range(20)]
    for i, key in enumerate(keys):
        generate_dump(landing / key, 5, seed=i)
    workspace = tmp_path / "workspace.yaml"
    workspace.write_text(yaml.safe_dump({"load_from": [
        {"python_module": {"module_name": "workflows.definitions", "working_directory": str(ROOT)}}]}))
    env = {**os.environ, "PAPERS_LANDING_DIR": str(landing), "PAPERS_WAREHOUSE_DIR": str(warehouse),
           "DAGSTER_HOME": str(home)}
    bin_dir = Path(sys.executable).parent
    with dg.DagsterInstance.from_config(str(home)) as instance:
        instance.add_dynamic_partitions("landing_files", keys)  # as the landing sensor does
    daemon = subprocess.Popen([str(bin_dir / "dagster-daemon"), "run", "-w", str(workspace)], cwd=tmp_path, env=env,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    try:
        submitted = subprocess.run(
            [str(bin_dir / "dagster"), "job", "backfill", "-w", str(workspace), "-j", "ingest_landing_file",
             "--partitions", ",".join(keys), "--noprompt"],
            cwd=tmp_path, env=env, capture_output=True, text=True, timeout=300)
        assert submitted.returncode == 0, submitted.stdout[-2000:] + submitted.stderr[-2000:]
        records = _wait_for_runs(home, len(keys), daemon, timeout=420)
    finally:
        daemon.terminate()
        daemon.wait(timeout=60)
    assert [r.dagster_run.status for r in records] == [dg.DagsterRunStatus.SUCCESS] * len(keys)
    assert sorted(r.dagster_run.tags["dagster/partition"] for r in records) == keys
    with dg.DagsterInstance.from_config(str(home)) as instance:
        stats = [instance.get_run_stats(r.dagster_run.run_id) for r in records]
        # from launch (the queue let it out) to end: runs did overlap, never more than the limit
        assert 1 < _max_overlap([(s.launch_time, s.end_time) for s in stats]) <= MAX_RUNS
        assert instance.get_materialized_partitions(dg.AssetKey("landing_file")) == set(keys)
        assert type(instance.run_storage).__name__ == "PostgresRunStorage"


def _wait_for_runs(home: Path, count: int, daemon: subprocess.Popen, timeout: float):
    deadline = time.monotonic() + timeout
    with dg.DagsterInstance.from_config(str(home)) as instance:
        while True:
            records = instance.get_run_records(dg.RunsFilter(job_name="ingest_landing_file"))
            if len(records) >= count and all(r.dagster_run.is_finished for r in records):
                return records
            assert daemon.poll() is None, "the Dagster daemon exited"
            assert time.monotonic() < deadline, f"{sum(r.dagster_run.is_finished for r in records)} runs finished"
            time.sleep(1)


def _claim(context, step: str, seconds: float) -> bool:
    """Ask for a `warehouse` slot for `step` until granted or `seconds` pass (the client polls)."""
    deadline = time.monotonic() + seconds
    while not context.claim("warehouse", step):
        if time.monotonic() > deadline:
            return False
        time.sleep(0.2)
    return True


def test_the_warehouse_pool_admits_one_run_at_a_time_on_postgres(pg_home):
    """The executor's own slot client against the PostgreSQL event log: while one run holds the `warehouse`
    pool (limit 1 from the instance's default_limit), another run's step waits; freed, it is admitted."""
    from dagster._core.execution.plan.instance_concurrency_context import InstanceConcurrencyContext
    from dagster._core.test_utils import create_run_for_test

    with dg.DagsterInstance.from_config(str(pg_home)) as instance:
        runs = [create_run_for_test(instance, job_name="refresh_corpus") for _ in range(2)]
        with InstanceConcurrencyContext(instance, runs[0]) as first, \
                InstanceConcurrencyContext(instance, runs[1]) as second:
            assert _claim(first, "corpus", 10)
            assert not _claim(second, "corpus", 3)
            first.free_step("corpus")
            assert _claim(second, "corpus", 30)
            second.free_step("corpus")
        assert instance.event_log_storage.get_concurrency_info("warehouse").slot_count == 1
