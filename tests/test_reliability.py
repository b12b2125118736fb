"""Issue 9: the pipeline survives being killed, re-runs, concurrent runs and hostile input.

Every pipeline run here is a real `python -m workflows.cli run` subprocess on temporary folders. The
expensive runs are shared: a reference run (and the hostile-input and disk-full runs) start in the
background as soon as the first test starts, while the crash chain runs in the foreground.
"""

from __future__ import annotations

import ast
import errno
import hashlib
import json
import os
import re
import resource
import shutil
import signal
import subprocess
import sys
import tempfile
import textwrap
import threading
import time
from pathlib import Path

import duckdb
import pyarrow.parquet as pq
import pytest

from tests.conftest import ROOT, SAMPLE

PY = sys.executable
LOGS = Path(tempfile.mkdtemp(prefix="reliability-logs-"))  # never inside a warehouse under test
RUN_TIMEOUT = 420  # a run that hangs (e.g. waiting for a pool slot of a dead run) fails the test


# ----------------------------------------------------------------------------------------- helpers


def cli_env(landing: Path, warehouse: Path, dagster_home: Path | None = None, **extra: str) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PAPERS_", "DAGSTER_"))}
    env.update(
        PAPERS_LANDING_DIR=str(landing),
        PAPERS_WAREHOUSE_DIR=str(warehouse),
        DAGSTER_HOME=str(dagster_home or warehouse / "dagster_home"),
        PYTHONUNBUFFERED="1",
        **extra,
    )
    return env


class Run:
    """A CLI run in a subprocess; output goes to files (a full pipe would block the run)."""

    def __init__(self, landing: Path, warehouse: Path, *args: str, dagster_home: Path | None = None,
                 log_dir: Path | None = None, **extra: str):
        log_dir = log_dir or LOGS
        stem = f"{warehouse.name}-{time.monotonic_ns()}"
        self.out_path, self.err_path = log_dir / f"{stem}.out", log_dir / f"{stem}.err"
        self.proc = subprocess.Popen(
            [PY, "-m", "workflows.cli", "run", *args],
            cwd=ROOT,
            env=cli_env(landing, warehouse, dagster_home, **extra),
            stdout=open(self.out_path, "w"),
            stderr=open(self.err_path, "w"),
        )

    @property
    def pid(self) -> int:
        return self.proc.pid

    def wait(self, timeout: float = RUN_TIMEOUT) -> int:
        try:
            return self.proc.wait(timeout)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
            pytest.fail(f"run hung for {timeout}s: {self.stdout[-2000:]}\n{self.stderr[-2000:]}")

    def kill(self) -> int:
        self.proc.send_signal(signal.SIGKILL)
        return self.proc.wait(60)

    @property
    def stdout(self) -> str:
        return self.out_path.read_text(errors="replace")

    @property
    def stderr(self) -> str:
        return self.err_path.read_text(errors="replace")


def run_cli(landing: Path, warehouse: Path, *args: str, **extra: str) -> Run:
    run = Run(landing, warehouse, *args, **extra)
    run.wait()
    return run


def kill_when(run: Run, condition, what: str, timeout: float = RUN_TIMEOUT) -> None:
    """SIGKILL `run` as soon as `condition()` holds (polled every millisecond or so)."""
    deadline = time.monotonic() + timeout
    while not condition():
        if run.proc.poll() is not None:
            pytest.fail(f"the run ended (rc {run.proc.returncode}) before {what}: {run.stderr[-2000:]}")
        if time.monotonic() > deadline:
            run.kill()
            pytest.fail(f"no {what} within {timeout}s")
        time.sleep(0.001)
    assert run.kill() == -signal.SIGKILL


def table_rows(path: Path) -> list[tuple]:
    con = duckdb.connect()
    try:
        return con.execute("SELECT * FROM read_parquet(?) ORDER BY ALL", [str(path)]).fetchall()
    finally:
        con.close()


def snapshot(warehouse: Path) -> dict:
    """What must be equal between two runs on the same input: every table's rows, the paper ids, the
    release versions and the latest manifest's dataset hashes."""
    from assets.core.release_format import latest_version, list_versions, read_manifest

    tables = {p.stem: table_rows(p) for p in sorted((warehouse / "tables").glob("*.parquet"))}
    published = warehouse / "published"
    version = latest_version(published)
    manifest = read_manifest(published / version) if version else {}
    return {
        "tables": tables,
        "paper_ids": sorted(r[0] for r in tables.get("papers", [])),
        "latest": version,
        "versions": list_versions(published),
        "dataset_hashes": {n: d["content_hash"] for n, d in manifest.get("datasets", {}).items()},
        "content_hash": manifest.get("content_hash"),
    }


