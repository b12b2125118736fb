"""The metric stage's per-paper steps on the paper cache (assets/core/paper_cache.py): the claims of an
abstract and the `paper_metrics` row of a (title, abstract) are computed once per content and version, so a
refresh computes only new or edited papers and otherwise merges."""

from __future__ import annotations

import platform
from pathlib import Path

import duckdb
import polars as pl

from assets.core.duck import registered
from assets.core.paper_cache import CacheStats, PaperStep, empty_todo, fingerprint, paper_rows
from assets.core.sql import load_sql
from assets.core.table_changes import merge_rows
from assets.metrics import claims as claim_rules
from assets.metrics.claims import CLAIMS_SCHEMA, extract_claims

# Bump when paper_metrics change for a reason sql/paper_metrics.sql and the claims step do not show.
PAPER_METRICS_VERSION = 1
METRICS_BATCH_ROWS = 100_000  # contents per paper_metrics query: its memory follows the batch, not the corpus
_CLAIM_RESULTS = {name: dtype for name, dtype in CLAIMS_SCHEMA.items() if name != "paper_id"}


def claims_version() -> str:
    """CLAIMS_VERSION plus a fingerprint of the extractor's source, the vocabularies it emits and the regex
    engines it runs on (Python's `re`, the polars prefilter)."""
    vocab = repr((claim_rules.UNITS, claim_rules.KINDS, claim_rules.DIRECTIONS, claim_rules.UNIT_SCALES))
    source = Path(claim_rules.__file__).read_bytes()
    engines = f"python {platform.python_version()} polars {pl.__version__}"
    return f"v{claim_rules.CLAIMS_VERSION}-{fingerprint(source, vocab, engines)}"


def _claims_of(todo: pl.DataFrame) -> pl.DataFrame:
    found = extract_claims(todo.select(pl.col("content_hash").alias("paper_id"), "abstract"))
    return found.rename({"paper_id": "content_hash"})


def claims_step() -> PaperStep:
    return PaperStep("claims", claims_version(), ("abstract",), _CLAIM_RESULTS, _claims_of)


def cached_claims(papers: pl.DataFrame, cache_dir: Path, whole_corpus: bool = True) -> tuple[pl.DataFrame, CacheStats]:
    """`extract_claims(papers)` (papers: paper_id, abstract), extracting only abstracts the cache lacks."""
    rows, stats = paper_rows(cache_dir, claims_step(), papers, whole_corpus)
    return rows.select(list(CLAIMS_SCHEMA)).cast(CLAIMS_SCHEMA), stats


def paper_metrics_step(con: duckdb.DuckDBPyConnection, claims: pl.DataFrame) -> PaperStep:
    """sql/paper_metrics.sql over the contents to compute, with the claims of one paper of each content
    (claims depend on the abstract only), the content hash standing in as paper_id."""

    def compute(todo: pl.DataFrame) -> pl.DataFrame:
        ids = todo.select("paper_id", "content_hash")
        their_claims = claims.join(ids, on="paper_id").drop("paper_id").rename({"content_hash": "paper_id"})
        papers = todo.select(pl.col("content_hash").alias("paper_id"), "title", "abstract")
        with registered(con, {"papers": papers.to_arrow(), "claims": their_claims.to_arrow()}):
            metrics = con.sql(load_sql("paper_metrics")).to_arrow_table()
        return pl.from_arrow(metrics).rename({"paper_id": "content_hash"})

    result_schema = dict(compute(empty_todo(["title", "abstract"])).drop("content_hash").schema)
    return PaperStep("paper_metrics", paper_metrics_version(), ("title", "abstract"), result_schema, compute,
                     batch_rows=METRICS_BATCH_ROWS)


def paper_metrics_version() -> str:
    """PAPER_METRICS_VERSION plus a fingerprint of the SQL, the engine and the claims step it reads."""
    sql = load_sql("paper_metrics")
    return f"v{PAPER_METRICS_VERSION}-{fingerprint(sql, f'duckdb {duckdb.__version__}', claims_version())}"


def cached_paper_metrics(con: duckdb.DuckDBPyConnection, papers: pl.DataFrame | pl.LazyFrame,
                         claims: pl.DataFrame, cache_dir: Path,
                         whole_corpus: bool = True) -> tuple[duckdb.DuckDBPyRelation, CacheStats]:
    """`paper_metrics` for `papers` (paper_id, title, abstract) and their `claims`, in the SQL's order and
    types, computing only contents the cache lacks (a LazyFrame's texts are held only while computed)."""
    rows, stats = paper_rows(cache_dir, paper_metrics_step(con, claims), papers, whole_corpus)
    return con.from_arrow(rows.to_arrow()).order("paper_id"), stats


def merged_claims(previous: pl.DataFrame, papers: pl.DataFrame, changed: list, cache_dir: Path
                  ) -> tuple[pl.DataFrame, CacheStats]:
    """The claims of ``papers`` (paper_id, abstract) when ``previous`` holds them for every paper but the
    ``changed`` ones, by the same extractor version: those come from the cache (or are extracted), the
    others are kept."""
    todo = papers.filter(pl.col("paper_id").is_in(pl.Series(changed, dtype=pl.String).implode()))
    new, stats = cached_claims(todo, cache_dir, whole_corpus=False)
    return merge_rows(previous, new.sort("paper_id", maintain_order=True), changed), stats


def merged_paper_metrics(con: duckdb.DuckDBPyConnection, previous: pl.DataFrame, papers: pl.DataFrame,
                         claims: pl.DataFrame, changed: list, cache_dir: Path) -> tuple[pl.DataFrame, CacheStats]:
    """`paper_metrics` when ``previous`` holds it for every paper but the ``changed`` ones (same version)."""
    ids = pl.Series(changed, dtype=pl.String).implode()
    todo = papers.filter(pl.col("paper_id").is_in(ids)).select("paper_id", "title", "abstract")
    rows, stats = cached_paper_metrics(con, todo, claims.filter(pl.col("paper_id").is_in(ids)), cache_dir,
                                       whole_corpus=False)
    return merge_rows(previous, pl.from_arrow(rows.to_arrow_table()), changed), stats
