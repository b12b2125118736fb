"""`python -m workflows.cli run` with both folders on s3:// (moto's server on loopback) against local disk:
wall seconds of a fresh run and of an unchanged re-run (interleaved local/s3, so load from other processes
hits both alike), and the seconds the s3 runs spent fetching and pushing (from their own output lines).

    .venv/bin/python -m tools.bench_object_store --papers 0 100000     # 0: the 210-paper sample
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from tools.synthetic import generate_dump

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "data" / "landing" / "hf_papers_memory.txt"
KEYS = {"AWS_ACCESS_KEY_ID": "bench", "AWS_SECRET_ACCESS_KEY": "bench", "AWS_REGION": "us-east-1"}


def start_moto() -> tuple[subprocess.Popen, str]:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = subprocess.Popen([str(Path(sys.executable).parent / "moto_server"), "-H", "127.0.0.1", "-p", str(port)],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    endpoint = f"http://127.0.0.1:{port}"
    for _ in range(200):
        try:
            urllib.request.urlopen(endpoint, timeout=2).close()
            return server, endpoint
        except OSError:
            time.sleep(0.3)
    raise RuntimeError("moto_server did not start")


def timed_run(env: dict, times: dict[str, float], label: str) -> None:
    started = time.perf_counter()
    run = subprocess.run([sys.executable, "-m", "workflows.cli", "run"], cwd=ROOT, env=env,
                         capture_output=True, text=True)
    if run.returncode != 0:
        raise RuntimeError(run.stdout[-2000:] + run.stderr[-2000:])
    times[label] = time.perf_counter() - started
    # "warehouse s3://...: N objects verified in ... (1.2s)" and "... pushed, M deleted (0.4s)"
    transfer = [float(m) for m in re.findall(r"^warehouse s3://.*\((\d+\.\d+)s\)$", run.stdout, re.M)]
    if transfer:
        times[f"{label} (fetch+push)"] = sum(transfer)


def bench(papers: int, work: Path, endpoint: str) -> dict[str, float]:
    import boto3

    dump = work / f"dump-{papers}.txt"
    if papers:
        generate_dump(dump, papers)
    else:
        shutil.copy(SAMPLE, dump)
    (work / "landing").mkdir()
    shutil.copy(dump, work / "landing" / dump.name)
    local = {**os.environ, "PAPERS_LANDING_DIR": str(work / "landing"), "PAPERS_WAREHOUSE_DIR": str(work / "wh")}
    local.pop("DAGSTER_HOME", None)
    bucket = f"bench-{papers}"
    s3 = boto3.client("s3", endpoint_url=endpoint, region_name="us-east-1",
                      aws_access_key_id="bench", aws_secret_access_key="bench")
    s3.create_bucket(Bucket=bucket)
    s3.upload_file(str(dump), bucket, f"landing/{dump.name}")
    remote = {**local, **KEYS, "AWS_ENDPOINT_URL": endpoint, "PAPERS_LANDING_DIR": f"s3://{bucket}/landing",
              "PAPERS_WAREHOUSE_DIR": f"s3://{bucket}/wh", "PAPERS_SCRATCH_DIR": str(work / "scratch")}
    times: dict[str, float] = {}
    timed_run(local, times, "local fresh")
    timed_run(remote, times, "s3 fresh")
    timed_run(local, times, "local re-run")
    timed_run(remote, times, "s3 re-run")
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--papers", type=int, nargs="+", default=[0])
    args = parser.parse_args()
    server, endpoint = start_moto()
    try:
        for papers in args.papers:
            with tempfile.TemporaryDirectory(prefix="bench-s3-") as work:
                times = bench(papers, Path(work), endpoint)
            label = "the sample" if papers == 0 else f"{papers:,} papers"
            print(f"{label}: " + ", ".join(f"{k} {v:.1f} s" for k, v in times.items()), flush=True)
    finally:
        server.terminate()
        server.wait(timeout=30)


if __name__ == "__main__":
    main()
