"""A sensor on the landing folder: a partition per file, a run per new or changed content."""

import hashlib
import json

import dagster as dg

from assets.core.resources import PipelinePaths
from assets.ingest.defs import landing_files
from workflows.jobs import ingest_landing_file, refresh_corpus


def plan_landing_changes(paths: PipelinePaths, cursor: str | None) -> tuple[dict, list[str], list[str], list[str]]:
    """Compare the landing folder with the cursor ({key: sha256}).

    Returns (new cursor, keys to add, keys whose content is new or changed, keys removed). The hashes come
    from the ingest stage's landing index: files whose size and modification time did not change are not
    read again.
    """
    from assets.ingest.landing import landing_fingerprints, scan_landing

    previous = json.loads(cursor) if cursor else {}
    files, _ = scan_landing(paths.landing)
    state = landing_fingerprints(files, paths.ingest)
    added = [key for key in state if key not in previous]
    changed = [key for key, sha in state.items() if previous.get(key) != sha]
    removed = sorted(set(previous) - set(state))
    return state, added, changed, removed


@dg.sensor(
    jobs=[ingest_landing_file, refresh_corpus],
    minimum_interval_seconds=60,
    default_status=dg.DefaultSensorStatus.STOPPED,
    description="Watches PAPERS_LANDING_DIR: adds a partition per new file, runs ingestion for new or "
    "changed content (one run per content hash), removes partitions of deleted files, then refreshes "
    "the corpus.",
)
def landing_sensor(context: dg.SensorEvaluationContext, paths: PipelinePaths) -> dg.SensorResult:
    state, added, changed, removed = plan_landing_changes(paths, context.cursor)
    runs = [
        dg.RunRequest(partition_key=key, job_name=ingest_landing_file.name, run_key=f"{key}:{state[key]}")
        for key in changed
    ]
    if changed or removed:
        landing_hash = hashlib.sha256(json.dumps(state, sort_keys=True).encode()).hexdigest()[:16]
        runs.append(dg.RunRequest(job_name=refresh_corpus.name, run_key=f"corpus:{landing_hash}"))
    requests = []
    if added:
        requests.append(landing_files.build_add_request(added))
    if removed:
        requests.append(landing_files.build_delete_request(removed))
    return dg.SensorResult(run_requests=runs, dynamic_partitions_requests=requests, cursor=json.dumps(state))
