"""A daily refresh of the corpus-wide assets (off until a user turns it on)."""

import dagster as dg

from workflows.jobs import refresh_corpus

daily_refresh = dg.ScheduleDefinition(
    name="daily_refresh",
    job=refresh_corpus,
    cron_schedule="0 6 * * *",
    execution_timezone="UTC",
    default_status=dg.DefaultScheduleStatus.STOPPED,
    description="Every day at 06:00 UTC: rebuild corpus tables, run blocking checks, publish if changed.",
)
