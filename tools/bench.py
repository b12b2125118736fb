"""`make bench`: the command users run (`python -m workflows.cli run`) on deterministic synthetic dumps.

For each size N: a synthetic dump (`tools.synthetic.generate_dump`) in a fresh
`$PAPERS_WAREHOUSE_DIR/bench/<N>/landing`, measured against `wc -l` and DuckDB reading the same file as
lines and writing Parquet (the reference every ratio is taken against). Then `python -m workflows.cli run`
as a child process: its wall time, CPU time and peak RSS are its own (os.wait4); each stage's time is read
afterwards from the runs it left in the Dagster instance (step start and end). After each size,
the incremental scenario (by default for every size of 100k or more): one more 210-paper dump (the
sample) lands, the same command runs again, and the bench reports every stage, the whole refresh, the
bytes the new release added to `published/`, and the ratio to the sample run alone on a fresh warehouse
(also measured, with the start-up cost of importing the definitions).

Results: a table per run on stdout and `$PAPERS_WAREHOUSE_DIR/bench/results.json`.
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
INCREMENTAL_FROM = 100_000
STAGES: dict[str, tuple[str, ...]] = {  # stage -> step keys of the refresh_corpus run
    "corpus_validation": ("corpus",),
    "topics": ("discovered_topics", "taxonomy"),
    "claims_metrics": ("claims", "metric_tables"),
    "publish": ("release", "warehouse_db"),
}


def _run_child(argv: list[str], env: dict | None = None, stdout=None) -> dict:
    """Run a child, return wall, user+sys CPU and peak RSS of that child alone (os.wait4)."""
    t0 = time.perf_counter()
    proc = subprocess.Popen(argv, env=env, cwd=ROOT, stdout=stdout, stderr=subprocess.PIPE)
    err = proc.stderr.read() if proc.stderr is not None else b""
    _, status, usage = os.wait4(proc.pid, 0)
    return {"wall_s": time.perf_counter() - t0, "cpu_s": usage.ru_utime + usage.ru_stime,
            "peak_rss_mb": usage.ru_maxrss / 1024, "returncode": os.waitstatus_to_exitcode(status),
            "stderr": err.decode("utf-8", "replace")[-3000:]}


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


def _tree_bytes(folder: Path) -> dict[str, int]:
    """Size of every file under `folder` by relative path (what a release added is the difference)."""
    if not folder.is_dir():
        return {}
    return {str(p.relative_to(folder)): p.stat().st_size for p in folder.rglob("*") if p.is_file()}


def _stage_seconds(home: Path, since: float) -> tuple[dict[str, float], int]:
    """Seconds per stage of the runs that started after `since` (ingest = every per-file run), and
    how many runs that was."""
    import dagster as dg

    instance = dg.DagsterInstance.from_config(str(home))
    records = [r for r in instance.get_run_records() if (r.start_time or 0) >= since]
    seconds = {"ingest": 0.0, **{stage: 0.0 for stage in STAGES}}
    for record in records:
        for step in instance.get_run_step_stats(record.dagster_run.run_id):
            if step.start_time is None or step.end_time is None:
                continue
            stage = next((s for s, keys in STAGES.items() if step.step_key in keys), "ingest")
            seconds[stage] += step.end_time - step.start_time
    return seconds, len(records)


def run_cli(landing: Path, warehouse: Path, reference_s: float | None, papers: int) -> dict:
    """`python -m workflows.cli run` on these folders, measured from outside and from the instance."""
    home = warehouse / "dagster_home"
    env = {**os.environ, "PAPERS_LANDING_DIR": str(landing), "PAPERS_WAREHOUSE_DIR": str(warehouse),
           "DAGSTER_HOME": str(home)}
    before = _tree_bytes(warehouse / "published")
    since = time.time()
    row = _run_child([sys.executable, "-m", "workflows.cli", "run"], env=env, stdout=subprocess.DEVNULL)
    if row["returncode"] != 0:
        print(f"  cli run FAILED ({row['returncode']}):\n{row['stderr']}", file=sys.stderr)
    del row["stderr"]
    after = _tree_bytes(warehouse / "published")
    row["release_bytes_added"] = sum(size for path, size in after.items() if path not in before)
    row["published_bytes"] = sum(after.values())
    row["stages_s"], row["dagster_runs"] = _stage_seconds(home, since)
    row["papers"] = papers
    row["rows_per_s"] = papers / row["wall_s"]
    if reference_s:
        row["ratio_to_duckdb_lines"] = row["wall_s"] / reference_s
    return row


def _print_run(title: str, row: dict, refs: dict | None = None) -> None:
    print(f"\n{title}")
    for name, ref in (refs or {}).items():
        print(f"  reference {name:<24}{ref['wall_s']:>8.2f} s  {ref['mb_per_s']:>8.1f} MB/s  "
              f"{ref['peak_rss_mb']:>6.0f} MB peak")
    for stage, seconds in row["stages_s"].items():
        print(f"  {stage:<34}{seconds:>8.2f} s")
    ratio = f", {row['ratio_to_duckdb_lines']:.1f}x the DuckDB line read" if "ratio_to_duckdb_lines" in row else ""
    print(f"  {'whole run (python -m workflows.cli run)':<34}{row['wall_s']:>8.2f} s wall, {row['cpu_s']:.1f} s cpu, "
          f"{row['peak_rss_mb']:,.0f} MB peak RSS{ratio}; {row['dagster_runs']} Dagster runs; exit {row['returncode']}")
    print(f"  release added {row['release_bytes_added'] / 1e6:,.1f} MB (published/ holds {row['published_bytes'] / 1e6:,.1f} MB)")


def bench_size(bench_dir: Path, papers: int, incremental: bool, result: dict, save) -> None:
    from tools.synthetic import generate_dump

    root = bench_dir / str(papers)
    shutil.rmtree(root, ignore_errors=True)
    landing, warehouse = root / "landing", root / "warehouse"
    warehouse.mkdir(parents=True)
    name = f"synthetic_{papers}.txt"
    t0 = time.perf_counter()
    size = generate_dump(landing / name, papers)
    result.update({"papers": papers, "bytes": size, "generate_s": time.perf_counter() - t0})
    subprocess.run(["cat", str(landing / name)], stdout=subprocess.DEVNULL, check=True)  # warm the page cache
    refs = _references(landing / name, warehouse)
    reference_s = refs["duckdb_lines_to_parquet"]["wall_s"]
    result.update(references=refs, full=run_cli(landing, warehouse, reference_s, papers))
    save()
    _print_run(f"{papers:,} papers, {size / 1e6:.1f} MB, fresh warehouse", result["full"], refs)
    if incremental:
        shutil.copy(SAMPLE, landing / "incremental_memory.txt")
        result["incremental"] = run_cli(landing, warehouse, None, 210)
        result["incremental"]["first_release_bytes"] = result["full"]["release_bytes_added"]
        save()
        _print_run(f"incremental: + incremental_memory.txt (210 papers) on {papers:,}", result["incremental"])


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
        top = m.group(4).split(".")[0]
        per_package[top] = per_package.get(top, 0.0) + int(m.group(1)) / 1e6
        if m.group(4) == "workflows.definitions":
            total = int(m.group(2)) / 1e6
    heaviest = dict(sorted(per_package.items(), key=lambda kv: -kv[1])[:10])
    return {"import_workflows_definitions_s": total, "self_time_by_package_s": heaviest}


def bench_sample(bench_dir: Path) -> dict:
    """The 210-paper sample alone on a fresh warehouse: the yardstick of the incremental refresh."""
    root = bench_dir / "sample"
    shutil.rmtree(root, ignore_errors=True)
    (root / "landing").mkdir(parents=True)
    shutil.copy(SAMPLE, root / "landing" / SAMPLE.name)
    run = run_cli(root / "landing", root / "warehouse", None, 210)
    imports = _run_child([sys.executable, "-c", "import workflows.definitions"])
    del imports["stderr"]
    summary = _importtime_summary()
    _print_run("the 210-paper sample alone, fresh warehouse", run)
    print(f"  python -c 'import workflows.definitions': {imports['wall_s']:.2f}s wall; heaviest packages: "
          + ", ".join(f"{k} {v:.2f}s" for k, v in list(summary["self_time_by_package_s"].items())[:6]))
    return {"run": run, "import_definitions": imports, "importtime": summary}


def bench_many_files(bench_dir: Path, files: int) -> dict:
    """A landing folder of `files` small dumps (daily files over years): the first run, then a re-run
    that finds nothing new, which must add no per-file runs."""
    from tools.synthetic import generate_dump

    root = bench_dir / f"files_{files}"
    shutil.rmtree(root, ignore_errors=True)
    for i in range(files):
        generate_dump(root / "landing" / f"day-{i:05d}.txt", 2, seed=i)
    first = run_cli(root / "landing", root / "warehouse", None, 2 * files)
    rerun = run_cli(root / "landing", root / "warehouse", None, 2 * files)
    _print_run(f"{files:,} landing files of 2 papers, first run", first)
    _print_run(f"{files:,} unchanged landing files, re-run", rerun)
    return {"first": first, "rerun": rerun}


def main(argv: list[str] | None = None) -> int:
    if hasattr(sys.stdout, "reconfigure"):
        sys.stdout.reconfigure(line_buffering=True)
    parser = argparse.ArgumentParser(prog="python -m tools.bench", description=__doc__.splitlines()[0])
    parser.add_argument("--papers", type=int, nargs="+", default=[10_000])
    parser.add_argument("--incremental", action=argparse.BooleanOptionalAction, default=None,
                        help="after each size, add a 210-paper dump and run again "
                             f"(default: for sizes of at least {INCREMENTAL_FROM:,})")
    parser.add_argument("--no-sample", action="store_true", help="skip the sample-alone run")
    parser.add_argument("--landing-files", type=int, default=0,
                        help="also: a landing folder of this many 2-paper dumps, run twice")
    args = parser.parse_args(argv)
    warehouse = Path(os.environ.get("PAPERS_WAREHOUSE_DIR", "warehouse")).expanduser().resolve()
    bench_dir = warehouse / "bench"
    bench_dir.mkdir(parents=True, exist_ok=True)
    results: dict = {"machine": {"cpus": os.cpu_count(), "python": platform.python_version(),
                                 "platform": platform.platform()},
                     "started_at": time.strftime("%Y-%m-%dT%H:%M:%S%z"), "sizes": {}}

    def save() -> None:  # after every run, so a long bench's figures survive an interruption
        (bench_dir / "results.json").write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")

    sizes = sorted(args.papers)
    if not args.no_sample:
        results["sample"] = bench_sample(bench_dir)
        save()
    for n in sizes:
        results["sizes"][str(n)] = {}
        incremental = args.incremental if args.incremental is not None else n >= INCREMENTAL_FROM
        bench_size(bench_dir, n, incremental, results["sizes"][str(n)], save)
        inc = results["sizes"][str(n)].get("incremental")
        if inc and "sample" in results:
            inc["ratio_to_sample_alone"] = inc["wall_s"] / results["sample"]["run"]["wall_s"]
            print(f"  incremental refresh / sample alone: {inc['ratio_to_sample_alone']:.2f}x; release added "
                  f"{inc['release_bytes_added'] / max(inc['first_release_bytes'], 1):.1%} of the first release")
    if args.landing_files:
        results["landing_files"] = bench_many_files(bench_dir, args.landing_files)
        save()
    results["finished_at"] = time.strftime("%Y-%m-%dT%H:%M:%S%z")
    save()
    print(f"\nresults: {bench_dir / 'results.json'}")
    runs = [r for s in results["sizes"].values() for r in (s.get("full"), s.get("incremental")) if r]
    runs += [results["sample"]["run"]] if "sample" in results else []
    runs += list(results.get("landing_files", {}).values())
    return 0 if all(r["returncode"] == 0 for r in runs) else 1


if __name__ == "__main__":
    sys.exit(main())
