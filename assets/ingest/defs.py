"""Dagster wiring of ingestion: one partition per landing file, then the corpus-wide tables."""

import functools

import dagster as dg

from assets.core.contracts import CORPUS_TABLES
from assets.core.metadata import parquet_metadata
from assets.core.policy import OWNERS, RETRY
from assets.core.resources import PipelinePaths
from assets.ingest.conflicts import conflicting_files
from assets.ingest.corpus import CorpusChanges, build_corpus
from assets.ingest.landing import REPORT_SCHEMA, ingest_file, landing_fingerprints, scan_landing
from assets.quality.checks import check_specs, run_suite, run_suite_on_change
from assets.quality.suites import MAX_FILE_REJECT_SHARE, derive_papers

landing_files = dg.DynamicPartitionsDefinition(name="landing_files")


@dg.asset(
    partitions_def=landing_files,
    group_name="ingest",
    kinds={"python", "parquet"},
    owners=OWNERS,
    retry_policy=RETRY,
    check_specs=[
        dg.AssetCheckSpec(
            "reject_share_below_bound",
            asset="landing_file",
            description=f"[warning] at most {MAX_FILE_REJECT_SHARE:.0%} of a file's non-blank lines are rejects",
        )
    ],
)
def landing_file(context: dg.AssetExecutionContext, paths: PipelinePaths) -> dg.MaterializeResult:
    """One raw dump parsed into Parquet (sightings, rejects, report), content-addressed by sha256 and
    parser version so unchanged content is never parsed twice."""
    files, _ = scan_landing(paths.landing)
    by_key = {f.partition_key: f for f in files}
    landing = by_key.get(context.partition_key)
    if landing is None:
        raise dg.Failure(
            f"landing file for partition {context.partition_key!r} is no longer in {paths.landing}; "
            "the sensor removes partitions of deleted files",
        )
    output = ingest_file(landing, paths.ingest)
    if output.rebuilt:
        context.log.warning(f"discarded a damaged ingest output and parsed the file again: {output.rebuilt}")
    report = output.report
    content_lines = report["lines"] - report["blank_lines"]
    reject_share = report["reject_lines"] / content_lines if content_lines else 0.0
    context.log.info(
        f"{landing.name}: {report['papers']} papers, {report['reject_lines']} reject lines "
        f"({'reused' if output.reused else 'parsed'})"
    )
    return dg.MaterializeResult(
        metadata={
            **parquet_metadata(output.sightings),
            "source_file": landing.name,
            "sha256": report["sha256"],
            "encoding": report["encoding"],
            "papers": report["papers"],
            "reject_lines": report["reject_lines"],
            "reused": output.reused,
        },
        data_version=dg.DataVersion(f"{report['sha256'][:16]}-p{report['parser_version']}"),
        check_results=[
            dg.AssetCheckResult(
                check_name="reject_share_below_bound",
                passed=reject_share <= MAX_FILE_REJECT_SHARE,
                severity=dg.AssetCheckSeverity.WARN,
                metadata={"reject_share": round(reject_share, 4), "reject_lines": report["reject_lines"]},
            )
        ],
    )


