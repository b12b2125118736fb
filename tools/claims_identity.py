"""Same claims from two versions of assets/metrics/claims.py, over an identity corpus.

    python -m tools.claims_identity [--old-rev HEAD | --old PATH] [--new PATH] [--synthetic 20000] [--show 5]

Loads both files as separate modules (importlib, distinct names), runs claims_in_text over every text of the
identity corpus with each and compares the claims field by field (dataclasses.astuple); then compares
extract_claims(frame, workers=1) of both over the whole corpus (its prefilter and frame). Prints texts, claims and
the number of differing texts, with the first few differences.

Identity corpus: every abstract of ../shared/corpora/arxiv-daily-cs (whitespace joined, as the samplers do), the dev dump, N synthetic abstracts
(tools.synthetic) and the abstracts of the claims material sets (tests/data/claims_material_*.json). It only
compares two versions of the code: it prints no claims unless they differ.
"""

from __future__ import annotations

import argparse
import dataclasses
import importlib.util
import json
import subprocess
import sys
import tempfile
from pathlib import Path

import polars as pl

REPO = Path(__file__).resolve().parents[1]
CLAIMS = REPO / "assets" / "metrics" / "claims.py"


def load_module(path: Path, name: str):
    """The module at ``path`` imported under ``name`` (registered, so its dataclasses resolve)."""
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


def file_at(rev: str) -> Path:
    """claims.py as of git revision ``rev``, written to a temporary file."""
    source = subprocess.run(["git", "show", f"{rev}:assets/metrics/claims.py"], cwd=REPO, check=True,
                            capture_output=True, text=True).stdout
    out = Path(tempfile.mkdtemp(prefix="claims_identity_")) / "claims_old.py"
    out.write_text(source, encoding="utf-8")
    return out


def identity_corpus(synthetic: int) -> dict[str, list[str]]:
    """Texts by source: corpus, dev dump, synthetic, material sets."""
    from tools.evaluate_claims import DEFAULT_DUMP, read_dump
    from tools.sample_heldout import DEFAULT_CORPUS, corpus_papers
    from tools.synthetic import synthetic_abstracts

    material = []
    for path in sorted((REPO / "tests" / "data").glob("claims_material_*.json")):
        material += [p["abstract"] for p in json.loads(path.read_text(encoding="utf-8"))["papers"]]
    return {
        "corpus": [" ".join(rec["summary"].split()) for rec in corpus_papers(DEFAULT_CORPUS).values()],
        "dev dump": [abstract or "" for _, abstract in read_dump(DEFAULT_DUMP)],
        "synthetic": synthetic_abstracts(synthetic, 0) if synthetic else [],
        "material": material,
    }


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--old-rev", default="HEAD", help="git revision of the old claims.py (default HEAD)")
    ap.add_argument("--old", type=Path, help="path of the old claims.py (instead of --old-rev)")
    ap.add_argument("--new", type=Path, default=CLAIMS, help="path of the new claims.py (default: the work tree's)")
    ap.add_argument("--synthetic", type=int, default=20_000)
    ap.add_argument("--show", type=int, default=5, help="differences to print")
    args = ap.parse_args(argv)
    old = load_module(args.old or file_at(args.old_rev), "claims_identity_old")
    new = load_module(args.new, "claims_identity_new")
    texts_by_source = identity_corpus(args.synthetic)
    total_texts = total_claims = differing = 0
    for source, texts in texts_by_source.items():
        claims = diff = 0
        for i, text in enumerate(texts):
            a = [dataclasses.astuple(c) for c in old.claims_in_text(text)]
            b = [dataclasses.astuple(c) for c in new.claims_in_text(text)]
            claims += len(b)
            if a != b:
                diff += 1
                if differing + diff <= args.show:
                    print(f"  {source} #{i}: old only {[c for c in a if c not in b]} new only {[c for c in b if c not in a]}")
        print(f"{source}: texts={len(texts)} claims={claims} differing_texts={diff}")
        total_texts, total_claims, differing = total_texts + len(texts), total_claims + claims, differing + diff
    texts = [t for ts in texts_by_source.values() for t in ts]
    frame = pl.DataFrame({"paper_id": [str(i) for i in range(len(texts))], "abstract": texts},
                         schema={"paper_id": pl.String, "abstract": pl.String})
    same_frame = old.extract_claims(frame, workers=1).equals(new.extract_claims(frame, workers=1))
    print(f"total: texts={total_texts} claims={total_claims} differing_texts={differing} "
          f"extract_claims_frames_equal={same_frame}")
    return 0 if differing == 0 and same_frame else 1


if __name__ == "__main__":
    sys.exit(main())
