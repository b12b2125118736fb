"""Issue 19: what the next run does with what a crash, a disk or a person left behind.

Each case damages a copy of one reference warehouse (built once from the sample by a real CLI run) and
runs the real CLI on it: the run ends with exit 0 and the published data of a clean run (same rows, same
versions), or with one `error:` line (exit 2), and never waits forever.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import textwrap
import time
import uuid
from pathlib import Path

import duckdb
import pytest

from tests.conftest import ROOT, SAMPLE
from tests.test_reliability import Run, can_mount_tmpfs, cli_env, mount_tmpfs, one_error_line, snapshot, umount

PY = sys.executable
HANG = 240  # a run still going after this long is hung (a clean re-run takes ~20 s)


@pytest.fixture(scope="module")
def area(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("recovery")


@pytest.fixture(scope="module")
def landing(area) -> Path:
    folder = area / "landing"
    folder.mkdir()
    shutil.copy2(SAMPLE, folder / SAMPLE.name)
    return folder


@pytest.fixture(scope="module")
def runs(area, landing, accounting_landing) -> dict:
    """The two runs that start from nothing, started together: the reference and the accounting case."""
    started = {"reference": Run(landing, area / "reference"),
               "accounting": Run(accounting_landing, area / "accounting_wh")}
    yield started
    for run in started.values():
        if run.proc.poll() is None:
            run.kill()


@pytest.fixture(scope="module")
def reference(area, runs) -> dict:
    """One clean run; every case works on a copy of its warehouse."""
    assert runs["reference"].wait() == 0, runs["reference"].stderr[-3000:]
    return {"warehouse": area / "reference", "snapshot": snapshot(area / "reference")}


def copy_of(reference: dict, area: Path, name: str) -> Path:
    target = area / name
    shutil.copytree(reference["warehouse"], target, symlinks=True)
    return target


def rerun(landing: Path, warehouse: Path, *args: str, timeout: float = HANG) -> Run:
    run = Run(landing, warehouse, *args)
    run.wait(timeout)
    return run


def flip_byte(path: Path, offset: int | None = None) -> None:
    data = bytearray(path.read_bytes())
    offset = len(data) // 2 if offset is None else offset
    data[offset] ^= 0x04
    path.write_bytes(bytes(data))


def cached(warehouse: Path, name: str) -> Path:
    (path,) = (warehouse / "ingest").glob(f"*/*/{name}")
    return path


def published_data_file(warehouse: Path, dataset: str) -> Path:
    from assets.core.release_format import read_manifest

    manifest = read_manifest(warehouse / "published" / "1.0.0")
    return warehouse / "published" / manifest["datasets"][dataset]["files"][0]["path"]


def assert_like_reference(warehouse: Path, reference: dict) -> None:
    from assets.core.release_format import latest_version, verify_release

    assert snapshot(warehouse) == reference["snapshot"]
    published = warehouse / "published"
    assert verify_release(published / latest_version(published)) == []
    con = duckdb.connect(str(warehouse / "papers.duckdb"), read_only=True)
    try:
        assert con.execute("SELECT list(version) FROM releases").fetchall()[0][0] == reference["snapshot"]["versions"]
        assert con.execute("SELECT count(*) FROM papers").fetchall()[0][0] == len(reference["snapshot"]["paper_ids"])
    finally:
        con.close()


# ---------------------------------------------------------------- 1. a dead run never hangs the next

ZOMBIE_PARENT = textwrap.dedent(
    """
    import os, sys, time
    child = os.fork()
    if child == 0:
        os.dup2(os.open(os.devnull, os.O_WRONLY), 1)
        os.execv(sys.executable, [sys.executable, "-m", "workflows.cli", "run"])
    print(child, flush=True)
    time.sleep(3600)  # never waits for the child: once killed, it stays a zombie
    """
)


def process_state(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except FileNotFoundError:
        return "gone"


@pytest.fixture(scope="module")
def after_crash(area, landing, reference) -> dict:
    """One warehouse, one recovery run, several things left behind (each case is asserted by its own test):
    the CLI ran as the child of a parent that never reaps it and was SIGKILLed in the corpus step, holding
    the `warehouse` pool slot, so its pid still exists as a zombie; then one byte of the cached
    sightings.parquet and one of the latest release's papers file were flipped and latest.json was
    truncated. The recovery run used to spin at 99% CPU forever on the slot."""
    wh = copy_of(reference, area, "after_crash")
    env = cli_env(landing, wh, PAPERS_CRASH_AT="ingest_files.parquet")
    parent = subprocess.Popen([PY, "-c", ZOMBIE_PARENT], cwd=ROOT, env=env, stdout=subprocess.PIPE, text=True)
    try:
        child = int(parent.stdout.readline())
        deadline = time.monotonic() + HANG
        while process_state(child) != "Z":
            assert time.monotonic() < deadline, f"the child never died: {process_state(child)}"
            time.sleep(0.2)
        damaged = {"sightings": cached(wh, "sightings.parquet"), "data_file": published_data_file(wh, "papers")}
        flip_byte(damaged["sightings"])
        flip_byte(damaged["data_file"])
        (wh / "published" / "latest.json").write_text('{"vers')
        run = rerun(landing, wh)
        still_zombie = process_state(child) == "Z"
    finally:
        parent.kill()
        parent.wait()
    return {"run": run, "warehouse": wh, "still_zombie": still_zombie, **damaged}


def test_run_killed_holding_the_pool_slot_as_an_unreaped_zombie_does_not_hang_the_next_run(after_crash, reference):
    run = after_crash["run"]
    assert run.proc.returncode == 0, run.stderr[-3000:]
    assert "was interrupted" in run.stdout
    assert after_crash["still_zombie"]  # recovery did not depend on the dead run being reaped
    assert_like_reference(after_crash["warehouse"], reference)


def test_a_run_of_a_reused_pid_is_recovered(area):
    """A restarted container hands the next run the pid of the killed one: a STARTED run tagged with this
    very process's pid but another process start time is abandoned, and its pool slot is freed."""
    import dagster as dg

    from workflows.cli import dagster_home
    from workflows.lock import CLI_HOST_TAG, CLI_PID_TAG, CLI_START_TAG, recover_abandoned_runs

    home = dagster_home(area / "reused_pid", {})
    instance = dg.DagsterInstance.from_config(str(home))
    run_id = str(uuid.uuid4())
    tags = {CLI_PID_TAG: str(os.getpid()), CLI_START_TAG: "another-boot:12345", CLI_HOST_TAG: socket.gethostname()}
    instance.add_run(dg.DagsterRun(job_name="refresh_corpus", run_id=run_id, status=dg.DagsterRunStatus.STARTED,
                                   tags=tags))
    instance.event_log_storage.set_concurrency_slots("warehouse", 1)  # the CLI's dagster.yaml default
    assert instance.event_log_storage.claim_concurrency_slot("warehouse", run_id, "corpus").is_claimed
    assert run_id in recover_abandoned_runs(instance)
    assert instance.get_run_by_id(run_id).status == dg.DagsterRunStatus.FAILURE
    assert instance.event_log_storage.get_concurrency_info("warehouse").claimed_slots == []