@dg.multi_asset(
    specs=[
        dg.AssetSpec(
            "papers",
            deps=[landing_file],
            description="One row per distinct paper across the landing folder (latest text wins).",
            group_name="ingest",
            kinds={"duckdb", "parquet"},
            owners=OWNERS,
        ),
        dg.AssetSpec("paper_sources", deps=[landing_file], description="Every place a paper was seen.",
                     group_name="ingest", kinds={"parquet"}, owners=OWNERS),
        dg.AssetSpec("rejects", deps=[landing_file], description="Skipped lines and files, with reasons.",
                     group_name="ingest", kinds={"parquet"}, owners=OWNERS),
        dg.AssetSpec("ingest_files", deps=[landing_file],
                     description="Per-file ingest report: lines accounted, encoding, sha256, quarantine.",
                     group_name="ingest", kinds={"parquet"}, owners=OWNERS),
        dg.AssetSpec("paper_flags", deps=[landing_file],
                     description="Row-level quality flags, so consumers filter instead of rows vanishing.",
                     group_name="ingest", kinds={"parquet"}, owners=OWNERS),
    ],
    check_specs=check_specs("papers") + check_specs("ingest_files"),
    pool="warehouse",
    retry_policy=RETRY,
)
def corpus(context: dg.AssetExecutionContext, paths: PipelinePaths):
    """The landing folder is the corpus: every file in it (parsed now if no partition run did it yet),
    minus the files quarantined by warning-level checks, deduplicated by paper id."""
    import polars as pl
    import pyarrow as pa

    from assets.core.storage import write_parquet_atomic
    from assets.quality.gx_runner import paper_flags, quarantined_files

    files, skipped = scan_landing(paths.landing)
    fingerprints = landing_fingerprints(files, paths.ingest)
    outputs = [ingest_file(f, paths.ingest, fingerprints[f.partition_key]) for f in files]
    parsed = [f.partition_key for f, output in zip(files, outputs) if not output.reused]
    for key in parsed:  # files no partition run parsed (a batch of new files): their partitions are current
        context.log_event(dg.AssetMaterialization(asset_key="landing_file", partition=key,
                                                  metadata={"parsed_by": "corpus batch"}))
    for entry in skipped:
        context.log.warning(f"landing entry {entry.name!r} not read: {entry.reason}")
    for output in outputs:
        if output.rebuilt:
            context.log.warning(f"discarded a damaged ingest output and parsed the file again: {output.rebuilt}")

    reports = pl.from_arrow(pa.Table.from_pylist([o.report for o in outputs], schema=REPORT_SCHEMA))
    file_outcome, file_checks = run_suite(context, "ingest_files", reports, paths.quality)
    quarantined = quarantined_files(file_outcome)
    for name, reason in quarantined.items():
        context.log.warning(f"quarantined {name!r}: {reason}")
    # what the previous build left, read (and its papers kept for the merge) before it is overwritten
    changes = CorpusChanges(paths.tables, paths.scratch / "corpus")
    build = functools.partial(build_corpus, outputs, tables_dir=paths.tables, scratch_dir=paths.scratch / "duckdb",
                              skipped=skipped, previous=changes.previous)
    counts = build(quarantined)
    kept = [o.report for o in outputs if o.report["source_file"] not in quarantined]
    # the papers' check columns are derived once, for the conflicts, the suite and the flags
    derived = _derived_papers(paths.table("papers"), changes.previous)
    while conflicts := conflicting_files(derived, paths.table("paper_sources"), kept):
        for name, reason in conflicts.items():  # each round quarantines at least one file
            context.log.warning(f"quarantined {name!r}: {reason}")
        quarantined |= conflicts
        kept = [r for r in kept if r["source_file"] not in conflicts]
        counts = build(quarantined)
        derived = _derived_papers(paths.table("papers"), changes.previous)
    merged = changes.previous is not None and changes.previous.changed is not None
    context.log.info(f"corpus: {'merged the changed papers into the previous build' if merged else 'full build'}")

    # not cached per paper: computing the flags costs less than hashing the texts (measured)
    write_parquet_atomic(paths.table("paper_flags"), paper_flags(derived, derived=True).to_arrow())
    changed = changes.record(outputs, quarantined)
    context.log.info(f"papers changed since the last build: {'unknown' if changed is None else changed}")
    paper_checks = _validated_papers(context, derived, paths.quality, changes, merged)

    for table in (*CORPUS_TABLES, "paper_flags"):
        extra = {"quarantined_files": dg.MetadataValue.json(quarantined)} if table == "ingest_files" else {}
        if table == "rejects":
            extra["not_read"] = dg.MetadataValue.json({e.name: e.reason for e in skipped})
        yield dg.MaterializeResult(asset_key=table, metadata={**parquet_metadata(paths.table(table)), **extra})
    context.log.info(f"corpus: {counts}")
    yield from file_checks
    yield from paper_checks


def _validated_papers(context, derived, quality_dir, changes: CorpusChanges, merged: bool):
    """The papers suite's check results. After a merge, GX runs on the changed papers' rows (and those whose
    duplicate-abstract flag flipped) and every other row's counts are carried from the last validation, so
    `mostly` shares stay exact for the whole table; unique ids are counted over the whole column
    (assets/quality/carried.py). Without a merge, or when the record cannot vouch, every row is validated."""
    import polars as pl

    from assets.quality.carried import TableChange

    change = TableChange(changes.before["papers"], changes.after["papers"],
                         changes.previous.changed if merged else None)
    duplicates = set(derived.filter(pl.col("duplicate_abstract")).get_column("paper_id").to_list())
    _, checks = run_suite_on_change(
        context, "papers", quality_dir, change, derived.height, full=lambda: derived,
        delta=lambda keys: derived.filter(pl.col("paper_id").is_in(pl.Series(keys, dtype=pl.String).implode())),
        columns=lambda cols: derived.select(cols), derived=True,
        failing_now={"no_duplicate_abstracts": duplicates})
    return checks


def _derived_papers(papers, previous):
    """The papers' ids and texts with the papers suite's check columns (derive_papers); the texts are the
    ones a merge just wrote to `papers` when it kept them (PreviousCorpus.texts), else read from the file."""
    import polars as pl

    texts = previous.texts if previous is not None else None
    if texts is not None:
        previous.texts = None  # not held for the rest of the step beside the derived frame
    return derive_papers(texts if texts is not None
                         else pl.read_parquet(papers, columns=["paper_id", "title", "abstract"]))
