"""Pure release writer for the versioned public datasets (no Dagster here).

The layout and its readers are in assets/core/release_format.py; this module runs the phases of a
publish, built from layout (buckets, row order, content hashes), diff (what changed), manifest (version
bump, manifest entries, changelog) and store (shared data files, pointer, retention, garbage).

Each dataset is split into files by a hash bucket of its key; files are content-addressed and shared by
every release holding the same rows, so a release rewrites only the buckets whose rows changed. The
release folder (manifest and diffs) is assembled in ``published_dir/.tmp-<version>-<random>/`` and
renamed into place only when complete; anything named ``.tmp-*`` in ``published_dir`` is debris of an
interrupted run and is removed by the next run. Publishers are serialised by an ``flock`` on
``published_dir/.publish.lock``.

Versions are content-addressed: the content hash (see ``CONTENT_HASH_ALGORITHM``) is independent of row
order, chunking and run time; if it equals the latest release's hash nothing is published.
"""

from __future__ import annotations

import errno
import fcntl
import json
import os
import re
import shutil
import time
import uuid
from dataclasses import dataclass, field, replace
from datetime import datetime, timezone
from pathlib import Path
from typing import Sequence

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from assets.core.release_format import (
    DIFFS, DIGESTS, FORMAT, LOCK, MANIFEST, TMP_PREFIX, dataset_files, format_version, latest_version, list_versions,
    manifest_base, parse_version, read_manifest, verify_release,
)
from assets.core.storage import crash_point, fsync_path
from assets.core.table_changes import changed_since
from assets.publish.content_hash import CONTENT_HASH_ALGORITHM, release_content_hash
from assets.publish.diff import changes_of, compute_diff, has_null_key, merge_diffs
from assets.publish.datasets import TablesOnDemand
from assets.publish.layout import DatasetLayout, plan_layout, plan_layout_incremental, same_bucketing, take_rows
from assets.publish.partial import PartialTable, worth_reading_partially
from assets.publish.repair import rebuild_latest_pointer, repair_release_files
from assets.publish.reuse import FilePlan, PreviousFiles, plan_files
from assets.publish.manifest import bumped, compare_schemas, input_entries, update_changelog
from assets.publish.store import (
    apply_retention, clean_stale_tmp, collect_garbage, dictionary_columns, is_intact, store_data_file,
    write_diff, write_latest_pointer,
)

_NAME_RE = re.compile(r"^[A-Za-z0-9_][A-Za-z0-9_.-]*$")
_STAGING = "staging"  # inside the temp release folder: data files before they move into the shared store


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
    repairs: list[str] = field(default_factory=list)  # what was found damaged and repaired, naming the files
    problems: list[str] | None = None  # verify_release of the result, when the publisher already ran it
    incremental: list[str] = field(default_factory=list)  # datasets of which only the changed keys' units were hashed



