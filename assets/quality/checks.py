"""Adapter from Great Expectations suites to Dagster asset checks (dagster-ge does not support GX 1.x).

Each expectation of a suite is one Dagster asset check on the asset it validates, blocking or not as
the suite says, with GX's observed value in the check's metadata. Every outcome is also appended to
the validation history (`quality/results/*.parquet`, the `validation_results` table).
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING, Any

import dagster as dg

from assets.core.storage import write_parquet_atomic
from assets.quality.suites import BLOCKING, get_suite

if TYPE_CHECKING:
    from assets.quality.carried import TableChange

_NOT_NAME = re.compile(r"[^A-Za-z0-9_]+")


def check_name(expectation: str) -> str:
    """Dagster check names allow letters, digits and underscores only."""
    return _NOT_NAME.sub("_", expectation).strip("_")


def check_specs(dataset: str, asset: str | None = None) -> list[dg.AssetCheckSpec]:
    """One asset check per expectation of the dataset's suite."""
    suite = get_suite(dataset)
    return [
        dg.AssetCheckSpec(
            name=check_name(check.name),
            asset=asset or dataset,
            description=f"[{check.severity}] {check.description} (GX {check.expectation})",
            blocking=check.severity == BLOCKING,
        )
        for check in suite.checks
    ]


def results_dir(quality_dir: Path) -> Path:
    return quality_dir / "results"


def run_suite(
    context: dg.AssetExecutionContext | None,
    dataset: str,
    frame: Any,
    quality_dir: Path,
    asset: str | None = None,
    derived: bool = False,
) -> tuple[Any, list[dg.AssetCheckResult]]:
    """Validate `frame` with the dataset's suite; record the results; return (outcome, check results).
    `derived`: the frame already carries the suite's derived columns (validate)."""
    from assets.quality.gx_runner import validate

    outcome = validate(dataset, frame, run_id=_run_id(context), data_docs_dir=quality_dir / "data_docs",
                       derived=derived)
    return outcome, _reported(context, outcome, quality_dir, asset)


def run_suite_on_change(context: dg.AssetExecutionContext | None, dataset: str, quality_dir: Path,
                        change: "TableChange", rows: int, full, delta, columns, derived: bool = False,
                        failing_now: dict | None = None, asset: str | None = None):
    """run_suite for a table file a step rewrote for known keys: validated in proportion to the change
    (assets/quality/carried.py, validate_change's arguments), in full when that cannot be exact."""
    from assets.quality.carried import validate_change

    outcome = validate_change(dataset, _run_id(context), quality_dir, change, rows, full, delta, columns,
                              derived=derived, failing_now=failing_now)
    if context is not None:
        context.log.info(f"{dataset}: validated {outcome.method}")
    return outcome, _reported(context, outcome, quality_dir, asset)


def run_suite_on_table(context: dg.AssetExecutionContext | None, dataset: str, path: Path, quality_dir: Path,
                       before: str | None, keys: list | None, frame: Any = None):
    """run_suite_on_change for the table file at `path` (`frame`: its rows with the columns a check needs
    added, when the file alone is not what is validated), rewritten from the file with sha256 `before` for
    the first-key values `keys` (None: unknown, validated in full)."""
    import polars as pl

    from assets.core.storage import sha256_file
    from assets.quality.carried import TableChange

    source = pl.scan_parquet(path) if frame is None else frame.lazy()
    key = get_suite(dataset).key_columns[0]
    key_type = source.collect_schema()[key]
    rows = source.select(pl.len()).collect().item()
    return run_suite_on_change(
        context, dataset, quality_dir, TableChange(before, sha256_file(path), keys), rows, full=source.collect,
        delta=lambda ks: source.filter(pl.col(key).is_in(pl.Series(ks, dtype=key_type).implode())).collect(),
        columns=lambda cols: source.select(cols).collect())


def _run_id(context: dg.AssetExecutionContext | None) -> str:
    return context.run.run_id if context is not None else "adhoc"


def _reported(context, outcome, quality_dir: Path, asset: str | None) -> list[dg.AssetCheckResult]:
    """The outcome appended to the validation history and as Dagster check results."""
    dataset = outcome.dataset
    history = outcome.to_polars().to_arrow()
    write_parquet_atomic(results_dir(quality_dir) / f"{outcome.run_id}__{dataset}.parquet", history)
    results = [
        dg.AssetCheckResult(
            asset_key=asset or dataset,
            check_name=check_name(row.expectation),
            passed=bool(row.success),
            severity=dg.AssetCheckSeverity.ERROR if row.severity == BLOCKING else dg.AssetCheckSeverity.WARN,
            metadata={
                "observed_value": row.observed_value,
                "description": row.description,
                "severity": row.severity,
                "unexpected_count": row.unexpected_count if row.unexpected_count is not None else 0,
                "unexpected_examples": ", ".join(row.unexpected_examples[:10]),
                "gx_expectation": row.gx_type,
                "validated": outcome.method,
            },
        )
        for row in outcome.rows
    ]
    if context is not None and (outcome.blocking_failures or outcome.warnings):
        context.log.warning(outcome.failure_message())
    return results
