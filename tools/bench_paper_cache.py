"""Per-paper cache benchmark: each per-paper step today (whole corpus), cold (empty cache) and warm (the cache
filled by a run over the corpus minus the newest papers, then the whole corpus), on a synthetic dump.

    python -m tools.bench_paper_cache --papers 100000 --added 210 --dir /tmp/paper-cache-bench
"""

from __future__ import annotations

import argparse
import json
import shutil
import time
from pathlib import Path

import polars as pl


def build_papers(work: Path, papers: int) -> pl.DataFrame:
    """The papers table of a synthetic dump, through the real ingest."""
    from assets.ingest.corpus import build_corpus
    from assets.ingest.landing import ingest_file, scan_landing
    from tools.synthetic import generate_dump

    tables = work / "tables"
    if not (tables / "papers.parquet").is_file():
        generate_dump(work / "landing" / "dump.txt", papers)
        files, skipped = scan_landing(work / "landing")
        build_corpus([ingest_file(f, work / "ingest") for f in files], {}, tables, work / "scratch", skipped)
    return pl.read_parquet(tables / "papers.parquet", columns=["paper_id", "title", "abstract"])


def timed(run) -> tuple[float, object]:
    """(seconds, result) of run()."""
    started = time.perf_counter()
    result = run()
    return round(time.perf_counter() - started, 2), result


def step_runs(work: Path, corpus: pl.DataFrame) -> dict:
    """step -> (today: papers -> None, cached: (papers, cache) -> CacheStats), sharing one DuckDB."""
    from assets.core.duck import registered, stage_connection
    from assets.core.sql import load_sql
    from assets.metrics.claims import extract_claims
    from assets.metrics.per_paper import cached_claims, cached_paper_metrics
    from assets.topics.taxonomy import apply_taxonomy, categorised_papers, load_taxonomy

    con = stage_connection(work / "scratch", "2GB")
    tax = load_taxonomy()
    corpus_claims: list[pl.DataFrame] = []

    def claims_of(papers: pl.DataFrame) -> pl.DataFrame:  # computed once, outside the paper_metrics timings
        if not corpus_claims:
            corpus_claims.append(extract_claims(corpus.select("paper_id", "abstract")))
        return corpus_claims[0].join(papers.select("paper_id"), on="paper_id", how="semi")

    def categories_today(papers):
        with registered(con, {"papers": papers.to_arrow()}):
            apply_taxonomy(con, tax)

    def categories_cached(papers, cache):
        matched, stats = categorised_papers(con, tax, papers, cache)
        matched.to_arrow_table()  # the relation is lazy: the final sort runs here
        return stats

    def metrics_today(papers):
        with registered(con, {"papers": papers.to_arrow(), "claims": claims_of(papers).to_arrow()}):
            con.sql(load_sql("paper_metrics")).to_arrow_table()

    def metrics_cached(papers, cache):
        rows, stats = cached_paper_metrics(con, papers, claims_of(papers), cache)
        rows.to_arrow_table()
        return stats

    return {
        "claims": (lambda papers: extract_claims(papers.select("paper_id", "abstract")),
                   lambda papers, cache: cached_claims(papers.select("paper_id", "abstract"), cache)[1]),
        "paper_categories": (categories_today, categories_cached),
        "paper_metrics": (metrics_today, metrics_cached),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--papers", type=int, default=100_000)
    parser.add_argument("--added", type=int, default=210)
    parser.add_argument("--dir", type=Path, default=Path("/tmp/paper-cache-bench"))
    parser.add_argument("--steps", default="claims",
                        help="comma-separated: claims, paper_categories, paper_metrics")
    args = parser.parse_args(argv)

    papers = build_papers(args.dir, args.papers + args.added)
    before = papers.head(papers.height - args.added)
    runs = step_runs(args.dir, papers)
    for step in args.steps.split(","):
        today, cached = runs[step]
        cache = args.dir / "cache"
        shutil.rmtree(cache, ignore_errors=True)
        today_s, _ = timed(lambda: today(papers))
        cold_s, cold = timed(lambda: cached(before, cache))
        warm_s, warm = timed(lambda: cached(papers, cache))
        again_s, again = timed(lambda: cached(papers, cache))
        print(json.dumps({"step": step, "papers": papers.height, "today_s": today_s, "cold_s": cold_s,
                          "cold": cold.summary(), "warm_s": warm_s, "warm": warm.summary(),
                          "unchanged_s": again_s, "unchanged": again.summary()}), flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
