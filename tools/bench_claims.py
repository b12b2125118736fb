"""Throughput of claim extraction alone: `extract_claims` over synthetic abstracts, wall time.

    python -m tools.bench_claims [--papers 1000000] [--workers N] [--seed 0]

Abstracts are recombined from the sample dump's sentences (tools/synthetic.py), so the share of
sentences with numbers is that of real abstracts. Building the input frame is not timed; the timed part
is what the metric stage runs per refresh: the prefilter, the extraction (process pool above 20,000
abstracts) and the claims frame. Prints papers, claims, seconds and abstracts per second.
"""

from __future__ import annotations

import argparse
import os
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
    args = ap.parse_args(argv)
    abstracts = synthetic_abstracts(args.papers, args.seed)
    frame = pl.DataFrame({"paper_id": [f"p{i}" for i in range(len(abstracts))], "abstract": abstracts})
    start = time.perf_counter()
    claims = extract_claims(frame, workers=args.workers)
    wall = time.perf_counter() - start
    print(f"papers={args.papers} workers={args.workers} claims={claims.height} wall_s={wall:.1f} "
          f"abstracts_per_s={args.papers / wall:,.0f} (cores={os.cpu_count()}, load1={os.getloadavg()[0]:.1f})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
