"""The public datasets a release carries, with the key columns that identify a record (for diffs),
and the tables `papers.duckdb` holds. Documented for consumers in docs/datasets.md."""

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
