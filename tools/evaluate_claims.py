"""Evaluate claim extraction against a hand-labelled set.

    python -m tools.evaluate_claims [--labels PATH] [--dump PATH] [--verbose]

Defaults: labels = <repo>/../shared/eval/claims_dev.json, dump = <repo>/data/landing/hf_papers_memory.txt.

Dump format: leading page-header boilerplate lines, then title line / abstract line alternating
(a "Subscribe" prefix glued to the first title is stripped).  Labelled papers are paired with dump
papers by normalised title; the label's `n` (1-based position in the dump) is only a fallback.

Matching (per paper, greedy, one-to-one): a predicted claim matches a labelled one when the units
are equal and the values agree within a relative tolerance of 1e-6 (or absolute 1e-9).  For ranges
the (value, low) pair is also accepted swapped, i.e. prediction value == label low and prediction
low == label value.  Precision = matched / predicted, recall = matched / labelled.  Kind and
direction accuracy are computed over matched pairs.  Always exits 0.
"""

from __future__ import annotations

import argparse
import json
import math
import re
import sys
from pathlib import Path

import polars as pl

from assets.ingest.parser import paper_id_for
from assets.metrics.claims import extract_claims

REPO = Path(__file__).resolve().parents[1]
DEFAULT_LABELS = (REPO / ".." / "shared" / "eval" / "claims_dev.json").resolve()
DEFAULT_DUMP = REPO / "data" / "landing" / "hf_papers_memory.txt"


def norm_title(t: str) -> str:
    return re.sub(r"[^a-z0-9]+", "", t.lower())


def read_dump(path: Path) -> list[tuple[str, str]]:
    """(title, abstract) pairs in dump order, from the pipeline's own parser."""
    from assets.ingest.parser import parse_file

    return [(p.title, p.abstract) for p in parse_file(path).papers]


def close(a: float | None, b: float | None) -> bool:
    if a is None or b is None:
        return a is None and b is None
    return math.isclose(a, b, rel_tol=1e-6, abs_tol=1e-9)


def matches(pred: dict, gold: dict) -> bool:
    if pred["unit"] != gold["unit"]:
        return False
    if close(pred["value"], gold["value"]):
        return True
    gl, pl_ = gold.get("low"), pred.get("low")
    return gl is not None and pl_ is not None and close(pred["value"], gl) and close(pl_, gold["value"])


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--labels", type=Path, default=DEFAULT_LABELS)
    ap.add_argument("--dump", type=Path, default=DEFAULT_DUMP)
    ap.add_argument("--verbose", "-v", action="store_true")
    args = ap.parse_args(argv)

    labels = json.loads(args.labels.read_text(encoding="utf-8"))["papers"]
    dump = read_dump(args.dump)
    by_title = {}
    for idx, (t, _) in enumerate(dump):
        by_title.setdefault(norm_title(t), idx)

    pairs, unmatched = [], []
    for lab in labels:
        idx = by_title.get(norm_title(lab["title"]))
        if idx is None:
            n = lab.get("n")
            if n is not None and 1 <= n <= len(dump) and norm_title(dump[n - 1][0])[:30] == norm_title(lab["title"])[:30]:
                idx = n - 1
        if idx is None:
            unmatched.append(lab)
            continue
        pairs.append((lab, idx))

    rows = [{"paper_id": paper_id_for(dump[idx][0]),
             "abstract": dump[idx][1], "n": lab.get("n")} for lab, idx in pairs]
    frame = pl.DataFrame(rows, schema={"paper_id": pl.String, "abstract": pl.String, "n": pl.Int64})
    claims = extract_claims(frame.select("paper_id", "abstract"), workers=1)
    by_pid: dict[str, list[dict]] = {}
    for r in claims.iter_rows(named=True):
        by_pid.setdefault(r["paper_id"], []).append(r)

    tp = n_pred = n_gold = kind_ok = dir_ok = 0
    report = []
    for (lab, idx), row in zip(pairs, rows):
        preds = by_pid.get(row["paper_id"], [])
        gold = lab["claims"]
        n_pred += len(preds)
        n_gold += len(gold)
        used = set()
        fns, mism = [], []
        for g in gold:
            hit = next((j for j, p in enumerate(preds) if j not in used and matches(p, g)), None)
            if hit is None:
                fns.append(g)
                continue
            used.add(hit)
            tp += 1
            p = preds[hit]
            kind_ok += p["kind"] == g["kind"]
            dir_ok += p["direction"] == g["direction"]
            if p["kind"] != g["kind"] or p["direction"] != g["direction"]:
                mism.append((p, g))
        fps = [p for j, p in enumerate(preds) if j not in used]
        if fps or fns or mism:
            report.append((lab.get("n"), lab["title"], fps, fns, mism))

    precision = tp / n_pred if n_pred else 1.0
    recall = tp / n_gold if n_gold else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    print(f"papers: {len(pairs)} paired, {len(unmatched)} unpaired labels; dump papers: {len(dump)}")
    print(f"claims: labelled={n_gold} predicted={n_pred} matched={tp}")
    print(f"precision={precision:.4f} recall={recall:.4f} f1={f1:.4f}")
    if tp:
        print(f"kind_accuracy={kind_ok / tp:.4f} direction_accuracy={dir_ok / tp:.4f} (on {tp} matched)")
    if args.verbose:
        for lab in unmatched:
            print(f"UNPAIRED label n={lab.get('n')}: {lab['title']}")
        for n, title, fps, fns, mism in report:
            print(f"\n[{n}] {title}")
            for p in fps:
                print(f"  FP  {p['value']:g} low={p['low']} {p['unit']} {p['unit_scale']!r} "
                      f"{p['kind']}/{p['direction']} | {p['text']}")
            for g in fns:
                print(f"  FN  {g['value']:g} low={g.get('low')} {g['unit']} {g['unit_scale']!r} "
                      f"{g['kind']}/{g['direction']} | {g['text']}")
            for p, g in mism:
                print(f"  ~   {p['value']:g} {p['unit']}: kind {p['kind']} vs {g['kind']}, "
                      f"direction {p['direction']} vs {g['direction']} | {p['text']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
