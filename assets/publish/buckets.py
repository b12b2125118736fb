"""Which file of a dataset a row lives in: a stable hash of the text of the key's first column, modulo
the dataset's bucket count. A row keeps its bucket from release to release, so a bucket whose rows did
not change keeps its file (see assets/publish/store.py)."""

from __future__ import annotations

import math

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

# The hash, spelled out so anyone can recompute a row's bucket: take the UTF-8 text of the value (Arrow's
# cast to string), h = sum((byte_i + 1) * P**i) mod 2**64 with P = 0x100000001B3, then
# h = splitmix64(h ^ (len * 0x9E3779B97F4A7C15)); bucket = h mod buckets. NULL -> bucket 0.
BUCKET_HASH = "utf8-poly64-splitmix64/v1"
TARGET_BUCKET_BYTES = 8 * 1024 * 1024  # value bytes per bucket (see value_bytes): ~2-4 MB of zstd Parquet for text
# Hash units (assets/publish/content_hash.py): unit = (h // buckets) mod units, with a power-of-two number of
# units per bucket sized so a unit holds ~TARGET_UNIT_ROWS rows. A refresh re-hashes (and reads) the rows of
# the units its changed keys fall in: at 1M papers, +210 keys dirty ~1-2% of a table's rows instead of the
# 34-100% that 16 units a bucket left dirty in the tables with few buckets (paper_categories, paper_topics).
TARGET_UNIT_ROWS = 64
_SLICE_ROWS = 1 << 16  # rows hashed at once (bounds the temporary arrays)
_P = np.uint64(0x100000001B3)
_GOLDEN = np.uint64(0x9E3779B97F4A7C15)


def value_bytes(table: pa.Table) -> int:
    """Size of a table's values, independent of chunking, dictionary encoding and 32/64-bit offsets (unlike
    ``nbytes``), so equal content gets an equal bucket count."""
    total = 0
    for column in table.columns:
        if pa.types.is_dictionary(column.type):
            column = column.cast(column.type.value_type)
        if pa.types.is_string(column.type) or pa.types.is_large_string(column.type) \
                or pa.types.is_binary(column.type) or pa.types.is_large_binary(column.type):
            total += pc.sum(pc.binary_length(column)).as_py() or 0
        else:
            total += column.nbytes
    return total


def bucket_count(nbytes: int, previous: int | None) -> int:
    """A power of two near ``nbytes / TARGET_BUCKET_BYTES`` (1 for small datasets). The previous count is
    kept while it is within a factor 4 of that, so growth by a few rows never re-buckets every file."""
    ideal = 2 ** max(0, round(math.log2(max(1.0, nbytes / TARGET_BUCKET_BYTES))))
    if previous and ideal / 4 <= previous <= ideal * 4:
        return previous
    return ideal


def units_per_bucket(rows: int, buckets: int, previous: int | None) -> int:
    """A power of two near ``rows / buckets / TARGET_UNIT_ROWS`` (at least 1); the previous count is kept
    while it is within a factor 4 of that, as the bucket count is (see bucket_count)."""
    ideal = 2 ** max(0, round(math.log2(max(1.0, rows / max(1, buckets) / TARGET_UNIT_ROWS))))
    if previous and ideal / 4 <= previous <= ideal * 4:
        return previous
    return ideal


def bucket_ids(column: pa.ChunkedArray, buckets: int) -> np.ndarray:
    """Bucket (uint32) of every value of ``column``; see BUCKET_HASH."""
    if buckets == 1:
        return np.zeros(len(column), dtype=np.uint32)
    return (key_hashes(column) % np.uint64(buckets)).astype(np.uint32)


def unit_ids(column: pa.ChunkedArray, buckets: int, units: int, castable: bool = True
             ) -> tuple[np.ndarray, np.ndarray]:
    """(bucket, unit) of every value: bucket = h mod buckets, unit = (h // buckets) mod units
    (NULL: 0, 0; a key that has no text form: bucket 0, unit 0)."""
    if not castable:
        zeros = np.zeros(len(column), dtype=np.uint32)
        return zeros, zeros.copy()
    h = key_hashes(column)
    b = np.uint64(buckets)
    return (h % b).astype(np.uint32), ((h // b) % np.uint64(units)).astype(np.uint32)


def key_hashes(column: pa.ChunkedArray) -> np.ndarray:
    """The 64-bit BUCKET_HASH of every value (0 for NULL, so NULL lands in bucket 0 and unit 0)."""
    out = [np.zeros(0, dtype=np.uint64)]
    for chunk in column.chunks:
        if pa.types.is_dictionary(chunk.type):
            chunk = chunk.dictionary_decode()
        text = pc.cast(chunk, pa.large_string())
        for start in range(0, len(text), _SLICE_ROWS):
            part = text.slice(start, _SLICE_ROWS)
            h = text_hash64(part)
            if part.null_count:
                h[~pc.is_valid(part).to_numpy(zero_copy_only=False)] = 0
            out.append(h)
    return np.concatenate(out)


def text_hash64(text: pa.LargeStringArray) -> np.ndarray:
    """The 64-bit hash of BUCKET_HASH for each value (NULL hashes as the empty string), vectorised."""
    n = len(text)
    offsets = np.frombuffer(text.buffers()[1], dtype=np.int64)[text.offset : text.offset + n + 1]
    lengths = np.diff(offsets)
    base = int(offsets[0])
    data = text.buffers()[2]
    raw = np.zeros(0, np.uint8) if data is None else np.frombuffer(data, dtype=np.uint8)[base : int(offsets[-1])]
    position = np.arange(len(raw), dtype=np.int64) - np.repeat(offsets[:-1] - base, lengths)
    powers = np.ones(int(lengths.max(initial=0)) + 1, dtype=np.uint64)
    with np.errstate(over="ignore"):
        powers[1:] = np.cumprod(np.full(len(powers) - 1, _P, dtype=np.uint64))
        terms = (raw.astype(np.uint64) + np.uint64(1)) * powers[position]
        sums = np.concatenate([np.zeros(1, np.uint64), np.cumsum(terms, dtype=np.uint64)])
        h = sums[offsets[1:] - base] - sums[offsets[:-1] - base]
        return _splitmix64(h ^ (lengths.astype(np.uint64) * _GOLDEN))


def _splitmix64(x: np.ndarray) -> np.ndarray:
    with np.errstate(over="ignore"):
        x = x + _GOLDEN
        x = (x ^ (x >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
        x = (x ^ (x >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
        return x ^ (x >> np.uint64(31))


def bucket_order(table: pa.Table, key: list[str], buckets: int, units: int, castable: bool = True
                 ) -> tuple[pa.Array, np.ndarray, np.ndarray, np.ndarray]:
    """Row indices of ``table`` ordered by (bucket, key) with nulls last, the bounds (bucket ``b`` is
    ``indices[bounds[b]:bounds[b + 1]]``), and the bucket and unit of every row (see unit_ids)."""
    ids, unit = unit_ids(table.column(key[0]), buckets, units, castable)
    columns = {"__bucket": pa.array(ids)} | {f"k{i}": table.column(k) for i, k in enumerate(key)}
    sort_keys = [("__bucket", "ascending", "at_end")] + [(f"k{i}", "ascending", "at_end") for i in range(len(key))]
    indices = pc.sort_indices(pa.table(columns), sort_keys=sort_keys)
    bounds = np.concatenate([[0], np.cumsum(np.bincount(ids, minlength=buckets))])
    return indices, bounds, ids, unit
