"""The corpus: the union of the landing files' outputs, one row per distinct paper."""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path

import pyarrow as pa
import pyarrow.dataset as ds

from assets.core.duck import export_sql_table, stage_connection
from assets.core.storage import sha256_or_none, write_json_atomic, write_parquet_atomic
from assets.core.sql import load_sql
from assets.core.table_changes import MAX_KEYS, changes_path, merge_rows, record_change, write_rows
from assets.ingest.landing import REJECTS_SCHEMA, REPORT_SCHEMA, SIGHTINGS_SCHEMA, IngestOutput, SkippedEntry
from assets.ingest.parser import PARSER_VERSION


@dataclass(frozen=True)
class CorpusCounts:
    papers: int
    paper_sources: int
    rejects: int
    ingest_files: int
    quarantined_files: int


def build_corpus(
    outputs: list[IngestOutput],
    quarantined: dict[str, str],
    tables_dir: Path,
    scratch_dir: Path | None = None,
    skipped: list[SkippedEntry] = (),
    previous: "PreviousCorpus | None" = None,
) -> CorpusCounts:
    """Write papers, paper_sources, rejects and ingest_files Parquet from the per-file outputs.

    Entries of the landing folder that are not read (symlinks, folders) become reject rows with
    line 0 so they are reported, not silently ignored. Quarantined files (warning-level validation failures, such as a mostly-rejected file) stay in
    `ingest_files` and `rejects` with their reason but contribute no papers. With a verified `previous`
    build (PreviousCorpus), papers and paper_sources are that build's rows with the papers of the changed
    files derived again (merge_corpus); without one, every file's sightings are grouped again.
    """
    kept = [o for o in outputs if o.report["source_file"] not in quarantined]
    order = sorted(kept, key=lambda o: (o.report["mtime_ns"], o.report["source_file"]))
    file_order = pa.table(
        {"source_file": [o.report["source_file"] for o in order], "file_rank": list(range(len(order)))}
    )
    merged = previous.merge(kept, file_order, tables_dir, scratch_dir) if previous is not None else None
    counts = merged or _group_sightings(kept, file_order, tables_dir, scratch_dir)
    rejects, ingest_files = _file_tables(outputs, quarantined, skipped)
    write_parquet_atomic(tables_dir / "rejects.parquet", rejects)
    write_parquet_atomic(tables_dir / "ingest_files.parquet", ingest_files)
    return CorpusCounts(
        papers=counts["papers"],
        paper_sources=counts["paper_sources"],
        rejects=rejects.num_rows,
        ingest_files=ingest_files.num_rows,
        quarantined_files=len(quarantined),
    )


def _group_sightings(kept: list[IngestOutput], file_order: pa.Table, tables_dir: Path,
                     scratch_dir: Path | None) -> dict[str, int]:
    """papers and paper_sources from every kept file's sightings (the full path)."""
    con = stage_connection(scratch_dir)
    try:
        con.register("file_order", file_order)
        if kept:
            con.read_parquet([str(o.sightings) for o in kept]).create_view("sightings")
        else:
            con.register("sightings", SIGHTINGS_SCHEMA.empty_table())
        counts = {}
        for table, params in (("papers", {"parser_version": PARSER_VERSION}), ("paper_sources", {})):
            counts[table] = export_sql_table(con, table, tables_dir / f"{table}.parquet", params)
    finally:
        con.close()
    return counts


def _file_tables(outputs: list[IngestOutput], quarantined: dict[str, str],
                 skipped: list[SkippedEntry]) -> tuple[pa.Table, pa.Table]:
    """rejects and ingest_files: small (a row per file and per rejected line), rebuilt each time."""
    reports = [
        {**o.report, "quarantined": o.report["source_file"] in quarantined,
         "quarantine_reason": quarantined.get(o.report["source_file"])}
        for o in outputs
    ]
    report_schema = REPORT_SCHEMA.append(pa.field("quarantined", pa.bool_())).append(
        pa.field("quarantine_reason", pa.string())
    )
    ingest_files = pa.Table.from_pylist(sorted(reports, key=lambda r: r["source_file"]), schema=report_schema)
    not_read = pa.Table.from_pylist(
        [
            {"source_file": e.name, "line_number": 0, "line_count": 0, "reason": e.reason, "raw": e.name,
             "parser_version": PARSER_VERSION}
            for e in skipped
        ],
        schema=REJECTS_SCHEMA,
    )
    per_file = ds.dataset([str(o.rejects) for o in outputs], schema=REJECTS_SCHEMA, format="parquet").to_table()
    rejects = pa.concat_tables([per_file, not_read]).sort_by(
        [("source_file", "ascending"), ("line_number", "ascending")]
    )
    return rejects, ingest_files


