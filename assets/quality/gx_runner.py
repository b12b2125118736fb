"""Run the code-defined suites (`assets.quality.suites`) through GX Core 1.x; results come back as plain data.

    outcome = validate("papers", papers_frame, run_id, data_docs_dir=warehouse / "quality" / "data_docs")
    outcome.blocking_failures      # list[ResultRow]; raise with outcome.failure_message() when non-empty
    outcome.to_polars()            # rows for the validation_results table
    paper_flags(papers_frame)      # polars (paper_id, flag) row-level flags
    quarantined_files(outcome)     # {source_file: reason} from failing ingest_files warnings
    data_docs_index(data_docs_dir) # Path to the offline-readable Data Docs index.html

great_expectations is imported only inside functions (import_gx: ~2-3 s CPU). One ephemeral GX context,
one pandas data source and one checkpoint per dataset are created lazily and reused for the whole process.
Helper columns are computed in polars and only the columns a suite needs are converted to pandas.
"""

from __future__ import annotations

import html
import importlib.abc
import importlib.machinery
import importlib.util
import json
import math
import os
import re
import sys
import threading
import time
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING, Any

from assets.core.long_lived import collections_paused
from assets.core.storage import write_text_atomic
from assets.quality import suites as S

if TYPE_CHECKING:
    import polars as pl

__all__ = ["ResultRow", "ValidationOutcome", "validate", "paper_flags", "quarantined_files", "data_docs_index",
           "import_gx", "FLAGS"]


# ---------------------------------------------------------------------------------------------------
# plain-data results


@dataclass
class ResultRow:
    dataset: str
    suite: str
    expectation: str  # the check's stable name
    severity: str  # 'blocking' | 'warning'
    success: bool
    observed_value: str  # JSON
    unexpected_count: int | None
    unexpected_examples: list[str]  # key values of failing rows (paper ids, file names), capped
    description: str
    gx_type: str = ""
    unexpected_rows: list[dict] = field(default_factory=list)  # {key cols..., checked col: value}, capped
    exception: str | None = None
    counts: dict[str, int] = field(default_factory=dict)  # GX's element/unexpected/missing counts, when given
    failing_keys: list[tuple] | None = None  # key values of the failing rows GX listed (FAILING_ROWS_LISTED)
    missing_keys: list[tuple] | None = None  # key values of the rows GX counted as missing (None: too many)

    def details(self) -> str:
        return _json({"description": self.description, "gx_expectation": self.gx_type,
                      "unexpected_count": self.unexpected_count, "unexpected_examples": self.unexpected_examples,
                      "exception": self.exception})


