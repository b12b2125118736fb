"""The second held-out claims set stays held out: the sampler never draws its ids again, and the evaluator
reports it beside the first."""

import json

from tools import evaluate_claims, sample_claims_material

HELDOUT2 = sample_claims_material.HELDOUT2_PATH


def heldout2_ids() -> set[str]:
    return {p["arxiv_id"] for p in json.loads(HELDOUT2.read_text(encoding="utf-8"))["papers"]}


def test_sampler_excludes_the_second_heldout_set():
    # a pool large enough for every earlier helper's draw, holding the held-out-2 ids among made-up ones
    ids = heldout2_ids()
    papers = {f"9999.{i:05d}": {} for i in range(6000)} | {i: {} for i in ids}
    assert ids <= sample_claims_material.used_ids(papers)


def test_second_heldout_set_is_labelled_in_draw_order():
    data = json.loads(HELDOUT2.read_text(encoding="utf-8"))
    assert data["seed"] == 2612 and len(data["papers"]) == 165
    assert data["draw_order"] == [p["arxiv_id"] for p in data["papers"]]
    assert [p["n"] for p in data["papers"]] == list(range(1, 166))
    for p in data["papers"]:
        assert all(c["text"] in p["abstract"] for c in p["claims"]), p["n"]


def test_evaluator_reports_both_heldout_sets(capsys):
    evaluate_claims.main(["--set", "heldout2"])
    assert "[heldout2] papers=165 unpaired=0 labelled=147" in capsys.readouterr().out
    assert evaluate_claims.HELDOUT2_LABELS == HELDOUT2


def test_sampler_excludes_the_out_of_sample_material_sets():
    # material 1808/1809 (issue-17g) check the rules out of sample: a later draw must never return their ids
    data = sample_claims_material.REPO / "tests" / "data"
    ids = {p["arxiv_id"] for seed in (1808, 1809)
           for p in json.loads((data / f"claims_material_{seed}.json").read_text(encoding="utf-8"))["papers"]}
    assert len(ids) == 240
    papers = {f"9999.{i:05d}": {} for i in range(6000)} | {i: {} for i in ids}
    assert ids <= sample_claims_material.used_ids(papers)
