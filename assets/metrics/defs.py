"""Dagster wiring of the metrics stage: claims extracted from abstracts, then per-paper, per-topic and
per-category metric tables in DuckDB SQL (`sql/paper_metrics.sql`, `sql/topic_metrics.sql`, ...)."""


import dagster as dg

from assets.core.contracts import METRIC_TABLES
from assets.core.duck import attach_parquet, export_relation, export_sql_table, stage_connection
from assets.core.metadata import parquet_metadata
from assets.core.policy import OWNERS, RETRY
from assets.core.resources import PipelinePaths, PipelineSettings
from assets.core.storage import sha256_or_none
from assets.core.table_changes import derived_change
from assets.quality.checks import check_specs, run_suite, run_suite_on_table


@dg.asset(
    deps=["papers"],
    group_name="metrics",
    kinds={"python", "polars", "parquet"},
    owners=OWNERS,
    check_specs=check_specs("claims"),
    pool="warehouse",
    retry_policy=RETRY,
)
def claims(context: dg.AssetExecutionContext, paths: PipelinePaths) -> dg.MaterializeResult:
    """Quantitative claims in each abstract ("5.8x faster", "reduces memory by 40%") with value, unit,
    kind, direction and the exact text span (Python code-point offsets). Each abstract is read once per
    extractor version (assets/core/paper_cache.py); a run only merges."""
    import polars as pl

    import pyarrow.parquet as pq

    from assets.core.storage import write_parquet_atomic
    from assets.core.table_changes import write_rows
    from assets.metrics.per_paper import cached_claims, claims_version, merged_claims

    papers = pl.read_parquet(paths.table("papers"), columns=["paper_id", "abstract"])
    before = sha256_or_none(paths.table("claims"))
    with derived_change(paths.table("claims"), paths.table("papers"), claims_version()) as changed:
        if changed is None:
            found, stats = cached_claims(papers, paths.cache)
            write_parquet_atomic(paths.table("claims"), found.to_arrow())
        else:  # the previous claims file, checked against its sha256, holds every other paper's claims
            found, stats = merged_claims(pl.read_parquet(paths.table("claims")), papers, changed, paths.cache)
            write_rows(paths.table("claims"), found, pq.read_schema(paths.table("claims")))
            context.log.info(f"claims: {len(changed)} changed papers looked up, the others' claims kept")
        stats.log_to(context.log)
    # The span check needs the abstract: text must be abstract[span_start:span_end] in code points.
    spans = found.join(papers, on="paper_id", how="left").with_columns(
        span_matches_abstract=(pl.col("span_end") <= pl.col("abstract").str.len_chars())
        & (pl.col("abstract").str.slice(pl.col("span_start"), pl.col("span_end") - pl.col("span_start"))
           == pl.col("text"))
    ).drop("abstract")
    _, checks = run_suite_on_table(context, "claims", paths.table("claims"), paths.quality, before, changed, spans)
    context.log.info(f"claims: {found.height} in {papers.height} abstracts")
    return dg.MaterializeResult(metadata=parquet_metadata(paths.table("claims")), check_results=checks)


@dg.multi_asset(
    specs=[
        dg.AssetSpec("paper_metrics", deps=["papers", "claims"], group_name="metrics", kinds={"duckdb", "parquet"},
                     owners=OWNERS, description="Per-paper text metrics, claim counts and code links."),
        dg.AssetSpec("topic_metrics", deps=["paper_metrics", "claims", "paper_topics", "topics"],
                     group_name="metrics", kinds={"duckdb", "parquet"}, owners=OWNERS,
                     description="Per-topic aggregates: papers, claims, median speedup and memory reduction."),
        dg.AssetSpec("category_metrics", deps=["paper_metrics", "claims", "paper_categories", "categories"],
                     group_name="metrics", kinds={"duckdb", "parquet"}, owners=OWNERS,
                     description="The same aggregates per taxonomy category."),
    ],
    check_specs=check_specs("paper_metrics") + check_specs("topic_metrics"),
    pool="warehouse",
    retry_policy=RETRY,
)
def metric_tables(context: dg.AssetExecutionContext, paths: PipelinePaths, settings: PipelineSettings):
    """Metric tables are plain SQL over the stage tables, so analysts can read and change them. A
    paper's row of paper_metrics is computed once per content (assets/core/paper_cache.py)."""
    import polars as pl
    import pyarrow.parquet as pq

    from assets.core.table_changes import write_rows
    from assets.metrics.per_paper import cached_paper_metrics, merged_paper_metrics, paper_metrics_version

    papers = pl.scan_parquet(paths.table("papers")).select("paper_id", "title", "abstract")
    con = stage_connection(paths.scratch / "duckdb", settings.duckdb_memory_limit)
    try:
        claims_table = pl.read_parquet(paths.table("claims"))
        before = sha256_or_none(paths.table("paper_metrics"))
        with derived_change(paths.table("paper_metrics"), paths.table("papers"), paper_metrics_version()) as changed:
            if changed is None:
                per_paper, stats = cached_paper_metrics(con, papers, claims_table, paths.cache)
                export_relation(per_paper, paths.table("paper_metrics"))
            else:  # the previous file, checked against its sha256, holds every other paper's row
                previous = pq.read_table(paths.table("paper_metrics"))
                # only the changed papers' texts are decoded (~1 GB for all at 1M papers)
                todo = papers.filter(pl.col("paper_id").is_in(pl.Series(changed, dtype=pl.String).implode()))
                merged, stats = merged_paper_metrics(con, pl.from_arrow(previous), todo.collect(), claims_table,
                                                     changed, paths.cache)
                write_rows(paths.table("paper_metrics"), merged, previous.schema)
                context.log.info(f"paper_metrics: {len(changed)} changed papers looked up, the others' rows kept")
            stats.log_to(context.log)
        inputs = ("papers", "claims", "topics", "paper_topics", "categories", "paper_categories", "paper_metrics")
        attach_parquet(con, {name: paths.table(name) for name in inputs})
        for table in ("topic_metrics", "category_metrics"):
            export_sql_table(con, table, paths.table(table))
    finally:
        con.close()
    checks = run_suite_on_table(context, "paper_metrics", paths.table("paper_metrics"), paths.quality, before,
                                changed)[1]
    checks += run_suite(context, "topic_metrics", pl.read_parquet(paths.table("topic_metrics")), paths.quality)[1]
    for table in METRIC_TABLES:
        yield dg.MaterializeResult(asset_key=table, metadata=parquet_metadata(paths.table(table)))
    yield from checks
