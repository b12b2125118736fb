"""`make run` with PAPERS_LANDING_DIR and/or PAPERS_WAREHOUSE_DIR on object storage (`s3://bucket/prefix`).

The stages keep working on local paths: the run holds the bucket's lock object, brings the landing
objects (by e_tag and size) and the warehouse state (verified by sha256) into a local scratch copy, runs
the pipeline there exactly as on local disk, then pushes what changed back in publishing order
(assets/core/object_store.py: data files and manifests first, `published/latest.json` last).
"""

from __future__ import annotations

import hashlib
import json
import os
import socket
import time
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path

from assets.core.object_store import (
    BucketBusy, MirrorError, RemoteLocation, acquire_lock, download, list_objects, mirror_down, mirror_up,
    open_store, parse_location, release_lock,
)
from assets.core.storage import pid_alive, write_json_atomic
from workflows.lock import warehouse_lock

LOCAL_ONLY = ("dagster_home", "tmp")  # warehouse folders never pushed: the local instance, DuckDB spill space
LEASE_SECONDS = 2 * 3600  # a lock older than this, held from another host, is taken over
# the CLI's run_pipeline(landing, warehouse, home) and dagster_home(warehouse, environ), passed in by the CLI
RunPipeline = Callable[[Path, Path, Path], int]
DagsterHome = Callable[[Path, Mapping[str, str]], Path]


class RemoteSetupError(Exception):
    """A configuration or storage problem the CLI reports as one `error:` line (exit 2)."""


def scratch_root(environ: Mapping[str, str], landing: str, warehouse: str) -> Path:
    """PAPERS_SCRATCH_DIR, or a folder per (landing, warehouse) pair under the user's cache folder."""
    if environ.get("PAPERS_SCRATCH_DIR"):
        return Path(environ["PAPERS_SCRATCH_DIR"]).expanduser().resolve()
    cache = Path(environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    return cache / "papers-pipeline" / hashlib.sha256(f"{landing}\n{warehouse}".encode()).hexdigest()[:16]


def fetch_landing(store, folder: Path) -> int:
    """Make `folder` hold the landing objects: an object whose e_tag and size match the local copy's record
    is not fetched again; local files with no object are deleted. Returns the number fetched."""
    record_path = folder.parent / f"{folder.name}.objects.json"
    record = json.loads(record_path.read_text(encoding="utf-8")) if record_path.is_file() else {}
    objects = list_objects(store)
    fetched = 0
    for rel, info in sorted(objects.items()):
        path = folder / rel
        known = record.get(rel)
        if known == [info.e_tag, info.size] and path.is_file() and path.stat().st_size == info.size:
            continue
        download(store, rel, path, info)
        record[rel] = [info.e_tag, info.size]
        fetched += 1
    folder.mkdir(parents=True, exist_ok=True)
    for path in [p for p in folder.rglob("*") if p.is_file()]:
        if path.relative_to(folder).as_posix() not in objects:
            path.unlink()
    write_json_atomic(record_path, {rel: record[rel] for rel in objects})
    return fetched


def _lock_is_stale(holder: dict, lease: float) -> bool:
    if holder.get("host") == socket.gethostname():
        return not pid_alive(int(holder.get("pid", 0)))
    return time.time() - float(holder.get("since", 0)) > lease


@contextmanager
def bucket_lock(store, location: RemoteLocation, wait_seconds: float, lease: float) -> Iterator[None]:
    owner = {"pid": os.getpid(), "host": socket.gethostname(), "since": time.time()}
    try:
        e_tag = acquire_lock(store, owner, lambda holder: _lock_is_stale(holder, lease), wait_seconds)
    except BucketBusy as busy:
        holder = busy.args[0]
        age = time.time() - float(holder.get("since", 0))
        raise RemoteSetupError(
            f"warehouse {location.url} is busy: pid {holder.get('pid')} on {holder.get('host')}, running for "
            f"{age:.0f}s, holds {location.url}/.run.lock. Wait for it to finish (or pass --wait SECONDS); a lock "
            f"of a dead process is taken over (from another host after {lease:.0f}s)"
        ) from None
    try:
        yield
    finally:
        release_lock(store, e_tag)


def run_remote(environ: Mapping[str, str], wait: float, run: RunPipeline, home: DagsterHome) -> int:
    """One run with either folder on object storage (the other may be local)."""
    landing_value = environ.get("PAPERS_LANDING_DIR", "data/landing")
    warehouse_value = environ.get("PAPERS_WAREHOUSE_DIR", "warehouse")
    landing_at = parse_location(landing_value, "PAPERS_LANDING_DIR")
    warehouse_at = parse_location(warehouse_value, "PAPERS_WAREHOUSE_DIR")
    scratch = scratch_root(environ, landing_value, warehouse_value)
    landing = scratch / "landing" if landing_at else Path(landing_value).expanduser().resolve()
    warehouse = scratch / "warehouse" if warehouse_at else Path(warehouse_value).expanduser().resolve()
    if landing_at is None and not landing.is_dir():
        raise RemoteSetupError(f"landing folder {landing} does not exist: create it or set PAPERS_LANDING_DIR")
    warehouse.mkdir(parents=True, exist_ok=True)
    if warehouse_at is None:
        lock = warehouse_lock(warehouse, wait_seconds=wait)
    else:
        store = open_store(warehouse_at, environ)
        lease = float(environ.get("PAPERS_LOCK_LEASE_SECONDS", LEASE_SECONDS))
        lock = bucket_lock(store, warehouse_at, wait, lease)
    with lock:
        try:
            return _run_on_scratch(environ, landing_at, warehouse_at, landing, warehouse, run, home)
        except MirrorError as error:
            raise RemoteSetupError(str(error)) from None


def _run_on_scratch(environ, landing_at, warehouse_at, landing: Path, warehouse: Path, run, home) -> int:
    started = time.perf_counter()
    if landing_at:
        fetched = fetch_landing(open_store(landing_at, environ), landing)
        print(f"landing {landing_at.url}: {fetched} objects fetched into {landing}")
    if warehouse_at:
        store = open_store(warehouse_at, environ)
        state = mirror_down(store, warehouse, LOCAL_ONLY)
        print(f"warehouse {warehouse_at.url}: {len(state)} objects verified in {warehouse} "
              f"({time.perf_counter() - started:.1f}s)")
    # a DAGSTER_HOME under an s3:// warehouse (the Makefile's default) cannot be a local instance
    home_env = {k: v for k, v in environ.items() if not (k == "DAGSTER_HOME" and "://" in v)}
    code = run(landing, warehouse, home(warehouse, home_env))
    if warehouse_at:
        pushed = time.perf_counter()
        counts = mirror_up(store, warehouse, state, LOCAL_ONLY)
        print(f"warehouse {warehouse_at.url}: {counts['uploaded']} objects pushed, {counts['deleted']} deleted "
              f"({time.perf_counter() - pushed:.1f}s)")
    return code
