"""Dagster wiring of the topic stage: discovered topics and the curated taxonomy overlay, in DuckDB."""


from pathlib import Path

import dagster as dg

from assets.duck import attach_parquet, export_table, stage_connection
from assets.ingest.defs import OWNERS, RETRY
from assets.metadata import parquet_metadata
from assets.quality.checks import check_specs, run_suite
from workflows.resources import PipelinePaths, PipelineSettings

TOPIC_TABLES = ("topics", "paper_topics", "topic_terms", "topic_lineage")
TAXONOMY_TABLES = ("categories", "paper_categories")


def _previous_topic_terms(published: Path, ingest_files: Path):
    """The topic_terms of the release before this corpus, so topic ids stay stable as it grows.

    When the latest release was built from exactly the current landing files (a re-run on unchanged
    input), its predecessor is the baseline instead: a re-run then reproduces the same lineage.
    """
    import pyarrow.dataset as ds
    import pyarrow.parquet as pq

    from assets.publish.release import latest_version, read_manifest, release_dir

    version = latest_version(published)
    if version is not None:
        manifest = read_manifest(release_dir(published, version))
        current = sorted(pq.read_table(ingest_files, columns=["sha256"]).column("sha256").to_pylist())
        if sorted(entry["sha256"] for entry in manifest.get("inputs", [])) == current:
            version = manifest.get("previous_version")
    if version is None:
        return None
    try:
        folder = release_dir(published, version) / "topic_terms"
    except FileNotFoundError:  # removed by retention: topics start a new lineage
        return None
    return ds.dataset(folder, format="parquet").to_table() if folder.is_dir() else None


@dg.multi_asset(
    specs=[
        dg.AssetSpec(name, deps=["papers", "ingest_files"], group_name="topics", kinds={"duckdb", "sklearn", "parquet"},
                     owners=OWNERS, description=description)
        for name, description in (
            ("topics", "Discovered topics (NMF over TF-IDF with phrases), labelled by class-based TF-IDF."),
            ("paper_topics", "Each paper's primary topic and secondary topics above a score threshold."),
            ("topic_terms", "Each topic's term weights (the vector used to keep topic ids stable)."),
            ("topic_lineage", "Which topic of the release before this corpus each topic continues, by "
                              "term-weight similarity."),
        )
    ],
    check_specs=check_specs("topics") + check_specs("paper_topics") + check_specs("topic_terms"),
    pool="warehouse",
    retry_policy=RETRY,
)
def discovered_topics(context: dg.AssetExecutionContext, paths: PipelinePaths, settings: PipelineSettings):
    """Topics are a function of the corpus: the same papers give the same topics and ids."""
    import polars as pl

    from assets.topics.model import TopicSettings, build_topics

    topic_settings = TopicSettings(
        min_topics=settings.min_topics,
        max_topics=settings.max_topics,
        memory_limit=settings.duckdb_memory_limit,
        temp_directory=str(paths.scratch / "duckdb"),
    )
    con = stage_connection(paths.scratch / "duckdb", settings.duckdb_memory_limit)
    try:
        attach_parquet(con, {"papers": paths.table("papers")})
        summary = build_topics(con, topic_settings, _previous_topic_terms(paths.published, paths.table("ingest_files")))
        for table in TOPIC_TABLES:
            export_table(con, table, paths.table(table))
    finally:
        con.close()
    context.log.info(f"topics: {summary}")
    checks = []
    for table in ("topics", "paper_topics", "topic_terms"):
        checks += run_suite(context, table, pl.read_parquet(paths.table(table)), paths.quality)[1]
    for table in TOPIC_TABLES:
        yield dg.MaterializeResult(asset_key=table, metadata=parquet_metadata(paths.table(table)))
    yield from checks


@dg.multi_asset(
    specs=[
        dg.AssetSpec("categories", group_name="topics", kinds={"yaml", "parquet"}, owners=OWNERS,
                     description="The curated taxonomy (assets/topics/taxonomy.yaml or settings.taxonomy_path)."),
        dg.AssetSpec("paper_categories", deps=["papers"], group_name="topics", kinds={"duckdb", "parquet"},
                     owners=OWNERS, description="Papers matched to taxonomy categories by keyword/phrase rules."),
    ],
    check_specs=check_specs("categories") + check_specs("paper_categories"),
    pool="warehouse",
    retry_policy=RETRY,
)
def taxonomy(context: dg.AssetExecutionContext, paths: PipelinePaths, settings: PipelineSettings):
    """A user replaces the YAML file to change the categories; no code changes."""
    import polars as pl

    from assets.topics.taxonomy import apply_taxonomy, load_taxonomy

    taxonomy_file = load_taxonomy(settings.taxonomy_path or None)
    con = stage_connection(paths.scratch / "duckdb", settings.duckdb_memory_limit)
    try:
        attach_parquet(con, {"papers": paths.table("papers")})
        apply_taxonomy(con, taxonomy_file)
        for table in TAXONOMY_TABLES:
            export_table(con, table, paths.table(table))
    finally:
        con.close()
    checks = []
    for table in TAXONOMY_TABLES:
        checks += run_suite(context, table, pl.read_parquet(paths.table(table)), paths.quality)[1]
    for table in TAXONOMY_TABLES:
        yield dg.MaterializeResult(asset_key=table, metadata=parquet_metadata(paths.table(table)))
    yield from checks
