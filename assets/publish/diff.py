"""Record-level diffs between two versions of a dataset: which keys were added, updated (and in which
columns) or removed."""

from __future__ import annotations

from pathlib import Path
from typing import Any, Sequence

import polars as pl
import pyarrow as pa
import pyarrow.compute as pc


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
    ignore: Sequence[str] = (),
) -> pa.Table:
    """Record-level diff between two versions of a dataset (each an Arrow table, a polars frame or
    Parquet file path(s); ``None`` when that side does not exist).

    Columns: key columns, ``change`` ('added'|'updated'|'removed'), ``changed_fields`` (list of non-key
    column names whose value differs, null-safe, for 'updated'; empty otherwise). A column missing on one
    side counts as NULL there; a retyped column is compared as text. When the key changed (or a side is
    missing) every old row is 'removed' and every new row 'added'. Sorted by key (nulls last), then change.
    Columns in ``ignore`` (provenance: where or how often a row was seen) are not compared: a row whose
    only differences are there is not 'updated'.
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
        skip = {*key, *ignore}
        non_key = [c for c in new_schema.names if c not in skip] + [
            c for c in old_schema.names if c not in skip and c not in new_schema.names
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


def merge_diffs(diffs: list[pa.Table], key_fields: list[pa.Field]) -> pa.Table:
    """One diff from the diffs of disjoint sets of keys (e.g. one per changed bucket), in the order
    compute_diff gives: by key (nulls last), then change."""
    if not diffs:
        return _diff_schema(key_fields).empty_table()
    merged = pa.concat_tables(diffs, promote_options="permissive")
    order = [(f.name, "ascending", "at_end") for f in key_fields] + [("change", "ascending", "at_end")]
    return merged.take(pc.sort_indices(merged, sort_keys=order))


def changes_of(diff: pa.Table) -> dict[str, int]:
    counts = {"added": 0, "updated": 0, "removed": 0}
    if diff.num_rows:
        vc = pc.value_counts(diff.column("change"))
        for item in vc.to_pylist():
            counts[item["values"]] = item["counts"]
    return counts


def has_null_key(files: list[str], key: list[str], schema: pa.Schema) -> bool:
    """Whether any row of the Parquet ``files`` has a NULL in one of the ``key`` columns."""
    cols = [k for k in key if k in schema.names]
    if not cols:
        return False
    return bool(pl.scan_parquet(files).select(pl.any_horizontal(pl.col(cols).is_null().any())).collect().item())
