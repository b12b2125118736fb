"""Content hashing of a release: a digest of each dataset's rows that is independent of row order,
chunking, run time and library versions (no Parquet bytes involved), so equal content means an equal
hash and nothing new to publish."""

from __future__ import annotations

import hashlib
import json
from typing import Any

import numpy as np
import polars as pl
import pyarrow as pa
import pyarrow.compute as pc

# Per unit of a dataset (a bucket's rows split by a second hash of the key, see assets/publish/buckets.py):
# its rows sorted by the (unique) key, each column serialised canonically (validity, lengths, value bytes;
# see _feed_array) into sha256 streams, combined with {schema fingerprint, key, rows}. A bucket's hash is
# the sha256 of its units' hashes (one per line, in unit order); a dataset's hash combines its buckets'.
# Independent of input row order, chunking, run time and library versions (no Parquet bytes involved).
# Units make the hash of a bucket cheap to update: a refresh that changes a few keys re-hashes the units
# those keys fall in and takes the others from the previous release (assets/publish/layout.py).
# v4: a bucket's unit count follows its rows (~64 rows a unit, the manifest's units_per_bucket) instead of 16.
CONTENT_HASH_ALGORITHM = "arrow-canonical-bucketed-sha256/v4"


def schema_entries(schema: pa.Schema) -> list[dict]:
    return [{"name": f.name, "type": str(f.type), "nullable": f.nullable} for f in schema]


def schema_fingerprint(entries: list[dict]) -> str:
    canonical = json.dumps(entries, sort_keys=True, separators=(",", ":"), ensure_ascii=True)
    return hashlib.sha256(canonical.encode()).hexdigest()


def _feed_array(hashers: dict[str, Any], prefix: str, arr: pa.Array) -> None:
    """Feed one chunk of a column, in canonical form, into per-stream sha256 hashers.

    Streams (validity bytes, value lengths, value bytes) are concatenations over chunks, so the result
    does not depend on chunking, slicing offsets, string vs large_string, dictionary encoding or
    whatever bytes sit under null slots.
    """

    def upd(stream: str, data) -> None:
        h = hashers.get(prefix + stream)
        if h is None:
            h = hashers[prefix + stream] = hashlib.sha256()
        h.update(data)

    if pa.types.is_dictionary(arr.type):
        arr = arr.dictionary_decode()
    t, n = arr.type, len(arr)
    if n == 0:
        return
    valid = pc.is_valid(arr).to_numpy(zero_copy_only=False) if arr.null_count else None
    upd(":v", valid.tobytes() if valid is not None else bytes([1]) * n)
    if pa.types.is_string(t) or pa.types.is_binary(t) or pa.types.is_large_string(t) or pa.types.is_large_binary(t):
        if valid is not None:
            arr = arr.fill_null("" if "string" in str(t) else b"")
        lengths = pc.binary_length(arr).cast(pa.int64()).to_numpy()
        upd(":l", lengths.tobytes())
        wide = pa.types.is_large_string(t) or pa.types.is_large_binary(t)
        bufs = arr.buffers()
        offs = np.frombuffer(bufs[1], dtype=np.int64 if wide else np.int32)
        start, stop = int(offs[arr.offset]), int(offs[arr.offset + n])
        if bufs[2] is not None and stop > start:
            upd(":d", memoryview(bufs[2])[start:stop])
    elif pa.types.is_list(t) or pa.types.is_large_list(t):
        upd(":l", pc.list_value_length(arr).fill_null(0).cast(pa.int64()).to_numpy().tobytes())
        _feed_array(hashers, prefix + "[]", arr.flatten())
    elif pa.types.is_struct(t):
        for i, child in enumerate(arr.flatten()):
            _feed_array(hashers, f"{prefix}.{t.field(i).name}", child)
    elif pa.types.is_boolean(t):
        upd(":d", arr.fill_null(False).to_numpy(zero_copy_only=False).tobytes())
    elif isinstance(t, pa.FixedSizeBinaryType) or (
        pa.types.is_integer(t) or pa.types.is_floating(t) or pa.types.is_temporal(t) or pa.types.is_decimal(t)
    ):
        width = t.byte_width if isinstance(t, pa.FixedSizeBinaryType) else t.bit_width // 8
        raw = np.frombuffer(arr.buffers()[1], dtype=np.uint8)[arr.offset * width : (arr.offset + n) * width]
        if valid is not None:
            raw = raw.reshape(n, width).copy()
            raw[~valid] = 0
        upd(":d", raw.tobytes() if valid is not None else memoryview(raw))
    else:  # rare types (map, union, fixed-size list, null, ...): canonical JSON of the values
        upd(":j", json.dumps(arr.to_pylist(), default=str, sort_keys=True).encode())


