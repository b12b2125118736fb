"""Validation that costs the change: a suite's per-check counts, carried from the last validation of a table
file to the next version of it by running GX on the rows of the changed keys only.

A full validation (assets.quality.gx_runner.validate) leaves a record, `quality/carried/<dataset>.json`: the
sha256 of the file it validated, a fingerprint of the suite and of GX, and for every check the keys of its
failing rows and of its missing (null) rows. A later version of the file whose rows differ only for known
keys (the first key column, `paper_id`) is validated as:

- row-by-row checks (not null, between, in set, A > B): GX runs on the new rows of the changed keys; each
  check's failing and missing rows are the record's, minus those of the changed keys, plus the new ones;
  the element count is the new file's row count. `mostly` is applied to these totals with GX's own
  formulas, so shares are exact for the whole table;
- uniqueness (one column or compound): counted exactly over the whole key columns in polars (a hash of a
  few columns: ~0.1 s for 1M ids), never carried;
- row count: the new file's;
- checks over a derived column that depends on other rows (duplicate abstracts): the caller passes the keys
  failing it now, computed over the whole table; every key whose state flipped is validated again.

The record is trusted only when its digest, fingerprint and sha256 (the file the changed keys are relative
to) all match and GX listed every failing row; otherwise, on a version bump of the suite or GX, or
when any count of the delta does not add up, the table is validated in full (and a new record written).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timezone
from importlib.metadata import version
from pathlib import Path
from typing import TYPE_CHECKING, Any

from assets.core.storage import write_json_atomic
from assets.quality import suites as S
from assets.quality.gx_runner import FAILING_ROWS_LISTED

if TYPE_CHECKING:
    import polars as pl

    from assets.quality.gx_runner import ResultRow, ValidationOutcome

RECORD_VERSION = "1"
_UNIQUE = ("ExpectColumnValuesToBeUnique", "ExpectCompoundColumnsToBeUnique")
_TABLE = ("ExpectTableRowCountToBeBetween",)


@dataclass
class TableChange:
    """What a step knows about the table file it wrote: its sha256 (`after`), the one it replaced
    (`before`), the first-key values whose rows can differ between them (`keys`; None: unknown)."""

    before: str | None
    after: str
    keys: list | None


def validate_change(dataset: str, run_id: str, quality_dir: Path, change: TableChange, rows: int,
                    full: Callable[[], Any], delta: Callable[[list], "pl.DataFrame"],
                    columns: Callable[[list[str]], "pl.DataFrame"], derived: bool = False,
                    failing_now: dict[str, set] | None = None) -> "ValidationOutcome":
    """The suite's outcome for the table file `change.after` (`rows` rows): carried from the record when
    it can be, else a full validation of `full()`. `delta(keys)`: the file's rows of those first-key values;
    `columns(cols)`: those columns of the whole file (uniqueness); `failing_now`: {check: first-key values
    failing it now} for checks over columns derived from other rows. The outcome's `method` says which."""
    from assets.quality.gx_runner import validate

    suite = S.get_suite(dataset)
    docs = quality_dir / "data_docs"
    record = _trusted_record(_record_path(quality_dir, dataset), suite, change)
    outcome = None
    if record is not None:
        outcome = _carried(suite, record, change, rows, delta, columns, derived, failing_now or {}, run_id)
    if outcome is None:
        outcome = validate(dataset, full(), run_id=run_id, data_docs_dir=docs, derived=derived)
    elif (docs / "index.html").is_file():
        outcome.data_docs_index = docs / "index.html"
    _write_record(_record_path(quality_dir, dataset), suite, change.after, outcome)
    return outcome


# ---------------------------------------------------------------------------------------------------
# the record


def _record_path(quality_dir: Path, dataset: str) -> Path:
    return quality_dir / "carried" / f"{dataset}.json"


def fingerprint(suite: S.Suite) -> str:
    """Changes with the suite's checks, keys or version, GX's version and this module's record format."""
    spec = [RECORD_VERSION, version("great_expectations"), suite.version, list(suite.key_columns),
            [[c.name, c.expectation, c.kwargs, c.severity, c.optional] for c in suite.checks]]
    return hashlib.sha256(json.dumps(spec, sort_keys=True, default=str).encode()).hexdigest()


