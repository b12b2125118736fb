"""The topic and taxonomy steps follow the change: a refresh hashes and matches only the papers that changed
since their last file (assets/topics/contents.py, taxonomy.merged_paper_categories), with the same rows as a
computation over the whole corpus."""

from __future__ import annotations

from pathlib import Path

import duckdb
import polars as pl
import pyarrow.parquet as pq
import pytest

from assets.core.storage import sha256_file, write_parquet_atomic
from assets.core import table_changes
from assets.core.table_changes import merge_rows, record_change, write_rows
from assets.topics.contents import refresh_contents
from assets.topics.taxonomy import categorised_papers, load_taxonomy, merged_paper_categories

SEED = Path(__file__).resolve().parents[1] / "data" / "landing" / "hf_papers_memory.txt"
LINES = SEED.read_text(encoding="utf-8").split("\n")
TITLES = [LINES[2].removeprefix("Subscribe")] + LINES[4::2]
ABSTRACTS = LINES[3::2]


def _papers(edit: bool) -> pl.DataFrame:
    """The seed's papers; `edit`: three abstracts changed (one gains taxonomy keywords), one paper removed,
    one added."""
    rows = [{"paper_id": f"p{i:03d}", "title": t, "abstract": a} for i, (t, a) in enumerate(zip(TITLES, ABSTRACTS))]
    if edit:
        rows[3]["abstract"] += " We use retrieval augmented generation and reinforcement learning."
        rows[40]["abstract"] = rows[40]["abstract"].upper()
        rows[41]["abstract"] = None
        del rows[7]
        rows.append({"paper_id": "p999", "title": "Quantization for Serving", "abstract": ABSTRACTS[0]})
    return pl.DataFrame(rows, schema={"paper_id": pl.String, "title": pl.String, "abstract": pl.String})


CHANGED = ["p003", "p007", "p040", "p041", "p999"]


def _write(path: Path, frame: pl.DataFrame) -> str:
    path.parent.mkdir(parents=True, exist_ok=True)
    write_parquet_atomic(path, frame.to_arrow())
    return sha256_file(path)


def test_taxonomy_merge_matches_only_the_changed_papers_and_equals_a_full_match(tmp_path):
    tax, con = load_taxonomy(), duckdb.connect()
    before, after = _papers(False), _papers(True)
    previous = tmp_path / "paper_categories.parquet"
    matched, _ = categorised_papers(con, tax, before, tmp_path / "cache")
    write_parquet_atomic(previous, matched.to_arrow_table())
    papers = tmp_path / "papers.parquet"
    _write(papers, after)
    merged, stats = merged_paper_categories(con, tax, papers, previous, CHANGED, tmp_path / "cache")
    full, _ = categorised_papers(con, tax, after, tmp_path / "other_cache")
    assert merged.to_dicts() == pl.from_arrow(full.to_arrow_table()).to_dicts()
    assert stats.computed + stats.reused == len(CHANGED) - 1  # p007 is gone; nobody else was read
    assert any(r["paper_id"] == "p003" for r in merged.to_dicts())


def test_topic_content_hashes_are_computed_for_the_changed_papers_only(tmp_path):
    papers, kept = tmp_path / "staging" / "tables" / "papers.parquet", tmp_path / "staging" / "keys" / "c.parquet"
    first = _write(papers, _papers(False))
    _, hashed = refresh_contents(papers, kept)
    assert hashed is None  # no record yet: every paper
    second = _write(papers, _papers(True))
    record_change(papers, first, second, CHANGED)
    contents, hashed = refresh_contents(papers, kept)
    assert hashed == len(CHANGED)
    scratch = tmp_path / "scratch" / "tables" / "papers.parquet"
    _write(scratch, _papers(True))
    full, _ = refresh_contents(scratch, tmp_path / "scratch" / "keys" / "c.parquet")
    assert contents.to_pylist() == full.to_pylist() and len(full) == len(TITLES)

    inode = kept.stat().st_ino
    same, hashed = refresh_contents(papers, kept)  # papers unchanged since: nothing hashed, nothing written
    assert hashed == 0 and kept.stat().st_ino == inode and same.to_pylist() == full.to_pylist()

    kept.write_bytes(kept.read_bytes()[:-10])  # a damaged kept file is not trusted: every paper again
    again, hashed = refresh_contents(papers, kept)
    assert hashed is None and again.to_pylist() == full.to_pylist()


def test_merge_rows_equals_dropping_the_changed_rows_and_sorting_and_writes_whole_row_groups(tmp_path, monkeypatch):
    """The shared merge (corpus, claims, paper_metrics, paper_categories, topic contents): an edited key's rows
    are replaced, an added key's rows inserted in order, a removed key's rows dropped, each key's rows in the
    order given; the written file holds whole row groups, not one per slice."""
    previous = pl.DataFrame({"paper_id": ["a", "b", "b", "d", "f", "g"], "v": [1, 2, 3, 4, 5, 6]})
    new = pl.DataFrame({"v": [22, 21, 30, 50], "paper_id": ["b", "b", "c", "e"]})
    changed = ["e", "b", "c", "d", "z"]  # b edited, c and e added, d removed, z gone already
    want = pl.concat([previous.filter(~pl.col("paper_id").is_in(changed)), new.select("paper_id", "v")]) \
        .sort("paper_id", maintain_order=True)
    merged = merge_rows(previous, new, changed)
    assert merged.equals(want) and merged["v"].to_list() == [1, 22, 21, 30, 50, 5, 6]
    assert merge_rows(previous, new.clear(), []).equals(previous)
    monkeypatch.setattr(table_changes, "ROW_GROUP_ROWS", 3)
    out = tmp_path / "merged.parquet"
    assert write_rows(out, merged, merged.to_arrow().schema) == 7
    assert pq.ParquetFile(out).metadata.num_row_groups == 3 and pl.read_parquet(out).equals(want)
    for bad in ((previous, new.reverse(), changed), (previous.reverse(), new, changed), (previous, new, ["b"])):
        with pytest.raises(ValueError, match="sorted by paper_id"):
            merge_rows(*bad)