@dataclass
class ValidationOutcome:
    dataset: str
    suite: str
    run_id: str
    checked_at: datetime  # naive UTC
    rows: list[ResultRow]
    timings: dict[str, float] = field(default_factory=dict)  # seconds: derive, to_pandas, gx_run, data_docs
    row_count: int = 0
    data_docs_index: Path | None = None
    method: str = "all rows"  # what GX ran on: all rows, or the changed keys' rows (assets/quality/carried.py)

    @property
    def success(self) -> bool:
        return not self.blocking_failures

    @property
    def blocking_failures(self) -> list[ResultRow]:
        return [r for r in self.rows if not r.success and r.severity == S.BLOCKING]

    @property
    def warnings(self) -> list[ResultRow]:
        """Failed warning-severity expectations."""
        return [r for r in self.rows if not r.success and r.severity == S.WARNING]

    def to_polars(self) -> "pl.DataFrame":
        """Rows for the `validation_results` table."""
        import polars as pl

        return pl.DataFrame(
            {
                "run_id": [self.run_id] * len(self.rows),
                "asset": [self.dataset] * len(self.rows),
                "suite": [self.suite] * len(self.rows),
                "expectation": [r.expectation for r in self.rows],
                "severity": [r.severity for r in self.rows],
                "success": [r.success for r in self.rows],
                "observed_value": [r.observed_value for r in self.rows],
                "checked_at": [self.checked_at] * len(self.rows),
                "unexpected_count": [r.unexpected_count for r in self.rows],
                "description": [r.description for r in self.rows],
                "details": [r.details() for r in self.rows],
            },
            schema={"run_id": pl.String, "asset": pl.String, "suite": pl.String, "expectation": pl.String,
                    "severity": pl.String, "success": pl.Boolean, "observed_value": pl.String,
                    "checked_at": pl.Datetime("us"), "unexpected_count": pl.Int64, "description": pl.String,
                    "details": pl.String},
        )

    def failure_message(self, include_warnings: bool = True) -> str:
        """Readable multi-line message naming failed expectations, observed values and examples."""
        failed = self.blocking_failures + (self.warnings if include_warnings else [])
        head = (f"{self.dataset}: {len(self.blocking_failures)} blocking failure(s), {len(self.warnings)} warning(s) "
                f"in suite {self.suite} (run {self.run_id}, {self.row_count} rows)")
        if not failed:
            return head + ": all expectations passed"
        lines = [head]
        for r in failed:
            line = f"  [{r.severity}] {r.expectation}: {r.description}; observed {r.observed_value}"
            if r.unexpected_examples:
                shown = ", ".join(r.unexpected_examples[:5])
                more = f" (+{len(r.unexpected_examples) - 5} more)" if len(r.unexpected_examples) > 5 else ""
                line += f"; e.g. {shown}{more}"
            if r.exception:
                line += f"; error: {r.exception}"
            lines.append(line)
        return "\n".join(lines)


def _json(value: Any) -> str:
    def default(o: Any) -> Any:
        if hasattr(o, "item"):
            return o.item()
        if isinstance(o, (set, frozenset, tuple)):
            return list(o)
        return str(o)

    def clean(o: Any) -> Any:  # NaN/inf are not JSON
        if isinstance(o, float) and not math.isfinite(o):
            return None
        if isinstance(o, dict):
            return {str(k): clean(v) for k, v in o.items()}
        if isinstance(o, (list, tuple)):
            return [clean(v) for v in o]
        return o

    return json.dumps(clean(value), default=default, sort_keys=True, ensure_ascii=False)


# ---------------------------------------------------------------------------------------------------
# GX state (one per process)

_LOCK = threading.RLock()
# failing rows GX lists per expectation (positions, cheap): enough for the carried validation's record
# (assets/quality/carried.py) to know every failing row of a table that passes or nearly passes
FAILING_ROWS_LISTED = 1_000
_STATE: dict[str, Any] = {}


# GX imports these at its own import for expectations and renderers no suite here uses (KL divergence and
# KS tests: scipy.stats; the KL divergence chart: altair): they are loaded at their first use instead
# (~640 modules and ~0.9 s CPU less for a run that needs neither, e.g. a refresh without a topic refit)
LOADED_ON_FIRST_USE = frozenset({"scipy.stats", "altair"})


class _LoadOnFirstUse(importlib.abc.MetaPathFinder):
    """Finds the LOADED_ON_FIRST_USE modules as lazy modules (the standard library's LazyLoader): the
    module object is created at the import, its code runs at the first attribute access."""

    def find_spec(self, name, path, target=None):
        if name not in LOADED_ON_FIRST_USE:
            return None
        spec = importlib.machinery.PathFinder.find_spec(name, path)
        if spec is not None and spec.loader is not None:
            spec.loader = importlib.util.LazyLoader(spec.loader)
        return spec


