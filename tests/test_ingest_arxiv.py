"""Ingest on real text: the 89 daily arXiv listings of ../shared/corpora/arxiv-daily-cs (packed in
tests/data/arxiv_daily_cs.json.xz, so a clone alone runs this) written as
overlapping daily dumps in the papers-website format (tools/arxiv_dumps.py), parsed by the pipeline's
parser and gathered into the corpus tables. Every distinct paper must come out exactly once, with its
own abstract, and nothing may be rejected: nothing in these files is damaged.
"""

from __future__ import annotations

import io
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from assets.ingest.corpus import build_corpus
from assets.ingest.landing import ingest_file, scan_landing
from assets.ingest.parser import FileReport, iter_records, iter_records_reference, paper_id_for, parse_file
from tools.arxiv_dumps import PACKED, distinct_papers, expected_pairs, read_days, write_dumps


@pytest.fixture(scope="module")
def listing():
    return read_days(PACKED)


@pytest.fixture(scope="module")
def dumps(listing, tmp_path_factory):
    return write_dumps(tmp_path_factory.mktemp("arxiv") / "landing", listing)


def test_the_dumps_overlap_and_hold_every_paper(listing, dumps):
    assert len(dumps) == 89
    listed = sum(len(papers) for _, papers in listing)
    assert len(distinct_papers(listing)) == 14_818 < listed  # papers repeat across days
    text = dumps[1].read_text(encoding="utf-8")
    assert text.startswith("Get trending papers in your email inbox once a day!\n") and "\nSubscribe" in text
    assert not text.endswith("\n")
    previous_last = listing[0][1][-1]
    assert f"\n{previous_last.title}\n{previous_last.abstract}\n" in text  # yesterday's papers again


def test_every_daily_dump_parses_into_its_real_pairs_with_no_reject(listing, dumps):
    expected = expected_pairs(listing)
    found: dict[str, int] = {}
    for path in dumps:
        result = parse_file(path)
        assert result.rejects == [], (path.name, [(r.line_number, r.reason, r.raw[:80]) for r in result.rejects])
        report = result.report
        assert report.unaccounted_lines == 0 and report.reject_lines == 0
        assert report.paper_lines + report.duplicate_lines == report.lines - report.boilerplate_lines
        for paper in result.sightings:
            assert (paper.title, paper.abstract) in expected[paper.paper_id], (path.name, paper.title_line)
            assert paper.abstract_line == paper.title_line + 1
        for paper in result.papers:
            found[paper.paper_id] = found.get(paper.paper_id, 0) + 1
    assert set(found) == set(expected)
    assert len(expected) == 14_818


HARD_DAYS = [0, 6, 7, 30, 44, 55, 65]  # the days of the 8 papers parser 1.1.0 lost


def test_the_corpus_holds_every_distinct_paper_exactly_once(listing, dumps, tmp_path):
    """Through ingest_file and build_corpus, on 20 consecutive days (the parse of all 89 is checked
    above; `python -m tools.arxiv_dumps DIR --check` checks all of them from the command line)."""
    days = range(40, 60)
    landing = tmp_path / "landing"
    landing.mkdir()
    for day in days:
        (landing / dumps[day].name).write_bytes(dumps[day].read_bytes())
    files, skipped = scan_landing(landing)
    assert len(files) == 20 and skipped == []
    outputs = [ingest_file(f, tmp_path / "ingest") for f in files]
    counts = build_corpus(outputs, {}, tmp_path / "tables")
    rows = pq.read_table(tmp_path / "tables" / "papers.parquet", columns=["paper_id", "title", "abstract"]).to_pylist()
    carried = ("carried", listing[days[0] - 1][1][-3:])  # the first dump repeats the day before's last papers
    expected = expected_pairs([listing[day] for day in days] + [carried])
    assert counts.papers == len(rows) == len({r["paper_id"] for r in rows}) == len(expected)
    assert {r["paper_id"] for r in rows} == set(expected)
    for row in rows:
        assert (row["title"], row["abstract"]) in expected[row["paper_id"]]
    assert pq.read_table(tmp_path / "tables" / "rejects.parquet").num_rows == 0


@pytest.mark.parametrize("day", HARD_DAYS)
def test_the_reference_parser_agrees_on_real_dumps(dumps, day):
    data = dumps[day].read_bytes()
    fast_report, ref_report = FileReport(), FileReport()
    fast = list(iter_records(io.BytesIO(data), fast_report))
    ref = list(iter_records_reference(io.BytesIO(data), ref_report))
    assert fast == ref and fast_report == ref_report and ref_report.reject_lines == 0


def test_the_tool_reports_no_problem(tmp_path, capsys):
    from tools.arxiv_dumps import main

    assert main([str(tmp_path / "dumps"), "--days", "3", "--check"]) == 0
    assert "0 problems" in capsys.readouterr().out
    assert len(list(Path(tmp_path / "dumps").glob("*.txt"))) == 3
