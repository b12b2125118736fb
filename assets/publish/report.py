"""A self-contained HTML report of one release, for readers who won't open Dagster or write SQL.

``write_report(release, tables_dir, quality_dir)`` reads the release's Parquet files (exactly the files
its manifest lists), its manifest and this run's validation results, and writes one HTML file rendered
from the autoescaped Jinja2 templates in ``templates/``: inline CSS, charts rendered with matplotlib to
inline SVG, no scripts, no network resources.

Where it goes: ``published/reports/<version>.html`` (next to the release folders, not inside them).
Release folders are immutable and ``verify_release`` reports every file the manifest does not list
("report.html: not listed in the manifest"), so a report inside the folder would fail the release's
blocking ``release_matches_manifest`` check and stop crashed-run adoption from ever matching.
``published/reports/`` is not a version name, so ``list_versions``/retention ignore it; reports of
releases that retention has deleted are pruned by the next ``write_report``.

Everything is aggregated in DuckDB (bounded result sizes: top-N topics, sampled chart points), so the
report stays fast at 1M papers; no Python loop runs over the dataset rows.
"""

from __future__ import annotations

import html
import io
import json
import os
import re
import time
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import duckdb
import pyarrow as pa
from jinja2 import Environment, FileSystemLoader, StrictUndefined
from jinja2.ext import Extension
from markupsafe import Markup, escape

from assets.core.release_format import dataset_files, manifest_base
from assets.core.sql import load_sql
from assets.core.storage import write_text_atomic
from assets.publish.buckets import BUCKET_HASH, bucket_ids

REPORTS_DIR = "reports"  # under published/
MAX_CHART_TOPICS = 40  # topics shown in charts (largest first)
MAX_TOPIC_CARDS = 60  # topics described in the topics section
REPRESENTATIVE_PAPERS = 3
TOP_TERMS = 8
POINTS_PER_TOPIC = 150  # sampled claims drawn as points per topic (box stats use every claim)
STRONGEST_CLAIMS = 12  # rows per kind in the strongest-claims table
MAX_INGEST_FILES = 200
MAX_CHANGED_PAPERS = 50  # papers listed per change (added, updated, removed); the counts are complete
REJECT_EXAMPLES = 3
CONTEXT_CHARS = 110  # abstract characters shown either side of a claim span
CLAIM_KINDS = ("speed", "memory")  # keys of sql/report/claim_factors.sql (memory: "75% less" -> 4x)


def report_path(release: Path) -> Path:
    """Where the report of a release folder goes: `published/reports/<version>.html`."""
    return release.parent / REPORTS_DIR / f"{release.name}.html"


def write_report(release: Path, tables_dir: Path, quality_dir: Path, *, out: Path | None = None) -> Path:
    """Write the HTML report of ``release`` (a ``published/<version>/`` folder) and return its path.

    Data comes from the release's own Parquet files and manifest; a dataset missing from the release
    falls back to ``tables_dir/<name>.parquet``. Validation rows come from
    ``quality_dir/results/<run_id>__*.parquet`` for the manifest's ``validation.run_id`` (for assets
    without rows in that run: their newest results file). Written atomically (temp file +
    ``os.replace``) to ``out``, by default ``published/reports/<version>.html``.
    """
    t0 = time.perf_counter()
    release, tables_dir, quality_dir = Path(release), Path(tables_dir), Path(quality_dir)
    manifest = json.loads((release / "manifest.json").read_text(encoding="utf-8"))
    default_location = out is None
    out = Path(out) if out is not None else report_path(release)
    out.parent.mkdir(parents=True, exist_ok=True)

    con = duckdb.connect()
    try:
        files = _register_datasets(con, release, tables_dir, manifest)
        available = set(files)
        data = _collect(con, available, manifest, quality_dir, _Narrowed(con, manifest, files))
        data["paper_changes"] = _paper_changes(con, release, manifest, available)
    finally:
        con.close()
    docs = quality_dir / "data_docs" / "index.html"
    data["data_docs_href"] = os.path.relpath(docs, out.parent)
    data["data_docs_exists"] = docs.is_file()
    # matplotlib writes its font cache under $MPLCONFIGDIR (else the home folder), read at its import
    os.environ.setdefault("MPLCONFIGDIR", str(release.parent.parent / "cache" / "matplotlib"))
    data["charts"] = _charts(data)
    data["elapsed"] = time.perf_counter() - t0
    page = _render(manifest, data)

    write_text_atomic(out, page)
    if default_location:
        _prune_reports(out.parent, release.parent)
    return out


