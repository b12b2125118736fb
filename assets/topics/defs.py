"""Dagster wiring of the topic stage: discovered topics and the curated taxonomy overlay, in DuckDB."""

import dagster as dg

from assets.core.contracts import TAXONOMY_TABLES, TOPIC_TABLES
from assets.core.duck import attach_parquet, export_table, stage_connection
from assets.core.metadata import parquet_metadata
from assets.core.policy import OWNERS, RETRY
from assets.core.resources import PipelinePaths, PipelineSettings
from assets.core.table_changes import derived_change, derived_keys, record_derived
from assets.quality.checks import check_specs, run_suite, run_suite_on_table

PAPER_TOPICS_ORDER = "paper_id, NOT is_primary, score DESC, topic_id"  # sql/paper_topics.sql's order, a constant
REFIT_TAG = "papers/topic_refit"  # a run tagged with it set to "true" refits the topic model (job refit_topics)


@dg.multi_asset(
    specs=[
        dg.AssetSpec(name, deps=["papers", "ingest_files"], group_name="topics", kinds={"duckdb", "sklearn", "parquet"},
                     owners=OWNERS, description=description)
        for name, description in (
            ("topics", "Discovered topics (NMF over TF-IDF with phrases), labelled by class-based TF-IDF."),
            ("paper_topics", "Each paper's primary topic and secondary topics above a score threshold."),
            ("topic_terms", "Each topic's term weights (the vector used to keep topic ids stable)."),
            ("topic_lineage", "Which topic of the previous model each topic of the current model continues, "
                              "by term-weight similarity."),
        )
    ],
    check_specs=check_specs("topics") + check_specs("paper_topics") + check_specs("topic_terms"),
    pool="warehouse",
    retry_policy=RETRY,
)
def discovered_topics(context: dg.AssetExecutionContext, paths: PipelinePaths, settings: PipelineSettings):
    """Topics under the kept topic model: new and changed papers are assigned to its topics; it is refitted only
    when asked or measured stale (assets/topics/lifecycle.py). The decision goes to the log, the metadata of
    `topics` and warehouse/topic_model/decision.json."""
    import polars as pl

    from assets.core.storage import sha256_file, sha256_or_none
    from assets.topics.contents import contents_path, refresh_contents
    from assets.topics.lifecycle import KeptPaperTopics, RefitPolicy, refresh_topics
    from assets.topics.model import TopicSettings
    from assets.topics.model_store import DECISION

    topic_settings = TopicSettings(
        min_topics=settings.min_topics,
        max_topics=settings.max_topics,
        memory_limit=settings.duckdb_memory_limit,
        temp_directory=str(paths.scratch / "duckdb"),
    )
    policy = RefitPolicy(max_added_share=settings.topic_refit_added_share,
                         max_weak_rise=settings.topic_refit_weak_rise)
    refit = settings.topic_refit or context.run.tags.get(REFIT_TAG) == "true"
    paper_topics_before = sha256_or_none(paths.table("paper_topics"))
    kept = KeptPaperTopics(lambda model_id: _kept_paper_topics(paths, paper_topics_before, model_id))
    contents, hashed = refresh_contents(paths.table("papers"), contents_path(paths.tables))
    context.log.info(f"topic content hashes computed for {'every paper' if hashed is None else f'{hashed} papers'}")
    con = stage_connection(paths.scratch / "duckdb", settings.duckdb_memory_limit)
    try:
        attach_parquet(con, {"papers": paths.table("papers")})
        decision = refresh_topics(con, paths.topic_model, topic_settings, policy, refit, log=context.log.info,
                                  contents=contents, papers_file=paths.table("papers"), kept_topics=kept)
        for table in TOPIC_TABLES:
            if table != "paper_topics":
                export_table(con, table, paths.table(table))
        _write_paper_topics(con, kept, paths.table("paper_topics"))
    finally:
        con.close()
    # a paper's rows depend on its text and the model only: under the same model, the papers changed
    # since the last file are the only ones whose rows can differ (the release hashes only theirs)
    changed = record_derived(paths.table("paper_topics"), paper_topics_before,
                             sha256_file(paths.table("paper_topics")), paths.table("papers"),
                             sha256_file(paths.table("papers")), decision["model"]["model_id"])
    checks = run_suite(context, "topics", pl.read_parquet(paths.table("topics")), paths.quality)[1]
    checks += run_suite_on_table(context, "paper_topics", paths.table("paper_topics"), paths.quality,
                                 paper_topics_before, changed)[1]
    checks += run_suite(context, "topic_terms", pl.read_parquet(paths.table("topic_terms")), paths.quality)[1]
    for table in TOPIC_TABLES:
        metadata = parquet_metadata(paths.table(table))
        if table == "topics":
            metadata |= _decision_metadata(decision, str(paths.topic_model / DECISION))
        yield dg.MaterializeResult(asset_key=table, metadata=metadata)
    yield from checks