def _digest(body: dict) -> str:
    return hashlib.sha256(json.dumps(body, sort_keys=True).encode()).hexdigest()


def _trusted_record(path: Path, suite: S.Suite, change: TableChange) -> dict | None:
    """The record when it is intact, of this suite and GX, and of the file the change starts from."""
    if change.keys is None or change.before is None:
        return None
    try:
        stored = json.loads(path.read_text(encoding="utf-8"))
        body = stored["body"]
        intact = stored["digest"] == _digest(body)
    except (OSError, ValueError, KeyError, TypeError):
        return None
    if not intact or body.get("fingerprint") != fingerprint(suite) or body.get("sha256") != change.before:
        return None
    return body


def _write_record(path: Path, suite: S.Suite, sha256: str, outcome: "ValidationOutcome") -> None:
    """Record the outcome's failing and missing keys per check; no record (the next run validates in full)
    when any is incomplete: GX listed fewer failing rows than it counted, a key is null, a check raised."""
    by_name = {chk.name: chk for chk in suite.checks}
    checks = {row.expectation: _entry(by_name[row.expectation], row) for row in outcome.rows}
    if any(entry is None for entry in checks.values()) or set(checks) != set(by_name):
        path.unlink(missing_ok=True)
        return
    body = {"fingerprint": fingerprint(suite), "sha256": sha256, "rows": outcome.row_count, "checks": checks}
    write_json_atomic(path, {"digest": _digest(body), "body": body})


def _entry(check: S.Check, row: "ResultRow") -> dict | None:
    if row.exception is not None:
        return None
    if "missing_columns" in json.loads(row.observed_value):  # not run: the same row while the columns lack
        return {"static": {"success": row.success, "observed_value": row.observed_value}}
    if check.expectation in _TABLE:
        return {}
    failing, missing = row.failing_keys, row.missing_keys
    if failing is None or missing is None or len(failing) != row.counts.get("unexpected_count", -1):
        return None
    if len(missing) != row.counts.get("missing_count", 0) or len(failing) > FAILING_ROWS_LISTED:
        return None
    if any(k[0] is None for k in (*failing, *missing)):  # a row no key can name is never carried
        return None
    if any(not isinstance(v, (str, int)) for k in (*failing, *missing) for v in k if v is not None):
        return None  # kept as JSON: only keys that come back as they went
    return {"failing": [list(k) for k in failing], "missing": [list(k) for k in missing],
            "has_missing": "missing_count" in row.counts}


# ---------------------------------------------------------------------------------------------------
# carrying


def _carried(suite: S.Suite, record: dict, change: TableChange, rows: int, delta, columns, derived: bool,
             failing_now: dict[str, set], run_id: str) -> "ValidationOutcome | None":
    """The outcome from the record and GX on the changed keys' rows; None when it cannot be exact."""
    import time

    from assets.quality.gx_runner import ValidationOutcome, validate

    started = time.perf_counter()
    keys = set(change.keys)
    for name, now in failing_now.items():  # a derived flag that flipped for unchanged rows: theirs too
        keys |= {k[0] for k in record["checks"].get(name, {}).get("failing", [])} ^ set(now)
    if len(keys) > max(rows, record["rows"]) // 4:  # no gain
        return None
    frame = delta(sorted(keys)) if keys else None
    checked = None
    if frame is not None and frame.height:
        checked = {r.expectation: r for r in validate(suite.dataset, frame, run_id=run_id, derived=derived).rows}
    out = []
    for check in suite.checks:
        entry = record["checks"].get(check.name)
        row = None if entry is None else _carried_row(suite, check, entry, keys, rows, checked, columns,
                                                      change.before == change.after)
        if row is None:
            return None
        out.append(row)
    checked_at = datetime.now(timezone.utc).replace(tzinfo=None)
    outcome = ValidationOutcome(suite.dataset, suite.name, run_id, checked_at, out,
                                {"carried": time.perf_counter() - started}, rows)
    outcome.method = (f"the rows of {len(keys)} changed keys; the other rows' counts carried from the "
                      f"validation of file {change.before[:12]}")
    return outcome


