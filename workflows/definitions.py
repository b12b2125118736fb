"""The composition root: every stage's assets, the jobs, schedule, sensor and resources."""

import dagster as dg

from assets.ingest import defs as ingest
from assets.metrics import defs as metrics
from assets.publish import defs as publish
from assets.topics import defs as topics
from workflows.jobs import ingest_landing_file, refresh_corpus
from workflows.resources import PipelinePaths, PipelineSettings
from workflows.schedules import daily_refresh
from workflows.sensors import landing_sensor

defs = dg.Definitions(
    assets=dg.load_assets_from_modules([ingest, topics, metrics, publish]),
    asset_checks=dg.load_asset_checks_from_modules([ingest, topics, metrics, publish]),
    jobs=[ingest_landing_file, refresh_corpus],
    schedules=[daily_refresh],
    sensors=[landing_sensor],
    resources={
        "paths": PipelinePaths(
            landing_dir=dg.EnvVar("PAPERS_LANDING_DIR"),
            warehouse_dir=dg.EnvVar("PAPERS_WAREHOUSE_DIR"),
        ),
        "settings": PipelineSettings(),
    },
)
