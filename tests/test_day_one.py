"""Day one, as a new user: a fresh clone of the project, every command of the README run as written from
its root (`make dev` in the background, so `make launch` runs must show up in that UI), then what the
README promises of the result: another account reads the release, a DuckDB 1.x CLI opens papers.duckdb
with every column commented, an unchanged second `make run` prints only its own lines, and an empty
landing folder or a failed gate leaves the good warehouse byte-identical.

One clone and one warehouse serve every test here (module scope), in file order; `HOME` is a fresh
folder, so anything written outside the warehouse and Dagster home shows up there."""

from __future__ import annotations

import hashlib
import json
import os
import re
import shlex
import shutil
import signal
import socket
import subprocess
import tempfile
import time
import urllib.request
from pathlib import Path

import pytest

from tests.conftest import ROOT, run_cli

SKIPPED = {"make test": "the suite this test belongs to"}
GARBAGE = "<!DOCTYPE html>\n<html><head><title>502 Bad Gateway</title></head>\n<body><h1>Bad Gateway</h1></body></html>\n"


def readme_blocks() -> list[tuple[str, str]]:
    return re.findall(r"```(bash|python)\n(.*?)```", (ROOT / "README.md").read_text(encoding="utf-8"), re.S)


def readme_commands() -> list[str]:
    commands = []
    for lang, block in readme_blocks():
        if lang == "bash":
            for line in block.splitlines():
                line = re.sub(r"\s+#\s.*$", "", line).strip()
                if line and not line.startswith("#"):
                    commands.append(line)
    return commands


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def graphql(port: int, query: str) -> dict:
    request = urllib.request.Request(f"http://127.0.0.1:{port}/graphql", data=json.dumps({"query": query}).encode(),
                                     headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=20) as response:
        return json.load(response)["data"]


RUNS = "{ runsOrError { ... on Runs { results { runId jobName status } } } }"


def ui_runs(port: int, deadline: float, server: subprocess.Popen) -> list[dict]:
    while True:
        try:
            return graphql(port, RUNS)["runsOrError"]["results"]
        except (OSError, KeyError, TypeError, ValueError):
            assert server.poll() is None, "make dev exited"
            assert time.monotonic() < deadline, "the UI did not answer"
            time.sleep(1)


class Walk:
    """The clone, its environment, and what each README command printed."""

    def __init__(self, root: Path, env: dict[str, str], home: Path):
        self.root, self.env, self.home = root, env, home
        self.outputs: dict[str, subprocess.CompletedProcess] = {}
        self.ui_runs: dict[str, list[dict]] = {}
        self.home_before: list[str] = []

    def sh(self, command: str, timeout: float = 600) -> subprocess.CompletedProcess:
        done = subprocess.run(command, shell=True, cwd=self.root, env=self.env, capture_output=True, text=True,
                              timeout=timeout)
        assert done.returncode == 0, f"{command}\n{done.stdout[-3000:]}\n{done.stderr[-3000:]}"
        return done

    @property
    def warehouse(self) -> Path:
        return self.root / "warehouse"


