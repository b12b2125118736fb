"""Measure quantulum3 (a maintained quantity extractor) as the number-and-unit layer of claim extraction.

    .tools/bin/uv pip install --python .venv/bin/python quantulum3==0.10.0 stemming  # not project dependencies
    python -m tools.compare_quantulum3 [--verbose]

quantulum3 finds each quantity's value, unit and span; its units are mapped onto the claims vocabulary
(percentage -> percent, times/fold/x -> x, data storage -> bytes with the written suffix, durations ->
seconds, decibel -> points, quantities followed by tokens/parameters -> those units, other dimensionless
numbers followed by a plural noun -> count). Sentences, background filtering, kind and direction come from
the project's own rules (assets/metrics/claims.py), so the comparison isolates the quantity layer. Both
labelled sets are scored with tools/evaluate_claims.py's matching, beside the project's extractor.
"""

from __future__ import annotations

import argparse
import re
import sys
import tempfile
import time
from functools import partial
from pathlib import Path

import polars as pl

from assets.metrics import claims as rules
from tools.evaluate_claims import DEFAULT_DUMP, DEV_LABELS, HELDOUT_LABELS, load_set, print_score, score

_TIME = {"second": 1.0, "millisecond": 1e-3, "microsecond": 1e-6, "nanosecond": 1e-9, "minute": 60.0,
         "hour": 3600.0, "day": 86400.0, "week": 604800.0}
_BYTES = {"byte": "", "kilobyte": "KB", "megabyte": "MB", "gigabyte": "GB", "terabyte": "TB", "petabyte": "PB"}
_SUFFIX = re.compile(r"([KMBT])\s*$")
_NOUN_AFTER = re.compile(r"\s*-?\s*(?:\w+\s+)?(tokens?|param(?:eter)?s?)\b|\s+(?:[a-z-]+\s+)?([a-z-]+s)\b", re.I)


def _unit_of(q, text: str) -> tuple[str, str, float] | None:
    """(unit, unit_scale, value) of a quantulum3 quantity in the claims vocabulary; None = not a claim unit."""
    name, surface, value = q.unit.name, q.surface, float(q.value)
    if name == "percentage":
        return "percent", "", value
    if name in _TIME or name.rstrip("s") in _TIME or name == "second of arc":
        key = "second" if name == "second of arc" else name.rstrip("s")
        return "seconds", "", value * _TIME.get(key, 1.0)
    if name in _BYTES:
        suffix = _SUFFIX.search(surface)
        if name == "byte" and suffix:  # "7B": quantulum3 reads the B of billion as bytes
            return _counted(text, q.span[1], value, suffix.group(1))
        return "bytes", _BYTES[name], value
    if name == "decibel":
        return "points", "", value
    if re.search(r"(?:\d\s?[x×]|times|fold)\s*$", surface, re.I) or name in ("count", "times"):
        return "x", "", value
    if name == "dimensionless":
        return _counted(text, q.span[1], value, "")
    return None


def _counted(text: str, end: int, value: float, suffix: str) -> tuple[str, str, float] | None:
    m = _NOUN_AFTER.match(text, end)
    if not m:
        return None
    if m.group(1):
        return ("tokens" if m.group(1).lower().startswith("tok") else "parameters"), suffix, value
    return "count", "", value * rules.SUFFIX_MULT.get(suffix, 1.0)


def unit_classifier() -> str | None:
    """Path of a quantulum3 unit classifier that loads here: None for the shipped one, else one retrained
    from quantulum3's bundled training data (the shipped pickle fails on a newer scikit-learn)."""
    from quantulum3 import classifier

    try:
        classifier.Classifier()
        return None
    except (ImportError, ModuleNotFoundError, AttributeError):
        path = str(Path(tempfile.gettempdir()) / "quantulum3_clf.joblib")
        classifier.train_classifier(store=True, output_path=path, n_jobs=1)
        return path


def quantulum3_claims(frame: pl.DataFrame, classifier_path: str | None = None) -> pl.DataFrame:
    """Claims frame (rules.CLAIMS_SCHEMA) from quantulum3 quantities in each abstract."""
    from quantulum3 import parser

    rows = []
    for pid, text in frame.select("paper_id", "abstract").iter_rows():
        idx = 0
        for ss, se in rules.sentence_spans(text):
            if rules.is_background(text[ss:se]):
                continue
            for q in parser.parse(text[ss:se], classifier_path=classifier_path):
                mapped = _unit_of(q, text[ss:se])
                if mapped is None:
                    continue
                unit, scale, value = mapped
                s, e = ss + q.span[0], ss + q.span[1]
                kind, direction = rules.kind_and_direction(text, s, e, ss, se, unit)
                rows.append((pid, idx, value, None, unit, scale, kind, direction, text[s:e], s, e))
                idx += 1
    return pl.DataFrame(rows, schema=rules.CLAIMS_SCHEMA, orient="row")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--verbose", "-v", action="store_true")
    args = ap.parse_args(argv)
    try:
        import quantulum3  # noqa: F401
    except ImportError:
        print("error: quantulum3 is not installed; run: .tools/bin/uv pip install --python .venv/bin/python "
              "quantulum3==0.10.0")
        return 2
    extract = partial(quantulum3_claims, classifier_path=unit_classifier())
    for name, path in (("dev", DEV_LABELS), ("heldout", HELDOUT_LABELS)):
        pairs, unpaired = load_set(path, DEFAULT_DUMP, name == "dev")
        for label, fn in (("rules", None), ("quantulum3", extract)):
            t0 = time.perf_counter()
            result = score(pairs, fn)
            print_score(f"{name} {label}", result, unpaired, args.verbose and fn is not None)
            print(f"[{name} {label}] {time.perf_counter() - t0:.2f} s for {len(pairs)} abstracts")
    return 0


if __name__ == "__main__":
    sys.exit(main())
