"""Validation in proportion to the change (assets/quality/carried.py): a refresh runs GX on the changed keys'
rows and carries every other row's counts from the last validation; the results must equal a full
validation of the same file, and anything the record cannot vouch for falls back to a full validation."""

from __future__ import annotations

import json
from pathlib import Path

import polars as pl

from assets.core.storage import sha256_file
from assets.quality import gx_runner as R
from assets.quality.carried import TableChange, validate_change
from assets.quality.suites import derive_papers
from tools.bench_validation import sample_pairs

MARKUP = " See <b>bold</b> results."


def _papers(pairs) -> pl.DataFrame:
    return pl.DataFrame({"paper_id": [f"{i:016x}" for i in range(len(pairs))],
                         "title": [t for t, _ in pairs], "abstract": [a for _, a in pairs]})


def _edit(df: pl.DataFrame, abstracts: dict[str, str | None] = None, drop=(), add: pl.DataFrame | None = None):
    """The table with some abstracts replaced, some papers removed and some added, sorted by paper_id."""
    abstracts = abstracts or {}
    rows = [r | ({"abstract": abstracts[r["paper_id"]]} if r["paper_id"] in abstracts else {})
            for r in df.to_dicts() if r["paper_id"] not in drop]
    out = pl.DataFrame(rows, schema=df.schema)
    if add is not None:
        out = pl.concat([out, add])
    return out.sort("paper_id")


def _comparable(outcome: R.ValidationOutcome) -> list[tuple]:
    return [(r.expectation, r.success, r.observed_value, r.unexpected_count, r.unexpected_examples)
            for r in outcome.rows]


class PapersTable:
    """A papers file rewritten version after version, validated the way the corpus step does."""

    def __init__(self, root: Path):
        self.root, self.path, self.sha = root, root / "papers.parquet", None

    def write(self, df: pl.DataFrame, keys: list | None, run: str) -> tuple[R.ValidationOutcome, pl.DataFrame]:
        df.write_parquet(self.path)
        before, self.sha = self.sha, sha256_file(self.path)
        derived = derive_papers(pl.read_parquet(self.path))
        now = set(derived.filter(pl.col("duplicate_abstract")).get_column("paper_id").to_list())
        outcome = validate_change(
            "papers", run, self.root / "quality", TableChange(before, self.sha, keys), derived.height,
            full=lambda: derived,
            delta=lambda ks: derived.filter(pl.col("paper_id").is_in(ks)),
            columns=lambda cols: derived.select(cols), derived=True,
            failing_now={"no_duplicate_abstracts": now})
        return outcome, derived


def test_carried_counts_equal_a_full_validation_over_several_changes(tmp_path):
    pairs = sample_pairs()[:60]
    base = _papers(pairs)
    ids = base.get_column("paper_id").to_list()
    abstract = dict(zip(ids, base.get_column("abstract").to_list()))
    # failing rows from the start: a short abstract (length share), markup, two papers sharing an abstract
    v1 = _edit(base, {ids[3]: "Too short.", ids[7]: abstract[ids[7]] + MARKUP, ids[12]: abstract[ids[11]]})
    table = PapersTable(tmp_path)
    first, _ = table.write(v1, None, "run-1")
    assert first.method == "all rows"
    assert {"abstract_length_in_bounds", "markup_share_small", "no_duplicate_abstracts"} <= {
        r.expectation for r in first.rows if not r.success}

    new = pl.DataFrame({"paper_id": ["ffff000000000001"], "title": ["A Paper Added Later On"],
                        "abstract": [abstract[ids[20]] + MARKUP]})
    versions = [  # (table, changed keys): removed papers, edits, an added paper, flipped duplicate flags
        # paper 11 is removed: paper 12 (unchanged) no longer shares its abstract, its flag flips to False
        (_edit(v1, {ids[3]: abstract[ids[3]]}, drop=[ids[11], ids[30]], add=new), [ids[3], ids[11], ids[30],
                                                                                  "ffff000000000001"]),
        # paper 40 takes paper 41's abstract: 41 (unchanged) is flagged a duplicate now
        (None, [ids[40]]),
        # paper 41 changes: nothing else; a null abstract appears (not-null check, missing counts)
        (None, [ids[41], ids[50]]),
    ]
    current, outcomes = versions[0][0], {}
    for step, (table_df, keys) in enumerate(versions, start=2):
        if step == 3:
            table_df = _edit(current, {ids[40]: abstract[ids[41]]})
        if step == 4:
            table_df = _edit(current, {ids[41]: abstract[ids[41]] + " Revised.", ids[50]: None})
        carried, derived = table.write(table_df, keys, f"run-{step}")
        assert carried.method.startswith("the rows of"), (step, carried.method)
        full = R.validate("papers", derived, run_id=f"full-{step}", derived=True)
        assert _comparable(carried) == _comparable(full), step
        current, outcomes[step] = table_df, {r.expectation: r for r in carried.rows}
    # the checks really changed along the way (the equality above is not of unchanged outcomes)
    assert outcomes[2]["no_duplicate_abstracts"].success and outcomes[2]["abstract_length_in_bounds"].success
    assert outcomes[2]["markup_share_small"].unexpected_examples == sorted([ids[7], "ffff000000000001"])
    assert outcomes[3]["no_duplicate_abstracts"].unexpected_examples == [ids[40], ids[41]]
    assert outcomes[4]["no_duplicate_abstracts"].success and not outcomes[4]["abstract_not_null"].success

    # nothing changed: nothing is validated again, the outcome is the record's
    same, derived = table.write(current, [], "run-5")
    assert same.method.startswith("the rows of 0") and _comparable(same) == _comparable(carried)


