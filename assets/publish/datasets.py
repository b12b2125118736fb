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


def with_explicit_types(table):
    """Published schemas use one Arrow type per logical type, whichever engine produced the table:
    polars writes large_string / large_list, DuckDB string / list; consumers see string / list."""
    import pyarrow as pa

    def explicit(data_type):
        if pa.types.is_large_string(data_type):
            return pa.string()
        if pa.types.is_large_list(data_type) or pa.types.is_list(data_type):
            return pa.list_(explicit(data_type.value_type))
        return data_type

    schema = pa.schema([field.with_type(explicit(field.type)) for field in table.schema])
    return table.cast(schema)
