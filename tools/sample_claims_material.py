"""Draw fresh claims material: corpus abstracts no earlier claims work has used, with a fixed seed.

    python -m tools.sample_claims_material --seed SEED --size N --out PATH

Issue 17's held-out set must stay held out, so rules are written from *new* labelled material. This
draws `size` ids with random.Random(seed) from the arXiv daily corpus, leaving out
- the held-out ids (tests/data/claims_heldout.json) and papers whose title is in the sample dump (dev);
- every id earlier helpers drew to read or diff: their sampler was
  `random.Random(seed).sample(sorted(ids - held_out), k)`, re-run here for each seed they reported and
  every size they might have used (PREVIOUS_SEEDS, every listed size up to each seed's maximum), so their material is excluded
  whatever the exact size was;
- ids already in any tests/data/claims_material_*.json or in the second held-out set
  (tests/data/claims_heldout2.json, drawn by this tool with seed 2612).
The output is a skeleton in the labelled-set format (claims empty, to be labelled by hand); an existing
file is never overwritten.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
from pathlib import Path

from tools.sample_heldout import DEFAULT_CORPUS, DEV_DUMP, _norm, corpus_papers
from tools.sample_heldout import DEFAULT_OUT as HELDOUT_PATH

REPO = Path(__file__).resolve().parents[1]
HELDOUT2_PATH = REPO / "tests" / "data" / "claims_heldout2.json"
# seed -> the largest sample size its helper reported (notes issue-17*.md); 4242 drew the A/B timing input
PREVIOUS_SEEDS = {101: 500, 202: 500, 303: 500, 404: 500, 505: 500, 606: 500, 707: 500, 808: 500, 909: 500,
                  1717: 30, 2468: 1500, 9191: 700, 5353: 900, 8080: 1500, 7373: 70, 8484: 60, 9595: 250,
                  2727: 150, 1212: 300, 3131: 2500, 5151: 2500, 6262: 2500, 4242: 4000}
# random.sample picks by one of two methods depending on the size, each prefix-stable within itself:
# drawing every listed size up to a seed's maximum covers the sizes actually used
PREVIOUS_SIZES = (30, 60, 70, 100, 120, 150, 200, 250, 300, 400, 500, 700, 900, 1000, 1500, 2000, 2500, 3000,
                  4000)


def used_ids(papers: dict[str, dict]) -> set[str]:
    """Ids of both held-out sets, of earlier helpers' samples and of committed material files."""
    held = {p["arxiv_id"] for p in json.loads(HELDOUT_PATH.read_text(encoding="utf-8"))["papers"]}
    pool = sorted(i for i in papers if i not in held)
    used = set(held)
    for seed, most in PREVIOUS_SEEDS.items():
        for k in (k for k in PREVIOUS_SIZES if k <= most):
            used.update(random.Random(seed).sample(pool, k))
    used.update(p["arxiv_id"] for p in json.loads(HELDOUT2_PATH.read_text(encoding="utf-8"))["papers"])
    return used | material_ids()


def material_ids() -> set[str]:
    """arXiv ids of every material file (tests/data/claims_material_*.json): abstracts rules are written from."""
    return {p["arxiv_id"] for path in (REPO / "tests" / "data").glob("claims_material_*.json")
            for p in json.loads(path.read_text(encoding="utf-8"))["papers"]}


def draw(corpus: Path, size: int, seed: int) -> tuple[list[dict], int]:
    from assets.ingest.parser import parse_file

    dev_titles = {_norm(p.title) for p in parse_file(DEV_DUMP).papers}
    papers = corpus_papers(corpus)
    used = used_ids(papers)
    ids = sorted(i for i, rec in papers.items() if i not in used and _norm(rec["title"]) not in dev_titles)
    chosen = random.Random(seed).sample(ids, size)
    return [{"n": n, "arxiv_id": i, "title": " ".join(papers[i]["title"].split()),
             "abstract": " ".join(papers[i]["summary"].split()), "claims": []}
            for n, i in enumerate(chosen, start=1)], len(ids)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    ap.add_argument("--size", type=int, required=True)
    ap.add_argument("--seed", type=int, required=True)
    ap.add_argument("--out", type=Path, required=True)
    args = ap.parse_args(argv)
    if args.out.exists():
        print(f"error: {args.out} exists (hand labels); remove it or pass another --out")
        return 2
    papers, pool = draw(args.corpus, args.size, args.seed)
    meta = {"source": "arxiv-daily-cs", "seed": args.seed, "pool": pool,
            "sampled_by": f"python -m tools.sample_claims_material --seed {args.seed} --size {args.size}"}
    args.out.write_text(json.dumps({**meta, "papers": papers}, indent=1, ensure_ascii=False) + "\n",
                        encoding="utf-8")
    print(f"{len(papers)} papers from a pool of {pool} unused ids -> {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
