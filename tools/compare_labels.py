"""Agreement of two hand labellings of the same abstracts, and the extractor's score against each.

    python -m tools.compare_labels [--reference PATH] [--second PATH] [--verbose]

Defaults: reference = tests/data/claims_heldout.json (the committed held-out labels), second =
tests/data/claims_heldout_relabel50.json (a blind second labelling of 50 of those abstracts). Papers are
paired by arxiv_id (normalised title as fallback); only the second file's papers are scored.

Agreement reuses tools/evaluate_claims.py's matching (same unit, same value or range): the second
labelling is scored as if it were a prediction with the reference as gold, so precision = share of the
second labeller's claims the reference has, recall = share of the reference's claims the second labeller
found, and kind/direction agreement is over matched pairs. The extractor (assets/metrics/claims.py, as
tools/evaluate_claims.py calls it) is then scored on the same abstracts against the reference, the second
labelling, their consensus (reference claims both labellers have: recall on claims two labellers agree on)
and their union (the reference plus the second labeller's extra claims: precision against either).
Always exits 0.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import polars as pl

from tools.evaluate_claims import HELDOUT_LABELS, REPO, Score, matches, norm_title, print_score, score

RELABEL = REPO / "tests" / "data" / "claims_heldout_relabel50.json"
_CLAIM_SCHEMA = {"paper_id": pl.String, "value": pl.Float64, "low": pl.Float64, "unit": pl.String,
                 "unit_scale": pl.String, "kind": pl.String, "direction": pl.String, "text": pl.String}


def _key(paper: dict) -> str:
    return paper.get("arxiv_id") or norm_title(paper["title"])


def paired_papers(reference: Path, second: Path) -> list[tuple[dict, dict]]:
    """(reference paper, second paper) for every paper of ``second``; a paper missing from the reference
    is an error (the two files must label the same abstracts)."""
    ref = {_key(p): p for p in json.loads(reference.read_text(encoding="utf-8"))["papers"]}
    pairs = []
    for p in json.loads(second.read_text(encoding="utf-8"))["papers"]:
        r = ref.get(_key(p))
        if r is None or r["abstract"] != p["abstract"]:
            raise SystemExit(f"error: {second}: paper {_key(p)} has no identical abstract in {reference}")
        pairs.append((r, p))
    return pairs


def labels_as_prediction(papers: list[dict]):
    """An ``extract`` for evaluate_claims.score that returns these papers' labels (row i = papers[i])."""
    rows = [{"paper_id": str(i), "value": float(c["value"]), "low": c.get("low"), "unit": c["unit"],
             "unit_scale": c["unit_scale"], "kind": c["kind"], "direction": c["direction"], "text": c["text"]}
            for i, p in enumerate(papers) for c in p["claims"]]
    return lambda _frame: pl.DataFrame(rows, schema=_CLAIM_SCHEMA)


def consensus_and_union(ref: dict, second: dict) -> tuple[list[dict], list[dict]]:
    """Reference claims the second labeller also has (greedy one-to-one, as in score), and the
    reference's claims plus the second labeller's unmatched ones."""
    used: set[int] = set()
    both = []
    for g in ref["claims"]:
        hit = next((j for j, c in enumerate(second["claims"]) if j not in used and matches(c, g)), None)
        if hit is not None:
            used.add(hit)
            both.append(g)
    extra = [c for j, c in enumerate(second["claims"]) if j not in used]
    return both, ref["claims"] + extra


def extractor_scores(pairs: list[tuple[dict, dict]]) -> dict[str, Score]:
    sets: dict[str, list[tuple[dict, str]]] = {"reference": [], "second": [], "consensus": [], "union": []}
    for ref, second in pairs:
        both, union = consensus_and_union(ref, second)
        for name, claims in (("reference", ref["claims"]), ("second", second["claims"]),
                             ("consensus", both), ("union", union)):
            sets[name].append(({**ref, "claims": claims}, ref["abstract"]))
    return {name: score(p) for name, p in sets.items()}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--reference", type=Path, default=HELDOUT_LABELS)
    ap.add_argument("--second", type=Path, default=RELABEL)
    ap.add_argument("--verbose", "-v", action="store_true")
    args = ap.parse_args(argv)
    pairs = paired_papers(args.reference, args.second)
    seconds = [s for _, s in pairs]
    agreement = score([(r, r["abstract"]) for r, _ in pairs], extract=labels_as_prediction(seconds))
    print_score("second vs reference (agreement)", agreement, [], args.verbose)
    for name, s in extractor_scores(pairs).items():
        print_score(f"extractor vs {name}", s, [], args.verbose and name in ("reference", "second"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
