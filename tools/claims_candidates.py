"""Recall-first view of a labelled claims set: every number in the abstracts is a candidate, sorted into form
classes by what follows it; for each class, how many candidates the labels keep and the extractor keeps.

    python -m tools.claims_candidates LABELS.json [LABELS.json ...]

It shows where the extractor rejects candidates that the labels keep (and keeps ones they reject), class by
class, without listing any item: safe to run on a set kept out of sample. Reads material files that carry their
abstracts (tests/data/claims_material_*.json); refuses the held-out set, which is scored in aggregate only.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path

from assets.metrics.claims import claims_in_text
from tools.evaluate_claims import HELDOUT2_LABELS, HELDOUT_LABELS

_CANDIDATE = re.compile(r"(?<![\w.])(?:\d[\d,]*(?:\.\d+)?|\.\d+)")
# Form classes, tried in order on the text right after the number (and the character before it).
_FORMS = [
    ("identifier", None),
    ("percent", re.compile(r"\s?(?:\$?\\?%|percent|per cent)")),
    ("x", re.compile(r"\s?(?:x|×|\$?\\times\$?)(?![A-Za-z0-9])|\s?-?(?:times|folds?)\b")),
    ("points", re.compile(r"\s?-?(?:points?|pp|pts?)\b|\s?dB\b")),
    ("bytes", re.compile(r"\s?(?:[KMGTP]i?B|bytes)\b")),
    ("time", re.compile(r"\s?-?(?:ms|s|sec\w*|seconds?|minutes?|mins?|hours?|h|hrs?|days?|weeks?)\b")),
    ("suffix", re.compile(r"\s?[kKMBT](?![A-Za-z0-9])")),
    ("magnitude word", re.compile(r"[\s-]+(?:thousand|million|billion|trillion)\b", re.I)),
    ("noun", re.compile(r"(?:\s+[\w'’/-]+){0,3}?\s+[a-z][a-z-]*[a-rt-z]s\b")),
]


def form_of(text: str, s: int, e: int) -> str:
    if s and (text[s - 1].isalpha() or text[s - 1] in "-_/"):
        return "identifier"
    for name, pattern in _FORMS[1:]:
        if pattern.match(text, e):
            return name
    return "bare decimal" if "." in text[s:e] else "bare integer"


def spans_of_labels(abstract: str, claims: list[dict]) -> list[tuple[int, int]]:
    """Where each labelled claim's text sits in its abstract (its first occurrence after the previous one)."""
    out, pos = [], 0
    for c in claims:
        i = abstract.find(c["text"], pos)
        i = abstract.find(c["text"]) if i < 0 else i
        if i >= 0:
            out.append((i, i + len(c["text"])))
            pos = i + 1
    return out


def tally(papers: list[dict]) -> dict[str, list[int]]:
    """form class -> [candidates, kept by labels, kept by extractor, kept by both]"""
    table: dict[str, list[int]] = {}
    for p in papers:
        text = p["abstract"]
        gold = spans_of_labels(text, p["claims"])
        pred = [(c.span_start, c.span_end) for c in claims_in_text(text)]
        for m in _CANDIDATE.finditer(text):
            row = table.setdefault(form_of(text, m.start(), m.end()), [0, 0, 0, 0])
            g = any(a <= m.start() < b for a, b in gold)
            x = any(a <= m.start() < b for a, b in pred)
            row[0] += 1
            row[1] += g
            row[2] += x
            row[3] += g and x
    return table


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("labels", type=Path, nargs="+")
    args = ap.parse_args(argv)
    if any(p.resolve() in (HELDOUT_LABELS.resolve(), HELDOUT2_LABELS.resolve()) for p in args.labels):
        print("error: the held-out set is scored in aggregate only (tools.evaluate_claims --set all)")
        return 2
    papers = [p for path in args.labels for p in json.loads(path.read_text(encoding="utf-8"))["papers"]]
    print(f"{'form':<15} {'numbers':>7} {'labelled':>8} {'extracted':>9} {'both':>5} {'recall':>6} {'precision':>9}")
    for form, (n, g, x, both) in sorted(tally(papers).items(), key=lambda kv: -kv[1][1]):
        rec = f"{both / g:.2f}" if g else "-"
        prec = f"{both / x:.2f}" if x else "-"
        print(f"{form:<15} {n:>7} {g:>8} {x:>9} {both:>5} {rec:>6} {prec:>9}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
