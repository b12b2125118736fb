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
