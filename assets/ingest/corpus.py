"""The corpus: the union of the landing files' outputs, one row per distinct paper."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import pyarrow as pa
import pyarrow.dataset as ds

from assets.core.contracts import CORPUS_TABLES
from assets.core.duck import export_sql_table, stage_connection
from assets.core.storage import sha256_or_none, write_json_atomic, write_parquet_atomic
from assets.core.table_changes import changes_path, record_change
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
) -> CorpusCounts:
    """Write papers, paper_sources, rejects and ingest_files Parquet from the per-file outputs.

    Entries of the landing folder that are not read (symlinks, folders) become reject rows with
    line 0 so they are reported, not silently ignored. Quarantined files (warning-level validation failures, such as a mostly-rejected file) stay in
    `ingest_files` and `rejects` with their reason but contribute no papers.
    """
    kept = [o for o in outputs if o.report["source_file"] not in quarantined]
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

    order = sorted(kept, key=lambda o: (o.report["mtime_ns"], o.report["source_file"]))
    file_order = pa.table(
        {"source_file": [o.report["source_file"] for o in order], "file_rank": list(range(len(order)))}
    )
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
    write_parquet_atomic(tables_dir / "rejects.parquet", rejects)
    write_parquet_atomic(tables_dir / "ingest_files.parquet", ingest_files)
    return CorpusCounts(
        papers=counts["papers"],
        paper_sources=counts["paper_sources"],
        rejects=rejects.num_rows,
        ingest_files=ingest_files.num_rows,
        quarantined_files=len(quarantined),
    )


class CorpusChanges:
    """Which papers a corpus build changed, recorded for the release writer (assets/core/table_changes.py).

    A paper's row in `papers` and its rows in `paper_sources` depend only on the sightings of the files
    holding it and on their landing order (modification time, name), so between two builds only papers
    seen in a file that was added, removed, edited, touched, re-parsed or (un)quarantined can differ: their
    ids are the changed keys. The file states a build used are kept with the sha256 of the tables it wrote;
    when the tables on disk are not those (a build killed half-way, a hand edit), nothing is claimed and
    the release writer hashes everything. `paper_flags` is small: its changed keys are a diff of the files.
    """

    STATE = "corpus_inputs.json"

    def __init__(self, tables_dir: Path):
        """Read what the previous build left, before this build overwrites it."""
        import polars as pl

        self.tables_dir = tables_dir
        self.before = {t: sha256_or_none(tables_dir / f"{t}.parquet") for t in _TRACKED}
        self.state = _read_json(changes_path(tables_dir / "papers.parquet").with_name(self.STATE))
        trusted = all(self.before[t] is not None and self.before[t] == self.state.get(t) for t in _TRACKED[:2])
        self.old_sources = (pl.read_parquet(tables_dir / "paper_sources.parquet", columns=["paper_id", "source_file"])
                            if trusted else None)
        flags = tables_dir / "paper_flags.parquet"
        self.old_flags = pl.read_parquet(flags) if self.before["paper_flags"] else None

    def record(self, outputs: list[IngestOutput], quarantined: dict[str, str]) -> int | None:
        """Write the change links of papers, paper_sources and paper_flags and this build's file states;
        returns how many papers changed (None: unknown)."""
        import polars as pl

        files = {o.report["source_file"]: [o.report["sha256"], o.report["mtime_ns"], o.report["parser_version"]]
                 for o in outputs if o.report["source_file"] not in quarantined}
        after = {t: sha256_or_none(self.tables_dir / f"{t}.parquet") for t in _TRACKED}
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




def _read_json(path: Path) -> dict:
    try:
        value = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return value if isinstance(value, dict) else {}