def import_gx():
    """Import great_expectations (slow, ~2-3 s CPU the first time) with analytics off; returns the module.
    The first import runs without automatic collections (collections_paused; the step hook freezes what
    survives the step);
    the modules it imports only for expectations no suite uses are loaded on first use."""
    os.environ.setdefault("GX_ANALYTICS_ENABLED", "False")
    if "great_expectations" not in sys.modules:
        finder = _LoadOnFirstUse()
        sys.meta_path.insert(0, finder)
        try:
            with collections_paused():  # nothing frozen: GX is imported inside a step, whose data are alive
                import great_expectations  # noqa: F401
        finally:
            sys.meta_path.remove(finder)
    import great_expectations as gx

    return gx


def _context():
    with _LOCK:
        if "context" not in _STATE:
            gx = import_gx()
            from great_expectations.data_context.types.base import ProgressBarsConfig

            ctx = gx.get_context(mode="ephemeral")
            ctx.variables.progress_bars = ProgressBarsConfig(globally=False, metric_calculations=False)
            _STATE.update(context=ctx, datasource=ctx.data_sources.add_pandas("pipeline"), sites={}, entries={})
        return _STATE["context"]


def _keep_all_index_builder():
    from great_expectations.render.renderer.site_builder import DefaultSiteIndexBuilder

    class KeepAllSiteIndexBuilder(DefaultSiteIndexBuilder):
        """DefaultSiteIndexBuilder that never removes pages it has no source result for. Each process has its
        own ephemeral stores, so the default (skip_and_clean_missing=True) would delete the Data Docs pages
        of every other step of the run."""

        def build(self, skip_and_clean_missing=True, build_index: bool = True):
            return super().build(skip_and_clean_missing=False, build_index=build_index)

    return KeepAllSiteIndexBuilder


class _CompiledTemplates:
    """A jinja bytecode cache kept for the process (built on first use: jinja2 comes with GX)."""

    cache = None

    @classmethod
    def get(cls):
        if cls.cache is None:
            import jinja2

            class InMemory(jinja2.BytecodeCache):
                def __init__(self) -> None:
                    self.code: dict[str, bytes] = {}

                def load_bytecode(self, bucket) -> None:
                    if bucket.key in self.code:
                        bucket.bytecode_from_string(self.code[bucket.key])

                def dump_bytecode(self, bucket) -> None:
                    self.code[bucket.key] = bucket.bytecode_to_string()

            cls.cache = InMemory()
        return cls.cache


def _compiled_once_view(base_name: str):
    """GX gives every view of every Data Docs build its own jinja Environment, so each validation compiled
    every template again (half the CPU of a small validation); this view shares the compiled templates."""
    from great_expectations.render import view

    base = getattr(view, base_name)

    def __init__(self, *args, **kwargs):
        base.__init__(self, *args, **kwargs)
        self.env.bytecode_cache = _CompiledTemplates.get()

    return type(f"CompiledOnce{base_name}", (base,), {"__init__": __init__, "__module__": __name__})


_LAZY_CLASSES = {
    "KeepAllSiteIndexBuilder": _keep_all_index_builder,
    "CompiledOnceDefaultJinjaPageView": lambda: _compiled_once_view("DefaultJinjaPageView"),
    "CompiledOnceDefaultJinjaIndexPageView": lambda: _compiled_once_view("DefaultJinjaIndexPageView"),
}


def __getattr__(name: str):  # PEP 562: GX instantiates site builders and views by module and class name
    if name in _LAZY_CLASSES:
        cls = _LAZY_CLASSES[name]()
        globals()[name] = cls
        return cls
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def _view(class_name: str) -> dict[str, str]:
    return {"module_name": __name__, "class_name": f"CompiledOnce{class_name}"}