def _prune_reports(reports: Path, published: Path) -> None:
    """Delete the reports of releases that retention removed."""
    for p in reports.iterdir():
        if p.suffix == ".html" and not (published / p.stem / "manifest.json").is_file():
            p.unlink(missing_ok=True)


# ------------------------------------------------------------------------------------------- data
# Every query is a static file sql/report/<name>.sql (see _sql) with bound $name parameters; optional
# inputs are normalised in SQL (empty relations with the right columns), never by editing SQL text.


def _register_datasets(con, release: Path, tables_dir: Path, manifest: dict) -> dict[str, list[str]]:
    """A view of each dataset the report reads; returns the files of each (the available datasets)."""
    wanted = ["papers", "topics", "paper_topics", "categories", "paper_categories", "claims",
              "rejects", "ingest_files"]
    available = {}
    for name in wanted:
        ds = manifest.get("datasets", {}).get(name)
        files = [str(p) for p in dataset_files(release, name, manifest)] if ds else []
        if not files and (tables_dir / f"{name}.parquet").is_file():
            files = [str(tables_dir / f"{name}.parquet")]
        if files:
            con.read_parquet(files).create_view(name)
            available[name] = files
    if "categories" in available and "paper_categories" not in available:
        # no paper/category links: every category counts 0 papers
        con.sql(load_sql("report/empty_paper_categories")).create_view("paper_categories")
    return available


class _Narrowed:
    """Views of a dataset over only the files that can hold given keys: the files of the keys' buckets
    and the additions files covering them (every file of a dataset not bucketed by BUCKET_HASH, e.g. a
    table file or a release of the first format). The strongest claims' texts then read a few of the
    128 files of a 1M-paper `papers` and `claims` instead of every abstract."""

    def __init__(self, con, manifest: dict, files: dict[str, list[str]]):
        self.con, self.manifest, self.files = con, manifest, files

    def register(self, name: str, ids: list[str], view: str) -> None:
        self.con.read_parquet(self._holding(name, ids)).create_view(view)

    def _holding(self, name: str, ids: list[str]) -> list[str]:
        entry = self.manifest.get("datasets", {}).get(name) or {}
        listed, files = entry.get("files") or [], self.files[name]
        if entry.get("bucket_hash") != BUCKET_HASH or len(listed) != len(files) or not ids:
            return files
        wanted = set(bucket_ids(pa.chunked_array([pa.array(ids, pa.string())]), entry["buckets"]).tolist())
        return [path for f, path in zip(listed, files)
                if f.get("bucket") in wanted or (f.get("bucket") is None and wanted & set(f.get("buckets") or []))]


def _sql(name: str) -> str:
    """The report query ``sql/report/<name>.sql``."""
    return load_sql(f"report/{name}")


def _rows(con, name: str, params: dict | None = None) -> list[dict]:
    cur = con.execute(_sql(name), params or {})
    cols = [d[0] for d in cur.description]
    return [dict(zip(cols, r)) for r in cur.fetchall()]


def _collect(con, available: set[str], manifest: dict, quality_dir: Path, narrowed: _Narrowed) -> dict[str, Any]:
    """Everything the page shows, as plain rows: one bounded query per table or chart."""
    d: dict[str, Any] = _corpus_data(con, available)
    d.update(_topic_data(con, available))
    if {"claims", "paper_topics", "topics"} <= available:
        d.update(_claim_data(con, narrowed))
    d["validation"] = _validation(quality_dir, manifest)
    return d


def _corpus_data(con, available: set[str]) -> dict[str, Any]:
    """Ingested files (quarantined first) with their totals, and rejected lines by reason."""
    d: dict[str, Any] = {}
    if "ingest_files" in available:
        con.execute(_sql("ingest_files_view"))  # optional columns of older releases -> NULL
        d["ingest"] = _rows(con, "ingest_files", {"limit": MAX_INGEST_FILES})
        sums = _rows(con, "ingest_sums")[0]
        d["ingest_total"] = sums.pop("files")
        d["ingest_sums"] = sums
    if "rejects" in available:
        d["reject_total"] = _rows(con, "reject_total")[0]["n"]
        d["reject_reasons"] = _rows(con, "reject_reasons")
        d["reject_examples"] = _rows(con, "reject_examples", {"per_reason": REJECT_EXAMPLES})
    return d


