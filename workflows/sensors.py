"""A sensor on the landing folder: a partition per file, a run per new or changed content."""


import json

import dagster as dg

from assets.ingest.defs import landing_files
from workflows.jobs import ingest_landing_file, refresh_corpus
from assets.core.resources import PipelinePaths


def plan_landing_changes(paths: PipelinePaths, cursor: str | None) -> tuple[dict, list[str], list[str], list[str]]:
    """Compare the landing folder with the cursor ({key: [bytes, mtime_ns, sha256]}).

    Returns (new cursor, keys to add, keys whose content is new or changed, keys removed). Files whose
    size and modification time did not change are not hashed again.
    """
    from assets.ingest.landing import scan_landing
    from assets.core.storage import sha256_file

    previous = json.loads(cursor) if cursor else {}
    files, _ = scan_landing(paths.landing)
    state, added, changed = {}, [], []
    for f in files:
        before = previous.get(f.partition_key)
        if before and before[0] == f.bytes and before[1] == f.mtime_ns:
            sha = before[2]
        else:
            sha = sha256_file(f.path)
        state[f.partition_key] = [f.bytes, f.mtime_ns, sha]
        if before is None:
            added.append(f.partition_key)
        if before is None or before[2] != sha:
            changed.append(f.partition_key)
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
        dg.RunRequest(partition_key=key, job_name=ingest_landing_file.name, run_key=f"{key}:{state[key][2]}")
        for key in changed
    ]
    if changed or removed:
        landing_hash = dg.DataVersion(json.dumps({k: v[2] for k, v in sorted(state.items())})).value
        import hashlib

        runs.append(
            dg.RunRequest(
                job_name=refresh_corpus.name,
                run_key="corpus:" + hashlib.sha256(landing_hash.encode()).hexdigest()[:16],
            )
        )
    requests = []
    if added:
        requests.append(landing_files.build_add_request(added))
    if removed:
        requests.append(landing_files.build_delete_request(removed))
    return dg.SensorResult(run_requests=runs, dynamic_partitions_requests=requests, cursor=json.dumps(state))
