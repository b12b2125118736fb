"""Tests for assets.publish.release: versioned, content-addressed public releases whose datasets are
hash buckets stored once in a shared store and listed by each release's manifest."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import textwrap
import time
from datetime import datetime, timezone
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from assets.core.release_format import (
    dataset_files, latest_version, list_versions, read_manifest, release_dir, verify_release,
)
from assets.core.storage import CRASH_ENV, sha256_file
from assets.publish import buckets, store
from assets.publish import release as rel
from assets.publish.layout import plan_layout
from assets.publish.release import publish_release

PAPERS_SCHEMA = pa.schema(
    [
        pa.field("paper_id", pa.string(), nullable=False),
        pa.field("title", pa.string()),
        pa.field("abstract", pa.string()),
        pa.field("source_file", pa.string()),
        pa.field("source_line", pa.int64()),
        pa.field("parser_version", pa.string()),
    ]
)
TOPICS_SCHEMA = pa.schema(
    [pa.field("topic_id", pa.int32()), pa.field("label", pa.string()), pa.field("top_terms", pa.list_(pa.string()))]
)
KEYS = {"papers": ["paper_id"], "topics": ["topic_id"], "paper_topics": ["paper_id", "topic_id"]}
T0 = datetime(2025, 1, 1, tzinfo=timezone.utc)


def papers(ids, title_suffix="") -> pa.Table:
    ids = list(ids)
    return pa.table(
        {
            "paper_id": [f"{i:016x}" for i in ids],
            "title": [f"Title {i}{title_suffix}" for i in ids],
            "abstract": [f"Abstract of paper {i}. " * 5 for i in ids],
            "source_file": [f"dump_{i % 3}.txt" for i in ids],
            "source_line": [i * 4 + 1 for i in ids],
            "parser_version": ["p1"] * len(ids),
        },
        schema=PAPERS_SCHEMA,
    )


def topics(n=3) -> pa.Table:
    return pa.table(
        {"topic_id": list(range(n)), "label": [f"t{i}" for i in range(n)], "top_terms": [["a", f"b{i}"] for i in range(n)]},
        schema=TOPICS_SCHEMA,
    )


def publish(pub: Path, datasets: dict, day: int = 0, **kw):
    kw.setdefault("keys", {n: KEYS[n] for n in datasets})
    return publish_release(
        pub,
        datasets,
        inputs=kw.pop("inputs", [{"path": "data/landing/a.txt", "sha256": "ab" * 32, "bytes": 10}]),
        validation=kw.pop("validation", {"passed": True, "blocking_failures": 0, "warnings": 1}),
        code_version="abc123",
        parser_version="p1",
        now=T0.replace(day=1 + day),
        **kw,
    )


def read_diff(pub: Path, version: str, name: str) -> list[dict]:
    return pq.read_table(pub / version / "diffs" / f"{name}.parquet").to_pylist()


def read_data(pub: Path, version: str, name: str) -> pa.Table:
    return pa.concat_tables(pq.read_table(p) for p in dataset_files(pub / version, name))


def shared_files(pub: Path) -> set[str]:
    """Every file in the shared store, as a path relative to ``pub``."""
    return {p.relative_to(pub).as_posix() for p in (pub / "data").rglob("*") if p.is_file()}


def listed_files(pub: Path) -> set[str]:
    """The shared files the manifests of the release folders present list."""
    return {f["path"] for v in list_versions(pub) for d in read_manifest(pub / v)["datasets"].values() for f in d["files"]}


def many_buckets(monkeypatch) -> None:
    monkeypatch.setattr(buckets, "TARGET_BUCKET_BYTES", 2000)  # test tables get several buckets


# ----------------------------------------------------------------------------------------------


def test_first_release_layout_and_manifest(tmp_path, monkeypatch):
    many_buckets(monkeypatch)
    monkeypatch.setattr(store, "ROW_GROUP_SIZE", 4)
    pub = tmp_path / "published"
    data = papers(range(49, -1, -1))  # reverse order: must come out sorted within each file
    r = publish(pub, {"papers": data, "topics": topics()})
    assert (r.version, r.published, r.previous_version, r.bump) == ("1.0.0", True, None, "initial")
    assert r.path == pub / "1.0.0"
    assert r.changes == {"papers": {"added": 50, "updated": 0, "removed": 0}, "topics": {"added": 3, "updated": 0, "removed": 0}}
    assert latest_version(pub) == "1.0.0" and release_dir(pub) == pub / "1.0.0"
    assert json.loads((pub / "latest.json").read_text()) == {"version": "1.0.0"}
    assert verify_release(pub / "1.0.0") == []
    for path in (pub / "latest.json", pub / "CHANGELOG.md", pub / "1.0.0" / "manifest.json", pub / "1.0.0" / "diffs" / "papers.parquet"):
        assert oct(path.stat().st_mode & 0o777) == "0o644", path

    m = json.loads((pub / "1.0.0" / "manifest.json").read_text())
    for k in ["version", "created_at", "code_version", "parser_version", "previous_version", "inputs", "validation", "datasets", "content_hash"]:
        assert k in m
    assert m["format"] == "papers-release/2"
    assert m["created_at"].startswith("2025-01-01") and m["previous_version"] is None
    assert m["validation"]["passed"] is True and m["inputs"][0]["sha256"] == "ab" * 32
    ds = m["datasets"]["papers"]
    assert ds["rows"] == 50 and ds["key"] == ["paper_id"]
    assert ds["changes"] == {"added": 50, "updated": 0, "removed": 0}
    assert ds["schema"][0] == {"name": "paper_id", "type": "string", "nullable": False}
    assert len(ds["schema_fingerprint"]) == 64 and len(ds["content_hash"]) == 64
    assert ds["buckets"] > 1 and ds["bucket_hash"] == buckets.BUCKET_HASH
    assert m["datasets"]["topics"]["buckets"] == 1 and len(m["datasets"]["topics"]["files"]) == 1
    assert [f["bucket"] for f in ds["files"]] == sorted({f["bucket"] for f in ds["files"]})
    assert sum(f["rows"] for f in ds["files"]) == 50
    for f in ds["files"]:  # content-addressed: data/<dataset>/<sha256 of the bytes>.parquet
        path = pub / f["path"]
        assert f["path"] == f"data/papers/{sha256_file(path)}.parquet" == f"data/papers/{f['sha256']}.parquet"
        assert oct(path.stat().st_mode & 0o777) == "0o644"
        meta = pq.ParquetFile(path).metadata
        assert meta.row_group(0).column(0).compression == "ZSTD"
        assert all(meta.row_group(i).num_rows <= 4 for i in range(meta.num_row_groups))
        ids = pq.read_table(path).column("paper_id")
        assert ids.to_pylist() == sorted(ids.to_pylist())
        assert set(buckets.bucket_ids(ids, ds["buckets"]).tolist()) == {f["bucket"]}
    table = read_data(pub, "1.0.0", "papers")
    assert table.schema.equals(PAPERS_SCHEMA)  # explicit Arrow types preserved (incl. NOT NULL)
    assert sorted(table.column("paper_id").to_pylist()) == [f"{i:016x}" for i in range(50)]
    assert read_data(pub, "1.0.0", "topics").schema.equals(TOPICS_SCHEMA)
    assert m["diffs"]["papers"]["path"] == ds["diff"] == "1.0.0/diffs/papers.parquet"
    assert sorted(p.name for p in (pub / "1.0.0").iterdir()) == ["diffs", "digests", "manifest.json"]
    diff = read_diff(pub, "1.0.0", "papers")
    assert len(diff) == 50 and {d["change"] for d in diff} == {"added"} and diff[0]["changed_fields"] == []
    assert [d["paper_id"] for d in diff] == [f"{i:016x}" for i in range(50)]
    assert "## 1.0.0" in (pub / "CHANGELOG.md").read_text()
    assert not [p for p in pub.iterdir() if p.name.startswith(".tmp-")]


def test_identical_data_in_other_order_publishes_nothing(tmp_path, monkeypatch):
    many_buckets(monkeypatch)
    pub = tmp_path / "published"
    first = publish(pub, {"papers": papers(range(100)), "topics": topics()})
    shuffled = papers(list(range(50, 100)) + list(range(50)))
    shuffled = pa.concat_tables([shuffled.slice(0, 30), shuffled.slice(30)])  # different chunking too
    again = publish(pub, {"topics": topics().take([2, 0, 1]), "papers": shuffled}, day=3)
    assert again.published is False and again.version == "1.0.0" == first.version
    assert again.content_hash == first.content_hash
    assert sorted(p.name for p in pub.iterdir() if not p.name.startswith(".")) == ["1.0.0", "CHANGELOG.md", "data", "latest.json"]
    assert shared_files(pub) == listed_files(pub)
    assert (pub / "CHANGELOG.md").read_text().count("## ") == 1


@pytest.mark.parametrize("bucketed", [False, True], ids=["one-file", "bucketed"])
def test_data_changes_make_patch_releases_with_exact_diffs(tmp_path, monkeypatch, bucketed):
    if bucketed:
        many_buckets(monkeypatch)
    pub = tmp_path / "published"
    publish(pub, {"papers": papers(range(100))})

    added = publish(pub, {"papers": papers(range(105))}, day=1)
    assert (added.version, added.bump, added.previous_version) == ("1.0.1", "patch", "1.0.0")
    assert added.changes["papers"] == {"added": 5, "updated": 0, "removed": 0}
    diff = read_diff(pub, "1.0.1", "papers")
    assert diff == [{"paper_id": f"{i:016x}", "change": "added", "changed_fields": []} for i in range(100, 105)]

    changed = papers(range(105))
    titles = changed.column("title").to_pylist()
    titles[7] = "A new title"
    lines = changed.column("source_line").to_pylist()
    lines[8] = None
    changed = changed.set_column(1, "title", pa.array(titles)).set_column(4, "source_line", pa.array(lines, pa.int64()))
    upd = publish(pub, {"papers": changed}, day=2)
    assert upd.version == "1.0.2" and upd.changes["papers"] == {"added": 0, "updated": 2, "removed": 0}
    assert read_diff(pub, "1.0.2", "papers") == [
        {"paper_id": f"{7:016x}", "change": "updated", "changed_fields": ["title"]},
        {"paper_id": f"{8:016x}", "change": "updated", "changed_fields": ["source_line"]},
    ]

    removed = publish(pub, {"papers": changed.slice(3)}, day=3)
    assert removed.version == "1.0.3" and removed.changes["papers"] == {"added": 0, "updated": 0, "removed": 3}
    assert read_diff(pub, "1.0.3", "papers") == [
        {"paper_id": f"{i:016x}", "change": "removed", "changed_fields": []} for i in range(3)
    ]
    log = (pub / "CHANGELOG.md").read_text()
    assert [line[3:8] for line in log.splitlines() if line.startswith("## ")] == ["1.0.3", "1.0.2", "1.0.1", "1.0.0"]
    assert "| papers | 102 | 0 | 0 | 3 |" in log
    for v in ["1.0.0", "1.0.1", "1.0.2", "1.0.3"]:
        assert verify_release(pub / v) == []


def test_schema_changes_bump_minor_and_major(tmp_path):
    pub = tmp_path / "published"
    base = papers(range(20))
    publish(pub, {"papers": base})

    with_doi = base.append_column(pa.field("doi", pa.string()), pa.array([f"10.1/{i}" for i in range(20)]))
    minor = publish(pub, {"papers": with_doi}, day=1)
    assert (minor.version, minor.bump, minor.breaking_changes) == ("1.1.0", "minor", [])
    assert any("doi" in s for s in minor.schema_changes)
    assert read_diff(pub, "1.1.0", "papers")[0]["changed_fields"] == ["doi"]

    new_ds = publish(pub, {"papers": with_doi, "topics": topics()}, day=2)
    assert (new_ds.version, new_ds.bump) == ("1.2.0", "minor")

    dropped = with_doi.drop_columns(["source_file"])
    major = publish(pub, {"papers": dropped, "topics": topics()}, day=3)
    assert (major.version, major.bump) == ("2.0.0", "major")
    assert major.breaking_changes == ["papers: column `source_file` removed (string)"]

    retyped = dropped.set_column(
        dropped.schema.get_field_index("source_line"), "source_line", dropped.column("source_line").cast(pa.int32())
    )
    major2 = publish(pub, {"papers": retyped, "topics": topics()}, day=4)
    assert (major2.version, major2.bump) == ("3.0.0", "major")
    assert major2.breaking_changes == ["papers: column `source_line` retyped int64 -> int32"]
    assert major2.changes["papers"] == {"added": 0, "updated": 0, "removed": 0}  # same values

    renamed = retyped.rename_columns(["paper_id", "headline", *retyped.column_names[2:]])
    major3 = publish(pub, {"papers": renamed, "topics": topics()}, day=5)
    assert major3.version == "4.0.0"
    assert major3.breaking_changes == ["papers: column `title` renamed to `headline` (string)"]

    gone = publish(pub, {"papers": renamed}, day=6)
    assert (gone.version, gone.breaking_changes) == ("5.0.0", ["topics: dataset removed"])
    assert gone.changes["topics"] == {"added": 0, "updated": 0, "removed": 3}
    assert [d["change"] for d in read_diff(pub, "5.0.0", "topics")] == ["removed"] * 3

    log = (pub / "CHANGELOG.md").read_text()
    assert "**Breaking schema changes:**" in log
    for text in ["column `source_file` removed", "column `source_line` retyped int64 -> int32",
                 "column `title` renamed to `headline`", "topics: dataset removed", "column `doi` added"]:
        assert text in log
    assert log.index("## 5.0.0") < log.index("## 2.0.0") < log.index("## 1.0.0")


def test_retention_keeps_last_versions_latest_and_pins(tmp_path):
    pub = tmp_path / "published"
    pub.mkdir()
    (pub / "pins.txt").write_text("# pinned for the paper\n\n1.0.1\n 1.0.3  # dashboard\n")
    for n in range(8):
        publish(pub, {"papers": papers(range(10 + n))}, day=n, keep=3)
    assert list_versions(pub) == ["1.0.1", "1.0.3", "1.0.5", "1.0.6", "1.0.7"]
    assert latest_version(pub) == "1.0.7"
    for v in list_versions(pub):
        assert verify_release(pub / v) == []
    assert not [p for p in pub.iterdir() if p.name.startswith(".tmp-")]
    # keep=1 still never removes the latest or pins
    publish(pub, {"papers": papers(range(30))}, day=9, keep=1)
    assert list_versions(pub) == ["1.0.1", "1.0.3", "1.0.8"]


def test_pointer_write_failure_keeps_previous_release(tmp_path, monkeypatch):
    pub = tmp_path / "published"
    publish(pub, {"papers": papers(range(10))})

    def boom(*a, **k):
        raise OSError("disk full")

    monkeypatch.setattr(rel, "write_latest_pointer", boom)
    with pytest.raises(OSError, match="disk full"):
        publish(pub, {"papers": papers(range(12))}, day=1)
    assert latest_version(pub) == "1.0.0"
    assert verify_release(release_dir(pub)) == []
    assert read_data(pub, "1.0.0", "papers").num_rows == 10

    monkeypatch.undo()
    # the complete-but-unannounced 1.0.1 is adopted when the same content is published again
    again = publish(pub, {"papers": papers(range(12))}, day=2)
    assert (again.version, again.published) == ("1.0.1", True) and latest_version(pub) == "1.0.1"
    assert (pub / "CHANGELOG.md").read_text().count("## 1.0.1") == 1
    # different content must not reuse the orphan's number (versions are immutable)
    monkeypatch.setattr(rel, "write_latest_pointer", boom)
    with pytest.raises(OSError):
        publish(pub, {"papers": papers(range(13))}, day=3)
    monkeypatch.undo()
    other = publish(pub, {"papers": papers(range(14))}, day=4)
    assert other.version == "1.0.3" and other.previous_version == "1.0.1"
    assert verify_release(pub / "1.0.2") == []  # the orphan was never overwritten


def test_content_hash_is_canonical_for_nulls_nested_and_chunking(monkeypatch):
    monkeypatch.setattr(buckets, "TARGET_BUCKET_BYTES", 500)  # the hash combines several buckets
    schema = pa.schema([("k", pa.int64()), ("s", pa.string()), ("l", pa.list_(pa.string())),
                        ("st", pa.struct([("a", pa.int32()), ("b", pa.string())])), ("ts", pa.timestamp("us", "UTC")),
                        ("b", pa.bool_()), ("d", pa.dictionary(pa.int32(), pa.string())), ("f", pa.float64())])
    rows = [
        {"k": i, "s": None if i % 3 == 0 else f"s{i}", "l": None if i % 4 == 0 else [f"x{i}", None],
         "st": None if i % 5 == 0 else {"a": i, "b": None}, "ts": None if i % 2 else datetime(2024, 1, 1 + i % 20),
         "b": None if i % 7 == 0 else i % 2 == 0, "d": ["u", "v", None][i % 3], "f": None if i % 6 == 0 else i / 3}
        for i in range(60)
    ]
    a = pa.Table.from_pylist(rows, schema=schema)
    b = pa.concat_tables([pa.Table.from_pylist(rows[30:], schema=schema), pa.Table.from_pylist(rows[:30], schema=schema).slice(0)])
    digest = lambda t: plan_layout("t", t, ["k"], [], None).content_hash  # noqa: E731
    assert digest(a) == digest(b) == digest(a.slice(0))
    rows[5]["st"] = {"a": 5, "b": "changed"}
    assert digest(pa.Table.from_pylist(rows, schema=schema)) != digest(a)


def test_duplicate_keys_rejected(tmp_path):
    with pytest.raises(ValueError, match="not unique"):
        publish(tmp_path / "p", {"papers": papers([1, 2, 2])})
    with pytest.raises(ValueError, match="key columns"):
        publish(tmp_path / "p", {"papers": papers([1])}, keys={"papers": ["nope"]})


def test_verify_release_detects_tampering(tmp_path):
    pub = tmp_path / "published"
    r = publish(pub, {"papers": papers(range(10))})
    part = dataset_files(r.path, "papers")[0]
    data = bytearray(part.read_bytes())
    data[100] ^= 0xFF
    part.write_bytes(bytes(data))
    (r.path / "stray.txt").write_text("x")
    problems = verify_release(r.path)
    assert any("sha256 mismatch" in p for p in problems) and any("stray.txt" in p for p in problems)
    part.unlink()
    assert any("missing" in p for p in verify_release(r.path))


# ------------------------------------------------------------------------------ shared data files


def _files_by_bucket(pub: Path, version: str, name: str) -> dict[int, str]:
    return {f["bucket"]: f["path"] for f in read_manifest(pub / version)["datasets"][name]["files"]}


def _bucket_of(paper: int, pub: Path, version: str) -> int:
    count = read_manifest(pub / version)["datasets"]["papers"]["buckets"]
    return int(buckets.bucket_ids(pa.chunked_array([pa.array([f"{paper:016x}"])]), count)[0])


def test_release_writes_only_the_changed_buckets_and_one_additions_file(tmp_path, monkeypatch):
    many_buckets(monkeypatch)
    pub = tmp_path / "published"
    publish(pub, {"papers": papers(range(1000)), "topics": topics()})
    before = _files_by_bucket(pub, "1.0.0", "papers")
    stored_before = shared_files(pub)

    edited = papers(range(1003))  # three papers added, one title edited
    titles = edited.column("title").to_pylist()
    titles[17] = "An edited title"
    r = publish(pub, {"papers": edited.set_column(1, "title", pa.array(titles)), "topics": topics()}, day=1)
    assert r.changes["papers"] == {"added": 3, "updated": 1, "removed": 0}
    assert r.changes["topics"] == {"added": 0, "updated": 0, "removed": 0}
    after = _files_by_bucket(pub, "1.0.1", "papers")
    edited_bucket = _bucket_of(17, pub, "1.0.1")
    assert len(before) > 8 and after.keys() == before.keys() | {None}
    assert {b for b in before if after[b] != before[b]} == {edited_bucket}  # every other bucket keeps its file
    additions = next(f for f in read_manifest(r.path)["datasets"]["papers"]["files"] if f["bucket"] is None)
    assert additions["rows"] == 3 and additions["buckets"] == sorted({_bucket_of(i, pub, "1.0.1") for i in range(1000, 1003)})
    assert pq.read_table(pub / additions["path"]).column("paper_id").to_pylist() == [f"{i:016x}" for i in range(1000, 1003)]
    assert _files_by_bucket(pub, "1.0.1", "topics") == _files_by_bucket(pub, "1.0.0", "topics")
    assert shared_files(pub) - stored_before == {after[edited_bucket], after[None]}
    assert verify_release(pub / "1.0.0") == [] and verify_release(pub / "1.0.1") == []
    assert sorted(read_data(pub, "1.0.1", "papers").column("paper_id").to_pylist()) == [f"{i:016x}" for i in range(1003)]
    assert read_diff(pub, "1.0.1", "papers") == [
        {"paper_id": f"{17:016x}", "change": "updated", "changed_fields": ["title"]},
        *({"paper_id": f"{i:016x}", "change": "added", "changed_fields": []} for i in range(1000, 1003)),
    ]

    # a row held by the additions file is edited: that file is rewritten, the bucket files stay
    again = papers(range(1003))
    titles[1001] = "Edited after it was added"
    r = publish(pub, {"papers": again.set_column(1, "title", pa.array(titles)), "topics": topics()}, day=2)
    assert r.changes["papers"] == {"added": 0, "updated": 1, "removed": 0}
    latest = _files_by_bucket(pub, "1.0.2", "papers")
    assert {b: p for b, p in latest.items() if b is not None} == {b: p for b, p in after.items() if b is not None}
    assert latest[None] != after[None] and verify_release(r.path) == []

    # an added row and a row of a bucket file are removed
    fewer = again.set_column(1, "title", pa.array(titles)).filter(pa.array([i not in (5, 1002) for i in range(1003)]))
    r = publish(pub, {"papers": fewer, "topics": topics()}, day=3)
    assert read_diff(pub, r.version, "papers") == [
        {"paper_id": f"{i:016x}", "change": "removed", "changed_fields": []} for i in (5, 1002)
    ]
    assert read_data(pub, r.version, "papers").sort_by("paper_id").equals(fewer.sort_by("paper_id"))
    assert verify_release(r.path) == [] and shared_files(pub) == listed_files(pub)


def test_additions_files_are_merged_then_folded_into_their_buckets(tmp_path, monkeypatch):
    """One paper added per release: additions files pile up to MAX_ADDITIONS_FILES, are then merged into
    one, and once they hold more than 1/FOLD_DIVISOR of the rows every bucket they touch is rewritten."""
    from assets.publish.reuse import FOLD_DIVISOR, MAX_ADDITIONS_FILES

    many_buckets(monkeypatch)
    pub = tmp_path / "published"
    n = 1000
    publish(pub, {"papers": papers(range(n))})
    base_files = _files_by_bucket(pub, "1.0.0", "papers")
    seen = []
    for extra in range(1, n // FOLD_DIVISOR + 2):
        r = publish(pub, {"papers": papers(range(n + extra))}, day=extra % 28, keep=100)
        files = read_manifest(r.path)["datasets"]["papers"]["files"]
        seen.append(sum(f["bucket"] is None for f in files))
        assert verify_release(r.path) == [] and r.changes["papers"] == {"added": 1, "updated": 0, "removed": 0}
        assert sorted(read_data(pub, r.version, "papers").column("paper_id").to_pylist()) == [f"{i:016x}" for i in range(n + extra)]
        assert sum(f["rows"] for f in files if f["bucket"] is None) == (extra if seen[-1] else 0)
    assert seen[: MAX_ADDITIONS_FILES + 1] == [*range(1, MAX_ADDITIONS_FILES + 1), 1]  # merged
    assert seen[-1] == 0  # folded: no additions file is left
    folded = _files_by_bucket(pub, r.version, "papers")
    touched = {_bucket_of(i, pub, r.version) for i in range(n, n + extra)}
    assert {b for b in base_files if folded[b] != base_files[b]} == touched
    assert shared_files(pub) == listed_files(pub)


@pytest.mark.parametrize("damage", ["flipped byte", "missing"])
def test_a_damaged_shared_file_is_rewritten_not_reused(tmp_path, monkeypatch, damage):
    many_buckets(monkeypatch)
    pub = tmp_path / "published"
    publish(pub, {"papers": papers(range(100)), "topics": topics()})
    topics_file = pub / _files_by_bucket(pub, "1.0.0", "topics")[0]
    if damage == "missing":
        topics_file.unlink()
    else:
        topics_file.write_bytes(topics_file.read_bytes()[:-1] + b"\x00")
    assert verify_release(pub / "1.0.0") != []
    publish(pub, {"papers": papers(range(101)), "topics": topics()}, day=1)  # topics unchanged
    assert _files_by_bucket(pub, "1.0.1", "topics")[0] == topics_file.relative_to(pub).as_posix()
    assert verify_release(pub / "1.0.1") == [] and verify_release(pub / "1.0.0") == []  # repaired in place
    assert read_diff(pub, "1.0.1", "topics") == []


def test_retention_deletes_only_shared_files_no_kept_release_lists(tmp_path, monkeypatch):
    many_buckets(monkeypatch)
    pub = tmp_path / "published"
    pub.mkdir()
    (pub / "pins.txt").write_text("1.0.0\n")
    listed_by = {}
    for n in range(5):
        r = publish(pub, {"papers": papers(range(100 + 10 * n)), "topics": topics()}, day=n, keep=2)
        listed_by[r.version] = {f["path"] for d in read_manifest(r.path)["datasets"].values() for f in d["files"]}
    assert list_versions(pub) == ["1.0.0", "1.0.3", "1.0.4"]
    kept = listed_by["1.0.0"] | listed_by["1.0.3"] | listed_by["1.0.4"]
    dropped_only = (listed_by["1.0.1"] | listed_by["1.0.2"]) - kept
    assert shared_files(pub) == kept and dropped_only and not dropped_only & shared_files(pub)
    assert listed_by["1.0.1"] & kept  # files 1.0.1 shared with kept releases (topics, ...) survived
    for v in list_versions(pub):
        assert verify_release(pub / v) == []
    assert read_data(pub, "1.0.0", "papers").num_rows == 100  # the pinned release still reads in full


def test_provenance_columns_are_not_updates(tmp_path):
    """Where and how often a paper was seen (sql/papers.sql: source_file, source_line, sightings,
    source_files) is published but not compared: only a real edit is an update."""
    from assets.publish.datasets import PROVENANCE_COLUMNS

    def corpus(n, seen=1, abstract=lambda i: f"Abstract {i}"):
        return pa.table({
            "paper_id": [f"{i:016x}" for i in range(n)], "title": [f"T{i}" for i in range(n)],
            "abstract": [abstract(i) for i in range(n)], "source_file": [f"dump_{seen}.txt"] * n,
            "source_line": [i * 4 + seen for i in range(n)], "sightings": [seen] * n, "source_files": [seen] * n,
            "parser_version": ["p1"] * n,
        })

    pub = tmp_path / "published"
    kw = {"keys": {"papers": ["paper_id"]}, "provenance_columns": PROVENANCE_COLUMNS}
    publish(pub, {"papers": corpus(50)}, **kw)
    seen_again = publish(pub, {"papers": corpus(50, seen=2)}, day=1, **kw)
    assert seen_again.published and seen_again.version == "1.0.1"  # the data changed: a new release
    assert seen_again.changes["papers"] == {"added": 0, "updated": 0, "removed": 0}
    assert read_data(pub, "1.0.1", "papers").column("sightings").to_pylist() == [2] * 50
    assert read_manifest(seen_again.path)["datasets"]["papers"]["provenance_columns"] == list(PROVENANCE_COLUMNS["papers"])

    edited = corpus(50, seen=3, abstract=lambda i: f"Abstract {i}" + (" (revised)" if i % 10 == 0 else ""))
    r = publish(pub, {"papers": edited}, day=2, **kw)
    assert r.changes["papers"] == {"added": 0, "updated": 5, "removed": 0}
    assert read_diff(pub, r.version, "papers") == [
        {"paper_id": f"{i:016x}", "change": "updated", "changed_fields": ["abstract"]} for i in range(0, 50, 10)
    ]
    without = publish(pub, {"papers": corpus(50, seen=4)}, day=3, keys={"papers": ["paper_id"]})
    assert without.changes["papers"]["updated"] == 50  # the same change counts when nothing is excluded


def test_bucket_of_a_row_is_the_documented_hash():
    """buckets.BUCKET_HASH, recomputed in plain Python from its description."""
    mask = 2**64 - 1

    def splitmix64(x):
        x = (x + 0x9E3779B97F4A7C15) & mask
        x = ((x ^ (x >> 30)) * 0xBF58476D1CE4E5B9) & mask
        x = ((x ^ (x >> 27)) * 0x94D049BB133111EB) & mask
        return x ^ (x >> 31)

    def bucket(text, n):
        data = text.encode()
        h = sum((b + 1) * pow(0x100000001B3, i, 2**64) for i, b in enumerate(data)) & mask
        return splitmix64(h ^ ((len(data) * 0x9E3779B97F4A7C15) & mask)) % n

    values = ["", "a", "0123456789abcdef", "ünïcødé ✓", "x" * 500, "12"]
    expected = [bucket(v, 64) for v in values] + [0]
    sliced = pa.array(["pad", *values[3:], None]).slice(1)  # a chunk with an offset
    for kind in (pa.string(), pa.large_string()):
        column = pa.chunked_array([pa.array(values[:3], kind), sliced.cast(kind)])
        assert buckets.bucket_ids(column, 64).tolist() == expected
    ints = pa.chunked_array([pa.array([12, 7], pa.int32())])  # numbers hash as their text
    assert buckets.bucket_ids(ints, 64).tolist() == [bucket("12", 64), bucket("7", 64)]


def test_bucket_count_follows_size_but_keeps_the_previous_count_while_it_fits():
    target = buckets.TARGET_BUCKET_BYTES
    assert buckets.bucket_count(0, None) == 1 and buckets.bucket_count(target // 2, None) == 1
    assert buckets.bucket_count(64 * target, None) == 64
    assert buckets.bucket_count(70 * target, 64) == 64 and buckets.bucket_count(200 * target, 64) == 64
    assert buckets.bucket_count(600 * target, 64) == 512  # 4x past the previous count: re-bucketed
    assert buckets.bucket_count(10 * target, 64) == 8


def test_a_new_bucket_count_rewrites_every_file_with_an_exact_diff(tmp_path, monkeypatch):
    pub = tmp_path / "published"
    publish(pub, {"papers": papers(range(100))})
    many_buckets(monkeypatch)  # 1 bucket before, many now: nothing is shared, the diff is computed whole
    r = publish(pub, {"papers": papers(range(102))}, day=1)
    assert read_manifest(r.path)["datasets"]["papers"]["buckets"] > 1
    assert r.changes["papers"] == {"added": 2, "updated": 0, "removed": 0}
    assert not set(_files_by_bucket(pub, "1.0.0", "papers").values()) & set(_files_by_bucket(pub, "1.0.1", "papers").values())
    assert verify_release(r.path) == []


def test_releases_of_the_first_format_are_still_read(tmp_path, monkeypatch):
    """A release written before shared files (papers-release/1: data inside the release folder, paths
    relative to it) verifies, is diffed against, and is never touched by garbage collection."""
    pub = tmp_path / "published"
    publish(pub, {"papers": papers(range(30))})
    old = pub / "1.0.0"
    manifest = read_manifest(old)
    for f in manifest["datasets"]["papers"]["files"]:
        (old / "papers").mkdir(exist_ok=True)
        (pub / f["path"]).rename(old / "papers" / "part-0.parquet")
        f["path"] = "papers/part-0.parquet"
        del f["bucket"], f["content_hash"]
    for f in manifest["diffs"].values():
        f["path"] = f["path"].removeprefix("1.0.0/")
    for f in manifest.pop("digests").values():  # the first format had no unit hashes
        (pub / f["path"]).unlink()
    (old / "digests").rmdir()
    manifest.update(format="papers-release/1", content_hash_algorithm="arrow-canonical-key-sorted-sha256/v1")
    for k in ("buckets", "bucket_hash", "provenance_columns"):
        del manifest["datasets"]["papers"][k]
    (old / "manifest.json").write_text(json.dumps(manifest))
    assert verify_release(old) == []
    assert dataset_files(old, "papers") == [old / "papers" / "part-0.parquet"]

    r = publish(pub, {"papers": papers(range(32))}, day=1)
    assert r.version == "1.0.1" and r.changes["papers"] == {"added": 2, "updated": 0, "removed": 0}
    assert verify_release(old) == [] and verify_release(r.path) == []
    assert read_data(pub, "1.0.1", "papers").num_rows == 32


# ------------------------------------------------------------------------------ real processes

PUBLISH_SCRIPT = textwrap.dedent(
    """
    import os, sys
    from datetime import datetime, timezone
    from pathlib import Path
    import pyarrow.parquet as pq
    from assets.publish import buckets
    from assets.publish.release import publish_release
    if os.environ.get("TEST_BUCKET_BYTES"):
        buckets.TARGET_BUCKET_BYTES = int(os.environ["TEST_BUCKET_BYTES"])
    pub, day = Path(sys.argv[1]), int(sys.argv[2])
    datasets = {arg.split("=")[0]: pq.read_table(arg.split("=")[1]) for arg in sys.argv[3:]}
    keys = {"papers": ["paper_id"], "topics": ["topic_id"]}
    r = publish_release(pub, datasets, keys={n: keys[n] for n in datasets}, inputs=[],
                        validation={"passed": True}, code_version="c", parser_version="p1",
                        now=datetime(2025, 2, day, tzinfo=timezone.utc))
    print(r.version, r.published)
    """
)


def _run_publisher(tmp_path, pub, datasets, day, env_extra=None, wait=True):
    """Publish ``datasets`` (a table is the papers dataset) in a child process."""
    datasets = datasets if isinstance(datasets, dict) else {"papers": datasets}
    script = tmp_path / "publish_script.py"
    script.write_text(PUBLISH_SCRIPT)
    args = []
    for name, table in datasets.items():
        src = tmp_path / f"input-{name}-{day}.parquet"
        pq.write_table(table, src)
        args.append(f"{name}={src}")
    env = {**os.environ, **(env_extra or {})}
    cmd = [sys.executable, str(script), str(pub), str(day), *args]
    if wait:
        return subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=300)
    return subprocess.Popen(cmd, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def _visible_versions(pub: Path) -> list[str]:
    """Release folders a reader can see (complete or not)."""
    return sorted(p.name for p in pub.iterdir() if p.is_dir() and p.name[0].isdigit())


@pytest.mark.parametrize("stage", ["data_written", "before_rename", "before_pointer"])
def test_sigkill_mid_publish_leaves_previous_release_latest(tmp_path, stage):
    pub = tmp_path / "published"
    publish(pub, {"papers": papers(range(50))})
    proc = _run_publisher(tmp_path, pub, papers(range(60)), 2, {CRASH_ENV: stage})
    assert proc.returncode == -signal.SIGKILL, proc.stderr
    assert latest_version(pub) == "1.0.0"
    assert verify_release(release_dir(pub)) == []
    visible = _visible_versions(pub)
    if stage == "before_pointer":
        assert visible == ["1.0.0", "1.0.1"] and verify_release(pub / "1.0.1") == []  # complete, unannounced
        assert shared_files(pub) == listed_files(pub)
    else:
        assert visible == ["1.0.0"]
        assert any(p.name.startswith(".tmp-") for p in pub.iterdir())  # debris, invisible to readers
        assert shared_files(pub) - listed_files(pub)  # the new data file is stored, no manifest lists it
    # the next run cleans the debris and publishes normally
    ok = _run_publisher(tmp_path, pub, papers(range(60)), 3)
    assert ok.returncode == 0, ok.stderr
    assert ok.stdout.split() == ["1.0.1", "True"]
    assert latest_version(pub) == "1.0.1" and verify_release(pub / "1.0.1") == []
    assert not [p for p in pub.iterdir() if p.name.startswith(".tmp-")]
    assert shared_files(pub) == listed_files(pub)


def test_sigkill_after_some_shared_files_then_next_publish_is_correct_and_collects_orphans(tmp_path):
    """Killed once the papers buckets are in the shared store (topics not yet): no manifest lists those
    files. The next publish, of other data, is exact and deletes the files nothing lists."""
    pub = tmp_path / "published"
    env = {"TEST_BUCKET_BYTES": "2000"}
    first = _run_publisher(tmp_path, pub, {"papers": papers(range(50)), "topics": topics()}, 1, env)
    assert first.returncode == 0, first.stderr
    before = shared_files(pub)
    killed = _run_publisher(tmp_path, pub, {"papers": papers(range(60), " v2"), "topics": topics(4)}, 2,
                            {**env, CRASH_ENV: "stored:papers"})
    assert killed.returncode == -signal.SIGKILL, killed.stderr
    orphans = shared_files(pub) - before
    assert len(orphans) > 1 and all(o.startswith("data/papers/") for o in orphans)
    assert latest_version(pub) == "1.0.0" and verify_release(pub / "1.0.0") == []

    ok = _run_publisher(tmp_path, pub, {"papers": papers(range(55)), "topics": topics(4)}, 3, env)
    assert ok.returncode == 0, ok.stderr
    assert ok.stdout.split() == ["1.0.1", "True"] and verify_release(pub / "1.0.1") == []
    assert read_diff(pub, "1.0.1", "papers") == [
        {"paper_id": f"{i:016x}", "change": "added", "changed_fields": []} for i in range(50, 55)
    ]
    assert [d["change"] for d in read_diff(pub, "1.0.1", "topics")] == ["added"]
    assert sorted(read_data(pub, "1.0.1", "papers").column("paper_id").to_pylist()) == [f"{i:016x}" for i in range(55)]
    assert shared_files(pub) == listed_files(pub) and not orphans & shared_files(pub)
    assert not [p for p in pub.iterdir() if p.name.startswith(".tmp-")]


def test_external_sigkill_after_tmp_folder_appears(tmp_path):
    pub = tmp_path / "published"
    publish(pub, {"papers": papers(range(50))})
    big = papers(range(300_000))
    proc = _run_publisher(tmp_path, pub, big, 2, wait=False)
    deadline = time.time() + 120
    while time.time() < deadline and proc.poll() is None:
        if any(p.name.startswith(".tmp-1.") for p in pub.iterdir()):
            break
        time.sleep(0.002)
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=60)
    proc.stdout.close()
    proc.stderr.close()
    # whether the kill landed mid-write or not, readers see a complete release
    latest = latest_version(pub)
    assert latest in {"1.0.0", "1.0.1"}
    assert verify_release(release_dir(pub)) == []
    for v in _visible_versions(pub):
        assert verify_release(pub / v) == []
    if proc.returncode == -signal.SIGKILL:
        assert latest == "1.0.0"
    print("external kill landed mid-publish:", proc.returncode == -signal.SIGKILL)


CONSUMER_SCRIPT = textwrap.dedent(
    """
    # reads releases as docs/datasets.md tells a consumer to: no code of this project
    import hashlib, json, sys
    from pathlib import Path
    import duckdb, polars as pl, pyarrow.dataset as ds

    pub = Path(sys.argv[1])
    version = json.loads((pub / "latest.json").read_text())["version"]
    manifest = json.loads((pub / version / "manifest.json").read_text())
    for d in manifest["datasets"].values():
        for f in d["files"]:
            data = (pub / f["path"]).read_bytes()
            assert len(data) == f["bytes"] and hashlib.sha256(data).hexdigest() == f["sha256"], f
    for f in manifest["diffs"].values():
        assert hashlib.sha256((pub / f["path"]).read_bytes()).hexdigest() == f["sha256"]

    files = [str(pub / f["path"]) for f in manifest["datasets"]["papers"]["files"]]
    papers = pl.read_parquet(files)
    assert papers.height == manifest["datasets"]["papers"]["rows"] and papers["paper_id"].n_unique() == papers.height
    assert all(pl.read_parquet(f)["paper_id"].is_sorted() for f in files)
    t = ds.dataset(files, format="parquet").to_table()
    assert t.num_rows == papers.height and t.schema.field("source_line").type == "int64"
    n = duckdb.execute("SELECT count(*) FROM read_parquet(?)", [files]).fetchall()[0][0]
    assert n == papers.height
    diff = str(pub / manifest["diffs"]["papers"]["path"])
    added = duckdb.execute("SELECT paper_id FROM read_parquet(?) WHERE change = 'added' ORDER BY 1", [diff]).fetchall()
    upd = pl.read_parquet(diff).filter(pl.col("change") == "updated")

    pinned = [l.strip() for l in (pub / "pins.txt").read_text().splitlines() if l.strip() and not l.startswith("#")][0]
    old_manifest = json.loads((pub / pinned / "manifest.json").read_text())
    old = pl.read_parquet([str(pub / f["path"]) for f in old_manifest["datasets"]["papers"]["files"]])
    print(json.dumps({"version": version, "rows": papers.height, "added": [a[0] for a in added],
                      "updated": upd["changed_fields"].to_list(), "pinned": pinned, "pinned_rows": old.height,
                      "files": len(files)}))
    """
)


def test_consumer_in_separate_process(tmp_path, monkeypatch):
    many_buckets(monkeypatch)
    pub = tmp_path / "published"
    pub.mkdir()
    (pub / "pins.txt").write_text("# consumers pinned to the first release\n1.0.0\n")
    publish(pub, {"papers": papers(range(40))}, keep=1)
    t = papers(range(42))
    titles = t.column("title").to_pylist()
    titles[0] = "changed"
    publish(pub, {"papers": t.set_column(1, "title", pa.array(titles))}, day=1, keep=1)
    assert list_versions(pub) == ["1.0.0", "1.0.1"]
    script = tmp_path / "consumer.py"
    script.write_text(CONSUMER_SCRIPT)
    out = subprocess.run([sys.executable, str(script), str(pub)], capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    result = json.loads(out.stdout)
    assert result.pop("files") > 1
    assert result == {
        "version": "1.0.1", "rows": 42, "added": [f"{40:016x}", f"{41:016x}"], "updated": [["title"]],
        "pinned": "1.0.0", "pinned_rows": 40,
    }


def test_incremental_layout_hashes_the_changed_units_only_and_equals_a_full_publish(tmp_path, monkeypatch):
    """A change record leading from the previous release's source file names the changed keys: the
    release hashes only their units (no full layout) and equals, hash for hash and diff for diff, a
    publish that hashes everything; a record not starting at the previous source is not trusted."""
    from assets.publish.release import Source

    many_buckets(monkeypatch)
    before = papers(range(400))
    edited = papers([5], title_suffix=" (revised)")
    after = pa.concat_tables([papers(range(1, 5)), edited, papers(range(6, 400)), papers(range(1000, 1010))])
    changed = [f"{i:016x}" for i in (0, 5, *range(1000, 1010))]
    link = {"base": "a" * 64, "target": "b" * 64, "keys": changed}

    full, incremental = tmp_path / "full", tmp_path / "incremental"
    publish(full, {"papers": before})
    publish(full, {"papers": after}, day=1)
    publish(incremental, {"papers": before}, sources={"papers": Source("a" * 64)})
    full_layouts = []
    monkeypatch.setattr(rel, "plan_layout", lambda *a, **k: full_layouts.append(a[0]) or plan_layout(*a, **k))
    result = publish(incremental, {"papers": after}, day=1, sources={"papers": Source("b" * 64, [link])})
    assert full_layouts == [] and result.changes["papers"] == {"added": 10, "updated": 1, "removed": 1}
    version = result.version
    a, b = read_manifest(full / version)["datasets"]["papers"], read_manifest(incremental / version)["datasets"]["papers"]
    assert b["source_sha256"] == "b" * 64 and a["buckets"] > 4
    assert (a["content_hash"], a["bucket_hashes"], a["changes"]) == (b["content_hash"], b["bucket_hashes"], b["changes"])
    assert pq.read_table(full / a["diff"]).equals(pq.read_table(incremental / b["diff"]))
    assert read_data(full, version, "papers").sort_by("paper_id").equals(
        read_data(incremental, version, "papers").sort_by("paper_id"))
    assert verify_release(incremental / version) == [] and latest_version(full) == version

    # a record that does not start at the source of that release: every bucket is hashed again
    stray = {"base": "c" * 64, "target": "d" * 64, "keys": []}
    publish(incremental, {"papers": papers(range(1, 400))}, day=2, sources={"papers": Source("d" * 64, [stray])})
    assert full_layouts == ["papers"]
    # the same file as the last release's source: nothing changed, nothing is hashed or published
    result = publish(incremental, {"papers": papers(range(1, 400))}, day=3, sources={"papers": Source("d" * 64)})
    assert full_layouts == ["papers"] and not result.published


def test_change_links_chain_over_held_back_releases_and_break_on_a_gap(tmp_path):
    """assets/core/table_changes.py: links add up from any file a release was published from; an unchanged
    file adds none; a write that does not start where the last link ended (a killed run, a hand edit)
    breaks the chain, and a link of unknown keys makes the sum unknown."""
    from assets.core.table_changes import changed_since, read_links, record_change

    table = tmp_path / "staging" / "tables" / "papers.parquet"
    table.parent.mkdir(parents=True)
    record_change(table, None, "A", None)
    assert read_links(table) == []
    record_change(table, "A", "B", ["x"])
    record_change(table, "B", "B", [])
    record_change(table, "B", "C", ["y", "x"])
    links = read_links(table)
    assert changed_since(links, "A", "C") == ["x", "y"] and changed_since(links, "B", "C") == ["x", "y"]
    assert changed_since(links, "C", "C") == [] and changed_since(links, "Z", "C") is None
    assert changed_since(links, "A", "B") is None  # the table file is not the last link's target
    record_change(table, "C", "D", None)
    assert changed_since(read_links(table), "A", "D") is None
    record_change(table, "Q", "R", ["z"])  # a gap: only the new link is left
    assert changed_since(read_links(table), "A", "R") is None and changed_since(read_links(table), "Q", "R") == ["z"]


def test_release_from_a_change_record_reads_only_the_rows_it_needs(tmp_path, monkeypatch):
    """Staged tables read on demand (TablesOnDemand): with a trusted change record the release reads the
    key column, then only the rows of the dirty units, the added keys and the rewritten buckets - not the
    whole file - and publishes exactly what a publish of the whole table (no record) publishes."""
    from assets.publish.datasets import TablesOnDemand
    from assets.publish.partial import PartialTable
    from assets.publish.release import Source

    many_buckets(monkeypatch)
    monkeypatch.setattr(buckets, "TARGET_UNIT_ROWS", 1)  # units of ~1 row: few rows read, as 64 among 1M
    monkeypatch.setattr(store, "DICTIONARY_SAMPLE_ROWS", 50)
    before = papers(range(3000))
    after = pa.concat_tables([papers(range(1, 7)), papers([7], title_suffix=" (revised)"), papers(range(8, 3000)),
                              papers(range(5000, 5004))]).sort_by("paper_id")
    changed = [f"{i:016x}" for i in (0, 7, *range(5000, 5004))]
    staged = tmp_path / "staged" / "papers.parquet"
    staged.parent.mkdir()

    def stage(table: pa.Table) -> Source:
        pq.write_table(table, staged, row_group_size=100)
        return Source(sha256_file(staged))

    full, incremental = tmp_path / "full", tmp_path / "incremental"
    publish(full, {"papers": before})
    publish(full, {"papers": after}, day=1)
    first = stage(before)
    publish(incremental, TablesOnDemand({"papers": staged}), sources={"papers": first})
    second = stage(after)
    link = {"base": first.sha256, "target": second.sha256, "keys": changed}
    readers = []
    real_partial = TablesOnDemand.partial
    monkeypatch.setattr(TablesOnDemand, "partial", lambda self, n: readers.append(real_partial(self, n)) or readers[-1])
    result = publish(incremental, TablesOnDemand({"papers": staged}), day=1,
                     sources={"papers": Source(second.sha256, [link])})

    assert result.incremental == ["papers"] and [type(r) for r in readers] == [PartialTable]
    assert result.changes["papers"] == {"added": 4, "updated": 1, "removed": 1}
    manifest = read_manifest(incremental / result.version)["datasets"]["papers"]
    assert manifest["buckets"] >= 64 and manifest["units_per_bucket"] >= 8  # a dirty unit holds ~1 row
    assert 6 <= readers[0].rows_read < after.num_rows // 10
    assert readers[0].row_groups_read < pq.ParquetFile(staged).metadata.num_row_groups
    expected = read_manifest(full / result.version)["datasets"]["papers"]
    assert (expected["content_hash"], expected["bucket_hashes"], expected["changes"]) == \
        (manifest["content_hash"], manifest["bucket_hashes"], manifest["changes"])
    assert pq.read_table(full / expected["diff"]).equals(pq.read_table(incremental / manifest["diff"]))
    assert read_data(full, result.version, "papers").sort_by("paper_id").equals(
        read_data(incremental, result.version, "papers").sort_by("paper_id"))
    assert verify_release(incremental / result.version) == []


def test_partial_table_reads_each_row_group_once_and_takes_like_the_whole_table(tmp_path):
    """PartialTable: rows by position in any order (repeats included) equal the whole table's; only the
    row groups holding them are read, and rows already read are not read again."""
    import numpy as np

    from assets.publish.datasets import TablesOnDemand

    path = tmp_path / "papers.parquet"
    pq.write_table(papers(range(1000)), path, row_group_size=100)
    whole = TablesOnDemand({"papers": path})["papers"]
    partial = TablesOnDemand({"papers": path}).partial("papers")
    assert partial.schema == whole.schema and partial.num_rows == 1000
    first = np.array([950, 3, 3, 120, 999, 0])
    assert partial.take(first).equals(whole.take(first))
    assert (partial.rows_read, partial.row_groups_read) == (5, 3)
    again = np.array([0, 950, 121])
    assert partial.take(again).equals(whole.take(again)) and (partial.rows_read, partial.row_groups_read) == (6, 4)
    shuffled = np.random.default_rng(1).permutation(1000)
    assert partial.take(shuffled).equals(whole.take(shuffled))  # most rows: one whole read
    assert (partial.rows_read, partial.row_groups_read) == (1000, 10)
    assert partial.select(["paper_id"]).equals(whole.select(["paper_id"]))
    with pytest.raises(IndexError):
        partial.take(np.array([1000]))


def test_a_partial_read_is_chosen_only_while_the_dirty_units_hold_few_rows():
    """+210 papers at 1M, units of ~64 rows (content hash v4): papers (128 buckets x 128 units),
    paper_categories (32 x 2,048) and paper_topics (4 x 4,096) have ~1% of their units dirty and are read
    partially; with 16 units a bucket (v3) paper_topics (64 units) and paper_categories (512) were not."""
    from assets.publish.buckets import units_per_bucket
    from assets.publish.partial import worth_reading_partially

    assert units_per_bucket(1_000_000, 128, None) == 128 and units_per_bucket(3_993_040, 32, None) == 2048
    assert units_per_bucket(1_374_385, 4, None) == 4096 and units_per_bucket(100, 1, None) == 2
    assert units_per_bucket(1_000_210, 128, 64) == 64 and units_per_bucket(1_000_210, 128, 16) == 128  # x4 kept
    for buckets, units in ((128, 128), (32, 2048), (4, 4096)):
        assert worth_reading_partially(210, buckets * units)
    assert worth_reading_partially(0, 16) and not worth_reading_partially(210, 4 * 16)
    assert not worth_reading_partially(210, 32 * 16) and not worth_reading_partially(1, 0)


def test_unit_hashes_of_list_columns_equal_the_unit_by_unit_canonical_form():
    """content_hash.unit_hashes writes a list column's streams for every unit at once (a 1M-row
    paper_categories has ~60k units): each unit's hash equals the one fed unit by unit through
    _feed_array, empty lists and empty units included; a NULL list goes unit by unit."""
    import hashlib

    import numpy as np

    from assets.publish import content_hash as ch

    def reference(rows: pa.Table, bounds) -> list[str]:
        out = []
        for u in range(len(bounds) - 1):
            streams: dict = {}
            part = rows.slice(int(bounds[u]), int(bounds[u + 1] - bounds[u]))
            for name, column in zip(part.schema.names, part.columns):
                ch._feed_array(streams, name, column.combine_chunks())
            digest = hashlib.sha256(json.dumps({k: h.hexdigest() for k, h in streams.items()}, sort_keys=True)
                                    .encode()).hexdigest()
            head = json.dumps({"schema": "fp", "key": ["id"], "rows": int(bounds[u + 1] - bounds[u])}, sort_keys=True)
            out.append(hashlib.sha256(f"{head}\n{digest}".encode()).hexdigest())
        return out

    terms = [["a", "bb"], [], ["ccc"], [], ["d", "", "e"], ["f"], [], ["g"]]
    rows = pa.table({"id": list(range(8)), "terms": pa.array(terms, pa.list_(pa.string()))}).slice(0)
    bounds = np.array([0, 2, 2, 4, 4, 7, 8])  # empty units 1 and 3, a unit of empty lists only would be 2..4
    assert ch.unit_hashes(rows, bounds, "fp", ["id"]) == reference(rows, bounds)
    assert len(set(ch.unit_hashes(rows, bounds, "fp", ["id"]))) == 5  # two empty units, one hash
    shifted = rows.slice(1)  # a slice: offsets that do not start at 0
    assert ch.unit_hashes(shifted, bounds[:-1], "fp", ["id"]) == reference(shifted, bounds[:-1])
    with_null = rows.set_column(1, "terms", pa.array([*terms[:3], None, *terms[4:]], pa.list_(pa.string())))
    assert ch.unit_hashes(with_null, bounds, "fp", ["id"]) == reference(with_null, bounds)
    assert ch.unit_hashes(with_null, bounds, "fp", ["id"]) != ch.unit_hashes(rows, bounds, "fp", ["id"])


def test_a_release_step_hashes_each_file_once_and_a_file_changed_since_is_hashed_again(tmp_path, monkeypatch):
    """store.hashes_remembered (the release step): verify_release after a publish reads none of the files
    the publisher hashed; a file changed in place since (same size, mtime put back) has a new ctime and is
    hashed again, so the check still fails; outside the step every call hashes."""
    pub = tmp_path / "published"
    publish(pub, {"papers": papers(range(50))})
    calls = []
    real = store.sha256_file
    monkeypatch.setattr(store, "sha256_file", lambda path: calls.append(Path(path)) or real(path))
    with store.hashes_remembered():
        result = publish(pub, {"papers": papers(range(52))}, day=1)
        hashed = len(calls)
        assert hashed and verify_release(result.path, store.file_sha256) == [] and len(calls) == hashed
        entry = read_manifest(result.path)["datasets"]["papers"]["files"][0]
        target = pub / entry["path"]
        before = target.stat()
        time.sleep(0.05)  # past the clock tick of the write (ctime has the kernel's coarse resolution)
        data = bytearray(target.read_bytes())
        data[len(data) // 2] ^= 0xFF
        with open(target, "r+b") as f:
            f.write(data)
        os.utime(target, ns=(before.st_atime_ns, before.st_mtime_ns))
        assert target.stat().st_size == before.st_size and target.stat().st_mtime_ns == before.st_mtime_ns
        assert f"{entry['path']}: sha256 mismatch" in verify_release(result.path, store.file_sha256)
    calls.clear()
    store.file_sha256(target), store.file_sha256(target)
    assert calls == [target, target]
