"""Sensor, schedule, definitions and concurrent partition runs, through Dagster's own testing APIs."""

from __future__ import annotations

import gc
import os
import shutil
import subprocess
import sys
import weakref
from pathlib import Path

import dagster as dg
from tests.conftest import ROOT, SAMPLE
from assets.core.resources import PipelinePaths


def _evaluate(landing: Path, warehouse: Path, cursor: str | None, instance):
    from workflows.sensors import landing_sensor

    context = dg.build_sensor_context(
        cursor=cursor,
        instance=instance,
        resources={"paths": PipelinePaths(landing_dir=str(landing), warehouse_dir=str(warehouse))},
    )
    return landing_sensor(context)


def test_sensor_requests_one_run_per_new_or_changed_content(tmp_path):
    landing = tmp_path / "landing"
    landing.mkdir()
    shutil.copy(SAMPLE, landing / "a.txt")
    with dg.instance_for_test() as instance:
        first = _evaluate(landing, tmp_path / "wh", None, instance)
        ingest = [r for r in first.run_requests if r.job_name == "ingest_landing_file"]
        assert [r.partition_key for r in ingest] == ["a.txt"]
        assert first.dynamic_partitions_requests[0].partition_keys == ["a.txt"]
        assert any(r.job_name == "refresh_corpus" for r in first.run_requests)

        again = _evaluate(landing, tmp_path / "wh", first.cursor, instance)
        assert again.run_requests == [] and again.dynamic_partitions_requests == []

        os.utime(landing / "a.txt", ns=(1, 1))  # touched, same content: hashed again, no run
        touched = _evaluate(landing, tmp_path / "wh", again.cursor, instance)
        assert touched.run_requests == []

        with open(landing / "a.txt", "a", encoding="utf-8") as handle:
            handle.write("\nA New Title About Memory\nThis abstract was appended later to test change detection.")
        changed = _evaluate(landing, tmp_path / "wh", touched.cursor, instance)
        ingest = [r for r in changed.run_requests if r.job_name == "ingest_landing_file"]
        assert len(ingest) == 1 and ingest[0].partition_key == "a.txt"
        assert ingest[0].run_key != [r for r in first.run_requests if r.job_name == "ingest_landing_file"][0].run_key

        (landing / "a.txt").unlink()
        removed = _evaluate(landing, tmp_path / "wh", changed.cursor, instance)
        assert removed.dynamic_partitions_requests[0].partition_keys == ["a.txt"]
        assert type(removed.dynamic_partitions_requests[0]).__name__ == "DeleteDynamicPartitionsRequest"


def test_schedule_targets_the_corpus_job_daily():
    from workflows.schedules import daily_refresh

    context = dg.build_schedule_context()
    request = daily_refresh.evaluate_tick(context).run_requests[0]
    assert daily_refresh.job_name == "refresh_corpus"
    assert daily_refresh.cron_schedule == "0 6 * * *"
    assert daily_refresh.default_status == dg.DefaultScheduleStatus.STOPPED
    assert request.job_name in (None, "refresh_corpus")


class _Node:
    me: object = None


def test_corpus_jobs_give_freed_memory_back_after_each_step(monkeypatch, tmp_path):
    """The corpus-wide steps share one process: both jobs that run them carry the hook that returns freed
    pages before the next step (workflows/memory.py), and the hook runs on a step's success."""
    import workflows.memory as memory
    from workflows.jobs import refit_topics, refresh_corpus

    for job in (refresh_corpus, refit_topics):
        assert memory.release_memory_after_step in job.hooks, job.name
    node = _Node()
    node.me = node  # a cycle only the collector frees
    dead, survivor = weakref.ref(node), [[]]
    del node
    frozen = gc.get_freeze_count()
    gc.disable()  # the collection under test, not an automatic one, frees the cycle
    try:
        memory.release_freed_memory()  # the real release runs here (glibc's malloc_trim when present)
    finally:
        gc.enable()
    assert dead() is None, "the dead cycle is collected"
    assert gc.get_freeze_count() >= frozen + len(survivor), "what survives leaves later collections"
    calls = []
    monkeypatch.setattr(memory, "release_freed_memory", lambda: calls.append("released"))

    @dg.asset
    def one_step() -> int:
        return 1

    job = dg.define_asset_job("one", hooks={memory.release_memory_after_step})
    result = dg.Definitions(assets=[one_step], jobs=[job]).resolve_job_def("one").execute_in_process()
    assert result.success and calls == ["released"]


