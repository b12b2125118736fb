"""Load the derived-table SQL kept in `sql/`, one file per table, by name."""

from functools import cache
from pathlib import Path

SQL_DIR = Path(__file__).resolve().parents[2] / "sql"


@cache
def load_sql(name: str) -> str:
    """Text of `sql/<name>.sql`; parameters inside are bound by the caller, never formatted in."""
    path = SQL_DIR / f"{name}.sql"
    if not path.is_file():
        raise FileNotFoundError(f"no SQL file for table {name!r}: expected {path}")
    return path.read_text(encoding="utf-8")
