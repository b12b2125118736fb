"""paper_topic_contents kept between runs, so a refresh hashes only the texts of the papers that changed.

sql/paper_topic_contents.sql keys each paper's topic memberships by a hash of the text the model scores;
computing it reads and hashes every title and abstract (seconds per million papers). A paper's hash is a
function of its own text only, so the file is kept next to the staged tables (staging/keys/, not promoted or
published) with a change record (assets/core/table_changes.py): when the record says which papers changed
since the papers file it was computed from (same SQL; the kept file's sha256 checked), only those are read
and hashed, and every other row is kept. Otherwise (no record, a damaged or edited file) all are hashed.
"""

from __future__ import annotations

from pathlib import Path

import duckdb
import polars as pl
import pyarrow as pa

from assets.core.paper_cache import fingerprint
from assets.core.sql import load_sql
from assets.core.storage import write_parquet_atomic
from assets.core.table_changes import derived_change, merge_rows


def contents_path(tables_dir: Path) -> Path:
    """staging/keys/paper_topic_contents.parquet for staging/tables."""
    return tables_dir.parent / "keys" / "paper_topic_contents.parquet"


def contents_version() -> str:
    """Changes with the SQL that defines the hash."""
    return fingerprint(load_sql("paper_topic_contents"))


def refresh_contents(papers: Path, kept: Path) -> tuple[pa.Table, int | None]:
    """paper_topic_contents (paper_id, content_hash) of every paper of `papers`, sorted by paper_id, written
    to `kept`; and how many papers were hashed (None: all of them)."""
    with derived_change(kept, papers, contents_version()) as changed:
        if changed == []:  # the verified kept file is current: not rewritten
            return pl.read_parquet(kept).to_arrow(), 0
        con = duckdb.connect()
        try:
            if changed is None:
                con.read_parquet(str(papers)).create_view("papers")
            else:  # polars reads the texts of the matching rows only (0.25 s CPU at 1M, DuckDB's semi join ~1 s)
                ids = pl.Series(changed, dtype=pl.String).implode()
                con.register("papers", pl.scan_parquet(papers).select("paper_id", "title", "abstract")
                             .filter(pl.col("paper_id").is_in(ids)).collect().to_arrow())
            new = pl.from_arrow(con.sql(load_sql("paper_topic_contents")).order("paper_id").to_arrow_table())
        finally:
            con.close()
        if changed is not None:
            new = merge_rows(pl.read_parquet(kept), new, changed).rechunk()
        contents = new.to_arrow()
        kept.parent.mkdir(parents=True, exist_ok=True)
        write_parquet_atomic(kept, contents)
    return contents, None if changed is None else len(changed)
