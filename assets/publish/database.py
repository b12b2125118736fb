"""Builds `papers.duckdb` from the stage tables, into a new file swapped in atomically.

DuckDB allows one writer per file and an analyst may hold the old file open: building a fresh file
and renaming it over the old one never waits on, nor breaks, a reader (their open handle keeps the
old snapshot; their next connection sees the new one).
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import duckdb
import pyarrow as pa

from assets.core.release_format import dataset_files, read_manifest
from assets.core.storage import crash_point, fsync_path, remove_dead_writers_files

def build_database(
    database: Path,
    tables: dict[str, Path],
    validation_files: list[Path],
    release: Path | None,
    releases: list[dict] = (),
) -> dict[str, int]:
    """Write every table, the validation history, the list of releases and `published.*` views over
    the latest release into a new DuckDB file, then replace `database` with it. Returns row counts."""
    database.parent.mkdir(parents=True, exist_ok=True)
    building = database.with_name(f".{database.name}.{os.getpid()}.building")
    building.unlink(missing_ok=True)
    # a killed build leaves its half-written file (and DuckDB's .wal): remove those of dead processes
    remove_dead_writers_files(
        database.parent, re.compile(re.escape(f".{database.name}.") + r"(?P<pid>\d+)\.building(\.wal)?")
    )
    counts: dict[str, int] = {}
    try:
        con = duckdb.connect(str(building))
        try:
            for name, path in sorted(tables.items()):
                if path.is_file():
                    con.read_parquet(str(path)).create(name)
                    counts[name] = con.table(name).count("*").fetchall()[0][0]
            if validation_files:
                con.read_parquet([str(p) for p in sorted(validation_files)], union_by_name=True).create(
                    "validation_results"
                )
                counts["validation_results"] = con.table("validation_results").count("*").fetchall()[0][0]
            if releases:
                con.from_arrow(pa.Table.from_pylist(list(releases))).create("releases")
            if release is not None:
                _published_views(con, release)
            con.execute("CHECKPOINT")
        finally:
            con.close()
        crash_point(database.name)
        os.replace(building, database)
        fsync_path(database.parent)
    except BaseException:
        building.unlink(missing_ok=True)
        raise
    return counts


def _published_views(con: duckdb.DuckDBPyConnection, release: Path) -> None:
    """Views `published.<dataset>` over the latest release's Parquet files (read in place, not copied)."""
    manifest = read_manifest(release)
    con.execute("CREATE SCHEMA published")
    con.execute("USE published")
    try:
        for dataset in sorted(manifest["datasets"]):
            files = [str(p) for p in dataset_files(release, dataset, manifest)]
            if files:
                con.read_parquet(files).create_view(dataset)
    finally:
        con.execute("USE main")
