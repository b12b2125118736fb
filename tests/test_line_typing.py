"""The line-typing model (assets/ingest/line_model.py) on made-up lines: each class of line that the
line-by-line parser lost on real listings (issue 16), the sequence decision, and what stays undecidable.

Every case runs through both parsers (the block parser and the line-by-line reference) and must give
the same records.
"""

from __future__ import annotations

import io
import itertools
import random
from pathlib import Path

import pytest

from assets.ingest import parser as parser_mod
from assets.ingest.line_model import best_pairs, line_score, unshared_words
from assets.ingest.parser import FileReport, iter_records, iter_records_reference

SEED = Path(__file__).resolve().parents[1] / "data" / "landing" / "hf_papers_memory.txt"
SEED_LINES = SEED.read_text(encoding="utf-8").split("\n")
HEADER = SEED_LINES[:2]
TITLES = [SEED_LINES[2].removeprefix("Subscribe")] + SEED_LINES[4::2]
ABSTRACTS = SEED_LINES[3::2]
N = len(TITLES)

# Titles that read like prose: questions, several sentences, "X vs. Y" with its full stop, "Do ... Truly ...?".
PROSE_TITLES = [
    "Small or Large? Zero-Shot or Finetuned? Guiding Memory Model Choice for Clinical Notes",
    "Do Vision Transformers Truly Remember Depth? Probing Memory vs. Texture in Pretrained Encoders",
    "Are Memory Networks Worth the Effort? A Comparison of Recurrent vs. Attention Baselines",
    "Memory Replay vs. Parameter Isolation.",
    "Is Memory Enough? We Think Not. Retrieval Helps Too",
]
# One-sentence abstracts of about 100 characters, with and without the final full stop.
SHORT_ABSTRACTS = [
    "We show that a small replay memory halves forgetting in continual learning of language models.",
    "This note replies to the comments on our earlier memory paper received from the journal readers",
    "Memory vs. compute trade-offs of key-value caches are measured on four open models and two GPUs.",
]
# A long abstract (about 1,700 characters) with almost no sentence punctuation.
LONG_UNPUNCTUATED = " ".join(
    ["our research is focused on memory for crowd scene analysis crowd counting and anomaly detection"] * 18
)


def records(data: bytes) -> tuple[list, FileReport]:
    """The block parser's records and report, after checking the reference gives the same."""
    fast_report, ref_report = FileReport(), FileReport()
    fast = list(iter_records(io.BytesIO(data), fast_report))
    ref = list(iter_records_reference(io.BytesIO(data), ref_report))
    assert fast == ref and fast_report == ref_report
    assert fast_report.unaccounted_lines == 0
    return fast, fast_report


def dump(pairs: list[tuple[str, str]]) -> bytes:
    lines = list(HEADER)
    for i, (title, abstract) in enumerate(pairs):
        lines += [("Subscribe" if i == 0 else "") + title, abstract]
    return "\n".join(lines).encode()


def papers_and_rejects(data: bytes) -> tuple[list[tuple[str, str]], list[tuple[int, str]]]:
    out, _ = records(data)
    papers = [(r.title, r.abstract) for r in out if isinstance(r, parser_mod.Paper)]
    return papers, [(r.line_number, r.reason) for r in out if isinstance(r, parser_mod.Reject)]


def seed_pairs() -> list[tuple[str, str]]:
    return list(zip(TITLES, ABSTRACTS))


# ---------------------------------------------------------------- the classes of issue 16