def _site_name(data_docs_dir: Path | None) -> str | None:
    if data_docs_dir is None:
        return None
    ctx = _context()
    key = str(Path(data_docs_dir).resolve())
    sites: dict[str, str] = _STATE["sites"]
    if key not in sites:
        name = f"site_{len(sites)}"
        Path(key).mkdir(parents=True, exist_ok=True)
        ctx.add_data_docs_site(site_name=name, site_config={
            "class_name": "SiteBuilder",
            "show_how_to_buttons": False,
            # keeps pages written by other processes (the default index builder deletes every page whose
            # result is not in this process's in-memory store)
            # (the list of every run's pages is _offline_index's: GX's index looks up the newest result only,
            # instead of reporting every older run as "Validation result not found ... skipping")
            "site_index_builder": {"class_name": "KeepAllSiteIndexBuilder", "module_name": __name__,
                                   "validation_results_limit": 1, "view": _view("DefaultJinjaIndexPageView")},
            "site_section_builders": {section: {"view": _view("DefaultJinjaPageView")}
                                      for section in ("expectations", "validations")},
            "store_backend": {"class_name": "TupleFilesystemStoreBackend", "base_directory": key},
        })
        sites[key] = name
    return sites[key]


def _checkpoint(suite: S.Suite, checks: list[S.Check], site: str | None):
    """The cached checkpoint for (dataset, site); rebuilt when the set of active checks changes."""
    gx = import_gx()
    from great_expectations.checkpoint import UpdateDataDocsAction

    ctx = _context()
    entries: dict[str, dict] = _STATE["entries"]
    signature = tuple(c.name for c in checks)
    entry = entries.get(suite.dataset)
    if entry is None or entry["signature"] != signature:
        if entry is not None:
            for cp_name in entry["checkpoints"]:
                ctx.checkpoints.delete(cp_name)
            ctx.validation_definitions.delete(entry["vd"].name)
            ctx.suites.delete(suite.name)
            batch_def = entry["batch_def"]
        else:
            asset = _STATE["datasource"].add_dataframe_asset(suite.dataset)
            batch_def = asset.add_batch_definition_whole_dataframe("whole_frame")
        # the expectations are added before the suite is saved: each one added to a saved suite wrote the
        # whole suite to the context's store again
        gx_suite = gx.ExpectationSuite(name=suite.name, meta={"dataset": suite.dataset, "version": suite.version})
        for chk in checks:
            cls = getattr(gx.expectations, chk.expectation)
            gx_suite.add_expectation(cls(
                **chk.kwargs,
                severity="critical" if chk.severity == S.BLOCKING else "warning",
                description=f"[{chk.severity}] {chk.name}: {chk.description}",
                meta={"name": chk.name, "severity": chk.severity},
            ))
        gx_suite = ctx.suites.add(gx_suite)
        vd = ctx.validation_definitions.add(
            gx.ValidationDefinition(name=f"{suite.dataset}_validation", data=batch_def, suite=gx_suite))
        entry = {"signature": signature, "vd": vd, "batch_def": batch_def, "checkpoints": {}}
        entries[suite.dataset] = entry
    cp_name = f"{suite.dataset}_checkpoint" + (f"_{site}" if site else "")
    if cp_name not in entry["checkpoints"]:
        actions = [UpdateDataDocsAction(name="update_data_docs", site_names=[site])] if site else []
        entry["checkpoints"][cp_name] = ctx.checkpoints.add(gx.Checkpoint(
            name=cp_name,
            validation_definitions=[entry["vd"]],
            actions=actions,
            result_format={
                "result_format": "SUMMARY",
                "partial_unexpected_count": max(suite.example_cap, FAILING_ROWS_LISTED),
                "return_unexpected_index_query": False,
            },
        ))
    return entry["checkpoints"][cp_name]


# ---------------------------------------------------------------------------------------------------
# validate


def _to_polars(frame: Any, columns: list[str] | None = None) -> "pl.DataFrame":
    import polars as pl

    if isinstance(frame, pl.LazyFrame):
        frame = frame.select(columns).collect() if columns is not None else frame.collect()
    if isinstance(frame, pl.DataFrame):
        return frame.select(columns) if columns is not None else frame
    # pandas (or anything with .columns / __getitem__)
    if columns is not None:
        frame = frame[columns]
    return pl.from_pandas(frame)


