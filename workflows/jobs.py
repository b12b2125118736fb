"""Jobs: ingest one landing file (a partition), and refresh everything corpus-wide in one run, so the
blocking checks that gate a release always run in the same run as the release; `refit_topics` is that
refresh with the topic model refitted."""

import dagster as dg

from assets.ingest.defs import landing_file
from assets.topics.defs import REFIT_TAG
from workflows.memory import release_memory_after_step

# everything but the per-file partitions: corpus, validation, topics, metrics, release, papers.duckdb
CORPUS_ASSETS = dg.AssetSelection.all() - dg.AssetSelection.assets(landing_file)

ingest_landing_file = dg.define_asset_job(
    "ingest_landing_file",
    selection=dg.AssetSelection.assets(landing_file),
    description="Parse one landing file (one partition) into Parquet.",
)

refresh_corpus = dg.define_asset_job(
    "refresh_corpus",
    selection=CORPUS_ASSETS,
    description="Corpus, validation, topics, metrics, release and papers.duckdb, in one run.",
    hooks={release_memory_after_step},
)

refit_topics = dg.define_asset_job(
    "refit_topics",
    selection=CORPUS_ASSETS,
    tags={REFIT_TAG: "true"},
    description="refresh_corpus with the topic model refitted (topic ids kept where topics match).",
    hooks={release_memory_after_step},
)
