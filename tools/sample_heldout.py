"""Draw the held-out claims sample: 150 abstracts from the arXiv daily corpus with a fixed seed.

    python -m tools.sample_heldout [--corpus DIR] [--size 150] [--seed 17] [--out PATH]

Papers are deduplicated by arXiv id (first occurrence in file order), papers whose title is in the
sample dump (the dev set's source) are left out, and `size` ids are drawn from the sorted ids with
random.Random(seed). The output is a skeleton in the labelled-set format (claims empty, to be
labelled by hand); an existing file is never overwritten, so hand labels cannot be lost.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
DEFAULT_CORPUS = (REPO / ".." / "shared" / "corpora" / "arxiv-daily-cs" / "data").resolve()
DEFAULT_OUT = REPO / "tests" / "data" / "claims_heldout.json"
DEV_DUMP = REPO / "data" / "landing" / "hf_papers_memory.txt"


def _norm(title: str) -> str:
    return re.sub(r"[^a-z0-9]+", "", title.lower())


def corpus_papers(corpus: Path) -> dict[str, dict]:
    """arXiv id -> first record of that id, over the daily JSONL files in name order."""
    papers: dict[str, dict] = {}
    for path in sorted(corpus.glob("*.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                rec = json.loads(line)
                papers.setdefault(rec["id"], rec)
    return papers


def draw(corpus: Path, size: int, seed: int) -> list[dict]:
    from assets.ingest.parser import parse_file

    dev_titles = {_norm(p.title) for p in parse_file(DEV_DUMP).papers}
    papers = corpus_papers(corpus)
    ids = sorted(i for i, rec in papers.items() if _norm(rec["title"]) not in dev_titles)
    chosen = random.Random(seed).sample(ids, size)
    return [{"n": n, "arxiv_id": i, "title": " ".join(papers[i]["title"].split()),
             "abstract": " ".join(papers[i]["summary"].split()), "claims": []}
            for n, i in enumerate(chosen, start=1)]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    ap.add_argument("--size", type=int, default=150)
    ap.add_argument("--seed", type=int, default=17)
    ap.add_argument("--out", type=Path, default=DEFAULT_OUT)
    args = ap.parse_args(argv)
    if args.out.exists():
        print(f"error: {args.out} exists (hand labels); remove it or pass --out to draw a fresh skeleton")
        return 2
    papers = draw(args.corpus, args.size, args.seed)
    args.out.write_text(json.dumps({"source": "arxiv-daily-cs", "seed": args.seed, "papers": papers},
                                   indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"{len(papers)} papers -> {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