def _frame_columns(frame: Any) -> list[str]:
    import polars as pl

    if isinstance(frame, pl.LazyFrame):
        return frame.collect_schema().names()
    return [str(c) for c in frame.columns]


def _gx_friendly(df: "pl.DataFrame") -> "pl.DataFrame":
    """Widen numbers to Int64/Float64: GX's pandas between-checks are vectorised only for int64/float64
    (uint32 lengths fall back to a Python call per row: ~3 s per 1M rows and check)."""
    import polars as pl

    casts = []
    for name, dtype in df.schema.items():
        if dtype.is_integer() and dtype != pl.Int64:
            casts.append(pl.col(name).cast(pl.Int64))
        elif dtype.is_float() and dtype != pl.Float64:
            casts.append(pl.col(name).cast(pl.Float64))
    return df.with_columns(casts) if casts else df


def _observed(result: dict, check: S.Check) -> dict:
    if "observed_value" in result:
        return {"observed_value": result["observed_value"]}
    obs = {k: result[k] for k in ("element_count", "unexpected_count", "unexpected_percent", "missing_count")
           if k in result}
    if "mostly" in check.kwargs:
        obs["mostly"] = check.kwargs["mostly"]
    return obs


def _missing(value: Any) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


def _text(value: Any) -> str:
    return "null" if _missing(value) else str(value)


_COUNTS = ("element_count", "unexpected_count", "missing_count")


def _failing_keys(result: dict, frame: "pl.DataFrame", key_columns: tuple[str, ...]) -> list[tuple] | None:
    """Key values of every failing row GX listed (positions into `frame`, in frame order); None when GX
    gave no positions (table-level expectations)."""
    positions = result.get("partial_unexpected_index_list")
    if positions is None:
        return None
    keys = frame.select([c for c in key_columns if c in frame.columns])
    return [tuple(row) for row in keys[[int(p) for p in positions]].iter_rows()] if positions else []


def missing_keys(frame: "pl.DataFrame", check: S.Check, key_columns: tuple[str, ...],
                 expected: int) -> list[tuple] | None:
    """Key values of the rows GX counts as missing for `check` (all its columns null or NaN, as pandas sees
    them), when there are `expected` of them and at most FAILING_ROWS_LISTED; else None."""
    import polars as pl

    if expected == 0:
        return []
    if expected > FAILING_ROWS_LISTED:
        return None
    null = [pl.col(c).is_null() | (pl.col(c).is_nan() if frame.schema[c].is_float() else pl.lit(False))
            for c in check.columns]
    keys = frame.filter(pl.all_horizontal(null)).select([c for c in key_columns if c in frame.columns])
    return [tuple(row) for row in keys.iter_rows()]


def _examples(result: dict, frame: "pl.DataFrame", key_columns: tuple[str, ...], check: S.Check,
              cap: int) -> tuple[list[str], list[dict]]:
    """Failing-row examples named by the suite's key columns.

    GX is run without `unexpected_index_column_names`: with them it looks every unexpected row up with
    DataFrame.at before truncating (40 s for 1M failing rows). Without them it returns positions in the
    frame's RangeIndex, which are looked up here in the polars frame (the same rows, same order)."""
    positions = result.get("partial_unexpected_index_list") or []
    positions = [int(p) for p in positions[:cap] if isinstance(p, (int,)) or hasattr(p, "__index__")]
    if not positions:
        return [_text(v) for v in (result.get("partial_unexpected_list") or [])[:cap]], []
    cols = list(dict.fromkeys(c for c in (*key_columns, *check.columns) if c in frame.columns))
    raw = frame.select(cols)[positions].to_dicts()
    keys = [k for k in key_columns if k in cols]
    if len(keys) == 1:
        examples = [_text(r[keys[0]]) for r in raw]
    else:
        examples = [", ".join(f"{k}={_text(r[k])}" for k in keys) for r in raw]
    return examples, raw


