"""How a dataset is laid out in a release: its bucket count, the order of its rows (by bucket, then key)
and the content hash of every bucket, computed before anything is written so an unchanged release
costs no writes and an unchanged bucket keeps its file."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from assets.core.columns import column_descriptions, table_description
from assets.publish.buckets import (
    BUCKET_HASH, bucket_count, bucket_order, unit_ids, units_per_bucket, value_bytes,
)
from assets.publish.content_hash import (
    composite_hash, dataset_content_hash, duplicate_keys, schema_entries, schema_fingerprint, unit_hashes,
)


@dataclass
class DatasetLayout:
    name: str
    key: list[str]
    schema: list[dict]
    schema_fingerprint: str
    rows: int
    buckets: int
    order: pa.Array | None  # row indices of the input table, by (bucket, key); None: positions sort lazily
    bounds: np.ndarray  # rows before bucket b: bucket b holds bounds[b + 1] - bounds[b] rows
    bucket_hashes: list[str]
    content_hash: str
    nullable_key: bool
    provenance: list[str]
    ids: np.ndarray = field(default_factory=lambda: np.zeros(0, np.uint32))  # bucket of every input row
    units: np.ndarray = field(default_factory=lambda: np.zeros(0, np.uint32))  # unit of every input row
    unit_hashes: list[list[str]] = field(default_factory=list)  # per bucket, units_per_bucket hashes
    value_bytes: int = 0
    keys: pa.Table | None = None  # the input's key columns (to sort a bucket's rows lazily)
    changed_keys: pa.Array | None = None  # incremental: first-key values that may differ from the previous release
    castable: bool = True
    source_sha256: str | None = None  # the table file the dataset was read from (recorded in the manifest)
    units_per_bucket: int = 1  # hash units of a bucket (see assets/publish/buckets.py)

    def positions(self, bucket: int) -> np.ndarray:
        """Rows of the input table in ``bucket``, in key order."""
        if self.order is not None:
            start, stop = int(self.bounds[bucket]), int(self.bounds[bucket + 1])
            return self.order.slice(start, stop - start).to_numpy()
        rows = np.flatnonzero(self.ids == bucket)
        return rows[key_order(take_rows(self.keys, rows), self.key)]

    def rows_hash(self, rows: pa.Table) -> str:
        """Content hash of the rows a data file holds: its buckets' composites of the units' hashes (the
        bucket hash itself for a file holding a whole bucket)."""
        ids, units = unit_ids(rows.column(self.key[0]), self.buckets, self.units_per_bucket, self.castable)
        composites = []
        for bucket in np.unique(ids).tolist() or [0]:
            mine = np.flatnonzero(ids == bucket)
            ordered = mine[key_order(take_rows(rows.select(self.key), mine), self.key)]
            composites.append([bucket, composite_hash(self.hash_units(take_rows(rows, ordered), units[ordered]))])
        if len(composites) == 1:
            return composites[0][1]
        return hashlib.sha256(json.dumps(composites).encode()).hexdigest()

    def hash_units(self, rows: pa.Table, units: np.ndarray) -> list[str]:
        """The units_per_bucket unit hashes of one bucket's ``rows`` (in key order; ``units`` theirs)."""
        perm = np.argsort(units, kind="stable")
        bounds = np.concatenate([[0], np.cumsum(np.bincount(units, minlength=self.units_per_bucket))])
        return unit_hashes(take_rows(rows, perm), bounds, self.schema_fingerprint, self.key)

    def drop_rows(self) -> None:
        """Free what locates the input's rows (order, keys, ids) once the dataset is written; hashes stay."""
        self.order, self.keys = None, None
        self.ids = self.units = np.zeros(0, np.uint32)

    def finish(self) -> None:
        self.bucket_hashes = [composite_hash(units) for units in self.unit_hashes]
        self.content_hash = dataset_content_hash(self.bucket_hashes)

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
            "units_per_bucket": self.units_per_bucket,
            "value_bytes": self.value_bytes,
            "provenance_columns": self.provenance,
            "description": table_description(self.name),
            "column_descriptions": {c["name"]: text for c in self.schema
                                    if (text := column_descriptions(self.name).get(c["name"]))},
        }


def key_order(keys: pa.Table, key: list[str]) -> np.ndarray:
    return pc.sort_indices(keys, sort_keys=[(k, "ascending", "at_end") for k in key]).to_numpy()


def take_rows(table: pa.Table, positions: np.ndarray) -> pa.Table:
    """``table.take(positions)`` chunk by chunk: Arrow's take on a chunked column first concatenates the
    whole column, which per bucket would copy the dataset once per bucket (and fails past 2 GiB)."""
    positions = np.asarray(positions, dtype=np.int64)
    if not isinstance(table, pa.Table):  # a PartialTable (assets/publish/partial.py) reads just these rows
        return table.take(positions)
    columns, grouping = [], {}
    for column in table.columns:
        if column.num_chunks == 1:
            columns.append(column.chunk(0).take(positions))
            continue
        lengths = tuple(len(c) for c in column.chunks)
        if lengths not in grouping:  # the rows of each chunk, found once for columns chunked alike
            starts = np.cumsum((0, *lengths))
            owner = np.searchsorted(starts, positions, side="right") - 1
            grouped = np.argsort(owner, kind="stable")
            cuts = np.searchsorted(owner[grouped], np.arange(len(lengths) + 1))
            grouping[lengths] = (starts, grouped, cuts, np.argsort(grouped, kind="stable"))
        starts, grouped, cuts, inverse = grouping[lengths]
        pieces = [column.chunk(c).take(positions[grouped[cuts[c]:cuts[c + 1]]] - starts[c])
                  for c in range(len(lengths)) if cuts[c + 1] > cuts[c]]
        merged = pa.concat_arrays(pieces) if pieces else pa.array([], column.type)
        columns.append(merged.take(inverse))
    return pa.Table.from_arrays(columns, schema=table.schema)


