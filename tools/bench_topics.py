"""The topic stage alone (discovered topics and the taxonomy), as the pipeline runs it, on a synthetic corpus:
a fresh fit on N papers, then the same N plus the 210-paper sample (an assignment refresh). Each phase runs in a
child process, so its wall, CPU (user+sys) and peak RSS are its own (os.wait4); the children also print the
lifecycle's per-step seconds.

    python -m tools.bench_topics --papers 100000 --dir /tmp/topics-bench
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _corpus_files(work: Path, papers: int) -> tuple[Path, Path]:
    """(the N-paper papers table, the same plus the sample's papers), built once through the real ingest."""
    import polars as pl

    from tools.bench_paper_cache import build_papers
    from tools.evaluate_topics import DEFAULT_DUMP, parse_dump

    base, grown = work / f"papers_{papers}.parquet", work / f"papers_{papers}_plus_sample.parquet"
    if not grown.is_file():
        corpus = build_papers(work / f"ingest_{papers}", papers)
        corpus.write_parquet(base)
        sample = pl.from_arrow(parse_dump(DEFAULT_DUMP)).select(corpus.columns).cast(corpus.schema)
        pl.concat([corpus, sample.join(corpus, on="paper_id", how="anti")]).write_parquet(grown)
    return base, grown


def run_phase(papers: Path, warehouse: Path) -> dict:
    """discovered_topics' and taxonomy's work on `papers` against the model store and cache of `warehouse`."""
    import polars as pl

    from assets.core.duck import attach_parquet, stage_connection
    from assets.topics.lifecycle import refresh_topics
    from assets.topics.model import TopicSettings
    from assets.topics.taxonomy import categorised_papers, load_taxonomy

    settings = TopicSettings(min_topics=4, max_topics=30, temp_directory=str(warehouse / "scratch"))
    started = time.perf_counter()
    con = stage_connection(warehouse / "scratch", "4GB")
    attach_parquet(con, {"papers": papers})
    decision = refresh_topics(con, warehouse / "topic_model", settings)
    con.execute("COPY paper_topics TO '/dev/null' (FORMAT parquet)")
    con.close()
    topics_s = time.perf_counter() - started
    started = time.perf_counter()
    con = stage_connection(warehouse / "scratch", "4GB")
    frame = pl.read_parquet(papers, columns=["paper_id", "title", "abstract"])
    matched, stats = categorised_papers(con, load_taxonomy(), frame, warehouse / "cache")
    rows = matched.to_arrow_table().num_rows
    con.close()
    return {"discovered_topics_s": round(topics_s, 2), "taxonomy_s": round(time.perf_counter() - started, 2),
            "action": decision["action"], "steps_s": decision["seconds"], "k": decision["model"]["topics"],
            "papers_scored": decision["papers_scored"], "score_files_written": decision["score_files_written"],
            "fit_seconds": decision["model"].get("fit_seconds"), "taxonomy": stats.summary(), "category_rows": rows}


def _child(argv: list[str]) -> dict:
    started = time.perf_counter()
    proc = subprocess.Popen([sys.executable, "-m", "tools.bench_topics", *argv], cwd=ROOT, stdout=subprocess.PIPE)
    out = proc.stdout.read().decode()
    _, status, usage = os.wait4(proc.pid, 0)
    if os.waitstatus_to_exitcode(status):
        raise SystemExit(f"error: phase {argv} failed (exit {os.waitstatus_to_exitcode(status)})")
    return {"wall_s": round(time.perf_counter() - started, 2), "cpu_s": round(usage.ru_utime + usage.ru_stime, 2),
            "peak_rss_mb": round(usage.ru_maxrss / 1024), **json.loads(out.strip().splitlines()[-1])}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--papers", type=int, default=100_000)
    parser.add_argument("--dir", type=Path, default=Path("/tmp/topics-bench"))
    parser.add_argument("--phase-papers", type=Path, help=argparse.SUPPRESS)  # a child: one phase
    parser.add_argument("--phase-warehouse", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.phase_papers:
        print(json.dumps(run_phase(args.phase_papers, args.phase_warehouse), default=str))
        return 0
    base, grown = _corpus_files(args.dir, args.papers)
    warehouse = args.dir / f"warehouse_{args.papers}"
    shutil.rmtree(warehouse, ignore_errors=True)
    for name, papers in (("fresh", base), ("plus_sample", grown)):
        result = _child(["--phase-papers", str(papers), "--phase-warehouse", str(warehouse)])
        print(json.dumps({"phase": name, "papers": args.papers, **result}), flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
