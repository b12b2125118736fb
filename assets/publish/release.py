"""Pure release writer for the versioned public datasets (no Dagster here).

The layout and its readers are in assets/core/release_format.py.

A release is assembled in ``published_dir/.tmp-<version>-<random>/`` and renamed into place only when
complete; anything named ``.tmp-*`` in ``published_dir`` is debris of an interrupted run and is removed
by the next run. Publishers are serialised by an ``flock`` on ``published_dir/.publish.lock``.

Versions are content-addressed: the content hash (see ``CONTENT_HASH_ALGORITHM``) is independent of row
order, chunking and run time; if it equals the latest release's hash nothing is published.
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import os
import re
import shutil
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Iterable

import numpy as np
import polars as pl
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from assets.core.release_format import (
    CHANGELOG, DIFFS, FORMAT, LATEST, LOCK, MANIFEST, PINS, TMP_PREFIX, VERSION_RE, format_version,
    latest_version, list_versions, parse_version, read_manifest, read_pins, verify_release,
)
from assets.core.storage import crash_point, fsync_path, sha256_file, write_text_atomic

# Per dataset: rows sorted by the (unique) key, each column serialised canonically (validity, lengths,
# value bytes; see _feed_array) into sha256 streams; combined with {key, schema fingerprint, rows}.
# Independent of input row order, chunking, run time and library versions (no Parquet bytes involved).
CONTENT_HASH_ALGORITHM = "arrow-canonical-key-sorted-sha256/v1"

ROW_GROUP_SIZE = 128 * 1024  # rows per Parquet row group
TARGET_FILE_BYTES = 512 * 1024 * 1024  # in-memory (Arrow) bytes per data file before splitting
COMPRESSION = "zstd"

_NAME_RE = re.compile(r"^[A-Za-z0-9_][A-Za-z0-9_.-]*$")
_CHANGELOG_HEADER = (
    "# Changelog\n\n"
    "Releases of the public datasets, newest first. Versions follow MAJOR.MINOR.PATCH: major = a column or\n"
    "dataset was removed, renamed or retyped (or a key changed); minor = columns/datasets added;\n"
    "patch = data only. See docs/datasets.md.\n"
)


@dataclass(frozen=True)
class ReleaseResult:
    version: str
    path: Path
    published: bool
    previous_version: str | None
    changes: dict[str, dict[str, int]]  # dataset -> {"added", "updated", "removed"}
    bump: str = "none"  # "initial" | "major" | "minor" | "patch" | "none"
    content_hash: str = ""
    breaking_changes: list[str] = field(default_factory=list)
    schema_changes: list[str] = field(default_factory=list)
    timings: dict[str, float] = field(default_factory=dict)  # seconds per phase (diagnostics)


# ------------------------------------------------------------------------------- atomic file I/O


def _write_latest_pointer(published_dir: Path, version: str) -> None:
    write_text_atomic(published_dir / LATEST, json.dumps({"version": version}) + "\n")


def _remove_tree(published_dir: Path, path: Path) -> None:
    """Make a folder invisible atomically (rename to .tmp-*), then delete it."""
    doomed = published_dir / f"{TMP_PREFIX}delete-{path.name}-{uuid.uuid4().hex}"
    os.rename(path, doomed)
    fsync_path(published_dir)
    shutil.rmtree(doomed, ignore_errors=True)


def _clean_stale_tmp(published_dir: Path) -> None:
    for p in published_dir.iterdir():
        if p.name.startswith(TMP_PREFIX):
            if p.is_dir() and not p.is_symlink():
                shutil.rmtree(p, ignore_errors=True)
            else:
                p.unlink(missing_ok=True)


# ----------------------------------------------------------------------------- schema & hashing


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


def rows_digest(parts: list[pa.Table]) -> str:
    """Digest of the rows of ``parts`` (already in canonical = key order), column by column."""
    if not parts:
        return hashlib.sha256(b"").hexdigest()
    names = parts[0].schema.names

    def column(i: int) -> dict[str, str]:
        hashers: dict[str, Any] = {}
        for part in parts:
            for chunk in part.column(i).chunks:
                _feed_array(hashers, names[i], chunk)
        return {k: h.hexdigest() for k, h in hashers.items()}

    streams: dict[str, str] = {}
    with ThreadPoolExecutor(max(1, min(len(names), os.cpu_count() or 1))) as pool:
        for result in pool.map(column, range(len(names))):
            streams.update(result)
    return hashlib.sha256(json.dumps(streams, sort_keys=True).encode()).hexdigest()


def dataset_content_hash(schema_fp: str, key: list[str], rows: int, rows_digest: str) -> str:
    head = json.dumps({"schema": schema_fp, "key": key, "rows": rows}, sort_keys=True)
    return hashlib.sha256(f"{head}\n{rows_digest}".encode()).hexdigest()


def release_content_hash(dataset_hashes: dict[str, str]) -> str:
    canonical = json.dumps(dict(sorted(dataset_hashes.items())), separators=(",", ":"))
    return hashlib.sha256(canonical.encode()).hexdigest()


def compare_schemas(
    old: dict[str, dict], new: dict[str, dict]
) -> tuple[str, list[str], list[str]]:
    """Compare {dataset: {"schema": [...], "key": [...]}} maps.

    Returns (bump, breaking, non_breaking) with bump in {"major", "minor", "patch"}.
    Breaking: dataset removed; column removed/renamed/retyped; column became nullable; key changed.
    Non-breaking: dataset added; column added; column became NOT NULL; columns reordered.
    """
    breaking: list[str] = []
    additive: list[str] = []
    for name in sorted(old.keys() - new.keys()):
        breaking.append(f"{name}: dataset removed")
    for name in sorted(new.keys() - old.keys()):
        additive.append(f"{name}: dataset added")
    for name in sorted(old.keys() & new.keys()):
        o = {c["name"]: c for c in old[name]["schema"]}
        n = {c["name"]: c for c in new[name]["schema"]}
        o_order = [c["name"] for c in old[name]["schema"]]
        n_order = [c["name"] for c in new[name]["schema"]]
        removed = [c for c in o_order if c not in n]
        added = [c for c in n_order if c not in o]
        renamed: dict[str, str] = {}
        for r in removed:  # same type at the same position -> most likely a rename
            pos = o_order.index(r)
            cand = n_order[pos] if pos < len(n_order) else None
            if cand in added and n[cand]["type"] == o[r]["type"] and cand not in renamed.values():
                renamed[r] = cand
        for r in removed:
            if r in renamed:
                breaking.append(f"{name}: column `{r}` renamed to `{renamed[r]}` ({o[r]['type']})")
            else:
                breaking.append(f"{name}: column `{r}` removed ({o[r]['type']})")
        for a in added:
            if a not in renamed.values():
                additive.append(f"{name}: column `{a}` added ({n[a]['type']})")
        for c in o_order:
            if c not in n:
                continue
            if o[c]["type"] != n[c]["type"]:
                breaking.append(f"{name}: column `{c}` retyped {o[c]['type']} -> {n[c]['type']}")
            if o[c]["nullable"] != n[c]["nullable"]:
                if n[c]["nullable"]:
                    breaking.append(f"{name}: column `{c}` became nullable")
                else:
                    additive.append(f"{name}: column `{c}` became NOT NULL")
        common_old = [c for c in o_order if c in n]
        common_new = [c for c in n_order if c in o]
        if common_old != common_new:
            additive.append(f"{name}: columns reordered")
        if list(old[name].get("key", [])) != list(new[name]["key"]):
            breaking.append(f"{name}: key changed {old[name].get('key')} -> {new[name]['key']}")
    bump = "major" if breaking else "minor" if additive else "patch"
    return bump, breaking, additive


# ---------------------------------------------------------------------------------------- diffs


def _diff_schema(key_fields: list[pa.Field]) -> pa.Schema:
    return pa.schema(
        [pa.field(f.name, f.type, True) for f in key_fields]
        + [
            pa.field("change", pa.string(), False),
            pa.field("changed_fields", pa.list_(pa.string()), False),
        ]
    )


def _to_diff_table(result: pa.Table, schema: pa.Schema) -> pa.Table:
    arrays = []
    for f in schema:
        col = result.column(f.name)
        try:
            col = col.cast(f.type)
        except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
            f = pa.field(f.name, col.type, f.nullable)  # keep the computed type if the cast is unsupported
            schema = schema.set(schema.get_field_index(f.name), f)
        arrays.append(col)
    return pa.Table.from_arrays(arrays, schema=schema)


_DIFF_HASH_SEED = 0x5EED


def _lazy(src: Any) -> pl.LazyFrame:
    """A side of a diff as a LazyFrame: an Arrow table, a polars frame, or Parquet file path(s).
    Dictionary (categorical) columns are compared by value, so they are decoded to strings."""
    if isinstance(src, pl.LazyFrame):
        lf = src
    elif isinstance(src, pl.DataFrame):
        lf = src.lazy()
    elif isinstance(src, pa.Table):
        lf = pl.from_arrow(src, rechunk=False).lazy()
    else:
        paths = [src] if isinstance(src, (str, Path)) else list(src)
        lf = pl.scan_parquet([str(p) for p in paths])
    cat = [n for n, t in lf.collect_schema().items() if isinstance(t, (pl.Categorical, pl.Enum))]
    return lf.with_columns(pl.col(c).cast(pl.String) for c in cat) if cat else lf


def _as_text(expr: pl.Expr, dtype: pl.DataType, other: pl.DataType) -> pl.Expr:
    """``expr`` (of ``dtype``) as text, for comparing a column whose type differs between the sides."""
    if dtype.is_nested():
        return pl.struct(expr.alias("v")).struct.json_encode()
    if isinstance(dtype, pl.Binary):
        return expr.bin.encode("hex")
    if isinstance(dtype, pl.Datetime) and isinstance(other, pl.Datetime):  # same instant -> same text
        expr = expr.dt.cast_time_unit("ns" if "ns" in (dtype.time_unit, other.time_unit) else "us")
    if dtype.is_float():  # spelled as DuckDB's CAST AS VARCHAR did: "nan", "1e-07"
        text = expr.cast(pl.String).str.replace(r"e([+-])(\d)$", "e${1}0${2}")
        return pl.when(expr.is_nan()).then(pl.lit("nan")).otherwise(text)
    return expr.cast(pl.String)


def _value_hash(expr: pl.Expr) -> pl.Expr:
    """64-bit hash of each value (equal values -> equal hashes, NaN == NaN, -0.0 == 0.0), NULL for NULL."""
    return pl.when(expr.is_not_null()).then(expr.hash(seed=_DIFF_HASH_SEED))


def _empty_fields() -> pl.Expr:
    return pl.concat_list(pl.repeat(None, pl.len(), dtype=pl.String)).list.drop_nulls()


def compute_diff(
    *,
    new: Any | None,
    new_schema: pa.Schema | None,
    new_key: list[str],
    old: Any | None,
    old_schema: pa.Schema | None,
    old_key: list[str] | None,
    nullable_key: bool = True,
) -> pa.Table:
    """Record-level diff between two versions of a dataset (each an Arrow table, a polars frame or
    Parquet file path(s); ``None`` when that side does not exist).

    Columns: key columns, ``change`` ('added'|'updated'|'removed'), ``changed_fields`` (list of non-key
    column names whose value differs, null-safe, for 'updated'; empty otherwise). A column missing on one
    side counts as NULL there; a retyped column is compared as text. When the key changed (or a side is
    missing) every old row is 'removed' and every new row 'added'. Sorted by key (nulls last), then change.
    """
    key = list(new_key) if new is not None else list(old_key or [])
    key_src = new_schema if new is not None else old_schema
    if not key:
        raise ValueError("a dataset key needs at least one column")
    out_schema = _diff_schema([key_src.field(k) for k in key])
    # internal column names are positional, so no user column name can collide with them
    ks = [f"k{i}" for i in range(len(key))]

    def side(src: Any, schema: pa.Schema, change: str) -> pl.LazyFrame:
        return _lazy(src).select(
            *((pl.col(k) if k in schema.names else pl.repeat(None, pl.len())).alias(c) for k, c in zip(key, ks)),
            pl.repeat(change, pl.len()).alias("change"),
            _empty_fields().alias("changed_fields"),
        )

    if new is None:
        lf = side(old, old_schema, "removed")
    elif old is None:
        lf = side(new, new_schema, "added")
    elif list(old_key or []) != list(new_key) or any(k not in old_schema.names for k in key):
        lf = pl.concat(
            [side(new, new_schema, "added"), side(old, old_schema, "removed")], how="vertical_relaxed"
        )
    else:
        n_lf, o_lf = _lazy(new), _lazy(old)
        n_t, o_t = n_lf.collect_schema(), o_lf.collect_schema()
        retyped = {
            f.name
            for f in new_schema
            if f.name in old_schema.names and old_schema.field(f.name).type != f.type
        }
        non_key = [c for c in new_schema.names if c not in key] + [
            c for c in old_schema.names if c not in key and c not in new_schema.names
        ]
        n_cols = [pl.lit(True).alias("n_present")]
        o_cols = [pl.lit(True).alias("o_present")]
        n_on, o_on, keys_out = [], [], []
        for i, k in enumerate(key):
            n_cols.append(pl.col(k).alias(f"nk{i}"))
            o_cols.append(pl.col(k).alias(f"ok{i}"))
            nk, ok = pl.col(f"nk{i}"), pl.col(f"ok{i}")
            if k in retyped:  # a retyped key is compared as text on both sides
                n_cols.append(_as_text(pl.col(k), n_t[k], o_t[k]).alias(f"nj{i}"))
                o_cols.append(_as_text(pl.col(k), o_t[k], n_t[k]).alias(f"oj{i}"))
                n_on.append(f"nj{i}")
                o_on.append(f"oj{i}")
                if not (n_t[k].is_numeric() and o_t[k].is_numeric()):
                    nk, ok = pl.col(f"nj{i}"), pl.col(f"oj{i}")
            else:
                n_on.append(f"nk{i}")
                o_on.append(f"ok{i}")
            keys_out.append(pl.when(pl.col("n_present")).then(nk).otherwise(ok).alias(ks[i]))
        # Each non-key value is reduced, per side, to a 64-bit hash (NULL stays NULL), so the join carries
        # only keys and hashes and the old side streams from Parquet; a column missing on one side counts as
        # NULL there, so it differs wherever the other side is not NULL.
        tests = []
        for j, c in enumerate(non_key):
            if c not in old_schema.names:
                n_cols.append(pl.col(c).is_not_null().alias(f"n{j}"))
                tests.append(pl.col(f"n{j}"))
            elif c not in new_schema.names:
                o_cols.append(pl.col(c).is_not_null().alias(f"o{j}"))
                tests.append(pl.col(f"o{j}"))
            else:
                n_val, o_val = pl.col(c), pl.col(c)
                if c in retyped:  # a retyped column is compared as text
                    n_val, o_val = _as_text(n_val, n_t[c], o_t[c]), _as_text(o_val, o_t[c], n_t[c])
                n_cols.append(_value_hash(n_val).alias(f"n{j}"))
                o_cols.append(_value_hash(o_val).alias(f"o{j}"))
                tests.append(pl.col(f"n{j}").ne_missing(pl.col(f"o{j}")))
        matched = pl.col("n_present") & pl.col("o_present")
        flags = [f"t{j}" for j in range(len(tests))]
        joined = (
            n_lf.select(n_cols)
            .join(
                o_lf.select(o_cols), left_on=n_on, right_on=o_on, how="full", coalesce=False,
                nulls_equal=nullable_key,
            )
            .select(*keys_out, "n_present", "o_present", *(t.alias(f) for t, f in zip(tests, flags)))
            .filter(pl.any_horizontal(~matched.fill_null(False), *flags))
        )
        fields = [pl.when(pl.col(f) & matched).then(pl.lit(c)) for f, c in zip(flags, non_key)]
        lf = joined.select(
            *ks,
            pl.when(pl.col("o_present").is_null()).then(pl.lit("added"))
            .when(pl.col("n_present").is_null()).then(pl.lit("removed"))
            .otherwise(pl.lit("updated")).alias("change"),
            (pl.concat_list(fields).list.drop_nulls() if fields else _empty_fields()).alias("changed_fields"),
        )
    df = lf.sort([*ks, "change"], nulls_last=True).collect(engine="streaming")
    result = df.to_arrow(compat_level=pl.CompatLevel.oldest()).rename_columns([*key, "change", "changed_fields"])
    return _to_diff_table(result, out_schema)


# -------------------------------------------------------------------------------------- writing


def sorted_parts(table: pa.Table, key: list[str]) -> list[pa.Table]:
    """``table`` sorted by ``key`` (nulls last), cut into per-file pieces: a new file whenever the Arrow
    size would exceed TARGET_FILE_BYTES, always a whole number of ROW_GROUP_SIZE row groups."""
    n = table.num_rows
    if n == 0:
        return [table]
    if any(c.num_chunks > 1 for c in table.columns):
        try:  # take() on a multi-chunk table is ~10x slower than combine + take
            table = table.combine_chunks()
        except (pa.ArrowInvalid, pa.ArrowCapacityError):  # > 2 GiB in a 32-bit-offset column
            pass
    indices = pc.sort_indices(table, sort_keys=[(k, "ascending") for k in key])  # nulls last
    per_row = max(1, table.nbytes // n)
    rows_per_file = max(ROW_GROUP_SIZE, (TARGET_FILE_BYTES // per_row) // ROW_GROUP_SIZE * ROW_GROUP_SIZE)
    bounds = [(s, min(s + rows_per_file, n)) for s in range(0, n, rows_per_file)]
    take = lambda b: table.take(indices.slice(b[0], b[1] - b[0]))  # noqa: E731
    with ThreadPoolExecutor(max(1, min(len(bounds), os.cpu_count() or 1))) as pool:
        return list(pool.map(take, bounds))


def _dictionary_columns(table: pa.Table) -> list[str]:
    """Columns worth dictionary-encoding: all but long free-text ones (titles, abstracts, raw lines),
    for which the encoder would only build a dictionary and then fall back."""
    out = []
    for f in table.schema:
        if pa.types.is_string(f.type) or pa.types.is_large_string(f.type) or pa.types.is_binary(f.type) \
                or pa.types.is_large_binary(f.type):
            col = table.column(f.name)
            sample = col.slice(0, 10_000)
            valid = len(sample) - sample.null_count
            if valid and pc.sum(pc.binary_length(sample)).as_py() / valid > 64:
                continue
        out.append(f.name)
    return out


def _write_parquet_parts(parts: list[pa.Table], out_dir: Path, rel_prefix: str) -> list[dict]:
    """Write part-<i>.parquet (zstd, ROW_GROUP_SIZE rows per row group, the given Arrow schema stored),
    fsync them; return manifest file entries."""
    out_dir.mkdir(parents=True, exist_ok=True)
    dictionary = _dictionary_columns(parts[0])

    def write(i: int) -> dict:
        path = out_dir / f"part-{i}.parquet"
        pq.write_table(
            parts[i], path, compression=COMPRESSION, row_group_size=ROW_GROUP_SIZE,
            write_statistics=True, use_dictionary=dictionary,
        )
        fsync_path(path)
        return {
            "path": f"{rel_prefix}/{path.name}",
            "bytes": path.stat().st_size,
            "sha256": sha256_file(path),
            "rows": parts[i].num_rows,
        }

    with ThreadPoolExecutor(max(1, min(len(parts), os.cpu_count() or 1))) as pool:
        return list(pool.map(write, range(len(parts))))


def _write_diff(diff: pa.Table, path: Path) -> dict:
    path.parent.mkdir(parents=True, exist_ok=True)
    pq.write_table(diff, path, compression=COMPRESSION, row_group_size=ROW_GROUP_SIZE)
    fsync_path(path)
    return {"bytes": path.stat().st_size, "sha256": sha256_file(path), "rows": diff.num_rows}


def _changes_of(diff: pa.Table) -> dict[str, int]:
    counts = {"added": 0, "updated": 0, "removed": 0}
    if diff.num_rows:
        vc = pc.value_counts(diff.column("change"))
        for item in vc.to_pylist():
            counts[item["values"]] = item["counts"]
    return counts


# ------------------------------------------------------------------------------------ changelog


def _changelog_entry(manifest: dict) -> str:
    lines = [f"## {manifest['version']} — {manifest['created_at'][:10]}", ""]
    prev = manifest.get("previous_version")
    lines.append(f"- Previous version: {prev or 'none (first release)'}")
    lines.append(f"- Bump: {manifest.get('bump')}")
    breaking = manifest.get("breaking_changes", [])
    if breaking:
        lines.append("- **Breaking schema changes:**")
        lines.extend(f"  - {b}" for b in breaking)
    else:
        lines.append("- Breaking schema changes: none")
    other = manifest.get("schema_changes", [])
    if other:
        lines.append("- Other schema changes:")
        lines.extend(f"  - {s}" for s in other)
    lines += ["", "| dataset | rows | added | updated | removed |", "|---|---:|---:|---:|---:|"]
    for name, ds in sorted(manifest.get("datasets", {}).items()):
        c = ds["changes"]
        lines.append(f"| {name} | {ds['rows']} | {c['added']} | {c['updated']} | {c['removed']} |")
    for name, ds in sorted(manifest.get("removed_datasets", {}).items()):
        c = ds["changes"]
        lines.append(f"| {name} (dataset removed) | 0 | 0 | 0 | {c['removed']} |")
    return "\n".join(lines) + "\n"


def _update_changelog(published_dir: Path, manifest: dict) -> None:
    path = published_dir / CHANGELOG
    text = path.read_text(encoding="utf-8") if path.is_file() else _CHANGELOG_HEADER
    head, *entries = re.split(r"(?m)^(?=## )", text)
    version = manifest["version"]
    entries = [e for e in entries if not re.match(rf"## {re.escape(version)}(\s|$)", e)]
    entries = [e.rstrip("\n") + "\n" for e in entries]
    body = "\n".join([_changelog_entry(manifest), *entries])
    write_text_atomic(path, head.rstrip("\n") + "\n\n" + body)


# -------------------------------------------------------------------------------------- publish


def _apply_retention(published_dir: Path, keep: int, protected: Iterable[str]) -> list[str]:
    versions = list_versions(published_dir)
    keep_set = set(versions[-keep:]) | set(protected) | read_pins(published_dir)
    removed = []
    for v in versions:
        if v not in keep_set:
            _remove_tree(published_dir, published_dir / v)
            removed.append(v)
    return removed


def _input_entries(inputs: list[dict]) -> list[dict]:
    out = []
    for item in inputs:
        item = dict(item)
        path = item.get("path")
        if path and "sha256" not in item and Path(path).is_file():
            item["sha256"] = sha256_file(Path(path))
            item.setdefault("bytes", Path(path).stat().st_size)
        out.append(item)
    return out


def _bumped(base: tuple[int, int, int], bump: str) -> tuple[int, int, int]:
    if bump == "major":
        return (base[0] + 1, 0, 0)
    if bump == "minor":
        return (base[0], base[1] + 1, 0)
    return (base[0], base[1], base[2] + 1)


def publish_release(
    published_dir: Path,
    datasets: dict[str, pa.Table],
    *,
    keys: dict[str, list[str]],
    inputs: list[dict],
    validation: dict,
    code_version: str,
    parser_version: str,
    keep: int = 5,
    now: datetime | None = None,
) -> ReleaseResult:
    """Publish ``datasets`` as a new immutable release unless their content equals the latest one.

    ``keys[name]`` are the (unique) key columns of each dataset: rows are sorted by them and diffs are
    keyed on them. ``inputs`` entries (e.g. {"path", "sha256", "bytes"}) and ``validation`` go into the
    manifest verbatim (sha256/bytes are filled in for existing paths lacking them).
    """
    if keep < 1:
        raise ValueError("keep must be >= 1")
    published_dir = Path(published_dir)
    published_dir.mkdir(parents=True, exist_ok=True)
    now = now or datetime.now(timezone.utc)
    if now.tzinfo is None:
        now = now.replace(tzinfo=timezone.utc)
    for name, table in datasets.items():
        if not _NAME_RE.match(name) or name == DIFFS or name == MANIFEST:
            raise ValueError(f"invalid dataset name {name!r}")
        key = keys.get(name)
        if not key:
            raise ValueError(f"no key columns given for dataset {name!r}")
        missing = [k for k in key if k not in table.schema.names]
        if missing:
            raise ValueError(f"{name}: key columns {missing} not in {table.schema.names}")
        if len(set(table.schema.names)) != len(table.schema.names):
            raise ValueError(f"{name}: duplicate column names")

    with open(published_dir / LOCK, "a+") as lock:
        fcntl.flock(lock.fileno(), fcntl.LOCK_EX)
        _clean_stale_tmp(published_dir)
        return _publish_locked(
            published_dir, datasets, keys=keys, inputs=inputs, validation=validation,
            code_version=code_version, parser_version=parser_version, keep=keep, now=now,
        )


def _publish_locked(
    published_dir: Path,
    datasets: dict[str, pa.Table],
    *,
    keys: dict[str, list[str]],
    inputs: list[dict],
    validation: dict,
    code_version: str,
    parser_version: str,
    keep: int,
    now: datetime,
) -> ReleaseResult:
    prev_version = latest_version(published_dir)
    prev_manifest = read_manifest(published_dir / prev_version) if prev_version else None

    # 1. content hash (order-independent) + key uniqueness
    timings: dict[str, float] = {}
    t_start = time.perf_counter()
    info: dict[str, dict] = {}
    for name in sorted(datasets):  # by name, not items(): a list of items would pin every input table
        table = datasets[name]
        key = list(keys[name])
        t = time.perf_counter()
        parts = sorted_parts(table, key)
        # The sorted copy replaces the input (same rows): the unsorted table is freed, halving peak memory.
        datasets[name] = table = pa.concat_tables(parts)
        timings[f"{name}.sort"] = time.perf_counter() - t
        dup = _duplicate_keys(parts, key)
        if dup:
            raise ValueError(f"{name}: key {key} is not unique, e.g. {dup}")
        entries = schema_entries(table.schema)
        fp = schema_fingerprint(entries)
        t = time.perf_counter()
        digest = rows_digest(parts)
        timings[f"{name}.hash"] = time.perf_counter() - t
        info[name] = {
            "parts": parts,
            "key": key,
            "schema": entries,
            "schema_fingerprint": fp,
            "rows": table.num_rows,
            "content_hash": dataset_content_hash(fp, key, table.num_rows, digest),
            "nullable_key": any(table.column(k).null_count for k in key),
        }
    content_hash = release_content_hash({n: d["content_hash"] for n, d in info.items()})
    zero = {n: {"added": 0, "updated": 0, "removed": 0} for n in datasets}

    same_algorithm = (
        prev_manifest is not None
        and prev_manifest.get("content_hash_algorithm") == CONTENT_HASH_ALGORITHM
    )
    if same_algorithm and prev_manifest.get("content_hash") == content_hash:
        return ReleaseResult(
            prev_version, published_dir / prev_version, False, prev_manifest.get("previous_version"),
            zero, "none", content_hash,
        )

    # 2. version
    new_shapes = {n: {"schema": d["schema"], "key": d["key"]} for n, d in info.items()}
    if prev_manifest is None:
        bump, breaking, additive = "initial", [], []
    else:
        old_shapes = {n: {"schema": d["schema"], "key": d["key"]} for n, d in prev_manifest["datasets"].items()}
        bump, breaking, additive = compare_schemas(old_shapes, new_shapes)

    existing = list_versions(published_dir)
    prev_t = parse_version(prev_version) if prev_version else None
    # a complete release newer than `latest` is the leftover of a run killed before the pointer
    # write: adopt it when it holds exactly this content, otherwise never reuse its number.
    for v in reversed(existing):
        if prev_t is not None and parse_version(v) <= prev_t:
            break
        m = read_manifest(published_dir / v)
        if (
            m.get("content_hash") == content_hash
            and m.get("previous_version") == prev_version
            and not verify_release(published_dir / v)
        ):
            _update_changelog(published_dir, m)
            crash_point("before_pointer")
            _write_latest_pointer(published_dir, v)
            _apply_retention(published_dir, keep, {v})
            return ReleaseResult(
                v, published_dir / v, True, prev_version,
                {n: d["changes"] for n, d in m["datasets"].items()}, m.get("bump", bump), content_hash,
                m.get("breaking_changes", []), m.get("schema_changes", []),
            )
    all_versions = [parse_version(v) for v in existing] + ([prev_t] if prev_t else [])
    if prev_t is None:
        new_t = (1, 0, 0) if not all_versions else (max(all_versions)[0] + 1, 0, 0)
    else:
        new_t = _bumped(max(all_versions), bump)
    version = format_version(new_t)
    final = published_dir / version
    if final.exists():  # cannot happen (new_t > every existing version) - never overwrite anyway
        raise FileExistsError(f"release {version} already exists")

    # 3. assemble the release in a hidden temp folder
    tmp = published_dir / f"{TMP_PREFIX}{version}-{uuid.uuid4().hex}"
    tmp.mkdir()
    try:
        ds_manifest: dict[str, dict] = {}
        diffs_manifest: dict[str, dict] = {}
        removed_datasets: dict[str, dict] = {}
        prev_dir = published_dir / prev_version if prev_version else None
        for name in sorted(datasets):
            d = info[name]
            table = datasets[name]
            old_files = old_schema = old_key = None
            if prev_manifest is not None and name in prev_manifest["datasets"]:
                old = prev_manifest["datasets"][name]
                old_files = [str(prev_dir / f["path"]) for f in old["files"]]
                old_schema = pq.read_schema(old_files[0])
                old_key = old["key"]
            t = time.perf_counter()
            diff = compute_diff(
                new=table, new_schema=table.schema, new_key=d["key"],
                old=old_files, old_schema=old_schema, old_key=old_key,
                nullable_key=d["nullable_key"] or (
                    old_files is not None and _has_null_key(old_files, old_key, old_schema)
                ),
            )
            diff_rel = f"{DIFFS}/{name}.parquet"
            diffs_manifest[name] = {"path": diff_rel, **_write_diff(diff, tmp / diff_rel)}
            changes = _changes_of(diff)
            del diff
            timings[f"{name}.diff"] = time.perf_counter() - t
            t = time.perf_counter()
            files = _write_parquet_parts(d.pop("parts"), tmp / name, name)
            timings[f"{name}.write"] = time.perf_counter() - t
            ds_manifest[name] = {
                "files": files,
                "rows": d["rows"],
                "key": d["key"],
                "schema": d["schema"],
                "schema_fingerprint": d["schema_fingerprint"],
                "content_hash": d["content_hash"],
                "changes": changes,
                "diff": diff_rel,
            }
        for name in sorted(set(prev_manifest["datasets"]) - set(datasets)) if prev_manifest else []:
            old = prev_manifest["datasets"][name]
            files = [str(prev_dir / f["path"]) for f in old["files"]]
            diff = compute_diff(
                new=None, new_schema=None, new_key=old["key"], old=files,
                old_schema=pq.read_schema(files[0]), old_key=old["key"],
            )
            diff_rel = f"{DIFFS}/{name}.parquet"
            diffs_manifest[name] = {"path": diff_rel, **_write_diff(diff, tmp / diff_rel)}
            removed_datasets[name] = {"changes": _changes_of(diff), "key": old["key"], "diff": diff_rel}

        if not same_algorithm and prev_manifest is not None and bump == "patch" and not any(
            sum(d["changes"].values()) for d in ds_manifest.values()
        ):
            # hash algorithm changed but the data did not: nothing to publish
            shutil.rmtree(tmp, ignore_errors=True)
            return ReleaseResult(
                prev_version, published_dir / prev_version, False,
                prev_manifest.get("previous_version"), zero, "none", content_hash,
            )
        crash_point("data_written")

        manifest = {
            "format": FORMAT,
            "version": version,
            "created_at": now.astimezone(timezone.utc).isoformat(),
            "code_version": code_version,
            "parser_version": parser_version,
            "previous_version": prev_version,
            "bump": bump,
            "breaking_changes": breaking,
            "schema_changes": additive,
            "content_hash": content_hash,
            "content_hash_algorithm": CONTENT_HASH_ALGORITHM,
            "inputs": _input_entries(inputs),
            "validation": validation,
            "datasets": ds_manifest,
            "removed_datasets": removed_datasets,
            "diffs": diffs_manifest,
        }
        manifest_path = tmp / MANIFEST
        with open(manifest_path, "w", encoding="utf-8") as f:
            json.dump(manifest, f, indent=2, default=str)
            f.write("\n")
            f.flush()
            os.fsync(f.fileno())
        for sub in [tmp / DIFFS, *(tmp / n for n in datasets)]:
            if sub.is_dir():
                fsync_path(sub)
        fsync_path(tmp)
        crash_point("before_rename")
        os.rename(tmp, final)  # atomic; the release becomes visible complete or not at all
        fsync_path(published_dir)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise

    # 4. changelog, then the pointer - the last file written. Retention only deletes afterwards (each
    # doomed folder is first renamed to .tmp-*, so a crash there never leaves a half-deleted release).
    _update_changelog(published_dir, manifest)
    crash_point("before_pointer")
    _write_latest_pointer(published_dir, version)
    _apply_retention(published_dir, keep, {version})
    changes = {n: d["changes"] for n, d in ds_manifest.items()}
    changes.update({n: d["changes"] for n, d in removed_datasets.items()})
    timings["total"] = time.perf_counter() - t_start
    return ReleaseResult(
        version, final, True, prev_version, changes, bump, content_hash, breaking, additive, timings
    )


def _duplicate_keys(parts: list[pa.Table], key: list[str], limit: int = 3) -> list[tuple]:
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


def _has_null_key(files: list[str], key: list[str], schema: pa.Schema) -> bool:
    """Whether any row of the Parquet ``files`` has a NULL in one of the ``key`` columns."""
    cols = [k for k in key if k in schema.names]
    if not cols:
        return False
    return bool(pl.scan_parquet(files).select(pl.any_horizontal(pl.col(cols).is_null().any())).collect().item())
