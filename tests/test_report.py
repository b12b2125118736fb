"""The HTML release report (assets/publish/report.py), built from a real pipeline run on the sample dump,
then loaded in headless Chromium (installed from Debian when missing) with a screenshot kept."""

from __future__ import annotations

import html
import json
import os
import re
import shutil
import subprocess
from pathlib import Path

import duckdb
import pytest
from markupsafe import escape

from assets.core.release_format import dataset_files, read_manifest, verify_release
from assets.publish.report import write_report

CHROMIUM = Path("/usr/bin/chromium")


@pytest.fixture(scope="module")
def warehouse(built_warehouse, tmp_path_factory) -> Path:
    """A copy of the built warehouse's release, tables and quality folders (the fixture stays untouched)."""
    copy = tmp_path_factory.mktemp("report_wh")
    for sub in ("published", "tables", "quality"):
        shutil.copytree(built_warehouse / sub, copy / sub)
    return copy


@pytest.fixture(scope="module")
def release(warehouse) -> Path:
    version = json.loads((warehouse / "published" / "latest.json").read_text())["version"]
    return warehouse / "published" / version


@pytest.fixture(scope="module")
def report(warehouse, release) -> Path:
    return write_report(release, warehouse / "tables", warehouse / "quality")


@pytest.fixture(scope="module")
def page(report) -> str:
    return report.read_text(encoding="utf-8")


def _sql(release: Path, query: str) -> list[tuple]:
    """``query`` over one view per dataset of the release (its files, wherever the manifest puts them)."""
    with duckdb.connect() as con:
        for name in read_manifest(release)["datasets"]:
            con.read_parquet([str(p) for p in dataset_files(release, name)]).create_view(name)
        return con.sql(query).fetchall()


def _copy_release(release: Path, published: Path) -> Path:
    """A copy of the release folder and of the shared data files it lists, under ``published``."""
    shutil.copytree(release.parent / "data", published / "data")
    return shutil.copytree(release, published / release.name)


def test_report_lives_beside_the_release_which_still_verifies(warehouse, release, report):
    before = sorted(p.relative_to(release).as_posix() for p in release.rglob("*"))
    assert report == warehouse / "published" / "reports" / f"{release.name}.html"
    assert verify_release(release) == []  # nothing was added to the immutable release folder
    assert sorted(p.relative_to(release).as_posix() for p in release.rglob("*")) == before
    assert not [p for p in report.parent.iterdir() if p.name.startswith(".tmp-")]
    again = write_report(release, warehouse / "tables", warehouse / "quality")  # idempotent overwrite
    assert again == report and verify_release(release) == []


def test_report_shows_corpus_topics_claims_and_quality(release, page):
    manifest = json.loads((release / "manifest.json").read_text())
    labels = [r[0] for r in _sql(release, "SELECT label FROM topics")]
    assert labels and all(escape(label) in page for label in labels)
    assert page.count("<svg") >= 3  # topic sizes, categories, speedups, memory reductions
    for section in ("corpus", "topics", "categories", "claims", "quality"):
        assert f'id="{section}"' in page and f'href="#{section}"' in page  # table of contents
    assert "hf_papers_memory.txt" in page and "utf-8" in page
    assert f'<div class="n">{manifest["datasets"]["papers"]["rows"]:,}</div>' in page
    assert "No lines were rejected." in page  # the sample has no rejects
    speed = _sql(release, "SELECT count(*) FROM claims WHERE kind='speed' AND unit='x'")
    assert f"Claimed speedups (unit ×) — {speed[0][0]:,} claims" in page
    top_title = _sql(release, """SELECT p.title FROM claims c
        JOIN papers p USING (paper_id)
        WHERE kind='speed' AND unit='x' ORDER BY value DESC LIMIT 1""")[0][0]
    assert escape(top_title) in page and "<mark>" in page  # strongest claim with its span
    run_id = manifest["validation"]["run_id"]
    assert run_id in page and f"{manifest['validation']['expectations']} expectations checked" in page
    assert '<a href="../../quality/data_docs/index.html">' in page
    assert (release.parent / "reports" / "../../quality/data_docs/index.html").resolve().is_file()