def _paper_changes(con, release: Path, manifest: dict, available: set[str]) -> dict[str, Any]:
    """The papers added, updated and removed against the previous release (capped), with the counts."""
    diff = (manifest.get("diffs") or {}).get("papers")
    if not diff or not manifest.get("previous_version") or "papers" not in available:
        return {}
    con.read_parquet(str(manifest_base(release, manifest) / diff["path"])).create_view("paper_diff")
    counts = {r["change"]: r["n"] for r in _rows(con, "paper_change_counts")}
    rows = _rows(con, "paper_changes", {"per_change": MAX_CHANGED_PAPERS})
    return {change: {"count": counts.get(change, 0), "rows": [r for r in rows if r["change"] == change]}
            for change in ("added", "updated", "removed")}


def _topic_data(con, available: set[str]) -> dict[str, Any]:
    """Topics (largest first) with their top terms and most representative papers, and categories."""
    d: dict[str, Any] = {}
    if "topics" in available:
        d["topics"] = _rows(con, "topics", {"top_terms": TOP_TERMS})
    if {"topics", "paper_topics", "papers"} <= available:
        shown = [t["topic_id"] for t in d["topics"][:MAX_TOPIC_CARDS]]
        reps = _rows(con, "representatives", {"per_topic": REPRESENTATIVE_PAPERS, "topic_ids": shown})
        d["representatives"] = {}
        for r in reps:
            d["representatives"].setdefault(r["topic_id"], []).append(r)
    if "categories" in available:  # paper_categories: the release's, or an empty view (_register_datasets)
        d["categories"] = _rows(con, "categories")
    return d


def _claim_data(con, narrowed: _Narrowed) -> dict[str, Any]:
    """Per claim kind and primary topic: box statistics, sampled points and the total; the strongest claims."""
    con.execute(_sql("claim_factors"))
    d: dict[str, Any] = {}
    for key in CLAIM_KINDS:
        d[f"{key}_stats"] = _rows(con, "claim_stats", {"kind": key, "limit": MAX_CHART_TOPICS})
        d[f"{key}_points"] = _rows(con, "claim_points", {"kind": key, "per_topic": POINTS_PER_TOPIC})
        d[f"{key}_total"] = _rows(con, "claim_total", {"kind": key})[0]["n"]
    d["strongest"] = _strongest(con, narrowed)
    return d


def _strongest(con, narrowed: _Narrowed) -> list[dict]:
    rows = []
    for key in CLAIM_KINDS:
        top = _rows(con, "strongest_claims", {"kind": key, "limit": STRONGEST_CLAIMS})
        for r in top:
            r["key"] = key
        rows += top
    if not rows:
        return []
    ids = sorted({r["paper_id"] for r in rows})
    for name in ("claims", "papers"):  # the views sql/report/claim_texts.sql reads
        narrowed.register(name, ids, f"text_{name}")
    texts = {(r["paper_id"], r["claim_index"]): r for r in _rows(con, "claim_texts", {"paper_ids": ids})}
    for r in rows:
        r.update(texts.get((r["paper_id"], r["claim_index"]), {}))
    return rows


def _validation(quality_dir: Path, manifest: dict) -> dict:
    """This run's validation rows (manifest's run_id), plus the newest run of any other asset."""
    results = quality_dir / "results"
    run_id = (manifest.get("validation") or {}).get("run_id")
    out: dict[str, Any] = {"run_id": run_id, "rows": [], "fallback_assets": []}
    if not results.is_dir():
        return out
    files = [p for p in results.glob("*.parquet") if "__" in p.name and not p.name.startswith(".")]
    chosen = [p for p in files if run_id and p.name.startswith(f"{run_id}__")]
    in_run = {p.stem.split("__", 1)[1] for p in chosen}
    newest: dict[str, Path] = {}
    for p in files:
        asset = p.stem.split("__", 1)[1]
        if asset not in in_run and (asset not in newest or p.stat().st_mtime > newest[asset].stat().st_mtime):
            newest[asset] = p
    chosen += newest.values()
    out["fallback_assets"] = sorted(newest)
    if not chosen:
        return out
    con = duckdb.connect()
    try:
        rel = con.read_parquet([str(p) for p in chosen], union_by_name=True)
        rel.create_view("results")
        out["rows"] = _rows(con, "validation")  # a missing description column reads as NULL
    finally:
        con.close()
    return out


# ----------------------------------------------------------------------------------------- charts


def _short(text: Any, n: int = 42) -> str:
    text = "" if text is None else str(text)
    return text if len(text) <= n else text[: n - 1] + "…"


