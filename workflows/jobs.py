"""Jobs: ingest one landing file (a partition), and refresh everything corpus-wide in one run, so the
blocking checks that gate a release always run in the same run as the release."""

import dagster as dg

from assets.ingest.defs import landing_file

ingest_landing_file = dg.define_asset_job(
    "ingest_landing_file",
    selection=dg.AssetSelection.assets(landing_file),
    description="Parse one landing file (one partition) into Parquet.",
)

refresh_corpus = dg.define_asset_job(
    "refresh_corpus",
    selection=dg.AssetSelection.all() - dg.AssetSelection.assets(landing_file),
    description="Corpus, validation, topics, metrics, release and papers.duckdb, in one run.",
)
