"""Pure release writer for the versioned public datasets (no Dagster here).

The layout and its readers are in assets/core/release_format.py; this module runs the phases of a
publish, built from content_hash (what the data is), diff (what changed), manifest (version bump,
manifest entries, changelog) and store (writing files, pointer, retention).

A release is assembled in ``published_dir/.tmp-<version>-<random>/`` and renamed into place only when
complete; anything named ``.tmp-*`` in ``published_dir`` is debris of an interrupted run and is removed
by the next run. Publishers are serialised by an ``flock`` on ``published_dir/.publish.lock``.

Versions are content-addressed: the content hash (see ``CONTENT_HASH_ALGORITHM``) is independent of row
order, chunking and run time; if it equals the latest release's hash nothing is published.
"""

from __future__ import annotations

import fcntl
import json
import os
import re
import shutil
import time
import uuid
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from assets.core.release_format import (
    DIFFS, FORMAT, LOCK, MANIFEST, TMP_PREFIX, format_version, latest_version, list_versions,
    parse_version, read_manifest, verify_release,
)
from assets.core.storage import crash_point, fsync_path
from assets.publish.content_hash import (
    CONTENT_HASH_ALGORITHM, dataset_content_hash, duplicate_keys, release_content_hash, rows_digest,
    schema_entries, schema_fingerprint,
)
from assets.publish.diff import changes_of, compute_diff, has_null_key
from assets.publish.manifest import bumped, compare_schemas, input_entries, update_changelog
from assets.publish.store import (
    apply_retention, clean_stale_tmp, sorted_parts, write_diff, write_latest_pointer, write_parquet_parts,
)

_NAME_RE = re.compile(r"^[A-Za-z0-9_][A-Za-z0-9_.-]*$")


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
    _check_datasets(datasets, keys)
    published_dir = Path(published_dir)
    published_dir.mkdir(parents=True, exist_ok=True)
    now = now or datetime.now(timezone.utc)
    if now.tzinfo is None:
        now = now.replace(tzinfo=timezone.utc)
    with open(published_dir / LOCK, "a+") as lock:
        fcntl.flock(lock.fileno(), fcntl.LOCK_EX)
        clean_stale_tmp(published_dir)
        return _publish_locked(
            published_dir, datasets, keys=keys, inputs=inputs, validation=validation,
            code_version=code_version, parser_version=parser_version, keep=keep, now=now,
        )


def _check_datasets(datasets: dict[str, pa.Table], keys: dict[str, list[str]]) -> None:
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
    """The phases of a publish, holding the lock: hash, stop if unchanged, choose the version (or adopt
    an unannounced release), assemble the release in a temp folder, rename it into place, announce."""
    t_start = time.perf_counter()
    timings: dict[str, float] = {}
    prev_version = latest_version(published_dir)
    prev_manifest = read_manifest(published_dir / prev_version) if prev_version else None
    info = _hash_datasets(datasets, keys, timings)
    content_hash = release_content_hash({n: d["content_hash"] for n, d in info.items()})
    same_algorithm = prev_manifest is not None and prev_manifest.get("content_hash_algorithm") == CONTENT_HASH_ALGORITHM
    if same_algorithm and prev_manifest.get("content_hash") == content_hash:
        return _unchanged(published_dir, prev_version, prev_manifest, content_hash, datasets)
    bump, breaking, additive = _schema_bump(prev_manifest, info)
    adopted = _adopt_unannounced(published_dir, prev_version, content_hash, bump, keep)
    if adopted is not None:
        return adopted
    version = _next_version(published_dir, prev_version, bump)

    tmp = published_dir / f"{TMP_PREFIX}{version}-{uuid.uuid4().hex}"
    tmp.mkdir()
    try:
        ds_manifest, diffs_manifest = _write_datasets(tmp, published_dir, prev_version, prev_manifest, datasets, info, timings)
        removed_datasets = _diff_removed_datasets(tmp, published_dir, prev_version, prev_manifest, datasets, diffs_manifest)
        if not same_algorithm and prev_manifest is not None and bump == "patch" and not any(
            sum(d["changes"].values()) for d in ds_manifest.values()
        ):  # the hash algorithm changed but the data did not: nothing to publish
            shutil.rmtree(tmp, ignore_errors=True)
            return _unchanged(published_dir, prev_version, prev_manifest, content_hash, datasets)
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
            "inputs": input_entries(inputs),
            "validation": validation,
            "datasets": ds_manifest,
            "removed_datasets": removed_datasets,
            "diffs": diffs_manifest,
        }
        _write_manifest(tmp, manifest, datasets)
        crash_point("before_rename")
        os.rename(tmp, published_dir / version)  # atomic; the release becomes visible complete or not at all
        fsync_path(published_dir)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    _announce(published_dir, manifest, keep)
    changes = {n: d["changes"] for n, d in ds_manifest.items()}
    changes.update({n: d["changes"] for n, d in removed_datasets.items()})
    timings["total"] = time.perf_counter() - t_start
    return ReleaseResult(
        version, published_dir / version, True, prev_version, changes, bump, content_hash, breaking, additive, timings
    )