def _walk(walk: Walk) -> None:
    server = None
    port = int(walk.env["DEV_PORT"])
    try:
        for command in readme_commands():
            if command in SKIPPED:
                continue
            if command.endswith("&"):
                assert command == "make dev &", command
                server = subprocess.Popen(shlex.split(command[:-1]), cwd=walk.root, env=walk.env,
                                          stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
                walk.ui_runs["before"] = ui_runs(port, time.monotonic() + 180, server)
                continue
            walk.outputs[command] = walk.sh(command)
            if command.startswith("make launch") and server is not None:
                walk.ui_runs[command] = ui_runs(port, time.monotonic() + 60, server)
        for lang, block in readme_blocks():
            if lang == "python":  # the README's reading example, from the project root
                walk.sh(f"{walk.root}/.venv/bin/python -c {shlex.quote(block)}")
    finally:
        if server is not None:
            stop_process_group(server)


def stop_process_group(server: subprocess.Popen) -> None:
    """SIGTERM `make dev`'s process group (make, dg dev, the webserver, the daemon); SIGKILL it if it is
    still running after 60 s (on a loaded machine the daemon's shutdown can take that long)."""
    os.killpg(server.pid, signal.SIGTERM)
    try:
        server.wait(timeout=60)
    except subprocess.TimeoutExpired:
        os.killpg(server.pid, signal.SIGKILL)
        server.wait(timeout=30)


@pytest.fixture(scope="module")
def walk():
    """`git clone` of this project (committed state) into a folder other accounts may enter; make setup
    and every README command there, with a fresh HOME (the package caches stay where they are)."""
    base = Path(tempfile.mkdtemp(prefix="day-one-"))
    os.chmod(base, 0o755)
    root, home = base / "papers", base / "home"
    home.mkdir()
    subprocess.run(["git", "clone", "-q", str(ROOT), str(root)], check=True)
    pip_config = Path.home() / ".config" / "pip"  # the machine's package index settings stay in effect
    if pip_config.is_dir():
        shutil.copytree(pip_config, home / ".config" / "pip")
    caches = {"UV_CACHE_DIR": os.environ.get("UV_CACHE_DIR", str(Path.home() / ".cache" / "uv")),
              "PIP_CACHE_DIR": os.environ.get("PIP_CACHE_DIR", str(Path.home() / ".cache" / "pip"))}
    # a plain shell: nothing of ours, nothing of an enclosing `make test` (MAKELEVEL, MAKEFLAGS, its uv venv)
    ours = ("PAPERS_", "DAGSTER_", "MPLCONFIGDIR", "VIRTUAL_ENV", "PYTHONPATH", "MAKE", "MFLAGS", "UV_PROJECT_")
    env = {**{k: v for k, v in os.environ.items() if not k.startswith(ours)},
           "HOME": str(home), "DEV_PORT": str(free_port()), **caches}
    result = Walk(root, env, home)
    result.home_before = sorted(str(p.relative_to(home)) for p in home.rglob("*"))
    started = time.monotonic()
    _walk(result)
    print(f"README walk: {time.monotonic() - started:.0f}s")
    yield result
    subprocess.run(["rm", "-rf", str(base)], check=False)


def test_every_readme_command_does_what_it_says(walk):
    assert set(readme_commands()) - set(SKIPPED) <= set(walk.outputs) | {"make dev &"}
    run = walk.outputs["make run"].stdout
    assert "published release 1.0.0 (initial)" in run
    assert f"report: {walk.warehouse / 'published' / 'reports' / '1.0.0.html'}" in run
    assert re.search(r"corpus: 210 papers, 0 rejected lines, 0 quarantined files", run)
    assert re.search(r"^\[\s*[\d.]+s\] corpus: done in [\d.]+s \(papers 210 rows", run, re.M)  # progress lines
    queries = [c for c in walk.outputs if c.startswith(".tools/bin/duckdb")]
    assert queries and all(walk.outputs[c].stdout.strip() for c in queries)
    assert "published.papers_diff" in " ".join(queries)
    assert "topic_id" in next(out.stdout for c, out in walk.outputs.items() if c.startswith(".venv/bin/python -c"))


def test_dg_launch_lands_on_the_instance_the_ui_shows(walk):
    """Each `make launch` run is listed by the UI `make dev` serves, succeeded, ran its steps in one
    process; the sensor and schedule are on in that same instance."""
    import dagster as dg

    before = {r["runId"] for r in walk.ui_runs["before"]}
    assert len(before) >= 2  # make run's ingest and corpus runs are on the same instance
    launches = [c for c in walk.ui_runs]
    for command, job in (("make launch JOB=ingest_landing_file PARTITION=hf_papers_memory.txt", "ingest_landing_file"),
                         ("make launch JOB=refresh_corpus", "refresh_corpus")):
        assert command in launches
        new = [r for r in walk.ui_runs[command] if r["runId"] not in before]
        assert [(r["jobName"], r["status"]) for r in new] == [(job, "SUCCESS")], new
        before |= {r["runId"] for r in new}
    with dg.DagsterInstance.from_config(str(walk.warehouse / "dagster_home")) as instance:
        refresh = [r for r in instance.get_runs() if r.job_name == "refresh_corpus"][0]
        messages = [e.message for e in instance.all_logs(refresh.run_id) if e.message]
        assert any("Executing steps in process" in m for m in messages)
        running = {s.instigator_name for s in instance.all_instigator_state()
                   if s.status == dg._core.scheduler.instigation.InstigatorStatus.RUNNING}
    assert {"landing_sensor", "daily_refresh"} <= running


def test_another_account_reads_the_release(walk):
    published = walk.warehouse / "published"
    version = json.loads((published / "latest.json").read_text())["version"]
    manifest = json.loads((published / version / "manifest.json").read_text())
    files = [published / "latest.json", published / "reports" / f"{version}.html", published / "CHANGELOG.md",
             published / manifest["datasets"]["papers"]["files"][0]["path"], walk.warehouse / "papers.duckdb"]
    for path in files:
        done = subprocess.run(["setpriv", "--reuid=nobody", "--regid=nogroup", "--clear-groups", "cat", str(path)],
                              capture_output=True)
        assert done.returncode == 0 and done.stdout == path.read_bytes(), (path, done.stderr)


def test_duckdb_1x_cli_opens_papers_duckdb_and_every_column_has_a_comment(walk):
    cli = walk.root / ".tools" / "bin" / "duckdb"  # installed by the README's `make duckdb-cli`
    assert "v1.5.6" in walk.sh(f"{cli} --version").stdout
    query = ("SELECT count(*) FILTER (WHERE comment IS NULL), count(*) FROM duckdb_columns() "
             "WHERE database_name = current_database()")
    missing, total = walk.sh(f"{cli} -readonly -csv -noheader warehouse/papers.duckdb \"{query}\"").stdout.split(",")
    assert int(missing) == 0 and int(total) > 280
    objects = ("SELECT count(*) FILTER (WHERE comment IS NULL) FROM (SELECT comment FROM duckdb_tables() "
               "WHERE database_name = current_database() UNION ALL SELECT comment FROM duckdb_views() "
               "WHERE database_name = current_database() AND NOT internal)")
    assert walk.sh(f"{cli} -readonly -csv -noheader warehouse/papers.duckdb \"{objects}\"").stdout.strip() == "0"


def test_unchanged_second_run_prints_no_library_noise_and_names_the_latest_version(walk):
    done = walk.sh("make run")
    own = re.compile(r"^(\[\s*[\d.]+s\] |\.venv/bin/python -m workflows\.cli run$|landing: |run [0-9a-f-]+: succeeded|"
                     r"corpus: |topics: |no change: |report: |warehouse: )")
    noise = [line for line in done.stdout.splitlines() if not own.match(line)]
    assert noise == [] and done.stderr == "", (noise, done.stderr)
    assert "no change: nothing published, latest stays 1.0.0" in done.stdout
    assert "Validation result not found" not in done.stdout + done.stderr


def test_nothing_is_written_under_home(walk):
    """The pipeline, the UI and the Dagster commands write nothing under HOME (package installers may:
    `make duckdb-cli`'s pip touches ~/.rustup here)."""
    installers = (".rustup", ".cache/pip", ".cache/uv")
    new = [str(p.relative_to(walk.home)) for p in walk.home.rglob("*")]
    assert [p for p in new if p not in walk.home_before and not p.startswith(installers)] == []
    assert (walk.warehouse / "cache" / "matplotlib").is_dir()


def _digests(folder: Path, skip: tuple[str, ...]) -> dict[str, str]:
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file() and not str(p.relative_to(folder)).startswith(skip)}


