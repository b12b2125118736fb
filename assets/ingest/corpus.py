"""The corpus: the union of the landing files' outputs, one row per distinct paper."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pyarrow as pa
import pyarrow.dataset as ds

from assets.core.contracts import CORPUS_TABLES
from assets.core.duck import export_sql_table, stage_connection
from assets.core.storage import write_parquet_atomic
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
