"""A corpus refresh merges the changed files' papers into the verified previous build (assets/ingest/corpus.py,
PreviousCorpus) and derives again only those papers; the tables equal a full build of the same landing folder."""

from __future__ import annotations

import hashlib
import os
import shutil
import time
from pathlib import Path

import polars as pl
import pyarrow.parquet as pq

from assets.ingest.corpus import CorpusChanges, build_corpus
from assets.ingest.landing import ingest_file, scan_landing
from assets.ingest.parser import paper_id_for

SEED = Path(__file__).resolve().parents[1] / "data" / "landing" / "hf_papers_memory.txt"
LINES = SEED.read_text(encoding="utf-8").split("\n")
TITLES = [LINES[2].removeprefix("Subscribe")] + LINES[4::2]
ABSTRACTS = LINES[3::2]
NEW_TITLE = "Brand New Memory: A Paper Only In The Second Dump"


def _refresh(root: Path) -> CorpusChanges:
    """What the corpus asset does with the tables: build (merging when it can), then record."""
    files, skipped = scan_landing(root / "landing")
    outputs = [ingest_file(f, root / "ingest") for f in files]
    changes = CorpusChanges(root / "staging" / "tables", root / "tmp" / "corpus")
    build_corpus(outputs, {}, root / "staging" / "tables", root / "tmp" / "duckdb", skipped,
                 previous=changes.previous)
    changes.record(outputs, {})
    return changes


def _full(root: Path, scratch: Path) -> dict:
    """The same landing folder built from nothing, by the full path."""
    shutil.rmtree(scratch, ignore_errors=True)
    shutil.copytree(root / "landing", scratch / "landing", copy_function=shutil.copy2)
    assert _refresh(scratch).previous is None
    return _tables(scratch)


def _tables(root: Path) -> dict:
    return {t: pq.read_table(root / "staging" / "tables" / f"{t}.parquet") for t in ("papers", "paper_sources")}


def _equal(a: dict, b: dict) -> bool:
    return all(a[t].schema == b[t].schema and a[t].to_pylist() == b[t].to_pylist() for t in a)


def test_a_refresh_derives_only_the_changed_files_papers_and_equals_a_full_build(tmp_path):
    root, landing = tmp_path / "w", tmp_path / "w" / "landing"
    landing.mkdir(parents=True)
    old = landing / "z_old.txt"
    old.write_bytes(SEED.read_bytes())
    os.utime(old, ns=(10**18, 10**18))
    assert _refresh(root).previous is None  # nothing to merge into: the full path

    new = landing / "a_new.txt"  # revises paper 5, repeats paper 9, adds one paper; landed later
    new.write_text("\n".join([TITLES[5], ABSTRACTS[5] + " We release the code.", TITLES[9], ABSTRACTS[9],
                              NEW_TITLE, ABSTRACTS[0].replace("PP", "QQ")]) + "\n", encoding="utf-8")
    os.utime(new, ns=(2 * 10**18, 2 * 10**18))
    changes = _refresh(root)
    expected = sorted(paper_id_for(t) for t in (TITLES[5], TITLES[9], NEW_TITLE))
    assert changes.previous is not None and changes.previous.changed == expected
    merged = _tables(root)
    assert _equal(merged, _full(root, tmp_path / "scratch"))
    texts = pl.read_parquet(root / "staging" / "tables" / "papers.parquet", columns=["paper_id", "title", "abstract"])
    assert changes.previous.texts.equals(texts)  # kept for the suite's columns: exactly what was written
    p5 = next(p for p in merged["papers"].to_pylist() if p["paper_id"] == paper_id_for(TITLES[5]))
    assert p5["abstract"].endswith("We release the code.") and p5["sightings"] == 2
    papers = root / "staging" / "tables" / "papers.parquet"
    inode = papers.stat().st_ino
    unchanged = _refresh(root).previous
    assert unchanged.changed == [] and unchanged.texts is None  # nothing changed: the files stay, unwritten
    assert papers.stat().st_ino == inode and _equal(_tables(root), merged)

    new.unlink()  # paper 5 is held by the unchanged old file too: its old text comes back from there
    changes = _refresh(root)
    assert changes.previous.changed == expected
    assert _equal(_tables(root), _full(root, tmp_path / "scratch"))

    old.write_text(SEED.read_text(encoding="utf-8").replace(ABSTRACTS[3], ABSTRACTS[3] + " Revised."),
                   encoding="utf-8")  # an edited file: its papers (all of them) are derived again
    assert len(_refresh(root).previous.changed) == len(TITLES)
    assert _equal(_tables(root), _full(root, tmp_path / "scratch"))


def test_a_previous_build_that_fails_its_sha256_is_not_merged_into(tmp_path):
    root, landing = tmp_path / "w", tmp_path / "w" / "landing"
    landing.mkdir(parents=True)
    (landing / "seed.txt").write_bytes(SEED.read_bytes())
    _refresh(root)
    papers = root / "staging" / "tables" / "papers.parquet"
    table = pq.read_table(papers)
    pq.write_table(table.slice(1), papers)  # a row lost by hand: not the file the last build recorded
    (landing / "more.txt").write_text(f"{NEW_TITLE}\n{ABSTRACTS[0]} Extended.\n", encoding="utf-8")
    assert _refresh(root).previous is None  # the full path runs and the lost row is back
    assert _equal(_tables(root), _full(root, tmp_path / "scratch"))
    assert pq.read_table(papers).num_rows == table.num_rows + 1


def test_promoting_a_table_not_rewritten_since_its_last_promotion_leaves_no_temp_file(tmp_path):
    from assets.publish.promote import promote_tables

    staged, target = tmp_path / "staging", tmp_path / "tables"
    staged.mkdir()
    (staged / "papers.parquet").write_bytes(b"v1")
    promote_tables(staged, target)  # hard-links the staged file: a merge that changes nothing keeps that file
    assert promote_tables(staged, target) == ["papers.parquet"]
    assert [p.name for p in target.iterdir()] == ["papers.parquet"] and (target / "papers.parquet").read_bytes() == b"v1"


def test_a_file_hash_is_remembered_only_while_the_file_is_unchanged(tmp_path):
    """Steps of one run hash the same 250 MB papers file; the digest is reused only for the same file
    (device, inode, size, mtime, ctime), unchanged for a second before it was hashed."""
    from assets.core import storage

    path = tmp_path / "t.parquet"
    path.write_bytes(b"a" * 1000)
    fresh = storage.sha256_file(path)
    assert storage.file_version(path.stat()) not in storage._DIGESTS  # just written: not remembered
    time.sleep(1.1)
    assert storage.sha256_file(path) == fresh and storage._DIGESTS[storage.file_version(path.stat())] == fresh
    with open(path, "r+b") as stream:  # the same size and inode, edited in place: hashed again
        stream.write(b"b")
    assert storage.sha256_file(path) == hashlib.sha256(b"b" + b"a" * 999).hexdigest()