def _partitions(warehouse: Path) -> list[str]:
    import dagster as dg

    with dg.DagsterInstance.from_config(str(warehouse / "dagster_home")) as instance:
        return sorted(instance.get_dynamic_partitions("landing_files"))


def test_empty_landing_folder_is_a_setup_error_that_changes_nothing(walk, tmp_path, capsys):
    empty = tmp_path / "empty"
    empty.mkdir()
    before, partitions = _digests(walk.warehouse, ("dagster_home", ".run.lock")), _partitions(walk.warehouse)
    assert run_cli(empty, walk.warehouse) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and err[0].startswith("error: landing folder") and str(empty) in err[0], err
    assert _digests(walk.warehouse, ("dagster_home", ".run.lock")) == before and _partitions(walk.warehouse) == partitions


def test_failed_gate_changes_nothing_a_reader_sees_and_its_results_are_in_sql(walk, tmp_path, capsys):
    import duckdb

    landing = tmp_path / "landing"
    landing.mkdir()
    (landing / "error page.txt").write_text(GARBAGE, encoding="utf-8")
    seen = ("tables", "papers.duckdb", "published")
    before = {k: v for k, v in _digests(walk.warehouse, ()).items() if k.startswith(seen)}
    partitions = _partitions(walk.warehouse)
    assert run_cli(landing, walk.warehouse) == 1
    out = capsys.readouterr()
    assert {k: v for k, v in _digests(walk.warehouse, ()).items() if k.startswith(seen)} == before
    assert _partitions(walk.warehouse) == partitions
    run_id = re.search(r"run_id = '([0-9a-f-]+)'", out.err)[1]
    with duckdb.connect(str(walk.warehouse / "papers.duckdb"), read_only=True) as con:
        failed = con.execute("SELECT count(*) FROM validation_results WHERE run_id = ? AND NOT success",
                             [run_id]).fetchone()[0]
    assert failed >= 1


def test_output_files_follow_the_umask(tmp_path):
    from assets.core.storage import write_text_atomic

    modes = {}
    for mask in (0o077, 0o022, 0o002):
        old = os.umask(mask)
        try:
            write_text_atomic(tmp_path / f"{mask:o}.txt", "x")
        finally:
            os.umask(old)
        modes[mask] = (tmp_path / f"{mask:o}.txt").stat().st_mode & 0o777
    assert modes == {0o077: 0o600, 0o022: 0o644, 0o002: 0o664}
