"""A daily refresh of the corpus-wide assets and a weekly topic refit (off until a user turns them on)."""

import dagster as dg

from workflows.jobs import refit_topics, refresh_corpus

daily_refresh = dg.ScheduleDefinition(
    name="daily_refresh",
    job=refresh_corpus,
    cron_schedule="0 6 * * *",
    execution_timezone="UTC",
    default_status=dg.DefaultScheduleStatus.STOPPED,
    description="Every day at 06:00 UTC: rebuild corpus tables, run blocking checks, publish if changed.",
)

weekly_topic_refit = dg.ScheduleDefinition(
    name="weekly_topic_refit",
    job=refit_topics,
    cron_schedule="0 5 * * 1",
    execution_timezone="UTC",
    default_status=dg.DefaultScheduleStatus.STOPPED,
    description="Every Monday at 05:00 UTC: refresh with the topic model refitted (between refits, topics "
    "are refitted only when measured stale).",
)
