"""Writing a release's files into place, and retention: the data files, the diffs, the `latest.json`
pointer, and the removal of old releases and of debris left by interrupted runs."""

from __future__ import annotations

import json
import os
import shutil
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Iterable

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from assets.core.release_format import LATEST, TMP_PREFIX, list_versions, read_pins
from assets.core.storage import fsync_path, sha256_file, write_text_atomic

ROW_GROUP_SIZE = 128 * 1024  # rows per Parquet row group
TARGET_FILE_BYTES = 512 * 1024 * 1024  # in-memory (Arrow) bytes per data file before splitting
COMPRESSION = "zstd"


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


def sorted_parts(table: pa.Table, key: list[str]) -> list[pa.Table]:
    """``table`` sorted by ``key`` (nulls last), cut into per-file pieces: a new file whenever the Arrow
    size would exceed TARGET_FILE_BYTES, always a whole number of ROW_GROUP_SIZE row groups."""
    n = table.num_rows
    if n == 0:
        return [table]
    if any(c.num_chunks > 1 for c in table.columns):
        try:  # take() on a multi-chunk table is ~10x slower than combine + take
            table = table.combine_chunks()
        except (pa.ArrowInvalid, pa.ArrowCapacityError):  # > 2 GiB in a 32-bit-offset column
            pass
    indices = pc.sort_indices(table, sort_keys=[(k, "ascending") for k in key])  # nulls last
    per_row = max(1, table.nbytes // n)
    rows_per_file = max(ROW_GROUP_SIZE, (TARGET_FILE_BYTES // per_row) // ROW_GROUP_SIZE * ROW_GROUP_SIZE)
    bounds = [(s, min(s + rows_per_file, n)) for s in range(0, n, rows_per_file)]
    take = lambda b: table.take(indices.slice(b[0], b[1] - b[0]))  # noqa: E731
    with ThreadPoolExecutor(max(1, min(len(bounds), os.cpu_count() or 1))) as pool:
        return list(pool.map(take, bounds))


def _dictionary_columns(table: pa.Table) -> list[str]:
    """Columns worth dictionary-encoding: all but long free-text ones (titles, abstracts, raw lines),
    for which the encoder would only build a dictionary and then fall back."""
    out = []
    for f in table.schema:
        if pa.types.is_string(f.type) or pa.types.is_large_string(f.type) or pa.types.is_binary(f.type) \
                or pa.types.is_large_binary(f.type):
            col = table.column(f.name)
            sample = col.slice(0, 10_000)
            valid = len(sample) - sample.null_count
            if valid and pc.sum(pc.binary_length(sample)).as_py() / valid > 64:
                continue
        out.append(f.name)
    return out


def write_parquet_parts(parts: list[pa.Table], out_dir: Path, rel_prefix: str) -> list[dict]:
    """Write part-<i>.parquet (zstd, ROW_GROUP_SIZE rows per row group, the given Arrow schema stored),
    fsync them; return manifest file entries."""
    out_dir.mkdir(parents=True, exist_ok=True)
    dictionary = _dictionary_columns(parts[0])

    def write(i: int) -> dict:
        path = out_dir / f"part-{i}.parquet"
        pq.write_table(
            parts[i], path, compression=COMPRESSION, row_group_size=ROW_GROUP_SIZE,
            write_statistics=True, use_dictionary=dictionary,
        )
        fsync_path(path)
        return {
            "path": f"{rel_prefix}/{path.name}",
            "bytes": path.stat().st_size,
            "sha256": sha256_file(path),
            "rows": parts[i].num_rows,
        }

    with ThreadPoolExecutor(max(1, min(len(parts), os.cpu_count() or 1))) as pool:
        return list(pool.map(write, range(len(parts))))


def write_diff(diff: pa.Table, path: Path) -> dict:
    path.parent.mkdir(parents=True, exist_ok=True)
    pq.write_table(diff, path, compression=COMPRESSION, row_group_size=ROW_GROUP_SIZE)
    fsync_path(path)
    return {"bytes": path.stat().st_size, "sha256": sha256_file(path), "rows": diff.num_rows}


def apply_retention(published_dir: Path, keep: int, protected: Iterable[str]) -> list[str]:
    versions = list_versions(published_dir)
    keep_set = set(versions[-keep:]) | set(protected) | read_pins(published_dir)
    removed = []
    for v in versions:
        if v not in keep_set:
            remove_tree(published_dir, published_dir / v)
            removed.append(v)
    return removed
