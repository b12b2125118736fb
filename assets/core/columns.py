"""Table and column descriptions from one source (`columns.yaml`, which docs/datasets.md is checked
against): papers.duckdb's `COMMENT ON`, Dagster's column schema and the release manifest read them here."""

from __future__ import annotations

from functools import cache
from pathlib import Path

import yaml

SOURCE = Path(__file__).with_name("columns.yaml")


@cache
def _source() -> dict:
    return yaml.safe_load(SOURCE.read_text(encoding="utf-8"))


def table_description(table: str) -> str | None:
    entry = _source()["tables"].get(table)
    return entry["description"] if entry else None


def column_descriptions(table: str) -> dict[str, str]:
    """{column: meaning} of a documented table; empty for an undocumented one."""
    entry = _source()["tables"].get(table)
    return dict(entry["columns"]) if entry else {}


def diff_column_descriptions(dataset: str, key: list[str] | tuple[str, ...]) -> dict[str, str]:
    """Columns of a dataset's diff: its key columns (meaning as in the dataset), `change`, `changed_fields`."""
    columns = column_descriptions(dataset)
    return {**{k: columns.get(k, "key column") for k in key}, **_source()["diff_columns"]}
