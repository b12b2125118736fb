"""Builds `papers.duckdb` into a new file swapped in atomically: the public datasets as views over the
latest release's Parquet files (what was validated and published; a refresh that adds 210 papers to a
million does not copy a million rows again), the tables a release does not carry, and the validation
history.

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
    """Write the `tables` (those no release carries), the validation history, the list of releases, and
    views over the latest release (`main.<dataset>` and `published.<dataset>`) into a new DuckDB file,
    then replace `database` with it. Returns row counts."""
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
                counts |= _release_views(con, release, "main")
                _release_views(con, release, "published")
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


def _release_views(con: duckdb.DuckDBPyConnection, release: Path, schema: str) -> dict[str, int]:
    """Views `<schema>.<dataset>` over the release's Parquet files (read in place, not copied); returns
    their row counts from the manifest. `schema` is "main" or "published"."""
    manifest = read_manifest(release)
    statements = {"main": ("USE main",), "published": ("CREATE SCHEMA published", "USE published")}
    for statement in statements[schema]:
        con.execute(statement)
    counts = {}
    try:
        for dataset in sorted(manifest["datasets"]):
            files = [str(p) for p in dataset_files(release, dataset, manifest)]
            if files:
                con.read_parquet(files).create_view(dataset)
                counts[dataset] = manifest["datasets"][dataset]["rows"]
    finally:
        con.execute("USE main")
    return counts