class CorpusChanges:
    """Which papers a corpus build changed, recorded for the release writer (assets/core/table_changes.py).

    A paper's row in `papers` and its rows in `paper_sources` depend only on the sightings of the files
    holding it and on their landing order (modification time, name), so between two builds only papers
    seen in a file that was added, removed, edited, touched, re-parsed or (un)quarantined can differ: their
    ids are the changed keys. The file states a build used are kept with the sha256 of the tables it wrote;
    when the tables on disk are not those (a build killed half-way, a hand edit), nothing is claimed, the
    release writer hashes everything and the corpus is built by the full path (`previous` is None).
    `paper_flags` is small: its changed keys are a diff of the files.
    """

    STATE = "corpus_inputs.json"

    def __init__(self, tables_dir: Path, keep_dir: Path | None = None):
        """Read what the previous build left, before this build overwrites it. With `keep_dir`, a verified
        previous papers/paper_sources pair is kept there (hard links: no copy) as `previous`, for the merge."""
        import polars as pl

        self.tables_dir = tables_dir
        self.after: dict[str, str | None] = {}  # the sha256 of the tables this build wrote (record)
        kept = _keep_tables(tables_dir, keep_dir) if keep_dir is not None else {}
        self.before = {t: sha256_or_none(kept.get(t, tables_dir / f"{t}.parquet")) for t in _TRACKED}
        self.state = _read_json(changes_path(tables_dir / "papers.parquet").with_name(self.STATE))
        trusted = all(self.before[t] is not None and self.before[t] == self.state.get(t) for t in _TRACKED[:2])
        self.old_sources = (pl.read_parquet(tables_dir / "paper_sources.parquet", columns=["paper_id", "source_file"])
                            if trusted else None)
        flags = tables_dir / "paper_flags.parquet"
        self.old_flags = pl.read_parquet(flags) if self.before["paper_flags"] else None
        self.previous = (PreviousCorpus(kept["papers"], kept["paper_sources"], self.old_sources,
                                        self.state.get("files", {}))
                         if trusted and len(kept) == 2 else None)

    def record(self, outputs: list[IngestOutput], quarantined: dict[str, str]) -> int | None:
        """Write the change links of papers, paper_sources and paper_flags and this build's file states;
        returns how many papers changed (None: unknown)."""
        import polars as pl

        files = {o.report["source_file"]: _file_state(o.report) for o in outputs
                 if o.report["source_file"] not in quarantined}
        after = self.after = {t: sha256_or_none(self.tables_dir / f"{t}.parquet") for t in _TRACKED}
        changed: list | None = None
        if self.old_sources is not None:
            old_files = self.state.get("files", {})
            touched = sorted(n for n in set(files) | set(old_files) if files.get(n) != old_files.get(n))
            new_sources = pl.scan_parquet(self.tables_dir / "paper_sources.parquet").select("paper_id", "source_file")
            ids = pl.concat([self.old_sources.lazy(), new_sources]).filter(pl.col("source_file").is_in(touched))
            changed = ids.select(pl.col("paper_id").unique()).collect().get_column("paper_id").to_list()
        for table in _TRACKED[:2]:
            record_change(self.tables_dir / f"{table}.parquet", self.before[table], after[table], changed)
        record_change(self.tables_dir / "paper_flags.parquet", self.before["paper_flags"], after["paper_flags"],
                      self._flag_changes())
        state = {**after, "files": files}
        write_json_atomic(changes_path(self.tables_dir / "papers.parquet").with_name(self.STATE), state)
        return None if changed is None else len(changed)

    def _flag_changes(self) -> list | None:
        import polars as pl

        if self.old_flags is None:
            return None
        new = pl.read_parquet(self.tables_dir / "paper_flags.parquet")
        differ = pl.concat([self.old_flags.join(new, on=list(new.columns), how="anti"),
                            new.join(self.old_flags, on=list(new.columns), how="anti")])
        return differ.get_column("paper_id").unique().to_list()


_TRACKED = ("papers", "paper_sources", "paper_flags")