def validate(dataset: str, frame: Any, run_id: str, data_docs_dir: Path | None = None,
             derived: bool = False) -> ValidationOutcome:
    """Validate a polars/pandas frame against the dataset's suite; returns plain-data results. `derived`:
    the frame already carries the suite's derived columns (S.derived_columns), computed by its `derive`
    from the same rows, so they are not derived again.

    Never raises on data problems: the caller decides (e.g. raise Failure(outcome.failure_message()) when
    outcome.blocking_failures). There is one result row per suite check, in suite order: a check whose
    columns are missing fails, or passes with observed {"skipped": true, ...} when it is optional.
    """
    suite = S.get_suite(dataset)
    available = _frame_columns(frame)
    timings: dict[str, float] = {}

    t0 = time.perf_counter()
    if derived:
        with_derived = _to_polars(frame)
    else:
        source = _to_polars(frame, suite.source_columns(available))
        with_derived = suite.derive(source) if suite.derive else source
    present = set(with_derived.columns)
    rows: list[ResultRow] = []
    active: list[S.Check] = []
    for chk in suite.checks:
        missing = [c for c in chk.columns if c not in present]
        if not missing:
            active.append(chk)
        else:  # a row for every check (Dagster expects a result per declared check); optional ones pass
            observed = {"missing_columns": missing, **({"skipped": True} if chk.optional else {})}
            rows.append(ResultRow(dataset, suite.name, chk.name, chk.severity, chk.optional, _json(observed), None,
                                  [], chk.description, chk.expectation))
    needed = [c for c in (*suite.key_columns, *(col for chk in active for col in chk.columns)) if c in present]
    needed = list(dict.fromkeys(needed))
    narrow = _gx_friendly(with_derived.select(needed))
    timings["derive"] = time.perf_counter() - t0

    t0 = time.perf_counter()
    pdf = narrow.to_pandas()  # RangeIndex: GX reports failing rows as positions into `narrow`
    timings["to_pandas"] = time.perf_counter() - t0

    checked_at = datetime.now(timezone.utc).replace(tzinfo=None)
    if active:
        t0 = time.perf_counter()
        gx = import_gx()
        with _LOCK:
            site = _site_name(data_docs_dir)
            checkpoint = _checkpoint(suite, active, site)
            timings["gx_setup"] = time.perf_counter() - t0
            t0 = time.perf_counter()
            result = checkpoint.run(batch_parameters={"dataframe": pdf}, run_id=gx.RunIdentifier(run_name=run_id))
        timings["gx_run"] = time.perf_counter() - t0
        by_name = {chk.name: chk for chk in active}
        for suite_result in result.run_results.values():
            for er in suite_result.results:
                cfg = er.expectation_config
                chk = by_name[(cfg.meta or {}).get("name")]
                res = dict(er.result or {})
                exc = er.exception_info or {}
                exc_msg = exc.get("exception_message") if exc.get("raised_exception") else None
                examples, raw = _examples(res, narrow, suite.key_columns, chk, suite.example_cap)
                rows.append(ResultRow(
                    dataset, suite.name, chk.name, chk.severity, bool(er.success), _json(_observed(res, chk)),
                    res.get("unexpected_count"), examples, chk.description, chk.expectation, raw, exc_msg,
                    {k: int(res[k]) for k in _COUNTS if res.get(k) is not None},
                    _failing_keys(res, narrow, suite.key_columns),
                    missing_keys(narrow, chk, suite.key_columns, res.get("missing_count") or 0)))
    order = {chk.name: i for i, chk in enumerate(suite.checks)}
    rows.sort(key=lambda r: order.get(r.expectation, len(order)))

    outcome = ValidationOutcome(dataset, suite.name, run_id, checked_at, rows, timings, narrow.height)
    if data_docs_dir is not None:
        t0 = time.perf_counter()
        outcome.data_docs_index = data_docs_index(data_docs_dir)
        timings["data_docs"] = time.perf_counter() - t0
    return outcome


