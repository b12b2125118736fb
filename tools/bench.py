"""`make bench`: the whole pipeline on deterministic synthetic dumps, stage by stage, with reference figures.

For each size N: a synthetic dump (`tools.synthetic.generate_dump`) in a fresh
`$PAPERS_WAREHOUSE_DIR/bench/<N>/landing`, measured against `wc -l` and DuckDB reading the same file as
lines and writing Parquet; then ingest (the `ingest_landing_file` job for the file's partition) and the
`refresh_corpus` job split by asset selection into corpus+validation, topics, claims+metrics and publish.
Every stage is a real Dagster run (in-process executor, persistent instance under the bench warehouse)
in its own child process, so its wall time, CPU time and peak RSS are its own; the run's step
durations are read from its events, so Dagster overhead (process start, imports, run bookkeeping) shows
as wall minus step time. After the largest size, an incremental run adds one 210-paper dump and reruns
every stage (by default only when that size is 1M or more). Finally the start-up cost of `python -m workflows.cli run` on the 210-paper sample.

Results: a table per size on stdout and `$PAPERS_WAREHOUSE_DIR/bench/results.json`.

Note: stages split across runs means the release's manifest sees no validation results of its own run
(the checks ran in the earlier stage runs); the bench measures cost, not release semantics.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "data" / "landing" / "hf_papers_memory.txt"

STAGES: dict[str, list[str]] = {
    "corpus_validation": ["papers", "paper_sources", "rejects", "ingest_files", "paper_flags"],
    "topics": ["topics", "paper_topics", "topic_terms", "topic_lineage", "categories", "paper_categories"],
    "claims_metrics": ["claims", "paper_metrics", "topic_metrics", "category_metrics"],
    "publish": ["release", "warehouse_db"],
}
INCREMENTAL_FROM = 1_000_000
QUIET = {
    "execution": {"config": {"in_process": {}}},
    "loggers": {"console": {"config": {"log_level": "WARNING"}}},
}


# ---------------------------------------------------------------- child side: one stage, one process

def _child(stage: str, root: Path, partition: str | None, out: Path) -> int:
    started = time.perf_counter()
    import dagster as dg

    from assets.core.resources import PipelinePaths
    from workflows.cli import dagster_home
    from workflows.definitions import build_definitions

    warehouse = root / "warehouse"
    defs = build_definitions(PipelinePaths(landing_dir=str(root / "landing"), warehouse_dir=str(warehouse)))
    home = dagster_home(warehouse, {"DAGSTER_HOME": str(warehouse / "dagster_home")})
    imported = time.perf_counter()
    instance = dg.DagsterInstance.from_config(str(home))
    if stage == "ingest":
        if partition not in set(instance.get_dynamic_partitions("landing_files")):
            instance.add_dynamic_partitions("landing_files", [partition])
        job, kwargs = defs.resolve_job_def("ingest_landing_file"), {"partition_key": partition}
    else:
        job = defs.resolve_job_def("refresh_corpus")
        kwargs = {"asset_selection": [dg.AssetKey(k) for k in STAGES[stage]]}
    ready = time.perf_counter()
    result = job.execute_in_process(instance=instance, run_config=QUIET, raise_on_error=False, **kwargs)
    finished = time.perf_counter()
    steps = {}
    for event in result.all_events:
        if event.is_step_success:
            steps[event.step_key] = event.event_specific_data.duration_ms / 1000
    failed = [e.step_key for e in result.all_events if e.is_step_failure]
    checks = [(c.asset_key.to_user_string(), c.check_name) for c in result.get_asset_check_evaluations()
              if not c.passed]
    out.write_text(json.dumps({
        "success": result.success, "run_id": result.run_id, "failed_steps": failed, "failed_checks": checks,
        "import_s": imported - started, "instance_s": ready - imported, "run_s": finished - ready,
        "steps_s": steps,
    }), encoding="utf-8")
    return 0 if result.success else 1


# ---------------------------------------------------------------- parent side

def _run_child(argv: list[str], env: dict | None = None, stdout=None) -> dict:
    """Run a child, return wall, user+sys CPU and peak RSS of that child alone (os.wait4)."""
    t0 = time.perf_counter()
    proc = subprocess.Popen(argv, env=env, cwd=ROOT, stdout=stdout, stderr=subprocess.PIPE)
    err = b""
    if proc.stderr is not None:
        err = proc.stderr.read()
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - t0
    proc.returncode = os.waitstatus_to_exitcode(status)
    return {"wall_s": wall, "cpu_s": usage.ru_utime + usage.ru_stime, "peak_rss_mb": usage.ru_maxrss / 1024,
            "returncode": proc.returncode, "stderr": err.decode("utf-8", "replace")[-3000:]}


def _stage(stage: str, root: Path, partition: str | None = None) -> dict:
    out = root / f".bench-{stage}.json"
    out.unlink(missing_ok=True)
    argv = [sys.executable, "-m", "tools.bench", "--stage", stage, "--root", str(root), "--out", str(out)]
    if partition:
        argv += ["--partition", partition]
    row = _run_child(argv)
    detail = json.loads(out.read_text()) if out.exists() else {"success": False}
    row.update(detail)
    row["step_s"] = sum(detail.get("steps_s", {}).values())
    row["dagster_overhead_s"] = row["wall_s"] - row["step_s"]
    if not detail.get("success"):
        print(f"  stage {stage} FAILED: {detail.get('failed_steps')} {detail.get('failed_checks')}\n"
              f"{row['stderr']}", file=sys.stderr)
    del row["stderr"]
    return row


def _references(dump: Path, scratch: Path) -> dict:
    size = dump.stat().st_size
    wc = _run_child(["wc", "-l", str(dump)], stdout=subprocess.DEVNULL)
    script = (
        "import duckdb, sys\n"
        "con = duckdb.connect()\n"
        "rel = con.read_csv(sys.argv[1], header=False, sep='\\x01', quotechar='', escapechar='',"
        " columns={'line': 'VARCHAR'}, auto_detect=False, null_padding=False)\n"
        "rel.write_parquet(sys.argv[2], compression='zstd')\n"
    )
    out = scratch / "lines.parquet"
    duck = _run_child([sys.executable, "-c", script, str(dump), str(out)], stdout=subprocess.DEVNULL)
    if duck["returncode"] != 0:  # every ratio is against this figure: no figure, no bench
        raise RuntimeError(f"the DuckDB line-read reference failed: {duck['stderr']}")
    out.unlink(missing_ok=True)
    for row in (wc, duck):
        row["mb_per_s"] = size / 1e6 / row["wall_s"]
        del row["stderr"]
    return {"wc_l": wc, "duckdb_lines_to_parquet": duck}


def _count(path: Path) -> int:
    import pyarrow.parquet as pq

    return pq.ParquetFile(path).metadata.num_rows if path.exists() else 0


def _pipeline(root: Path, partitions: list[str], bytes_in: int, reference_s: float, save=lambda: None,
              stages: dict | None = None) -> dict:
    stages = {} if stages is None else stages
    for key in partitions:
        row = _stage("ingest", root, key)
        row["mb_per_s"] = bytes_in / 1e6 / row["wall_s"]
        row["ratio_to_duckdb_lines"] = row["wall_s"] / reference_s
        stages["ingest" if len(partitions) == 1 else f"ingest:{key}"] = row
        save()
    papers = _count(root / "warehouse" / "tables" / "papers.parquet")
    for stage in STAGES:
        stages[stage] = _stage(stage, root)
        papers = papers or _count(root / "warehouse" / "tables" / "papers.parquet")
        stages[stage]["rows_per_s"] = papers / stages[stage]["wall_s"]
        stages[stage]["ratio_to_duckdb_lines"] = stages[stage]["wall_s"] / reference_s
        save()
    return stages


def _print_table(title: str, refs: dict, stages: dict) -> None:
    print(f"\n{title}")
    print(f"{'stage':<22}{'wall s':>9}{'cpu s':>9}{'steps s':>9}{'dagster s':>10}{'MB/s | rows/s':>15}"
          f"{'peak MB':>9}{'x ref':>7}")
    for name, row in {**refs, **stages}.items():
        rate = f"{row['mb_per_s']:.1f} MB/s" if "mb_per_s" in row else f"{row.get('rows_per_s', 0):,.0f}/s"
        steps = f"{row['step_s']:.1f}" if "step_s" in row else "-"
        over = f"{row['dagster_overhead_s']:.1f}" if "dagster_overhead_s" in row else "-"
        ratio = f"{row['ratio_to_duckdb_lines']:.1f}" if "ratio_to_duckdb_lines" in row else "-"
        ok = "" if row.get("success", True) else "  FAILED"
        print(f"{name:<22}{row['wall_s']:>9.2f}{row['cpu_s']:>9.2f}{steps:>9}{over:>10}{rate:>15}"
              f"{row['peak_rss_mb']:>9.0f}{ratio:>7}{ok}")
    total = sum(r["wall_s"] for r in stages.values())
    print(f"{'pipeline total':<22}{total:>9.2f}{sum(r['cpu_s'] for r in stages.values()):>9.2f}")


def bench_size(bench_dir: Path, papers: int, incremental: bool, result: dict, save=lambda: None) -> dict:
    from assets.ingest.landing import partition_key_for
    from tools.synthetic import generate_dump

    root = bench_dir / str(papers)
    shutil.rmtree(root, ignore_errors=True)
    landing, warehouse = root / "landing", root / "warehouse"
    warehouse.mkdir(parents=True)
    name = f"synthetic_{papers}.txt"
    t0 = time.perf_counter()
    size = generate_dump(landing / name, papers)
    generate_s = time.perf_counter() - t0
    # Warm the page cache so every figure below reads the file the same way.
    subprocess.run(["cat", str(landing / name)], stdout=subprocess.DEVNULL, check=True)
    refs = _references(landing / name, warehouse)
    reference_s = refs["duckdb_lines_to_parquet"]["wall_s"]
    stages: dict = {}
    result.update({"papers": papers, "bytes": size, "generate_s": generate_s, "references": refs,
                   "stages": stages})
    _pipeline(root, [partition_key_for(name)], size, reference_s, save, stages)
    result.update({"pipeline_wall_s": sum(r["wall_s"] for r in stages.values()),
              "pipeline_cpu_s": sum(r["cpu_s"] for r in stages.values()),
              "peak_rss_mb": max(r["peak_rss_mb"] for r in stages.values()),
              "success": all(r.get("success") for r in stages.values())})
    save()
    _print_table(f"{papers:,} papers, {size / 1e6:.1f} MB (generated in {generate_s:.1f}s)", refs, stages)
    if incremental:
        extra = "incremental_memory.txt"
        shutil.copy(SAMPLE, landing / extra)
        inc: dict = {}
        result["incremental"] = {"added_file": extra, "added_papers": 210, "stages": inc}
        _pipeline(root, [partition_key_for(extra)], SAMPLE.stat().st_size, reference_s, save, inc)
        result["incremental"]["pipeline_wall_s"] = sum(r["wall_s"] for r in inc.values())
        save()
        _print_table(f"incremental: + {extra} (210 papers) on {papers:,}", {}, inc)
    return result


def _importtime_summary() -> dict:
    """Cumulative import time of `workflows.definitions` and its heaviest top-level packages."""
    proc = subprocess.run([sys.executable, "-X", "importtime", "-c", "import workflows.definitions"],
                          capture_output=True, text=True, cwd=ROOT)
    per_package: dict[str, float] = {}
    total = 0.0
    for line in proc.stderr.splitlines():
        m = re.match(r"import time:\s+(\d+)\s+\|\s+(\d+)\s+\|( *)(\S+)", line)
        if not m:
            continue
        self_us, module = int(m.group(1)), m.group(4)
        top = module.split(".")[0]
        per_package[top] = per_package.get(top, 0.0) + self_us / 1e6
        if module == "workflows.definitions":
            total = int(m.group(2)) / 1e6
    heaviest = dict(sorted(per_package.items(), key=lambda kv: -kv[1])[:10])
    return {"import_workflows_definitions_s": total, "self_time_by_package_s": heaviest}


def bench_startup(bench_dir: Path) -> dict:
    root = bench_dir / "startup"
    shutil.rmtree(root, ignore_errors=True)
    env = {**os.environ, "PAPERS_LANDING_DIR": str(SAMPLE.parent), "PAPERS_WAREHOUSE_DIR": str(root / "warehouse"),
           "DAGSTER_HOME": str(root / "warehouse" / "dagster_home")}
    run = _run_child([sys.executable, "-m", "workflows.cli", "run"], env=env)
    if run["returncode"] != 0:
        print(f"  cli run failed: {run['stderr']}", file=sys.stderr)
    del run["stderr"]
    bare = _run_child([sys.executable, "-c", "pass"])
    imports = _run_child([sys.executable, "-c", "import workflows.definitions"])
    for row in (bare, imports):
        del row["stderr"]
    summary = _importtime_summary()
    out = {"cli_run_sample": run, "python_bare": bare, "import_definitions": imports, "importtime": summary}
    print("\nstart-up: `python -m workflows.cli run` on the 210-paper sample (fresh warehouse)")
    print(f"  cli run: {run['wall_s']:.2f}s wall, {run['cpu_s']:.2f}s cpu, {run['peak_rss_mb']:.0f} MB peak")
    print(f"  python -c 'import workflows.definitions': {imports['wall_s']:.2f}s wall "
          f"(bare interpreter {bare['wall_s']:.2f}s); -X importtime cumulative "
          f"{summary['import_workflows_definitions_s']:.2f}s")
    print("  heaviest packages (self import time): " + ", ".join(
        f"{k} {v:.2f}s" for k, v in list(summary["self_time_by_package_s"].items())[:6]))
    return out


def main(argv: list[str] | None = None) -> int:
    if hasattr(sys.stdout, "reconfigure"):
        sys.stdout.reconfigure(line_buffering=True)
    parser = argparse.ArgumentParser(prog="python -m tools.bench", description=__doc__.splitlines()[0])
    parser.add_argument("--papers", type=int, nargs="+", default=[10_000])
    parser.add_argument("--incremental", action=argparse.BooleanOptionalAction, default=None,
                        help="after the largest size, add a 210-paper dump and rerun every stage "
                             f"(default: when the largest size is at least {INCREMENTAL_FROM:,})")
    parser.add_argument("--no-startup", action="store_true", help="skip the start-up measurement")
    parser.add_argument("--stage", help=argparse.SUPPRESS)  # child process: run one stage
    parser.add_argument("--root", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--partition", help=argparse.SUPPRESS)
    parser.add_argument("--out", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.stage:
        return _child(args.stage, args.root, args.partition, args.out)

    warehouse = Path(os.environ.get("PAPERS_WAREHOUSE_DIR", "warehouse")).expanduser().resolve()
    bench_dir = warehouse / "bench"
    bench_dir.mkdir(parents=True, exist_ok=True)
    results = {"machine": {"cpus": os.cpu_count(), "python": platform.python_version(),
                           "platform": platform.platform()},
               "started_at": time.strftime("%Y-%m-%dT%H:%M:%S%z"), "sizes": {}}
    sizes = sorted(args.papers)
    incremental = args.incremental if args.incremental is not None else sizes[-1] >= INCREMENTAL_FROM
    def save() -> None:  # after every stage, so a long run's figures survive an interruption
        (bench_dir / "results.json").write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")

    for n in sizes:
        results["sizes"][str(n)] = {}
        bench_size(bench_dir, n, incremental and n == sizes[-1], results["sizes"][str(n)], save)
    if not args.no_startup:
        results["startup"] = bench_startup(bench_dir)
    results["finished_at"] = time.strftime("%Y-%m-%dT%H:%M:%S%z")
    save()
    print(f"\nresults: {bench_dir / 'results.json'}")
    ok = all(s["success"] for s in results["sizes"].values())
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
