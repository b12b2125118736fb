"""Builds `papers.duckdb` into a new file swapped in atomically: the public datasets as views over the
latest release's Parquet files (what was validated and published; a refresh that adds 210 papers to a
million does not copy a million rows again), views over its diffs, the tables a release does not carry,
the releases and their files, and the validation history (a view over `quality/results/`, so a failed
run's results are queryable without rebuilding the file).

DuckDB allows one writer per file and an analyst may hold the old file open: building a fresh file
and renaming it over the old one never waits on, nor breaks, a reader (their open handle keeps the
old snapshot; their next connection sees the new one). The file is written in the storage format of
DuckDB 1.4 (`STORAGE_VERSION`), which DuckDB 1.x clients (the `duckdb` CLI among them) open.
"""

from __future__ import annotations

import os
import re
from contextlib import contextmanager
from pathlib import Path

import duckdb
import pyarrow as pa

from assets.core.contracts import PUBLIC_DATASETS
from assets.core.columns import column_descriptions, diff_column_descriptions, table_description
from assets.core.release_format import (
    MANIFEST, dataset_files, latest_version, list_versions, manifest_base, read_manifest, release_dir,
)
from assets.core.storage import crash_point, fsync_path, remove_dead_writers_files

STORAGE_VERSION = "v1.4.0"  # the newest storage format DuckDB 1.x clients read (DuckDB 2.0 writes 69)
RESULTS_GLOB = "*.parquet"


def build_database(
    database: Path,
    tables: dict[str, Path],
    results_dir: Path,
    published: Path,
    report_of=None,
) -> dict[str, int]:
    """Write the `tables` (those no release carries), the validation history view, the releases and
    their files, and views over the latest release (`main.<dataset>`, `published.<dataset>`,
    `published.<dataset>_diff`) into a new DuckDB file with every table and column commented, then
    replace `database` with it. `report_of(release_folder)` names a release's report. Returns row counts."""
    database.parent.mkdir(parents=True, exist_ok=True)
    building = database.with_name(f".{database.name}.{os.getpid()}.building")
    building.unlink(missing_ok=True)
    # a killed build leaves its half-written file (and DuckDB's .wal): remove those of dead processes
    remove_dead_writers_files(
        database.parent, re.compile(re.escape(f".{database.name}.") + r"(?P<pid>\d+)\.building(\.wal)?")
    )
    counts: dict[str, int] = {}
    try:
        con = duckdb.connect(str(building), config={"storage_compatibility_version": STORAGE_VERSION})
        try:
            for name, path in sorted(tables.items()):
                if path.is_file():
                    con.read_parquet(str(path)).create(name)
                    counts[name] = con.table(name).count("*").fetchall()[0][0]
            _validation_view(con, results_dir)
            releases, files = release_rows(published, report_of)
            _create_table(con, "releases", releases, RELEASES_SCHEMA)
            _create_table(con, "release_files", files, RELEASE_FILES_SCHEMA)
            latest = latest_version(published)
            if latest is not None:
                counts |= _release_views(con, release_dir(published, latest), "main")
                _release_views(con, release_dir(published, latest), "published")
                _diff_views(con, release_dir(published, latest))
            comment_everything(con)
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


def ensure_validation_database(database: Path, results_dir: Path) -> bool:
    """When no run has built `database` yet, create it holding only `validation_results` (the view over
    every run's check outcomes), so a failed first run's results are queryable where the error points.
    An existing file is left as it is (its view already reads every result). Returns whether it wrote."""
    if database.exists() or not any(results_dir.glob(RESULTS_GLOB)):
        return False
    build_database(database, {}, results_dir, database.parent / "published")
    return True


def _validation_view(con: duckdb.DuckDBPyConnection, results_dir: Path) -> None:
    """`validation_results`: a view over every run's result files, read when queried (absolute glob)."""
    if any(results_dir.glob(RESULTS_GLOB)):
        con.read_parquet(str(results_dir.resolve() / RESULTS_GLOB), union_by_name=True).create_view(
            "validation_results"
        )


RELEASES_SCHEMA = pa.schema([
    ("version", pa.string()), ("created_at", pa.string()), ("previous_version", pa.string()),
    ("bump", pa.string()), ("is_latest", pa.bool_()), ("path", pa.string()), ("manifest_path", pa.string()),
    ("report_path", pa.string()),
])
RELEASE_FILES_SCHEMA = pa.schema([
    ("version", pa.string()), ("dataset", pa.string()), ("kind", pa.string()), ("path", pa.string()),
    ("bytes", pa.int64()), ("sha256", pa.string()), ("rows", pa.int64()),
])