def publish_release(
    published_dir: Path,
    datasets: dict[str, pa.Table],
    *,
    keys: dict[str, list[str]],
    inputs: list[dict],
    validation: dict,
    code_version: str,
    parser_version: str,
    provenance_columns: dict[str, Sequence[str]] | None = None,
    topic_model: dict | None = None,
    keep: int = 5,
    now: datetime | None = None,
    sources: dict[str, Source] | None = None,
) -> ReleaseResult:
    """Publish ``datasets`` as a new immutable release unless their content equals the latest one.

    ``keys[name]`` are the (unique) key columns of each dataset: its files are hash buckets of the first
    key column, rows are sorted by the key within a file, and diffs are keyed on it.
    ``provenance_columns[name]`` are columns that only say where or how often a row was seen: they stay
    in the data (and in the content hash) but a change in them alone does not count as an update.
    ``inputs`` entries (e.g. {"path", "sha256", "bytes"}), ``validation`` and ``topic_model`` (what the
    topic stage decided: assigned or refitted, and why) go into the manifest verbatim (sha256/bytes are
    filled in for existing paths lacking them).
    ``sources[name]`` (optional) is the sha256 of the table file the dataset is read from and the links of
    its change record (assets/core/table_changes.py): when they lead from the file the previous release
    was published from, only the units of the changed keys are hashed and diffed (see _plan_layouts).
    """
    if keep < 1:
        raise ValueError("keep must be >= 1")
    provenance = {name: list((provenance_columns or {}).get(name, ())) for name in datasets}
    published_dir = Path(published_dir)
    published_dir.mkdir(parents=True, exist_ok=True)
    now = now or datetime.now(timezone.utc)
    if now.tzinfo is None:
        now = now.replace(tzinfo=timezone.utc)
    with open(published_dir / LOCK, "a+") as lock:
        _hold(lock, published_dir / LOCK)
        clean_stale_tmp(published_dir)
        pointer = rebuild_latest_pointer(published_dir)
        result = _publish_locked(
            published_dir, datasets, keys=keys, provenance=provenance, inputs=inputs, validation=validation,
            topic_model=topic_model, code_version=code_version, parser_version=parser_version, keep=keep, now=now,
            sources=sources or {},
        )
        return replace(result, repairs=[pointer] * bool(pointer) + result.repairs)


PUBLISH_LOCK_WAIT = 600.0  # seconds a publisher waits for another one before it gives up