def unit_hashes(rows: pa.Table, bounds: np.ndarray, schema_fp: str, key: list[str]) -> list[str]:
    """The hash of each unit's rows (its schema fingerprint, key, row count and the digest of its columns'
    canonical streams): ``rows`` are in (unit, key) order and unit ``u`` is
    ``rows[bounds[u]:bounds[u + 1]]``. Each column is brought to its canonical streams once and sliced per
    unit (per-unit calls of _feed_array would cost ~1 ms each); nested and rare types go unit by unit."""
    units = len(bounds) - 1
    streams: list[dict[str, Any]] = [{} for _ in range(units)]
    for name, column in zip(rows.schema.names, rows.columns):
        arr = column.combine_chunks() if column.num_chunks != 1 else column.chunk(0)
        if not _feed_units(streams, name, arr, bounds):
            for u in range(units):
                if bounds[u + 1] > bounds[u]:
                    _feed_array(streams[u], name, arr.slice(int(bounds[u]), int(bounds[u + 1] - bounds[u])))
    out, empty = [], None
    for u in range(units):
        if bounds[u + 1] == bounds[u] and empty is not None:  # every empty unit hashes alike
            out.append(empty)
            continue
        digest = hashlib.sha256(json.dumps({k: h.hexdigest() for k, h in streams[u].items()},
                                           sort_keys=True).encode()).hexdigest()
        head = json.dumps({"schema": schema_fp, "key": key, "rows": int(bounds[u + 1] - bounds[u])}, sort_keys=True)
        out.append(hashlib.sha256(f"{head}\n{digest}".encode()).hexdigest())
        if bounds[u + 1] == bounds[u]:
            empty = out[-1]
    return out


def _flat(t: pa.DataType) -> bool:
    """Types whose canonical streams _feed_units writes for every unit at once."""
    if pa.types.is_dictionary(t):
        t = t.value_type
    return pa.types.is_string(t) or pa.types.is_binary(t) or pa.types.is_large_string(t) \
        or pa.types.is_large_binary(t) or isinstance(t, pa.FixedSizeBinaryType) or pa.types.is_integer(t) \
        or pa.types.is_floating(t) or pa.types.is_temporal(t) or pa.types.is_decimal(t) or pa.types.is_boolean(t)


def _feed_units(streams: list[dict[str, Any]], name: str, arr: pa.Array, bounds: np.ndarray) -> bool:
    """_feed_array for every unit of a column at once: flat types, and lists of them without NULL lists
    (False: a type this fast path leaves to _feed_array, unit by unit)."""
    if pa.types.is_dictionary(arr.type):
        arr = arr.dictionary_decode()
    t, n = arr.type, len(arr)
    text = pa.types.is_string(t) or pa.types.is_binary(t) or pa.types.is_large_string(t) or pa.types.is_large_binary(t)
    fixed = isinstance(t, pa.FixedSizeBinaryType) or pa.types.is_integer(t) or pa.types.is_floating(t) \
        or pa.types.is_temporal(t) or pa.types.is_decimal(t)
    listed = (pa.types.is_list(t) or pa.types.is_large_list(t)) and not arr.null_count and _flat(t.value_type)
    if not (text or fixed or listed or pa.types.is_boolean(t)):
        return False
    valid = pc.is_valid(arr).to_numpy(zero_copy_only=False).astype(np.uint8) if arr.null_count else np.ones(n, np.uint8)
    parts: list[tuple[str, np.ndarray, np.ndarray]] = [(":v", valid.view(np.uint8), np.asarray(bounds))]
    if listed:  # lengths, then the values, cut where each unit's lists start (flatten = the values in order)
        lengths = pc.list_value_length(arr).fill_null(0).cast(pa.int64()).to_numpy()
        parts.append((":l", lengths.view(np.uint8), np.asarray(bounds) * 8))
        offsets = arr.offsets.to_numpy()
        _feed_units(streams, name + "[]", arr.flatten(), (offsets[np.asarray(bounds)] - offsets[0]).astype(np.int64))
    elif text:
        if arr.null_count:
            arr = arr.fill_null("" if "string" in str(t) else b"")
        lengths = pc.binary_length(arr).cast(pa.int64()).to_numpy()
        parts.append((":l", lengths.view(np.uint8), np.asarray(bounds) * 8))
        wide = pa.types.is_large_string(t) or pa.types.is_large_binary(t)
        bufs = arr.buffers()
        offs = np.frombuffer(bufs[1], dtype=np.int64 if wide else np.int32)[arr.offset: arr.offset + n + 1]
        data = np.zeros(0, np.uint8) if bufs[2] is None else np.frombuffer(bufs[2], dtype=np.uint8)
        parts.append((":d", data, offs[np.asarray(bounds)].astype(np.int64)))
    elif pa.types.is_boolean(t):
        parts.append((":d", arr.fill_null(False).to_numpy(zero_copy_only=False).view(np.uint8), np.asarray(bounds)))
    else:
        width = t.byte_width if isinstance(t, pa.FixedSizeBinaryType) else t.bit_width // 8
        raw = np.frombuffer(arr.buffers()[1], dtype=np.uint8)[arr.offset * width : (arr.offset + n) * width]
        if arr.null_count:
            raw = raw.reshape(n, width).copy()
            raw[~valid.astype(bool)] = 0
            raw = raw.reshape(-1)
        parts.append((":d", raw, np.asarray(bounds) * width))
    for u in range(len(bounds) - 1):
        if bounds[u + 1] == bounds[u]:
            continue  # _feed_array leaves an empty chunk out of every stream
        for stream, data, cuts in parts:
            if stream == ":d" and cuts[u + 1] == cuts[u] and text:
                continue  # no value bytes: _feed_array does not open the stream
            h = streams[u].get(name + stream)
            if h is None:
                h = streams[u][name + stream] = hashlib.sha256()
            h.update(memoryview(data[int(cuts[u]) : int(cuts[u + 1])]))
    return True


