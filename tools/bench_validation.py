"""Cost of validating `papers` through GX at scale.

    python -m tools.bench_validation --rows 1000000 [--unique-abstracts] [--data-docs DIR]

Synthetic frame: the sample dump's (title, abstract) pairs repeated with unique ids and titles. By default the
abstracts repeat verbatim (so `no_duplicate_abstracts` fails on every row: the failure path is measured);
--unique-abstracts appends a variant number so every expectation passes. Reports separately: the
`import great_expectations` time, polars helper columns, to_pandas of the narrow frame (vs. converting every
column), GX context/suite setup, and the checkpoint run (first call and a second call reusing the context).
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

SAMPLE = Path(__file__).resolve().parents[1] / "data" / "landing" / "hf_papers_memory.txt"


def sample_pairs(path: Path = SAMPLE) -> list[tuple[str, str]]:
    """(title, abstract) pairs of the sample dump: a title line (< 300 chars) followed by an abstract line."""
    import re

    from assets.core.contracts import BOILERPLATE_LINES

    lines = [ln.strip() for ln in path.read_text(encoding="utf-8").splitlines()]
    lines = [re.sub(r"^Subscribe(?=[A-Z0-9])", "", ln) for ln in lines if ln and ln not in BOILERPLATE_LINES]
    pairs = []
    for first, second in zip(lines, lines[1:]):
        if len(first) < 300 <= len(second):
            pairs.append((first, second))
    return pairs


def synthetic_papers(rows: int, unique_abstracts: bool = False):
    import polars as pl

    pairs = sample_pairs()
    base = pl.DataFrame({"title": [t for t, _ in pairs], "abstract": [a for _, a in pairs]})
    idx = pl.int_range(0, rows, eager=True, dtype=pl.Int64)
    df = base[(idx % len(base)).to_list()].with_columns(i=idx)
    df = df.with_columns(
        paper_id=pl.Series([f"{i:016x}" for i in range(rows)]),
        title=pl.col("title") + pl.lit(" (v") + pl.col("i").cast(pl.String) + pl.lit(")"),
        abstract=(pl.col("abstract") + pl.lit(" Variant ") + pl.col("i").cast(pl.String) + pl.lit("."))
        if unique_abstracts else pl.col("abstract"),
        source_file=pl.lit("synthetic.txt"),
        source_line=pl.col("i") * 2 + 1,
        parser_version=pl.lit("bench"),
    )
    return df.select("paper_id", "title", "abstract", "source_file", "source_line", "parser_version")


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rows", type=int, default=1_000_000)
    ap.add_argument("--unique-abstracts", action="store_true")
    ap.add_argument("--data-docs", type=Path, default=None, help="also build Data Docs here")
    args = ap.parse_args(argv)

    t = time.perf_counter()
    import pandas  # noqa: F401  (timed apart so to_pandas is not charged for it)
    t_pandas = time.perf_counter() - t
    t = time.perf_counter()
    from assets.quality.gx_runner import import_gx, validate

    import_gx()
    t_gx = time.perf_counter() - t

    t = time.perf_counter()
    df = synthetic_papers(args.rows, args.unique_abstracts)
    t_build = time.perf_counter() - t

    t = time.perf_counter()
    df.to_pandas()
    t_full_pandas = time.perf_counter() - t

    first = validate("papers", df, run_id="bench-1", data_docs_dir=args.data_docs)
    t = time.perf_counter()
    second = validate("papers", df, run_id="bench-2", data_docs_dir=args.data_docs)
    t_second = time.perf_counter() - t

    print(f"rows: {df.height:,}  (unique abstracts: {args.unique_abstracts})  frame built in {t_build:.2f}s")
    print(f"import pandas:                  {t_pandas:6.2f} s")
    print(f"import great_expectations:      {t_gx:6.2f} s")
    print(f"to_pandas, all 6 columns:       {t_full_pandas:6.2f} s  (what converting everything would cost)")
    for label, o in (("first call", first), ("second call", second)):
        tm = o.timings
        print(f"[{label}] polars helper columns: {tm['derive']:6.2f} s | to_pandas (narrow, "
              f"{len(o.rows)} checks): {tm['to_pandas']:6.2f} s | GX setup: {tm.get('gx_setup', 0):6.2f} s | "
              f"GX checkpoint run: {tm['gx_run']:6.2f} s" + (f" | data docs: {tm['data_docs']:.2f} s" if 'data_docs' in tm else ""))
    print(f"second validate() wall time:    {t_second:6.2f} s")
    print(second.failure_message())


if __name__ == "__main__":
    main()