# ---------------------------------------------------------------------------------------------------
# row-level flags and quarantine

FLAGS = ("missing_title", "missing_abstract", "boilerplate", "markup", "replacement_chars", "short_abstract",
         "long_title", "duplicate_abstract")


def paper_flags(papers_frame: Any, derived: bool = False) -> "pl.DataFrame":
    """Row-level quality flags (paper_id, flag), one row per flagged paper and flag, so consumers can filter
    instead of rows vanishing. Flags: FLAGS (short_abstract < S.SHORT_ABSTRACT_FLAG_CHARS chars,
    long_title > S.LONG_TITLE_FLAG_CHARS chars). `derived`: the frame already carries S.derive_papers'
    columns."""
    import polars as pl

    if derived:
        df = _to_polars(papers_frame)
    else:
        cols = [c for c in ("paper_id", "title", "abstract") if c in _frame_columns(papers_frame)]
        df = S.derive_papers(_to_polars(papers_frame, cols))
    conditions = {
        "missing_title": pl.col("title_chars").is_null() | (pl.col("title_chars") == 0),
        "missing_abstract": pl.col("abstract_chars").is_null() | (pl.col("abstract_chars") == 0),
        "boilerplate": pl.col("has_boilerplate"),
        "markup": pl.col("has_markup"),
        "replacement_chars": pl.col("has_replacement_char"),
        "short_abstract": pl.col("abstract_chars") < S.SHORT_ABSTRACT_FLAG_CHARS,
        "long_title": pl.col("title_chars") > S.LONG_TITLE_FLAG_CHARS,
        "duplicate_abstract": pl.col("duplicate_abstract"),
    }
    flagged = df.select(
        pl.col("paper_id"),
        pl.concat_list([pl.when(cond.fill_null(False)).then(pl.lit(name)) for name, cond in conditions.items()])
        .list.drop_nulls().alias("flag"),
    )
    return (flagged.explode("flag").drop_nulls("flag").unique(maintain_order=True)
            .select(pl.col("paper_id").cast(pl.String), pl.col("flag").cast(pl.String)))


def quarantined_files(outcome: ValidationOutcome) -> dict[str, str]:
    """{source_file: reason} for files failing warning expectations of an ingest_files outcome."""
    reasons: dict[str, list[str]] = {}
    for row in outcome.warnings:
        checked = next((c for c in S.get_suite(outcome.dataset).checks if c.name == row.expectation), None)
        col = checked.kwargs.get("column") if checked else None
        details = row.unexpected_rows or [{"source_file": f} for f in row.unexpected_examples]
        for item in details:
            name = item.get("source_file")
            if name is None:
                continue
            value = item.get(col) if col else None
            value_txt = f" ({col}={value:.3g})" if isinstance(value, float) else (f" ({col}={value})" if value is not None else "")
            reasons.setdefault(str(name), []).append(f"{row.expectation}{value_txt}: {row.description}")
    return {name: "; ".join(rs) for name, rs in reasons.items()}


# ---------------------------------------------------------------------------------------------------
# Data Docs made readable offline

_OFFLINE_STYLE = """<style id="offline-style">
/* inline fallback: the GX Data Docs CSS/JS come from CDNs that are unreachable offline */
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:1.5rem;color:#222;line-height:1.4}
.container,.container-fluid{max-width:1200px}
table{border-collapse:collapse;margin:.5rem 0;width:100%}
th,td{border:1px solid #ccc;padding:.3rem .5rem;vertical-align:top;text-align:left}
th{background:#f2f2f2}
.text-danger{color:#b00020}.text-success{color:#1b7f3b}
.fas.fa-times::before{content:"\\2717 ";color:#b00020}.fas.fa-check-circle::before,.fas.fa-check::before{content:"\\2713 ";color:#1b7f3b}
.cooltip .top,.collapse:not(.show),.modal,.d-none,nav .dropdown-menu{display:none}
.sticky{position:static}
.ge-section,.card{margin-bottom:1rem}
code,pre{background:#f6f6f6;padding:0 .2rem}
#offline-index li{margin:.15rem 0}
</style>"""
_EXTERNAL_TAGS = re.compile(
    r"<link\b[^>]*href=\"https?://[^\"]*\"[^>]*>|<script\b[^>]*src=\"https?://[^\"]*\"[^>]*>\s*</script>",
    re.IGNORECASE)
