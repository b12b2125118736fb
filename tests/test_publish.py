"""Tests for assets.publish.release: versioned, content-addressed public releases."""

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

from assets.publish import release as rel
from assets.publish import store
from assets.publish.content_hash import rows_digest
from assets.publish.diff import compute_diff
from assets.publish.store import sorted_parts
from assets.core.release_format import latest_version, list_versions, release_dir, verify_release
from assets.core.storage import CRASH_ENV
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
    m = json.loads((pub / version / "manifest.json").read_text())
    return pa.concat_tables(pq.read_table(pub / version / f["path"]) for f in m["datasets"][name]["files"])


# ----------------------------------------------------------------------------------------------


def test_first_release_layout_and_manifest(tmp_path, monkeypatch):
    monkeypatch.setattr(store, "ROW_GROUP_SIZE", 10)
    monkeypatch.setattr(store, "TARGET_FILE_BYTES", 2000)  # force several files per dataset
    pub = tmp_path / "published"
    data = papers(range(49, -1, -1))  # reverse order: must come out sorted
    r = publish(pub, {"papers": data, "topics": topics()})
    assert (r.version, r.published, r.previous_version, r.bump) == ("1.0.0", True, None, "initial")
    assert r.path == pub / "1.0.0"
    assert r.changes == {"papers": {"added": 50, "updated": 0, "removed": 0}, "topics": {"added": 3, "updated": 0, "removed": 0}}
    assert latest_version(pub) == "1.0.0" and release_dir(pub) == pub / "1.0.0"
    assert json.loads((pub / "latest.json").read_text()) == {"version": "1.0.0"}
    assert verify_release(pub / "1.0.0") == []

    m = json.loads((pub / "1.0.0" / "manifest.json").read_text())
    for k in ["version", "created_at", "code_version", "parser_version", "previous_version", "inputs", "validation", "datasets", "content_hash"]:
        assert k in m
    assert m["created_at"].startswith("2025-01-01") and m["previous_version"] is None
    assert m["validation"]["passed"] is True and m["inputs"][0]["sha256"] == "ab" * 32
    ds = m["datasets"]["papers"]
    assert ds["rows"] == 50 and ds["key"] == ["paper_id"]
    assert ds["changes"] == {"added": 50, "updated": 0, "removed": 0}
    assert ds["schema"][0] == {"name": "paper_id", "type": "string", "nullable": False}
    assert len(ds["schema_fingerprint"]) == 64 and len(ds["content_hash"]) == 64
    assert len(ds["files"]) > 1
    assert [f["path"] for f in ds["files"]] == [f"papers/part-{i}.parquet" for i in range(len(ds["files"]))]
    for f in ds["files"]:
        meta = pq.ParquetFile(pub / "1.0.0" / f["path"]).metadata
        assert meta.row_group(0).column(0).compression == "ZSTD"
        assert all(meta.row_group(i).num_rows <= 10 for i in range(meta.num_row_groups))
    table = read_data(pub, "1.0.0", "papers")
    assert table.schema.equals(PAPERS_SCHEMA)  # explicit Arrow types preserved (incl. NOT NULL)
    assert table.column("paper_id").to_pylist() == sorted(table.column("paper_id").to_pylist())
    assert read_data(pub, "1.0.0", "topics").schema.equals(TOPICS_SCHEMA)
    diff = read_diff(pub, "1.0.0", "papers")
    assert len(diff) == 50 and {d["change"] for d in diff} == {"added"} and diff[0]["changed_fields"] == []
    assert "## 1.0.0" in (pub / "CHANGELOG.md").read_text()
    assert not [p for p in pub.iterdir() if p.name.startswith(".tmp-")]


def test_identical_data_in_other_order_publishes_nothing(tmp_path):
    pub = tmp_path / "published"
    first = publish(pub, {"papers": papers(range(100)), "topics": topics()})
    shuffled = papers(list(range(50, 100)) + list(range(50)))
    shuffled = pa.concat_tables([shuffled.slice(0, 30), shuffled.slice(30)])  # different chunking too
    again = publish(pub, {"topics": topics().take([2, 0, 1]), "papers": shuffled}, day=3)
    assert again.published is False and again.version == "1.0.0" == first.version
    assert again.content_hash == first.content_hash
    assert sorted(p.name for p in pub.iterdir() if not p.name.startswith(".")) == ["1.0.0", "CHANGELOG.md", "latest.json"]
    assert (pub / "CHANGELOG.md").read_text().count("## ") == 1