def _kept_paper_topics(paths: PipelinePaths, before: str | None, model_id: str):
    """The paper_topics file's rows and the papers changed since it when it was derived under `model_id` (its
    sha256 checked against the record), and sorted by paper_id (files written before the sorted export are not)."""
    import polars as pl

    from assets.core.storage import sha256_file

    changed = derived_keys(paths.table("paper_topics"), before, paths.table("papers"),
                           sha256_file(paths.table("papers")), model_id)
    if changed is None:
        return None
    rows = pl.read_parquet(paths.table("paper_topics"))
    return (rows, changed) if rows.get_column("paper_id").is_sorted() else None


def _write_paper_topics(con, kept, path) -> None:
    """paper_topics to `path` in paper order (the next refresh merges into it): the merged rows, nothing when
    no paper changed under the same model (the verified file stays, byte for byte), else the whole table."""
    import pyarrow.parquet as pq

    from assets.core.duck import export_relation
    from assets.core.table_changes import write_rows

    if kept.merged is None:
        export_relation(con.table("paper_topics").order(PAPER_TOPICS_ORDER), path)
    elif kept.changed:
        write_rows(path, kept.merged, pq.read_schema(path))


def _decision_metadata(decision: dict, path: str) -> dict:
    """What the topic stage decided about its model, on the `topics` materialization."""
    return {
        "topic_model/action": decision["action"],
        "topic_model/model_id": decision["model"]["model_id"],
        "topic_model/fit_date": decision["model"]["fit_date"],
        "topic_model/reasons": "; ".join(r["detail"] for r in decision["reasons"]) or "model current",
        "topic_model/papers_scored": decision["papers_scored"],
        "topic_model/papers_reused": decision["papers_reused"],
        "topic_model/added_share": decision["added_share"],
        "topic_model/weak_share": decision["weak_share"],
        "topic_model/weak_share_at_fit": decision["weak_share_at_fit"],
        "topic_model/decision": dg.MetadataValue.path(path),
    }


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
    """A user replaces the YAML file to change the categories; no code changes. Each paper content is
    matched once per version of the rules (assets/core/paper_cache.py); a run only merges."""
    import polars as pl
    import pyarrow.parquet as pq

    from assets.core.duck import export_relation
    from assets.core.paper_cache import CacheStats
    from assets.core.storage import sha256_or_none
    from assets.core.table_changes import write_rows
    from assets.topics.taxonomy import (categorised_papers, create_categories, load_taxonomy, match_version,
                                        merged_paper_categories)

    taxonomy_file = load_taxonomy(settings.taxonomy_path or None)
    out = paths.table("paper_categories")
    before = sha256_or_none(out)
    con = stage_connection(paths.scratch / "duckdb", settings.duckdb_memory_limit)
    try:
        create_categories(con, taxonomy_file)
        export_table(con, "categories", paths.table("categories"))
        # the papers changed since the verified previous file under the same rules: only theirs are matched
        with derived_change(out, paths.table("papers"), match_version(taxonomy_file)) as changed:
            if changed is None:
                # lazy: the cache reads the texts and drops them once matched, before the rows are built
                papers = pl.scan_parquet(paths.table("papers")).select("paper_id", "title", "abstract")
                matched, stats = categorised_papers(con, taxonomy_file, papers, paths.cache)
                export_relation(matched, out)
            elif changed:
                merged, stats = merged_paper_categories(con, taxonomy_file, paths.table("papers"), out, changed,
                                                        paths.cache)
                write_rows(out, merged, pq.read_schema(out))
            else:  # nothing changed: the verified file stays, byte for byte
                stats = CacheStats("paper_categories", 0, 0)
    finally:
        con.close()
    stats.log_to(context.log)
    checks = run_suite(context, "categories", pl.read_parquet(paths.table("categories")), paths.quality)[1]
    checks += run_suite_on_table(context, "paper_categories", out, paths.quality, before, changed)[1]
    for table in TAXONOMY_TABLES:
        yield dg.MaterializeResult(asset_key=table, metadata=parquet_metadata(paths.table(table)))
    yield from checks