def file_digests(folder: Path, pattern: str) -> dict[str, str]:
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.glob(pattern))
        if p.is_file()
    }


def assert_consistent(warehouse: Path) -> None:
    """What must hold at any moment, even right after a SIGKILL: every visible table is a complete
    Parquet file, temp files are hidden and never `*.parquet`, the latest release verifies."""
    from assets.core.release_format import latest_version, verify_release

    tables = warehouse / "tables"
    if tables.is_dir():
        for path in tables.iterdir():
            if path.name.endswith(".parquet"):
                assert not path.name.startswith("."), path
                pq.read_metadata(path)  # a half-written file has no footer and raises here
            else:
                assert path.name.startswith(".") and path.name.endswith(".tmp"), path
        con = duckdb.connect()
        try:  # what a reader globbing the folder sees: only complete tables
            files = con.execute("SELECT DISTINCT filename FROM read_parquet(?, filename = true)",
                                [str(tables / "*.parquet")]).fetchall()
            assert all(f[0].endswith(".parquet") and "/." not in f[0] for f in files)
        finally:
            con.close()
    published = warehouse / "published"
    if (published / "latest.json").exists():
        assert verify_release(published / latest_version(published)) == []


def one_error_line(stderr: str, library_noise: bool = False) -> str:
    """The CLI's own message is one `error:` line, the last of stderr. `library_noise`: a run that got
    as far as Dagster/GX steps also has their log lines above it (see the report: not silenced yet)."""
    if not library_noise:
        assert "Traceback" not in stderr, stderr
    errors = [line for line in stderr.splitlines() if line.startswith("error:")]
    assert len(errors) == 1, stderr
    assert stderr.rstrip("\n").splitlines()[-1] == errors[0]
    return errors[0]


def can_mount_tmpfs() -> bool:
    return os.geteuid() == 0 and shutil.which("mount") is not None


def mount_tmpfs(path: Path, options: str) -> bool:
    path.mkdir(parents=True, exist_ok=True)
    if not can_mount_tmpfs():
        return False
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", options, "tmpfs", str(path)], capture_output=True)
    return done.returncode == 0


def umount(path: Path) -> None:
    subprocess.run(["umount", "-l", str(path)], capture_output=True)


# --------------------------------------------------------------------------------- hostile landing

HOSTILE_NAMES = [
    "it's \"quoted\"; DROP TABLE papers;--.txt",
    "with  spaces .txt",
    "new\nline.txt",
    "naïve-日本語 — résumé.txt",
]


def messy_dump(path: Path, seed: int) -> None:
    """A dump with blank lines, an in-file duplicate, page boilerplate and reject lines."""
    from tools.synthetic import generate_dump

    generate_dump(path, 12, seed=seed)
    lines = path.read_text(encoding="utf-8").split("\n")
    lines[2] = lines[2].removeprefix("Subscribe")
    header, body = lines[:2] + ["Subscribe"], lines[2:]  # body: title, abstract, title, abstract, ...
    record = body[2:4]  # the second paper (title, abstract), repeated below: a duplicate
    messy = header + ["", ""] + body[:6] + ["", "Get trending papers in your email inbox!"] + body[6:]
    messy += record + [""]
    messy += ["x" * 25_000]  # too long for a title or an abstract: a reject
    messy += ["A heading without any abstract after it", "Another Title: With No Abstract Either", ""]
    messy += body[2:4]  # the duplicate again, after the rejects
    path.write_text("\n".join(messy) + "\n", encoding="utf-8")