def with_class_pairs(pairs: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """The seed with these pairs put in at several places, among real pairs."""
    out = seed_pairs()
    for i, pair in enumerate(pairs):
        out.insert(7 + 23 * i, pair)
    return out


@pytest.mark.parametrize("title", PROSE_TITLES)
def test_titles_that_read_like_prose_keep_their_abstract(title):
    pairs = with_class_pairs([(title, ABSTRACTS[3]), (title.replace("Memory", "Recall"), ABSTRACTS[4])])
    found, rejected = papers_and_rejects(dump(pairs))
    assert found == pairs and rejected == []


@pytest.mark.parametrize("abstract", SHORT_ABSTRACTS)
def test_one_sentence_abstracts_of_about_100_characters_are_abstracts(abstract):
    assert 90 <= len(abstract) <= 110
    pairs = with_class_pairs([("Replay Memory for Continual Learning", abstract), (PROSE_TITLES[0], abstract + " ")])
    found, rejected = papers_and_rejects(dump(pairs))
    assert found == [(t, a.strip()) for t, a in pairs] and rejected == []


def test_a_long_abstract_with_almost_no_punctuation_is_an_abstract():
    assert 1_600 <= len(LONG_UNPUNCTUATED) <= 1_800 and LONG_UNPUNCTUATED.count(".") == 0
    pairs = with_class_pairs([("Crowd Scene Memory using Deep Learning Techniques", LONG_UNPUNCTUATED)])
    found, rejected = papers_and_rejects(dump(pairs))
    assert found == pairs and rejected == []


def test_every_class_together_and_next_to_a_lost_abstract():
    """A prose title right after a title whose abstract was lost: the lost one is the only reject."""
    pairs = with_class_pairs([(t, ABSTRACTS[k]) for k, t in enumerate(PROSE_TITLES)]
                             + [("Short Memory Abstracts", a) for a in SHORT_ABSTRACTS[:1]])
    lines = dump(pairs).decode().split("\n")
    at = lines.index(PROSE_TITLES[2])  # lose the abstract of the record before it
    del lines[at - 1]
    found, rejected = papers_and_rejects("\n".join(lines).encode())
    assert found == pairs[:at // 2 - 2] + pairs[at // 2 - 1:]
    assert rejected == [(at - 1, "title without an abstract")]


def test_the_content_of_each_class_leans_the_expected_way_or_is_typed_by_the_layout():
    assert all(line_score(t) > 0 for t in PROSE_TITLES[:3])  # read as titles despite the "?" and "vs."
    assert line_score(SHORT_ABSTRACTS[0]) < 0 and line_score(SHORT_ABSTRACTS[2]) < 0
    assert line_score(LONG_UNPUNCTUATED) < 0
    assert line_score(SHORT_ABSTRACTS[1]) >= 0  # no full stop: not an abstract by content, one by layout


# ---------------------------------------------------------------- the sequence decision


def test_best_pairs_is_the_maximum_weight_choice_of_non_overlapping_adjacent_pairs():
    rng = random.Random(3)
    for _ in range(300):
        gains = [rng.choice([rng.randint(1, 200), rng.randint(1, 5)]) for _ in range(rng.randint(1, 9))]
        best = 0
        for chosen in itertools.product([0, 1], repeat=len(gains)):
            if any(a and b for a, b in zip(chosen, chosen[1:])):
                continue
            best = max(best, sum(g for g, c in zip(gains, chosen) if c))
        picked = best_pairs(gains)
        assert all(b - a >= 2 for a, b in zip(picked, picked[1:]))
        assert sum(gains[j] for j in picked) == best


def test_an_ambiguous_line_is_typed_by_the_lines_around_it():
    """The same short line without a full stop is an abstract after a title, and a title before an abstract."""
    line = "A short memory line that is ambiguous by content alone and could be either a title or an abstract"
    assert 0 < line_score(line) < 60
    after = [(TITLES[0], ABSTRACTS[0]), ("Memory Line Study", line), (TITLES[2], ABSTRACTS[2])]
    as_abstract, rejected = papers_and_rejects(dump(after))
    assert as_abstract == after and rejected == []
    before = [(TITLES[0], ABSTRACTS[0]), (line, ABSTRACTS[1])]
    as_title, rejected = papers_and_rejects(dump(before))
    assert as_title == before and rejected == []


def test_runs_longer_than_max_run_are_cut_the_same_way_by_both_parsers(monkeypatch):
    monkeypatch.setattr(parser_mod, "MAX_RUN", 7)
    monkeypatch.setattr(parser_mod, "BLOCK_BYTES", 300)
    ambiguous = [f"Memory note {i} is a line of about one hundred characters that could be a title or an abstract"
                 for i in range(40)]
    assert all(-60 < line_score(line) < 60 for line in ambiguous)
    out, report = records("\n".join(HEADER + ambiguous).encode())
    assert report.paper_lines + report.reject_lines == 40 and report.papers >= 15


# ---------------------------------------------------------------- a lost abstract and the next title


def lose_abstract_and_next_title(k: int) -> tuple[list[tuple[str, str]], list[tuple[int, str]]]:
    lines = SEED_LINES[:2] + [SEED_LINES[2].removeprefix("Subscribe")] + SEED_LINES[3:]
    del lines[2 + 2 * k + 1 : 2 + 2 * k + 3]
    return papers_and_rejects("\n".join(lines).encode())


def test_a_lost_abstract_and_title_pair_is_split_when_the_words_say_so():
    """Title k directly above abstract k+1: split (two rejects) when the title has 7 or more content words
    and none occurs in that abstract; otherwise the pair looks real and is kept (undecidable)."""
    detected = 0
    for k in range(N - 1):
        found, rejected = lose_abstract_and_next_title(k)
        intact = [p for i, p in enumerate(seed_pairs()) if i not in (k, k + 1)]
        mixed = (TITLES[k], ABSTRACTS[k + 1])
        assert [p for p in found if p != mixed] == intact  # no real pair is lost or changed
        if unshared_words(TITLES[k], ABSTRACTS[k + 1]) >= 7:
            detected += 1
            assert mixed not in found
            assert rejected == [(3 + 2 * k, "title without an abstract"), (4 + 2 * k, "abstract without a title")]
        else:
            assert mixed in found and rejected == []
    assert detected >= 5  # 10 of the 209 on the sample (12% of such shifted pairs in the arXiv sample)


@pytest.mark.xfail(strict=True, reason="undecidable: title 50 shares words with abstract 51, a real-looking pair")
def test_a_lost_abstract_and_title_pair_sharing_words_is_not_detected():
    assert unshared_words(TITLES[50], ABSTRACTS[51]) == 0
    found, rejected = lose_abstract_and_next_title(50)
    assert (TITLES[50], ABSTRACTS[51]) not in found
