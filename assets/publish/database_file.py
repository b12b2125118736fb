"""papers.duckdb opens after every run. An analyst connection that wrote to the file a run replaced
leaves `papers.duckdb.wal` behind when it is killed; that log belongs to the replaced file, and DuckDB
refuses to open the new one with it ("WAL does not match database file"). Right after the swap such a
log is moved aside (kept, hidden, for whoever wants the analyst's lost writes), and the file is opened
once before the run reports success."""

from __future__ import annotations

import os
import time
from pathlib import Path

import duckdb

_IN_USE = "Could not set lock"  # another process holds the new file open for writing: it opens


def set_aside_stale_wal(database: Path) -> str | None:
    """Move `<database>.wal` to `.<name>.wal.<time>.stale`; returns what was done (None: no log)."""
    wal = database.with_name(f"{database.name}.wal")
    aside = database.with_name(f".{database.name}.wal.{time.time_ns()}.stale")
    try:
        os.rename(wal, aside)
    except FileNotFoundError:
        return None
    return f"{wal} belonged to the replaced database file (a dead analyst connection's log): moved aside to {aside}"


def ensure_opens(database: Path) -> list[str]:
    """Called right after `database` was swapped in: set aside a stale write-ahead log, then open the
    file read-only. Returns what was repaired; raises RuntimeError naming the file when it cannot open."""
    notes = [note for note in [set_aside_stale_wal(database)] if note]
    for attempt in range(2):
        try:
            duckdb.connect(str(database), read_only=True).close()
            return notes
        except duckdb.Error as error:
            if _IN_USE in str(error):
                return notes
            note = set_aside_stale_wal(database) if attempt == 0 else None
            if note is None:
                raise RuntimeError(f"{database} does not open after the build ({error}): run again") from error
            notes.append(note)
    return notes