def test_a_pool_slot_held_by_a_live_run_ends_in_one_error_line_after_the_wait(area, landing, reference):
    """Another live run (this test process) holds the `warehouse` slot: the CLI gives up after --wait
    seconds with one line naming that run, instead of waiting forever."""
    import dagster as dg

    from workflows.lock import cli_run_tags

    wh = copy_of(reference, area, "busy_pool")
    instance = dg.DagsterInstance.from_config(str(wh / "dagster_home"))
    holder = str(uuid.uuid4())
    instance.add_run(dg.DagsterRun(job_name="refresh_corpus", run_id=holder, status=dg.DagsterRunStatus.STARTED,
                                   tags=cli_run_tags()))
    assert instance.event_log_storage.claim_concurrency_slot("warehouse", holder, "corpus").is_claimed
    started = time.monotonic()
    run = rerun(landing, wh, "--wait", "5", timeout=120)
    assert run.proc.returncode == 2, run.stderr[-3000:]
    line = one_error_line(run.stderr)
    assert holder in line and "pool 'warehouse'" in line and "--wait" in line, line
    assert time.monotonic() - started < 90
    instance.event_log_storage.free_concurrency_slots_for_run(holder)
    published = wh / "published"
    assert json.loads((published / "latest.json").read_text())["version"] == "1.0.0"


# ------------------------------------------------ 2 + 3 + 4. reused files are verified and repaired


def test_flipped_byte_in_a_cached_output_is_detected_and_parsed_again(after_crash, reference):
    """One flipped byte in a cached sightings.parquet used to change 26 abstracts silently."""
    run = after_crash["run"]
    assert run.proc.returncode == 0, run.stderr[-3000:]
    assert f"parsed the file again: {after_crash['sightings']} does not have the sha256" in run.stderr
    assert "no change: nothing published" in run.stdout
    assert_like_reference(after_crash["warehouse"], reference)


