"""Evaluate claim extraction against the hand-labelled sets: dev and held-out.

    python -m tools.evaluate_claims [--set dev|heldout|heldout2|all] [--labels PATH...] [--dump PATH] [--verbose] [--by-unit]

Sets: dev = <repo>/../shared/eval/claims_dev.json, whose abstracts come from the sample dump
<repo>/data/landing/hf_papers_memory.txt; heldout = tests/data/claims_heldout.json (150 arXiv abstracts
drawn by tools/sample_heldout.py, labelled by hand); heldout2 = tests/data/claims_heldout2.json (165
abstracts drawn by tools/sample_claims_material.py, labelled by hand blind to the extractor, after
docs/claims_decisions.md had quoted phrases of the first held-out set). Both held-out files carry their
abstracts. `--labels` scores one other file (with abstracts, or paired with --dump).
heldout2 is also scored without the abstracts that a material file holds too (`heldout2_unread`): material 1707
was drawn in a worktree that did not yet see the held-out-2 file (and held-out 2 in one that did not see 1707), so
three abstracts are in both, and material is read paper by paper when rules are written.

Dump pairing: labelled papers are paired with dump papers by normalised title; the label's `n`
(1-based position in the dump) is only a fallback.

The dev labels predate two decisions of docs/claims_decisions.md and are read through them: a claim whose
text names parameters has kind `parameters`, and a "from A to B" pair is one claim (value = max, low = min).

Matching (per paper, greedy, one-to-one): a predicted claim matches a labelled one when the units
are equal and the values agree within a relative tolerance of 1e-6 (or absolute 1e-9).  For ranges
the (value, low) pair is also accepted swapped, and a label without `low` also matches a predicted
range or from-to claim whose `low` equals its value (a label of one end of a from-to claim).  Precision = matched / predicted, recall = matched /
labelled.  Kind and direction accuracy are computed over matched pairs.  `--by-unit` (only with --labels, so the
held-out set is never broken down) adds recall by labelled unit and precision by predicted unit: where the
extractor drops or adds claims, class by class.  Several --labels files are scored together as one set.  Always exits 0.
"""

from __future__ import annotations

import argparse
import json
import math
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path

import polars as pl

from assets.metrics.claims import extract_claims
from tools.sample_claims_material import material_ids

REPO = Path(__file__).resolve().parents[1]
DEV_LABELS = (REPO / ".." / "shared" / "eval" / "claims_dev.json").resolve()
HELDOUT_LABELS = REPO / "tests" / "data" / "claims_heldout.json"
HELDOUT2_LABELS = REPO / "tests" / "data" / "claims_heldout2.json"
DEFAULT_DUMP = REPO / "data" / "landing" / "hf_papers_memory.txt"
_FROM_TO = re.compile(r"^from\s+(?:\w+\s+)?(\d[\d.,]*)")


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
    if gl is None:  # a label of one end of what the extractor reads as one from-to claim
        return pl_ is not None and close(pl_, gold["value"])
    return pl_ is not None and close(pred["value"], gl) and close(pl_, gold["value"])


def read_dev_label(claims: list[dict]) -> list[dict]:
    """Dev labels read through docs/claims_decisions.md: kind `parameters`, one claim per from-to."""
    out: list[dict] = []
    for c in claims:
        c = dict(c)
        if "param" in c["text"].lower():
            c["kind"] = "parameters"
        m = _FROM_TO.match(c["text"])
        prev = out[-1] if out else None
        same = prev is not None and prev["unit"] == c["unit"] and "low" not in prev and "low" not in c
        if same and ((m and close(prev["value"], float(m.group(1).replace(",", ""))))
                     or (c["text"].startswith("to ") and "from " in prev["text"])):
            a, b = prev["value"], c["value"]
            out[-1] = {**c, "value": max(a, b), "low": min(a, b)}
            continue
        out.append(c)
    return out


def paired_with_dump(labels: list[dict], dump_path: Path) -> tuple[list[tuple[dict, str]], list[dict]]:
    """(label, abstract) for labels paired with the dump by title (n as fallback), and the unpaired."""
    dump = read_dump(dump_path)
    by_title: dict[str, int] = {}
    for idx, (t, _) in enumerate(dump):
        by_title.setdefault(norm_title(t), idx)
    pairs, unpaired = [], []
    for lab in labels:
        idx = by_title.get(norm_title(lab["title"]))
        n = lab.get("n")
        if idx is None and n is not None and 1 <= n <= len(dump) \
                and norm_title(dump[n - 1][0])[:30] == norm_title(lab["title"])[:30]:
            idx = n - 1
        if idx is None:
            unpaired.append(lab)
        else:
            pairs.append((lab, dump[idx][1]))
    return pairs, unpaired


@dataclass
class Score:
    papers: int = 0
    gold: int = 0
    pred: int = 0
    tp: int = 0
    kind_ok: int = 0
    dir_ok: int = 0
    report: list = field(default_factory=list)
    by_unit: dict = field(default_factory=dict)  # unit -> [labelled, matched labelled, predicted, matched predicted]

    def count_unit(self, unit: str, slot: int) -> None:
        self.by_unit.setdefault(unit, [0, 0, 0, 0])[slot] += 1

    @property
    def precision(self) -> float:
        return self.tp / self.pred if self.pred else 1.0

    @property
    def recall(self) -> float:
        return self.tp / self.gold if self.gold else 1.0

    @property
    def kind_accuracy(self) -> float:
        return self.kind_ok / self.tp if self.tp else 0.0

    @property
    def direction_accuracy(self) -> float:
        return self.dir_ok / self.tp if self.tp else 0.0


