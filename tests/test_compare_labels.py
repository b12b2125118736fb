"""tools/compare_labels.py on made-up labellings: agreement figures, consensus/union and pairing errors."""

from __future__ import annotations

import json

import pytest

from tools.compare_labels import consensus_and_union, main, paired_papers

ABSTRACT_A = "Our sorter runs 3.5x faster and uses 40% less memory on 1,200 synthetic logs."
ABSTRACT_B = "The planner reaches an accuracy of 71.4% on our maze suite."


def _claim(text, value, unit, kind, direction):
    return {"value": value, "unit": unit, "unit_scale": "", "kind": kind, "direction": direction, "text": text}


SPEED = _claim("3.5x faster", 3.5, "x", "speed", "increase")
MEMORY = _claim("40% less memory", 40, "percent", "memory", "decrease")
LOGS = _claim("1,200 synthetic logs", 1200, "count", "scale", "none")
ACC = _claim("accuracy of 71.4%", 71.4, "percent", "accuracy", "none")


def _paper(arxiv_id, abstract, claims):
    return {"n": 1, "arxiv_id": arxiv_id, "title": arxiv_id, "abstract": abstract, "claims": claims}


def _write(path, papers):
    path.write_text(json.dumps({"papers": papers}), encoding="utf-8")
    return path


def test_consensus_and_union_split_shared_and_extra_claims():
    ref = _paper("a", ABSTRACT_A, [SPEED, MEMORY])
    second = _paper("a", ABSTRACT_A, [{**MEMORY, "kind": "cost"}, LOGS])
    both, union = consensus_and_union(ref, second)
    assert both == [MEMORY]
    assert union == [SPEED, MEMORY, LOGS]


def test_agreement_scores_the_second_labelling_against_the_reference(tmp_path, capsys):
    ref = _write(tmp_path / "ref.json", [_paper("a", ABSTRACT_A, [SPEED, MEMORY]), _paper("b", ABSTRACT_B, [ACC]),
                                         _paper("c", "Unlabelled by the second file.", [])])
    second = _write(tmp_path / "second.json", [_paper("b", ABSTRACT_B, [ACC]),
                                               _paper("a", ABSTRACT_A, [{**MEMORY, "kind": "cost"}, LOGS])])
    main(["--reference", str(ref), "--second", str(second)])
    out = capsys.readouterr().out
    # 2 of the second labeller's 3 claims are in the reference; 2 of the reference's 3 were found;
    # kinds agree on 1 of the 2 matched pairs (memory vs cost), directions on both.
    assert "labelled=3 predicted=3 matched=2" in out.split("[extractor")[0]
    assert "precision=0.6667 recall=0.6667 f1=0.6667 kind_accuracy=0.5000 direction_accuracy=1.0000" in out
    assert "[extractor vs consensus] papers=2 unpaired=0 labelled=2" in out
    assert "[extractor vs union] papers=2 unpaired=0 labelled=4" in out


def test_a_paper_missing_from_the_reference_is_an_error(tmp_path):
    ref = _write(tmp_path / "ref.json", [_paper("a", ABSTRACT_A, [])])
    second = _write(tmp_path / "second.json", [_paper("b", ABSTRACT_B, [])])
    with pytest.raises(SystemExit, match="no identical abstract"):
        paired_papers(ref, second)