def test_damaged_release_file_is_rewritten_in_place(after_crash, reference):
    """One flipped byte in the latest release's papers file: every run used to fail
    release_matches_manifest without naming the file while latest.json kept serving it. The file is
    rewritten from the current tables (same content, same bytes) and named; the version stays 1.0.0."""
    run, wh = after_crash["run"], after_crash["warehouse"]
    rel = after_crash["data_file"].relative_to(wh / "published").as_posix()
    assert f"{rel} failed its manifest: rewritten from the current tables" in run.stderr
    assert_like_reference(wh, reference)


def test_truncated_pointer_is_rebuilt(after_crash):
    run = after_crash["run"]
    assert "latest.json is unreadable" in run.stderr and "rebuilt from the manifest of release 1.0.0" in run.stderr
    assert json.loads((after_crash["warehouse"] / "published" / "latest.json").read_text()) == {"version": "1.0.0"}


def test_pointer_naming_a_missing_version_is_rebuilt(area, reference):
    from assets.publish.repair import rebuild_latest_pointer

    published = copy_of(reference, area, "missing_version") / "published"
    (published / "latest.json").write_text('{"version": "9.9.9"}\n')
    note = rebuild_latest_pointer(published)
    assert "names release 9.9.9" in note and "release 1.0.0" in note
    assert json.loads((published / "latest.json").read_text()) == {"version": "1.0.0"}
    assert rebuild_latest_pointer(published) is None


# ------------------------------------------------------- 4 + 5. deleted pointer, stale DuckDB WAL

ANALYST = textwrap.dedent(
    """
    import sys, time, duckdb
    con = duckdb.connect(sys.argv[1])
    con.execute("PRAGMA wal_autocheckpoint='1GB'")
    con.execute("CREATE TABLE analyst_note AS SELECT 42 AS answer")
    print("wrote", flush=True)
    time.sleep(3600)
    """
)