def test_definitions_load_with_the_whole_graph(monkeypatch, tmp_path):
    monkeypatch.setenv("PAPERS_LANDING_DIR", str(tmp_path))
    monkeypatch.setenv("PAPERS_WAREHOUSE_DIR", str(tmp_path))
    from workflows.definitions import defs

    graph = defs.resolve_asset_graph()
    keys = {k.to_user_string() for k in graph.get_all_asset_keys()}
    assert {"landing_file", "papers", "topics", "claims", "topic_metrics", "release", "warehouse_db"} <= keys
    blocking = {key.name for key in graph.asset_check_keys if graph.get_check_spec(key).blocking}
    assert "paper_id_unique" in blocking or any("unique" in name for name in blocking)


def test_twenty_partitions_in_four_parallel_processes(tmp_path):
    """20 landing files ingested as 20 runs by 4 processes at once against one persistent instance."""
    from tools.synthetic import generate_dump

    landing = tmp_path / "landing"
    for i in range(20):
        generate_dump(landing / f"dump-{i:02d}.txt", 40, seed=i)
    warehouse = tmp_path / "warehouse"
    home = warehouse / "dagster_home"
    home.mkdir(parents=True)
    from workflows.cli import DAGSTER_YAML

    (home / "dagster.yaml").write_text(DAGSTER_YAML)
    env = {**os.environ, "PAPERS_LANDING_DIR": str(landing), "PAPERS_WAREHOUSE_DIR": str(warehouse),
           "DAGSTER_HOME": str(home)}
    keys = sorted(p.name for p in landing.iterdir())
    with dg.DagsterInstance.from_config(str(home)) as instance:  # storage created once, as `make run` does
        instance.add_dynamic_partitions("landing_files", keys)  # as the sensor does
    script = (
        "import sys, dagster as dg\n"
        "from workflows.definitions import defs\n"
        "instance = dg.DagsterInstance.get()\n"
        "job = defs.resolve_job_def('ingest_landing_file')\n"
        "ok = True\n"
        "for key in sys.argv[1:]:\n"
        "    result = job.execute_in_process(instance=instance, partition_key=key,\n"
        "        run_config={'execution': {'config': {'in_process': {}}}}, raise_on_error=False)\n"
        "    ok = ok and result.success\n"
        "sys.exit(0 if ok else 1)\n"
    )
    procs = [
        subprocess.Popen([sys.executable, "-c", script, *keys[i::4]], cwd=ROOT, env=env,
                         stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
        for i in range(4)
    ]
    outputs = [p.communicate(timeout=600)[0].decode(errors="replace") for p in procs]
    for proc, out in zip(procs, outputs):
        assert proc.returncode == 0, out[-3000:]
        assert "database is locked" not in out
    with dg.DagsterInstance.from_config(str(home)) as instance:
        materialized = instance.get_materialized_partitions(dg.AssetKey("landing_file"))
    assert materialized == set(keys)


def test_ui_serves_the_asset_graph_on_loopback(tmp_path):
    """Starts the Dagster webserver on a free loopback port and asks its GraphQL API for the assets."""
    import json
    import socket
    import time
    import urllib.request

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    env = {**os.environ, "PAPERS_LANDING_DIR": str(tmp_path), "PAPERS_WAREHOUSE_DIR": str(tmp_path),
           "DAGSTER_HOME": str(tmp_path)}
    server = subprocess.Popen(
        [str(Path(sys.executable).parent / "dagster-webserver"), "-h", "127.0.0.1", "-p", str(port),
         "-m", "workflows.definitions"],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True,
    )
    query = json.dumps({"query": "{ assetNodes { assetKey { path } groupName } }"}).encode()
    try:
        deadline = time.monotonic() + 120
        while True:
            try:
                request = urllib.request.Request(f"http://127.0.0.1:{port}/graphql", data=query,
                                                 headers={"Content-Type": "application/json"})
                with urllib.request.urlopen(request, timeout=10) as response:
                    nodes = json.load(response)["data"]["assetNodes"]
                if nodes:
                    break
            except (OSError, KeyError, TypeError):
                pass
            assert time.monotonic() < deadline, "webserver did not answer within 120 s"
            assert server.poll() is None, "webserver exited"
            time.sleep(1)
    finally:
        server.terminate()
        server.wait(timeout=30)
    groups = {node["assetKey"]["path"][-1]: node["groupName"] for node in nodes}
    assert groups["landing_file"] == "ingest" and groups["topics"] == "topics"
    assert groups["claims"] == "metrics" and groups["release"] == "publish"
