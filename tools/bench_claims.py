"""Throughput of claim extraction alone: `extract_claims` over synthetic abstracts, wall time.

    python -m tools.bench_claims [--papers 1000000] [--workers N] [--seed 0]

Abstracts are recombined from the sample dump's sentences (tools/synthetic.py), so the share of
sentences with numbers is that of real abstracts. Building the input frame is not timed; the timed part
is what the metric stage runs per refresh: the prefilter, the extraction (process pool above 20,000
abstracts) and the claims frame. Prints papers, claims, seconds and abstracts per second.

Wall time depends on what else runs on the machine (the load average is printed). `--cpu-sample N` also
measures the CPU time of an in-process extraction of N abstracts (time.process_time, so other processes'
load affects it far less) and prints the wall time that CPU cost implies on `workers` otherwise idle
cores: CPU per abstract x papers / workers, and CPU seconds per 100,000 abstracts. That is a projection, not
a measurement; it leaves out the pool's start and transfers, which the measured wall includes. The parent's
peak RSS is printed too (it includes the synthetic input; the pool workers are separate processes).
"""

from __future__ import annotations

import argparse
import os
import resource
import sys
import time

import polars as pl

from assets.metrics.claims import extract_claims
from tools.synthetic import synthetic_abstracts


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--papers", type=int, default=1_000_000)
    ap.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--cpu-sample", type=int, default=0, help="abstracts for the CPU-time projection (0: none)")
    args = ap.parse_args(argv)
    abstracts = synthetic_abstracts(args.papers, args.seed)
    frame = pl.DataFrame({"paper_id": [f"p{i}" for i in range(len(abstracts))], "abstract": abstracts})
    start = time.perf_counter()
    claims = extract_claims(frame, workers=args.workers)
    wall = time.perf_counter() - start
    print(f"papers={args.papers} workers={args.workers} claims={claims.height} wall_s={wall:.1f} "
          f"abstracts_per_s={args.papers / wall:,.0f} (cores={os.cpu_count()}, load1={os.getloadavg()[0]:.1f})")
    if args.cpu_sample:
        sample = frame.head(args.cpu_sample)
        cpu = time.process_time()
        extract_claims(sample, workers=1)
        per = (time.process_time() - cpu) / sample.height
        print(f"cpu_us_per_abstract={per * 1e6:.1f} cpu_s_per_100k={per * 1e5:.2f} (in-process, {sample.height} "
              f"abstracts) projected_wall_s={per * args.papers / args.workers:.1f} for {args.papers} on {args.workers} "
              f"idle cores")
    print(f"parent_max_rss_mb={resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024} (includes the synthetic "
          f"input this tool builds; pool workers not counted)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
