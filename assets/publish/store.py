"""The files of the releases under ``published_dir``: the shared, content-addressed data files
(``data/<dataset>/<sha256>.parquet``), the diffs, the `latest.json` pointer, retention, and the removal
of shared files no release lists any more and of the debris of interrupted runs.

Order of a publish: data files first, then the release folder with its manifest, then the pointer;
only then are old releases and unreferenced shared files deleted, so no file a manifest on disk lists
is ever deleted."""

from __future__ import annotations

import json
import os
import shutil
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Iterable

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from assets.core.release_format import (
    DATA, FOLDER_RELATIVE_FORMAT, LATEST, TMP_PREFIX, list_versions, read_manifest, read_pins,
)
from assets.core.storage import file_version, fsync_path, sha256_file, write_text_atomic

ROW_GROUP_SIZE = 128 * 1024  # rows per Parquet row group
COMPRESSION = "zstd"


# While a release step runs (hashes_remembered), the sha256 of each file it hashed, keyed by the file's
# identity and stat (device, inode, size, mtime, ctime; not the path: a release folder is renamed into
# place after its files were hashed): publish_release checks every kept shared file, then the step's blocking check
# (verify_release) checks every listed file again - the same ~400 MB at 1M papers, seconds apart. Safe:
# shared files are content-addressed and never written in place; any write, truncation, chmod, utime or
# rename through the kernel changes mtime or ctime (ctime cannot be set from user space), so a file changed
# since it was hashed gets a new key and is hashed again (unless within the same coarse clock tick, a few
# ms, as the hash). What it cannot see - a change below the file system within the step's seconds - a
# second read from the page cache would not see either. Scoped to one step: a later run hashes again.
_remembered: dict[tuple, str] | None = None


@contextmanager
def hashes_remembered() -> Iterator[None]:
    global _remembered
    outer, _remembered = _remembered, {} if _remembered is None else _remembered
    try:
        yield
    finally:
        _remembered = outer


def file_sha256(path: Path) -> str:
    """sha256_file, remembered while hashes_remembered is active (see above)."""
    if _remembered is None:
        return sha256_file(path)
    identity = file_version(os.stat(path))
    if identity not in _remembered:
        _remembered[identity] = sha256_file(path)
    return _remembered[identity]


def _renamed(path: Path, sha256: str) -> None:
    """Remember the digest of a file this step hashed, then renamed (which changes its ctime, not its bytes)."""
    if _remembered is not None:
        _remembered[file_version(os.stat(path))] = sha256


def write_latest_pointer(published_dir: Path, version: str) -> None:
    write_text_atomic(published_dir / LATEST, json.dumps({"version": version}) + "\n")


def remove_tree(published_dir: Path, path: Path) -> None:
    """Make a folder invisible atomically (rename to .tmp-*), then delete it."""
    doomed = published_dir / f"{TMP_PREFIX}delete-{path.name}-{uuid.uuid4().hex}"
    os.rename(path, doomed)
    fsync_path(published_dir)
    shutil.rmtree(doomed, ignore_errors=True)


def clean_stale_tmp(published_dir: Path) -> None:
    for p in published_dir.iterdir():
        if p.name.startswith(TMP_PREFIX):
            if p.is_dir() and not p.is_symlink():
                shutil.rmtree(p, ignore_errors=True)
            else:
                p.unlink(missing_ok=True)


DICTIONARY_SAMPLE_ROWS = 10_000  # the first rows, whose mean text length decides


def dictionary_columns(table: pa.Table) -> list[str]:
    """Columns worth dictionary-encoding: all but long free-text ones (titles, abstracts, raw lines),
    for which the encoder would only build a dictionary and then fall back."""
    out = []
    head = table.slice(0, DICTIONARY_SAMPLE_ROWS)  # a PartialTable (assets/publish/partial.py) reads only these
    for f in table.schema:
        if pa.types.is_string(f.type) or pa.types.is_large_string(f.type) or pa.types.is_binary(f.type) \
                or pa.types.is_large_binary(f.type):
            sample = head.column(f.name)
            valid = len(sample) - sample.null_count
            if valid and pc.sum(pc.binary_length(sample)).as_py() / valid > 64:
                continue
        out.append(f.name)
    return out


def _write_parquet(table: pa.Table, path: Path, dictionary: list[str] | bool = True) -> dict:
    """zstd Parquet with the Arrow schema stored (mode from the umask), fsynced; returns {bytes, sha256, rows}."""
    path.parent.mkdir(parents=True, exist_ok=True)
    pq.write_table(
        table, path, compression=COMPRESSION, row_group_size=ROW_GROUP_SIZE, write_statistics=True,
        use_dictionary=dictionary,
    )
    fsync_path(path)
    return {"bytes": path.stat().st_size, "sha256": file_sha256(path), "rows": table.num_rows}


def write_diff(diff: pa.Table, path: Path) -> dict:
    return _write_parquet(diff, path)


def is_intact(published_dir: Path, entry: dict) -> bool:
    """Whether the shared file of a manifest entry exists with the entry's size and sha256."""
    path = published_dir / entry["path"]
    return path.is_file() and path.stat().st_size == entry["bytes"] and file_sha256(path) == entry["sha256"]


def store_data_file(
    published_dir: Path, staging: Path, dataset: str, rows: pa.Table, dictionary: list[str]
) -> dict:
    """Write ``rows`` into ``staging`` (a .tmp-* folder of ``published_dir``), then move the file into
    the shared store under its sha256, unless an intact copy is there already (a damaged one is
    replaced). Returns its manifest entry {path (relative to published_dir), bytes, sha256, rows}."""
    staged = staging / f"{dataset}-{uuid.uuid4().hex}.parquet"
    written = _write_parquet(rows, staged, dictionary)
    entry = {"path": f"{DATA}/{dataset}/{written['sha256']}.parquet", **written}
    if is_intact(published_dir, entry):
        staged.unlink()
        return entry
    target = published_dir / entry["path"]
    target.parent.mkdir(parents=True, exist_ok=True)
    os.replace(staged, target)
    fsync_path(target.parent)
    _renamed(target, entry["sha256"])
    return entry


def apply_retention(published_dir: Path, keep: int, protected: Iterable[str]) -> list[str]:
    versions = list_versions(published_dir)
    keep_set = set(versions[-keep:]) | set(protected) | read_pins(published_dir)
    removed = []
    for v in versions:
        if v not in keep_set:
            remove_tree(published_dir, published_dir / v)
            removed.append(v)
    return removed


def collect_garbage(published_dir: Path) -> list[str]:
    """Delete the shared data files that no release folder present lists: those of releases retention
    removed and those a killed run stored before its manifest existed. Runs holding the publish lock,
    after the pointer and retention, so every manifest that can still be read is on disk. Returns the
    deleted paths; deletes nothing when a manifest cannot be read (it might list any file)."""
    store = published_dir / DATA
    if not store.is_dir():
        return []
    try:
        manifests = [read_manifest(published_dir / v) for v in list_versions(published_dir)]
    except (OSError, ValueError):
        return []
    listed = {
        f["path"]
        for m in manifests if m.get("format") != FOLDER_RELATIVE_FORMAT
        for ds in m.get("datasets", {}).values() for f in ds.get("files", [])
    }
    removed = []
    for folder in sorted(p for p in store.iterdir() if p.is_dir() and not p.is_symlink()):
        for path in sorted(folder.iterdir()):
            rel = f"{DATA}/{folder.name}/{path.name}"
            if rel not in listed and path.is_file():
                path.unlink()
                removed.append(rel)
        fsync_path(folder)
    return removed