def _svg(fig, name: str) -> str:
    import matplotlib

    buf = io.StringIO()
    with matplotlib.rc_context({"svg.fonttype": "none", "svg.hashsalt": name}):
        fig.savefig(buf, format="svg", bbox_inches="tight", metadata={"Date": None})
    svg = buf.getvalue()
    svg = svg[svg.index("<svg"):]
    svg = re.sub(r"<metadata>.*?</metadata>", "", svg, flags=re.S)
    # ids must be unique across the page's inline SVGs
    svg = re.sub(r'\bid="([^"]+)"', rf'id="{name}-\1"', svg)
    svg = re.sub(r'url\(#([^)]+)\)', rf'url(#{name}-\1)', svg)
    svg = re.sub(r'xlink:href="#([^"]+)"', rf'xlink:href="#{name}-\1"', svg)
    svg = re.sub(r'(?<![:\w])href="#([^"]+)"', rf'href="#{name}-\1"', svg)
    return svg.replace("<svg ", f'<svg role="img" aria-label="{html.escape(name)} chart" ', 1)


def _charts(d: dict) -> dict[str, str]:
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib.figure import Figure

    style = {"font.family": "sans-serif", "font.sans-serif": ["DejaVu Sans", "Arial", "Helvetica"],
             "font.size": 10.5, "text.parse_math": False, "axes.spines.top": False,
             "axes.spines.right": False, "axes.titlesize": 11}
    charts: dict[str, str] = {}
    with matplotlib.rc_context(style):
        topics = (d.get("topics") or [])[:MAX_CHART_TOPICS]
        if topics:
            charts["topics"] = _barh(Figure, "topic-sizes", [f"{t['topic_id']}: {_short(t['label'])}" for t in topics],
                                     [t["paper_count"] or 0 for t in topics], "papers (primary topic)", "#4c72b0")
        cats = [c for c in d.get("categories") or [] if c["papers"]][:MAX_CHART_TOPICS]
        if cats:
            charts["categories"] = _barh(Figure, "category-sizes", [_short(c["name"]) for c in cats],
                                         [c["papers"] for c in cats], "papers", "#55a868")
        for key, xlabel, color in (("speed", "claimed speedup (×, log scale)", "#c44e52"),
                                   ("memory", "claimed memory reduction (× less, log scale)", "#8172b2")):
            stats = d.get(f"{key}_stats") or []
            if stats:
                charts[key] = _box(Figure, f"{key}-claims", stats, d.get(f"{key}_points") or [], xlabel, color)
    return charts


def _barh(Figure, name: str, labels: list[str], values: list[int], xlabel: str, color: str) -> str:
    fig = Figure(figsize=(8, 0.8 + 0.28 * len(labels)))
    ax = fig.add_subplot()
    y = list(range(len(labels)))
    ax.barh(y, values, color=color, height=0.7)
    ax.set_yticks(y, labels)
    ax.invert_yaxis()
    ax.set_xlabel(xlabel)
    top = max(values) if values else 1
    for yi, v in zip(y, values):
        ax.text(v + top * 0.01, yi, f"{v:,}", va="center", fontsize=8, color="#333")
    ax.set_xlim(0, top * 1.12 if top else 1)
    from matplotlib.ticker import MaxNLocator

    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.grid(axis="x", color="#ddd", linewidth=0.6)
    ax.set_axisbelow(True)
    return _svg(fig, name)


def _box(Figure, name: str, stats: list[dict], points: list[dict], xlabel: str, color: str) -> str:
    import numpy as np

    fig = Figure(figsize=(8, 1.0 + 0.4 * len(stats)))
    ax = fig.add_subplot()
    pos = {s["topic_id"]: i for i, s in enumerate(stats)}
    bxp = [{"med": s["med"], "q1": s["q1"], "q3": s["q3"], "whislo": s["lo"], "whishi": s["hi"],
            "fliers": [], "label": f"{s['topic_id']}: {_short(s['label'], 36)} (n={s['n']:,})"} for s in stats]
    kw = dict(showfliers=False, widths=0.55, patch_artist=True,
              boxprops={"facecolor": color + "33", "edgecolor": color},
              medianprops={"color": "#222", "linewidth": 1.6},
              whiskerprops={"color": color}, capprops={"color": color})
    try:
        ax.bxp(bxp, positions=range(len(stats)), orientation="horizontal", **kw)
    except TypeError:  # matplotlib < 3.10
        ax.bxp(bxp, positions=range(len(stats)), vert=False, **kw)
    pts = [(pos[p["topic_id"]], p["factor"]) for p in points if p["topic_id"] in pos]
    if pts:
        ys = np.array([p[0] for p in pts], dtype=float)
        xs = np.array([p[1] for p in pts], dtype=float)
        jitter = (np.sin(np.arange(len(ys)) * 12.9898) * 43758.5453) % 1.0 - 0.5  # deterministic
        ax.scatter(xs, ys + jitter * 0.35, s=12, color=color, alpha=0.6, linewidths=0, zorder=3)
    ax.set_xscale("log")
    ax.set_yticks(range(len(stats)), [b["label"] for b in bxp])
    ax.set_ylim(len(stats) - 0.5, -0.5)
    ax.set_xlabel(xlabel)
    ax.grid(axis="x", which="major", color="#ddd", linewidth=0.6)
    ax.set_axisbelow(True)
    from matplotlib.ticker import FuncFormatter

    ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _: f"{v:g}×"))
    return _svg(fig, name)


