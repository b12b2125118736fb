"""The composition root: every stage's assets, the jobs, schedule, sensor and resources.

`defs` (what `dg` and the UI load) binds the paths to the PAPERS_* environment variables at run time;
the CLI calls `build_definitions` with the paths it resolved.
"""

import dagster as dg

from assets.core.resources import PipelinePaths, PipelineSettings
from assets.ingest import defs as ingest
from assets.metrics import defs as metrics
from assets.publish import defs as publish
from assets.topics import defs as topics
from workflows.progress import progress_logger
from workflows.jobs import ingest_landing_file, refit_topics, refresh_corpus
from workflows.schedules import daily_refresh, weekly_topic_refit
from workflows.sensors import landing_sensor


def build_definitions(paths: PipelinePaths, settings: PipelineSettings | None = None) -> dg.Definitions:
    return dg.Definitions(
        assets=dg.load_assets_from_modules([ingest, topics, metrics, publish]),
        asset_checks=dg.load_asset_checks_from_modules([ingest, topics, metrics, publish]),
        jobs=[ingest_landing_file, refresh_corpus, refit_topics],
        schedules=[daily_refresh, weekly_topic_refit],
        sensors=[landing_sensor],
        resources={"paths": paths, "settings": settings or PipelineSettings()},
        # the `warehouse` pool runs the steps one at a time anyway: no process start-up per step
        executor=dg.in_process_executor,
        # the console logger stays the default; `progress` prints make run's compact lines when configured
        loggers={"console": dg.colored_console_logger, "progress": progress_logger},
    )


defs = build_definitions(
    PipelinePaths(landing_dir=dg.EnvVar("PAPERS_LANDING_DIR"), warehouse_dir=dg.EnvVar("PAPERS_WAREHOUSE_DIR"))
)
