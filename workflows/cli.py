"""`make run`: ingest new or changed landing files (one partition each), then refresh the corpus,
validate, publish and rebuild papers.duckdb, all as real Dagster runs on a persistent instance.

Exits 0 when every blocking check passed, 1 with a readable message naming the failed expectations
otherwise, 2 on a configuration problem (missing landing folder, unwritable warehouse, ...).
"""

from __future__ import annotations

import argparse
import os
import sys
import time
import traceback
from collections.abc import Mapping
from functools import partial
from pathlib import Path

from assets.core.long_lived import long_lived_imports

with long_lived_imports():  # Dagster's modules (workflows.progress imports them) live as long as the process
    from workflows.faults import Fault, fault_of_exception, fault_of_result, stack_traces_left_out, with_log
    from workflows.instance_sqlite import instance_writes_batched
    from workflows.lock import (
        DEFAULT_POOL_WAIT, WarehouseBusy, cli_run_tags, recover_abandoned_runs, start_pool_watchdog, warehouse_lock,
    )
    from workflows.progress import PROGRESS_CONFIG

DAGSTER_YAML = """\
# Written by workflows/cli.py. Pools serialise the steps that write the warehouse across runs.
concurrency:
  pools:
    default_limit: 1
telemetry:
  enabled: false
"""


class SetupError(Exception):
    """A problem the user fixes by changing configuration; reported as one line."""


def _warehouse_path(environ: Mapping[str, str]) -> Path:
    return Path(environ.get("PAPERS_WAREHOUSE_DIR", "warehouse")).expanduser().resolve()


def uses_object_storage(environ: Mapping[str, str]) -> bool:
    """True when a folder is an s3:// location (workflows/remote.py runs it); another scheme is a SetupError."""
    from assets.core.object_store import UnsupportedLocation, parse_location

    try:
        names = ("PAPERS_LANDING_DIR", "PAPERS_WAREHOUSE_DIR")
        return any([parse_location(environ.get(name, ""), name) for name in names])
    except UnsupportedLocation as error:
        raise SetupError(str(error)) from None


def resolve_paths(environ: Mapping[str, str]) -> tuple[Path, Path]:
    """The landing and warehouse folders named by PAPERS_LANDING_DIR / PAPERS_WAREHOUSE_DIR (defaults
    data/landing and warehouse), checked: the landing folder exists, the warehouse is writable."""
    landing = Path(environ.get("PAPERS_LANDING_DIR", "data/landing")).expanduser().resolve()
    warehouse = _warehouse_path(environ)
    if not landing.is_dir():
        raise SetupError(f"landing folder {landing} does not exist: create it or set PAPERS_LANDING_DIR")
    try:
        warehouse.mkdir(parents=True, exist_ok=True)
        probe = warehouse / f".write-probe-{os.getpid()}"
        probe.write_bytes(b"ok")
        probe.unlink()
    except OSError as error:
        raise SetupError(
            f"warehouse folder {warehouse} is not writable ({error.strerror}): "
            "fix its permissions, free space, or set PAPERS_WAREHOUSE_DIR"
        ) from error
    return landing, warehouse


def dagster_home(warehouse: Path, environ: Mapping[str, str]) -> Path:
    """A persistent Dagster instance (run history, partitions, pools): $DAGSTER_HOME or the warehouse's."""
    home = Path(environ.get("DAGSTER_HOME") or warehouse / "dagster_home").resolve()
    home.mkdir(parents=True, exist_ok=True)
    config = home / "dagster.yaml"
    if not config.exists():
        config.write_text(DAGSTER_YAML, encoding="utf-8")
    return home


def _failed_checks(result) -> list[str]:
    lines = []
    for evaluation in result.get_asset_check_evaluations():
        if evaluation.passed:
            continue
        meta = evaluation.metadata
        observed = meta.get("observed_value")
        severity = meta.get("severity")
        severity = severity.value if severity is not None else str(evaluation.severity.value).lower()
        examples = meta.get("unexpected_examples")
        line = f"  [{severity}] {evaluation.asset_key.to_user_string()}.{evaluation.check_name}"
        if observed is not None:
            line += f": observed {observed.value}"
        if examples is not None and examples.value:
            line += f" (e.g. {examples.value})"
        lines.append(line)
    return lines


def _check_fault(result, warehouse: Path, home: Path) -> None:
    """A step that failed on a fault of the machine (disk full, read-only folder, permission) ends the
    run with one line (exit 2); the traceback goes to the log file it names."""
    found = fault_of_result(result, warehouse, home)
    if found is not None:
        raise with_log(found[0], found[1], warehouse)


IN_PROCESS = {
    "execution": {"config": {"in_process": {}}},
    "loggers": {"console": {"config": {"log_level": "WARNING"}}, **PROGRESS_CONFIG},
}
MAX_PER_FILE_RUNS = 20  # more new or changed files than this are parsed in one batch by the corpus run
KEEP_RUNS = 500  # finished runs kept in the Dagster instance; older ones are deleted


