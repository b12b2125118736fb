"""How a dataset is laid out in a release: its bucket count, the order of its rows (by bucket, then key)
and the content hash of every bucket, computed before anything is written so an unchanged release
costs no writes and an unchanged bucket keeps its file."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from assets.core.columns import column_descriptions, table_description
from assets.publish.buckets import BUCKET_HASH, bucket_count, bucket_order, value_bytes
from assets.publish.content_hash import (
    dataset_content_hash, duplicate_keys, rows_content_hash, schema_entries, schema_fingerprint,
)


@dataclass
class DatasetLayout:
    name: str
    key: list[str]
    schema: list[dict]
    schema_fingerprint: str
    rows: int
    buckets: int
    order: pa.Array  # row indices of the input table, by (bucket, key)
    bounds: np.ndarray  # bucket b is order[bounds[b]:bounds[b + 1]]
    bucket_hashes: list[str]
    content_hash: str
    nullable_key: bool
    provenance: list[str]

    def positions(self, bucket: int) -> np.ndarray:
        """Rows of the input table in ``bucket``, in key order."""
        start, stop = int(self.bounds[bucket]), int(self.bounds[bucket + 1])
        return self.order.slice(start, stop - start).to_numpy()

    def rows_hash(self, rows: pa.Table) -> str:
        return rows_content_hash(self.schema_fingerprint, self.key, rows)

    def manifest_entry(self) -> dict:
        return {
            "rows": self.rows,
            "key": self.key,
            "schema": self.schema,
            "schema_fingerprint": self.schema_fingerprint,
            "content_hash": self.content_hash,
            "buckets": self.buckets,
            "bucket_hash": BUCKET_HASH,
            "bucket_hashes": self.bucket_hashes,
            "provenance_columns": self.provenance,
            "description": table_description(self.name),
            "column_descriptions": {c["name"]: text for c in self.schema
                                    if (text := column_descriptions(self.name).get(c["name"]))},
        }


def take_rows(table: pa.Table, positions: np.ndarray) -> pa.Table:
    """``table.take(positions)`` chunk by chunk: Arrow's take on a chunked column first concatenates the
    whole column, which per bucket would copy the dataset once per bucket (and fails past 2 GiB)."""
    positions = np.asarray(positions, dtype=np.int64)
    columns = []
    for column in table.columns:
        if column.num_chunks == 1:
            columns.append(column.chunk(0).take(positions))
            continue
        starts = np.cumsum([0] + [len(c) for c in column.chunks])
        owner = np.searchsorted(starts, positions, side="right") - 1
        grouped = np.argsort(owner, kind="stable")
        pieces = [
            column.chunk(c).take(positions[grouped][owner[grouped] == c] - starts[c])
            for c in np.unique(owner)
        ]
        merged = pa.concat_arrays(pieces) if pieces else pa.array([], column.type)
        columns.append(merged.take(np.argsort(grouped, kind="stable")))
    return pa.Table.from_arrays(columns, schema=table.schema)


def plan_layout(
    name: str, table: pa.Table, key: list[str], provenance: list[str], previous: dict | None
) -> DatasetLayout:
    """Bucket, order and hash ``table`` one bucket at a time (never a second copy of the whole table);
    raises ValueError when the key is not unique. ``previous`` is the dataset's entry in the previous
    manifest: its bucket count is kept while it still fits (see bucket_count)."""
    entries = schema_entries(table.schema)
    fingerprint = schema_fingerprint(entries)
    buckets = _bucket_count(table, key, previous)
    order, bounds = bucket_order(table, key, buckets)
    layout = DatasetLayout(
        name, list(key), entries, fingerprint, table.num_rows, buckets, order, bounds, [], "",
        any(table.column(k).null_count for k in key), list(provenance),
    )
    for bucket in range(buckets):
        rows = take_rows(table, layout.positions(bucket))
        duplicates = duplicate_keys([rows], layout.key)
        if duplicates:
            raise ValueError(f"{name}: key {key} is not unique, e.g. {duplicates}")
        layout.bucket_hashes.append(layout.rows_hash(rows))
    layout.content_hash = dataset_content_hash(layout.bucket_hashes)
    return layout


def _bucket_count(table: pa.Table, key: list[str], previous: dict | None) -> int:
    if not _castable_to_text(table.schema.field(key[0]).type):
        return 1
    same_bucketing = previous is not None and previous.get("bucket_hash") == BUCKET_HASH and previous["key"] == key
    return bucket_count(value_bytes(table), previous.get("buckets") if same_bucketing else None)


def _castable_to_text(data_type: pa.DataType) -> bool:
    if pa.types.is_dictionary(data_type):
        data_type = data_type.value_type
    try:
        pc.cast(pa.array([], data_type), pa.large_string())
    except (pa.ArrowNotImplementedError, pa.ArrowInvalid):
        return False
    return True


def same_bucketing(previous: dict | None, layout: DatasetLayout) -> bool:
    """Whether every row of the previous release's dataset sits in the bucket of the same number here:
    then only the buckets whose hash changed need a look (files to keep, diffs)."""
    if previous is None or previous.get("bucket_hash") != BUCKET_HASH or "bucket_hashes" not in previous:
        return False
    if previous["key"] != layout.key or previous.get("buckets") != layout.buckets:
        return False
    type_of = lambda schema: next(c["type"] for c in schema if c["name"] == layout.key[0])  # noqa: E731
    return type_of(previous["schema"]) == type_of(layout.schema)
