"""Faults of the machine, not of the data: a full disk, a read-only or unwritable folder, a Dagster
instance that cannot be written. Each ends a run with one `error:` line naming the path and the fix
(exit 2); the traceback goes to a log file that the line names, not to the terminal."""

from __future__ import annotations

import errno
import os
import re
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

_ERRNO_TEXT = re.compile(r"\[Errno (\d+)\][^'\n]*(?:'([^'\n]+)')?")
_FULL = "no space"
_READ_ONLY = "read-only"
_DENIED = "permission"
_INSTANCE = "instance"
_BUSY = "busy"
_BY_ERRNO = {errno.ENOSPC: _FULL, errno.EDQUOT: _FULL, errno.EROFS: _READ_ONLY, errno.EACCES: _DENIED,
             errno.EPERM: _DENIED, errno.ETIMEDOUT: _BUSY}
_BY_TEXT = {  # SQLite (the Dagster instance) and DuckDB say it in words
    "database or disk is full": _FULL,
    "No space left on device": _FULL,
    "Read-only file system": _READ_ONLY,
    "attempt to write a readonly database": _INSTANCE,
    "disk I/O error": _INSTANCE,
    "unable to open database file": _INSTANCE,
}


class Fault(Exception):
    """A fault of the machine; str() is the one line the user reads."""

    def __init__(self, kind: str, path: str, log: str = ""):
        super().__init__(kind, path, log)
        name = Path(path).name
        # a temporary file of ours (.<name>.<pid>.<random>.tmp) says less than its folder
        self.kind, self.path, self.log = kind, str(Path(path).parent) if name.startswith(".") else path, log

    def __str__(self) -> str:
        fixes = {
            _FULL: f"no space left on the disk of {self.path}: free some space there (or set PAPERS_WAREHOUSE_DIR "
                   "and DAGSTER_HOME to folders on a bigger disk) and run again",
            _READ_ONLY: f"{self.path} is on a read-only file system: remount it read-write (or set "
                        "PAPERS_WAREHOUSE_DIR and DAGSTER_HOME to writable folders) and run again",
            _DENIED: f"permission denied writing {self.path}: give the user running the pipeline write access "
                     "(chown/chmod), or set PAPERS_WAREHOUSE_DIR and DAGSTER_HOME to folders it owns, and run again",
            _BUSY: f"gave up waiting for {self.path}, held by another run: wait for that run to finish (the "
                   "Dagster UI lists it) and run again",
            _INSTANCE: f"the Dagster instance in {self.path} cannot be written (its disk is full, read-only or "
                       "failing): free space or fix the disk, or set DAGSTER_HOME to another folder, and run again",
        }
        line = fixes[self.kind] + "; the interrupted run left nothing half-written"
        return line + (f" (details: {self.log})" if self.log else "")


def _kind_of(text: str) -> tuple[str, str] | None:
    """(kind, path or "") of the first fault named in an error text."""
    for match in _ERRNO_TEXT.finditer(text):
        kind = _BY_ERRNO.get(int(match[1]))
        if kind is not None:
            return kind, match[2] or ""
    for marker, kind in _BY_TEXT.items():
        if marker in text:
            return (_INSTANCE if "sqlite" in text.lower() else kind), ""
    return None


def fault_of_exception(error: BaseException, warehouse: Path, home: Path) -> Fault | None:
    """The fault behind an exception (or one it was raised from), if any."""
    seen: set[int] = set()
    while error is not None and id(error) not in seen:
        seen.add(id(error))
        if isinstance(error, OSError) and error.errno in _BY_ERRNO:
            return Fault(_BY_ERRNO[error.errno], str(error.filename or warehouse))
        found = _kind_of(f"{type(error).__name__}: {error}")
        if found is not None:
            return _located(found, warehouse, home)
        error = error.__cause__ or error.__context__
    return None


def fault_of_result(result, warehouse: Path, home: Path) -> tuple[Fault, str] | None:
    """The fault that failed a step (or the run) of a Dagster result, with its error text."""
    for event in result.all_events:
        data = event.step_failure_data if event.is_step_failure else None
        error = data.error if data is not None else getattr(event.event_specific_data, "error", None)
        text = ""
        while error is not None:
            text += f"Traceback (most recent call last):\n{''.join(error.stack)}{error.message}\n"
            error = error.cause or getattr(error, "context", None)
        found = _kind_of(text) if text else None
        if found is not None:
            return _located(found, warehouse, home), text
    return None


def _located(found: tuple[str, str], warehouse: Path, home: Path) -> Fault:
    kind, path = found
    return Fault(kind, path or str(home if kind == _INSTANCE else warehouse))


def with_log(fault: Fault, text: str, warehouse: Path) -> Fault:
    """The fault, naming a log file that keeps `text` (the traceback): in the warehouse's logs/ folder,
    or the temporary folder when the warehouse cannot be written."""
    stamp = time.strftime("%Y%m%dT%H%M%SZ", time.gmtime())
    for folder in (warehouse / "logs", Path(tempfile.gettempdir())):
        path = folder / f"papers-error-{stamp}-{os.getpid()}.log"
        try:
            folder.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
            return Fault(fault.kind, fault.path, str(path))
        except OSError:
            continue
    return fault


class _WithoutStackTraces:
    """A stderr that leaves out the stack traces Dagster's console logger prints under a failed step's
    message (the message stays; the trace stays in the run's event log, and a fault's in its log file)."""

    def __init__(self, stream):
        self._stream = stream

    def write(self, text: str) -> int:
        if "Stack Trace:" in text:
            kept, skipping = [], False
            for line in text.split("\n"):
                if line.startswith("Stack Trace:"):
                    skipping = True
                    kept.append("(stack trace: in the run's event log, see the Dagster UI)")
                elif skipping and not line.startswith(" "):
                    skipping = False
                if not skipping:
                    kept.append(line)
            text = "\n".join(kept)
        return self._stream.write(text)

    def __getattr__(self, name: str):
        return getattr(self._stream, name)


@contextmanager
def stack_traces_left_out() -> Iterator[None]:
    """Within: Dagster's step-failure messages reach the terminal without their stack traces."""
    original = sys.stderr
    sys.stderr = _WithoutStackTraces(original)
    try:
        yield
    finally:
        sys.stderr = original