def test_report_is_self_contained(page):
    assert "<script" not in page.lower()
    assert not re.search(r"<link\b", page, re.I)
    assert not re.search(r"""\b(?:src|href)\s*=\s*["']?\s*(?:https?:)?//""", page, re.I)
    assert not re.search(r"url\(\s*['\"]?\s*(?:https?:)?//", page, re.I)
    assert "@import" not in page and "@font-face" not in page
    # the only attributes holding a URL are SVG namespace declarations (names, never fetched)
    assert set(re.findall(r"""([\w:-]+)\s*=\s*["']\s*https?://""", page)) <= {"xmlns", "xmlns:xlink"}


def test_text_is_escaped_and_missing_datasets_fall_back_to_tables(warehouse, release, tmp_path):
    import polars as pl

    pub = tmp_path / "published"
    copy = _copy_release(release, pub)
    tables = tmp_path / "tables"
    tables.mkdir()
    manifest = json.loads((copy / "manifest.json").read_text())
    topics = pl.read_parquet(dataset_files(copy, "topics", manifest))
    evil = "<script>alert('x')</script> & $x^2$"
    topics = topics.with_columns(pl.when(pl.int_range(pl.len()) == 0).then(pl.lit(evil))
                                 .otherwise(pl.col("label")).alias("label"))
    topics.write_parquet(pub / "data" / "evil_topics.parquet")
    manifest["datasets"]["topics"]["files"] = [{"path": "data/evil_topics.parquet"}]
    del manifest["datasets"]["rejects"]  # -> read from tables_dir instead
    manifest["previous_version"] = "0.9.0"
    manifest["datasets"]["papers"]["changes"] = {"added": 5, "updated": 2, "removed": 1}
    (copy / "manifest.json").write_text(json.dumps(manifest))
    pl.DataFrame({"source_file": ["d.txt", "d.txt", "e.txt"], "line_number": [3, 9, 1],
                  "reason": ["no_abstract", "no_abstract", "<bad>"],
                  "raw": ["<img src=x onerror=alert(1)>", "plain", "x"]}).write_parquet(tables / "rejects.parquet")

    out = write_report(copy, tables, warehouse / "quality", out=tmp_path / "r" / "report.html")
    text = out.read_text(encoding="utf-8")
    assert "<script>" not in text and "<img" not in text and "<bad>" not in text
    assert escape(evil) in text  # in the topic card; charts carry it as SVG-escaped text
    assert "&lt;img src=x onerror=alert(1)&gt;" in text and "&lt;bad&gt;" in text
    assert re.search(r"<td>no_abstract</td><td class=num>2</td><td class=num>1</td>", text)
    assert '<div class="n">5</div><div class="l">new since 0.9.0</div>' in text
    assert '<div class="n">1</div><div class="l">removed</div>' in text
    assert not (pub / "reports").exists()  # an explicit `out` writes nothing else


def test_optional_inputs_missing_from_older_releases(warehouse, release, tmp_path):
    """No paper_categories, ingest_files without the quarantine/replacement columns and validation results
    without a description: the report's static SQL reads them as empty / NULL."""
    import polars as pl

    copy = _copy_release(release, tmp_path / "published")
    quality = tmp_path / "quality"
    shutil.copytree(warehouse / "quality", quality)
    manifest = json.loads((copy / "manifest.json").read_text())
    del manifest["datasets"]["paper_categories"]
    (copy / "manifest.json").write_text(json.dumps(manifest))
    for f in dataset_files(copy, "ingest_files", manifest):
        pl.read_parquet(f).drop("replaced_bytes", "reject_lines", "quarantined", "quarantine_reason").write_parquet(f)
    for f in (quality / "results").glob("*.parquet"):
        pl.read_parquet(f).drop("description").write_parquet(f)
    (tmp_path / "tables").mkdir()

    text = write_report(copy, tmp_path / "tables", quality, out=tmp_path / "report.html").read_text(encoding="utf-8")
    assert 'id="categories"' in text and 'aria-label="category-sizes chart"' not in text  # all counts 0
    assert "hf_papers_memory.txt" in text and "file(s) quarantined" not in text
    assert '<span class="fail">yes</span>' not in text  # no file reads as quarantined
    assert f"{manifest['validation']['expectations']} expectations checked" in text