_INDEX_BLOCK = re.compile(r"<!--offline-index-start-->.*?<!--offline-index-end-->", re.DOTALL)
_STATUS = re.compile(r"Status:</span>\s*<i[^>]*></i>\s*(Failed|Succeeded)")


def _offline_page(text: str) -> str:
    text = _EXTERNAL_TAGS.sub("", text)
    if 'id="offline-style"' not in text:
        text = text.replace("</head>", _OFFLINE_STYLE + "\n</head>", 1) if "</head>" in text else _OFFLINE_STYLE + text
    return text


def _offline_index(root: Path) -> str:
    """Static list of suites and validation runs found on disk (covers every process that wrote here)."""
    suites = sorted(root.glob("expectations/**/*.html"))
    runs = []
    for page in root.glob("validations/**/*.html"):
        rel = page.relative_to(root)
        parts = rel.parts  # validations/<suite>/<run_name>/<run_time>/<batch>.html
        status = _STATUS.search(page.read_text(encoding="utf-8", errors="replace"))
        runs.append((parts[-2] if len(parts) >= 4 else "", parts[1] if len(parts) > 1 else "",
                     parts[2] if len(parts) >= 4 else "", status.group(1) if status else "?", rel.as_posix()))
    runs.sort(reverse=True)
    out = ["<!--offline-index-start-->", '<section id="offline-index" class="container">',
           "<h1>Data quality: validation suites and runs</h1>", "<h2>Expectation suites</h2>", "<ul>"]
    for p in suites:
        rel = p.relative_to(root).as_posix()
        out.append(f'<li><a href="{html.escape(rel)}">{html.escape(p.stem)}</a></li>')
    out += ["</ul>", "<h2>Validation runs (newest first)</h2>",
            "<table><tr><th>run time</th><th>suite</th><th>run id</th><th>status</th></tr>"]
    for run_time, suite_name, run_name, status, rel in runs:
        css = "text-danger" if status == "Failed" else "text-success"
        out.append(f'<tr><td><a href="{html.escape(rel)}">{html.escape(run_time)}</a></td><td>{html.escape(suite_name)}'
                   f'</td><td>{html.escape(run_name)}</td><td class="{css}">{status}</td></tr>')
    out += ["</table>", "</section>", "<!--offline-index-end-->"]
    return "\n".join(out)


def data_docs_index(data_docs_dir: Path) -> Path:
    """Make the GX Data Docs under data_docs_dir readable offline (external CSS/JS tags removed, an inline
    <style> added, a static suite/run list put on the index page) and return the index.html path."""
    root = Path(data_docs_dir)
    index = root / "index.html"
    if not index.is_file():
        raise FileNotFoundError(f"no Data Docs built under {root}: validate(..., data_docs_dir=...) builds them")
    for page in root.rglob("*.html"):
        if page == index:
            continue
        text = page.read_text(encoding="utf-8", errors="replace")
        new = _offline_page(text)
        if new != text:
            write_text_atomic(page, new)
    text = _INDEX_BLOCK.sub("", _offline_page(index.read_text(encoding="utf-8", errors="replace")))
    body = re.search(r"<body[^>]*>", text)
    block = _offline_index(root)
    text = text[: body.end()] + "\n" + block + text[body.end():] if body else block + text
    write_text_atomic(index, text)
    return index