def test_a_damaged_or_foreign_record_means_a_full_validation(tmp_path):
    pairs = sample_pairs()[:30]
    base = _papers(pairs)
    ids = base.get_column("paper_id").to_list()
    table = PapersTable(tmp_path)
    table.write(base, None, "run-1")
    record = tmp_path / "quality" / "carried" / "papers.json"
    stored = json.loads(record.read_text())
    stored["body"]["checks"]["markup_share_small"]["failing"] = []  # tampered: digest no longer matches
    stored["body"]["checks"]["no_duplicate_abstracts"]["failing"] = [[ids[0]]]
    record.write_text(json.dumps(stored))
    edited = _edit(base, {ids[2]: base.get_column("abstract")[2] + " Revised."})
    outcome, _ = table.write(edited, [ids[2]], "run-2")
    assert outcome.method == "all rows"
    assert json.loads(record.read_text())["body"]["sha256"] == table.sha  # a new record of this file

    other = tmp_path / "other.parquet"  # a record of another file than the one the change starts from
    edited.head(10).write_parquet(other)
    table.sha = sha256_file(other)
    outcome, _ = table.write(_edit(edited, {ids[4]: "x" * 90}), [ids[4]], "run-3")
    assert outcome.method == "all rows"
    outcome, _ = table.write(_edit(edited, {ids[5]: "y" * 90}), [ids[4], ids[5]], "run-4")
    assert outcome.method.startswith("the rows of 2")


def _carried_versions(tmp_path: Path, dataset: str, versions: list[tuple[pl.DataFrame, list | None]]):
    """Each version written to the table file and validated as a step does (run_suite_on_table's
    arguments); yields the outcome after checking it equals a full validation of the same file."""
    path, sha = tmp_path / f"{dataset}.parquet", None
    for step, (df, keys) in enumerate(versions, start=1):
        df.write_parquet(path)
        before, sha = sha, sha256_file(path)
        table = pl.read_parquet(path)
        outcome = validate_change(
            dataset, f"run-{step}", tmp_path / "quality", TableChange(before, sha, keys), table.height,
            full=lambda: table, delta=lambda ks: table.filter(pl.col("paper_id").is_in(ks)),
            columns=lambda cols: table.select(cols))
        assert outcome.method.startswith("all rows" if keys is None else f"the rows of {len(keys)}")
        assert _comparable(outcome) == _comparable(R.validate(dataset, table, run_id=f"full-{step}")), step
        yield {r.expectation: r for r in outcome.rows}


def test_paper_topics_carried_with_compound_uniqueness_and_per_paper_derived_columns(tmp_path):
    def topics(rows):
        return pl.DataFrame(rows, schema={"paper_id": pl.String, "topic_id": pl.Int64, "score": pl.Float64,
                                          "is_primary": pl.Boolean}, orient="row").sort("paper_id", "topic_id")

    rows = [(f"p{i:03d}", t, 0.5, t == 0) for i in range(40) for t in range(2)]
    v1 = topics(rows)
    v2 = topics([r for r in rows if r[0] != "p005"] + [("p005", 1, 0.9, False), ("p005", 1, 0.8, True),
                                                        ("p050", 0, 1.5, False)])
    keys = ["p005", "p050"]
    outcomes = list(_carried_versions(tmp_path, "paper_topics", [(v1, None), (v2, keys), (v1, keys)]))
    assert {n for n, r in outcomes[1].items() if not r.success} == {
        "paper_topic_pair_unique", "score_in_unit_interval", "one_primary_topic_per_paper"}
    assert all(r.success for r in outcomes[2].values())


def test_claims_without_optional_columns_carry_their_skipped_checks(tmp_path):
    """Checks of columns the table lacks are not run: their rows (skipped, or failed when required) are
    carried as they were; the others' counts as for any table."""
    def claims(rows):
        return pl.DataFrame(rows, schema={"paper_id": pl.String, "claim_index": pl.Int64, "value": pl.Float64,
                                          "unit": pl.String, "kind": pl.String, "direction": pl.String,
                                          "span_start": pl.Int64, "span_end": pl.Int64},
                            orient="row").sort("paper_id", "claim_index")

    good = claims([(f"p{i:02d}", 0, 2.0, "x", "speedup", "increase", 0, 5) for i in range(20)])
    bad = claims([r for r in good.rows() if r[0] != "p03"] + [("p03", 0, None, "parsecs", "speedup", "increase", 9, 2)])
    for step, by_name in enumerate(_carried_versions(tmp_path, "claims", [(good, None), (bad, ["p03"]),
                                                                           (good, ["p03"])]), start=1):
        assert "skipped" in by_name["unit_scale_in_vocabulary"].observed_value
        assert by_name["span_end_after_start"].success == (step != 2)