def test_release_without_topics_claims_or_validation(release, tmp_path):
    """A release holding only papers renders every section's empty state; manifest text is escaped too."""
    copy = _copy_release(release, tmp_path / "published")
    manifest = json.loads((copy / "manifest.json").read_text())
    manifest["datasets"] = {"papers": manifest["datasets"]["papers"]}
    manifest["breaking_changes"] = ["dropped column <b>x</b>"]
    del manifest["validation"]
    (copy / "manifest.json").write_text(json.dumps(manifest))
    (tmp_path / "tables").mkdir()

    text = write_report(copy, tmp_path / "tables", tmp_path / "quality", out=tmp_path / "r.html").read_text()
    assert "<p>No topics in this release.</p>" in text and "<p>No categories in this release.</p>" in text
    assert text.count("<p>No such claims.</p>") == 2 and "<svg" not in text
    assert "<li>dropped column &lt;b&gt;x&lt;/b&gt;</li>" in text
    assert "0 expectations checked" in text and "<h3>Dumps ingested</h3>" not in text


# ----------------------------------------------------------------------------------- headless browser


@pytest.fixture(scope="session")
def chromium() -> Path:
    """Debian's chromium; installed with apt-get (as root) when missing, as on a fresh CI machine."""
    if not CHROMIUM.exists():
        if os.geteuid() != 0:
            pytest.skip("chromium missing and not root: apt-get install -y chromium")
        env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
        for cmd in (["apt-get", "update"], ["apt-get", "install", "-y", "--no-install-recommends", "chromium"]):
            done = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=1200)
            assert done.returncode == 0, f"{' '.join(cmd)} failed:\n{done.stderr[-2000:]}"
    assert CHROMIUM.exists()
    return CHROMIUM


def _chromium(binary: Path, profile: Path, *args: str) -> subprocess.CompletedProcess:
    cmd = [str(binary), "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
           "--disable-component-update", "--disable-sync", "--no-first-run", f"--user-data-dir={profile}", *args]
    return subprocess.run(cmd, capture_output=True, text=True, timeout=180)


def test_report_renders_in_headless_chromium(chromium, warehouse, release, report, tmp_path):
    dom = _chromium(chromium, tmp_path / "profile", "--dump-dom", report.as_uri())
    assert dom.returncode == 0, dom.stderr[-2000:]
    labels = [r[0] for r in _sql(release, "SELECT label FROM topics")]
    assert f"Papers release {release.name}" in dom.stdout
    assert all(html.escape(label) in dom.stdout for label in labels)
    assert dom.stdout.count("<svg") >= 3

    png = warehouse / "report.png"
    shot = _chromium(chromium, tmp_path / "profile", f"--screenshot={png}", "--window-size=1280,2400",
                     "--hide-scrollbars", report.as_uri())
    assert shot.returncode == 0, shot.stderr[-2000:]
    assert png.is_file() and png.stat().st_size > 50_000, f"screenshot too small: {png}"
    from PIL import Image

    with Image.open(png) as im:
        assert im.size == (1280, 2400)
        colours = im.convert("L").resize((64, 120)).getextrema()
        assert colours[1] - colours[0] > 100  # not a blank page
    print(f"\nreport: {report}\nscreenshot: {png}")
