"""What the release writer is told about the published tables beyond their names and keys
(assets/core/contracts.py): one Arrow type per logical type, the provenance columns, and the tables
themselves, read when asked for."""

from collections.abc import Iterator, Mapping
from pathlib import Path

# Columns that only say where or how often a row was seen. They are published (and count in the content
# hash, so a change in them makes a new release) but a change in them alone does not make a row
# `updated` in the diffs: a re-sighting of a paper in a new dump is not an edit of the paper.
PROVENANCE_COLUMNS: dict[str, tuple[str, ...]] = {
    "papers": ("source_file", "source_line", "sightings", "source_files"),
}


class TablesOnDemand(Mapping):
    """Published tables by name, each read from its Parquet file (with explicit types) when the release
    writer asks for it: the writer then holds one table at a time, not all of them at once."""

    def __init__(self, paths: dict[str, Path]):
        self._paths = dict(paths)

    def __getitem__(self, name: str):
        import pyarrow.parquet as pq

        return with_explicit_types(pq.read_table(self._paths[name]))

    def partial(self, name: str):
        """The table ``name`` read by position on demand (a release from a change record needs few rows)."""
        from assets.publish.partial import PartialTable

        return PartialTable(self._paths[name], with_explicit_types)

    def __iter__(self) -> Iterator[str]:
        return iter(self._paths)

    def __len__(self) -> int:
        return len(self._paths)


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
