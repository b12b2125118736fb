"""One pipeline run per warehouse at a time: an advisory lock file that says who holds it and since when."""

from __future__ import annotations

import fcntl
import json
import os
import socket
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from assets.core.storage import pid_alive


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
# would wait for that slot forever. The CLI tags its runs with its pid and host; a later run, holding
# the warehouse lock, marks the runs of dead CLI processes failed and frees their slots.
CLI_PID_TAG = "papers/cli_pid"
CLI_HOST_TAG = "papers/cli_host"


def cli_run_tags() -> dict[str, str]:
    return {CLI_PID_TAG: str(os.getpid()), CLI_HOST_TAG: socket.gethostname()}


def recover_abandoned_runs(instance) -> list[str]:
    """Fail the unfinished runs of dead CLI processes on this host and free every pool slot held or
    awaited by a run that is no longer running. Returns the run ids that were cleaned up."""
    import dagster as dg

    unfinished = [dg.DagsterRunStatus.STARTED, dg.DagsterRunStatus.STARTING, dg.DagsterRunStatus.NOT_STARTED]
    cleaned: list[str] = []
    for run in instance.get_runs(
        filters=dg.RunsFilter(statuses=unfinished, tags={CLI_HOST_TAG: socket.gethostname()})
    ):
        try:
            pid = int(run.tags.get(CLI_PID_TAG, ""))
        except ValueError:
            continue
        if pid == os.getpid() or pid_alive(pid):
            continue
        instance.report_run_failed(run, message=f"the process running it (pid {pid}) died; marked failed by a later run")
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