def plan_layout(
    name: str, table: pa.Table, key: list[str], provenance: list[str], previous: dict | None
) -> DatasetLayout:
    """Bucket, order and hash ``table`` one bucket at a time (never a second copy of the whole table);
    raises ValueError when the key is not unique. ``previous`` is the dataset's entry in the previous
    manifest: its bucket count is kept while it still fits (see bucket_count)."""
    entries = schema_entries(table.schema)
    castable = _castable_to_text(table.schema.field(key[0]).type)
    nbytes = value_bytes(table)
    buckets = _bucket_count(castable, nbytes, key, previous)
    unit_count = units_per_bucket(table.num_rows, buckets, _previous_units_per_bucket(previous, buckets))
    order, bounds, ids, units = bucket_order(table, key, buckets, unit_count, castable)
    layout = DatasetLayout(
        name, list(key), entries, schema_fingerprint(entries), table.num_rows, buckets, order, bounds, [], "",
        any(table.column(k).null_count for k in key), list(provenance), ids, units, value_bytes=nbytes,
        keys=table.select(key).combine_chunks(), castable=castable, units_per_bucket=unit_count,
    )
    for bucket in range(buckets):
        positions = layout.positions(bucket)
        rows = take_rows(table, positions)
        duplicates = duplicate_keys([rows], layout.key)
        if duplicates:
            raise ValueError(f"{name}: key {key} is not unique, e.g. {duplicates}")
        layout.unit_hashes.append(layout.hash_units(rows, units[positions]))
    layout.finish()
    return layout


def plan_layout_incremental(
    name: str, table: pa.Table, key: list[str], provenance: list[str], previous: dict,
    previous_units: list[list[str]], changed: pa.Array,
) -> DatasetLayout | None:
    """The layout of ``table`` given that only rows whose first key column is in ``changed`` can differ
    from the previous release (whose entry and unit hashes are given): only the units those keys fall in
    are hashed (and checked for duplicate keys); the others keep their previous hashes. None when the
    previous release is bucketed or typed otherwise, or the bucket count would change: then plan_layout."""
    entries = schema_entries(table.schema)
    fingerprint = schema_fingerprint(entries)
    castable = _castable_to_text(table.schema.field(key[0]).type)
    if previous.get("schema_fingerprint") != fingerprint or previous.get("key") != key or not castable:
        return None
    buckets = previous.get("buckets")
    nbytes = int(previous.get("value_bytes") or 0) * table.num_rows // max(1, int(previous.get("rows") or 0))
    if previous.get("bucket_hash") != BUCKET_HASH or not nbytes or bucket_count(nbytes, buckets) != buckets \
            or len(previous_units) != buckets:
        return None
    unit_count = _previous_units_per_bucket(previous, buckets)
    if not unit_count or units_per_bucket(table.num_rows, buckets, unit_count) != unit_count \
            or any(len(u) != unit_count for u in previous_units):
        return None
    keys = table.select(key).combine_chunks()
    ids, units = unit_ids(keys.column(0), buckets, unit_count)
    bounds = np.concatenate([[0], np.cumsum(np.bincount(ids, minlength=buckets))])
    layout = DatasetLayout(
        name, list(key), entries, fingerprint, table.num_rows, buckets, None, bounds, [], "",
        any(keys.column(k).null_count for k in key), list(provenance), ids, units,
        [list(u) for u in previous_units], nbytes, keys, changed, castable, units_per_bucket=unit_count,
    )
    changed_ids, changed_units = unit_ids(pa.chunked_array([changed.cast(keys.column(0).type)]), buckets, unit_count)
    dirty = np.unique(changed_ids.astype(np.int64) * unit_count + changed_units)
    code = ids.astype(np.int64) * unit_count + units
    rows = np.flatnonzero(np.isin(code, dirty))
    codes = pa.table({"__unit": code[rows], **{f"k{i}": take_rows(keys, rows).column(i) for i in range(len(key))}})
    rows = rows[pc.sort_indices(codes, sort_keys=[("__unit", "ascending")]
                                + [(f"k{i}", "ascending", "at_end") for i in range(len(key))]).to_numpy()]
    part = take_rows(table, rows)
    duplicates = duplicate_keys([part], layout.key)
    if duplicates:
        raise ValueError(f"{name}: key {key} is not unique, e.g. {duplicates}")
    cuts = np.searchsorted(code[rows], dirty, side="left").tolist() + [len(rows)]
    hashes = unit_hashes(part, np.asarray(cuts), fingerprint, layout.key)
    for unit, digest in zip(dirty.tolist(), hashes):
        layout.unit_hashes[unit // unit_count][unit % unit_count] = digest
    layout.finish()
    return layout


def _bucket_count(castable: bool, nbytes: int, key: list[str], previous: dict | None) -> int:
    if not castable:
        return 1
    same_bucketing = previous is not None and previous.get("bucket_hash") == BUCKET_HASH and previous["key"] == key
    return bucket_count(nbytes, previous.get("buckets") if same_bucketing else None)


def _previous_units_per_bucket(previous: dict | None, buckets: int) -> int | None:
    """The previous release's units per bucket when it is bucketed alike (None for another bucket count,
    and for releases hashed before units were sized by rows: content hash v3 and older)."""
    if previous is None or previous.get("buckets") != buckets:
        return None
    return previous.get("units_per_bucket")


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
