"""A self-contained HTML report of one release, for readers who won't open Dagster or write SQL.

``write_report(release, tables_dir, quality_dir)`` reads the release's Parquet files (exactly the files
its manifest lists), its manifest and this run's validation results, and writes one HTML file: inline
CSS, charts rendered with matplotlib to inline SVG, no scripts, no network resources.

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

from assets.core.release_format import dataset_files
from assets.core.sql import load_sql
from assets.core.storage import write_text_atomic

REPORTS_DIR = "reports"  # under published/
MAX_CHART_TOPICS = 40  # topics shown in charts (largest first)
MAX_TOPIC_CARDS = 60  # topics described in the topics section
REPRESENTATIVE_PAPERS = 3
TOP_TERMS = 8
POINTS_PER_TOPIC = 150  # sampled claims drawn as points per topic (box stats use every claim)
STRONGEST_CLAIMS = 12  # rows per kind in the strongest-claims table
MAX_INGEST_FILES = 200
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
        available = _register_datasets(con, release, tables_dir, manifest)
        data = _collect(con, available, manifest, quality_dir)
    finally:
        con.close()
    docs = quality_dir / "data_docs" / "index.html"
    data["data_docs_href"] = os.path.relpath(docs, out.parent)
    data["data_docs_exists"] = docs.is_file()
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


def _register_datasets(con, release: Path, tables_dir: Path, manifest: dict) -> set[str]:
    wanted = ["papers", "topics", "paper_topics", "categories", "paper_categories", "claims",
              "rejects", "ingest_files"]
    available = set()
    for name in wanted:
        ds = manifest.get("datasets", {}).get(name)
        files = [str(p) for p in dataset_files(release, name, manifest)] if ds else []
        if not files and (tables_dir / f"{name}.parquet").is_file():
            files = [str(tables_dir / f"{name}.parquet")]
        if files:
            con.read_parquet(files).create_view(name)
            available.add(name)
    if "categories" in available and "paper_categories" not in available:
        # no paper/category links: every category counts 0 papers
        con.sql(load_sql("report/empty_paper_categories")).create_view("paper_categories")
    return available


def _sql(name: str) -> str:
    """The report query ``sql/report/<name>.sql``."""
    return load_sql(f"report/{name}")


def _rows(con, name: str, params: dict | None = None) -> list[dict]:
    cur = con.execute(_sql(name), params or {})
    cols = [d[0] for d in cur.description]
    return [dict(zip(cols, r)) for r in cur.fetchall()]


def _collect(con, available: set[str], manifest: dict, quality_dir: Path) -> dict[str, Any]:
    d: dict[str, Any] = {"available": available}

    # corpus
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

    # topics
    has_topics = {"topics", "paper_topics", "papers"} <= available
    if "topics" in available:
        d["topics"] = _rows(con, "topics", {"top_terms": TOP_TERMS})
        d["topic_total_papers"] = sum(t["paper_count"] or 0 for t in d["topics"])
    if has_topics:
        shown = [t["topic_id"] for t in d["topics"][:MAX_TOPIC_CARDS]]
        reps = _rows(con, "representatives", {"per_topic": REPRESENTATIVE_PAPERS, "topic_ids": shown})
        d["representatives"] = {}
        for r in reps:
            d["representatives"].setdefault(r["topic_id"], []).append(r)
    if "categories" in available:  # paper_categories: the release's, or an empty view (_register_datasets)
        d["categories"] = _rows(con, "categories")

    # claims, per primary topic
    if {"claims", "paper_topics", "topics"} <= available:
        con.execute(_sql("claim_factors"))
        for key in CLAIM_KINDS:
            d[f"{key}_stats"] = _rows(con, "claim_stats", {"kind": key, "limit": MAX_CHART_TOPICS})
            d[f"{key}_points"] = _rows(con, "claim_points", {"kind": key, "per_topic": POINTS_PER_TOPIC})
            d[f"{key}_total"] = _rows(con, "claim_total", {"kind": key})[0]["n"]
        d["strongest"] = _strongest(con, available)

    d["validation"] = _validation(quality_dir, manifest)
    return d


def _strongest(con, available: set[str]) -> list[dict]:
    rows = []
    for key in CLAIM_KINDS:
        top = _rows(con, "strongest_claims", {"kind": key, "limit": STRONGEST_CLAIMS})
        for r in top:
            r["key"] = key
        rows += top
    if not rows:
        return []
    ids = sorted({r["paper_id"] for r in rows})
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

_CSS = """
:root { --fg:#1d2330; --muted:#5b6474; --line:#e3e6ec; --accent:#2f5fa7; --bad:#b3261e; --warn:#9a6700; --ok:#1a7f37; }
* { box-sizing: border-box; }
body { margin:0; font:16px/1.55 system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif;
       color:var(--fg); background:#fafbfc; }
main { max-width: 1040px; margin: 0 auto; padding: 28px 28px 60px; background:#fff; }
h1 { font-size: 1.8rem; margin: 0 0 4px; } h2 { font-size:1.35rem; margin: 42px 0 10px; padding-top: 8px;
border-top: 2px solid var(--line); } h3 { font-size: 1.08rem; margin: 26px 0 8px; }
p.meta, .muted { color: var(--muted); } a { color: var(--accent); }
nav.toc { background:#f3f5f8; border:1px solid var(--line); border-radius:6px; padding:10px 18px; margin:18px 0; }
nav.toc ol { margin: 4px 0; padding-left: 20px; } nav.toc li { margin: 2px 0; }
.cards { display:flex; flex-wrap:wrap; gap:12px; margin: 14px 0; }
.card { flex: 1 1 150px; border:1px solid var(--line); border-radius:6px; padding:10px 14px; }
.card .n { font-size:1.6rem; font-weight:600; } .card .l { color:var(--muted); font-size:.85rem; }
table { border-collapse: collapse; width: 100%; margin: 8px 0 16px; font-size: .9rem; }
th, td { text-align:left; padding: 5px 8px; border-bottom:1px solid var(--line); vertical-align: top; }
th { background:#f3f5f8; font-weight:600; } td.num, th.num { text-align:right; font-variant-numeric: tabular-nums; }
code, .mono { font-family: ui-monospace,SFMono-Regular,Menlo,Consolas,monospace; font-size:.85em; }
.chart svg { max-width:100%; height:auto; display:block; margin: 6px 0 4px; }
.topic { border:1px solid var(--line); border-radius:6px; padding: 8px 14px; margin: 10px 0; }
.topic h3 { margin: 4px 0; } .terms { color: var(--muted); font-size: .9rem; }
.topic ol { margin: 4px 0 6px; padding-left: 22px; }
.pass { color:var(--ok); font-weight:600; } .fail { color:var(--bad); font-weight:600; }
.warnfail { color:var(--warn); font-weight:600; } mark { background:#fff1a8; padding:0 1px; }
.obs { max-width: 340px; overflow-wrap:anywhere; }
footer { margin-top: 40px; color: var(--muted); font-size: .85rem; }
"""


def _e(value: Any) -> str:
    return html.escape("" if value is None else str(value))


def _n(value: Any) -> str:
    if value is None:
        return "–"
    if isinstance(value, float):
        return f"{value:,.2f}" if abs(value) < 100 else f"{value:,.0f}"
    return f"{value:,}" if isinstance(value, int) else _e(value)


def _table(headers: list[str], rows: list[list[str]], num: set[int] = frozenset()) -> str:
    """``rows`` cells are already-escaped HTML."""
    th = "".join(f'<th{" class=num" if i in num else ""}>{_e(h)}</th>' for i, h in enumerate(headers))
    body = "".join(
        "<tr>" + "".join(f'<td{" class=num" if i in num else ""}>{c}</td>' for i, c in enumerate(r)) + "</tr>"
        for r in rows
    )
    return f"<table><thead><tr>{th}</tr></thead><tbody>{body}</tbody></table>"


def _observed(raw: Any) -> str:
    if raw is None:
        return ""
    try:
        obj = json.loads(raw)
    except (TypeError, ValueError):
        return _e(_short(raw, 160))
    if isinstance(obj, dict):
        keep = {k: v for k, v in obj.items() if v not in (None, [], {})}
        text = ", ".join(f"{k}={v}" for k, v in keep.items())
    else:
        text = json.dumps(obj)
    return _e(_short(text, 160))


def _context(r: dict) -> str:
    abstract, s, e = r.get("abstract"), r.get("span_start"), r.get("span_end")
    if not abstract or s is None or e is None or not (0 <= s < e <= len(abstract)):
        return _e(r.get("text"))
    a, b = max(0, s - CONTEXT_CHARS), min(len(abstract), e + CONTEXT_CHARS)
    pre = ("…" if a > 0 else "") + abstract[a:s]
    post = abstract[e:b] + ("…" if b < len(abstract) else "")
    return f"{_e(pre)}<mark>{_e(abstract[s:e])}</mark>{_e(post)}"


def _render(m: dict, d: dict) -> str:
    version = m.get("version", "?")
    charts = d["charts"]
    ds = m.get("datasets", {})
    papers = ds.get("papers", {})
    ch = papers.get("changes") or {}
    val = m.get("validation") or {}
    sections: list[tuple[str, str, str]] = []

    # ---- corpus
    cards = [
        (_n(papers.get("rows")), "papers"),
        (_n(ch.get("added")), f"new since {m['previous_version']}" if m.get("previous_version") else "new (first release)"),
        (_n(ch.get("updated")), "updated"),
        (_n(ch.get("removed")), "removed"),
        (_n(d.get("ingest_total")), "dumps ingested"),
        (_n(d.get("reject_total")), "rejected lines"),
    ]
    parts = ['<div class="cards">' + "".join(
        f'<div class="card"><div class="n">{n}</div><div class="l">{_e(l)}</div></div>' for n, l in cards) + "</div>"]
    if not m.get("previous_version"):
        parts.append("<p>This is the first release: every paper is new.</p>")
    rows = [[_e(name), _n(x.get("rows")), _n((x.get("changes") or {}).get("added")),
             _n((x.get("changes") or {}).get("updated")), _n((x.get("changes") or {}).get("removed"))]
            for name, x in sorted(ds.items())]
    rows += [[_e(name) + " (dataset removed)", "0", "0", "0", _n((x.get("changes") or {}).get("removed"))]
             for name, x in sorted((m.get("removed_datasets") or {}).items())]
    parts.append("<h3>Rows per dataset</h3>" + _table(["dataset", "rows", "added", "updated", "removed"], rows, {1, 2, 3, 4}))
    if "ingest" in d:
        parts.append("<h3>Dumps ingested</h3>")
        rows = [[_e(r["source_file"]), _n(r["papers"]), _n(r["lines"]), _e(r["encoding"]),
                 _n(r["replaced_bytes"]), _n(r["reject_lines"]),
                 ('<span class="fail">yes</span> ' + _e(r["quarantine_reason"])) if r["quarantined"] else "no"]
                for r in d["ingest"]]
        parts.append(_table(["file", "papers", "lines", "encoding", "replaced bytes", "rejected lines", "quarantined"],
                            rows, {1, 2, 4, 5}))
        if d["ingest_total"] > len(d["ingest"]):
            parts.append(f'<p class="muted">Showing {len(d["ingest"]):,} of {d["ingest_total"]:,} files '
                         "(quarantined first).</p>")
        q = d["ingest_sums"].get("quarantined") or 0
        if q:
            parts.append(f"<p>{q:,} file(s) quarantined: their papers are left out of this release.</p>")
    if "reject_reasons" in d:
        parts.append("<h3>Rejected lines</h3>")
        if not d["reject_reasons"]:
            parts.append("<p>No lines were rejected.</p>")
        else:
            parts.append(_table(["reason", "lines", "files"],
                                [[_e(r["reason"]), _n(r["n"]), _n(r["files"])] for r in d["reject_reasons"]], {1, 2}))
            parts.append("<p class=muted>Examples (first lines per reason):</p>")
            parts.append(_table(["reason", "file:line", "raw text"],
                                [[_e(r["reason"]), f'<span class=mono>{_e(r["source_file"])}:{_n(r["line_number"])}</span>',
                                  f'<span class=mono>{_e(_short(r["raw"], 160))}</span>'] for r in d["reject_examples"]]))
    sections.append(("corpus", "Corpus", "".join(parts)))

    # ---- topics
    parts = []
    topics = d.get("topics") or []
    if topics:
        parts.append(f"<p>{len(topics):,} topics. Each paper has exactly one primary topic; the chart shows how "
                     "many papers each topic holds" + (f" (largest {MAX_CHART_TOPICS})" if len(topics) > MAX_CHART_TOPICS else "")
                     + ".</p>")
        if "topics" in charts:
            parts.append(f'<figure class="chart">{charts["topics"]}</figure>')
        reps = d.get("representatives", {})
        for t in topics[:MAX_TOPIC_CARDS]:
            terms = ", ".join(_e(x) for x in (t["top_terms"] or []))
            items = "".join(f"<li>{_e(r['title'])} <span class=muted>(score {r['score']:.2f})</span></li>"
                            for r in reps.get(t["topic_id"], []))
            parts.append(
                f'<div class="topic"><h3>{_e(t["topic_id"])}. {_e(t["label"])} '
                f'<span class="muted">· {_n(t["paper_count"])} papers</span></h3>'
                f'<div class="terms">Top terms: {terms}</div>'
                + (f"<div>Most representative papers:</div><ol>{items}</ol>" if items else "") + "</div>")
        if len(topics) > MAX_TOPIC_CARDS:
            parts.append(f"<p class=muted>{len(topics) - MAX_TOPIC_CARDS:,} smaller topics not described.</p>")
    else:
        parts.append("<p>No topics in this release.</p>")
    sections.append(("topics", "Topics", "".join(parts)))

    parts = []
    cats = d.get("categories") or []
    if cats:
        parts.append("<p>Papers matched to the fixed taxonomy (a paper can be in several categories).</p>")
        if "categories" in charts:
            parts.append(f'<figure class="chart">{charts["categories"]}</figure>')
        parts.append(_table(["category", "papers", "description"],
                            [[f'{_e(c["name"])} <span class="muted mono">{_e(c["category_id"])}</span>',
                              _n(c["papers"]), _e(c["description"])] for c in cats], {1}))
    else:
        parts.append("<p>No categories in this release.</p>")
    sections.append(("categories", "Taxonomy categories", "".join(parts)))

    # ---- claims
    parts = ["<p>Quantitative claims extracted from abstracts, grouped by the paper's primary topic. Boxes span "
             "the middle half of the claims (line = median), whiskers the full range; dots are individual claims"
             f" (up to {POINTS_PER_TOPIC} per topic). Memory reductions given as a percentage are converted to a "
             "factor (75% less memory = 4× less).</p>"]
    for key, title in (("speed", "Claimed speedups (unit ×)"), ("memory", "Claimed memory reductions")):
        parts.append(f"<h3>{_e(title)} — {_n(d.get(key + '_total', 0))} claims</h3>")
        parts.append(f'<figure class="chart">{charts[key]}</figure>' if key in charts else "<p>No such claims.</p>")
    strongest = d.get("strongest") or []
    if strongest:
        parts.append("<h3>Strongest claims</h3>")
        rows = []
        for r in strongest:
            if r["key"] == "memory" and r.get("unit") == "percent":
                claim = f"{r.get('value'):g}% less memory (= {r['factor']:.1f}×)"
            else:
                claim = f"{r['factor']:g}× " + ("faster" if r["key"] == "speed" else "less memory")
            rows.append([_e(claim), _e(r.get("title")), _e(_short(r.get("label"), 40)), _context(r)])
        parts.append(_table(["claim", "paper", "topic", "in the abstract"], rows))
    sections.append(("claims", "Claims", "".join(parts)))

    # ---- quality
    v = d["validation"]
    vrows = v["rows"]
    failed_b = [r for r in vrows if not r["success"] and r["severity"] == "blocking"]
    failed_w = [r for r in vrows if not r["success"] and r["severity"] != "blocking"]
    parts = [
        f"<p>{_n(len(vrows))} expectations checked "
        f"({_n(sum(r['severity'] == 'blocking' for r in vrows))} blocking, "
        f"{_n(sum(r['severity'] != 'blocking' for r in vrows))} warnings): "
        f"<span class={'fail' if failed_b else 'pass'}>{len(failed_b)} blocking failed</span>, "
        f"<span class={'warnfail' if failed_w else 'pass'}>{len(failed_w)} warnings failed</span>. "
        f"The manifest records {_n(val.get('passed'))} of {_n(val.get('expectations'))} passed "
        f"(validation run <span class=mono>{_e(v['run_id'])}</span>).</p>",
        f'<p>Full details: <a href="{_e(d["data_docs_href"])}">Great Expectations Data Docs</a>'
        + ("" if d["data_docs_exists"] else " <span class=muted>(not found next to this report)</span>") + ".</p>",
    ]
    if v["fallback_assets"]:
        parts.append("<p class=muted>Not validated in the release's run; showing their newest results: "
                     + _e(", ".join(v["fallback_assets"])) + ".</p>")

    def status(r):
        if r["success"]:
            return "<span class=pass>pass</span>"
        return "<span class=fail>FAIL</span>" if r["severity"] == "blocking" else "<span class=warnfail>fail</span>"

    parts.append(_table(["asset", "expectation", "severity", "result", "observed"],
                        [[_e(r["asset"]), f'<span title="{_e(r.get("description"))}">{_e(r["expectation"])}</span>',
                          _e(r["severity"]), status(r), f'<div class="obs mono">{_observed(r["observed_value"])}</div>']
                         for r in vrows]))
    sections.append(("quality", "Data quality", "".join(parts)))

    toc = "".join(f'<li><a href="#{sid}">{_e(title)}</a></li>' for sid, title, _ in sections)
    body = "".join(f'<section id="{sid}"><h2>{_e(title)}</h2>{content}</section>' for sid, title, content in sections)
    created = m.get("created_at", "")
    meta = (f"Published {_e(created[:19].replace('T', ' '))} UTC · bump: {_e(m.get('bump'))} · previous: "
            f"{_e(m.get('previous_version') or 'none (first release)')} · code {_e(m.get('code_version'))}, "
            f"parser {_e(m.get('parser_version'))}")
    breaking = m.get("breaking_changes") or []
    warn = ("<p><strong>Breaking schema changes:</strong></p><ul>" + "".join(f"<li>{_e(b)}</li>" for b in breaking)
            + "</ul>") if breaking else ""
    generated = datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    return (
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
        "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
        f"<title>Papers release {_e(version)}</title><style>{_CSS}</style></head><body><main>"
        f"<h1>Papers release {_e(version)}</h1><p class=\"meta\">{meta}</p>{warn}"
        f'<nav class="toc" aria-label="Contents"><strong>Contents</strong><ol>{toc}</ol></nav>'
        f"{body}<footer>Generated {generated} from release {_e(version)} "
        f"(content hash <span class=mono>{_e(str(m.get('content_hash', ''))[:16])}</span>) in "
        f"{d['elapsed']:.1f} s. Data: <span class=mono>published/{_e(version)}/</span>; "
        "see docs/datasets.md for how to read it.</footer></main></body></html>\n"
    )