def _hold(lock, path: Path, seconds: float = PUBLISH_LOCK_WAIT) -> None:
    """flock `lock`, waiting at most `seconds` for another publisher (a run started from the UI, say)."""
    deadline = time.monotonic() + seconds
    while True:
        try:
            fcntl.flock(lock.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
            return
        except BlockingIOError:
            if time.monotonic() >= deadline:
                raise TimeoutError(errno.ETIMEDOUT, f"another run held the publish lock for {seconds:.0f}s",
                                   str(path)) from None
            time.sleep(0.2)


def _check_dataset(name: str, schema: pa.Schema, key: list[str] | None, provenance: list[str]) -> None:
    if not _NAME_RE.match(name) or name in (DIFFS, DIGESTS, MANIFEST):
        raise ValueError(f"invalid dataset name {name!r}")
    if not key:
        raise ValueError(f"no key columns given for dataset {name!r}")
    missing = [k for k in key if k not in schema.names]
    if missing:
        raise ValueError(f"{name}: key columns {missing} not in {schema.names}")
    if len(set(schema.names)) != len(schema.names):
        raise ValueError(f"{name}: duplicate column names")
    wrong = [c for c in provenance if c not in schema.names or c in key]
    if wrong:
        raise ValueError(f"{name}: provenance columns {wrong} are key columns or not in {schema.names}")


def _publish_locked(
    published_dir: Path,
    datasets: dict[str, pa.Table],
    *,
    keys: dict[str, list[str]],
    provenance: dict[str, list[str]],
    inputs: list[dict],
    validation: dict,
    topic_model: dict | None,
    code_version: str,
    parser_version: str,
    keep: int,
    now: datetime,
    sources: dict[str, Source],
) -> ReleaseResult:
    """The phases of a publish, holding the lock: lay out and hash, stop if unchanged, choose the version
    (or adopt an unannounced release), store the changed buckets and write the diffs, rename the release
    folder into place, announce, then delete what nothing references any more."""
    started = time.perf_counter()
    timings: dict[str, float] = {}
    prev_version = latest_version(published_dir)
    prev_manifest = read_manifest(published_dir / prev_version) if prev_version else None
    layouts, read = _plan_layouts(published_dir, datasets, keys, provenance, prev_manifest, sources, timings)
    content_hash = release_content_hash({n: layout.content_hash for n, layout in layouts.items()})
    repairs: list[str] = []
    if _same_content(prev_manifest, content_hash):
        repairs, left = repair_release_files(published_dir, prev_version, prev_manifest, datasets, layouts)
        if not left:
            collect_garbage(published_dir)
            unchanged = _unchanged(published_dir, prev_version, prev_manifest, content_hash, datasets)
            return replace(unchanged, repairs=repairs, problems=left, incremental=_incremental(layouts))
        repairs += [f"release {prev_version}: {problem}; a new version is published" for problem in left]
    bump, breaking, additive = _schema_bump(prev_manifest, layouts)
    adopted = _adopt_unannounced(published_dir, prev_version, content_hash, keep)
    if adopted is not None:
        return adopted
    header = {
        "format": FORMAT,
        "version": _next_version(published_dir, prev_version, bump),
        "created_at": now.astimezone(timezone.utc).isoformat(),
        "code_version": code_version,
        "parser_version": parser_version,
        "previous_version": prev_version,
        "bump": bump,
        "breaking_changes": breaking,
        "schema_changes": additive,
        "content_hash": content_hash,
        "content_hash_algorithm": CONTENT_HASH_ALGORITHM,
        "inputs": input_entries(inputs),
        "validation": validation,
        "topic_model": topic_model,
    }
    manifest = _assemble_release(published_dir, header, datasets, read, layouts, prev_manifest, timings)
    _announce(published_dir, manifest, keep)
    timings["total"] = time.perf_counter() - started
    return replace(_published(published_dir, manifest, timings), repairs=repairs, incremental=_incremental(layouts))


def _assemble_release(
    published_dir: Path, header: dict, datasets: dict[str, pa.Table], read: dict[str, pa.Table | PartialTable],
    layouts: dict[str, DatasetLayout], prev_manifest: dict | None, timings: dict[str, float],
) -> dict:
    """Store the data files, then build the release folder (diffs, manifest) in a temp folder and rename
    it into place: the release becomes visible complete or not at all. Returns the manifest. ``read``: the
    incremental datasets as _plan_layouts read them (not read again)."""
    version, prev_version = header["version"], header["previous_version"]
    tmp = published_dir / f"{TMP_PREFIX}{version}-{uuid.uuid4().hex}"
    (tmp / _STAGING).mkdir(parents=True)
    try:
        ds_manifest: dict[str, dict] = {}
        diffs_manifest: dict[str, dict] = {}
        digests_manifest: dict[str, dict] = {}
        for name in sorted(datasets):
            table = read.pop(name) if name in read else datasets[name]
            ds_manifest[name], diffs_manifest[name] = _write_dataset(
                published_dir, tmp, version, table, layouts[name], prev_version, prev_manifest, timings
            )
            digests_manifest[name] = _write_units(tmp, version, layouts[name])
            layouts[name].drop_rows()
            del table
        removed_datasets = _diff_removed_datasets(
            published_dir, tmp, version, prev_version, prev_manifest, datasets, diffs_manifest
        )
        (tmp / _STAGING).rmdir()
        crash_point("data_written")
        manifest = {
            **header, "datasets": ds_manifest, "removed_datasets": removed_datasets, "diffs": diffs_manifest,
            "digests": digests_manifest,
        }
        _write_manifest(tmp, manifest)
        crash_point("before_rename")
        os.rename(tmp, published_dir / version)
        fsync_path(published_dir)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return manifest


def _published(published_dir: Path, manifest: dict, timings: dict[str, float] | None = None) -> ReleaseResult:
    changes = {n: d["changes"] for n, d in manifest["datasets"].items()}
    changes.update({n: d["changes"] for n, d in manifest.get("removed_datasets", {}).items()})
    return ReleaseResult(
        manifest["version"], published_dir / manifest["version"], True, manifest["previous_version"], changes,
        manifest["bump"], manifest["content_hash"], manifest["breaking_changes"], manifest["schema_changes"],
        timings or {},
    )


def _plan_layouts(
    published_dir: Path, datasets: dict[str, pa.Table], keys: dict[str, list[str]],
    provenance: dict[str, list[str]], prev_manifest: dict | None, sources: dict[str, Source],
    timings: dict[str, float],
) -> tuple[dict[str, DatasetLayout], dict[str, pa.Table | PartialTable]]:
    """Each dataset's layout: incremental (only the units of its changed keys hashed) when its source's
    change record leads from the file the previous release was published from and the previous unit hashes
    check out against their sha256; otherwise every bucket is hashed. An incremental dataset of tables read
    on demand (TablesOnDemand) whose dirty units hold few rows is read partially: its keys, then only the
    rows it needs. Incremental datasets are returned as read, for the writer: a release of +210 papers
    writes an additions file and diffs per dataset, which would otherwise cost another read of each."""
    layouts, read = {}, {}
    previous = prev_manifest["datasets"] if prev_manifest else {}
    for name in sorted(datasets):
        t = time.perf_counter()
        layout = None
        changed = _changed_keys(sources.get(name), previous.get(name))
        units = _previous_units(published_dir, prev_manifest, name) if changed is not None else None
        if units is not None:
            partially = isinstance(datasets, TablesOnDemand) and worth_reading_partially(
                len(changed), sum(map(len, units)))
            table = datasets.partial(name) if partially else datasets[name]
            _check_dataset(name, table.schema, keys.get(name), provenance[name])
            layout = plan_layout_incremental(name, table, list(keys[name]), provenance[name], previous[name],
                                             units, pa.array(changed, table.schema.field(keys[name][0]).type))
            if layout is not None:
                read[name] = table
        if layout is None:
            table = datasets[name]  # read once here (datasets may be read on demand), checked, then laid out
            _check_dataset(name, table.schema, keys.get(name), provenance[name])
            layout = plan_layout(name, table, list(keys[name]), provenance[name], previous.get(name))
        layout.source_sha256 = sources[name].sha256 if name in sources else None
        layouts[name] = layout
        timings[f"{name}.hash"] = time.perf_counter() - t
    return layouts, read


def _incremental(layouts: dict[str, DatasetLayout]) -> list[str]:
    return sorted(name for name, layout in layouts.items() if layout.changed_keys is not None)


@dataclass(frozen=True)
class Source:
    """The table file a dataset is read from (its sha256) and the links of its change record."""

    sha256: str
    links: list[dict] = field(default_factory=list)


def _changed_keys(source: Source | None, previous: dict | None) -> list | None:
    if source is None or previous is None:
        return None
    return changed_since(source.links, previous.get("source_sha256"), source.sha256)


def _previous_units(published_dir: Path, prev_manifest: dict | None, name: str) -> list[list[str]] | None:
    """The previous release's unit hashes of ``name``, from its digests file after its sha256 checked out
    (None for a release of another content-hash algorithm: its units are not this one's, every bucket is
    hashed once again)."""
    entry = (prev_manifest or {}).get("digests", {}).get(name)
    if prev_manifest is None or prev_manifest.get("content_hash_algorithm") != CONTENT_HASH_ALGORITHM \
            or entry is None or not is_intact(published_dir, entry):
        return None
    table = pq.read_table(published_dir / entry["path"])
    buckets = prev_manifest["datasets"][name]["buckets"]
    units = int(prev_manifest["datasets"][name].get("units_per_bucket") or 0)
    hashes = table.column("unit_hash").to_pylist()
    if not units or len(hashes) != buckets * units:
        return None
    return [hashes[b * units:(b + 1) * units] for b in range(buckets)]


def _write_units(tmp: Path, version: str, layout: DatasetLayout) -> dict:
    """The dataset's unit hashes (bucket, unit, unit_hash), in the release folder: the next release
    re-hashes only the units its changed keys fall in."""
    table = pa.table({
        "bucket": pa.array(np.repeat(np.arange(layout.buckets, dtype=np.int32), layout.units_per_bucket)),
        "unit": pa.array(np.tile(np.arange(layout.units_per_bucket, dtype=np.int32), layout.buckets)),
        "unit_hash": pa.array([h for units in layout.unit_hashes for h in units], pa.string()),
    })
    return {"path": f"{version}/{DIGESTS}/{layout.name}.parquet",
            **write_diff(table, tmp / DIGESTS / f"{layout.name}.parquet")}


def _same_content(prev_manifest: dict | None, content_hash: str) -> bool:
    """Whether the latest release holds this content (a hash of another algorithm never matches)."""
    return (
        prev_manifest is not None
        and prev_manifest.get("content_hash_algorithm") == CONTENT_HASH_ALGORITHM
        and prev_manifest.get("content_hash") == content_hash
    )


def _unchanged(
    published_dir: Path, prev_version: str, prev_manifest: dict, content_hash: str, datasets: dict
) -> ReleaseResult:
    zero = {n: {"added": 0, "updated": 0, "removed": 0} for n in datasets}
    return ReleaseResult(
        prev_version, published_dir / prev_version, False, prev_manifest.get("previous_version"),
        zero, "none", content_hash,
    )


def _schema_bump(
    prev_manifest: dict | None, layouts: dict[str, DatasetLayout]
) -> tuple[str, list[str], list[str]]:
    if prev_manifest is None:
        return "initial", [], []
    old = {n: {"schema": d["schema"], "key": d["key"]} for n, d in prev_manifest["datasets"].items()}
    new = {n: {"schema": layout.schema, "key": layout.key} for n, layout in layouts.items()}
    return compare_schemas(old, new)


def _adopt_unannounced(
    published_dir: Path, prev_version: str | None, content_hash: str, keep: int
) -> ReleaseResult | None:
    """A complete release newer than `latest` is the leftover of a run killed before the pointer write:
    announce it when it holds exactly this content and verifies (otherwise its number is never reused)."""
    prev_t = parse_version(prev_version) if prev_version else None
    for v in reversed(list_versions(published_dir)):
        if prev_t is not None and parse_version(v) <= prev_t:
            break
        m = read_manifest(published_dir / v)
        if (
            m.get("content_hash") == content_hash
            and m.get("previous_version") == prev_version
            and not verify_release(published_dir / v)
        ):
            _announce(published_dir, m, keep)
            return _published(published_dir, m)
    return None


def _next_version(published_dir: Path, prev_version: str | None, bump: str) -> str:
    """Above every version present, so an unannounced release's number is never reused."""
    prev_t = parse_version(prev_version) if prev_version else None
    all_versions = [parse_version(v) for v in list_versions(published_dir)] + ([prev_t] if prev_t else [])
    if prev_t is None:
        new_t = (1, 0, 0) if not all_versions else (max(all_versions)[0] + 1, 0, 0)
    else:
        new_t = bumped(max(all_versions), bump)
    version = format_version(new_t)
    if (published_dir / version).exists():  # cannot happen (new_t > every existing version) - never overwrite
        raise FileExistsError(f"release {version} already exists")
    return version


def _write_dataset(
    published_dir: Path, tmp: Path, version: str, table: pa.Table, layout: DatasetLayout,
    prev_version: str | None, prev_manifest: dict | None, timings: dict[str, float],
) -> tuple[dict, dict]:
    """Store the dataset's new files (previous files whose rows are unchanged are kept, see
    assets/publish/reuse.py) and write its diff; returns its manifest entry and its diff's entry. With
    the previous release bucketed alike, only the buckets whose hash changed are diffed."""
    t = time.perf_counter()
    entry = prev_manifest["datasets"].get(layout.name) if prev_manifest else None
    previous = None
    if same_bucketing(entry, layout):
        base = manifest_base(published_dir / prev_version, prev_manifest)
        previous = PreviousFiles(published_dir, base, entry, layout)
    same_schema = entry is not None and entry["schema_fingerprint"] == layout.schema_fingerprint
    if previous is None and isinstance(table, PartialTable):  # every row is written and diffed
        table = table.whole()
    plan = plan_files(table, layout, previous if same_schema else None)
    files = plan.kept + _store_new_files(published_dir, tmp, table, layout, plan)
    files.sort(key=lambda f: (f["bucket"] is None, f["bucket"] or 0, f["path"]))
    crash_point(f"stored:{layout.name}")
    timings[f"{layout.name}.write"] = time.perf_counter() - t
    t = time.perf_counter()
    if previous is not None:
        diff = _diff_by_bucket(table, layout, previous, plan)
    else:
        old_files = dataset_files(published_dir / prev_version, layout.name, prev_manifest) if entry else None
        diff = _diff(table, old_files, layout, entry)  # the old side streams from its files
    diff_entry = _write_diff_file(tmp, version, layout.name, diff)
    timings[f"{layout.name}.diff"] = time.perf_counter() - t
    entry = {"files": files, **layout.manifest_entry(), "changes": changes_of(diff), "diff": diff_entry["path"]}
    if layout.source_sha256:
        entry["source_sha256"] = layout.source_sha256
    return entry, diff_entry


def _store_new_files(
    published_dir: Path, tmp: Path, table: pa.Table, layout: DatasetLayout, plan: FilePlan
) -> list[dict]:
    """The planned bucket files and the additions file, in the shared store; their manifest entries."""
    dictionary = dictionary_columns(table)
    _prefetch(table, [*plan.bucket_rows.values(), *plan.additions.values()])
    entries = []
    for bucket, positions in sorted(plan.bucket_rows.items()):
        rows = take_rows(table, positions)
        whole = len(positions) == layout.bounds[bucket + 1] - layout.bounds[bucket]
        content_hash = layout.bucket_hashes[bucket] if whole else layout.rows_hash(rows)
        stored = store_data_file(published_dir, tmp / _STAGING, layout.name, rows, dictionary)
        entries.append({**stored, "bucket": bucket, "content_hash": content_hash})
    if plan.additions:
        rows = take_rows(table, np.concatenate([plan.additions[b] for b in sorted(plan.additions)]))
        rows = rows.take(pc.sort_indices(rows, sort_keys=[(k, "ascending", "at_end") for k in layout.key]))
        stored = store_data_file(published_dir, tmp / _STAGING, layout.name, rows, dictionary)
        content_hash = layout.rows_hash(rows)
        entries.append({**stored, "bucket": None, "buckets": sorted(plan.additions), "content_hash": content_hash})
    return entries


def _diff_by_bucket(table: pa.Table, layout: DatasetLayout, previous: PreviousFiles, plan: FilePlan) -> pa.Table:
    """The diffs of the buckets whose hash changed, merged; a bucket whose previous rows are all unchanged
    has only added rows, so its old rows are not read. With changed keys known, only their rows are
    diffed (the other rows are the same on both sides)."""
    changed = [b for b in range(layout.buckets) if layout.bucket_hashes[b] != previous.bucket_hashes[b]]
    new_rows = {b: plan.added_only[b] if b in plan.added_only else _changed_positions(layout, layout.positions(b))
                for b in changed}
    _prefetch(table, new_rows.values())
    diffs = []
    for bucket in changed:
        old = None if bucket in plan.added_only else previous.rows_in_bucket(bucket)
        if old is not None and layout.changed_keys is not None:
            old = _only_changed(old, layout)
        diffs.append(_diff(take_rows(table, new_rows[bucket]), old, layout, previous.entry))
    return merge_diffs(diffs, [table.schema.field(k) for k in layout.key])


def _changed_positions(layout: DatasetLayout, positions: np.ndarray) -> np.ndarray:
    """Of the input rows at ``positions``, those whose key may have changed (all without changed keys)."""
    if layout.changed_keys is None:
        return positions
    held = layout.keys.column(0).take(pa.array(positions, pa.int64()))
    return positions[pc.is_in(held, value_set=layout.changed_keys.cast(held.type)).to_numpy(zero_copy_only=False)]


def _prefetch(table: pa.Table | PartialTable, positions) -> None:
    """Read the rows about to be taken from a PartialTable at once (each row group once)."""
    parts = [np.asarray(p, dtype=np.int64) for p in positions]
    if isinstance(table, PartialTable) and parts:
        table.prefetch(np.concatenate(parts))


def _only_changed(rows: pa.Table | None, layout: DatasetLayout) -> pa.Table | None:
    if rows is None:
        return None
    column = rows.column(layout.key[0])
    return rows.filter(pc.is_in(column, value_set=layout.changed_keys.cast(column.type)))


def _diff(
    new: pa.Table | None, old: pa.Table | list[Path] | None, layout: DatasetLayout, previous: dict | None
) -> pa.Table:
    """Diff of the rows ``new`` against the rows ``old``, a table or Parquet files (None: no rows)."""
    old_key = previous["key"] if previous else None
    if isinstance(old, pa.Table):
        old_schema = old.schema
        old_nulls = any(old.column(k).null_count for k in old_key if k in old_schema.names)
    elif old:
        old = [str(p) for p in old]
        old_schema = pq.read_schema(old[0])
        old_nulls = has_null_key(old, old_key, old_schema)
    else:
        old, old_schema, old_nulls = None, None, False
    return compute_diff(
        new=new, new_schema=new.schema if new is not None else None, new_key=layout.key,
        old=old, old_schema=old_schema, old_key=old_key, nullable_key=layout.nullable_key or old_nulls,
        ignore=layout.provenance,
    )


def _write_diff_file(tmp: Path, version: str, name: str, diff: pa.Table) -> dict:
    """Written into the temp release folder; its manifest path names the folder it is renamed to."""
    return {"path": f"{version}/{DIFFS}/{name}.parquet", **write_diff(diff, tmp / DIFFS / f"{name}.parquet")}


def _diff_removed_datasets(
    published_dir: Path, tmp: Path, version: str, prev_version: str | None, prev_manifest: dict | None,
    datasets: dict[str, pa.Table], diffs_manifest: dict[str, dict],
) -> dict[str, dict]:
    """Diffs (every row removed, added to ``diffs_manifest``) of the previous release's datasets that are
    no longer published."""
    removed_datasets: dict[str, dict] = {}
    for name in sorted(set(prev_manifest["datasets"]) - set(datasets)) if prev_manifest else []:
        old = prev_manifest["datasets"][name]
        files = [str(p) for p in dataset_files(published_dir / prev_version, name, prev_manifest)]
        diff = compute_diff(
            new=None, new_schema=None, new_key=old["key"], old=files,
            old_schema=pq.read_schema(files[0]), old_key=old["key"],
        )
        diffs_manifest[name] = _write_diff_file(tmp, version, name, diff)
        removed_datasets[name] = {
            "changes": changes_of(diff), "key": old["key"], "diff": diffs_manifest[name]["path"],
        }
    return removed_datasets


def _write_manifest(tmp: Path, manifest: dict) -> None:
    """The manifest, then an fsync of the release folder, so the rename publishes durable files."""
    path = tmp / MANIFEST
    with open(path, "w", encoding="utf-8") as f:
        json.dump(manifest, f, indent=2, default=str)
        f.write("\n")
        f.flush()
        os.fsync(f.fileno())
    for folder in (DIFFS, DIGESTS):
        if (tmp / folder).is_dir():
            fsync_path(tmp / folder)
    fsync_path(tmp)


def _announce(published_dir: Path, manifest: dict, keep: int) -> None:
    """Changelog, then the pointer - the last file written. Retention and garbage collection only delete
    afterwards (each doomed folder is first renamed to .tmp-*, so a crash there never leaves a
    half-deleted release; an unreferenced shared file is simply unlinked)."""
    update_changelog(published_dir, manifest)
    crash_point("before_pointer")
    write_latest_pointer(published_dir, manifest["version"])
    apply_retention(published_dir, keep, {manifest["version"]})
    collect_garbage(published_dir)
