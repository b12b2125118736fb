"""Conflicts between papers that one file introduces (two titles sharing one abstract): the file is
quarantined with the reason, like a file failing a per-file check, instead of failing the corpus-wide
blocking check and holding back the release of every other paper."""

from __future__ import annotations

from pathlib import Path


def conflicting_files(derived, paper_sources: Path, reports: list[dict]) -> dict[str, str]:
    """{source_file: reason} for the files to quarantine: of the papers sharing an abstract under
    different titles, the earliest file holding them (landing order: modification time, name) keeps
    its title; each later file bringing another title is quarantined, and so is the earliest file when
    the conflict is within it. `derived`: the papers (paper_id, title, abstract) with derive_papers' columns."""
    import polars as pl

    flagged = derived.filter(pl.col("duplicate_abstract")).select("paper_id", "title", "abstract")
    if flagged.is_empty():
        return {}
    order = sorted(reports, key=lambda r: (r["mtime_ns"], r["source_file"]))
    rank = {r["source_file"]: i for i, r in enumerate(order)}
    sources = pl.read_parquet(paper_sources, columns=["paper_id", "source_file"]).unique()
    found: dict[str, str] = {}
    for _, group in flagged.join(sources, on="paper_id").group_by("abstract"):
        by_file = {f: set(zip(g["paper_id"], g["title"])) for (f,), g in group.group_by("source_file")}
        first = min(by_file, key=lambda f: rank.get(f, len(rank)))
        established = by_file[first]
        for name, papers_of_file in by_file.items():
            titles = {t for _, t in (papers_of_file if name == first else papers_of_file | established)}
            if (name == first and len(established) > 1) or (name != first and papers_of_file - established):
                shown = " / ".join(repr(t[:80]) for t in sorted(titles))
                found[name] = f"no_duplicate_abstracts: one abstract under two titles ({shown}): a cross-paper conflict"
    return found
