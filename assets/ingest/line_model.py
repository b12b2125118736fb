"""The line-typing model of the dump parser: which content lines are titles, which are abstracts, which
title goes with which abstract, decided over the whole sequence of lines rather than line by line.

A dump is the sequence (title abstract | lost line)*: alternation is the strong prior, and a line whose
partner was lost (or that is not a title or an abstract at all) is an orphan, rejected with a reason.
Each line's content is evidence (`line_score`: length, capital-initial words, sentence breaks, final
punctuation, words of running prose), and a (title, abstract) pair's agreement is evidence too (`pair_compat`: a real abstract
reuses words of its title). The most likely typing of the whole sequence is the Viterbi path of that
grammar; with every score taken relative to the line's own best label, Viterbi reduces to choosing
non-overlapping adjacent (title, abstract) pairs of maximum total `pair_gain` (an orphan costs LOSS, a
pair costs only how badly each of its lines fits its label). Edges of gain <= 0 are never chosen, so the
decision splits into independent runs of lines joined by positive edges: almost every run is a single
pair, and only runs of ambiguous lines need the recursion (`best_pairs`). That is also what bounds
memory: a run is decided as soon as the edge after it is not positive (runs are cut at MAX_RUN lines).

Scores are integers in tenths of a nat, so the reference (line by line, `re`) and the block parser
(polars expressions) compute exactly the same values. The weights were set by hand from the feature
distributions of 14,818 real arXiv title/abstract pairs and the 210-paper sample (see docs/datasets.md,
"How dumps are parsed").

What stays undecidable: abstract k and title k+1 lost together leave title k directly above abstract
k+1, a perfect layout. Only the pair's words can tell: when title k has at least
MIN_WORDS_FOR_MISMATCH content words and none of them occurs in abstract k+1, the model splits the pair
(no real pair of the arXiv sample has that; 12% of such shifted pairs there do). Any shared word makes
the pair indistinguishable from a real one, and it is kept.
"""

from __future__ import annotations

import re

LOSS = 55  # cost of one orphan line (a lost partner): about 1 line in 250, -ln(1/250) = 5.5 nats
MAX_TITLE_CHARS = 600  # a longer line is never a title
MAX_RUN = 1_000  # lines of one ambiguous run decided together (bounds memory on pathological input)
MIN_WORDS_FOR_MISMATCH = 7  # see pair_compat: 15 * 7 + 10 > 2 * LOSS

CAPITAL_WORD = re.compile(r"(?:^| )[A-Z]")  # a word with a capital initial (ASCII space: same in polars)
# Words of running prose that titles seldom use (arXiv sample: in 1.5% of titles, 99.99% of abstracts).
PROSE_WORD = re.compile(r"(?:^| )(?:is|are|was|were|we|We|our|Our|my|This|this|these|These|has|have|been|It|it)(?:[ ,]|$)")
CONTENT_WORD = re.compile(r"[A-Za-z0-9]{4,}")
STOP_WORDS = frozenset(
    "with from that this their using towards toward into over under what when where which while your about "
    "through than more less between among across does them they have been".split()
)
_SENTENCE_BREAK = re.compile(r"[.!?][\"')\]]?\s+[A-Z(\"']")
_ENDS_WITH_URL = re.compile(r"https?://\S+$")

# (upper bound, score) steps: the first bound the value is under gives the score
LENGTH_SCORE = ((40, 120), (80, 100), (130, 60), (200, 20), (300, -10), (MAX_TITLE_CHARS + 1, -50))  # (chars under, score)
LONG_LINE_SCORE = -80
BREAKS_SCORE = (30, 0, -20)  # 0, 1, 2 sentence breaks; 3 or more:
MANY_BREAKS_SCORE = -50
END_SCORE = {"stop": -50, "question": 10, "other": 30}
PROSE_WORDS_SCORE = (40, -40, -80)  # 0, 1, 2 or more  # "stop": a full stop or a final URL


def length_score(chars: int) -> int:
    return next(score for bound, score in LENGTH_SCORE if chars < bound)


def capitals_score(capitals: int, words: int) -> int:
    """Titles capitalise most words (median share 0.82 in the arXiv sample), abstracts few (median 0.09)."""
    if words < 3:
        return 60 if capitals == words else 0
    if 10 * capitals >= 6 * words:
        return 60
    if 20 * capitals >= 9 * words:
        return 30
    if 10 * capitals >= 3 * words:
        return 0
    if 10 * capitals >= 2 * words:
        return -20
    return -40


def end_kind(line: str) -> str:
    if line[-1:] == "." or line.rstrip("\"')]}")[-1:] == "." or _ENDS_WITH_URL.search(line):
        return "stop"
    return "question" if line[-1:] in ("?", "!") else "other"


def line_score(line: str) -> int:
    """log P(line | title) - log P(line | abstract), in tenths of a nat: > 0 reads as a title. A line of
    more than MAX_TITLE_CHARS can only be an abstract (or junk): its content is not scored, so a long
    abstract with little punctuation is as good an abstract as any."""
    if len(line) > MAX_TITLE_CHARS:
        return LONG_LINE_SCORE
    breaks = len(_SENTENCE_BREAK.findall(line))
    return (
        length_score(len(line))
        + capitals_score(len(CAPITAL_WORD.findall(line)), line.count(" ") + 1)
        + END_SCORE[end_kind(line)]
        + (BREAKS_SCORE[breaks] if breaks < 3 else MANY_BREAKS_SCORE)
        + PROSE_WORDS_SCORE[min(len(PROSE_WORD.findall(line)), 2)]
    )


def content_words(title: str) -> list[str]:
    return [w for w in CONTENT_WORD.findall(title) if w.lower() not in STOP_WORDS]


def word_key(word: str) -> str:
    """What must occur in the abstract for a title word to count as reused: its letters 2-5, so
    "Pipeline" matches "pipelines" and "LLMs" matches "LLMs" (case kept after the initial)."""
    return word[1:5]


def unshared_words(title: str, abstract: str) -> int:
    """How many content words the title has when none of them occurs in the abstract, else 0."""
    words = content_words(title)
    if any(word_key(w) in abstract for w in words):
        return 0
    return len(words)


def pair_compat(unshared: int) -> int:
    """Evidence from the pair's words: a title sharing no word with the abstract below it. Real pairs
    (arXiv sample): 3 of 14,818 share none of their 2, 3 or 6 words; pairs shifted by a lost abstract
    and title share none in 26% of cases. Each unshared word weighs 1.5 nats."""
    return -(15 * unshared + 10) if unshared else 0


def pair_gain(title_score: int, abstract_score: int, compat: int) -> int:
    """What typing two adjacent lines as (title, abstract) gains over leaving both orphans."""
    return min(0, title_score) + min(0, -abstract_score) + compat + 2 * LOSS


def best_pairs(gains: list[int]) -> list[int]:
    """Viterbi over one run of lines joined by positive edges: gains[j] is the gain of pairing line j
    with line j+1; returns the chosen j (non-overlapping, maximum total gain, orphans preferred on ties)."""
    best = [0, 0]  # best[k]: best total over the first k lines
    for k in range(2, len(gains) + 2):
        best.append(max(best[k - 1], best[k - 2] + gains[k - 2]))
    chosen, k = [], len(gains) + 1
    while k >= 2:
        if best[k] > best[k - 1]:
            chosen.append(k - 2)
            k -= 2
        else:
            k -= 1
    chosen.reverse()
    return chosen