def _add_partitions(instance, keys: list[str]) -> list[str]:
    """One dynamic partition per landing file: add the new ones (returned). Those of removed files are
    deleted by `_settle_partitions` once the run passed its gates, so a failed run changes none."""
    known = set(instance.get_dynamic_partitions("landing_files"))
    if missing := [k for k in keys if k not in known]:
        instance.add_dynamic_partitions("landing_files", missing)
    return missing


def _settle_partitions(instance, keys: list[str], added: list[str], passed: bool) -> None:
    """After the corpus run: drop the partitions of removed files when it passed, else the ones it added."""
    stale = set(instance.get_dynamic_partitions("landing_files")) - set(keys) if passed else set(added)
    for key in sorted(stale):
        instance.delete_dynamic_partition("landing_files", key)


def _ingest_changed(defs, instance, paths, files, warehouse: Path, batch_allowed: bool) -> None:
    """A Dagster run per new or changed landing file; unchanged files (an output for their content
    exists: the corpus run verifies it before use and parses the file again if it is damaged) cost a stat
    and no run. Many new files are left to the corpus run, which parses them in one step and records
    their partitions."""
    from assets.ingest.landing import has_output, landing_fingerprints

    fingerprints = landing_fingerprints(files, paths.ingest)
    pending = [f for f in files if not has_output(f, paths.ingest, fingerprints[f.partition_key])]
    print(f"landing: {len(files)} files, {len(files) - len(pending)} unchanged, {len(pending)} new or changed")
    if batch_allowed and len(pending) > MAX_PER_FILE_RUNS:
        print(f"  {len(pending)} files are parsed in one batch by the corpus run")
        return
    ingest_job = defs.resolve_job_def("ingest_landing_file")
    for landing_file in pending:
        key = landing_file.partition_key
        result = ingest_job.execute_in_process(
            instance=instance, partition_key=key, run_config=IN_PROCESS, raise_on_error=False, tags=cli_run_tags()
        )
        if not result.success:
            _check_fault(result, warehouse, Path(instance.root_directory))
            print(f"ingest of partition {key!r} failed; the corpus run reports the file", file=sys.stderr)


def _prune_run_history(instance, keep: int = KEEP_RUNS) -> None:
    """Keep the instance bounded: delete finished runs beyond the newest `keep` (their event logs too)."""
    import dagster as dg

    finished = [dg.DagsterRunStatus.SUCCESS, dg.DagsterRunStatus.FAILURE, dg.DagsterRunStatus.CANCELED]
    for run_id in instance.get_run_ids(filters=dg.RunsFilter(statuses=finished))[keep:]:
        instance.delete_run(run_id)


def _blocking(failed: list[str]) -> list[str]:
    return [line for line in failed if line.startswith("  [blocking]") or line.startswith("  [error]")]


def _report_outcome(result, warehouse: Path, seconds: float) -> int:
    from assets.publish.database import ensure_validation_database
    from assets.quality.checks import results_dir

    failed = _failed_checks(result)
    print(f"run {result.run_id}: {'succeeded' if result.success else 'FAILED'} in {seconds:.1f}s")
    if failed:
        print("failed checks:\n" + "\n".join(failed))
    if _blocking(failed) or not result.success:
        database = warehouse / "papers.duckdb"
        ensure_validation_database(database, results_dir(warehouse / "quality"))
        print(
            "Nothing was published and nothing a reader sees changed (tables/, papers.duckdb, releases): "
            "a blocking check failed or a step errored.\n"
            f"Details: SELECT * FROM validation_results WHERE run_id = '{result.run_id}' AND NOT success  "
            f"(in {database}); Data Docs: {warehouse / 'quality' / 'data_docs' / 'index.html'}; "
            "the run's logs: make dev.",
            file=sys.stderr,
        )
        for event in result.all_events:
            if event.is_step_failure:
                error = event.step_failure_data.error
                print(f"step {event.step_key} failed: {error.message.strip() if error else ''}", file=sys.stderr)
        return 1
    for line in _outcome_lines(result):
        print(line)
    print(f"warehouse: {warehouse / 'papers.duckdb'}; releases: {warehouse / 'published'}")
    return 0