def test_data_changes_make_patch_releases_with_exact_diffs(tmp_path):
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


def test_content_hash_is_canonical_for_nulls_nested_and_chunking():
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
    digest = lambda t: rows_digest(sorted_parts(t, ["k"]))  # noqa: E731
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
    part = r.path / "papers" / "part-0.parquet"
    data = bytearray(part.read_bytes())
    data[100] ^= 0xFF
    part.write_bytes(bytes(data))
    (r.path / "stray.txt").write_text("x")
    problems = verify_release(r.path)
    assert any("sha256 mismatch" in p for p in problems) and any("stray.txt" in p for p in problems)
    part.unlink()
    assert any("missing" in p for p in verify_release(r.path))


# ------------------------------------------------------------------------------ real processes

PUBLISH_SCRIPT = textwrap.dedent(
    """
    import sys
    from datetime import datetime, timezone
    from pathlib import Path
    import pyarrow.parquet as pq
    from assets.publish.release import publish_release
    pub, src, day = Path(sys.argv[1]), Path(sys.argv[2]), int(sys.argv[3])
    r = publish_release(pub, {"papers": pq.read_table(src)}, keys={"papers": ["paper_id"]}, inputs=[],
                        validation={"passed": True}, code_version="c", parser_version="p1",
                        now=datetime(2025, 2, day, tzinfo=timezone.utc))
    print(r.version, r.published)
    """
)


