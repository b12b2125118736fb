"""Validation suites run through GX 1.x (assets.quality). One GX context is shared by the whole module
(gx_runner keeps it per process); great_expectations is imported once (~5 s)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import polars as pl
import pytest

from assets.quality import gx_runner as R
from assets.quality import suites as S
from tools.bench_validation import sample_pairs

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def docs_dir(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("quality") / "data_docs"


@pytest.fixture(scope="module")
def good_papers() -> pl.DataFrame:
    pairs = sample_pairs()[:8]
    return pl.DataFrame({
        "paper_id": [f"{i:016x}" for i in range(len(pairs))],
        "title": [t for t, _ in pairs],
        "abstract": [a for _, a in pairs],
        "source_file": ["hf_papers_memory.txt"] * len(pairs),
        "source_line": [2 * i + 3 for i in range(len(pairs))],
        "parser_version": ["test"] * len(pairs),
    })


@pytest.fixture(scope="module")
def good_outcome(good_papers, docs_dir) -> R.ValidationOutcome:
    return R.validate("papers", good_papers, run_id="good-run", data_docs_dir=docs_dir)


def failed(outcome: R.ValidationOutcome) -> set[str]:
    return {r.expectation for r in outcome.rows if not r.success}


def row(outcome: R.ValidationOutcome, name: str) -> R.ResultRow:
    return next(r for r in outcome.rows if r.expectation == name)


def test_module_import_is_cheap():
    code = "import sys, assets.quality.gx_runner, assets.quality.suites; print('great_expectations' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_gx_import_leaves_modules_of_unused_expectations_for_their_first_use():
    """scipy.stats and altair (KL divergence, KS tests) are lazy after GX's import, and work when used; the
    import freezes nothing (it runs inside a step: a step's data in a cycle would never be collected)."""
    code = """
import gc, sys, weakref
from assets.quality.gx_runner import import_gx
class StepData: pass
data = StepData(); data.me = data; alive = weakref.ref(data)
gx = import_gx()
del data; gc.collect()
print("step data collected after the import:", alive() is None)
kinds = {name: type(sys.modules[name]).__name__ for name in ("scipy.stats", "altair")}
print(len([m for m in sys.modules if m.startswith(("scipy.stats.", "altair."))]), kinds, gc.isenabled())
from great_expectations.expectations.core import expect_column_kl_divergence_to_be_less_than as kl
print(round(float(kl.stats.entropy([0.5, 0.25, 0.25], [0.25, 0.5, 0.25])), 6), kl.alt.Chart.__name__,
      type(sys.modules["scipy.stats"]).__name__, gx.expectations.ExpectColumnKLDivergenceToBeLessThan.__name__)
"""
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    assert out.stdout.splitlines() == [
        "step data collected after the import: True",
        "0 {'scipy.stats': '_LazyModule', 'altair': '_LazyModule'} True",
        "0.173287 Chart module ExpectColumnKLDivergenceToBeLessThan"], out.stderr


def test_every_dataset_has_a_suite_with_named_checks():
    for dataset in S.DATASETS:
        suite = S.get_suite(dataset)
        names = [c.name for c in suite.checks]
        assert len(names) == len(set(names)), dataset
        for chk in suite.checks:
            assert chk.severity in (S.BLOCKING, S.WARNING) and chk.description
    papers = {c.name: c.severity for c in S.get_suite("papers").checks}
    for name in ("paper_id_unique", "paper_id_not_null", "title_not_null", "abstract_not_null",
                 "title_length_in_bounds", "abstract_length_in_bounds", "no_page_boilerplate", "markup_share_small",
                 "replacement_char_share_small", "no_duplicate_abstracts", "papers_row_count_positive"):
        assert papers[name] == S.BLOCKING


def test_good_papers_pass(good_outcome, good_papers):
    assert good_outcome.blocking_failures == [], good_outcome.failure_message()
    assert good_outcome.warnings == []
    assert len(good_outcome.rows) == len(S.get_suite("papers").checks)
    assert R.paper_flags(good_papers).height == 0
    assert "all expectations passed" in good_outcome.failure_message()


def test_duplicate_and_null_ids_fail_the_right_expectation(good_papers):
    dup = pl.concat([good_papers, good_papers.head(1)])
    outcome = R.validate("papers", dup, run_id="dup-ids")
    assert failed(outcome) == {"paper_id_unique"}
    r = row(outcome, "paper_id_unique")
    assert r.severity == "blocking" and r.unexpected_count == 2
    assert json.loads(r.observed_value)["unexpected_count"] == 2
    assert r.unexpected_examples == [good_papers["paper_id"][0]] * 2

    nulls = good_papers.with_columns(pl.when(pl.int_range(pl.len()) == 3).then(None).otherwise(pl.col("paper_id"))
                                     .alias("paper_id"))
    outcome = R.validate("papers", nulls, run_id="null-ids")
    assert failed(outcome) == {"paper_id_not_null"}
    assert json.loads(row(outcome, "paper_id_not_null").observed_value)["unexpected_count"] == 1


def test_boilerplate_markup_and_duplicate_abstracts_fail(good_papers):
    bad = good_papers.with_columns(
        title=pl.when(pl.int_range(pl.len()) == 0).then("Subscribe" + pl.col("title")).otherwise(pl.col("title")),
        abstract=pl.when(pl.int_range(pl.len()) == 1).then(pl.col("abstract") + " Get trending papers in your email inbox!")
        .when(pl.int_range(pl.len()) == 2).then(pl.col("abstract") + " <p>see <b>this</b></p>")
        .otherwise(pl.col("abstract")),
    )
    outcome = R.validate("papers", bad, run_id="boilerplate")
    assert failed(outcome) == {"no_page_boilerplate", "markup_share_small"}
    r = row(outcome, "no_page_boilerplate")
    assert r.unexpected_count == 2 and set(r.unexpected_examples) == set(bad["paper_id"][:2])

    dup_abs = good_papers.with_columns(abstract=pl.lit(good_papers["abstract"][0]))
    outcome = R.validate("papers", dup_abs, run_id="dup-abstracts")
    assert failed(outcome) == {"no_duplicate_abstracts"}
    assert "no_duplicate_abstracts" in outcome.failure_message()

    flags = R.paper_flags(bad)
    assert set(flags.filter(pl.col("flag") == "boilerplate")["paper_id"]) == set(bad["paper_id"][:2])
    assert flags.filter(pl.col("flag") == "markup")["paper_id"].to_list() == [bad["paper_id"][2]]
    assert set(R.paper_flags(dup_abs)["flag"]) == {"duplicate_abstract"}


def test_length_bounds_and_real_titles():
    # Real abstracts can be ~100 chars and titles can pass 200 (arXiv min 102 / max 226): both pass.
    long_title = ("Can Modern NLP Systems Reliably Annotate Chest Radiography Exams? A Pre-Purchase Evaluation and "
                  "Comparative Study of Solutions from AWS, Google, Azure, John Snow Labs, and Open-Source Models on "
                  "an Independent Pediatric Dataset")
    short_abstract = "This paper proposes a consistency reflection and correction method for goal-oriented dialogue systems."
    df = pl.DataFrame({"paper_id": ["a1", "a2"], "title": [long_title, "Subscriber churn prediction"],
                       "abstract": [short_abstract, "x " * 600]})
    outcome = R.validate("papers", df, run_id="bounds")
    assert outcome.blocking_failures == [], outcome.failure_message()
    assert set(R.paper_flags(df).rows()) == {("a1", "long_title"), ("a1", "short_abstract")}

    tiny = df.with_columns(abstract=pl.lit("too short"))
    outcome = R.validate("papers", tiny, run_id="bounds-bad")
    assert "abstract_length_in_bounds" in failed(outcome)


def ingest_frame() -> pl.DataFrame:
    return pl.DataFrame({
        "source_file": ["good.txt", "noisy.txt"], "partition_key": ["2025-01-01"] * 2, "sha256": ["0" * 64] * 2,
        "bytes": [10_000, 4_000], "encoding": ["utf-8", "utf-8"], "replaced_bytes": [0, 0],
        "lines": [100, 40], "paper_lines": [90, 10], "duplicate_lines": [2, 0], "blank_lines": [5, 0],
        "boilerplate_lines": [3, 2], "reject_lines": [0, 28], "papers": [45, 5], "parser_version": ["t"] * 2,
    })


def test_high_reject_file_is_a_warning_and_quarantined(docs_dir):
    outcome = R.validate("ingest_files", ingest_frame(), run_id="ingest-run", data_docs_dir=docs_dir)
    assert outcome.blocking_failures == [], outcome.failure_message()
    assert [r.expectation for r in outcome.warnings] == ["file_reject_share_low"]
    assert row(outcome, "file_reject_share_low").severity == "warning"
    q = R.quarantined_files(outcome)
    assert list(q) == ["noisy.txt"] and "file_reject_share_low" in q["noisy.txt"] and "0.7" in q["noisy.txt"]
    assert "file_reject_share_low" in outcome.failure_message() and "noisy.txt" in outcome.failure_message()


def test_unaccounted_lines_block():
    bad = ingest_frame().with_columns(lines=pl.Series([101, 40]))
    outcome = R.validate("ingest_files", bad, run_id="ingest-bad")
    assert [r.expectation for r in outcome.blocking_failures] == ["lines_accounted_for"]
    assert row(outcome, "lines_accounted_for").unexpected_examples == ["good.txt"]


def test_paper_topics_claims_and_missing_columns(tmp_path):
    pt = pl.DataFrame({"paper_id": ["p1", "p1", "p2", "p3"], "topic_id": [1, 2, 1, 2],
                       "score": [0.7, 0.3, 1.0, 0.5], "is_primary": [True, False, True, True]})
    assert R.validate("paper_topics", pt, run_id="pt").blocking_failures == []
    bad = pt.with_columns(is_primary=pl.Series([True, True, True, False]), score=pl.Series([0.7, 0.3, 1.2, 0.5]))
    outcome = R.validate("paper_topics", bad, run_id="pt-bad")
    assert failed(outcome) == {"one_primary_topic_per_paper", "score_in_unit_interval"}
    assert set(row(outcome, "one_primary_topic_per_paper").unexpected_examples) == {"p1", "p3"}

    units, kinds, directions = S.claim_vocabularies()
    claims = pl.DataFrame({"paper_id": ["p1", "p1"], "claim_index": [0, 1], "value": [2.0, None],
                           "unit": [units[0], "furlongs"], "kind": [kinds[0]] * 2, "direction": [directions[0]] * 2,
                           "span_start": [5, 9], "span_end": [9, 9]})
    outcome = R.validate("claims", claims, run_id="claims")
    assert failed(outcome) == {"value_not_null", "unit_in_vocabulary", "span_end_after_start"}

    outcome = R.validate("topics", pl.DataFrame({"topic_id": [1, 1], "paper_count": [0, 3]}), run_id="topics")
    assert failed(outcome) == {"topic_id_unique", "label_not_null", "paper_count_positive"}
    assert json.loads(row(outcome, "label_not_null").observed_value) == {"missing_columns": ["label"]}

    # optional checks on absent columns pass as skipped: one result per declared check (Dagster asset checks)
    outcome = R.validate("topic_metrics", pl.DataFrame({"topic_id": [1, 2], "papers": [3, 0]}), run_id="tm")
    assert [r.expectation for r in outcome.rows] == [c.name for c in S.get_suite("topic_metrics").checks]
    assert outcome.blocking_failures == []
    assert json.loads(row(outcome, "papers_with_claims_non_negative").observed_value)["skipped"] is True


def test_to_polars_rows(good_outcome):
    df = good_outcome.to_polars()
    assert df.columns[:8] == ["run_id", "asset", "suite", "expectation", "severity", "success", "observed_value",
                              "checked_at"]
    assert df.height == len(good_outcome.rows) and df["run_id"].unique().to_list() == ["good-run"]
    assert df.schema["success"] == pl.Boolean and df.schema["checked_at"] == pl.Datetime("us")
    for value in df["observed_value"]:
        json.loads(value)


def test_data_docs_offline(good_outcome, docs_dir):
    # a page written by another process (its result is not in this process's store) must survive the rebuild
    foreign = docs_dir / "validations" / "topics_suite" / "other-proc" / "20250101T000000.000000Z" / "pipeline-topics.html"
    foreign.parent.mkdir(parents=True)
    foreign.write_text("<html><head></head><body>Status:</span> <i></i> Succeeded</body></html>", encoding="utf-8")
    R.validate("ingest_files", ingest_frame(), run_id="docs-run", data_docs_dir=docs_dir)
    assert foreign.is_file()
    index = R.data_docs_index(docs_dir)
    assert index == docs_dir / "index.html" and index == good_outcome.data_docs_index
    text = index.read_text(encoding="utf-8")
    assert 'id="offline-style"' in text and 'id="offline-index"' in text
    assert "papers_suite" in text and "ingest_files_suite" in text and "other-proc" in text
    assert "<script src=\"https://" not in text and "stylesheet\" href=\"https://" not in text
    pages = list(docs_dir.rglob("*.html"))
    assert len(pages) >= 4
    assert all('id="offline-style"' in p.read_text(encoding="utf-8") for p in pages)
