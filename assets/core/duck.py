"""Private DuckDB connections for a stage's computation: inputs as views over Parquet, outputs streamed back to Parquet."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import duckdb
import pyarrow as pa

from assets.core.sql import load_sql
from assets.core.storage import write_parquet_atomic


def stage_connection(scratch_dir: Path | None = None, memory_limit: str = "4GB") -> duckdb.DuckDBPyConnection:
    """An in-memory DuckDB that spills to `scratch_dir` instead of growing past `memory_limit`."""
    con = duckdb.connect(config={"memory_limit": memory_limit, "preserve_insertion_order": False})
    if scratch_dir is not None:
        scratch_dir.mkdir(parents=True, exist_ok=True)
        con.execute("SET temp_directory = $dir", {"dir": str(scratch_dir)})
    return con


def attach_parquet(con: duckdb.DuckDBPyConnection, tables: dict[str, Path]) -> None:
    """Expose each Parquet file as a view named after its table (no SQL text is built from the names)."""
    for name, path in tables.items():
        con.read_parquet(str(path)).create_view(name)


@contextmanager
def registered(con: duckdb.DuckDBPyConnection, tables: dict[str, pa.Table]) -> Iterator[None]:
    """Arrow tables visible to the connection's SQL under the given names for the block's duration."""
    for name, table in tables.items():
        con.register(name, table)
    try:
        yield
    finally:
        for name in tables:
            con.unregister(name)


def export_relation(relation: duckdb.DuckDBPyRelation, path: Path) -> int:
    """Stream a relation to `path` (atomic zstd Parquet); returns rows written."""
    reader = relation.to_arrow_reader(64 * 1024)
    return write_parquet_atomic(path, reader, reader.schema)


def export_table(con: duckdb.DuckDBPyConnection, table: str, path: Path) -> int:
    """Write a table of the connection, looked up by name (never pasted into SQL), to `path`."""
    return export_relation(con.table(table), path)


def export_sql_table(con: duckdb.DuckDBPyConnection, table: str, path: Path, params: dict | None = None) -> int:
    """Run `sql/<table>.sql` and write its result to `path`."""
    return export_relation(con.sql(load_sql(table), params=params), path)
