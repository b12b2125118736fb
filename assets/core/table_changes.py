"""Which keys of a staged table changed, recorded next to it so that later steps (the release writer)
cost the change instead of the table.

A stage that knows which rows of a table it rewrote (the corpus merge knows the papers of the files that
changed) records, in ``staging/changes/<table>.json``, links ``{base, target, keys}``: the table file
with sha256 ``base`` became the one with sha256 ``target``, and only rows whose first key column is in
``keys`` can differ between them (``keys`` null: unknown, anything may differ). Links chain while each one
starts where the previous ended, so runs whose release was held back add up. A reader trusts the links
only after checking the table file's sha256 against the last target and finding its own starting point
(the sha256 it last consumed) as one link's base; otherwise it treats everything as changed.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

from assets.core.storage import ROW_GROUP_ROWS, sha256_file, sha256_or_none, write_json_atomic, write_parquet_atomic

if TYPE_CHECKING:
    import polars as pl
    import pyarrow as pa

MAX_LINKS = 16
MAX_PIECES = 1_000  # a merge of more slices than this is copied into whole chunks before it is used
MAX_KEYS = 200_000  # beyond this many changed keys a link says "unknown": the reader re-reads everything


def changes_path(table_path: Path) -> Path:
    """`staging/changes/<table>.json` for `staging/tables/<table>.parquet`."""
    return table_path.parent.parent / "changes" / f"{table_path.stem}.json"


def read_links(table_path: Path) -> list[dict]:
    try:
        links = json.loads(changes_path(table_path).read_text(encoding="utf-8"))["links"]
    except (OSError, ValueError, KeyError, TypeError):
        return []
    return links if isinstance(links, list) else []


def record_change(table_path: Path, base: str | None, target: str, keys: list | None) -> None:
    """Append the link base -> target (``keys``: the changed first-key values, None: unknown) to the
    table's record; a link not starting where the last one ended starts a new chain. ``base`` None (no
    earlier file) clears the record."""
    links = read_links(table_path)
    if base is None or not links or links[-1].get("target") != base:
        links = []
    if keys is not None and len(keys) > MAX_KEYS:
        keys = None
    if base is not None and base != target:  # an unchanged file adds no link
        links.append({"base": base, "target": target, "keys": None if keys is None else sorted(set(keys))})
    write_json_atomic(changes_path(table_path), {"table": table_path.stem, "links": links[-MAX_LINKS:]})


def changed_since(links: list[dict], since: str | None, current: str) -> list | None:
    """Keys that can differ between the table file with sha256 ``since`` and the one with ``current``
    (``[]`` when they are the same file), or None when the links cannot say."""
    if since is None:
        return None
    if since == current:
        return []
    starts = [i for i, link in enumerate(links) if link.get("base") == since]
    if not starts or not links or links[-1].get("target") != current:
        return None
    keys: set = set()
    for link in links[starts[-1]:]:
        if link.get("keys") is None:
            return None
        keys.update(link["keys"])
    return sorted(keys)


def derived_keys(table_path: Path, current: str | None, source_path: Path, source: str, version: str) -> list | None:
    """For a table computed key by key from another one (claims from papers: a paper's rows depend only on
    that paper and the step's version): the keys that changed in the source since the source file the
    table file ``current`` (its sha256) was computed from, when it was computed by this ``version``; None
    when that is unknown (no record, another version, a table file the record does not describe)."""
    state = _derived_state(table_path)
    if current is None or state.get("sha256") != current or state.get("version") != version:
        return None
    return changed_since(read_links(source_path), state.get("source"), source)


def record_derived(table_path: Path, before: str | None, after: str, source_path: Path, source: str,
                   version: str) -> list | None:
    """Record the change of such a table (``before`` -> ``after``, computed from source file ``source``):
    the derived_keys of the file it replaced. Returns them (None: unknown)."""
    keys = derived_keys(table_path, before, source_path, source, version)
    record_change(table_path, before, after, keys)
    write_json_atomic(_derived_path(table_path), {"sha256": after, "source": source, "version": version})
    return keys


def _derived_path(table_path: Path) -> Path:
    return changes_path(table_path).with_name(f"{table_path.stem}.derived.json")


def _derived_state(table_path: Path) -> dict:
    try:
        state = json.loads(_derived_path(table_path).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return state if isinstance(state, dict) else {}


@contextmanager
def derived_change(path: Path, papers: Path, version: str) -> Iterator[list | None]:
    """Around the rewrite of per-paper table `path` computed from `papers` by `version`: yields the papers
    whose rows can differ from the file on disk (None: unknown), then records the change so the release
    hashes only those papers' units."""
    before = sha256_or_none(path)
    source = sha256_file(papers)
    yield derived_keys(path, before, papers, source, version)
    record_derived(path, before, sha256_file(path), papers, source, version)


def merge_rows(previous: pl.DataFrame, new: pl.DataFrame, changed, key: str = "paper_id") -> pl.DataFrame:
    """`previous` (sorted by `key`) with the rows of the `changed` keys replaced by `new` (rows of changed keys
    only, sorted by `key`, each key's rows in their order): what dropping those rows and merging in `key` order
    gives, found by binary search and put together from slices, so the kept rows are neither compared nor copied."""
    import polars as pl

    keys = previous.get_column(key)
    new = new.select(previous.columns).cast(dict(previous.schema))
    changed = pl.Series(changed, dtype=keys.dtype).unique().sort()
    added = new.get_column(key)
    if not keys.is_sorted() or not added.is_sorted() or not added.is_in(changed.implode()).all():
        raise ValueError(f"merge_rows: the rows must be sorted by {key}, the new ones of changed keys only")
    starts, ends = (keys.search_sorted(changed, side=side).to_list() for side in ("left", "right"))
    new_starts, new_ends = (added.search_sorted(changed, side=side).to_list() for side in ("left", "right"))
    pieces, at = [], 0
    for start, end, new_start, new_end in zip(starts, ends, new_starts, new_ends, strict=True):
        pieces += [previous.slice(at, start - at), new.slice(new_start, new_end - new_start)]
        at = end
    pieces.append(previous.slice(at))
    return pl.concat(pieces, rechunk=len(pieces) > MAX_PIECES)


def write_rows(path: Path, rows: pl.DataFrame, schema: pa.Schema, dictionary_columns: list[str] | None = None) -> int:
    """Write `rows` (a merge_rows result: many chunks) to `path` in `schema`, one whole row group of
    ROW_GROUP_ROWS at a time (a chunk would otherwise be a row group of its own). polars hands over its string
    views without a copy; each row group is cast once (converting the whole frame first cost as much again)."""
    import polars as pl

    table = rows.to_arrow(compat_level=pl.CompatLevel.newest())

    def batches():
        for offset in range(0, table.num_rows, ROW_GROUP_ROWS):
            yield from table.slice(offset, ROW_GROUP_ROWS).combine_chunks().cast(schema).to_batches()

    return write_parquet_atomic(path, batches(), schema, dictionary_columns=dictionary_columns)
