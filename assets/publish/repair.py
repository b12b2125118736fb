"""Repairs of what a crash, a disk or a person left in ``published/``, run by the publisher under its lock:
a missing or damaged `latest.json` is rebuilt from the newest release manifest (versions never restart
at "initial"), and a data file of the latest release that fails its manifest is rewritten from the
current tables when they hold the same content (the same rows give the same bytes, so the file gets its
sha256 back). What cannot be repaired is left to the caller, which then publishes a new version."""

from __future__ import annotations

import json
import shutil
import uuid
from pathlib import Path

import numpy as np
import polars as pl
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from assets.core.release_format import (
    LATEST, MANIFEST, TMP_PREFIX, list_versions, parse_version, read_manifest, verify_release,
)
from assets.publish.layout import DatasetLayout, take_rows
from assets.publish.store import dictionary_columns, is_intact, store_data_file, write_latest_pointer


def _pointer_problem(published_dir: Path) -> str | None:
    """What is wrong with `latest.json` (None: it names a release whose manifest reads)."""
    path = published_dir / LATEST
    try:
        version = json.loads(path.read_text(encoding="utf-8"))["version"]
        parse_version(version)
    except FileNotFoundError:
        return f"{path} is missing"
    except (OSError, ValueError, KeyError, TypeError) as error:
        return f"{path} is unreadable ({error})"
    try:
        read_manifest(published_dir / version)
    except (OSError, ValueError) as error:
        return f"{path} names release {version}, whose {MANIFEST} cannot be read ({error.__class__.__name__})"
    return None


def rebuild_latest_pointer(published_dir: Path) -> str | None:
    """Point `latest.json` at the newest release whose manifest reads and names its folder, when the
    pointer is missing or damaged; returns what was done (None: nothing to do, or no release at all)."""
    if not list_versions(published_dir):
        return None
    problem = _pointer_problem(published_dir)
    if problem is None:
        return None
    for version in reversed(list_versions(published_dir)):
        try:
            if read_manifest(published_dir / version).get("version") == version:
                write_latest_pointer(published_dir, version)
                return f"{problem}: rebuilt from the manifest of release {version}, the newest one"
        except (OSError, ValueError):
            continue
    return f"{problem}, and no release manifest can be read: the next version is numbered above every folder"


def repair_release_files(
    published_dir: Path, version: str, manifest: dict, datasets: dict, layouts: dict[str, DatasetLayout]
) -> tuple[list[str], list[str]]:
    """Rewrite the damaged or missing data files of release `version` (whose content equals `datasets`)
    from `datasets`. Returns (repaired notes, problems left), each naming the file."""
    problems = verify_release(published_dir / version)
    if not problems:
        return [], []
    repaired: list[str] = []
    staging = published_dir / f"{TMP_PREFIX}repair-{uuid.uuid4().hex}"
    staging.mkdir()
    try:
        for name, entry in sorted(manifest.get("datasets", {}).items()):
            damaged = [f for f in entry.get("files", []) if not is_intact(published_dir, f)]
            if not damaged or name not in layouts:
                continue
            table = datasets[name]
            for file in damaged:
                rows = _rows_of_file(table, layouts[name], entry["files"], file, published_dir)
                if rows is None:
                    continue
                stored = store_data_file(published_dir, staging, name, rows, dictionary_columns(table))
                if stored["sha256"] == file["sha256"]:
                    repaired.append(f"{file['path']} failed its manifest: rewritten from the current tables")
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return repaired, verify_release(published_dir / version)


def _rows_of_file(
    table: pa.Table, layout: DatasetLayout, files: list[dict], file: dict, published_dir: Path
) -> pa.Table | None:
    """The rows of `table` that the manifest entry `file` holds: its buckets' rows minus those the other
    (intact) files covering them hold; None when another damaged file shares its buckets."""
    covers = _covers(file)
    others = [f for f in files if f is not file and covers & _covers(f)]
    if any(not is_intact(published_dir, f) for f in others) or not covers:
        return None
    positions = np.concatenate([layout.positions(b) for b in sorted(covers)])
    if others:
        held = pl.concat([pl.from_arrow(pq.read_table(published_dir / f["path"], columns=layout.key))
                          for f in others], how="vertical_relaxed")
        ours = pl.from_arrow(take_rows(table.select(layout.key), positions)).with_row_index("__row")
        positions = positions[ours.join(held, on=layout.key, how="anti", nulls_equal=True)["__row"].sort().to_numpy()]
    rows = take_rows(table, positions)
    if file.get("bucket") is None:  # an additions file is sorted by key (see release._store_new_files)
        rows = rows.take(pc.sort_indices(rows, sort_keys=[(k, "ascending", "at_end") for k in layout.key]))
    return rows


def _covers(file: dict) -> set[int]:
    return {file["bucket"]} if file.get("bucket") is not None else set(file.get("buckets", []))