def test_deleted_pointer_dead_analysts_wal_and_truncated_cache_are_repaired(area, landing, reference):
    """A second release (a dump added), then latest.json deleted (the next run used to publish 2.0.0 as
    "initial", every paper "added"), papers.duckdb.wal left by an analyst connection killed after
    writing (the new file would not open while runs exited 0), and the added dump's cached rejects.parquet
    truncated (every run used to fail until the folder was deleted): the pointer is rebuilt from the
    newest manifest, the stale log is moved aside, the dump is parsed again, papers.duckdb opens, and
    nothing new is published."""
    from tools.synthetic import generate_dump

    wh = copy_of(reference, area, "pointer_wal")
    grown = area / "grown_landing"
    grown.mkdir()
    shutil.copy2(SAMPLE, grown / SAMPLE.name)
    generate_dump(grown / "added.txt", 12, seed=11)
    first = rerun(grown, wh)
    assert first.proc.returncode == 0 and "published release 1.0.1" in first.stdout, first.stderr[-3000:]
    second_release = {"warehouse": wh, "snapshot": snapshot(wh)}
    assert second_release["snapshot"]["versions"] == ["1.0.0", "1.0.1"]

    (wh / "published" / "latest.json").unlink()
    rejects = next((wh / "ingest" / "added.txt").glob("*/rejects.parquet"))
    rejects.write_bytes(rejects.read_bytes()[: rejects.stat().st_size // 2])  # every run used to fail on it
    analyst = subprocess.Popen([PY, "-c", ANALYST, str(wh / "papers.duckdb")], stdout=subprocess.PIPE, text=True)
    assert analyst.stdout.readline().strip() == "wrote"
    analyst.send_signal(signal.SIGKILL)
    analyst.wait()
    assert (wh / "papers.duckdb.wal").exists()
    run = rerun(grown, wh)
    assert run.proc.returncode == 0, run.stderr[-3000:]
    assert "latest.json is missing: rebuilt from the manifest of release 1.0.1" in run.stderr
    assert "papers.duckdb.wal belonged to the replaced database file" in run.stderr
    assert f"parsed the file again: {rejects} does not have the sha256" in run.stderr
    assert "no change: nothing published, latest stays 1.0.1" in run.stdout
    assert not (wh / "papers.duckdb.wal").exists() and list(wh.glob(".papers.duckdb.wal.*.stale"))
    assert_like_reference(wh, second_release)  # opens papers.duckdb


# ------------------------------------------------------------------------------------ 6. faults


def assert_fault_line(run: Run, *words: str) -> str:
    assert run.proc.returncode == 2, run.stdout[-2000:] + run.stderr[-3000:]
    line = one_error_line(run.stderr)
    for word in words:
        assert word in line, line
    log = Path(line.rsplit("(details: ", 1)[1].rstrip(")"))
    assert "Traceback" in log.read_text(), log
    return line


def test_dagster_instance_on_a_full_disk_ends_in_one_line(area, landing):
    home = area / "full_home"
    if not mount_tmpfs(home, "size=48k"):
        pytest.skip("cannot mount a small tmpfs here")
    try:
        run = Run(landing, area / "wh_beside_a_full_home", dagster_home=home)
        run.wait(HANG)
        assert_fault_line(run, str(home), "DAGSTER_HOME")
    finally:
        umount(home)


def test_warehouse_made_read_only_mid_run_ends_in_one_line(area, landing, reference):
    """Once the run holds the warehouse lock, the warehouse's tables/ folder becomes a read-only file
    system (a read-only tmpfs mounted over it: the whole warehouse cannot be remounted while the run
    holds its lock file open for writing). It used to end in a 70-line traceback and exit 1."""
    if not can_mount_tmpfs():
        pytest.skip("cannot mount a tmpfs here")
    wh = copy_of(reference, area, "ro_wh")
    tables, lock = wh / "tables", wh / ".run.lock"
    run = Run(landing, wh)
    try:
        deadline = time.monotonic() + HANG
        while f'"pid": {run.pid}' not in (lock.read_text() if lock.exists() else ""):
            assert run.proc.poll() is None and time.monotonic() < deadline, run.stderr[-3000:]
            time.sleep(0.005)
        assert mount_tmpfs(tables, "ro,size=1m")
        run.wait(HANG)
        line = assert_fault_line(run, "read-only file system", str(tables), "remount it read-write")
        assert str(wh / "logs") in line  # the log is kept in the warehouse (its logs/ folder is writable)
    finally:
        umount(tables)


def test_permission_quota_and_lock_timeout_are_faults(area):
    import errno
    import fcntl

    from assets.publish.release import _hold
    from workflows.faults import fault_of_exception

    wh, home = area / "wh", area / "home"
    denied = PermissionError(errno.EACCES, "Permission denied", str(wh / "tables" / "x.parquet"))
    try:
        raise RuntimeError("step failed") from denied
    except RuntimeError as error:
        fault = fault_of_exception(error, wh, home)
    assert "permission denied writing" in str(fault) and str(wh / "tables" / "x.parquet") in str(fault)
    assert "space" in str(fault_of_exception(OSError(errno.EDQUOT, "Disk quota exceeded"), wh, home))
    assert fault_of_exception(ValueError("a bug"), wh, home) is None

    lock_path = area / "publish.lock"
    with open(lock_path, "a+") as holder, open(lock_path, "a+") as waiter:
        fcntl.flock(holder.fileno(), fcntl.LOCK_EX)
        started = time.monotonic()
        with pytest.raises(TimeoutError) as raised:
            _hold(waiter, lock_path, seconds=0.5)
        assert time.monotonic() - started < 5
    line = str(fault_of_exception(raised.value, wh, home))
    assert line.startswith(f"gave up waiting for {lock_path}, held by another run"), line


# --------------------------------------------------- 7 + 8. every file and line accounted for

LATIN1 = b"caf\xe9.txt"


@pytest.fixture(scope="module")
def accounting_landing(area) -> Path:
    """A landing folder holding every case: a hidden file, a latin-1 byte name beside a file literally
    named with its escape, a name equal to another's partition key, a NUL in a title and an ESC in an
    abstract (past the binary sniffing), 1 MB and 3 MB lines, and a file whose two titles share one
    abstract, beside the sample."""
    from assets.ingest.landing import partition_key_for
    from tools.synthetic import generate_dump

    folder = area / "accounting"
    folder.mkdir()
    shutil.copy2(SAMPLE, folder / SAMPLE.name)
    generate_dump(folder / ".hidden.txt", 5, seed=1)
    generate_dump(Path(os.fsdecode(os.path.join(os.fsencode(folder), LATIN1))), 12, seed=2)
    generate_dump(folder / "caf\\xe9.txt", 12, seed=3)
    generate_dump(folder / "é.txt", 12, seed=4)
    generate_dump(folder / partition_key_for("é.txt"), 12, seed=5)

    controls = folder / "controls.txt"
    generate_dump(controls, 120, seed=6)
    lines = controls.read_text(encoding="utf-8").split("\n")
    lines[-4] = lines[-4].replace(": ", ":\x00 ", 1)  # a title, well past the first 64 KiB
    lines[-1] = lines[-1].replace(". ", ".\x1b ", 1)  # an abstract
    controls.write_text("\n".join(lines), encoding="utf-8")

    long_lines = folder / "long_lines.txt"
    generate_dump(long_lines, 12, seed=7)
    with open(long_lines, "a", encoding="utf-8") as out:
        out.write("\n" + "m" * 1_048_576 + "\n" + "memory " * 428_571 + "\n")

    conflict = folder / "conflict.txt"
    generate_dump(conflict, 12, seed=8)
    lines = conflict.read_text(encoding="utf-8").split("\n")
    lines[5] = lines[3]  # the second paper gets the first one's abstract
    conflict.write_text("\n".join(lines), encoding="utf-8")

    return folder


@pytest.fixture(scope="module")
def accounted(area, runs) -> dict:
    runs["accounting"].wait(HANG)
    return {"run": runs["accounting"], "warehouse": area / "accounting_wh"}


def query(warehouse: Path, sql: str) -> list[tuple]:
    con = duckdb.connect(str(warehouse / "papers.duckdb"), read_only=True)
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


def test_every_file_and_line_is_accounted_for(accounted):
    run, wh = accounted["run"], accounted["warehouse"]
    assert run.proc.returncode == 0, run.stdout[-2000:] + run.stderr[-3000:]
    assert "published release 1.0.0" in run.stdout
    files = dict(query(wh, "SELECT source_file, partition_key FROM ingest_files"))
    assert len(files) == len(set(files.values())) == 8  # distinct names and partition keys
    assert "caf\\xe9.txt" in files and any(n.startswith("caf\\xe9.txt [name bytes ") for n in files)
    assert {"é.txt", "controls.txt", "long_lines.txt", "conflict.txt", SAMPLE.name} <= set(files)
    assert len([p for p in (wh / "ingest").iterdir() if p.is_dir()]) == 8
    (hidden,) = query(wh, "SELECT reason FROM rejects WHERE source_file = '.hidden.txt'")
    assert hidden[0].startswith("hidden file")
    reasons = [r[0] for r in query(wh, "SELECT reason FROM rejects WHERE source_file = 'long_lines.txt'")]
    assert any("(1,048,576 bytes)" in r for r in reasons) and any("(2,999,997 bytes)" in r for r in reasons), reasons
    controls = dict(query(wh, "SELECT line_number, reason FROM rejects WHERE source_file = 'controls.txt'"))
    assert sorted(set(controls.values())) == [
        "control character U+0000 in the title: not a clean paper record",
        "control character U+001B in the abstract: not a clean paper record",
    ]
    assert len(controls) == 4
    texts = query(wh, "SELECT title || abstract FROM papers")
    assert not any("\x00" in t or "\x1b" in t for (t,) in texts)
    assert query(wh, "SELECT bool_and(success) FROM validation_results WHERE expectation = 'lines_accounted_for'") == [(True,)]
    report = next((wh / "published" / "reports").glob("*.html")).read_text(encoding="utf-8")
    assert "\x00" not in report


def test_a_file_with_a_cross_paper_conflict_is_quarantined_and_the_rest_publishes(accounted):
    run, wh = accounted["run"], accounted["warehouse"]
    assert run.proc.returncode == 0, run.stdout[-2000:] + run.stderr[-3000:]
    ((quarantined, reason),) = query(wh, "SELECT quarantined, quarantine_reason FROM ingest_files"
                                         " WHERE source_file = 'conflict.txt'")
    assert quarantined and "no_duplicate_abstracts" in reason
    assert query(wh, "SELECT count(*) FROM ingest_files WHERE quarantined") == [(1,)]
    assert query(wh, "SELECT count(*) FROM papers p JOIN paper_sources s USING (paper_id)"
                     " WHERE s.source_file = 'conflict.txt'") == [(0,)]
    sample = query(wh, "SELECT count(DISTINCT paper_id) FROM paper_sources WHERE source_file = 'hf_papers_memory.txt'")
    assert sample == [(210,)]
    assert query(wh, "SELECT count(*) FROM published.papers") == query(wh, "SELECT count(*) FROM papers")
    assert query(wh, "SELECT count(*) FROM papers")[0][0] > 210
