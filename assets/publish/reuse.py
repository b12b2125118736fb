"""Which data files of the previous release a dataset's new version keeps, and where its other rows go.

A file is kept when every row it holds is in the new version unchanged and the file checks out against
its sha256. The rows no kept file holds are written: those of a bucket whose file was not kept (an edit,
a removal) form that bucket's new file; rows added to a bucket whose file was kept go to one *additions*
file for the whole dataset. New keys hash to every bucket, so without it adding 200 rows to 128 buckets
would rewrite ~100 bucket files; with it, one small file. Additions files are merged into one when there
would be more than MAX_ADDITIONS_FILES, and folded back into their buckets (each bucket holding an added
row rewritten whole) once they hold more than 1/FOLD_DIVISOR of the dataset's rows.

Only the buckets whose hash changed are looked into: a file whose buckets are all unchanged is kept
without reading it (beyond its sha256). When the caller named the keys that can have changed (an
incremental layout), a file of a changed bucket is kept when it holds none of them (one filtered scan of
the key columns of those files finds the ones that do), instead of re-hashing its rows; and a bucket
whose files are all kept needs only its rows of changed keys written (every other row is unchanged, so
one of its kept files holds it): no key column is joined.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import polars as pl
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from assets.publish.buckets import bucket_ids
from assets.publish.layout import DatasetLayout, key_order, take_rows
from assets.publish.store import is_intact

MAX_ADDITIONS_FILES = 8
FOLD_DIVISOR = 64


@dataclass
class FilePlan:
    kept: list[dict]  # manifest entries of the previous release, reused as they are
    bucket_rows: dict[int, np.ndarray]  # bucket -> input rows (key order) of its new file
    additions: dict[int, np.ndarray]  # bucket -> input rows going to the new additions file
    # changed buckets whose previous rows are all unchanged -> their new rows (the diff needs no old rows)
    added_only: dict[int, np.ndarray] = field(default_factory=dict)


class PreviousFiles:
    """The previous release's files of one dataset, read lazily (key columns, or whole for diffs)."""

    def __init__(self, published_dir: Path, base: Path, entry: dict, layout: DatasetLayout):
        self.published_dir, self.base, self.entry, self.layout = published_dir, base, entry, layout
        self.files: list[dict] = entry["files"]
        self.bucket_hashes: list[str] = entry["bucket_hashes"]
        self.covers = [{f["bucket"]} if f.get("bucket") is not None else set(f["buckets"]) for f in self.files]
        self.base_file = {f["bucket"]: i for i, f in enumerate(self.files) if f.get("bucket") is not None}
        self.additions = {i for i, f in enumerate(self.files) if f.get("bucket") is None}
        self._keys: dict[int, pa.Table] = {}

    def path(self, i: int) -> Path:
        return self.base / self.files[i]["path"]

    def keys(self, i: int) -> pa.Table:
        if i not in self._keys:
            self._keys[i] = pq.read_table(self.path(i), columns=self.layout.key)
        return self._keys[i]

    def holding(self, files: list[int], values: pa.Array) -> set[int]:
        """Which of ``files`` hold a row whose first key column is in ``values``: one scan of their key
        columns (threaded, only the matches materialised) instead of a read and a join per file."""
        if not files or not len(values):
            return set()
        key = self.layout.key[0]
        paths = [str(self.path(i)) for i in files]
        values = values.cast(pq.read_schema(paths[0]).field(key).type)
        scan = pl.scan_parquet(paths, include_file_paths="__path").select(key, "__path")
        found = scan.filter(pl.col(key).is_in(pl.from_arrow(values).implode(), nulls_equal=True)).collect()
        holding = set(found.get_column("__path").to_list())
        return {i for i, path in zip(files, paths) if path in holding}

    def rows_in_bucket(self, bucket: int) -> pa.Table | None:
        """The previous release's rows of ``bucket`` (its file, plus its rows in additions files)."""
        parts = []
        for i, covers in enumerate(self.covers):
            if bucket in covers:
                table = pq.read_table(self.path(i))
                if len(covers) > 1:
                    ids = bucket_ids(table.column(self.layout.key[0]), self.layout.buckets)
                    table = table.filter(pa.array(ids == bucket))
                parts.append(table)
        return pa.concat_tables(parts, promote_options="permissive") if parts else None


def plan_files(table: pa.Table, layout: DatasetLayout, previous: PreviousFiles | None) -> FilePlan:
    """See the module docstring. ``previous`` is None when nothing can be kept (first release, another
    bucketing or schema): then every bucket gets a new file."""
    if previous is None or layout.rows == 0:
        return FilePlan([], {b: layout.positions(b) for b in range(layout.buckets) if _has_rows(layout, b)}, {})
    changed = {b for b in range(layout.buckets) if layout.bucket_hashes[b] != previous.bucket_hashes[b]}
    holders = None
    if layout.changed_keys is not None:  # files of changed buckets holding a changed key: not kept
        holders = previous.holding([i for i, c in enumerate(previous.covers) if c & changed], layout.changed_keys)
    kept = {i for i in range(len(previous.files)) if _keepable(table, layout, previous, i, changed, holders)}
    plan = _assign(table, layout, previous, kept, changed, additions_allowed=True)
    dropped = set(range(len(previous.files))) - kept
    added_only = {
        b: plan.additions.get(b, np.zeros(0, dtype=np.int64))
        for b in changed if not any(b in previous.covers[i] for i in dropped)
    }
    kept_additions = kept & previous.additions
    added_rows = sum(map(len, plan.additions.values())) + sum(previous.files[i]["rows"] for i in kept_additions)
    if added_rows > layout.rows // FOLD_DIVISOR:  # fold: every bucket holding an added row is rewritten whole
        kept -= kept_additions
        plan = _assign(table, layout, previous, kept, changed, additions_allowed=False)
    elif len(kept_additions) + bool(plan.additions) > MAX_ADDITIONS_FILES:  # merge the additions files
        kept -= kept_additions
        plan = _assign(table, layout, previous, kept, changed, additions_allowed=True)
    plan.added_only = added_only
    return plan


