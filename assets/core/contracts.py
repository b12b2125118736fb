"""Contracts several stages share: the page furniture ingest drops and quality looks for, the claim
vocabularies the extractor emits and the claims suite accepts, and the table names of each stage and
of a release. One definition each, so no two copies can drift apart."""

from __future__ import annotations

# Page furniture of the listing site: whole lines, compared after whitespace normalisation.
BOILERPLATE_LINES = frozenset(
    {
        "Get trending papers in your email inbox once a day!",
        "Get trending papers in your email inbox!",
        "Subscribe",
        "Daily Papers",
        "Upvote",
    }
)
BOILERPLATE_PHRASE = "Get trending papers in your email inbox"
GLUED_BUTTONS = ("Subscribe",)  # button text glued to a title: "SubscribePipeOffload: ..." ("Subscriber" is a word)

# Claim vocabularies: what assets/metrics/claims emits, what the claims suite accepts.
CLAIM_UNITS = ("percent", "x", "tokens", "parameters", "bytes", "seconds", "points", "count", "other")
CLAIM_KINDS = ("speed", "memory", "parameters", "accuracy", "scale", "cost", "other")
CLAIM_DIRECTIONS = ("increase", "decrease", "none")
CLAIM_UNIT_SCALES = ("", "K", "M", "B", "T", "KB", "MB", "GB", "TB", "PB")

# The tables each stage writes under warehouse/tables/.
CORPUS_TABLES = ("papers", "paper_sources", "rejects", "ingest_files")
TOPIC_TABLES = ("topics", "paper_topics", "topic_terms", "topic_lineage")
TAXONOMY_TABLES = ("categories", "paper_categories")
METRIC_TABLES = ("paper_metrics", "topic_metrics", "category_metrics")

# The public datasets a release carries, with the key columns that identify a record (for diffs), and
# the tables papers.duckdb holds. Documented for consumers in docs/datasets.md.
PUBLIC_DATASETS: dict[str, tuple[str, ...]] = {
    "papers": ("paper_id",),
    "paper_sources": ("paper_id", "source_file", "line_number"),
    "paper_flags": ("paper_id", "flag"),
    "topics": ("topic_id",),
    "paper_topics": ("paper_id", "topic_id"),
    "topic_terms": ("topic_id", "term"),
    "categories": ("category_id",),
    "paper_categories": ("paper_id", "category_id"),
    "claims": ("paper_id", "claim_index"),
    "paper_metrics": ("paper_id",),
    "topic_metrics": ("topic_id",),
    "category_metrics": ("category_id",),
    "rejects": ("source_file", "line_number"),
    "ingest_files": ("source_file",),
}
WAREHOUSE_TABLES: tuple[str, ...] = (*PUBLIC_DATASETS, "topic_lineage")
