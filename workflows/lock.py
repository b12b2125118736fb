"""One pipeline run per warehouse at a time: an advisory lock file that says who holds it and since when."""

from __future__ import annotations

import fcntl
import json
import os
import socket
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timezone
from pathlib import Path

from assets.core.storage import pid_alive, process_start


class WarehouseBusy(Exception):
    """Another run holds the warehouse lock."""


@contextmanager
def warehouse_lock(warehouse: Path, wait_seconds: float = 0.0) -> Iterator[Path]:
    """Hold `<warehouse>/.run.lock` (flock: released by the kernel even when the holder is killed)."""
    path = warehouse / ".run.lock"
    handle = open(path, "a+", encoding="utf-8")
    deadline = time.monotonic() + wait_seconds
    try:
        while True:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    handle.seek(0)
                    raise WarehouseBusy(_describe_holder(path, handle.read())) from None
                time.sleep(0.5)
        handle.seek(0)
        handle.truncate()
        handle.write(json.dumps({"pid": os.getpid(), "host": socket.gethostname(), "since": time.time()}))
        handle.flush()
        yield path
    finally:
        handle.close()


def _describe_holder(path: Path, text: str) -> str:
    try:
        owner = json.loads(text)
        age = time.time() - float(owner["since"])
        who = f"pid {owner['pid']} on {owner['host']}, running for {age:.0f}s"
    except (ValueError, KeyError, TypeError):
        who = "another process"
    return (
        f"warehouse {path.parent} is busy: {who} holds {path}. "
        "Wait for it to finish (or pass --wait SECONDS); the lock frees itself if that process dies."
    )


# A `make run` executes its Dagster runs in-process. When that process is killed (SIGKILL, OOM, power
# loss) its runs stay STARTED in the instance and keep their `warehouse` pool slot: every later run
# would wait for that slot forever. The CLI tags its runs with its pid, the process's start time and
# host; a later run, holding the warehouse lock, marks the runs of dead CLI processes failed and frees
# their slots. A pid alone is not trusted: a killed process its parent never reaped (a zombie) still
# has its pid, and a restarted container hands the same pid to another process (another start time).
CLI_PID_TAG = "papers/cli_pid"
CLI_START_TAG = "papers/cli_start"
CLI_HOST_TAG = "papers/cli_host"
DEFAULT_POOL_WAIT = 600.0  # seconds a step waits for a pool slot held by another live run


def cli_run_tags() -> dict[str, str]:
    return {CLI_PID_TAG: str(os.getpid()), CLI_START_TAG: process_start(os.getpid()),
            CLI_HOST_TAG: socket.gethostname()}


def _process_gone(run) -> str | None:
    """Why the CLI process that ran `run` is gone (None: it may still be running)."""
    try:
        pid = int(run.tags.get(CLI_PID_TAG, ""))
    except ValueError:
        return None
    started = run.tags.get(CLI_START_TAG, "")
    if pid == os.getpid() and started != process_start(pid):  # we have not started a run yet
        return f"its process (pid {pid}) died; that pid now belongs to this run"
    if not pid_alive(pid):
        return f"the process running it (pid {pid}) died"
    if started and process_start(pid) not in ("", started):
        return f"its process (pid {pid}) died; that pid now belongs to another process"
    return None


def recover_abandoned_runs(instance) -> list[str]:
    """Fail the unfinished runs of dead CLI processes on this host and free every pool slot held or
    awaited by a run that is no longer running. Returns the run ids that were cleaned up."""
    import dagster as dg

    unfinished = [dg.DagsterRunStatus.STARTED, dg.DagsterRunStatus.STARTING, dg.DagsterRunStatus.NOT_STARTED]
    cleaned: list[str] = []
    for run in instance.get_runs(
        filters=dg.RunsFilter(statuses=unfinished, tags={CLI_HOST_TAG: socket.gethostname()})
    ):
        reason = _process_gone(run)
        if reason is None:
            continue
        instance.report_run_failed(run, message=f"{reason}; marked failed by a later run")
        instance.event_log_storage.free_concurrency_slots_for_run(run.run_id)
        cleaned.append(run.run_id)
    storage = instance.event_log_storage
    if getattr(storage, "supports_global_concurrency_limits", False):
        for run_id in storage.get_concurrency_run_ids():
            run = instance.get_run_by_id(run_id)
            if run is None or run.is_finished:
                storage.free_concurrency_slots_for_run(run_id)
                cleaned.append(run_id)
    return cleaned


def _overdue_wait(instance, pool: str, seconds: float):
    """(description, run) of a run of this process that has waited longer than `seconds` for a slot of
    `pool` held by another run (named in the description), or None."""
    info = instance.event_log_storage.get_concurrency_info(pool)
    mine = {CLI_PID_TAG: str(os.getpid()), CLI_START_TAG: process_start(os.getpid())}
    now = time.time()
    for step in info.pending_steps:
        enqueued = step.enqueued_timestamp
        enqueued = enqueued.replace(tzinfo=timezone.utc) if enqueued.tzinfo is None else enqueued  # stored in UTC
        if step.assigned_timestamp is not None or now - enqueued.timestamp() < seconds:
            continue
        run = instance.get_run_by_id(step.run_id)
        if run is None or any(run.tags.get(k) != v for k, v in mine.items()):
            continue
        holders = sorted({slot.run_id for slot in info.claimed_slots if slot.run_id != step.run_id})
        return (f"step {step.step_key} of run {step.run_id} waited {seconds:.0f}s for a slot of pool "
                f"'{pool}' held by run {', '.join(holders) or '(none)'}"), run
    return None


def start_pool_watchdog(instance, warehouse: Path, seconds: float, pool: str = "warehouse") -> threading.Event:
    """Until the returned event is set, no step of this process waits forever for a pool slot: after
    `seconds` the process prints one `error:` line naming the run holding the slot, marks its own run
    failed and exits 2 (it is waiting, so it is writing nothing; the kernel releases the warehouse
    lock). Uses the caller's instance: a second one created meanwhile on a new Dagster home would race
    its schema migration."""
    stop = threading.Event()
    if not getattr(instance.event_log_storage, "supports_global_concurrency_limits", False):
        return stop

    def watch() -> None:
        while not stop.wait(min(1.0, max(seconds / 4, 0.1))):
            try:
                overdue = _overdue_wait(instance, pool, seconds)
            except Exception:  # noqa: BLE001 - the instance may be busy or closing; look again
                continue
            if overdue is not None and not stop.is_set():
                _give_up(instance, warehouse, *overdue)

    threading.Thread(target=watch, name="pool watchdog", daemon=True).start()
    return stop


def _give_up(instance, warehouse: Path, what: str, run) -> None:
    try:
        instance.report_run_failed(run, message=f"gave up: {what}")
        instance.event_log_storage.free_concurrency_slots_for_run(run.run_id)
    except Exception:  # noqa: BLE001 - the next run's recovery marks it failed
        pass
    print(f"error: warehouse {warehouse} is busy: {what}. Wait for that run to finish (or pass --wait SECONDS), "
          "or mark it failed in the Dagster UI if its process is gone.", file=sys.stderr, flush=True)
    os._exit(2)
