"""The ingest stage alone against the DuckDB line-read reference, without the whole pipeline.

    python -m tools.bench_ingest --papers 1000000 [--dir /tmp/bench-ingest] [--repeat 2]

On one synthetic dump (`tools.synthetic.generate_dump`, seed 0, as `make bench` uses; kept in --dir and
reused), each a child process measured with os.wait4 (wall, user+sys CPU, peak RSS): `wc -l`; the DuckDB
line read written as Parquet (the reference of `make bench`); the parser alone (every block of
`iter_records`, nothing written); `ingest_file` (parse, Parquet out, checksums: what one per-file ingest
run does, without Dagster), as a whole process and as the call alone (`ingest_file_call`: timed inside
the child once the modules a pipeline step already has are loaded, without Python's start-up). Ratios
are to the DuckDB reference of the same repetition; the best of --repeat runs is reported (other
processes on the machine slow any single run).
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import time
from pathlib import Path

from tools.bench import _references, _run_child

PARSE_ONLY = (
    "import sys\n"
    "from assets.ingest.parser import FileReport, iter_records\n"
    "report = FileReport()\n"
    "with open(sys.argv[1], 'rb', buffering=0) as raw:\n"
    "    import io\n"
    "    rows = sum(len(block.paper_id) for block in iter_records(io.BufferedReader(raw, 1 << 20), report).blocks())\n"
    "assert report.unaccounted_lines == 0, report\n"
    "print(rows, report.reject_lines)\n"
)
INGEST_FILE = (
    "import json, sys, time\n"
    "from pathlib import Path\n"
    "import numpy, pandas, polars, polars_hash, pyarrow.compute, pyarrow.parquet  # loaded before a pipeline step\n"
    "from assets.ingest.landing import LandingFile, ingest_file\n"
    "path = Path(sys.argv[1]); st = path.stat()\n"
    "wall, cpu = time.perf_counter(), time.process_time()\n"
    "out = ingest_file(LandingFile(path.name, path, path.name, st.st_size, st.st_mtime_ns), Path(sys.argv[2]))\n"
    "wall, cpu = time.perf_counter() - wall, time.process_time() - cpu\n"
    "Path(sys.argv[3]).write_text(json.dumps({'wall_s': wall, 'cpu_s': cpu}))\n"
    "print(out.report['papers'], out.report['reject_lines'])\n"
)


def measure(dump: Path, scratch: Path) -> dict:
    refs = _references(dump, scratch)
    duck = refs["duckdb_lines_to_parquet"]["wall_s"]
    rows = {"wc_l": refs["wc_l"], "duckdb_lines_to_parquet": refs["duckdb_lines_to_parquet"]}
    inside = scratch / "ingest_file_in_process.json"
    ingest_args = [str(scratch / "ingest"), str(inside)]
    for name, script, args in (("parser_alone", PARSE_ONLY, []), ("ingest_file", INGEST_FILE, ingest_args)):
        shutil.rmtree(scratch / "ingest", ignore_errors=True)
        row = _run_child([sys.executable, "-c", script, str(dump), *args], stdout=subprocess.PIPE)
        if row["returncode"] != 0:
            raise RuntimeError(f"{name} failed: {row['stderr']}")
        del row["stderr"]
        row["ratio_to_duckdb_lines"] = row["wall_s"] / duck
        rows[name] = row
    step = json.loads(inside.read_text())  # the call alone, as a pipeline step runs it: modules already loaded
    rows["ingest_file_call"] = {**step, "peak_rss_mb": rows["ingest_file"]["peak_rss_mb"],
                                "ratio_to_duckdb_lines": step["wall_s"] / duck}
    shutil.rmtree(scratch / "ingest", ignore_errors=True)
    inside.unlink()
    return rows


def main(argv: list[str] | None = None) -> int:
    from tools.synthetic import generate_dump

    parser = argparse.ArgumentParser(prog="python -m tools.bench_ingest", description=__doc__.splitlines()[0])
    parser.add_argument("--papers", type=int, default=1_000_000)
    parser.add_argument("--dir", type=Path, default=Path("/tmp/bench-ingest"))
    parser.add_argument("--repeat", type=int, default=2)
    args = parser.parse_args(argv)
    args.dir.mkdir(parents=True, exist_ok=True)
    dump = args.dir / f"synthetic_{args.papers}.txt"
    if not dump.exists():
        t0 = time.perf_counter()
        generate_dump(dump, args.papers)
        print(f"generated {dump} ({dump.stat().st_size / 1e6:,.0f} MB) in {time.perf_counter() - t0:.0f} s")
    subprocess.run(["cat", str(dump)], stdout=subprocess.DEVNULL, check=True)  # warm the page cache
    runs = [measure(dump, args.dir) for _ in range(args.repeat)]
    best = min(runs, key=lambda r: r["ingest_file"]["ratio_to_duckdb_lines"])
    for name, row in best.items():
        ratio = f"{row['ratio_to_duckdb_lines']:.2f}x DuckDB" if "ratio_to_duckdb_lines" in row else ""
        print(f"{name:<26}{row['wall_s']:>8.2f} s wall {row['cpu_s']:>7.2f} s cpu {row['peak_rss_mb']:>7.0f} MB peak  {ratio}")
    (args.dir / "results.json").write_text(json.dumps({"papers": args.papers, "runs": runs}, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