# ----------------------------------------------------------------------------------------- render
# The page is templates/report.html.j2 with one template per section (report_<section>.html.j2);
# Python only formats values (the filters below) and counts the validation results.

TEMPLATES = Path(__file__).with_name("templates")


class _LayoutOnlyLines(Extension):
    """Template line breaks and indentation are layout only: removed at load time, so the templates can
    be indented while the page keeps no whitespace between tags (a needed one is written ``{{ " " }}``)."""

    def preprocess(self, source: str, name: str | None, filename: str | None = None) -> str:
        return re.sub(r"\n[ \t]*", "", source)


def _n(value: Any) -> str:
    """A count or measure for a table cell: thousands separators, "–" when missing."""
    if value is None:
        return "–"
    if isinstance(value, float):
        return f"{value:,.2f}" if abs(value) < 100 else f"{value:,.0f}"
    return f"{value:,}" if isinstance(value, int) else str(value)


def _observed(raw: Any) -> str:
    """A validation result's observed value (JSON) in one short line: its non-empty fields."""
    if raw is None:
        return ""
    try:
        obj = json.loads(raw)
    except (TypeError, ValueError):
        return _short(raw, 160)
    if isinstance(obj, dict):
        keep = {k: v for k, v in obj.items() if v not in (None, [], {})}
        text = ", ".join(f"{k}={v}" for k, v in keep.items())
    else:
        text = json.dumps(obj)
    return _short(text, 160)


def _claim_label(r: dict) -> str:
    """ "12× faster", "4× less memory", "75% less memory (= 4.0×)"."""
    if r["key"] == "memory" and r.get("unit") == "percent":
        return f"{r.get('value'):g}% less memory (= {r['factor']:.1f}×)"
    return f"{r['factor']:g}× " + ("faster" if r["key"] == "speed" else "less memory")


def _claim_context(r: dict) -> Markup:
    """The claim's span highlighted in up to CONTEXT_CHARS of its abstract either side (its text alone
    when the span does not fit the abstract)."""
    abstract, s, e = r.get("abstract"), r.get("span_start"), r.get("span_end")
    if not abstract or s is None or e is None or not (0 <= s < e <= len(abstract)):
        return escape("" if r.get("text") is None else r["text"])
    a, b = max(0, s - CONTEXT_CHARS), min(len(abstract), e + CONTEXT_CHARS)
    pre = ("…" if a > 0 else "") + abstract[a:s]
    post = abstract[e:b] + ("…" if b < len(abstract) else "")
    return Markup("{}<mark>{}</mark>{}").format(pre, abstract[s:e], post)


_JINJA = Environment(loader=FileSystemLoader(TEMPLATES), autoescape=True, undefined=StrictUndefined,
                     finalize=lambda value: "" if value is None else value, extensions=[_LayoutOnlyLines])
_JINJA.filters.update(n=_n, short=_short, observed=_observed, claim_label=_claim_label,
                      claim_context=_claim_context)


def _quality_counts(rows: list[dict]) -> dict[str, int]:
    blocking = [r for r in rows if r["severity"] == "blocking"]
    warnings = [r for r in rows if r["severity"] != "blocking"]
    return {"blocking": len(blocking), "warnings": len(warnings),
            "failed_blocking": sum(not r["success"] for r in blocking),
            "failed_warnings": sum(not r["success"] for r in warnings)}


def _render(m: dict, d: dict) -> str:
    """The report page of manifest ``m`` and collected data ``d`` (charts are trusted SVG markup)."""
    return _JINJA.get_template("report.html.j2").render(
        m=m, d=d, version=m.get("version", "?"),
        charts={name: Markup(svg) for name, svg in d["charts"].items()},
        css=Markup((TEMPLATES / "report.css").read_text(encoding="utf-8")),
        quality=_quality_counts(d["validation"]["rows"]),
        generated=datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
        MAX_CHART_TOPICS=MAX_CHART_TOPICS, MAX_TOPIC_CARDS=MAX_TOPIC_CARDS, POINTS_PER_TOPIC=POINTS_PER_TOPIC)