def composite_hash(unit_hashes: list[str]) -> str:
    """A bucket's hash from its units' hashes (also: a data file's, from the units of the rows it holds)."""
    return hashlib.sha256("\n".join(unit_hashes).encode()).hexdigest()


def dataset_content_hash(bucket_hashes: list[str]) -> str:
    """Hash of a dataset from its buckets' hashes (so it depends on the bucket count too)."""
    return hashlib.sha256(json.dumps(bucket_hashes).encode()).hexdigest()


def release_content_hash(dataset_hashes: dict[str, str]) -> str:
    canonical = json.dumps(dict(sorted(dataset_hashes.items())), separators=(",", ":"))
    return hashlib.sha256(canonical.encode()).hexdigest()


def duplicate_keys(parts: list[pa.Table], key: list[str], limit: int = 3) -> list[tuple]:
    """Up to ``limit`` key values occurring more than once, as (*key, count) tuples; NULLs (and NaNs) count
    as equal. ``parts`` are sorted by ``key`` (see sorted_parts), so duplicates are neighbours."""
    n = sum(p.num_rows for p in parts)
    if n < 2:
        return []
    cols = []
    for k in key:
        chunks = [c for p in parts for c in p.column(k).chunks]
        chunks = [c.dictionary_decode() if pa.types.is_dictionary(c.type) else c for c in chunks]
        cols.append(pa.chunked_array(chunks))
    try:
        same = None
        for col in cols:
            a, b = col.slice(1), col.slice(0, n - 1)
            eq = pc.or_(pc.fill_null(pc.equal(a, b), False), pc.and_(pc.is_null(a), pc.is_null(b)))
            if pa.types.is_floating(col.type):
                eq = pc.or_(eq, pc.fill_null(pc.and_(pc.is_nan(a), pc.is_nan(b)), False))
            same = eq if same is None else pc.and_(same, eq)
    except (pa.ArrowNotImplementedError, pa.ArrowInvalid):  # e.g. nested key columns: hash them instead
        keys = pl.DataFrame({k: pl.from_arrow(c) for k, c in zip(key, cols)})
        count = "n"
        while count in key:
            count += "_"
        return keys.group_by(key).agg(pl.len().alias(count)).filter(pl.col(count) > 1).head(limit).rows()
    if not pc.any(same).as_py():
        return []
    flags = same.to_numpy(zero_copy_only=False)
    starts = np.flatnonzero(flags & ~np.concatenate([[False], flags[:-1]]))[:limit]
    out = []
    for s in starts.tolist():  # run of equal neighbours: rows s .. s + length
        length = int(np.argmin(flags[s:])) if not flags[s:].all() else len(flags) - s
        out.append((*(col[s].as_py() for col in cols), length + 1))
    return out

