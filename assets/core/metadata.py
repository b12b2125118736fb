"""Materialization metadata every table asset reports: row count, schema, a preview and the path."""

from __future__ import annotations

from pathlib import Path

import dagster as dg
import pyarrow.parquet as pq

from assets.core.columns import column_descriptions
from assets.core.contracts import PUBLIC_DATASETS

PREVIEW_ROWS = 5
PREVIEW_CHARS = 80


def _cell(value: object) -> str:
    text = str(value).replace("|", "\\|").replace("\n", " ")
    return text if len(text) <= PREVIEW_CHARS else text[: PREVIEW_CHARS - 1] + "…"


def column_schema(table: str, schema) -> dg.TableSchema:
    """Dagster's column schema of a table: types, the documented meanings, key columns non-null (a
    one-column key also unique)."""
    meanings = column_descriptions(table)
    key = PUBLIC_DATASETS.get(table, ())
    return dg.TableSchema(columns=[
        dg.TableColumn(
            field.name, str(field.type), description=meanings.get(field.name),
            constraints=dg.TableColumnConstraints(nullable=False, unique=key == (field.name,))
            if field.name in key else None,
        )
        for field in schema
    ])


def parquet_metadata(path: Path) -> dict[str, object]:
    """Dagster metadata for a Parquet table (named by its file): reads the footer and the first rows only."""
    parquet = pq.ParquetFile(path)
    schema = parquet.schema_arrow
    rows = parquet.metadata.num_rows
    preview = next(parquet.iter_batches(batch_size=PREVIEW_ROWS), None)
    header = "| " + " | ".join(schema.names) + " |\n|" + "---|" * len(schema.names) + "\n"
    body = ""
    if preview is not None:
        for row in preview.to_pylist()[:PREVIEW_ROWS]:
            body += "| " + " | ".join(_cell(row[name]) for name in schema.names) + " |\n"
    return {
        "dagster/row_count": rows,
        "dagster/column_schema": column_schema(path.stem, schema),
        "preview": dg.MetadataValue.md(header + body),
        "path": dg.MetadataValue.path(str(path)),
        "bytes": path.stat().st_size,
    }


def tables_metadata(paths: dict[str, Path]) -> dict[str, dict[str, object]]:
    return {name: parquet_metadata(path) for name, path in paths.items()}