def _run_publisher(tmp_path, pub, table, day, env_extra=None, wait=True):
    script = tmp_path / "publish_script.py"
    script.write_text(PUBLISH_SCRIPT)
    src = tmp_path / f"input-{day}.parquet"
    pq.write_table(table, src)
    env = {**os.environ, **(env_extra or {})}
    cmd = [sys.executable, str(script), str(pub), str(src), str(day)]
    if wait:
        return subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=300)
    return subprocess.Popen(cmd, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def _visible_versions(pub: Path) -> list[str]:
    return sorted(p.name for p in pub.iterdir() if p.is_dir() and not p.name.startswith("."))


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
    else:
        assert visible == ["1.0.0"]
        assert any(p.name.startswith(".tmp-") for p in pub.iterdir())  # debris, invisible to readers
    # the next run cleans the debris and publishes normally
    ok = _run_publisher(tmp_path, pub, papers(range(60)), 3)
    assert ok.returncode == 0, ok.stderr
    assert ok.stdout.split() == ["1.0.1", "True"]
    assert latest_version(pub) == "1.0.1" and verify_release(pub / "1.0.1") == []
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
    import hashlib, json, sys
    from pathlib import Path
    import duckdb, polars as pl, pyarrow.dataset as ds

    pub = Path(sys.argv[1])
    version = json.loads((pub / "latest.json").read_text())["version"]
    root = pub / version
    manifest = json.loads((root / "manifest.json").read_text())
    for d in manifest["datasets"].values():
        for f in d["files"]:
            data = (root / f["path"]).read_bytes()
            assert len(data) == f["bytes"] and hashlib.sha256(data).hexdigest() == f["sha256"], f
    for f in manifest["diffs"].values():
        assert hashlib.sha256((root / f["path"]).read_bytes()).hexdigest() == f["sha256"]

    papers = pl.read_parquet(root / "papers" / "*.parquet")
    assert papers.height == manifest["datasets"]["papers"]["rows"]
    assert papers["paper_id"].is_sorted()
    t = ds.dataset(root / "papers", format="parquet").to_table()
    assert t.num_rows == papers.height and t.schema.field("source_line").type == "int64"
    n = duckdb.sql(f"SELECT count(*) FROM read_parquet('{root}/papers/*.parquet')").fetchall()[0][0]
    assert n == papers.height
    added = duckdb.sql(
        f"SELECT paper_id FROM read_parquet('{root}/diffs/papers.parquet') WHERE change = 'added' ORDER BY 1"
    ).fetchall()
    upd = pl.read_parquet(root / "diffs" / "papers.parquet").filter(pl.col("change") == "updated")

    pinned = [l.strip() for l in (pub / "pins.txt").read_text().splitlines() if l.strip() and not l.startswith("#")][0]
    old = pl.read_parquet(pub / pinned / "papers" / "*.parquet")
    print(json.dumps({"version": version, "rows": papers.height, "added": [a[0] for a in added],
                      "updated": upd["changed_fields"].to_list(), "pinned": pinned, "pinned_rows": old.height}))
    """
)


def test_consumer_in_separate_process(tmp_path):
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
    assert result == {
        "version": "1.0.1", "rows": 42, "added": [f"{40:016x}", f"{41:016x}"], "updated": [["title"]],
        "pinned": "1.0.0", "pinned_rows": 40,
    }


# ------------------------------------------------------------------------------------- benchmark


def _big_papers(n: int, seed: int = 0) -> pa.Table:
    import numpy as np

    rng = np.random.default_rng(seed)
    vocab = np.array([f"w{i:x}" for i in range(20_000)] + ["model", "data", "speedup", "memory", "graph"])
    corpus = " ".join(rng.choice(vocab, 12_000_000).tolist())
    offsets = rng.integers(0, len(corpus) - 1300, n)
    abstracts = [corpus[o : o + 1200] for o in offsets.tolist()]
    return pa.table(
        {
            "paper_id": pa.array([f"{i:016x}" for i in rng.permutation(n * 2)[:n].tolist()], pa.string()),
            "title": pa.array([a[:90] for a in abstracts], pa.string()),
            "abstract": pa.array(abstracts, pa.string()),
            "source_file": pa.array([f"dump_{i % 40}.txt" for i in range(n)], pa.string()),
            "source_line": pa.array(np.arange(n, dtype=np.int64) * 4 + 1),
            "parser_version": pa.array(["p1"] * n, pa.string()),
        }
    )


@pytest.mark.skipif(not os.environ.get("PUBLISH_BENCH"), reason="set PUBLISH_BENCH=1 (1M rows, ~1 min)")
def test_benchmark_publish_1m_rows(tmp_path):
    n = int(os.environ.get("PUBLISH_BENCH_ROWS", "1000000"))
    pub = tmp_path / "published"
    v1 = _big_papers(n)
    t = time.perf_counter()
    r1 = publish(pub, {"papers": v1})
    first = time.perf_counter() - t

    # 1% removed, 1% updated (title), 1% added
    k = n // 100
    kept = v1.slice(k)
    titles = kept.column("title").to_pylist()
    for i in range(k):
        titles[i] = titles[i] + " (revised)"
    kept = kept.set_column(1, "title", pa.array(titles, pa.string()))
    extra = _big_papers(k, seed=1)
    extra = extra.set_column(0, "paper_id", pa.array([f"new{i:013x}" for i in range(k)], pa.string()))
    v2 = pa.concat_tables([kept, extra])
    t = time.perf_counter()
    r2 = publish(pub, {"papers": v2}, day=1)
    second = time.perf_counter() - t
    assert r2.changes["papers"] == {"added": k, "updated": k, "removed": k}

    files = [str(pub / "1.0.0" / f["path"]) for f in json.loads((pub / "1.0.0/manifest.json").read_text())["datasets"]["papers"]["files"]]
    t = time.perf_counter()
    diff = compute_diff(new=v2, new_schema=v2.schema, new_key=["paper_id"], old=files,
                            old_schema=pq.read_schema(files[0]), old_key=["paper_id"], nullable_key=False)
    diff_only = time.perf_counter() - t
    t = time.perf_counter()
    problems = verify_release(r2.path)
    verify = time.perf_counter() - t
    assert diff.num_rows == 3 * k and problems == []
    size = sum(f["bytes"] for f in json.loads((r2.path / "manifest.json").read_text())["datasets"]["papers"]["files"])
    print(
        f"\nrows={n} arrow={v1.nbytes / 1e9:.2f}GB parquet={size / 1e6:.0f}MB files={len(list((r2.path / 'papers').iterdir()))}"
        f"\nfirst publish {first:.1f}s | second publish incl. diff {second:.1f}s | diff alone {diff_only:.1f}s"
        f" | verify_release {verify:.1f}s"
        f"\nfirst phases {({k: round(v, 1) for k, v in r1.timings.items()})}"
        f"\nsecond phases {({k: round(v, 1) for k, v in r2.timings.items()})}"
    )