def release_rows(published: Path, report_of=None) -> tuple[list[dict], list[dict]]:
    """One row per release folder, and one per file each release lists (data files and diffs)."""
    latest = latest_version(published)
    releases, files = [], []
    for version in list_versions(published):
        folder = release_dir(published, version)
        manifest = read_manifest(folder)
        base = manifest_base(folder, manifest).resolve()
        report = report_of(folder) if report_of is not None else None
        releases.append({
            "version": version, "created_at": manifest.get("created_at"),
            "previous_version": manifest.get("previous_version"), "bump": manifest.get("bump"),
            "is_latest": version == latest, "path": str(folder.resolve()),
            "manifest_path": str(folder.resolve() / MANIFEST),
            "report_path": str(Path(report).resolve()) if report is not None and Path(report).is_file() else None,
        })
        for dataset, entry in sorted(manifest.get("datasets", {}).items()):
            for f in entry.get("files", []):
                files.append(_file_row(version, dataset, "data", base, f))
        for dataset, f in sorted(manifest.get("diffs", {}).items()):
            files.append(_file_row(version, dataset, "diff", base, f))
    return releases, files


def _file_row(version: str, dataset: str, kind: str, base: Path, entry: dict) -> dict:
    return {"version": version, "dataset": dataset, "kind": kind, "path": str(base / entry["path"]),
            "bytes": entry.get("bytes"), "sha256": entry.get("sha256"), "rows": entry.get("rows")}


def _create_table(con: duckdb.DuckDBPyConnection, name: str, rows: list[dict], schema: pa.Schema) -> None:
    con.from_arrow(pa.Table.from_pylist(rows, schema=schema)).create(name)


def _release_views(con: duckdb.DuckDBPyConnection, release: Path, schema: str) -> dict[str, int]:
    """Views `<schema>.<dataset>` over the release's Parquet files (read in place, not copied); returns
    their row counts from the manifest. `schema` is "main" or "published"."""
    manifest = read_manifest(release)
    counts = {}
    with _in_schema(con, schema):
        for dataset in sorted(manifest["datasets"]):
            files = [str(p) for p in dataset_files(release, dataset, manifest)]
            if files:
                con.read_parquet(files).create_view(dataset)
                counts[dataset] = manifest["datasets"][dataset]["rows"]
    return counts


def _diff_views(con: duckdb.DuckDBPyConnection, release: Path) -> None:
    """`published.<dataset>_diff`: the latest release's diff of each dataset against its previous version."""
    manifest = read_manifest(release)
    base = manifest_base(release, manifest)
    with _in_schema(con, "published"):
        for dataset, entry in sorted(manifest.get("diffs", {}).items()):
            con.read_parquet(str(base / entry["path"])).create_view(f"{dataset}_diff")


@contextmanager
def _in_schema(con: duckdb.DuckDBPyConnection, schema: str):
    """`USE <schema>` ("main" or "published", created if missing) for the block, then back to main."""
    if schema == "published":
        con.execute("CREATE SCHEMA IF NOT EXISTS published")
        con.execute("USE published")
    try:
        yield
    finally:
        con.execute("USE main")


def _comment_target(schema: str, table: str, present: list[str]) -> tuple[str | None, dict]:
    """(table description, {column: description}) for a table or view of the file with columns `present`."""
    if table.endswith("_diff") and schema == "published":
        dataset = table.removesuffix("_diff")
        key = [c for c in column_descriptions(dataset) if c in present]
        return f"changes of {dataset} in the latest release against its previous version", \
            diff_column_descriptions(dataset, key)
    where = "the latest release's " if table in PUBLIC_DATASETS else ""
    description = table_description(table)
    return (f"{where}{table}: {description}" if description else None), column_descriptions(table)


def comment_everything(con: duckdb.DuckDBPyConnection) -> None:
    """`COMMENT ON` every table, view and column, from the one source of descriptions, in one transaction
    (a commit per comment cost ~2 ms each, ~300 of them). DuckDB's COMMENT takes no bound parameters:
    names and texts are quoted by DuckDB's own expression renderer."""
    objects = con.execute(
        "SELECT schema_name, table_name, 'TABLE' FROM duckdb_tables() WHERE database_name = current_database() "
        "UNION ALL SELECT schema_name, view_name, 'VIEW' FROM duckdb_views() "
        "WHERE NOT internal AND database_name = current_database() ORDER BY 1, 2"
    ).fetchall()
    columns: dict[tuple[str, str], list[str]] = {}
    for schema, table, column in con.execute(
            "SELECT schema_name, table_name, column_name FROM duckdb_columns() "
            "WHERE database_name = current_database() ORDER BY schema_name, table_name, column_index").fetchall():
        columns.setdefault((schema, table), []).append(column)
    statements = []
    for schema, table, kind in objects:
        present = columns.get((schema, table), [])
        description, texts = _comment_target(schema, table, present)
        if description:
            statements.append(f"COMMENT ON {kind} {duckdb.ColumnExpression(schema, table)} IS "
                              f"{duckdb.ConstantExpression(description)}")
        statements += [f"COMMENT ON COLUMN {duckdb.ColumnExpression(schema, table, column)} IS "
                       f"{duckdb.ConstantExpression(texts[column])}" for column in present if texts.get(column)]
    con.execute("BEGIN TRANSACTION")  # on an error the caller deletes the file being built
    for statement in statements:
        con.execute(statement)
    con.execute("COMMIT")


