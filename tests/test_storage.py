"""The shared file writers' fixed costs: cache files hashed in memory, one temp-name pattern, imports frozen."""

from __future__ import annotations

import gc
import hashlib
import os
import subprocess

import pyarrow as pa
import pytest

from assets.core import storage
from assets.core.long_lived import long_lived_imports
from assets.core.storage import sha256_file, write_parquet_atomic, write_verified_cache_parquet


def _table() -> pa.Table:
    return pa.table({"content_hash": [f"{i:02x}" for i in range(300)],
                     "results": pa.array([[{"v": i}] if i % 3 else [] for i in range(300)])})


def test_verified_cache_file_has_the_atomic_writers_bytes_and_returns_their_sha256(tmp_path):
    table = _table()
    write_parquet_atomic(tmp_path / "synced.parquet", table)
    digest = write_verified_cache_parquet(tmp_path / "bucket=ab" / "cached.parquet", table)
    data = (tmp_path / "bucket=ab" / "cached.parquet").read_bytes()
    assert data == (tmp_path / "synced.parquet").read_bytes()
    assert digest == hashlib.sha256(data).hexdigest() == sha256_file(tmp_path / "synced.parquet")
    assert (tmp_path / "bucket=ab" / "cached.parquet").stat().st_mode & 0o777 == storage.file_mode()
    assert [p.name for p in (tmp_path / "bucket=ab").iterdir()] == ["cached.parquet"]  # no temp file left


def test_verified_cache_write_is_not_fsynced(tmp_path, monkeypatch):
    synced = []
    monkeypatch.setattr(os, "fsync", lambda fd: synced.append(fd))
    write_verified_cache_parquet(tmp_path / "cached.parquet", _table())
    assert synced == []
    write_parquet_atomic(tmp_path / "synced.parquet", _table())
    assert len(synced) == 1


def _dead_pid() -> int:
    child = subprocess.Popen(["true"])
    child.wait()  # exited and reaped: no such process any more
    assert not storage.pid_alive(child.pid)
    return child.pid


@pytest.mark.parametrize("name", ["topics.parquet", "a.5", "x"])
def test_temp_files_of_dead_writers_of_the_same_target_only_are_removed(tmp_path, name):
    dead = _dead_pid()
    debris = tmp_path / f".{name}.{dead}.abc_12.tmp"
    live = tmp_path / f".{name}.{os.getpid()}.def34.tmp"
    other = tmp_path / f".other.parquet.{dead}.ghi56.tmp"
    for path in (debris, live, other):
        path.write_bytes(b"part")
    storage.write_parquet_atomic(tmp_path / name, _table())
    assert not debris.exists(), "a killed writer's temp file of this target is removed"
    assert live.exists() and other.exists(), "a live writer's and another target's temp files stay"


def test_long_lived_imports_pause_collections_then_freeze_what_they_built():
    was_enabled = gc.isenabled()
    gc.enable()
    try:
        frozen = gc.get_freeze_count()
        with long_lived_imports():
            assert not gc.isenabled()
            built = [[] for _ in range(1000)]
        assert gc.isenabled(), "collections resume after the block"
        assert gc.get_freeze_count() >= frozen + len(built), "what the block built is left out of collections"
        gc.disable()
        with long_lived_imports():
            pass
        assert not gc.isenabled(), "a disabled collector stays disabled"
    finally:
        gc.unfreeze()
        (gc.enable if was_enabled else gc.disable)()
