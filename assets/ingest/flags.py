"""Row-level quality flags on the paper cache (assets/core/paper_cache.py): a paper's own flags are a
function of its title and abstract, computed once per content and version; `duplicate_abstract`, the one
flag that depends on other papers, is recomputed each run over the papers that share an abstract."""

from __future__ import annotations

from pathlib import Path

import polars as pl

from assets.core import contracts
from assets.core.paper_cache import CacheStats, PaperStep, fingerprint, paper_rows
from assets.quality import gx_runner, suites
from assets.quality.gx_runner import FLAGS, paper_flags

# Bump when flags change for a reason the quality and contracts modules' text does not show.
PAPER_FLAGS_VERSION = 1
CORPUS_FLAGS = ("duplicate_abstract",)


def flags_version() -> str:
    """PAPER_FLAGS_VERSION plus a fingerprint of the modules defining the flags and their thresholds and of
    the polars that evaluates them."""
    sources = [Path(module.__file__).read_bytes() for module in (gx_runner, suites, contracts)]
    return f"v{PAPER_FLAGS_VERSION}-{fingerprint(*sources, f'polars {pl.__version__}')}"


def _own_flags(todo: pl.DataFrame) -> pl.DataFrame:
    flagged = paper_flags(todo.select(pl.col("content_hash").alias("paper_id"), "title", "abstract"))
    return flagged.filter(~pl.col("flag").is_in(CORPUS_FLAGS)).rename({"paper_id": "content_hash"})


def flags_step() -> PaperStep:
    return PaperStep("paper_flags", flags_version(), ("title", "abstract"), {"flag": pl.String}, _own_flags)


def cached_paper_flags(papers: pl.DataFrame, cache_dir: Path) -> tuple[pl.DataFrame, CacheStats]:
    """`paper_flags(papers)` (papers: paper_id, title, abstract), same rows in the same order."""
    own, stats = paper_rows(cache_dir, flags_step(), papers)
    # every group of papers sharing an abstract is whole in `sharing`, so its duplicate flags are exact
    sharing = papers.filter(pl.col("abstract").is_not_null() & pl.col("abstract").is_duplicated())
    corpus = paper_flags(sharing).filter(pl.col("flag").is_in(CORPUS_FLAGS))
    order = papers.select("paper_id").with_row_index("paper_order")
    rank = pl.col("flag").replace_strict({flag: i for i, flag in enumerate(FLAGS)}, return_dtype=pl.Int32)
    flags = (pl.concat([own, corpus]).join(order, on="paper_id").sort("paper_order", rank)
             .select("paper_id", "flag").unique(maintain_order=True))
    return flags, stats
