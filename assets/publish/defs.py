"""Dagster wiring of publishing: a versioned release gated by the run's blocking checks, then the
DuckDB warehouse file rebuilt and swapped in."""


import dagster as dg

from assets.core.contracts import PUBLIC_DATASETS, WAREHOUSE_TABLES
from assets.core.policy import CODE_VERSION, OWNERS, RETRY
from assets.core.resources import PipelinePaths, PipelineSettings
from assets.ingest.parser import PARSER_VERSION
from assets.publish.datasets import PROVENANCE_COLUMNS, TablesOnDemand
from assets.quality.checks import results_dir


def validation_summary(paths: PipelinePaths, run_id: str) -> dict:
    """What this run's validation found, as carried in the release manifest."""
    import polars as pl

    files = sorted(results_dir(paths.quality).glob(f"{run_id}__*.parquet"))
    if not files:
        return {"run_id": run_id, "expectations": 0, "passed": 0, "failed_blocking": [], "failed_warning": []}
    results = pl.concat([pl.read_parquet(f) for f in files], how="diagonal_relaxed")
    failed = results.filter(~pl.col("success"))

    def named(severity: str) -> list[str]:
        rows = failed.filter(pl.col("severity") == severity)
        return [f"{r['asset']}.{r['expectation']}" for r in rows.iter_rows(named=True)]

    return {
        "run_id": run_id,
        "expectations": results.height,
        "passed": int(results["success"].sum()),
        "failed_blocking": named("blocking"),
        "failed_warning": named("warning"),
    }


@dg.asset(
    deps=list(PUBLIC_DATASETS),
    group_name="publish",
    kinds={"parquet", "json"},
    owners=OWNERS,
    pool="warehouse",
    retry_policy=RETRY,
    check_specs=[
        dg.AssetCheckSpec("release_matches_manifest", asset="release", blocking=True,
                          description="[blocking] every file of the latest release has the bytes and sha256 "
                                      "its manifest lists"),
    ],
)
def release(context: dg.AssetExecutionContext, paths: PipelinePaths, settings: PipelineSettings):
    """Publishes every public dataset together as `published/<version>/` when the content changed.
    Runs only when every blocking check upstream passed in this run (Dagster holds it back otherwise)."""
    import pyarrow.parquet as pq

    from assets.core.release_format import verify_release
    from assets.core.storage import sha256_file
    from assets.core.table_changes import read_links
    from assets.publish.release import Source, publish_release
    from assets.publish.report import report_path, write_report
    from assets.publish.store import file_sha256, hashes_remembered
    from assets.topics.model_store import release_summary

    files = pq.read_table(paths.table("ingest_files"), columns=["source_file", "sha256", "bytes"]).to_pylist()
    with hashes_remembered():  # the check below does not read again the files the publisher just hashed
        result = publish_release(
            paths.published,
            TablesOnDemand({name: paths.table(name) for name in PUBLIC_DATASETS}),
            keys={name: list(key) for name, key in PUBLIC_DATASETS.items()},
            provenance_columns=PROVENANCE_COLUMNS,
            inputs=files,
            validation=validation_summary(paths, context.run.run_id),
            topic_model=release_summary(paths.topic_model),
            code_version=CODE_VERSION,
            parser_version=PARSER_VERSION,
            keep=settings.keep_releases,
            sources={name: Source(sha256_file(paths.table(name)), read_links(paths.table(name)))
                     for name in PUBLIC_DATASETS},
        )
        problems = verify_release(result.path, file_sha256) if result.problems is None else result.problems
    for repair in result.repairs:
        context.log.warning(f"repaired: {repair}")
    report = report_path(result.path)
    if result.published or not report.is_file():  # a report describes one release: written once
        report = write_report(result.path, paths.tables, paths.quality)
    context.log.info(
        f"release {result.version}: {'published' if result.published else 'unchanged, nothing published'}; "
        f"hashed the changed keys' units only: {', '.join(result.incremental) or 'none'}"
    )
    return dg.MaterializeResult(
        metadata={
            "version": result.version,
            "published": result.published,
            "previous_version": result.previous_version or "",
            "bump": result.bump,
            "path": dg.MetadataValue.path(str(result.path)),
            "report": dg.MetadataValue.path(str(report)),
            "changes": dg.MetadataValue.json(result.changes),
            "breaking_changes": dg.MetadataValue.json(result.breaking_changes),
            "repairs": dg.MetadataValue.json(result.repairs),
            "hashed_incrementally": dg.MetadataValue.json(result.incremental),
        },
        check_results=[
            dg.AssetCheckResult(
                check_name="release_matches_manifest",
                passed=not problems,
                metadata={"problems": dg.MetadataValue.json(problems[:20]), "version": result.version,
                          "observed_value": "; ".join(problems[:3])},
            )
        ],
    )


@dg.asset(
    deps=[release, *WAREHOUSE_TABLES],
    group_name="publish",
    kinds={"duckdb"},
    owners=OWNERS,
    pool="warehouse",
    retry_policy=RETRY,
)
def warehouse_db(context: dg.AssetExecutionContext, paths: PipelinePaths) -> dg.MaterializeResult:
    """`papers.duckdb`: views over the latest release (`main.*`, `published.*`, `published.*_diff`),
    topic_lineage, `validation_results`, `releases` and `release_files`, every column commented. First the
    run's staged tables are promoted to `tables/`: this step runs only when every gate passed."""
    from assets.core.release_format import latest_version
    from assets.publish.database import build_database
    from assets.publish.database_file import ensure_opens
    from assets.publish.promote import promote_tables
    from assets.publish.report import report_path

    promoted = promote_tables(paths.tables, paths.promoted_tables)
    counts = build_database(
        paths.database,
        {name: paths.promoted_tables / f"{name}.parquet" for name in WAREHOUSE_TABLES if name not in PUBLIC_DATASETS},
        results_dir(paths.quality),
        paths.published,
        report_of=report_path,
    )
    for note in ensure_opens(paths.database):
        context.log.warning(f"repaired: {note}")
    context.log.info(f"papers.duckdb built ({len(counts)} tables and views); {len(promoted)} tables promoted")
    return dg.MaterializeResult(
        metadata={
            "path": dg.MetadataValue.path(str(paths.database)),
            "tables": dg.MetadataValue.json(counts),
            "latest_release": latest_version(paths.published) or "",
        }
    )