def _hash_datasets(datasets: dict[str, pa.Table], keys: dict[str, list[str]], timings: dict[str, float]) -> dict[str, dict]:
    """Sort each dataset by its key (the sorted copy replaces the input, so the unsorted table is freed),
    check the key is unique and hash the content."""
    info: dict[str, dict] = {}
    for name in sorted(datasets):  # by name, not items(): a list of items would pin every input table
        table = datasets[name]
        key = list(keys[name])
        t = time.perf_counter()
        parts = sorted_parts(table, key)
        datasets[name] = table = pa.concat_tables(parts)
        timings[f"{name}.sort"] = time.perf_counter() - t
        dup = duplicate_keys(parts, key)
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
    return info


def _unchanged(published_dir: Path, prev_version: str, prev_manifest: dict, content_hash: str, datasets) -> ReleaseResult:
    zero = {n: {"added": 0, "updated": 0, "removed": 0} for n in datasets}
    return ReleaseResult(
        prev_version, published_dir / prev_version, False, prev_manifest.get("previous_version"),
        zero, "none", content_hash,
    )


def _schema_bump(prev_manifest: dict | None, info: dict[str, dict]) -> tuple[str, list[str], list[str]]:
    if prev_manifest is None:
        return "initial", [], []
    old = {n: {"schema": d["schema"], "key": d["key"]} for n, d in prev_manifest["datasets"].items()}
    new = {n: {"schema": d["schema"], "key": d["key"]} for n, d in info.items()}
    return compare_schemas(old, new)


def _adopt_unannounced(
    published_dir: Path, prev_version: str | None, content_hash: str, bump: str, keep: int
) -> ReleaseResult | None:
    """A complete release newer than `latest` is the leftover of a run killed before the pointer write:
    announce it when it holds exactly this content (otherwise its number is never reused)."""
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
            return ReleaseResult(
                v, published_dir / v, True, prev_version,
                {n: d["changes"] for n, d in m["datasets"].items()}, m.get("bump", bump), content_hash,
                m.get("breaking_changes", []), m.get("schema_changes", []),
            )
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


def _write_datasets(
    tmp: Path, published_dir: Path, prev_version: str | None, prev_manifest: dict | None,
    datasets: dict[str, pa.Table], info: dict[str, dict], timings: dict[str, float],
) -> tuple[dict[str, dict], dict[str, dict]]:
    """Each dataset's diff against the previous release and its data files, into ``tmp``."""
    ds_manifest: dict[str, dict] = {}
    diffs_manifest: dict[str, dict] = {}
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
                old_files is not None and has_null_key(old_files, old_key, old_schema)
            ),
        )
        diff_rel = f"{DIFFS}/{name}.parquet"
        diffs_manifest[name] = {"path": diff_rel, **write_diff(diff, tmp / diff_rel)}
        changes = changes_of(diff)
        del diff
        timings[f"{name}.diff"] = time.perf_counter() - t
        t = time.perf_counter()
        files = write_parquet_parts(d.pop("parts"), tmp / name, name)
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
    return ds_manifest, diffs_manifest


def _diff_removed_datasets(
    tmp: Path, published_dir: Path, prev_version: str | None, prev_manifest: dict | None,
    datasets: dict[str, pa.Table], diffs_manifest: dict[str, dict],
) -> dict[str, dict]:
    """Diffs (every row removed) of the previous release's datasets that are no longer published."""
    removed_datasets: dict[str, dict] = {}
    for name in sorted(set(prev_manifest["datasets"]) - set(datasets)) if prev_manifest else []:
        old = prev_manifest["datasets"][name]
        files = [str(published_dir / prev_version / f["path"]) for f in old["files"]]
        diff = compute_diff(
            new=None, new_schema=None, new_key=old["key"], old=files,
            old_schema=pq.read_schema(files[0]), old_key=old["key"],
        )
        diff_rel = f"{DIFFS}/{name}.parquet"
        diffs_manifest[name] = {"path": diff_rel, **write_diff(diff, tmp / diff_rel)}
        removed_datasets[name] = {"changes": changes_of(diff), "key": old["key"], "diff": diff_rel}
    return removed_datasets


def _write_manifest(tmp: Path, manifest: dict, datasets: dict[str, pa.Table]) -> None:
    """The manifest, then an fsync of every folder of the release, so the rename publishes durable files."""
    with open(tmp / MANIFEST, "w", encoding="utf-8") as f:
        json.dump(manifest, f, indent=2, default=str)
        f.write("\n")
        f.flush()
        os.fsync(f.fileno())
    for sub in [tmp / DIFFS, *(tmp / n for n in datasets)]:
        if sub.is_dir():
            fsync_path(sub)
    fsync_path(tmp)


def _announce(published_dir: Path, manifest: dict, keep: int) -> None:
    """Changelog, then the pointer - the last file written. Retention only deletes afterwards (each
    doomed folder is first renamed to .tmp-*, so a crash there never leaves a half-deleted release)."""
    update_changelog(published_dir, manifest)
    crash_point("before_pointer")
    write_latest_pointer(published_dir, manifest["version"])
    apply_retention(published_dir, keep, {manifest["version"]})