def _carried_row(suite: S.Suite, check: S.Check, entry: dict, keys: set, rows: int,
                 checked: dict | None, columns, same_file: bool) -> "ResultRow | None":
    """One check's result: static, row count, uniqueness over the whole columns (the record's when the
    file is the one it describes), or the record's failing and missing rows with the changed keys' new ones."""
    from assets.quality.gx_runner import ResultRow

    if "static" in entry:
        static = entry["static"]
        return ResultRow(suite.dataset, suite.name, check.name, check.severity, static["success"],
                         static["observed_value"], None, [], check.description, check.expectation)
    if check.expectation in _TABLE:
        low, high = check.kwargs.get("min_value"), check.kwargs.get("max_value")
        success = (low is None or rows >= low) and (high is None or rows <= high)
        return ResultRow(suite.dataset, suite.name, check.name, check.severity, success,
                         json.dumps({"observed_value": rows}), None, [], check.description, check.expectation)
    if check.expectation in _UNIQUE and not (same_file and not keys):
        failing, missing = _duplicates(columns(list(dict.fromkeys((*suite.key_columns, *check.columns)))),
                                       check, suite.key_columns)
    else:
        old = [tuple(k) for k in entry["failing"] if k[0] not in keys], [tuple(k) for k in entry["missing"]
                                                                            if k[0] not in keys]
        new = checked.get(check.name) if checked is not None else None
        if new is None:
            failing, missing = old
        elif (new.failing_keys is None or new.missing_keys is None
              or len(new.failing_keys) != new.counts.get("unexpected_count", -1)
              or len(new.missing_keys) != new.counts.get("missing_count", 0)):
            return None  # the delta's counts do not add up: validate in full
        else:
            failing = sorted([*old[0], *new.failing_keys], key=_order)
            missing = sorted([*old[1], *new.missing_keys], key=_order)
    return _map_row(suite, check, rows, failing, missing, entry["has_missing"])


def _order(key: tuple) -> tuple:
    """Sort key of a key tuple: the table's order (tables are sorted by their keys), nulls last."""
    return tuple((v is None, "" if v is None else v) for v in key)


def _map_row(suite: S.Suite, check: S.Check, rows: int, failing: list[tuple], missing: list[tuple],
             has_missing: bool) -> "ResultRow":
    """A row-by-row check's result from its totals, by GX's formulas (ColumnMapExpectation._validate,
    _format_map_output): `mostly` over the non-missing rows (all rows for not-null checks)."""
    from assets.quality.gx_runner import ResultRow, _json, _observed, _text

    unexpected, considered = len(failing), rows - len(missing) if has_missing else rows
    mostly = check.kwargs.get("mostly", 1.0)
    success = rows == 0 or considered == 0 or (float(considered) - unexpected) / float(considered) >= mostly
    percent = unexpected / (considered if has_missing else rows) * 100 if rows > 0 and considered > 0 else None
    result = {"element_count": rows, "unexpected_count": unexpected, "unexpected_percent": percent}
    if has_missing:
        result["missing_count"] = len(missing)
    names = suite.key_columns
    examples = [_text(k[0]) if len(k) == 1 else ", ".join(f"{n}={_text(v)}" for n, v in zip(names, k))
                for k in failing[:suite.example_cap]]
    counts = {"element_count": rows, "unexpected_count": unexpected,
              **({"missing_count": len(missing)} if has_missing else {})}
    return ResultRow(suite.dataset, suite.name, check.name, check.severity, success, _json(_observed(result, check)),
                     unexpected, examples, check.description, check.expectation, [], None, counts, failing, missing)


def _duplicates(frame: "pl.DataFrame", check: S.Check, key_columns: tuple[str, ...]) -> tuple[list, list]:
    """(failing, missing) keys of a uniqueness check over the whole table, in its order, as GX counts them:
    rows whose value (tuple of values) occurs more than once among the rows not all missing."""
    import polars as pl

    cols = list(check.columns)
    missing = pl.all_horizontal([pl.col(c).is_null() for c in cols])
    value = pl.col(cols[0]) if len(cols) == 1 else pl.struct(cols)
    keys = [c for c in key_columns if c in frame.columns]
    failing = frame.filter(~missing & value.is_duplicated()).select(keys)
    absent = frame.filter(missing).select(keys)
    return [tuple(r) for r in failing.iter_rows()], [tuple(r) for r in absent.iter_rows()]