def _has_rows(layout: DatasetLayout, bucket: int) -> bool:
    """A bucket gets a file when it has rows; a dataset without rows keeps one empty file (its schema)."""
    return layout.bounds[bucket + 1] > layout.bounds[bucket] or (layout.rows == 0 and bucket == 0)


def _keepable(table: pa.Table, layout: DatasetLayout, previous: PreviousFiles, i: int, changed: set[int],
              holders: set[int] | None) -> bool:
    """File ``i`` is intact and every row it holds is in ``table`` unchanged (``holders``: with changed keys
    known, the files holding one; the rows of other keys are unchanged)."""
    if not is_intact(previous.published_dir, previous.files[i]):
        return False
    if not previous.covers[i] & changed:
        return True
    if holders is not None:
        return i not in holders
    found = _positions_of(table, layout, previous.keys(i), previous.covers[i])
    if found is None:
        return False
    return layout.rows_hash(take_rows(table, found)) == previous.files[i]["content_hash"]  # it orders them


def _positions_of(table: pa.Table, layout: DatasetLayout, keys: pa.Table, buckets: set[int]) -> np.ndarray | None:
    """Input rows (of ``buckets``) holding the given keys; None when one of the keys is gone."""
    candidates = np.concatenate([layout.positions(b) for b in sorted(buckets)])
    ours = pl.from_arrow(take_rows(layout.keys, candidates)).with_row_index("__row")
    theirs = pl.from_arrow(keys)
    matched = ours.join(theirs, on=layout.key, how="semi", nulls_equal=True)["__row"].to_numpy()
    return candidates[matched] if len(matched) == keys.num_rows else None


def _assign(
    table: pa.Table, layout: DatasetLayout, previous: PreviousFiles, kept: set[int], changed: set[int],
    additions_allowed: bool,
) -> FilePlan:
    """Where the rows no kept file holds go (``kept`` loses the bucket files to rewrite). Only buckets that
    changed or lost a file can hold such rows."""
    affected = set(changed).union(*(previous.covers[i] for i in range(len(previous.files)) if i not in kept))
    dropped = set().union(*(previous.covers[i] for i in range(len(previous.files)) if i not in kept))
    changed_rows = _changed_rows_by_bucket(layout)
    bucket_rows: dict[int, np.ndarray] = {}
    additions: dict[int, np.ndarray] = {}
    for b in sorted(affected):
        if changed_rows is not None and b not in dropped:  # every file of b kept: its changed keys' rows
            rows = changed_rows.get(b, np.zeros(0, np.int64))
        else:
            rows = _unheld(table, layout, previous, kept, b)
        if not len(rows):
            continue
        base = previous.base_file.get(b)
        if additions_allowed and (base is None or base in kept):
            additions[b] = rows
            continue
        if base in kept:  # a bucket has one file: rewritten whole with its new rows
            kept.discard(base)
            rows = _unheld(table, layout, previous, kept, b)
        bucket_rows[b] = rows
    return FilePlan([previous.files[i] for i in sorted(kept)], bucket_rows, additions)


def _changed_rows_by_bucket(layout: DatasetLayout) -> dict[int, np.ndarray] | None:
    """Input rows whose first key column is among the changed keys, by bucket (key order); None when the
    changed keys are not known."""
    if layout.changed_keys is None:
        return None
    first = layout.keys.column(0)
    rows = np.flatnonzero(pc.is_in(first, value_set=layout.changed_keys.cast(first.type)).to_numpy(zero_copy_only=False))
    rows = rows[key_order(take_rows(layout.keys, rows), layout.key)]
    ids = layout.ids[rows]
    return {int(b): rows[ids == b] for b in np.unique(ids)}


def _unheld(
    table: pa.Table, layout: DatasetLayout, previous: PreviousFiles, kept: set[int], bucket: int
) -> np.ndarray:
    """Input rows of ``bucket`` (key order) that no kept file holds."""
    positions = layout.positions(bucket)
    holders = [i for i in sorted(kept) if bucket in previous.covers[i]]
    if not holders or not len(positions):
        return positions
    held = pl.concat([pl.from_arrow(previous.keys(i)) for i in holders], how="vertical_relaxed")
    ours = pl.from_arrow(take_rows(layout.keys, positions)).with_row_index("__row")
    unheld = ours.join(held, on=layout.key, how="anti", nulls_equal=True)["__row"].sort().to_numpy()
    return positions[unheld]
