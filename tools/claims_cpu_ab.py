"""CPU time of extract_claims(frame, workers=1), two versions of claims.py alternated in one process.

    python -m tools.claims_cpu_ab [--old-rev HEAD | --old PATH] [--new PATH] [--rounds 4] [--corpus 10000]
                                  [--synthetic 20000] [--chunk 1000]

Inputs: the first N abstracts of ../shared/corpora/arxiv-daily-cs (whitespace joined) and N synthetic abstracts
(tools.synthetic, seed 0). A round runs each input once through each version with time.process_time, alternating the
versions chunk by chunk (old first on even rounds, new first on odd ones), so that other sessions' load, which still
slows process time on a shared machine, falls on both alike; prints each round's totals, the medians and new/old.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

import polars as pl

from tools.claims_identity import CLAIMS, file_at, load_module


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--old-rev", default="HEAD")
    ap.add_argument("--old", type=Path)
    ap.add_argument("--new", type=Path, default=CLAIMS)
    ap.add_argument("--rounds", type=int, default=4)
    ap.add_argument("--corpus", type=int, default=10_000)
    ap.add_argument("--synthetic", type=int, default=20_000)
    ap.add_argument("--chunk", type=int, default=1_000, help="abstracts per extract_claims call")
    args = ap.parse_args(argv)
    from tools.sample_heldout import DEFAULT_CORPUS, corpus_papers
    from tools.synthetic import synthetic_abstracts

    versions = {"old": load_module(args.old or file_at(args.old_rev), "claims_ab_old"),
                "new": load_module(args.new, "claims_ab_new")}
    inputs = {"corpus": [" ".join(r["summary"].split()) for r in corpus_papers(DEFAULT_CORPUS).values()][:args.corpus],
              "synthetic": synthetic_abstracts(args.synthetic, 0)}
    frames = {name: pl.DataFrame({"paper_id": [str(i) for i in range(len(texts))], "abstract": texts})
              for name, texts in inputs.items() if texts}
    times = {(f, v): [] for f in frames for v in versions}
    for r in range(args.rounds):
        order = ("old", "new") if r % 2 == 0 else ("new", "old")
        for f, frame in frames.items():
            spent = {v: 0.0 for v in versions}
            for offset in range(0, frame.height, args.chunk):
                chunk = frame.slice(offset, args.chunk)
                for v in order:
                    start = time.process_time()
                    versions[v].extract_claims(chunk, workers=1)
                    spent[v] += time.process_time() - start
            for v in versions:
                times[f, v].append(spent[v])
        print(f"round {r + 1}: " + "  ".join(f"{f} old={times[f, 'old'][-1]:.3f}s new={times[f, 'new'][-1]:.3f}s"
                                             for f in frames))
    for f, frame in frames.items():
        old, new = statistics.median(times[f, "old"]), statistics.median(times[f, "new"])
        print(f"{f} ({frame.height} abstracts): median old={old:.3f}s new={new:.3f}s new/old={new / old:.3f} "
              f"({(1 - new / old) * 100:+.1f}% CPU cut)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
