"""`python -m workflows.cli run` with both folders on s3:// (moto's server on loopback) against local disk:
wall seconds of a fresh run and of an unchanged re-run, for the sample and synthetic dumps.

    .venv/bin/python -m tools.bench_object_store --papers 0 100000     # 0: the 210-paper sample
"""

from __future__ import annotations

import argparse
import os
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


def timed_run(env: dict) -> float:
    started = time.perf_counter()
    run = subprocess.run([sys.executable, "-m", "workflows.cli", "run"], cwd=ROOT, env=env,
                         capture_output=True, text=True)
    if run.returncode != 0:
        raise RuntimeError(run.stdout[-2000:] + run.stderr[-2000:])
    return time.perf_counter() - started


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
    return {"local fresh": timed_run(local), "local re-run": timed_run(local),
            "s3 fresh": timed_run(remote), "s3 re-run": timed_run(remote)}


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