def _outcome_lines(result) -> list[str]:
    """What the run did, from its materializations: the corpus, the topic model decision, the release."""
    meta = {event.asset_key.to_user_string(): event.materialization.metadata
            for event in result.get_asset_materialization_events()}
    lines = []
    if "papers" in meta:
        quarantined = meta.get("ingest_files", {}).get("quarantined_files")
        lines.append(f"corpus: {meta['papers']['dagster/row_count'].value:,} papers, "
                     f"{meta['rejects']['dagster/row_count'].value:,} rejected lines, "
                     f"{len(quarantined.value) if quarantined else 0} quarantined files")
    if "topic_model/action" in meta.get("topics", {}):
        topics = meta["topics"]
        lines.append(f"topics: {topics['topic_model/action'].value} (model {topics['topic_model/model_id'].value}: "
                     f"{topics['topic_model/reasons'].value})")
    if "release" in meta:
        release = meta["release"]
        if release["published"].value:
            lines.append(f"published release {release['version'].value} ({release['bump'].value})")
        else:
            lines.append(f"no change: nothing published, latest stays {release['version'].value}")
        lines.append(f"report: {release['report'].value}")
    return lines


def run_pipeline(landing: Path, warehouse: Path, home: Path, only_ingest: bool = False, wait: float = 0.0) -> int:
    # modules, definitions and the instance live as long as the process: built without collections, then frozen
    with long_lived_imports():
        import dagster as dg

        from assets.core.resources import PipelinePaths
        from workflows.definitions import build_definitions

        paths = PipelinePaths(landing_dir=str(landing), warehouse_dir=str(warehouse))
        defs = build_definitions(paths)
        instance = dg.DagsterInstance.from_config(str(home))
    started = time.perf_counter()
    with instance_writes_batched(home):
        # we hold the warehouse lock: runs left STARTED by a killed `make run` would hold the pool forever
        for run_id in recover_abandoned_runs(instance):
            print(f"run {run_id} was interrupted (its process died): marked failed, its pool slot freed")
        result = _run_jobs(defs, instance, paths, warehouse, only_ingest, wait)
        if result is None:
            return 0
        if not result.success:
            _check_fault(result, warehouse, home)
        _prune_run_history(instance)
    return _report_outcome(result, warehouse, time.perf_counter() - started)


def _run_jobs(defs, instance, paths, warehouse: Path, only_ingest: bool, wait: float):
    """Ingest the new landing files, then the corpus run (None when only ingesting); settles partitions."""
    from assets.ingest.landing import scan_landing

    landing = Path(paths.landing_dir)
    watchdog = start_pool_watchdog(instance, warehouse, wait or DEFAULT_POOL_WAIT)
    try:
        files, skipped = scan_landing(landing)
        for entry in skipped:
            print(f"not read: {entry.name!r}: {entry.reason}")
        if not files:
            raise SetupError(f"landing folder {landing} holds no readable dump: put the dump files (plain text) "
                             "there or set PAPERS_LANDING_DIR; nothing was changed")
        keys = [f.partition_key for f in files]
        added = _add_partitions(instance, keys)
        _ingest_changed(defs, instance, paths, files, warehouse, batch_allowed=not only_ingest)
        if only_ingest:
            return None
        result = defs.resolve_job_def("refresh_corpus").execute_in_process(
            instance=instance, run_config=IN_PROCESS, raise_on_error=False, tags=cli_run_tags()
        )
    finally:
        watchdog.set()
    _settle_partitions(instance, keys, added, passed=result.success and not _blocking(_failed_checks(result)))
    return result


def main(argv: list[str] | None = None, environ: Mapping[str, str] | None = None) -> int:
    """The command line; `environ` (default: the process environment) is read, never written."""
    environ = os.environ if environ is None else environ
    parser = argparse.ArgumentParser(prog="python -m workflows.cli", description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    run = sub.add_parser("run", help="ingest, validate, derive, publish (what `make run` does)")
    run.add_argument("--wait", type=float, default=0.0, help="seconds to wait for another run's lock or pool slot")
    run.add_argument("--only-ingest", action="store_true", help="stop after the per-file partitions")
    args = parser.parse_args(argv)
    warehouse = _warehouse_path(environ)  # named by the fault messages even when resolve_paths fails
    home = Path(environ.get("DAGSTER_HOME") or warehouse / "dagster_home")
    try:
        if uses_object_storage(environ):
            from workflows.remote import RemoteSetupError, run_remote

            try:
                return run_remote(environ, args.wait, partial(run_pipeline, only_ingest=args.only_ingest), dagster_home)
            except RemoteSetupError as error:
                raise SetupError(str(error)) from None
        landing, warehouse = resolve_paths(environ)
        home = dagster_home(warehouse, environ)
        with warehouse_lock(warehouse, wait_seconds=args.wait), stack_traces_left_out():
            return run_pipeline(landing, warehouse, home, only_ingest=args.only_ingest, wait=args.wait)
    except (SetupError, WarehouseBusy, FileNotFoundError, Fault) as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    except Exception as error:  # noqa: BLE001 - only a fault of the machine is turned into a message
        fault = fault_of_exception(error, warehouse, home)
        if fault is None:
            raise
        print(f"error: {with_log(fault, traceback.format_exc(), warehouse)}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