class PreviousCorpus:
    """The last build's papers and paper_sources, verified (CorpusChanges: their sha256 are the ones that
    build recorded), and the file states it was built from, so a refresh derives again only the papers of
    the files whose state changed and keeps every other row: the cost of the change, not of the corpus.

    Sound because a paper's rows depend only on the sightings of the files holding it and their landing
    order: a paper none of whose files changed keeps its rows. A changed paper's rows are grouped again
    (sql/papers.sql, paper_sources.sql) from all its sightings: those of the changed files and those of
    the unchanged files that hold it (found in the old paper_sources), so the result equals a full build.
    """

    def __init__(self, papers: Path, paper_sources: Path, old_sources, files: dict):
        self.papers, self.paper_sources, self.old_sources, self.files = papers, paper_sources, old_sources, files
        self.changed: list | None = None
        self.texts = None  # after a merge that wrote papers: its (paper_id, title, abstract), as written

    def merge(self, kept: list[IngestOutput], file_order: pa.Table, tables_dir: Path,
              scratch_dir: Path | None) -> dict[str, int] | None:
        """Write papers and paper_sources as the previous rows with the changed papers' rows derived again;
        row counts, or None (then the caller takes the full path) when too much changed to gain."""
        import polars as pl
        import pyarrow.parquet as pq

        self.texts = None
        by_name = {o.report["source_file"]: o for o in kept}
        now = {name: _file_state(o.report) for name, o in by_name.items()}
        touched = sorted(n for n in set(now) | set(self.files) if now.get(n) != self.files.get(n))
        in_touched = pl.col("source_file").is_in(pl.Series(touched, dtype=pl.String).implode())
        new_files = [str(by_name[n].sightings) for n in touched if n in by_name]
        new_ids = (pl.scan_parquet(new_files).select("paper_id").collect().get_column("paper_id") if new_files
                   else pl.Series("paper_id", [], dtype=pl.String))
        changed = pl.concat([self.old_sources.filter(in_touched).get_column("paper_id"), new_ids]).unique().sort()
        if changed.len() > MAX_KEYS:
            return None
        holders = set(self.old_sources.filter(pl.col("paper_id").is_in(changed.implode()) & ~in_touched)
                      .get_column("source_file").unique().to_list())
        if not holders <= set(by_name):  # an unchanged file is no longer kept: not a state this build knows
            return None
        self.changed = changed.to_list()
        tables = ("papers", "paper_sources")
        if not self.changed and all(os.path.samefile(getattr(self, t), tables_dir / f"{t}.parquet") for t in tables):
            # the tables on disk are the verified previous ones (the same files): nothing to write
            return {t: pq.ParquetFile(getattr(self, t)).metadata.num_rows for t in tables}
        read = [str(by_name[n].sightings) for n in sorted(holders | {n for n in touched if n in by_name})]
        sightings = (pl.scan_parquet(read).filter(pl.col("paper_id").is_in(changed.implode())).collect().to_arrow()
                     .cast(SIGHTINGS_SCHEMA) if read else SIGHTINGS_SCHEMA.empty_table())
        con = stage_connection(scratch_dir)
        try:
            con.register("file_order", file_order)
            con.register("sightings", sightings)
            rows = {"papers": con.sql(load_sql("papers"), params={"parser_version": PARSER_VERSION}).to_arrow_table(),
                    "paper_sources": con.sql(load_sql("paper_sources")).to_arrow_table()}
        finally:
            con.close()
        counts = {}
        for table in reversed(tables):  # papers last: its texts are kept, not held during the other merge
            counts[table], merged = _merge_rows(getattr(self, table), rows[table], changed,
                                                tables_dir / f"{table}.parquet")
            if table == "papers":  # the texts stay in memory: the suite's columns need not decode them again
                self.texts = merged.select("paper_id", "title", "abstract")
        return counts


def _merge_rows(previous: Path, new_rows: pa.Table, changed, out: Path):
    """`previous` (sorted by paper_id) without the `changed` papers plus `new_rows` (theirs, sorted as the
    SQL sorts), merged in paper_id order and written to `out` in the previous file's schema; returns the
    row count and the merged polars frame (slices, no copy)."""
    import polars as pl
    import pyarrow.parquet as pq

    merged = merge_rows(pl.read_parquet(previous), pl.from_arrow(new_rows), changed)
    schema = pq.read_schema(previous)
    # ids and texts are (nearly) all distinct: a dictionary is tried only where values repeat (as for sightings)
    repeating = [c for c in ("source_file", "parser_version") if c in schema.names]
    return write_rows(out, merged, schema, dictionary_columns=repeating), merged


def _keep_tables(tables_dir: Path, keep_dir: Path) -> dict[str, Path]:
    """Hard links in `keep_dir` to the current papers and paper_sources (those present), which survive the
    build replacing them; {} when the folder cannot hold links to them (another file system)."""
    keep_dir.mkdir(parents=True, exist_ok=True)
    kept = {}
    for table in _TRACKED[:2]:
        link = keep_dir / f"previous_{table}.parquet"
        link.unlink(missing_ok=True)
        try:
            os.link(tables_dir / f"{table}.parquet", link)
        except OSError:
            continue
        kept[table] = link
    return kept


def _file_state(report: dict) -> list:
    """What a file's papers depend on: its content, its landing order (mtime) and the parser's version."""
    return [report["sha256"], report["mtime_ns"], report["parser_version"]]




def _read_json(path: Path) -> dict:
    try:
        value = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return value if isinstance(value, dict) else {}
