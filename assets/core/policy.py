"""Dagster conventions every stage's assets share: who owns them, how failed steps are retried, and
the code version releases record (the installed package's, from pyproject.toml)."""

from importlib.metadata import version

import dagster as dg

OWNERS = ["team:papers-data"]
RETRY = dg.RetryPolicy(max_retries=2, delay=2, backoff=dg.Backoff.EXPONENTIAL)
CODE_VERSION = version("papers-pipeline")