def score(pairs: list[tuple[dict, str]], extract=None) -> Score:
    """Extract claims from each paired abstract (``extract``: frame of paper_id, abstract -> claims
    frame; default the project's extractor) and match them against its labels."""
    frame = pl.DataFrame({"paper_id": [str(i) for i in range(len(pairs))], "abstract": [a for _, a in pairs]},
                         schema={"paper_id": pl.String, "abstract": pl.String})
    by_pid: dict[str, list[dict]] = {}
    found = extract(frame) if extract else extract_claims(frame, workers=1)
    for r in found.iter_rows(named=True):
        by_pid.setdefault(r["paper_id"], []).append(r)
    s = Score(papers=len(pairs))
    for i, (lab, _) in enumerate(pairs):
        preds, gold = by_pid.get(str(i), []), lab["claims"]
        s.pred += len(preds)
        s.gold += len(gold)
        used: set[int] = set()
        fns, mism = [], []
        for g in gold:
            s.count_unit(g["unit"], 0)
            hit = next((j for j, p in enumerate(preds) if j not in used and matches(p, g)), None)
            if hit is None:
                fns.append(g)
                continue
            used.add(hit)
            s.tp += 1
            p = preds[hit]
            s.count_unit(g["unit"], 1)
            s.count_unit(p["unit"], 3)
            s.kind_ok += p["kind"] == g["kind"]
            s.dir_ok += p["direction"] == g["direction"]
            if p["kind"] != g["kind"] or p["direction"] != g["direction"]:
                mism.append((p, g))
        fps = [p for j, p in enumerate(preds) if j not in used]
        for p in preds:
            s.count_unit(p["unit"], 2)
        if fps or fns or mism:
            s.report.append((lab.get("n"), lab["title"], fps, fns, mism))
    return s


def print_by_unit(name: str, s: Score) -> None:
    """Recall by labelled unit and precision by predicted unit, with the counts behind them."""
    for unit, (gold, tp_gold, pred, tp_pred) in sorted(s.by_unit.items(), key=lambda kv: -kv[1][0]):
        rec = f"{tp_gold / gold:.3f}" if gold else "-"
        prec = f"{tp_pred / pred:.3f}" if pred else "-"
        print(f"[{name}] unit={unit:<10} labelled={gold:<4} recall={rec:<6} predicted={pred:<4} precision={prec}")


def print_score(name: str, s: Score, unpaired: list[dict], verbose: bool) -> None:
    f1 = 2 * s.precision * s.recall / (s.precision + s.recall) if s.precision + s.recall else 0.0
    print(f"[{name}] papers={s.papers} unpaired={len(unpaired)} labelled={s.gold} predicted={s.pred} "
          f"matched={s.tp}")
    print(f"[{name}] precision={s.precision:.4f} recall={s.recall:.4f} f1={f1:.4f} "
          f"kind_accuracy={s.kind_accuracy:.4f} direction_accuracy={s.direction_accuracy:.4f}")
    if not verbose:
        return
    for lab in unpaired:
        print(f"UNPAIRED label n={lab.get('n')}: {lab['title']}")
    for n, title, fps, fns, mism in s.report:
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
    print()


def load_set(path: Path, dump: Path, dev: bool) -> tuple[list[tuple[dict, str]], list[dict]]:
    labels = json.loads(path.read_text(encoding="utf-8"))["papers"]
    if dev:
        labels = [{**lab, "claims": read_dev_label(lab["claims"])} for lab in labels]
    if all("abstract" in lab for lab in labels):
        return [(lab, lab["abstract"]) for lab in labels], []
    return paired_with_dump(labels, dump)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--set", choices=("dev", "heldout", "heldout2", "all"), default="all")
    ap.add_argument("--labels", type=Path, nargs="+", help="score these labelled files (as one set) instead of the named sets")
    ap.add_argument("--dump", type=Path, default=DEFAULT_DUMP)
    ap.add_argument("--verbose", "-v", action="store_true")
    ap.add_argument("--by-unit", action="store_true", help="recall and precision by unit (with --labels only)")
    args = ap.parse_args(argv)
    held_out = {HELDOUT_LABELS.resolve(), HELDOUT2_LABELS.resolve()}
    if args.by_unit and (not args.labels or any(p.resolve() in held_out for p in args.labels)):
        ap.error("--by-unit needs --labels of a material file: the held-out sets are scored in aggregate only")
    if args.labels:
        sets = [("+".join(p.stem for p in args.labels), args.labels)]
    else:
        named = (("dev", DEV_LABELS), ("heldout", HELDOUT_LABELS), ("heldout2", HELDOUT2_LABELS))
        sets = [(name, [path]) for name, path in named if args.set in (name, "all")]
    for name, paths in sets:
        pairs, unpaired = [], []
        for path in paths:
            got = load_set(path, args.dump, path.resolve() == DEV_LABELS)
            pairs += got[0]
            unpaired += got[1]
        s = score(pairs)
        print_score(name, s, unpaired, args.verbose)
        if args.by_unit:
            print_by_unit(name, s)
        if name == "heldout2":
            read = material_ids()
            unread = [(lab, abstract) for lab, abstract in pairs if lab["arxiv_id"] not in read]
            print_score(f"heldout2_unread ({len(pairs) - len(unread)} abstracts also in material dropped)", score(unread),
                        [], args.verbose)
    return 0


if __name__ == "__main__":
    sys.exit(main())