@pytest.fixture(scope="module")
def area(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("reliability")


@pytest.fixture(scope="module")
def landing(area) -> Path:
    folder = area / "landing"
    folder.mkdir()
    shutil.copy2(SAMPLE, folder / SAMPLE.name)
    return folder


@pytest.fixture(scope="module")
def hostile_landing(area) -> Path:
    folder = area / "hostile"
    folder.mkdir()
    for i, name in enumerate(HOSTILE_NAMES):
        messy_dump(folder / name, seed=100 + i)
    outside = area / "outside"
    outside.mkdir()
    from tools.synthetic import generate_dump

    generate_dump(outside / "secret.txt", 5, seed=999)
    (folder / "escape.txt").symlink_to(outside / "secret.txt")
    return folder


@pytest.fixture(scope="module")
def background(area, landing, hostile_landing) -> dict:
    """Start the runs other tests compare against or inspect, in parallel with the crash chain."""
    runs = {
        "reference": Run(landing, area / "reference"),
        "hostile": Run(hostile_landing, area / "hostile_wh"),
    }
    yield runs
    for run in runs.values():
        if run.proc.poll() is None:
            run.kill()


@pytest.fixture(scope="module")
def reference(area, background) -> dict:
    run = background["reference"]
    assert run.wait() == 0, run.stderr[-3000:]
    warehouse = area / "reference"
    return {"warehouse": warehouse, "snapshot": snapshot(warehouse)}


# ------------------------------------------------------------------------------- 1. crash safety


def test_sigkill_in_every_stage_then_rerun_equals_an_uninterrupted_run(area, landing, background, request):
    """Chain of SIGKILLed runs on one warehouse (topics, publish x3, DuckDB load), then a clean run:
    the warehouse must equal the uninterrupted reference run's, with one release, and every
    intermediate state must be readable and verifiable."""
    from assets.core.release_format import latest_version, verify_release

    wh = area / "crashed"
    published = wh / "published"

    # topics: the temp file of topics.parquet is written, not yet renamed (polling cannot hit this
    # millisecond window, hence the PAPERS_CRASH_AT hook in assets/core/storage.py)
    run = run_cli(landing, wh, PAPERS_CRASH_AT="topics.parquet")
    assert run.proc.returncode == -signal.SIGKILL, run.stderr[-2000:]
    assert list((wh / "staging" / "tables").glob(".topics.parquet.*.tmp")), "the crash left no temp file?"
    assert not (wh / "tables" / "topics.parquet").exists()
    assert not (published / "latest.json").exists()
    assert_consistent(wh)

    # publish: the same hook at the release writer's named points (assets/publish/release.py)
    for stage in ("data_written", "before_rename"):
        run = run_cli(landing, wh, PAPERS_CRASH_AT=stage)
        assert run.proc.returncode == -signal.SIGKILL, (stage, run.stderr[-2000:])
        assert "run " in run.stdout and "was interrupted" in run.stdout  # the dead run's pool slot was freed
        assert list(published.glob(".tmp-1.0.0-*")), stage  # half-assembled release, invisible
        assert latest_version(published) is None and not (published / "1.0.0").exists()
        assert_consistent(wh)
    run = run_cli(landing, wh, PAPERS_CRASH_AT="before_pointer")
    assert run.proc.returncode == -signal.SIGKILL
    assert not list(published.glob(".tmp-*")), "debris of earlier crashes was not cleaned"
    assert latest_version(published) is None and verify_release(published / "1.0.0") == []
    assert_consistent(wh)

    # DuckDB load: killed while `.papers.duckdb.<pid>.building` exists (polled)
    run = Run(landing, wh)
    kill_when(run, lambda: any(wh.glob(".papers.duckdb.*.building")), "DuckDB build file")
    assert latest_version(published) == "1.0.0"  # the complete 1.0.0 of the killed run was adopted
    assert not (wh / "papers.duckdb").exists()
    assert_consistent(wh)

    # a corrupt papers.duckdb does not matter: the run builds a new file and swaps it in
    (wh / "papers.duckdb").write_bytes(os.urandom(64 * 1024))
    run = run_cli(landing, wh)
    assert run.proc.returncode == 0, run.stderr[-3000:]
    assert_consistent(wh)
    reference = request.getfixturevalue("reference")  # the uninterrupted run, started in the background
    assert snapshot(wh) == reference["snapshot"]
    assert reference["snapshot"]["versions"] == ["1.0.0"]
    leftovers = [p.name for p in [*wh.glob(".papers.duckdb.*"), *(wh / "tables").glob(".*"), *published.glob(".tmp-*")]]
    assert leftovers == []
    con = duckdb.connect(str(wh / "papers.duckdb"), read_only=True)
    try:
        assert con.execute("SELECT count(*) FROM papers").fetchall()[0][0] == 210
        assert con.execute("SELECT list(version) FROM releases").fetchall()[0][0] == ["1.0.0"]
        assert con.execute("SELECT count(*) FROM published.papers").fetchall()[0][0] == 210
    finally:
        con.close()


def test_sigkill_during_ingest_then_rerun_equals_an_uninterrupted_parse(area):
    """Kill `run --only-ingest` while a big dump is parsed (a `.tmp-` folder exists): no output
    folder appears half-written, and the re-run's outputs equal an uninterrupted parse's."""
    from assets.ingest.landing import ingest_file, scan_landing
    from tools.synthetic import generate_dump

    landing = area / "big_landing"
    generate_dump(landing / "big.txt", 30_000, seed=7)
    wh = area / "big_wh"
    run = Run(landing, wh, "--only-ingest")
    kill_when(run, lambda: any((wh / "ingest").glob("*/.tmp-*")), "ingest temp folder")
    key_dir = wh / "ingest" / "big.txt"
    assert [p.name for p in key_dir.iterdir() if not p.name.startswith(".")] == []  # nothing visible

    rerun = run_cli(landing, wh, "--only-ingest")
    assert rerun.proc.returncode == 0, rerun.stderr[-2000:]
    (done,) = [p for p in key_dir.iterdir() if not p.name.startswith(".")]

    (file,), _ = scan_landing(landing)
    expected = ingest_file(file, area / "big_expected")
    assert done.name == expected.folder.name
    for name in ("sightings.parquet", "rejects.parquet", "report.parquet"):
        assert table_rows(done / name) == table_rows(expected.folder / name), name


# ------------------------------------------------- 2 + 3. idempotency, concurrent runs, analysts

ANALYST = textwrap.dedent(
    """
    import sys, duckdb
    path, mode = sys.argv[1], sys.argv[2]
    con = duckdb.connect(path, read_only=(mode == "ro"))
    before = con.execute("SELECT count(*) FROM papers").fetchall()[0][0]
    if mode == "rw":
        con.execute("CREATE TABLE analyst_note AS SELECT 42 AS answer")  # written into the old file
    print("ready", before, flush=True)
    sys.stdin.readline()  # hold the connection until told to look again
    still = con.execute("SELECT count(*) FROM papers").fetchall()[0][0]  # the old snapshot still works
    con.close()
    con = duckdb.connect(path, read_only=(mode == "ro"))
    tables = sorted(r[0] for r in con.execute("SELECT table_name FROM information_schema.tables").fetchall())
    print("after", still, con.execute("SELECT count(*) FROM papers").fetchall()[0][0],
          "analyst_note" in tables, "releases" in tables, flush=True)
    """
)


def start_analyst(database: Path, mode: str) -> subprocess.Popen:
    proc = subprocess.Popen([PY, "-c", ANALYST, str(database), mode], stdin=subprocess.PIPE,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    line = proc.stdout.readline()
    assert line.startswith("ready"), proc.stderr.read()
    return proc


def finish_analyst(proc: subprocess.Popen) -> list[str]:
    out, err = proc.communicate("next\n", timeout=60)
    assert proc.returncode == 0, err
    return out.split()


def test_concurrent_runs_and_open_analysts_give_the_result_of_one_run(reference, landing):
    """On the reference warehouse, with an analyst holding papers.duckdb read-write: run A, run B
    with --wait, and run C without: C is refused naming the lock (pid, age), B waits, then runs.
    Both re-runs change nothing (idempotent): same tables byte for byte, same ingest folders, no new
    release. A read-only analyst holds the file during B. Neither analyst blocks a swap."""
    wh = reference["warehouse"]
    before = snapshot(wh)
    tables_before = file_digests(wh, "tables/*.parquet")
    ingest_before = file_digests(wh, "ingest/**/*.parquet")
    published_before = file_digests(wh, "published/**/*")
    db_inode = (wh / "papers.duckdb").stat().st_ino

    rw = start_analyst(wh / "papers.duckdb", "rw")
    a = Run(landing, wh)
    lock = wh / ".run.lock"
    deadline = time.monotonic() + 120
    while f'"pid": {a.pid}' not in (lock.read_text() if lock.exists() else ""):
        assert a.proc.poll() is None and time.monotonic() < deadline, a.stderr[-2000:]
        time.sleep(0.05)
    b = Run(landing, wh, "--wait", "600")
    time.sleep(2)
    c = run_cli(landing, wh)
    assert c.proc.returncode == 2
    line = one_error_line(c.stderr)
    assert str(lock) in line and f"pid {a.pid}" in line and re.search(r"running for \d+s", line), line
    assert "--wait" in line
    assert b.proc.poll() is None  # still waiting for A's lock

    assert a.wait() == 0, a.stderr[-3000:]
    assert (wh / "papers.duckdb").stat().st_ino != db_inode  # rebuilt and swapped in despite the open file
    after_a = finish_analyst(rw)
    # old connection kept its snapshot; a new one sees the new file (without the note written to the old)
    assert after_a == ["after", "210", "210", "False", "True"]

    ro = start_analyst(wh / "papers.duckdb", "ro")
    assert b.wait() == 0, b.stderr[-3000:]
    assert finish_analyst(ro) == ["after", "210", "210", "False", "True"]

    assert snapshot(wh) == before
    assert file_digests(wh, "tables/*.parquet") == tables_before  # byte for byte
    assert file_digests(wh, "ingest/**/*.parquet") == ingest_before  # parsed once, reused
    assert file_digests(wh, "published/**/*") == published_before  # no new release, nothing rewritten
    con = duckdb.connect(str(wh / "papers.duckdb"), read_only=True)
    try:
        assert con.execute("SELECT count(*) FROM releases").fetchall()[0][0] == 1
    finally:
        con.close()


# ------------------------------------------------------------------ 4 + 5. hostile input, accounting


def test_hostile_file_names_symlink_and_line_accounting(area, background, hostile_landing):
    import polars as pl

    run = background["hostile"]
    assert run.wait() == 0, run.stdout[-3000:] + run.stderr[-3000:]
    assert "'escape.txt'" in run.stdout and "symbolic link" in run.stdout
    con = duckdb.connect(str(area / "hostile_wh" / "papers.duckdb"), read_only=True)
    try:
        files = con.execute(
            "SELECT source_file, lines, paper_lines, duplicate_lines, blank_lines, boilerplate_lines, reject_lines"
            " FROM ingest_files ORDER BY source_file"
        ).fetchall()
        assert sorted(f[0] for f in files) == sorted(HOSTILE_NAMES)
        for name, lines, paper, dup, blank, boiler, reject in files:
            assert lines == paper + dup + blank + boiler + reject, name
            assert dup == 4 and blank >= 4 and boiler >= 3 and reject >= 2, (name, files)
        sources = {r[0] for r in con.execute("SELECT DISTINCT source_file FROM papers").fetchall()}
        assert sources == set(HOSTILE_NAMES)
        (reason,) = con.execute("SELECT reason FROM rejects WHERE source_file = 'escape.txt'").fetchall()[0]
        assert "symbolic link" in reason and "not followed" in reason
        secret = set((area / "outside" / "secret.txt").read_text().splitlines()[4::2])
        for name in HOSTILE_NAMES:
            secret -= set((hostile_landing / name).read_text().splitlines())
        assert secret
        titles = {r[0] for r in con.execute("SELECT title FROM papers").fetchall()}
        assert not secret & titles  # the symlink's target was never read
        assert con.execute("SELECT count(*) FROM rejects WHERE reason LIKE 'line too long%'").fetchall()[0][0] == 4
        accounted = con.execute(
            "SELECT bool_and(success), count(*) FROM validation_results"
            " WHERE asset = 'ingest_files' AND expectation = 'lines_accounted_for'"
        ).fetchall()[0]
        assert accounted == (True, 1)
        frame = pl.from_arrow(con.sql("SELECT * FROM ingest_files").to_arrow_table())
    finally:
        con.close()

    from assets.quality.gx_runner import validate

    doctored = frame.with_columns(
        pl.when(pl.col("source_file") == HOSTILE_NAMES[2]).then(pl.col("lines") + 1).otherwise(pl.col("lines"))
        .alias("lines")
    )
    outcome = validate("ingest_files", doctored, run_id="doctored")
    failed = {r.expectation: r for r in outcome.blocking_failures}
    assert set(failed) == {"lines_accounted_for"}, outcome.failure_message()
    assert HOSTILE_NAMES[2] in failed["lines_accounted_for"].unexpected_examples
    assert validate("ingest_files", frame, run_id="intact").success


def test_200mb_single_line_is_rejected_in_bounded_memory(area):
    """Peak RSS of the run (measured in a wrapper process, so earlier runs do not count) stays far
    below the file size; the line is one reject with a reason."""
    landing = area / "huge_landing"
    landing.mkdir()
    block = b"memory " * (1024 * 1024 // 7)
    with open(landing / "huge.txt", "wb") as out:
        for _ in range(200):
            out.write(block)
    wh = area / "huge_wh"
    wrapper = textwrap.dedent(
        """
        import resource, subprocess, sys
        rc = subprocess.run(sys.argv[1:]).returncode
        print(rc, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
        """
    )
    done = subprocess.run([PY, "-c", wrapper, PY, "-m", "workflows.cli", "run", "--only-ingest"], cwd=ROOT,
                          env=cli_env(landing, wh), capture_output=True, text=True, timeout=RUN_TIMEOUT)
    rc, peak_kib = map(int, done.stdout.split()[-2:])
    assert rc == 0, done.stderr[-2000:]
    assert peak_kib < 600 * 1024, f"peak RSS {peak_kib // 1024} MiB for a 200 MiB line"  # was 2.8 GiB
    (folder,) = (wh / "ingest" / "huge.txt").iterdir()
    rejects = pq.read_table(folder / "rejects.parquet").to_pylist()
    assert [(r["line_number"], r["line_count"]) for r in rejects] == [(1, 1)]
    assert rejects[0]["reason"].startswith("line too long")
    report = pq.read_table(folder / "report.parquet").to_pylist()[0]
    assert report["bytes"] == (landing / "huge.txt").stat().st_size and report["lines"] == report["reject_lines"] == 1


def test_file_growing_while_read_is_parsed_consistently(area):
    """A writer appends to a dump while it is parsed: the report describes exactly the bytes read
    (their sha256 and length), every read line is accounted for, and the next ingest sees the rest."""
    from assets.ingest.landing import ingest_file, scan_landing
    from tools.synthetic import generate_dump

    landing = area / "growing"
    path = landing / "growing.txt"
    generate_dump(path, 20_000, seed=3)
    tail = area / "tail.txt"
    generate_dump(tail, 3_000, seed=4)
    extra = tail.read_text(encoding="utf-8").split("\n", 3)[3].encode()  # papers without the header
    start_size = path.stat().st_size
    (file,), _ = scan_landing(landing)
    stop = threading.Event()

    def append():
        with open(path, "ab") as out:
            out.write(b"\n")
            for i in range(0, len(extra), 4096):
                if stop.is_set():
                    return
                out.write(extra[i:i + 4096])
                out.flush()
                time.sleep(0.0005)

    writer = threading.Thread(target=append)
    writer.start()
    try:
        first = ingest_file(file, area / "growing_ingest")
    finally:
        stop.set()
        writer.join()
    report = first.report
    data = path.read_bytes()
    assert len(data) > start_size
    assert report["sha256"] == hashlib.sha256(data[: report["bytes"]]).hexdigest()
    assert report["lines"] == sum(report[k] for k in ("paper_lines", "duplicate_lines", "blank_lines",
                                                      "boilerplate_lines", "reject_lines"))
    assert pq.read_metadata(first.sightings).num_rows == report["papers"] + report["duplicate_lines"] // 2
    (file,), _ = scan_landing(landing)
    second = ingest_file(file, area / "growing_ingest")
    assert second.report["bytes"] == len(data) and second.report["sha256"] == hashlib.sha256(data).hexdigest()
    assert not second.reused or report["bytes"] == len(data)


LIBRARY_QUOTING = {"ColumnExpression", "ConstantExpression"}  # duckdb's renderers quote names and literals


def test_no_sql_is_built_by_formatting_names_or_values():
    """A static scan of assets/ and workflows/: SQL handed to DuckDB is `load_sql(...)` text with bound
    parameters; any f-string / % / .format / + building SQL fails this test."""
    sql_start = re.compile(r"^\s*(SELECT|WITH|CREATE|INSERT|UPDATE|DELETE|COPY|ATTACH|DROP|ALTER|PRAGMA|SET)\b")
    found = set()
    for path in sorted([*ROOT.glob("assets/**/*.py"), *ROOT.glob("workflows/**/*.py")]):
        rel = path.relative_to(ROOT).as_posix()
        tree = ast.parse(path.read_text(encoding="utf-8"))
        parents = {}
        for node in ast.walk(tree):
            for child in ast.iter_child_nodes(node):
                parents[child] = node

        def function_of(node) -> str:
            while node in parents:
                node = parents[node]
                if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                    return node.name
            return "<module>"

        def only_load_sql(node: ast.JoinedStr) -> bool:
            """Constant text, `load_sql(...)`, or a name/literal quoted by DuckDB's own expression renderer
            (for statements such as COMMENT ON that take no bound parameters)."""
            return all(
                isinstance(v, ast.Constant)
                or (isinstance(v, ast.FormattedValue) and isinstance(v.value, ast.Call)
                    and (getattr(v.value.func, "id", "") == "load_sql"
                         or getattr(v.value.func, "attr", "") in LIBRARY_QUOTING))
                for v in node.values
            )

        for node in ast.walk(tree):
            text = None
            if isinstance(node, ast.JoinedStr) and not only_load_sql(node):
                text = "".join(v.value for v in node.values if isinstance(v, ast.Constant))
            elif isinstance(node, ast.BinOp) and isinstance(node.op, (ast.Mod, ast.Add)) and isinstance(node.left, ast.Constant):
                text = str(node.left.value)
            elif isinstance(node, ast.Call) and getattr(node.func, "attr", "") == "format" and isinstance(node.func.value, ast.Constant):
                text = str(node.func.value.value)
            elif isinstance(node, ast.Call) and getattr(node.func, "attr", "") in {"execute", "sql", "query", "executemany"} and node.args:
                first = node.args[0]
                if isinstance(first, ast.JoinedStr) and not only_load_sql(first):
                    found.add((rel, function_of(node)))
                    continue
            if text is not None and sql_start.match(text):
                found.add((rel, function_of(node)))
    assert not found, f"SQL built by string formatting (bind values, use load_sql): {sorted(found)}"


def test_dagster_ui_binds_to_loopback():
    """`make dev` goes through workflows/launch.py, which starts `dg dev` on 127.0.0.1 only."""
    from argparse import Namespace

    from workflows.launch import commands

    makefile = (ROOT / "Makefile").read_text()
    dev = makefile.split("\ndev:", 1)[1].split("\n\n", 1)[0]
    assert "workflows.launch dev" in dev, dev
    (command,) = commands(Namespace(command="dev", port=3000))
    assert command[1:4] == ["dev", "--host", "127.0.0.1"], command
    assert "0.0.0.0" not in makefile


# ------------------------------------------------------------------------------- 6. clear errors


def test_missing_landing_folder(area):
    run = run_cli(area / "no_such_landing", area / "wh_missing")
    assert run.proc.returncode == 2
    line = one_error_line(run.stderr)
    assert str(area / "no_such_landing") in line and "PAPERS_LANDING_DIR" in line


def test_unwritable_warehouse(area, landing):
    blocker = area / "a_file"
    blocker.write_text("not a folder")
    run = run_cli(landing, blocker / "warehouse")
    assert run.proc.returncode == 2
    line = one_error_line(run.stderr)
    assert str(blocker / "warehouse") in line and "not writable" in line and "PAPERS_WAREHOUSE_DIR" in line

    readonly = area / "readonly"
    if not mount_tmpfs(readonly, "ro,size=1m"):
        pytest.skip("cannot mount a read-only tmpfs here (the path-under-a-file case passed)")
    try:
        run = run_cli(landing, readonly, dagster_home=area / "dh_readonly")
        assert run.proc.returncode == 2
        line = one_error_line(run.stderr)
        assert str(readonly) in line and "not writable" in line and "Read-only file system" in line
    finally:
        umount(readonly)


def test_disk_full(area, landing):
    full = area / "full"
    if not mount_tmpfs(full, "size=160k"):
        pytest.skip("cannot mount a small tmpfs here")
    try:
        run = run_cli(landing, full / "wh", dagster_home=area / "dh_full")
        assert run.proc.returncode == 2, run.stdout[-2000:] + run.stderr[-3000:]
        line = one_error_line(run.stderr, library_noise=True)
        assert "no space left" in line and str(full / "wh") in line and "free some space" in line
        assert_consistent(full / "wh")
    finally:
        umount(full)
