"""A staged table read only where the release needs it.

A release from a trusted change record (assets/core/table_changes.py) hashes the units of the changed
keys, stores the added rows and the buckets it rewrites, and diffs the changed keys: at 1M papers and
+210, a tenth of `papers` or less. ``PartialTable`` reads the key columns in full, and other rows only
when asked, from the row groups that hold them (each row group decoded at most once per request; the
whole file at once when most rows are wanted); the rows read are kept, so the rows hashed are not read
again when they are stored or diffed.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq

from assets.publish.layout import take_rows


WHOLE_READ_DIVISOR = 2  # past 1/2 of the rows, one whole read (threaded, no row copies) costs less
# A partial read pays only while the dirty units hold few rows: measured at 1M +210 (CPU, contended),
# papers (~10% of its rows in dirty units) 2.9 -> 2.1 s, paper_categories (~34%) 3.1 -> 4.8 s.
PARTIAL_READ_MAX_SHARE = 1 / 8


def worth_reading_partially(changed_keys: int, units: int) -> bool:
    """Whether ``changed_keys`` random keys over ``units`` hash units leave most rows out of the dirty
    units (expected share of units hit: 1 - (1 - 1/units)^keys)."""
    return units > 0 and 1 - (1 - 1 / units) ** changed_keys <= PARTIAL_READ_MAX_SHARE


class PartialTable:
    """The Parquet file ``path`` as the release writer sees a table (explicit types, see
    ``assets/publish/datasets.with_explicit_types``), its rows read by position on demand. Every read
    goes through the one handle opened here: keys and rows come from the same file even if a later run
    renames a new one into its place."""

    def __init__(self, path: Path, explicit_types):
        self.path = Path(path)
        self._explicit = explicit_types
        self._file = pq.ParquetFile(self.path)
        self.schema: pa.Schema = explicit_types(self._file.schema_arrow.empty_table()).schema
        self.num_rows: int = self._file.metadata.num_rows
        sizes = [self._file.metadata.row_group(i).num_rows for i in range(self._file.metadata.num_row_groups)]
        self._starts = np.concatenate([[0], np.cumsum(sizes, dtype=np.int64)])
        self._hold(np.zeros(0, np.int64), self.schema.empty_table())  # positions read, their rows
        self.rows_read = 0  # rows decoded from the file beyond the key columns (diagnostics, tests)
        self.row_groups_read = 0

    def select(self, columns: list[str]) -> pa.Table:
        """Whole columns (the keys), read from the file."""
        return self._explicit(self._file.read(columns=list(columns)))

    def whole(self) -> pa.Table:
        """Every row (a path that needs them all)."""
        return self._explicit(self._file.read())

    def slice(self, offset: int = 0, length: int | None = None) -> pa.Table:
        """Rows ``offset`` .. ``offset + length`` (a sample, e.g. for dictionary_columns)."""
        stop = self.num_rows if length is None else min(self.num_rows, offset + length)
        return self.take(np.arange(offset, max(offset, stop), dtype=np.int64))

    def prefetch(self, positions: np.ndarray) -> None:
        """Read the rows at ``positions`` not read yet, each row group that holds one once (the whole file
        when that would hold most rows: paper_topics at 4 buckets has every unit dirty after +210)."""
        positions = np.asarray(positions, dtype=np.int64)
        wanted = np.unique(positions[~self._holds(positions)])
        if not len(wanted):
            return
        if wanted[0] < 0 or wanted[-1] >= self.num_rows:
            raise IndexError(f"{self.path}: row positions outside 0..{self.num_rows - 1}")
        if (len(self._held) + len(wanted)) * WHOLE_READ_DIVISOR > self.num_rows:  # cheaper read whole
            self._hold(np.arange(self.num_rows, dtype=np.int64), self.whole())
            self.rows_read, self.row_groups_read = self.num_rows, len(self._starts) - 1
            return
        group_of = np.searchsorted(self._starts, wanted, side="right") - 1
        parts = [self._rows]
        for group in np.unique(group_of).tolist():
            local = wanted[group_of == group] - self._starts[group]
            parts.append(self._explicit(self._file.read_row_group(group).take(pa.array(local))))
            self.row_groups_read += 1
        self.rows_read += len(wanted)
        self._hold(np.concatenate([self._held, wanted]), pa.concat_tables(parts))

    def _hold(self, positions: np.ndarray, rows: pa.Table) -> None:
        """Keep ``rows`` (chunks appended, never one array: no 2 GiB limit), at ``positions``."""
        self._held, self._rows = positions, rows
        self._order = np.argsort(self._held, kind="stable")
        self._sorted = self._held[self._order]

    def _holds(self, positions: np.ndarray) -> np.ndarray:
        at = np.minimum(np.searchsorted(self._sorted, positions), max(0, len(self._sorted) - 1))
        return self._sorted[at] == positions if len(self._sorted) else np.zeros(len(positions), bool)

    def take(self, positions: np.ndarray) -> pa.Table:
        """The rows at ``positions`` (in that order), read first if needed."""
        positions = np.asarray(positions, dtype=np.int64)
        self.prefetch(positions)
        found = self._order[np.searchsorted(self._sorted, positions)]
        return take_rows(self._rows, found)
