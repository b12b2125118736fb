"""Quantitative-claim extraction from paper abstracts (pure logic, no Dagster).

A claim is a number that states a result or property of the work (see
/work/shared/eval/CLAIMS_SPEC.md and docs/claims_decisions.md).  Extraction is *unit driven*: a
number only becomes a claim when it carries a unit or sits in a recognised pattern.  The rules come in
classes, each a family of patterns rather than a list of phrases:

* number grammar: digits with thousands separators, decimals with or without a leading zero (``.02``),
  number words (``two million``, ``twelve participants``), K/M/B/T scales, ranges (``3-20x``,
  ``3--6%``, ``1.25~1.56x``), lists (``5%, 2%, and 4%``, ``AUC: 0.75, 0.83``), ``from A to B`` as one
  claim (value = the larger, low = the smaller, direction = the way it moved), ``by a factor of 16``,
  LaTeX forms (``5$\\times$``, ``$\\sim$12.8\\%``);
* unit/noun lexicon: percent and percentage points (``%p``, ``absolute``), multipliers, bytes, durations
  (``28.9s``, ``four hours``), rates (tokens/s, fps), tokens with context words (``a window of 512
  tokens``), parameters (``7B-sized LLM``, ``512 parameters``), metric names before or after a bare
  number (``AUC = 0.83``, ``IoU of 0.917``, ``+3.2 CIDEr``, ``.02 in F1``), counted nouns of data and
  people the work built or studied (``1,320 images``, ``16 clinicians``, ``N = 204``; ``only 16
  images`` is a cost);
* exclusions: identifiers (``V100``, ``GPT-3``, ``3D``, ``Llama 7B`` without training), settings (bit
  widths, hyphenated duration adjectives, years, hyperparameters, confidence intervals, bound
  operators), counts of what is only evaluated on;
* attribution: sentences about other work or the world are skipped (questions, ``Recent ...``,
  ``Most ...``, ``et al.``, limitation and report cue words, ``according to``), unless the
  sentence's subject is the work (``we``, ``our``, ``the proposed``); sizes of other models in a
  comparison (``outperforms the 671B-sized X``) are not the work's claims.

Kind and direction come from keywords in the clause around the number (words after the number first,
then the nearest words before it; for ratios and percents without one, the nearest in the sentence),
corrected by the unit (parameters -> ``parameters``, bytes -> memory, points -> accuracy...).

`extract_claims` finds each abstract's word cues in vectorised polars passes, one task slice at a time (abstracts
with no digit and no cue are skipped), and fans large inputs out over a process pool in lazily built tasks.  Regexes that are *scanned* (search/finditer) start with a character class where they
can, which Python's engine skips to quickly; see tools/bench_claims.py for throughput.
"""

from __future__ import annotations

import math
import os
import re
from bisect import bisect_left
from dataclasses import dataclass, field
from functools import lru_cache
from re import _compiler as _re_compiler
from re import _constants as _re_constants
from re import _parser as _re_parser

import polars as pl

from assets.core.contracts import CLAIM_DIRECTIONS as DIRECTIONS
from assets.core.contracts import CLAIM_KINDS as KINDS
from assets.core.contracts import CLAIM_UNIT_SCALES as UNIT_SCALES
from assets.core.contracts import CLAIM_UNITS as UNITS

# Bump when extraction results change for a reason this file does not show (the cache version of the claims
# step also fingerprints this file's text, see assets/metrics/per_paper.py).
CLAIMS_VERSION = 2  # 2: kind parameters, from-to as one claim, issue 17 rule classes

CLAIMS_SCHEMA = {
    "paper_id": pl.String,
    "claim_index": pl.Int32,
    "value": pl.Float64,
    "low": pl.Float64,
    "unit": pl.String,
    "unit_scale": pl.String,
    "kind": pl.String,
    "direction": pl.String,
    "text": pl.String,
    "span_start": pl.Int32,
    "span_end": pl.Int32,
}


@dataclass(frozen=True)
class Claim:
    value: float
    low: float | None
    unit: str
    unit_scale: str
    kind: str
    direction: str
    text: str
    span_start: int
    span_end: int
    repeat: bool = field(default=False, compare=False, repr=False)  # a size kept only after the same own size (_keep_repeats)


# --------------------------------------------------------------------------- vocab
SMALL_WORDS = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14,
    "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19,
    "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70,
    "eighty": 80, "ninety": 90, "hundred": 100, "a": 1, "an": 1,
}
MAGNITUDES = {"thousand": 1e3, "million": 1e6, "billion": 1e9, "trillion": 1e12}
VAGUE_MULT = {"tens": 10.0, "dozens": 10.0, "hundreds": 100.0}
SUFFIX_MULT = {"K": 1e3, "M": 1e6, "B": 1e9, "T": 1e12}
TIME_SECONDS = {
    "ns": 1e-9, "nanosecond": 1e-9, "us": 1e-6, "µs": 1e-6, "μs": 1e-6, "microsecond": 1e-6,
    "ms": 1e-3, "millisecond": 1e-3, "msec": 1e-3, "s": 1.0, "sec": 1.0, "secs": 1.0, "second": 1.0,
    "min": 60.0, "mins": 60.0, "minute": 60.0, "h": 3600.0, "hr": 3600.0, "hrs": 3600.0,
    "hour": 3600.0, "day": 86400.0, "week": 604800.0,
}
BYTE_SCALES = {"KB": "KB", "KIB": "KB", "KO": "KB", "MB": "MB", "MIB": "MB", "MO": "MB",
               "GB": "GB", "GIB": "GB", "GO": "GB", "TB": "TB", "TIB": "TB", "TO": "TB",
               "PB": "PB", "PIB": "PB"}

_NUMWORD = "|".join(sorted((w for w in SMALL_WORDS if len(w) > 2), key=len, reverse=True))
_NUM = r"(?:\d+(?:,\d{3})*(?:\.\d+)?|\.\d+)"  # "1,320", "0.87", ".03"

# --------------------------------------------------------------------------- regexes
# Sentence ends ("U.S. Code" ends no sentence; group 1: the space after one), and free digits (no group): a digit not
# glued to a name, or the dot of a leading-dot decimal. One pattern finds both in one pass over the text; it starts with
# a character class, which Python's regex engine scans for quickly (a leading lookbehind would be tried at every
# position).
_SENT_END_OR_FREE_DIGIT = re.compile(r"[\d.!?](?:(?<=[.!?])(?<![A-Z]\.[A-Z]\.)(\s+)(?=[A-Z(\[\"'])|"
                                     r"(?<=\d)(?<![A-Za-z_'’/\-.\d]\d)|(?<=\.)(?=\d)(?<![\w.]\.))")
# The same for ASCII text, where \d is [0-9]: the engine tests a range at each character instead of the Unicode digit
# class (the scan takes half the time); whitespace stays Unicode \s (ASCII text may hold \x1c-\x1f).
_SENT_END_OR_FREE_DIGIT_ASCII = re.compile("[0-9.!?]" + _SENT_END_OR_FREE_DIGIT.pattern.removeprefix(r"[\d.!?]"))
_WORD_X_NAMED = ("magnitude", "twice", "doubl", "tripl", "quadrupl", "half", "halv")  # ratios named without a number word
_WORD_X_KEYS = _WORD_X_NAMED + ("times", "fold", "percent")  # "fold" also finds "twofold"; "percent" "five percent"
_TIME_KEYS = ("second", "minute", "hour", "day", "week")
# Fraction words ("by two thirds", "only a fifth of the"): the substrings that a fraction of _WORD_FRACTION contains (17-widen)
_FRACTION_KEYS = ("third", "quarter", "fifth", "tenth")
_WORD_KEYS = ("illion", "thousand") + _WORD_X_KEYS + _TIME_KEYS + _FRACTION_KEYS
# (?<![\d.,])_NUM, written to start with a character class (as _SENT_END_OR_FREE_DIGIT), which the engine skips to:
# ~35% faster
_NUMBER = re.compile(r"[\d.](?:(?<=\d)(?<![\d.]\d)(?<!\d,\d)\d*(?:,\d{3})*(?:\.\d+)?|(?<=\.)(?<![\d.,]\.)\d+)")
# The same for ASCII text (as _SENT_END_OR_FREE_DIGIT_ASCII): _digit_chains scans whole sentences with it.
_NUMBER_ASCII = re.compile("[0-9.]" + _NUMBER.pattern.removeprefix(r"[\d.]"))

_SELF = re.compile(  # (?=\w): the boundaries at word ends are turned away before the alternatives (as _KIND_RE)
    r"\b(?=\w)(?:we|our|ours|us|this (?:paper|work|study|article|report|approach|method)|"
    r"(?:the )?proposed|these (?:methods|techniques))\b", re.I)
_MOTIV_START = re.compile(
    r"^(?:However,?\s+|Yet,?\s+|But\s+)?(?:Recent|Recently|Existing|Previous|Prior|Current|Currently|"
    r"Traditional|Traditionally|Conventional|Conventionally|Typically|Historically|Most|Many|Some|"
    r"Unfortunately|Nowadays|Today|Millions|Billions|Thousands|Hundreds|Globally|"
    # generic models as the subject, with what they can have ("State-of-the-art models can have billions of parameters")
    r"(?:State-of-the-art|Modern|Contemporary|Today's|Frontier|Leading|Popular)\s+(?:[\w-]+\s+){0,2}?[\w-]+s\s+(?:can|could|may|"
    r"often|typically|usually|now|already)\s+(?:have|contain|comprise|reach|exceed|require|need|consume|use|span)|"
    # a place or a future year framing a statistic of the world ("By 2040, ...", "In the European Union, ...")
    r"By (?:19|20)\d\d|In the (?:United States|U\.S\.|US|European Union|EU|UK|United Kingdom|world))\b", re.I)
# "challenging" states a difficulty only as a predicate ("remains challenging", "challenging to"), not as the
# adjective of material the work uses ("on challenging benchmarks").
_HARD = (r"(?:(?:is|are|was|were|be|been|remains?|proves?)\s+(?:(?:a|an)\s+)?|(?:very|highly|particularly|"
         r"especially|extremely|notoriously|quite)\s+)challenging|(?<![\d+] )challenging(?=\s*[,.;:)]|\s+(?:to|for|because|due|since|when)\b)")
# "1,000 challenging, unambiguous questions": right after a count it is the adjective of counted material (17-count5).
# Background cues looked for only when a cheap substring test finds their stem ("challeng", "limit").
_MOTIV_RARE = re.compile(r"\b(?:" + _HARD + r"|limits? (?:\w+ ){0,2}(?:applications?|applicability|deployment|use|"
                         r"adoption))", re.I)
# Matched against the lower-cased sentence (case-sensitive matching is faster in Python's engine).
_MOTIV_ANY = re.compile(
    r"et al\.|\[\d|\b(?=\w)(?:struggl\w*|suffer\w*|challenges?\b|challenged|limitations?|bottleneck\w*|prohibitive\w*|"
    r"impose[sd]?|hinder\w*|expected to|fails? to|motivat\w*|studies have|it is well known|"
    # generic statements about a field ("training X typically relies on ...; for example, Y contains N pairs")
    r"typically|commonly(?! used)|"
    # numbers others report or that describe the world, not the work
    r"perform\w* poorly|poor performance|according to|worldwide|it is estimated|(?:are|is) estimated|studies (?:have )?report\w*|reportedly|"
    r"in the literature|in this (?:space|field|area)|with some|some (?:\w+ )?(?:models|methods|works|systems|"
    r"approaches|llms))\b")
# A share of a world total ("12% of the world's exports", "of the global population"), looked for only when the sentence
# has "world" or "global": a statistic of the world, background (matched on lower case).
_WORLD_SHARE = re.compile(r"\bof (?:the )?world'?s\b|\bof (?:the )?(?:world|global) (?:population|energy|emissions|gdp|economy)\b"
                          # a prevalence in a population (17-prec4): "found in about 4% of the general population"
                          r"|\bof (?:the )?(?:general |adult |entire |whole |total )?population\b")
# Attribution by the sentence's subject: other work as the subject of a sentence without the work's own words ("The
# authors of X precompute ...", "The 2021 Alder study built ...", "The existing parsers often rely on ...", "Several
# studies report ..."); models the work evaluated as subject ("The traditional tagger achieved 0.91") stay results.
_OTHERS_SUBJECT = re.compile(
    r"^(?:(?:However|Yet|But|Moreover|Furthermore|In contrast|For example|For instance|Notably|Similarly|Specifically|"
    r"Unfortunately|Originally|Historically),?\s+)?(?:"
    r"(?:the\s+)?(?:original\s+)?(?:authors|creators|developers|designers|inventors)\s+of\b|"
    r"(?:the\s+)?(?:19|20)\d\d\s+(?:[A-Z][\w-]*\s+){1,3}(?:study|paper|work|survey|report|challenge|competition)\b|"
    r"(?:the|these|such)\s+(?:currently\s+|widely\s+used\s+)?(?:existing|previous|prior|earlier|conventional|traditional|"
    r"classical|mainstream)\b[\w\s,-]{0,60}?\b[A-Za-z]+s\s+(?:(?:often|typically|usually|generally|still|also|commonly|"
    r"tend to)\s+)*(?:rely|require|need|use|build|train|consume|demand|depend|employ|adopt|incur)\w*|"
    r"(?:(?:several|many|most|some|numerous|recent|prior|previous|earlier|past)\s+)?(?:studies|researchers|works)\s+"
    r"(?:have\s+|has\s+)?(?:shown?|report\w*|found|find|suggest\w*|demonstrat\w*|estimat\w*|observ\w*))", re.I)
# The work's experiments or results as the sentence's subject, with a verb of showing: the sentence reports the work's
# results, whatever background words follow ("Experiments on X demonstrate 91% recall but reveal challenges in Y").
_RESULTS_SUBJECT = re.compile(r"^(?:(?:Moreover|Furthermore|Additionally|Finally|Overall|Notably|In addition|Empirically),?\s+)?"
                              r"(?:(?:Extensive|Comprehensive|Empirical|Systematic|Further|Additional)\s+)?(?:experiments?|"
                              r"experimental results|results|evaluations?)\b(?:(?!\b(?:previous|prior|earlier|past|existing|other|their|"
                              r"recent)\b)[^.;]){0,120}?\b(?:show|shows|showed|demonstrate|"
                              r"demonstrates|demonstrated|reveal|reveals|revealed|indicate|indicates|confirm|confirms)\b", re.I)
_SELF_LOW = re.compile(_SELF.pattern)  # _SELF's words, matched against lower case
_NEGATION = re.compile(r"\b(?:no|not|none|never|nor|without)\b", re.I)
_LOWER_BOUND = re.compile(r">|≥|geq|\\ge")
_BOUND_BEFORE = re.compile(r"(?:leq|geq|≤|≥|<=|>=|(?<![\w\\])[<>]|\\le|\\ge)\s*$")
_BOUND_CHARS = "q≤≥<>\\"  # one of them is in every _BOUND_BEFORE match: a cheap test first
_CHANGE_FROM = re.compile(r"\b(?:improv|increas|reduc|decreas|rais|lower|boost|drop|declin|ris|rose|grow|fell|cut|"
                          r"enhanc|lift)\w*\b[^,;.]{0,50}\bfrom\s+(?:about\s+|around\s+|\$?\\sim\$?\s*)?$", re.I)
_RANGING = re.compile(r"\b(?:rang\w*|vary\w*|varies|spann?\w*)\s+(?:\w+\s+){0,2}?from\s+\S*$", re.I)
_FROM_BEFORE = re.compile(r"\bfrom\s+(?:(?:under|over|about|around|nearly|approximately|roughly|just|only)\s+)?(?:\\?\$|US\$)?$", re.I)


# Cheap gates: a pattern scanned over a window runs only when the window holds a literal every match needs.
def _needed_literals(alternation: str, ignore_case: bool = False) -> tuple[str, ...]:
    """For each top-level alternative of the regex ``alternation``, a literal that every match of it contains (its
    longest run of plain characters; "" if it has none, which every text contains), minus those containing another;
    in lower case for a case-insensitive pattern. Read from the parsed pattern (re's own parser), so words added to the
    alternation need no second list."""
    tree = _re_parser.parse(alternation)
    op, av = tree.data[0]
    branches = av[1] if len(tree.data) == 1 and op is _re_constants.BRANCH else [tree]
    found = set()
    for branch in branches:
        runs = [""]
        for op, av in branch.data:
            if op is _re_constants.LITERAL:
                runs[-1] += chr(av)
            else:
                runs.append("")
        found.add(max(runs, key=len).lower() if ignore_case else max(runs, key=len))
    return tuple(sorted(n for n in found if not any(o != n and o in n for o in found)))


_FOLDS_TO_ASCII = ("ſ", "ı", "İ")  # letters a case-insensitive pattern reads as s or i that lower() leaves alone


def _lower_case(pattern: re.Pattern) -> re.Pattern:
    """A case-insensitive ``pattern`` (ASCII source, no upper-case escape such as \\S) as the case-sensitive pattern of its
    lower-cased source, for _finditer_lower."""
    source = pattern.pattern
    assert pattern.flags & re.I and source.isascii() and not re.search(r"\\[A-Z]", source), source
    return re.compile(source.lower().replace("(?p<", "(?P<").replace("(?p=", "(?P="), pattern.flags & ~re.I)


def _finditer_lower(pattern: re.Pattern, lowered: re.Pattern, text: str):
    """``pattern.finditer(text)``, as ``lowered`` (_lower_case(pattern)) over ``text.lower()``: the same spans, and groups in
    lower case, two to three times faster (without re.I Python's engine skips most alternatives by their first letter).
    lower() changes no offset and reads every letter as re.I does, except the letters of _FOLDS_TO_ASCII."""
    if "ſ" in text or "ı" in text or "İ" in text:
        return pattern.finditer(text)
    return lowered.finditer(text.lower())


# Cheap gates on the character after a number: a pattern matched there (a unit, a range or list separator) can only
# match where the first non-space character is one its match can start with, read from the parsed pattern (re's own
# parser and compiler), so units added to a pattern need no second list. Sets hold ASCII characters and "", which
# stands for any other character, for the end of the text and for "not read" (_next_char), so those always pass.
_ASCII = tuple(map(chr, range(128)))
_SPACES = tuple(c for c in map(chr, range(0x3001)) if c.isspace())
_ANY_START = frozenset(_ASCII + ("",))


def _first_chars(pattern: re.Pattern) -> frozenset[str]:
    """The ASCII characters the first non-space character of a match of ``pattern`` can be, and ""; every character
    for a pattern that may match spaces only (or that this does not read)."""
    tree = _re_parser.parse(pattern.pattern, pattern.flags)

    def single(item, flags) -> tuple[frozenset[str], bool]:  # one character: (non-space ASCII it matches, a space?)
        one = _re_compiler.compile(_re_parser.SubPattern(tree.state, [item]), flags)
        return (frozenset(c for c in _ASCII if not c.isspace() and one.fullmatch(c)),
                any(one.fullmatch(c) for c in _SPACES))

    def sequence(items, flags) -> tuple[frozenset[str] | None, bool]:  # (first characters or None: any, spaces only?)
        found: set[str] = set()
        for op, av in items:
            if op in (_re_constants.LITERAL, _re_constants.NOT_LITERAL, _re_constants.IN, _re_constants.ANY):
                chars, spaces = single((op, av), flags)
            elif op in (_re_constants.MAX_REPEAT, _re_constants.MIN_REPEAT, _re_constants.POSSESSIVE_REPEAT):
                chars, spaces = sequence(av[2].data, flags)
                spaces = spaces or av[0] == 0
            elif op is _re_constants.SUBPATTERN:
                chars, spaces = sequence(av[3].data, (flags | av[1]) & ~av[2])
            elif op is _re_constants.ATOMIC_GROUP:
                chars, spaces = sequence(av.data, flags)
            elif op is _re_constants.BRANCH:
                chars, spaces = frozenset(), False
                for alternative in av[1]:
                    more, blank = sequence(alternative.data, flags)
                    chars, spaces = None if chars is None or more is None else chars | more, spaces or blank
            elif op in (_re_constants.AT, _re_constants.ASSERT, _re_constants.ASSERT_NOT):
                chars, spaces = frozenset(), True  # zero width
            else:
                chars, spaces = None, True
            if chars is None:
                return None, True
            found |= chars
            if not spaces:
                return frozenset(found), False
        return frozenset(found), True

    chars, spaces = sequence(tree.data, tree.state.flags)
    return _ANY_START if chars is None or spaces else chars | {""}


def _next_char(text: str, e: int) -> str:
    """The first non-space character at text[e] or after one space, for the _first_chars gates ("" if none, if it is
    not ASCII or if more spaces come first: every gate passes)."""
    c = text[e:e + 2].lstrip()[:1]
    return c if c.isascii() else ""


def _has_literal(window: str, lower_literals: tuple[str, ...], literals: tuple[str, ...] = _FOLDS_TO_ASCII) -> bool:
    """Whether ``window`` in lower case contains one of ``lower_literals``, or ``window`` one of ``literals`` as
    written: a cheap test before a pattern whose every match contains one of them."""
    low = window.lower()
    for w in lower_literals:  # plain loops: most windows fail every test, and a loop runs them faster than any()
        if w in low:
            return True
    for a in literals:
        if a in window:
            return True
    return False


_SETTING_WORDS = (r"rank|ranks|mask\w*|dropout|learning rate|threshold|temperature|sparsity ratio|"
                  r"pruning ratio|keep ratio|ratio of|sampling rate|weight decay|momentum")
_SETTING_BEFORE = re.compile(r"(?<!-)\b(?:" + _SETTING_WORDS + r")\b[^,;:)]{0,45}$", re.I)
_SETTING_LITERALS = _needed_literals(_SETTING_WORDS, ignore_case=True)  # for _has_literal
# A data split, not a change ("by 30% for training"): "80% (of the data) was used for training, 10% for testing".
# An operating point of a metric ("FPR at 95% true negative rate", "precision at 90% recall"): a setting.
_OPERATING_POINT = re.compile(r"\s+(?:(?:true|false)\s+(?:positive|negative)\s+rates?|TPR|TNR|FPR|FNR|FAR|FRR|FMR|recall|precision)\b",
                              re.I)
_SPLIT_AFTER = re.compile(r"\s(?:of (?:the )?[a-z]+ )?(?:(?:is|are|was|were) (?:used|kept|held out|reserved) )?"
                          r"for (?:training|validation|testing|test|evaluation)\b")
# A share that names a part of the data ("a 15% held-out split", "an 8% random subset"): a split, a setting; "only a 10%
# subset" is a cost, as with "only 15% of the annotations".
_SPLIT_NOUN_AFTER = re.compile(r"\s+(?:(?:random|stratified|hold-?out|held-?out|limited|small)\s+)?(?:subsets?|splits?|hold-?outs?|"
                               r"held-?out|portions?|(?:test|validation|training|dev) sets?)\b", re.I)
# A ratio the work sets by occluding, corrupting or randomly dropping data ("we randomly occlude 40% of the frames").
_RATIO_SET_BEFORE = re.compile(r"\b(?:occlud\w*|corrupt\w*|randomly (?:drop|remov|replac|perturb|delet|shuffl|sampl|select)\w*)"
                               r"[^,;:)]{0,45}$", re.I)
_ONLY_SHARE = re.compile(r"\b(?:only|just|merely)\s+(?:on\s+)?(?:an?\s+)?(?:limited\s+|small\s+)?$", re.I)
_BY_BEFORE = re.compile(r"\bby\s+(?:up to\s+|about\s+|around\s+|over\s+|nearly\s+)?$")
_OCCLUDE_BEFORE = re.compile(r"\b(?:occlud\w*|corrupt\w*)\b[^,;:)]{0,45}$", re.I)  # "we randomly occlude 40% of the patches"
_SETTING_AFTER = re.compile(r"^(?:\s?(?:CI|confidence)\b|[^,;:()]{0,40}\b(?:is|are) (?:kept|retained|masked|dropped)\b)",
                            re.I)
_USING_BEFORE = re.compile(r"\b(?:using|use|uses|with)\s+(?:only\s+|about\s+|around\s+|over\s+)?$", re.I)
_DATASET_WITH = re.compile(r"\b(?:dataset|benchmark|corpus|collection)\s+with\s+(?:about\s+|around\s+|over\s+)?$", re.I)
_CONTEXT_BEFORE = re.compile(  # \b(?=\w) here and below: every alternative starts with a letter (see _KIND_RE)
    r"\b(?=\w)(?:context|sequence|input|window)\s+(?:length|window|size)s?\s+(?:\w+\s+){0,2}?"
    r"(?:(?:of|to|up to|reach\w*|at|is|=|:)\s*)?(?:(?:over|up to|about|around|nearly|approximately|roughly|beyond|"
    r"less than|more than|under)\s+)?$", re.I)
# Words that make a token count a context size ("a window of 512 tokens", "less than 8k" of context).
_CONTEXT_CUE = re.compile(r"\b(?:contexts?|window|sequence|input length|prompt length)\b", re.I)
# Metric names: a bare number right after one ("AUC = 0.83", "IoU of 0.917", "accuracy (0.874)") or an
# acronym right after a number ("+3.2 CIDEr", "by 5.6 PDMS", ".02 in F1") is a score, unit points.
_METRIC_WORDS = (r"(?:mean )?reciprocal rank|Spearman|Pearson|Kendall|intersection[- ]over[- ]union|scores?|accuracy|accuracies|precision|recall|F1(?:[- ]scores?)?|F-scores?|errors?(?: rates?)?|"
                 r"distance|perplexity|(?:Dice |correlation |similarity )?coefficients?|area under the(?: ROC)? curve|"
                 r"kappa|correlation|coefficient of determination|success rate|win rate|exact match|"
                 r"mean average precision|Dice(?: scores?)?")
_METRIC_ACRONYMS = (r"BLEU(?:-?\d)?|ROUGE(?:-\w+)?|METEOR|CIDEr|SPICE|chrF\+*|mAP(?:@[\d.]+)?|AP(?:\d+)?|mAR|AUC|AUROC|"
                    r"AUPRC|AuPRC|IoU|mIoU|DSC|SSIM|LPIPS|FID|FVD|PSNR|MAE|MSE|RMSE|WER|CER|HOTA|IDF1|MOTA|[nN]DCG(?:@\d+)?|"
                    r"MRR|Hits@\d+|R@\d+|P@\d+|[Pp]ass@\d+|[Ss]uccess@\d+|[A-Z][A-Za-z]*Score|EM|PQ|Acc|NDS|EPE|ADE|FDE|MOS|PDMS|ELO|Elo|SUS|R2|R²|R\^2|R\^\{2\}")
_SCORE_BEFORE = re.compile(  # one \b, then (?=\w) as in _KIND_RE: every metric name starts with a letter
    r"\b(?=\w)(?:(?i:" + _METRIC_WORDS + r")|(?:" + _METRIC_ACRONYMS + r")s?\)?)(?:\s*\(\w+\))?"
    r"(?:\s+(?:values?|gains?|improvements?|increases?))?\s*"  # "AUC values of", "(MOS) gain of"
    r"(?:(?:close to|of|from|reach\w*|achiev\w*|averag\w*|exceed\w*|at|to|=|:|is|was|\(|"
    r"\$?\s*(?:r|\\rho|\\tau|ρ|τ)\s*(?:=|\$?\)))\s*){0,3}"  # "correlation of $r = 0.82$", "($\rho$) exceeding 0.95"
    r"(?:(?:about|around|nearly|approximately|over|up to|only|just|\$?\\sim\$?|~)\s*)?[+]?\$?$")  # "SSIM of +0.42"


# _SCORE_BEFORE needs a metric name in its window: a literal of a name word (any case) or of an acronym (as written).
# Fewer than 1 window in 8 has one, and the tests (_names_a_metric) cost under a third of the search.
_SCORE_WORD_LITERALS = _needed_literals(_METRIC_WORDS, ignore_case=True)
_SCORE_ACRONYM_LITERALS = _needed_literals(_METRIC_ACRONYMS) + _FOLDS_TO_ASCII
# ~50 acronyms: one scan for all of them (in C) costs a third of a loop of substring tests
_SCORE_ACRONYM_SCAN = re.compile("|".join(map(re.escape, _SCORE_ACRONYM_LITERALS)))


def _names_a_metric(window: str) -> bool:
    """The cheap gate of _SCORE_BEFORE: whether ``window`` holds a literal of a metric name (see above)."""
    return _SCORE_ACRONYM_SCAN.search(window) is not None or _has_literal(window, _SCORE_WORD_LITERALS, ())


_ACHIEVES_BEFORE = re.compile(r"\b(?:achiev\w*|reach\w*|attain\w*|scor(?:es|ed|ing)|obtain\w*|unlock\w*)\s+"
                              r"(?:(?:an?|only|up to|about|around|nearly|over)\s+)?$", re.I)
# A decimal change of a metric named after a change verb: "reduces the edit distance error by 0.32".
_DELTA_BY_BEFORE = re.compile(r"\b(?:improv|increas|reduc|decreas|rais|lower|boost|cut|enhanc)\w*\b[^,;.]{0,60}?"
                              r"(?:\b(?i:" + _METRIC_WORDS + r"|performance)|\b(?:" + _METRIC_ACRONYMS + r")(?![\w@]))[^,;.]{0,30}?"
                              r"\bby\s+(?:(?:up to|about|around|over|nearly|an average of|on average)\s+)?[+]?$", re.I)
# Successes out of a total after a verb of success: "solves 17 out of 20", "detects 9 attacks out of 10" (the total
# is part of the claim's span). Wins "on 7 out of 8 benchmarks" are counts of benchmarks, not claims.
_SOLVES_BEFORE = re.compile(r"\b(?:solv|pass|detect|identif|resolv|answer|recover|complet|flag|classif|predict|"
                            r"discover|prov|fix|recogni[sz]|locat|retriev|repair|find|found)\w*\s+(?:correctly\s+)?$", re.I)
_OUT_OF = re.compile(r"(?:\s+[a-z][a-z-]*){0,2}?\s+(?:out\s+)?of\s+(?:the\s+|all\s+)?\d[\d,]*(?![\d.%])")
_ACHIEVED_BOUND = re.compile(r"\b(?:achiev|reach|attain|scor|obtain|unlock)\w*\s+(?:(?:an?|only|up to|about|around|"
                             r"nearly|over)\s+)?\$?\s*(?:>|≥|\\geq?|geq)", re.I)
_LIST_LEAD = re.compile(r"(?:,|\band)\s*\$?$")
_ON_BENCHMARK = re.compile(r"\s+(?:on|in)\s+(?:the\s+)?[A-Z][\w.-]*[A-Z0-9]")
_PERFORMANCE_OF = re.compile(r"\bperformance (?:of|at|=)\s*$", re.I)
# A confidence interval right after a bare decimal marks it as a measured estimate: "0.88 (95% CI 0.84-0.91)".
_CI_AFTER = re.compile(r"\s*[(\[]\s*(?:(?:90|95|99)\s*\\?%\s*)?(?:CI|confidence interval)\b", re.I)
# A bracketed interval between the two ends of a from-to: "from 0.41 (0.36, 0.47) to 0.18".
_INTERVAL = re.compile(r"\s*[(\[](?:(?:90|95|99)\s*\\?%\s*)?(?:CI:?\s*)?[\d.\s,–-]+[)\]]")
# A parameter count named before its number: "a parameter count of only 3.4 million", "parameters: 2.1M".
_PARAMS_BEFORE = re.compile(r"\bparam(?:eter)?s?(?:\s+(?:count|budget|size|footprint))?\s*(?:of|is|=|:|at|to|from)\s*"
                            r"(?:(?:only|just|merely|about|around|approximately|roughly|under|below)\s+)?$", re.I)
# Sizes of the work's own model series in parentheses: "we train a family of retrievers (0.6B and 2.3B)".
# A change in the parameter count by a size ("reducing the number of parameters by 1 billion", "cuts the parameter count by
# 2.1M"): parameters, like "a parameter count of 2.1M"; sizes with a magnitude word or a M/B/T suffix only.
_PARAMS_BY = re.compile(r"\bparam(?:eter)?s?(?:\s+(?:count|budget|size|footprint))?\s+by\s+(?:about\s+|around\s+|over\s+|nearly\s+|"
                        r"up to\s+|more than\s+|almost\s+)?$", re.I)
_SERIES_OPEN = re.compile(r"\b(?:models?|LLMs?|family|families|series|variants|sizes|versions|[a-z]+ers)\s*\(\s*$")
_FACTOR_BEFORE = re.compile(r"\bfactors? of\s+(?:about\s+|around\s+|up to\s+|over\s+|~|\$?\\sim\$?\s*)?$", re.I)
_ACRONYM_AFTER = re.compile(r"\s(?=[A-Z0-9-]*[A-Z][A-Z0-9-]*[A-Z])[A-Z][A-Z0-9-]{1,9}\b(?!\s*(?:model|LLM|GPU|API)s?\b)")
_ACRONYM_SCORE = re.compile(r"\b(?!(?:CI|IQR|SD|SE|SEM)\b)[A-Z][A-Z0-9]{1,5}\s*(?:of|=|:)\s*$")  # "CI: 0.80": an interval
_ABS_BEFORE = re.compile(r"\babsolute\b(?!\s+(?:percentage\s+)?(?:errors?|deviations?)\b)[^,;.%]*$", re.I)
# A signed delta names its metric a word or two later: "+4.4 event F1", "+41.7 absolute".
_SIGNED_METRIC = re.compile(r"(?:\s+[a-z][\w-]*){0,2}?\s+(?:(?:" + _METRIC_ACRONYMS + r")(?![\w@])|absolute\b|"
                            r"(?i:(?:" + _METRIC_WORDS + r"))\b)")
_METRIC_AFTER = re.compile(r"\s(?:in\s+|on\s+)?(?:the\s+)?(?:(?:" + _METRIC_ACRONYMS + r")(?![\w@])|"
                           r"(?i:(?:mean |average |macro |micro |top-1 |top-5 )*(?:" + _METRIC_WORDS + r"))\b)")
_TRAIN_NEAR = re.compile(r"\b(?:train\w*|fine-?tun\w*|pre-?train\w*|run|runs|running|deploy\w*|serv\w*|scal\w*|"
                         r"based (?:up)?on)\b", re.I)  # "our score based on Qwen 3B": the work runs that model
_HW_CUE = re.compile(r"\b(?:only|just|single|enough|merely|as few as|sufficient|suffices?)\b", re.I)
_BUILD_CUE = re.compile(r"\b(?:introduc|present|construct|build|built|releas|novel|new|collect|curat|creat)\w*\b", re.I)
_CORPUS_AFTER = re.compile(r"(?:\s+[\w-]+){0,3}?\s+(?:corpus|dataset|collection|benchmark|recordings)\b", re.I)
# A system that does its work "at N fps" (docs/claims_decisions.md, eleventh round): "performs tracking at 17fps",
# "detects objects at 30 FPS" is its speed; "sampled at 2 fps" stays a setting.
_FPS_DOING = re.compile(r"\b(?:perform|track|detect|segment|estimat|recogni[sz]|predict)\w*\b[^.;]{0,60}$", re.I)
_FPS_AT = re.compile(r"\bat\s+(?:\d[\d.]*\s?fps\+?(?:\s+(?:for|on|in)\s+[\w-]+)?,?\s+and\s+)?$", re.I)  # "at 17fps for HD and 7fps"
_FPS_CUE = re.compile(r"\b(?:achiev\w*|real-?time|render\w*|runs?|speed|throughput|reach\w*|process\w*|operat\w*|"
                      r"infer\w*)\b", re.I)

# Units right after a number (tried with .match at the end of the number).
# An inline-math or bold number ("$90$", "\\textbf{4.8}") and its closing braces and dollar.
_MATH_OPEN = re.compile(r"(?:\$|\\(?:textbf|mathbf|bf|textit|underline)\{)[+-]?\s*$")
_MATH_CLOSE = re.compile(r"\}\$|\}|\$")
_U_PCT = re.compile(r"\+?\s?(?:\$?\\?%\$?|percent\b|per cent\b|\$?\\unicode\{x0025\}\$?)")  # TeX "\unicode{x0025}" is "%"
_U_PP = re.compile(r"\s?(?:percentage points?|-percentage-points?\b|pp\b|p\.p\.|\\?%\s?p\b)")
_U_ABS = re.compile(r"\s+(?:absolute|abs\.)\b|\s+(?:\w+\s+)?points?\b", re.I)
_U_X = re.compile(r"(?:\s?(?:x|×|X)(?![A-Za-z0-9])(?!\s*\d)|\s?-?\s?times\b|\s?-?\s?folds?\b|"
                  r"\*(?=\s?(?:more|less|fewer|faster|slower|smaller|larger|higher|lower)\b)|"  # "7* fewer FLOPs": an asterisk as times
                  r"\s?(?:\$|\\\(|\{)?\{?\s?\\times\s?\}?(?:\$|\\\)|\})?(?!\s*\$?\d))")
_CROSS_VALIDATION = re.compile(r"\s*(?:stratified\s+|nested\s+)?(?:cross[- ]?validat\w*|CV\b)", re.I)
_U_DIM = re.compile(r"\s?[x×]\s?\d")
_DIM_BEFORE = re.compile(r"\d\s?[x×]\s?$")
_U_SUFFIX = re.compile(r"\s?([kKMBT]|[mb](?=\s*-?\s*(?:tokens?|param)))(?![A-Za-z0-9])")
_U_SUFFIX_MATH = re.compile(r"\s?([kKMBT])\$(?![A-Za-z0-9])")  # "$110k$ samples": the suffix before math closes
_U_BYTES = re.compile(r"\s?((?:[KMGTP]i?B)|Go|Mo|Ko|To|bytes)(?![A-Za-z0-9])")
_U_TIME = re.compile(
    r"(\+?\s?-\s?|\+?\s?)(nanoseconds?|microseconds?|milliseconds?|msec|ms|µs|μs|seconds?|secs?|sec|minutes?|mins?|min|"
    r"hours?|hrs?|hr|h(?!-[A-Za-z])|days?|weeks?|(?<=\d)s(?!\s+of\b)(?!-[A-Za-z]))(?![A-Za-z0-9])")  # "2.5 h-mIoU": a metric
_DATA_AFTER = re.compile(r"\s+of\s+(?:[\w-]+\s+){0,2}?(?:data|recordings?|audio|speech|videos?|footage|logs?|trajectories|"
                         r"demonstrations?|driving)\b", re.I)
_U_DEVICE_TIME = re.compile(r"[\s-](?:[A-Z]\d{2,4}\s+)?(?:GPU|TPU|NPU|CPU)[\s-](hours?|days?|minutes?|hrs?)\b")
_U_YEARS = re.compile(r"\s?-?\s?(?:years?|yrs?|months?|decades?)\b", re.I)
_U_POINTS = re.compile(r"\s?(?:points?|pts?)\b(?!\s?/)(?![\s-]+(?:clouds?|sets?)\b)|\s(?i:performance|accuracy|absolute|score)\s+points?\b|-(?:percentage-)?points?\b(?!\s+(?:[A-Z]\w+\s+)?(?:scales?|ratings?|items?)\b)(?!-)|\s?dB\b|\sF1\b|\s(?:" + _METRIC_ACRONYMS + r")(?:\s+points?\b|(?![\w@]))")  # "+2 BLEU", "1.2 nDCG points"
_U_RATE = re.compile(
    r"\s?(?:tokens?/s(?:ec)?|tok/s|frames?/s|images?/s|samples?/s|it/s|queries per second|QPS|"
    r"FPS|fps|frames per second|(?:[Pp]eta|[Tt]era|[Gg]iga)-?[Ff][Ll][Oo][Pp][Ss]|[PTG]FLOPS|TOPS|"
    r"[a-z]+(?:/s(?:ec)?|\s+per\s+second)|k?Hz)(?![A-Za-z])")  # "0.84 pages per second", "30 Hz"
_U_RATE_SPEED = re.compile(r"/s\b|/sec|per second|\bQPS\b|(?<![a-z])fps\b|Hz\b", re.I)  # "17fps": glued to the number
# A count of floating-point operations ("5.2 GFLOPs", "30 million FLOPs"): the compute a model costs.
_U_FLOPS = re.compile(r"\s?(?:[KMGTP]\s?|[Gg]iga|[Tt]era|[Pp]eta)?-?FLOPs\b|"
                      r"\s(?:[Gg]iga|[Tt]era|[Pp]eta|[Mm]ega)?-?\s?floating[- ]point operations\b")  # FLOPs written out
# The ends of a from-to of FLOPs written with a glued suffix (docs/claims_decisions.md, 17-widen): the first end before
# "to <N><same suffix> FLOPs", or both ends after "FLOPs ... from" ("cuts the FLOPs (from 40G to 0.5G)"); value as written.
_FLOPS_GLUED = ("G", "M", "T")
_FLOPS_TO_AFTER = re.compile(r"([GMT])\s+to\s+[\d.]+\s?\1\s?FLOPs\b")
_FLOPS_FROM_BEFORE = re.compile(r"\bFLOPs\b[^.;]{0,30}?\bfrom\s+(?:[\d.]+[GMT]\s+to\s+)?$")
_U_USD = re.compile(r"(?:[KMB](?![A-Za-z0-9]))?\s?(?:USD|dollars?)\b")
_U_MONEY_SUFFIX = re.compile(r"[KMB](?![A-Za-z0-9])")
# "$5$-shot", "$0.59 \rightarrow 0.73$": the "$" opened math (it closes soon, or TeX runs before it closes)
_MATH_AFTER = re.compile(r"[^$]{0,12}\$(?!\d)|[^$]*?[\\^_{][^$]*\$")
# Energy and power ("180 W", "1.02 kWh/500 images", "3.2 kJ"): a cost; bare W and J only after a power/energy word.
_U_ENERGY = re.compile(r"\s?(?:(?P<wh>[kMGT]?Wh|(?:kilo)?watt-hours?|joules?|[mkMG]?J)|(?P<watt>watts?|[mkMG]?W))"
                       r"(?![A-Za-z0-9])")
_ENERGY_CUE = re.compile(r"\b(?:power|energy|consum\w*|draw\w*|dissipat\w*)\b", re.I)
_PLUS_MINUS = re.compile(r"\s*\$?(?:\\pm|±|\+/-)\$?\s*" + _NUM)  # "17.2 \pm 0.4": the measured value, then its spread
# Lengths, pixels and angles: a measured error or accuracy ("errors below 1.3 mm", "an RMSE of 2.7 cm") when a
# metric is named just before the number; otherwise read as a bare number ("a 10 cm cube", "beyond 0.5m").
# The degree sign as arXiv abstracts write it (docs/claims_decisions.md, eleventh round): "{\\deg}", "$^\\circ$",
# "$\\unicode{x00b0}$" read as "°".
_DEG_TEX = r"\{\\deg\}|\$?\^\{?\\circ\}?\$?|\$\\unicode\{x00b0\}\$"
_U_PHYS = re.compile(r"\s?(?:nm|µm|μm|mm|cm|m|km|px|pixels?|(?:degrees?|deg|°|" + _DEG_TEX + r")(?:/(?:m|km|100\s?m)\b)?)"
                     r"(?![A-Za-z0-9])")  # "deg/m": one unit (17-prec4)
_PHYS_METRIC = re.compile(r"\b(?:(?i:" + _METRIC_WORDS + r"|deviations?|drift|displacements?|offsets?)|"
                          r"(?:" + _METRIC_ACRONYMS + r"|ATE|RPE|CD|RMSEs|MAEs)(?![\w@]))(?:\s*\(\w+\))?\s*"
                          r"(?:(?:of|is|was|were|are|=|:|below|under|within|less than|lower than|to|from|about|around|"
                          r"approximately|only|just|down to|(?:reach|achiev|averag|rang)\w*|and|by|(?:of )?(?:more|less) than|over|"
                          r"[\d.]+\s?(?:nm|µm|μm|mm|cm|m|km|px|pixels|degrees|deg|°|" + _DEG_TEX + r")(?:\s*\([^()]{1,24}\))?)\s*){0,4}$")
# ... or named right after it: "gains over 2 mm in mean joint position error", "0.8 cm in ATE".
_PHYS_METRIC_AFTER = re.compile(r"\s+(?:in|of|on)\s+(?:the\s+)?(?:[\w-]+\s+){0,5}?(?:(?i:errors?|distances?|deviations?|drift|"
                                r"displacements?|offsets?|accuracy|precision)\b|(?:MAE|RMSE|ATE|RPE|CD|EPE|ADE|FDE|[A-Z]*MPJPE)(?![\w@]))")
# ... or as the head of the compound the unit opens: "a 2.4 degree heading error", "3.1 mm mean position error" (17-widen);
# "a 5 cm error tolerance" (a bound the work sets) stays a setting.
_PHYS_ERROR_NOUN = re.compile(r"(?:[ -]+[A-Za-z][\w-]*){0,3}?[ -]+(?:errors?|deviations?|drift)\b"
                              r"(?![ -]+(?:tolerances?|thresholds?|bounds?|margins?|budgets?|limits?|ranges?)\b)")


def _phys_error_noun_after(text: str, end: int) -> bool:
    """Whether an error noun heads the compound that the length or angle ending at ``end`` opens."""
    near = text[end:end + 48]
    return ("rror" in near or "deviat" in near or "drift" in near) and _PHYS_ERROR_NOUN.match(text, end) is not None


_U_BITS = re.compile(r"\s?bits?\s+per\s+(?:weight|parameter|param|value|element)", re.I)
_U_BITSET = re.compile(r"\s?-?\s?bits?\b", re.I)
# A compression verb with "to" right before a bit width: the width reached is the result, not a setting.
_COMPRESSED_TO = re.compile(r"\b(?:compress\w*|quantiz\w*|quantis\w*|reduc\w*|shrink\w*|lower\w*)\b[^.;:]{0,40}?\b(?:to|down to|"
                            r"at|with)\s+(?:only\s+|just\s+|about\s+|around\s+|~|\$?\\sim\$?\s*)?$", re.I)
_U_HW = re.compile(r"\s+(?:NVIDIA\s+|AMD\s+|Intel\s+)?(?:[A-Z0-9]+\s+)?(?:GPUs|CPU cores|cores|CPUs|TPUs|NPUs|nodes|machines)\b")
# A memory size that names a hardware model ("80GB GPUs", "40 GB A100 GPUs", "64GB Neural Processing Units").
_HW_NOUN = re.compile(r"\s?-?\s?(?:(?:NVIDIA\s+|AMD\s+)?[A-Z][A-Za-z]*\d[\w-]*\s+)?(?:GPUs?|cards?|devices?|accelerators?|"
                      r"NPUs?|TPUs?|HBM|(?:Neural|Graphics|Tensor) Processing Units?)\b")
# ... but "GPU memory" after the bytes ("uses under 2GB GPU memory", "12 GB of GPU memory") is the memory a run takes, a figure
_GPU_MEMORY = re.compile(r"\s+(?:memory|RAM|VRAM)\b", re.I)
_HW_OF_BEFORE = re.compile(r"(?:\b(?:GPUs?|CPUs?|TPUs?|NPUs?|cards?|laptops?|phones?|boards?)|\b[A-Z]{2,}\s?\d{3,4}(?:\s?Ti)?)\s+"
                           r"(?:of|with|having)\s+$")  # "with only 16 GB" is hardware needed as an achievement: a cost
_U_BENCH = re.compile(r"[\s-]+(?:[\w-]+[\s-]+)?(?:Q\\?&A\s+)?(?:benchmark|dataset|corpus|collection)\b", re.I)  # "a 9,000-item Q&A benchmark"
_N_TOKENS = re.compile(r"\s*-?\s*(?:(?!\d)\w+\s+)?(?:tokens?|(?:sequence|context|input)\s+length)\b", re.I)
_N_PARAMS = re.compile(r"\s*-?\s*(?!dim\w*\b|D\b)(?:(?!\d)\w[\w-]*\s+)?param(?:eter)?s?\b(?!(?<=[rm])-\w)", re.I)  # "20 task-specific parameters"
_N_MODEL = re.compile(r"\+?\s*-?\s*(?:(?:parameter|param|sized?|scale)\s+)?(?:[A-Za-z][\w.-]*\s+){0,2}?"
                     r"(?:[A-Za-z][\w.]*-)?(?:models?|LLMs?|MLLMs?|VLMs?|LMs?|networks?|transformers?|backbones?|variants?|versions?|"
                     r"evaluators?|agents?|encoders?|decoders?|students?|teachers?)\b")
# A size bound in words that selects a class of models ("LLMs with fewer than 10B parameters", "models with over 100B
# parameters"): which models a finding or a comparison is about, like "models with leq 4B parameters".
_MODELS_BOUND = re.compile(
    r"\b(?:models|[SLV]?LMs|LLMs|MLLMs|networks)\b[^.;:]{0,25}?\b(?:with|having)\s+(?:fewer than|less than|under|below|at most)"
    r"\s+$|\b(?:match|exceed|outperform|surpass|rival|beat)\w*\b[^.;:]{0,40}?\b(?:models|[SLV]?LMs|LLMs|MLLMs|networks)\b"
    r"[^.;:]{0,25}?\b(?:with|having)\s+(?:over|more than|above)\s+$|"  # lower bounds only on models compared with
    r"\b(?:only|models|[SLV]?LMs|LLMs|MLLMs|networks)\s+(?:beyond|above|below|under|over)\s+$", re.I)  # "only beyond 14B"
# A class of models named by a size bound after "for"/"among" ("a new standard for a compact tagger with less than 1B
# parameters", "the best among models with fewer than 3B parameters"): which models a standing holds for, like "models
# with leq 4B parameters", in the singular too.
_CLASS_BOUND = re.compile(r"\b(?:for|among)\s+(?:the\s+)?(?:class of\s+)?(?:an?\s+)?(?:[\w-]+\s+){0,4}?(?:models?|[SLV]?LMs?|LLMs?|"
                          r"MLLMs?|networks?|[a-z]+ers?)\s+(?:with|having)\s+(?:fewer|less)\s+than\s+$", re.I)
_OWN_MODEL = re.compile(r"\b(?:our|a|an|with a|at the|the (?:proposed|resulting|final))\s+(?:[\w-]+\s+)?$", re.I)
_OTHERS_MODEL = re.compile(r"\b(?:outperform\w*|surpass\w*|(?<!less )(?<!fewer )(?<!more )than|such as|like|compared (?:to|with)|vs\.?|versus|"
                           r"rival\w*|beat\w*|match\w*|exceed\w*|including|e\.g\.,?)\s+(?:the\s+)?(?:[\w.-]+\s+)?"
                           r"(?:\w+\s+models?\s+\((?:e\.g\.,?\s+)?)?$", re.I)  # "surpasses larger models (e.g., 13B"
# ... also findings validated or ablated on models, whose sizes follow a colon ("we validate this via ablations on two
# open taggers: one with 1.2B and another with 6B parameters"): the models the analysis runs on, not the work's.
_EVALUATED_MODELS = re.compile(r"\b(?:(?:evaluat\w*|experiments?|benchmark(?:ed|ing)|(?<=we )benchmark|assess\w*|test(?:s|ed|ing)?|prob(?:e|es|ed|ing)|"
                               r"compar\w*|audit\w*)\b(?:(?!\.\s)[^;:]){0,60}|(?:validat\w*|ablat\w*)\b(?:(?!\.\s|\bour\b|\bown\b)[^;:]){0,100})"
                               r"\b(?:models|[SLV]?LMs|MLLMs|LLMs|families|checkpoints|architectures|"
                               r"model(?:-\w+)?\s+(?:pairs|combinations|configurations))\b"
                               r"(?::\s+one\b)?(?:(?!\.\s)[^;:])*$", re.I)
_NAME_BEFORE = re.compile(r"\b[A-Z][\w.]*(?:-[\w.]+)*\s+$")
_N_RES = re.compile(r"\s?-?\s?resolution\b", re.I)
_VIDEO_AFTER = re.compile(r"\s?-?\s?(?:(?:video|UAV|HDR|UHD|camera|drone)\s+[a-z]|video\b(?!s)|(?:streams?|footage|displays?|"
                          r"monitors?|screens?|TVs?)\b)", re.I)  # "4K videos" alone may count 4,000 videos
# The counted noun a word or two after a suffixed number; relative pronouns, auxiliaries and prepositions end the
# noun phrase ("Qwen2.5 7B that answers ..." counts nothing).
_N_COUNT = re.compile(r"\+?\s+(?:of\s+)?(?:(?!(?:that|which|who|whose|where|when|while|is|are|was|were|has|have|can|"
                      r"will|to|and|or|with|in|on|for|from|by|as)\b)(?:[a-z][a-z-]*(?:/[a-z][a-z-]*)?|[1-9]D)\s+){0,2}?([a-z][a-z-]*s)\b")
# Coordinated adjectives between a count and its noun (17-count5): "1,200 diverse and realistic tasks", "141 paired indoor
# and outdoor panoramas", "1,000 challenging, unambiguous questions". "and"/"or" and a comma join two modifiers only after
# a word that is no plural noun and before a word that opens no new noun phrase ("12 hospitals and patients", "40 sites,
# the ...": the count's noun came first).
_COORD_ADJ = (r"(?<![\d+%sS] )(?:and|or)(?=\s+(?!(?:the|a|an|our|their|its|his|her|other|more|less|fewer|many|most|"
              r"all|each|every|some|then|also|thus|so)\b)[a-z])|[a-z]+(?<![sS]),(?=\s+(?!(?:and|or|the|a|an|our|their|its|"
              r"which|who|that|with|while|where|each|every|all|some|including|such|from|for|in|on|of)\b)[a-z])")
# Counted nouns (unit count): data items and study participants. A count is a claim where the work builds,
# collects or studies them ("a dataset of 812 images", "with 16 clinicians", "N = 204"), or needs only that
# many ("using only 16 images": cost); not where it merely evaluates on them.
_ITEM_NOUNS = (r"images|photos|videos|clips|samples|instances|examples|questions|queries|problems|tasks|puzzles|"
               r"pairs|triples|triplets|prompts|dialogues|conversations|documents|articles|books|pages|sentences|"
               r"utterances|scenes|scans|cases|records|entries|annotations|ratings|responses|trajectories|"
               r"demonstrations|episodes|items|lines of code|repositories|programs|essays|reviews|products|"
               r"posts|tweets|recordings|specimens|volumes|slides|molecules|proteins|objects|scenarios|turns|"
               r"passages|captions|texts|words|poems|stories|games|apps|websites|images?-text pairs|sequences|"
               r"transcripts|notes|reports|videos|instructions|papers|charts|tables|proofs|theorems|snippets|"
               r"commits|patches|traces|segments|movies|songs|meshes|sketches|3D models|CAD models|"
               r"frames(?=\s+(?:annotated|labeled|labelled|captured|recorded|collected))")
# What a method needs only so many of ("after just 10 training steps", "only 10 clicks"): cost.
_ONLY_NOUNS = re.compile(r"\s+(?:[\w'’-]+\s+){0,3}?(?:steps|iterations|epochs|clicks|labels|shots|examples|samples|images|"
                         r"demonstrations|annotations|queries|calls|GPUs|GPU hours)\b", re.I)
# Any plural noun counts data the work built when the build cue is explicit and the count is large ("comprising
# 3,412 annotated radiographs", "a corpus of 2,700 Reddit and Quora threads"); nouns of a design or setting do not.
_N_GENERIC = re.compile(r"\+?\s+(?:of\s+)?(?:[A-Z][\w-]*\s+(?:and|or)\s+)?(?:(?:(?!(?:that|which|who|where|when|while|is|are|was|were|"
                        r"has|have|can|will|to|and|or|of|from|with|in|on|for|by|as|at)\b|\d(?!D\b))[\w'’/-]+|" + _COORD_ADJ + r")\s+){0,4}?"
                        # a plural acronym of built items ("1,449 annotated NERs"), not hardware or models
                        r"([a-z][a-z-]*[a-rt-z]s|(?!(?:[GCTN]PU|FPGA|[SLVM]*LLM|[SLV]?LM|FLOP|TOP|API|MoE)s\b)[A-Z]{2,5}s)\b(?![-'’])")
# Verbs of making items by hand or by program (17-count5): "we craft 900 puzzles", "synthesizing 12,000 dialogues"; a critic
# "who wrote" is others' work. Build verbs of both _BUILT_DATA and _COUNT_BUILD.
_MAKE_VERBS = r"(?:hand-?)?craft\w*|synthesi[sz]\w*|assembl\w*|(?<=we )wr(?:ite|ote)|authored"
# The build cues strong enough for any noun: the verb makes or assembles data, or a data word is named
_BUILT_DATA = re.compile(r"\b(?:result(?:s|ed|ing)? in|consist(?:s|ed|ing)?|compris\w*|contain\w*|collect\w*|annotat\w*|curat\w*|construct\w*|"
                         r"compil\w*|creat\w*|generat\w*|build\w*|built|releas\w*|" + _MAKE_VERBS + r")\b", re.I)
_EVAL_IN_WINDOW = re.compile(r"\b(?:evaluat|validat)\w*\b(?![^.;]*\b(?:construct|build|built|creat|collect|curat)\w*)[^.;]*$",
                             re.I)
_DATA_WORD = re.compile(r"\b(?:dataset|benchmark|corpus|collection|database|archive|suite)\b", re.I)
_GENERIC_EXCLUDED = re.compile(r"^(?:units|dimensions|channels|neurons|heads|parameters|params|tokens|bits|bytes|"
                               r"experts|nodes|hours|seconds|minutes|points|features|classes|labels|attributes|"
                               r"types|kinds|variables|rules|metrics|criteria|modules|blocks|filters|kernels|"
                               r"dims|pixels|frames|views|times|words|characters|subjects|meters|metres|miles|kilometers|"
                               r"degrees|steps|epochs|iterations|layers|analyses|runs|trials|seeds|timesteps|acres|hectares)$")
_PERSON_NOUNS = (r"participants|users|subjects|patients|clinicians|physicians|radiologists|doctors|annotators|"
                 r"raters|volunteers|students|experts|developers|workers|people|individuals|speakers|respondents|"
                 r"players|children|adults|gynecologists|surgeons|teachers|learners|professionals|females|males|"
                 r"women|men|households|employees|customers|listeners|viewers|nurses|caregivers|therapists|designers|engineers|"
                 r"trainees|residents|specialists|practitioners|pathologists|dermatologists|pharmacists|psychiatrists|"
                 r"psychologists|dentists|ophthalmologists|cardiologists|oncologists|crowdworkers|interviewees|pupils|"
                 r"citizens|farmers|lawyers|journalists|researchers|scientists|educators|instructors|programmers|analysts|"
                 r"athletes|drivers")  # eleventh round: more people who take part in a study
_N_ITEM = re.compile(r"\+?\s+(?:(?:(?!(?:and|or|of|from|with|in|on)\b|\d(?!D\b))(?:[\w'’]+(?:-[\w'’]+)+,|[\w'’-]+(?:\\?&[\w'’-]+)?)|"
                     + _COORD_ADJ + r")\s+){0,5}?(?:(?P<person>" + _PERSON_NOUNS + r")|(?P<item>" + _ITEM_NOUNS
                     + r"|(?<=\w )data(?!\s+(?:points?|sets?|used|for)\b)))\b", re.I)  # "collect 200K preference data"
_COUNT_BUILD = re.compile(
    r"\b(?:consist(?:s|ed|ing)?|compris\w*|contain\w*|includ\w*|total\w*|featur\w*|collect\w*|annotat\w*|curat\w*|"
    r"construct\w*|introduc\w*|present\w*|releas\w*|provid\w*|creat\w*|gather\w*|recruit\w*|compil\w*|"
    r"built|build\w*|produc\w*|generat\w*|yield\w*|span\w*|cover\w*|expand\w*|encompass\w*|dataset of|result\w* in|"
    r"benchmark of|corpus of|(?:dataset|benchmark|corpus|collection|suite) (?:with|containing)|"
    # more verbs that make data, and a data word that has its items ("the corpus has 9,000 letters")
    r"develop\w*|crowd-?sourc\w*|(?:dataset|benchmark|corpus|collection|suite|set) (?:has|have|had|holds?)|"
    + _MAKE_VERBS + r"|"
    r"collection of)\b:?(?:[^.;:]|(?<=\d)\.(?=\d))*$|"
    # a data word introducing its contents after a colon: "the Quill Dataset: over 9,000 curated letters"
    r"\b(?:dataset|benchmark|corpus|collection|suite|database)s?\s*:\s*(?:(?:over|about|nearly|around|approximately)\s+)?$",
    re.I)
# People a study of the work involved, even when it evaluates: "an evaluation with 28 users".
_STUDY_WITH = re.compile(r"\b(?:with|involv\w*|among|recruit\w*)\s+(?:(?:about|around|over|nearly|only|just)\s+)?$", re.I)
_PERSON_CUE = re.compile(r"\b(?:with|from|among|by|involv\w*|of|recruit\w*|includ\w*)\s+(?:\w+\s+)?$", re.I)
_PARENTHETICAL = re.compile(r"\s*\([^()]*\)")
_COUNT_ONLY_WORDS = r"only|merely|just|as few as|as little as"
_COUNT_ONLY_LITERALS = _needed_literals(_COUNT_ONLY_WORDS, ignore_case=True)  # for _has_literal
_COUNT_ONLY = re.compile(r"\b(?:" + _COUNT_ONLY_WORDS + r")\s+(?:(?:requir|need|us|tak)(?:es|ed|ing|e|s)?\s+)?"
                         r"(?:about\s+)?$", re.I)
_COUNT_EVAL = re.compile(r"\b(?:evaluat\w*|test\w*|validat\w*|benchmark(?:ed|ing|s)|analy[sz]\w*|review\w*|train\w*|"
                         r"fine-?tun\w*|pre-?train\w*|using|use[sd]?)\b(?!\s+(?:sets?|splits?|partitions?|datasets?|corpus|corpora)\b)(?:\s+\w+){0,5}\s+(?:on|over|with|of|using)?\s*"
                         r"(?:about |around |over |nearly |almost |approximately )?$", re.I)  # "a training set / fine-tuning dataset of N" names data
# Data only evaluated on ("experiments conducted on a dataset containing one million samples"); unlike
# _COUNT_EVAL, training stays a claim here: "we train networks with up to 20 million memory slots".
_DATA_EVALUATED = re.compile(r"\b(?:evaluat\w*|test\w*|validat\w*|experiments?)\b(?:\s+[\w'’-]+(?:\.[\w-]+)*\.?){0,9}?\s+"
                             r"(?:on|over|with|of|using)?\s*(?:about |around |over |nearly |almost |approximately )?$",
                             re.I)
# A bare plural magnitude ("thousands of X") is the work's only when it built that data or handles that many
# ("scales to thousands of edits", "reconstructing millions of points"); else it sizes the world or others' work.
_BARE_PLURALS = frozenset(("thousands", "millions", "billions", "trillions"))
_HANDLES_BEFORE = re.compile(r"\b(?:scal|handl|process|reconstruct|render|serv|support|track)\w*\s+(?:up\s+)?(?:to\s+)?$",
                             re.I)
# A count after a comparison with a definite other ("than the 9 million images of X", "unlike the 300 pages of Y"):
# the size of another's data, not of the work's.
_OTHERS_COUNT = re.compile(r"\b(?=\w)(?:than|unlike|compared (?:to|with)|versus|vs\.?|(?:portion|fraction|subset|share|part) of)\s+"
                           r"(?:the|those|that|these|its|their)\s+"
                           r"(?:(?:about|around|over|nearly|roughly|some)\s+)?$", re.I)
# Data trained or analysed on ("trained on over 3 million molecules", "analysing ... across 1.2 million posts"): a
# setting; training *with* a size ("we train networks with up to 20 million memory slots") is not data.
_TRAINED_ON = re.compile(r"\b(?:train|fine-?tun|pre-?train|analy[sz])\w*\s+(?:[\w-]+\s+){0,4}?(?:on|across)\s+"
                         r"(?:about |around |over |nearly |almost |approximately |more than )?$", re.I)
# A share of the people or items studied ("in 71% of the cases", "64% of respondents preferred"): a finding, kind
# other, unless a verb of success measures it ("solves 45% of the tasks" is accuracy).
_SHARE_OF = re.compile(r"\s*of\s+(?:the\s+|all\s+|our\s+)?(?:(?!(?:in|of|for|on|at|to|from|with)\b)[\w-]+\s+){0,2}?(?:" + _PERSON_NOUNS + "|" + _ITEM_NOUNS
                       + r")\b", re.I)
_TAKES_BEFORE = re.compile(r"\b(?:in|within|takes?|took|taking)\s+(?:(?:only|just|about|around|under|less than)\s+)?$",
                           re.I)
_SUCCESS_ADVERB = re.compile(r"\b(?:successfully|correctly|accurately)\b", re.I)
_TENS = "twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety"
_UNITS = "one|two|three|four|five|six|seven|eight|nine"
_AFTER_TENS = re.compile(r"\b(?:" + _TENS + r")-$", re.I)  # "two" of "forty-two" is read with its tens
_WORD_COUNT = re.compile(r"\b(?P<n>(?:" + _TENS + r")-(?:" + _UNITS + r")\b|" + "|".join(w for w in SMALL_WORDS if len(w) > 2 and w != "one") + r")\s+"
                         r"(?:(?!(?:and|or|of|from|with|in|on)\b|\d)[\w'’-]+\s+){0,3}?(?:(?P<person>" + _PERSON_NOUNS + r")|(?P<item>" + _ITEM_NOUNS
                         + r"))\b", re.I)
def _first_letter_alternation(words: list[str], letter_before: bool = True) -> str:
    """``\b(?:w1|w2|...)\b`` grouped by first letter, so the pattern starts with a character class; without
    ``letter_before`` the test that no letter comes before a word is left to the caller."""
    rest: dict[str, list[str]] = {}
    for w in sorted(words, key=len, reverse=True):
        rest.setdefault(w[0], []).append(w[1:])
    guard = "(?<![a-z]{c})" if letter_before else ""
    return "(?:" + "|".join(f"{c}{guard.format(c=c)}(?:{'|'.join(r)})" for c, r in rest.items()) + r")\b"


_COUNT_NOUN_SET = frozenset(w for alt in (_PERSON_NOUNS, _ITEM_NOUNS) for phrase in alt.split("|")
                            for w in phrase.split()[-1:] if w.isalpha())
# Nouns of what the work needs only so many of ("just four GPUs"): counted only after a need word (_counts_a_noun).
_NEED_NOUN_SET = frozenset("gpus tpus cpus nodes machines steps iterations epochs clicks labels shots calls".split())
_NUMBER_WORD_SET = frozenset(w for w in SMALL_WORDS if len(w) > 2 and w != "one")
_NUMBER_WORD = re.compile(_first_letter_alternation(sorted(_NUMBER_WORD_SET)))
# _NUMBER_WORD's words, scanned over " " + the lower-cased text from the non-letter before each word (the match starts
# one early): the engine skips to that class of rarer characters, in ~60% of the time of scanning for first letters.
_NUMBER_WORD_SCAN = re.compile("[^a-z]" + _first_letter_alternation(sorted(_NUMBER_WORD_SET), letter_before=False))
# Any number word of _NUMWORD (lower case): a sentence without one has no "five times" and no "two hours".
_ANY_NUMBER_WORD = re.compile(_first_letter_alternation(sorted(w for w in SMALL_WORDS if len(w) > 2)))
# The cues an abstract needs for a claim besides a digit: word keys as substrings of the lower-cased text,
# number words as whole words. extract_claims finds them for all abstracts in one vectorised polars pass (valid
# in Python and in polars' Rust regex) and passes them on; claims_in_text alone finds them in Python.
WORD_KEY_PATTERN = "(?i)" + "|".join(_WORD_KEYS)
NUMBER_WORD_PATTERN = r"(?i)\b(?:" + "|".join(sorted(_NUMBER_WORD_SET)) + r")\b"
_NUMBER_WORD_ANY = re.compile(NUMBER_WORD_PATTERN)
ONE_NEEDED_CUE = r"(?i)\b(?:only|just|merely) one "  # "just one epoch" (_ONE_NEEDED) in an abstract without digits
_MAGNITUDE_AFTER = re.compile(r"[\s-]+(?:hundred[\s-]+)?(?:thousand|million|billion|trillion)\b", re.I)
_ORDINAL_BEFORE = re.compile(r"\b(?:grade|level|stage|phase|round|version|tier|year|session|wave|lesson|chapter)\s$", re.I)
_CAPS_NAME_BEFORE = re.compile(r"\b[A-Z][A-Z0-9]*[A-Z]\s$")
_TITLE_NAME_BEFORE = re.compile(r"\b[A-Za-z]+\s+[A-Z][a-z]+\s$")  # "Pascal Context 59", "on Track 2": part of a name
_N_EQUALS = re.compile(r"\b[Nn]\s*=\s*$")
_EXCLUDED_COUNT_NOUNS = re.compile(
    r"^(?:datasets|benchmarks|tasks|baselines|contributions|models|languages|years|months|days|layers|heads|"
    r"improvements|gains|results|errors|drops|increases|reductions|speedups|achieving|"
    # verbs in the third person are not counted nouns ("Gemma 3-27B produces ...")
    r"produces|achieves|outperforms|shows|yields|performs|reaches|improves|requires|uses|runs|surpasses|"
    r"matches|obtains|attains|lifts|gets|beats|exceeds|delivers|enables|allows|provides|offers|needs|takes|"
    r"makes|generates|remains|leads|boosts|reduces|increases|demonstrates|"
    r"continues|ranks|scores|trails|lags|rivals|competes|excels|retains|maintains|establishes|wins|holds|stays|fails|succeeds|"
    r"epochs|steps|times|ways|parts|components|stages|experiments|settings|methods|categories|classes|scales|"
    # words ending in s that are no nouns, and sizes of model variants ("Llama 70B was", "in 7B and 72B sizes")
    r"was|is|has|does|as|its|this|thus|plus|across|less|unless|always|whereas|us|sizes|variants|versions|"
    r"parameters|params)$")  # "90B+ parameters": a size, read by the parameter rules, not a count (17-count5)

_MATH_RANGE_SEP = re.compile(r"\s*(?:--?|–|to)\s*\$(?=\d)")  # after a first end whose math closed: "$1\%$ to $5\%$"
_RANGE_SEP = re.compile(r"\s*(?:--?|–|—|~|∼|\$?\\sim\$?|sim|to)\s*(?:(?:over|under|about|nearly|around|approximately)\s+)?(?=\d)")
_LIST_SEP = re.compile(r"(?:\s*\([^()]{1,24}\)|(?P<on>\s+(?:on|in|for))\s+(?:the\s+)?[A-Z][\w.+-]*(?:\s+(?:[A-Z][\w.+-]*|\d{2,4}(?![\d.%])))?)?(?:\s*,\s*(?:and\s+|or\s+)?|\s+and\s+|\s+or\s+|\s*/\s*|\s+vs\.?\s+|\s+versus\s+)(?:(?:by|to|up to|about|around|nearly|over)\s+|[~≈∼]\s?)?(?=\d)")
_SHARED_NOUN_SEP = re.compile(r"\s+[A-Z][a-z]+\s+(?:and|or)\s+(?=\d)")
_ASIDE = re.compile(r"\s*\([^()]{1,40}\)(?=\s+to\s)")
_ARROW_SEP = re.compile(r"\s*(?:→|->|⟶|\$?\\(?:rightarrow|to|longrightarrow)\$?)\s*(?=\$?\d)")  # "28.5%$\rightarrow$71.4%"
_MONEY_SIGN = re.compile(r"(?:US)?\\?\$?")  # always matches
_FROM_TO_SEP = re.compile(r"\s+to\s+(?:(?:over|under|about|nearly|around|approximately|roughly|just|only)\s+)?(?=(?:US)?\\?\$?\d)")

_WORD_QTY = re.compile(  # (?=[\w.]): every match starts with a letter, a digit or the dot of ".5"; see _KIND_RE
    r"\b(?=[\w.])(?:(?P<vague>tens|dozens|hundreds)\s+of\s+)?(?:(?:(?P<hundreds>" + _NUMWORD + r"|\d+)[\s-]+(?=hundred\b))?"
    r"(?P<pre>" + _NUMWORD + r"|an?|" + _NUM + r")[\s-]+)?"
    r"(?P<mag>thousand|million|billion|trillion)(?P<pl>s)?\b(?!-(?!param|token))", re.I)  # "7.6-billion-parameter", "a 2-trillion-token corpus"
_VAGUE_RANGE = re.compile(
    r"\b(?:tens|dozens|hundreds|thousands|millions|billions|trillions)\s+(?:to|or)\s+(?:even\s+)?"
    r"(?:tens|dozens|hundreds|thousands|millions|billions|trillions)\b", re.I)
_WORD_X = re.compile(  # (?=\w) as in _KIND_RE: every alternative starts with a letter
    r"\b(?=\w)(?:(?P<om>(?:(?P<omn>an?|one|two|three|four|five|six)[\s-]+)?orders?[\s-]+of[\s-]+magnitude)|"
    r"(?P<nw>" + _NUMWORD + r")[\s-]+(?:times|fold)\b|(?P<nwf>two|three|four|five|ten)fold\b(?!\s*[:;,.]|\s+(?:\w+\s+)?(?:framework|approach|contributions?|goals?|aims?|purposes?|"
    r"objectives?|strategy|design|structure|manner|way|process|analysis|task|problem|method))|(?P<twice>twice)\b|"
    r"(?P<dbl>doubl(?:es|ed|ing)|tripl(?:es|ed|ing)|quadrupl(?:es|ed|ing))\s+(?:the|its|their|our|a|an)\b|"
    # ... or a result noun with no article: "doubles convergence speed", "triples training throughput"
    r"(?P<dblr>doubl(?:es|ed|ing)|tripl(?:es|ed|ing)|quadrupl(?:es|ed|ing))(?=\s+(?:[\w-]+\s+)?(?:speed|throughput|efficiency|"
    r"accuracy|performance|speedups?|bandwidth)\b)|"
    r"(?P<half>(?<!-)\bhalf\b(?!-)(?!\s+from\b))|"
    # "halving the error": a cut by 50% of a result (not "halving the learning rate", a setting)
    r"(?P<halv>halv(?:es|ed|ing))\s+(?:the\s+|its\s+|their\s+|our\s+)?(?:[\w-]+\s+){0,2}?(?:errors?|memory|latency|"
    r"(?:inference |training |run)?time|costs?|compute|parameters|size|footprint|runtime|energy|FLOPs|hallucinations?|"
    r"gap|overhead|storage)\b)", re.I)  # "half from X and half from Y": a composition
# Percents and percentage points in words ("two percentage points", "five percent") and rates in words ("at least one
# image per second"): scanned only in sentences that say "percent" or "per second".
_WORD_PCT_RATE = re.compile(
    r"\b(?:(?P<pw>(?:(?:" + _TENS + r")-)?(?:" + _NUMWORD + r"))[\s-]+(?P<pu>percentage[\s-]points?|percent|per cent)\b|"
    r"(?P<rw>" + _NUMWORD + r")\s+(?:[a-z-]+\s+)?(?:images?|frames?|tokens?|samples?|queries|query|pages?|requests?|"
    r"sentences?|words?)\s+(?:per|each)\s+second\b)", re.I)
_WORD_TIME = re.compile(  # \b(?=\w): a number word starts a word; tried there only, not its 12 lookbehinds everywhere
    r"\b(?=\w)(?:(?<=\bin )|(?<=\bwithin )|(?<=\bunder )|(?<=\baround )|(?<=\babout )|(?<=\bjust )|(?<=\bonly )|"
    r"(?<=\bthan )|(?<=\btakes )|(?<=\btook )|(?<=\bapproximately )|(?<=\broughly ))"
    r"(?P<n>" + _NUMWORD + r")\s+(?P<u>milliseconds?|seconds?|minutes?|hours?|days?|weeks?)\b", re.I)
_HALF_BAD_BEFORE = re.compile(r"\b(?:first|second|latter|former|other|one)\s+$", re.I)
_WORD_QTY_LOWER, _VAGUE_RANGE_LOWER, _WORD_X_LOWER = map(_lower_case, (_WORD_QTY, _VAGUE_RANGE, _WORD_X))  # _finditer_lower

# Kind keywords: (regex, kind).  After-window: first hit wins; before-window: nearest hit wins.
_KIND_WORDS = [
    # Tokens and steps the work spends (docs/claims_decisions.md, ninth round): the length of what a model generates
    # ("reasoning length", "response length"), tokens generated and training steps are compute spent, kind cost;
    # context and sequence lengths handled stay scale. First, so that "length compression" is not read as "length".
    (r"(?:reasoning|response|output|thinking|completion|answer|cot|chain-of-thought)[- ](?:lengths?|tokens?)(?!\s*(?:/|per\s))"
     r"(?:\s+(?:compression|reduction|savings?))?|generated tokens?|"
     r"length(?<!sequence length)(?<!context length)(?<!input length) compression|training (?:steps|iterations|epochs)", "cost"),
    (r"speed-?ups?|speed|faster|slower|latency|latencies|throughput|accelerat\w*|wall[- ]clock|inference time|"
     r"runtime|run time|training time|frame rates?|(?<!of the )time(?!s\b)|(?:inference|training|running|response|execution|"
     r"processing|wall-clock) times|decoding|accept(?:ed|ance) lengths?|tokens?/s|FPS|frames per second|convergence|"
     r"(?:training |optimization |denoising |sampling |inference )?(?:steps|iterations|epochs)", "speed"),
    (r"parameters?|params|parameter count|weights(?! (?:of|for|in|on|to)\b)", "parameters"),
    (r"memory|footprint|activations?|storage|cach(?:ed|ing)|compression (?:rates?|ratios?)|compression|compress\w*|model size|bit-?rates?|"
     r"cache|VRAM|DRAM|bandwidth", "memory"),
    (r"accuracy|accurate(?:ly)?|score|scor(?:ed|ing)|gained|effectiveness|consistency|agreement|fidelity|faithfulness|coherence|BLEU\d?|ROUGE|perplexity|success rate|acceptance rate|forgetting|F1|mAP|"
     r"precision|recall|error|quality|win rate|pass@\d+|exact match|performance|perform(?:s|ed)|better|worse|"
     r"outperform\w*|exceed\w*(?=[^,;]*\bby\s)|improv\w*|rates?|metrics?|"
     r"surpass\w*|top-\d+|success(?:ful(?:ly)?)?|detection rate|hit rate|gains?|robustness|distances?|divergences?|hallucinat\w*|"
     r"(?:aps?|ap\d+|m?iou|auc|auroc|psnr|"
     r"ssim|ndcg(?:@\d+)?|mrr|dice|wer|cer|fid|fvd|lpips|rmse|mae|mse|eer)\b", "accuracy"),
    (r"context(?!-[a-z])|sequence length|sequence|batch size|tokens|length|longer|larger|bigger|enlarg\w*|expand\w*|window|scal\w*|"
     r"videos?|slots|set size|resolution", "scale"),
    (r"energy|cost(?:s|ly|ing)?|power|dollars?|GPU hours|compute|computation|computational|FLOPs|efficiency|cores|GPUs|emissions?|carbon",
     "cost"),
]
# One leading \b for all the alternatives (not one per alternative): the same matches, scanned ~35% faster; every
# keyword starts with a letter, so (?=\w) turns away the boundaries at word ends before the ~100 alternatives (~40%)
# Kind words are whole words, a plural allowed: a word that only starts with one ("Videoly", "powerful", "timestep") names
# nothing (docs/claims_decisions.md, eighth round).
_KIND_RE = re.compile(r"\b(?=\w)(?:" + "|".join(f"(?P<k{i}>{p.lower()})" for i, (p, _) in enumerate(_KIND_WORDS)) + r")(?=s?\b)")
_DIR_WORDS = [
    (r"reduc\w*|fewer(?!\s+than)|less(?!\s+than)|lower\w*|decreas\w*|cuts?|cutting|sav\w*|shrink\w*|compress\w*|smaller|drops?|trim\w*|"
     r"minimi\w*|down to|slash\w*|slower|shorter|shorten\w*", "decrease"),
    (r"faster|speed-?ups?|higher|more(?!\s+than)|improv\w*|increas\w*|boost\w*|accelerat\w*|outperform\w*|outpac\w*|"
     r"extend\w*|longer|larger|lift|gains?|doubl\w*|twice|surpass\w*|overhead|additional|better(?!\s+than)|"
     r"scal\w*|enlarg\w*|expand\w*|exceed\w*(?=[^,;]*\bby\s)|enhanc(?:es|ing|ements?)\b", "increase"),
]
_DIR_RE = re.compile(r"\b(?=\w)(?:" + "|".join(f"(?P<d{i}>{p.lower()})" for i, (p, _) in enumerate(_DIR_WORDS)) + ")")
_ABS_DEC = re.compile(r"\b(?=\w)(?:reduc\w*|decreas\w*|cut\w*|shrink\w*|compress\w*|sav\w*|down to|lower\w*|drops?|dropp\w*|"
                      r"falls?|fell|falling|declin\w*)\b", re.I)
_ABS_INC = re.compile(r"\b(?=\w)(?:gains?|increas\w*|extend\w*|expand\w*|grow\w*|improv\w*|boost\w*|enlarg\w*|rais\w*|lift\w*)\b",
                      re.I)
# A margin over others ("outperforms X by 2.1 points"): an increase only when "by"/"over" gives the number as the margin.
_ABS_MARGIN = re.compile(r"\b(?:outperform\w*|surpass\w*|exceed\w*|beat\w*)\b[^,;]*\b(?:by|(?<!with )over)\s+(?:up to\s+|about\s+|around\s+|over\s+|"
                         r"nearly\s+|an average of\s+|on average\s+)?[+]?\$?$", re.I)
# A comparative right after the unit gives the direction as worded ("4.1 points higher than X", "1.2 points worse";
# docs/claims_decisions.md, 17-widen).
_COMPARATIVE_AFTER = re.compile(r"\s+(?:(better|higher|greater)|(lower|worse))\b")
_OVER_AFTER = re.compile(r"\s+(?:over|above)\s+(?:the\s+)?[A-Z\w]")  # "2.1 points over LoRA": a gain over a baseline
_CLAUSE_END = re.compile(
    r"[,;:.()\[\]]|\b(?:while|whereas|but|without|and|compared|respectively|than|over|with|using|across|on|at|when|by|"
    r"via|for|relative|versus|vs)\b")
_CLAUSE_START = re.compile(r"[;:\[\]]|\.(?!\d)|\b(?:while|whereas|but)\b")


# --------------------------------------------------------------------------- helpers
def _parse_num(s: str) -> float:
    return float(s.replace(",", ""))


def _is_identifier(text: str, s: int, e: int) -> bool:
    """True if the number at text[s:e] is part of a name/identifier."""
    if s > 0:
        c = text[s - 1]
        if c.isalpha() or c in "_'’/@":  # "@": a metric's cut-off ("MRR@10", "mAP@50:95")
            return True
        if c == ":" and "@" in text[max(0, s - 6):s - 1]:
            return True
        if c in "-‐" and s > 1:
            j = s - 1
            while j > 0 and not text[j - 1].isspace():
                j -= 1
            if any(ch.isalpha() for ch in text[j:s - 1]):
                return True
        if c == "." and s > 1 and text[s - 2].isalnum():
            return True
    return False


@dataclass
class _Mention:
    start: int
    end: int           # end of number+unit
    value: float
    low: float | None
    unit: str | None   # None: bare number (may inherit in a list)
    scale: str
    suffix: str = ""   # raw K/M/B/T suffix of a bare number
    drop: bool = False  # matched an excluded setting (keeps list structure, never emitted)
    moved: str = ""     # "from A to B": the direction the value moved
    cost: bool = False  # a count of what the work needs only so many of ("only 16 images")
    money: bool = False  # an amount of money ("\\$148K", "20 USD"): a cost
    score: bool = False  # successes out of a total ("solves 17 out of 20 tasks"): accuracy
    factor: float = 1.0  # the conversion a written unit applied ("120 ms" -> 0.12: 0.001), for a bare other end
    repeat: bool = False  # "the 1.5B model": a parameter count only if the work's own model of that size came earlier


def sentence_spans(text: str) -> list[tuple[int, int]]:
    return _sentences_and_digits(text)[0]


def _sentences_and_digits(text: str) -> tuple[list[tuple[int, int]], list[int]]:
    """The sentence spans of ``text`` and the offsets of its free digits (_SENT_END_OR_FREE_DIGIT), in one scan."""
    spans, digits, pos = [], [], 0
    for m in (_SENT_END_OR_FREE_DIGIT_ASCII if text.isascii() else _SENT_END_OR_FREE_DIGIT).finditer(text):
        if m.group(1) is None:
            digits.append(m.start())
        else:
            spans.append((pos, m.start(1)))
            pos = m.end()
    spans.append((pos, len(text)))
    return spans, digits


_CHALLENGE_REACH = re.compile(r"\b(?:challenge|competition|shared task)\b[^.;]{0,30}?\b(?:attract(?:ed|s)|receiv(?:ed|es)|drew)\s"
                              r"(?:[a-z ]{0,20})\d")


def is_background(sent: str) -> bool:
    if sent.rstrip().endswith("?"):
        return True
    low = sent.lower()  # the scanned cue patterns run case-sensitively on lower case, which Python's engine does faster
    if _SELF_LOW.search(low):
        return False
    if ("challenge" in low or "competition" in low) and _CHALLENGE_REACH.search(low):
        return False  # "the challenge attracted 214 teams": the challenge the work ran, not a hard problem (17-count5)
    if ("experiment" in low or "result" in low or "evaluation" in low) and _RESULTS_SUBJECT.match(sent):
        return False  # "Experiments with X demonstrate ... but reveal challenges": the work's experiments report
    if _MOTIV_START.search(sent) or _MOTIV_ANY.search(low) or _OTHERS_SUBJECT.search(sent):
        return True
    if ("world" in low or "global" in low or "population" in low) and _WORLD_SHARE.search(low):
        return True
    return ("challeng" in low or "limit" in low) and _MOTIV_RARE.search(sent) is not None


# The first-character gates (_first_chars) of the patterns tried right after a number: its unit, a range or a list.
_PLUS_MINUS_FIRST, _U_USD_FIRST, _U_DIM_FIRST, _U_PP_FIRST, _U_PCT_FIRST, _U_X_FIRST, _U_BYTES_FIRST, _U_BITS_FIRST, \
    _U_YEARS_FIRST, _U_PHYS_FIRST, _U_BITSET_FIRST, _U_RATE_FIRST, _U_FLOPS_FIRST, _U_TIME_FIRST, _U_ENERGY_FIRST, \
    _U_SUFFIX_FIRST, _U_POINTS_FIRST, _U_HW_FIRST, _U_BENCH_FIRST, _N_TOKENS_FIRST, _N_PARAMS_FIRST, _OUT_OF_FIRST, \
    _RANGE_SEP_FIRST, _FROM_TO_SEP_FIRST, _ARROW_SEP_FIRST, _LIST_SEP_FIRST, _SHARED_NOUN_SEP_FIRST = map(_first_chars, (
        _PLUS_MINUS, _U_USD, _U_DIM, _U_PP, _U_PCT, _U_X, _U_BYTES, _U_BITS, _U_YEARS, _U_PHYS, _U_BITSET, _U_RATE, _U_FLOPS,
        _U_TIME, _U_ENERGY, _U_SUFFIX, _U_POINTS, _U_HW, _U_BENCH, _N_TOKENS, _N_PARAMS, _OUT_OF, _RANGE_SEP, _FROM_TO_SEP,
        _ARROW_SEP, _LIST_SEP, _SHARED_NOUN_SEP))


def _parse_unit(text: str, s: int, e: int, value: float, sent_start: int) -> _Mention | None:
    """Classify the number text[s:e] by the unit that follows it; None = identifier/dimension."""
    before = text[max(sent_start, s - 80):s]
    if text[e:e + 1] in _SCIENTIFIC_FIRST and (sci := _SCIENTIFIC.match(text, e)):  # "1.8\\times10^{8}", "2.3e8"
        value, e = float(f"{text[s:e].replace(',', '')}e{sci.group(1) or sci.group(2)}"), sci.end()
    if text[e:e + 1] == "/" and (frac := _FRACTION_OF.match(text, e)) and text[s:e].isdigit():
        return _Mention(s, frac.end(1), 100.0 * value / float(frac.group(1)[1:]), None, "percent", "")  # "1/10 of the"
    if text[e:e + 1] == "/" and (mx := _SLASH_MAXIMUM.match(text, e)) and value <= float(mx.group(1)) \
            and float(mx.group(1)) in _SCALE_MAXIMA:
        e = mx.end()  # "4.1/5.0 vs 3.2/5.0": the score carries its scale's maximum (17-prec4)
    c = _next_char(text, e)  # for the _first_chars gates below (recomputed where e moves)
    if c in _PLUS_MINUS_FIRST and (pm := _PLUS_MINUS.match(text, e)):
        e = pm.end()
        c = _next_char(text, e)
    money = _money_before(text, s, e)  # before a closing "$" is skipped: "$5$" is math, no money
    if text[e:e + 2] in ("k$", "K$", "M$", "B$", "T$") and _MATH_OPEN.search(text[max(0, s - 12):s]):
        return _suffixed_mention(text, s, _U_SUFFIX_MATH.match(text, e), value, before)
    if text[e:e + 1] in ("}", "$") and (close := _MATH_CLOSE.match(text, e)) \
            and _MATH_OPEN.search(text[max(0, s - 12):s]):
        e = close.end()  # "$90$%", "$+2.5$ points", "$\\textbf{4.8}$\\%": the unit follows the math's close
        c = _next_char(text, e)
    if money or c in _U_USD_FIRST and _U_USD.match(text, e):
        m = _U_USD.match(text, e) or _U_MONEY_SUFFIX.match(text, e)
        end = m.end() if m else e
        scale = next((SUFFIX_MULT[c] for c in text[e:end] if c in "KMB"), 1.0)
        return _Mention(s, end, value * scale, None, "other", "", money=True)  # "\\$148K", "20 USD"
    if c in _U_DIM_FIRST and _U_DIM.match(text, e) or _DIM_BEFORE.search(before[-6:]):  # "1280 x 720"
        return None
    if ("×" in before[-3:] or "times" in before[-9:]) and (xp := _X_PREFIX.search(before[-14:])) \
            and (_X_PREFIX_AFTER.match(text, e) or _X_PREFIX_BEFORE.search(before[:-len(xp.group(0))])):
        if xp.group(1) and text[e:e + 1] == "$":
            e += 1  # "$\\times 2.5$": the math closes after the number
        return _Mention(s, e, value, None, "x", "")  # "×1.6 faster", "a $\\times$2.1 gain": the sign before the ratio
    if c in _U_PP_FIRST and (m := _U_PP.match(text, e)):
        return _Mention(s, m.end(), value, None, "points", "")
    if c in _U_PCT_FIRST and (m := _U_PCT.match(text, e)):
        return _percent_mention(text, s, m.end(), value, before)
    if text[s - 1:s] == "/" and text[s - 2:s - 1].isdigit() and value in _SCALE_MAXIMA and _scale_maximum(text, s, value):
        return None  # "rated 4.1/5.0": the maximum of a scale, like "out of 5.0" (17-prec4)
    if text.startswith(("Each ", "Every "), sent_start) and _EACH_ITEM_SENTENCE.match(text, sent_start):
        return _excluded(s, e, value)  # "Each clip is 8 seconds long and has 200 frames": one item's make-up (17-prec4)
    if c in _U_X_FIRST and (m := _U_X.match(text, e)):
        if _CROSS_VALIDATION.match(text, m.end()):
            return _excluded(s, m.end(), value)  # "5-fold cross-validation": a protocol, not a ratio
        if "times" in m.group(0) and "ed " in before[-25:] and _EVENTS_BEFORE.search(before[-40:]) \
                and not _RATIO_AFTER.match(text, m.end()):
            return _Mention(s, m.end(), value, None, "count", "")  # "downloaded over 9,000 times": a count of events
        return _Mention(s, m.end(), value, None, "x", "")
    if c in _U_BYTES_FIRST and (m := _U_BYTES.match(text, e)):
        sc = m.group(1)
        if text[m.end():m.end() + 1] in ("/", " ") and (r := _PER_SECOND.match(text, m.end())):
            return _Mention(s, r.end(), value * _BYTE_MULT.get(sc.upper()[:1], 1.0), None, "other", "")  # "1.2 GB per second", "200KB/s": a rate
        if (hw := _HW_NOUN.match(text, m.end())) and not (text[m.end():m.end() + 4] in (" GPU", "-GPU", " gpu") and _GPU_MEMORY.match(text, hw.end())) \
                or _HW_OF_BEFORE.search(before[-40:]):
            return _excluded(s, m.end(), value)  # "80GB GPUs", "an RTX 4070 with 12GB memory": hardware, no memory figure
        return _Mention(s, m.end(), value, None, "bytes", "" if sc == "bytes" else BYTE_SCALES.get(sc.upper(), sc))
    if c in _U_BITS_FIRST and (m := _U_BITS.match(text, e)):
        return _Mention(s, m.end(), value, None, "other", "")
    years = c in _U_YEARS_FIRST and _U_YEARS.match(text, e)
    if years and _SCORE_BEFORE.search(before):
        return _Mention(s, years.end(), value, None, "points", "")  # "mean absolute error of 2.74 years"
    if c in _U_PHYS_FIRST and (m := _U_PHYS.match(text, e)) and (_PHYS_METRIC.search(before[-60:]) or _PHYS_METRIC_AFTER.match(text, m.end())
                                                           or _phys_metric_elsewhere(text, sent_start, s, m.group(0).strip(), before)
                                                           or _phys_error_noun_after(text, m.end())):
        return _Mention(s, m.end(), value, None, "points", "")
    bits = c in _U_BITSET_FIRST and _U_BITSET.match(text, e)
    if bits and "-" not in bits.group(0) and _COMPRESSED_TO.search(before[-60:]):
        return _Mention(s, bits.end(), value, None, "other", "", cost=False)  # "quantizes the weights to 3 bits": a result
    if bits or years:
        return _excluded(s, e, value)
    if c in _U_RATE_FIRST and (m := _U_RATE.match(text, e)):
        if ("fps" in m.group(0).lower() or "Hz" in m.group(0)) and not _FPS_CUE.search(before) \
                and not ("at " in before[-40:] and "fps" in m.group(0).lower() and _FPS_AT.search(before[-40:])
                        and _FPS_DOING.search(before)):
            return _excluded(s, m.end(), value)
        return _Mention(s, m.end(), value, None, "other", "")
    if text[e:e + 1] in _FLOPS_GLUED and (_FLOPS_TO_AFTER.match(text, e) or "FLOP" in before[-50:] and _FLOPS_FROM_BEFORE.search(before[-50:])):
        return _Mention(s, e + 1, value, None, "other", "", cost=True)  # "from 40G to 0.5G FLOPs", "FLOPs (from 40G to 0.5G)"
    if c in _U_FLOPS_FIRST and (m := _U_FLOPS.match(text, e)):
        return _Mention(s, m.end(), value, None, "other", "", cost=True)
    if text.find("PU", e, e + 10) >= 0 and (m := _U_DEVICE_TIME.match(text, e)):  # "2,600 GPU hours", "0.1 GPU-days": compute spent
        u = m.group(1).lower()
        return _Mention(s, m.end(), value * TIME_SECONDS[u if u in TIME_SECONDS else u.rstrip("s")], None, "seconds", "",
                        cost=True)
    if c in _U_TIME_FIRST and (m := _U_TIME.match(text, e)):
        if "-" in m.group(1) and _CORPUS_AFTER.match(text, m.end()) and _BUILD_CUE.search(before):
            pass  # "introduce a 300-hour annotated speech corpus": the size of what the work built
        elif "-" in m.group(1) or (m.group(2) == "s" and text[s:e].isdigit() and 1900 <= value <= 2100):
            return _excluded(s, m.end(), value)  # "4-second clips": an adjective, a setting; "1990s"
        elif m.group(2) == "s" and not m.group(1) and text[m.end():m.end() + 1] == " " and value % 10 == 0 \
                and _PLURAL_NUMBER_AFTER.match(text, m.end()):
            return _excluded(s, m.end(), value)  # "100s to 1,000s of instances": hundreds, no seconds
        u = m.group(2).lower()
        data = " of " in text[m.end():m.end() + 4] and _DATA_AFTER.match(text, m.end())
        if data and (_COUNT_EVAL.search(near := _cue_window(text, s)) or _DATA_EVALUATED.search(near)):
            return _excluded(s, m.end(), value)  # "benchmarked using 1.5 hours of data": data used, a setting
        factor = TIME_SECONDS[u if u in TIME_SECONDS else u.rstrip("s")]
        effort = u.startswith("h") and ((" of " in text[m.end():m.end() + 4] and _EFFORT_AFTER.match(text, m.end()))
                                        or ("spen" in before[-40:] or "invest" in before[-40:]) and _EFFORT_BEFORE.search(before[-40:]))
        return _Mention(s, m.end(), value * factor, None, "seconds", "",
                        cost=bool(data and _COUNT_ONLY.search(before[-40:]) or effort),
                        factor=factor)  # "with as little as 30 minutes of data"; "over 200 hours of expert effort"
    if c in _U_ENERGY_FIRST and (m := _U_ENERGY.match(text, e)) and (m.group("wh") and len(m.group("wh")) > 1 or _ENERGY_CUE.search(before[-40:])):
        return _Mention(s, m.end(), value, None, "other", "", cost=True)
    if c in _U_SUFFIX_FIRST and (m := _U_SUFFIX.match(text, e)):
        return _suffixed_mention(text, s, m, value, before)
    if c in _U_POINTS_FIRST and (m := _U_POINTS.match(text, e)):
        return _Mention(s, m.end(), value, None, "points", "")
    if c in _U_HW_FIRST and (m := _U_HW.match(text, e)):
        if _CAPS_NAME_BEFORE.search(before[-12:]):
            return _excluded(s, e, value)  # "NVIDIA 4090 GPUs": a product number
        if _HW_CUE.search(text[max(sent_start, s - 40):m.end() + 20]):  # "on only 8 GPUs"
            return _Mention(s, m.end(), value, None, "count", "")
        return _excluded(s, e, value)
    return _unitless_mention(text, s, e, value, before)


# People's effort in hours (17-count5): "over 200 hours of expert effort", "annotators spent 300 hours": the human work the
# data took, a cost like GPU hours; "400 hours of speech" stays the size of data.
_EFFORT_AFTER = re.compile(r"\s+of\s+(?:[\w-]+\s+){0,3}?(?:effort|work|labou?r|annotation|annotating|labell?ing|"
                           r"(?:annotator|expert|human|manual|person|researcher)s?\s+time)\b", re.I)
_EFFORT_BEFORE = re.compile(r"\b(?:spent|spend|spends|spending|invested|investing)\s+(?:(?:a total of|in total|more than|over|"
                            r"about|around|nearly|approximately|roughly|some|an estimated)\s+)*$", re.I)


# "N times" after a verb of reach ("downloaded over 9,000 times", "cited 40 times") counts events, not a ratio: unit count,
# like deployment reach ("tens of millions of monthly subscribers"); "N times more/faster ..." stays a ratio.
# Number grammar: a multiplication sign right before a number ("×1.6 faster", "a $\\times$2.1 higher rate", "$\\times 3$")
# writes a ratio like "1.6x"; a sign after a number, a bracket or a power ("224$\\times$224", "10^{3}\\times") is a product.
_X_PREFIX = re.compile(r"(?:^|(?<=[\s(\[~,:]))(?:×|\$\\times\$|(\$)?\\times)\s?$")
# ... only as a ratio of results: a comparative or a gain noun right after it ("×1.6 faster", "$\\times$2 higher throughput"), or
# a gain noun or "by" right before it ("a speedup of ×3", "cuts latency by ×2"); "×4 super-resolution" is a setting.
_X_GAIN = r"(?:speed-?ups?|accelerations?|improvements?|gains?|reductions?|compression|boosts?|increases?|decreases?)"
_X_PREFIX_AFTER = re.compile(r"\$?(?:\s*(?:,\s*(?:and\s+)?|and\s+|/\s*)(?=×|\$?\\times)|\)?\s*(?:\w+\s+)?(?:more|less|fewer|faster|slower|larger|bigger|smaller|higher|lower|greater|"
                             r"better|cheaper|as|" + _X_GAIN + r")\b)", re.I)  # a list of signed ratios: "×1.3 and ×2.4 faster"
_X_PREFIX_BEFORE = re.compile(r"(?:\b" + _X_GAIN + r"\s+(?:of\s+)?(?:up to\s+|about\s+|over\s+|nearly\s+)?|\bby\s+(?:up to\s+)?|\bup to\s+)$",
                              re.I)
_EVENTS_BEFORE = re.compile(r"\b(?:download|view|cit|install|access|stream|play|fork|star|clon|visit|query|queri)ed\s+(?:\w+\s+){0,2}?"
                            r"(?:(?:over|about|around|nearly|more than|roughly|approximately)\s+)?$", re.I)
# Units read wrong (docs/claims_decisions.md, tenth round): bytes per second are a rate ("a 150KB/s stream": 150000, unit
# other, like "4.8k tokens/s"); points per area are a density, no score ("35 pts/m$^2$"); a round number glued to "s"
# before "of" or before another such number is a plural count ("100s to 1,000s of instances"), no seconds.
_BYTE_MULT = {"K": 1e3, "M": 1e6, "G": 1e9, "T": 1e12, "P": 1e15}
_PLURAL_NUMBER_AFTER = re.compile(r"\s+(?:to|or|and)\s+[\d,]+0s\b")
_RATIO_AFTER = re.compile(r"\s+(?:more|less|fewer|faster|slower|larger|bigger|smaller|higher|lower|greater|as)\b", re.I)

# Number grammar: a power of ten after the mantissa ("1.8\\times10^{8}", "3 × 10^5", "2.3e8"), a fraction of a whole
# ("1/10 of the parameters" is 10 percent, like "half of the activations").
_SCIENTIFIC = re.compile(r"\s?(?:\$?\\times\$?|×|\\cdot|\*)\s?\$?10\s?\^\s?\{?\s?([+-]?\d{1,2})(?:\s?\})?|[eE]([+-]?\d{1,2})(?![\w.])")
_SCIENTIFIC_FIRST = frozenset(" $\\×*eE")  # the characters a power of ten can start with (a cheap test first)
_FRACTION_OF = re.compile(r"(/[1-9]\d{0,2})(?![\d.,/])\s+of\b")


# A length or angle whose metric was named elsewhere (docs/claims_decisions.md, eleventh round): a later member of the
# sentence after an earlier value of the same unit that a metric named, opened by a comma, "and", "or", a bracket or
# "vs"/"compared to" ("reduces the error by 0.5° on A in one setting, and 0.7° on A in another"), or after an acronym the abstract defined for an error metric ("angular error (AE)" ...
# "gains in AE of more than 1.5°").
_PHYS_ACRONYM_BEFORE = re.compile(r"\b([A-Z][A-Z0-9]{1,5})\s+(?:(?:of|by|is|was|=|:|below|under|within|over|about|around|"
                                  r"(?:more|less) than)\s+){0,2}$")
_MEMBER_LEAD = re.compile(r"(?:,|\band|\bor|\(|\bvs\.?|\bversus|\bcompared to)\s*$")  # a later member, not "at a 5 m tolerance"
_ERROR_NAMED = re.compile(r"\b(?:errors?|distances?|deviations?|drift|displacements?|offsets?|(?:MAE|RMSE|ATE|RPE|CD|EPE|ADE|FDE)s?)\b")
_METRIC_DEFINED = re.compile(r"\b(?:errors?|distances?|deviations?|drift|displacements?|offsets?)\s*\(([A-Z][A-Z0-9]{1,5})\)", re.I)


def _phys_metric_elsewhere(text: str, sent_start: int, s: int, unit: str, before: str) -> bool:
    """Whether the length or angle at ``s`` (unit as written) measures a metric named elsewhere: an earlier value of
    the same unit in the sentence that a metric named, or an acronym before it that the abstract defined for an error."""
    if unit and _MEMBER_LEAD.search(before[-14:]) and text.find(unit, sent_start, s) >= 0:
        for p in re.finditer(r"[\d.]+\s?" + re.escape(unit) + r"(?![A-Za-z0-9])", text[sent_start:s]):
            q = sent_start + p.start()
            if _PHYS_METRIC.search(text[max(sent_start, q - 60):q]):
                return True
    if before.endswith("(from ") and _ERROR_NAMED.search(text, max(sent_start, s - 100), s):
        return True  # "reduces the pointing error by 20% on Alder (from 1.7 cm to 1.4 cm)"
    if (a := _PHYS_ACRONYM_BEFORE.search(before[-30:])) and "(" in text:
        return any(d.group(1) == a.group(1) for d in _METRIC_DEFINED.finditer(text))
    return False


def _money_before(text: str, s: int, e: int) -> bool:
    """Whether the number text[s:e] is an amount of money: after "\\$" or "US$", or after a plain "$" that opens
    no math (a TeX "$2\\times$" closes or runs TeX right after the number; "$250, and" does not)."""
    if text[max(0, s - 3):s].endswith(("\\$", "US$")):
        return True
    if text[s - 1:s] != "$" or text[s - 2:s - 1].isalnum() or _MATH_AFTER.match(text, e):
        return False
    opened = text.rfind("$", max(0, s - 14), s - 1)  # a "$" that closes short math before it: "$>$3\\%"
    return opened < 0 or any(ch.isdigit() for ch in text[opened:s - 1])


def _models_evaluated(before: str) -> bool:
    """Whether sizes follow a set of models the work evaluates ("we evaluate open models ranging from 1B to 9B
    parameters"): other models' sizes, not the work's."""
    return _EVALUATED_MODELS.search(before) is not None


# The maximum of a rating scale after a slash ("MOS of 4.1/5.0", "7/10"): a round maximum no lower than the score
# before it; "14.9/8.8 mAP" is a pair of results (17-prec4).
_SCALE_MAXIMA = frozenset((5.0, 7.0, 10.0, 100.0))
_SLASH_MAXIMUM = re.compile(r"/(\d+(?:\.0+)?)(?![\d.]\d)")
_SCORE_SLASH = re.compile(r"(?<![\d.,])(\d+(?:\.\d+)?)/$")


def _scale_maximum(text: str, s: int, value: float) -> bool:
    """Whether the number at text[s], after "<score>/", is the maximum of the score's scale (see _SCALE_MAXIMA)."""
    m = _SCORE_SLASH.search(text[max(0, s - 12):s])
    return m is not None and float(m.group(1)) <= value


# A sentence that describes one item of the data ("Each recording lasts 30 seconds", "Every scene has 40 views"):
# the make-up of each item, a composition of data already counted, not a size or a result (17-prec4).
_EACH_ITEM_SENTENCE = re.compile(r"(?:Each|Every)\s+(?:[\w-]+\s+){0,2}?(?:(?:is|are)\s+(?:about\s+|around\s+|approximately\s+|roughly\s+|"
                                 r"over\s+|up to\s+)?(?=\d)|(?:has|have|contains?|comprises?|consists?|lasts?|spans?|includes?|features?)\b)")


def _excluded(s: int, end: int, value: float) -> _Mention:
    """A matched setting (bit width, year, hardware...): keeps a list's structure, is never a claim."""
    return _Mention(s, end, value, None, None, "", drop=True)


def _percent_mention(text: str, s: int, end: int, value: float, before: str) -> _Mention:
    """"19%": a percent claim, or points for "2.1% absolute" / "3% points"; excluded as a
    hyperparameter ("dropout of 10%", "50% of tokens are masked")."""
    a = _U_ABS.match(text, end)
    if a and "point" in a.group(0).lower() and "percentage" not in a.group(0).lower():
        a = a if re.match(r"\s+(?:(?:percentage|accuracy|performance|score|F1)\s+)?points?", a.group(0), re.I) else None
    if a:
        return _Mention(s, a.end(), value, None, "points", "")
    if _ABS_BEFORE.search(before[-60:]):  # "absolute top-1 gains of up to 21.4%"
        return _Mention(s, end, value, None, "points", "")
    drop = bool((_has_literal(before, _SETTING_LITERALS) and _SETTING_BEFORE.search(before))
                or _SETTING_AFTER.search(text[end:end + 60])
                or (("occlu" in before or "corrupt" in before) and _OCCLUDE_BEFORE.search(before))
                or (before.endswith(("at ", "@ ", "@")) and _OPERATING_POINT.match(text, end))
                or (_SPLIT_AFTER.match(text, end) and not _BY_BEFORE.search(before))
                or (_SPLIT_NOUN_AFTER.match(text, end) and not _ONLY_SHARE.search(before[-30:]))
                or (("occlu" in before or "corrupt" in before or "andomly" in before) and _RATIO_SET_BEFORE.search(before)))
    return _Mention(s, end, value, None, "percent", "", drop=drop)


def _suffixed_mention(text: str, s: int, m: re.Match, value: float, before: str) -> _Mention:
    """A number with a K/M/B/T suffix ("7B parameters", "128K tokens", "4K resolution", "10M images");
    without a counted noun it stays unit-less with its suffix (may inherit a unit in a list)."""
    suf = m.group(1).upper()
    send = m.end()
    if ("/" in (t := text[send:send + 24]) or "per" in t or "PS" in t or "ps" in t) and (r := _U_RATE.match(text, send)) \
            and _U_RATE_SPEED.search(r.group(0)) and "Hz" not in r.group(0):
        return _Mention(s, r.end(), value * SUFFIX_MULT[suf], None, "other", "")  # "4.8k tokens/s": a rate
    if t := _N_TOKENS.match(text, send):
        return _Mention(s, t.end(), value, None, "tokens", suf)
    if p := _N_PARAMS.match(text, send):
        if _OTHERS_MODEL.search(before[-60:]) or _models_evaluated(text[max(0, s - 160):s]) or _models_used(before) \
                or _MODELS_BOUND.search(before[-50:]) \
                or "than" in before[-12:] and _CLASS_BOUND.search(before[-90:]) \
                or before[-1:] in (" ", "(") and _compared_models_size(before):
            return _excluded(s, p.end(), value)  # "outperforms larger models (e.g., 13B parameters)"
        return _Mention(s, p.end(), value, None, "parameters", suf)
    if suf in ("M", "B", "T") and (("aram" in before[-40:] and _PARAMS_BEFORE.search(before[-40:])) or _own_series(before)
                                   or (before.endswith("(") and len(before) >= 60 and ", a" in before
                                       and _INTRODUCED_SERIES.search(text, max(0, s - 220), s))
                                   or (" by " in before[-20:] and _PARAMS_BY.search(before[-50:]))):
        return _Mention(s, send, value, None, "parameters", suf)  # "parameters: 2.1M", "retrievers (0.6B and 2.3B)"
    if suf in ("M", "B", "T") and before.endswith("(") and (nm := _NAME_PAREN.search(before[-40:])) \
            and nm.group(1) in _own_names(text):
        return _Mention(s, send, value, None, "parameters", suf)  # "we introduce a tagger named Quill-LM ... Quill-LM (7B)"
    if suf in ("M", "B", "T") and _SCALE_NOUN.match(text, send) and _TRAIN_NEAR.search(before[-50:]) \
            and not _OTHERS_MODEL.search(before[-45:]) and not _models_evaluated(text[max(0, s - 160):s]):
        return _Mention(s, send, value, None, "parameters", suf)  # "we pretrain X at 1.3B and 7B scales"
    md = _N_MODEL.match(text, send)
    if md and suf in ("M", "B", "T") and not _OTHERS_MODEL.search(before[-45:]) \
            and (_TRAIN_NEAR.search(before[-50:]) or _OWN_MODEL.search(before[-25:])
                 or (before.endswith("the ") and "our " in before and _OUR_SIZED_THEN_THE.search(before))
                 or ("its " in before[-30:] and _ITS_SIZES.search(before[-30:]) and _own_subject(text, s))):
        return _Mention(s, md.end(), value, None, "parameters", suf)
    if suf in ("M", "B", "T") and _own_sized_model(text, send, before):
        return _Mention(s, send, value, None, "parameters", suf)  # "our 3B retriever", "a 7B judge trained with X"
    if suf in ("M", "B", "T") and _NAME_BEFORE.search(before) and _TRAIN_NEAR.search(before[-60:]) \
            and not _OTHERS_MODEL.search(before[-45:]) and not _models_evaluated(text[max(0, s - 160):s]):
        # "we fine-tune Llama-3 8B"; not "experiments across models (fine-tuned on Llama-3 8B)"
        return _Mention(s, send, value, None, "parameters", suf)
    if suf in ("M", "B", "T") and (own := _own_size_again(text, s, send, before)) is not None:
        return _Mention(s, send, value, None, "parameters", suf, repeat=own == "repeat")
    if r := _N_RES.match(text, send):
        return _Mention(s, r.end(), value * SUFFIX_MULT[suf], None, "other", "")
    if suf == "K" and value in (2, 4, 5, 8) and _VIDEO_AFTER.match(text, send):
        return _excluded(s, send, value)  # "4K video streams", "8K displays": a video format's name, no count
    if _CONTEXT_BEFORE.search(before) or (suf == "K" and _CONTEXT_CUE.search(before[-50:] + text[send:send + 30])
                                          and not _N_COUNT.match(text, send)):
        if before.endswith("(") and _EVAL_BRACKET.search(before[-90:]):
            return _excluded(s, send, value)  # "evaluations across five benchmarks (4K-2M contexts)": data evaluated on
        return _Mention(s, send, value, None, "tokens", suf)
    if text[send:send + 1] == "-" and suf in ("K", "M") and (h := _HYPHEN_DATA.match(text, send)) and _BUILD_CUE.search(before) \
            and not _COUNT_EVAL.search(before[-60:]):
        return _Mention(s, h.end(), value * SUFFIX_MULT[suf], None, "count", "")  # "we release a 12K-question benchmark"
    c = _N_COUNT.match(text, send)
    only = _COUNT_ONLY.search(before[-40:]) and (_ONLY_NOUNS.match(text, send) or _N_ITEM.match(text, send))
    if only:
        return _Mention(s, only.end(), value * SUFFIX_MULT[suf], None, "count", "", cost=True)
    if c and not _EXCLUDED_COUNT_NOUNS.match(c.group(1)) and not _data_used(before, before[-60:]) \
            and not _COUNT_EVAL.search(before[-60:]):  # "trained on 2M images": data used, a setting
        return _Mention(s, c.end(), value * SUFFIX_MULT[suf], None, "count", "")
    c = _N_ITEM.match(text, send)
    if c and _COUNT_BUILD.search(near := _cue_window(text, s)) and not _COUNT_EVAL.search(near):
        return _Mention(s, c.end(), value * SUFFIX_MULT[suf], None, "count", "")
    if text[send:send + 1] == ")" and text[s - 2:s] in (" (", "($") and (c := _PAREN_SIZE_DATA.match(text, send)) \
            and not _COUNT_EVAL.search(near := _cue_window(text, s).rstrip("($ ") + " ") and not _DATA_EVALUATED.search(near):
        # "a large-scale (100K) test benchmark", "with limited (9k) data": the size of the data named after the bracket
        return _Mention(s, send, value * SUFFIX_MULT[suf], None, "count", "", cost=bool(_LIMITED_BEFORE.search(before[-30:])))
    return _Mention(s, send, value, None, None, "", suffix=suf)


# Lengths of the benchmarks evaluated on, in brackets right after them (docs/claims_decisions.md, tenth round): a setting.
_EVAL_BRACKET = re.compile(r"\b(?:evaluat\w*|experiments?|tests?|tested|benchmarked)\b[^.;()]{0,50}\b(?:benchmarks|datasets|tasks|"
                           r"suites)\s*\($", re.I)
# A K/M count in a hyphenated compound before the data word it sizes ("a 106k-instance instruction dataset", "a 12K-question
# benchmark"), after a build cue: the size of the data the work built, like "a 1,200-image dataset".
_HYPHEN_DATA = re.compile(r"-[a-z]+(?:\s+[\w-]+){0,2}?\s+(?:datasets?|benchmarks?|corpus|corpora|collections?|suites?)\b", re.I)
# A size in brackets before the data it sizes ("a novel large-scale (120K) test benchmark", "with limited (4k) data").
_PAREN_SIZE_DATA = re.compile(r"\)\s+(?:[\w-]+\s+){0,2}?(?:data(?!\s+(?:points?|sets?|used|for)\b)|datasets?|benchmarks?|corpus|corpora|collections?)\b",
                              re.I)
_LIMITED_BEFORE = re.compile(r"\b(?:limited|only|just|merely|few|little|small)\s+\(\$?$", re.I)
# A second size of the work's own model in a sentence that sized it with "our" ("our 3B tagger reaches 61%, while the 7B
# tagger reaches 66%"): the work's series, like "our 3B model".
# "its" before sizes of models, in a sentence whose subject is the work's own named system ("Quill reaches ... across its
# 3B and 8B variants"): the work's own series.
_ITS_SIZES = re.compile(r"\bits\s+(?:[a-z-]+\s+)?(?:[\d.]+\s?[MB]\s*(?:,|and|or)\s*)*$")
_OUR_SIZED_THEN_THE = re.compile(r"\bour\s+(?:[\w-]+\s+)?\d+(?:\.\d+)?\s?[MB]\b[^;]*(?:\bwhile|\bwhereas|\band|,)\s+the\s+$", re.I)
_SCALE_NOUN = re.compile(r"\s+(?:scales?|sizes?)\b")

# The size of the models the work is compared with, right after them (docs/claims_decisions.md, tenth round):
# "outperforms general-purpose taggers of over 300B parameters", "beats all open models in the 9B parameter range", "over
# the strongest baseline, Alder-Embed 2.0 (610M parameters)": their sizes, like "beats much larger models (e.g., 34B
# parameters)"; the work's own words between the comparison word and the size keep it the work's.
_COMPARED_SIZE = re.compile(r"\b(?:outperform\w*|surpass\w*|rival\w*|beat\w*|match\w*|exceed\w*|than|over|compared (?:to|with)|"
                            r"vs\.?|versus|against)\s+(?:(?!\b(?:we|our|us|ours)\b)[^.;:()]|\.(?=\d)){0,60}?\b(?:models?|[SLV]?LMs?|"
                            r"LLMs?|MLLMs?|baselines?|systems?|counterparts|competitors|alternatives)\b\s*(?:of\s+(?:(?:over|about|around|up to|"
                            r"more than|nearly|roughly)\s+)?|in\s+the\s+|,?\s*(?:(?!\b(?:we|our|us)\b)[\w.-]+\s*){0,4}\(\s*)$", re.I)


def _compared_models_size(before: str) -> bool:
    """Whether a parameter count after ``before`` sizes the models the work is compared with (the pattern above)."""
    tail = before[-100:]
    return (tail.endswith(("of ", "the ", "(")) or tail[-12:].rstrip().endswith(("over", "about", "around", "to", "than", "nearly",
                                                                                    "roughly"))) \
        and _COMPARED_SIZE.search(tail) is not None


def _own_sized_model(text: str, send: int, before: str) -> bool:
    """Whether a size at ``send`` heads a model of the work named by any noun ("our 3B retriever", "a 7B judge trained
    with X"): after "our" any noun; after "a/an" the noun must be followed by what the work did with it."""
    own = _OWN_SIZE_BEFORE.search(before[-20:])
    head = own and _SIZE_HEAD.match(text, send)
    if not head or _OTHERS_MODEL.search(before[-45:]):
        return False
    return own.group(1).lower() in ("our", "the proposed", "the resulting", "the final") or _SIZE_HEAD_DONE.match(text, head.end()) is not None


# The work's own model named again by its size (docs/claims_decisions.md, twelfth round):
# - after the work's own name ("we introduce Quill ... Quill 3B beats X"): the size of the model the work trained;
# - after "the", before a model noun, where the work's own model of that size was claimed earlier ("our tagger comes in
#   (1.5B and 4.5B) ... while the 1.5B model ..."): the same model again (kept by _keep_repeats only then);
# - the first end of a from-to after a verb of scaling ("we scale the tagger from 0.1B to 3B"): the sizes the work trains
#   (not the noun: "models at parameter scales from 0.6B to 70B");
# - the active share of a mixture-of-experts model before its total ("20B activated and 200B total parameters").
_SCALED_FROM = re.compile(r"\b(?:scal(?:ed|ing)|(?:[Ww]e|to|(?-i:[A-Z][\w.-]*))\s+scales?)\b(?:\s+up)?(?:[^.;:]|\.(?=\d)){0,80}?\bfrom\s+$", re.I)
_FROM_TO_SIZE_END = re.compile(r"\s+to\s+\d+(?:\.\d+)?\s?[MBT]\b(?=\s*(?:[,.;)]|$|and\b|or\b|param|while\b|with\b|in\b|on\b|"
                               r"respectively\b))")
_ACTIVE_OF_TOTAL = re.compile(r"\s+(?:activated|active)\s+(?:and|,|/|out of|of|among)\s+(?:a\s+total\s+of\s+)?\d+(?:\.\d+)?\s?[MBT]\s+"
                              r"(?:total\s+)?param", re.I)
_THE_SIZE_HEAD = re.compile(r"\s?-?\s?(?:[A-Za-z][\w.-]*\s+)?(?:models?|LLMs?|MLLMs?|VLMs?|LMs?|variants?|versions?|checkpoints?)\b")


def _own_size_again(text: str, s: int, send: int, before: str) -> str | None:
    """Whether the size text[s:send] is the work's own model named again (the patterns above): "own" for a claim,
    "repeat" for one kept only after an earlier claim of the same size, None for neither."""
    if before.endswith("from ") and "scal" in before and _SCALED_FROM.search(before[-120:]) \
            and _FROM_TO_SIZE_END.match(text, send) and not _models_evaluated(text[max(0, s - 160):s]):
        return "own"
    if "ctiv" in text[send:send + 12] and _ACTIVE_OF_TOTAL.match(text, send):
        return "own"
    if before.endswith(" ") and (nm := _NAME_BEFORE.search(before[-40:])) and nm.group(0).rstrip() in _own_names(text) \
            and not _OTHERS_MODEL.search(before[-45:]):
        return "own"  # "Quill 3B surpasses": the size of the work's named model
    if before.endswith(("the ", "The ")) and _THE_SIZE_HEAD.match(text, send) and not _OTHERS_MODEL.search(before[-45:]):
        return "repeat"
    return None


_OFFERS = re.compile(r"\b(?:offer|provid|ship)\w*\b", re.I)  # "the X series offers model sizes (0.6B, 4B)"
_OWN_SIZE_BEFORE = re.compile(r"\b(our|an?|the (?:proposed|resulting|final))\s+(?:[\w-]+\s+)?$", re.I)
_SIZE_HEAD = re.compile(r"\s?-?\s?(?!(?:tokens?|param\w*|dataset|corpus|benchmark|collection|images?|samples?|words?|budget|"
                        r"scale|sized?|size|pairs?|hours?|examples?|instances?|records?|documents?|rows?|users?|steps?|"
                        r"times?|and|or|to|of|in|on)\b)[a-z][a-z-]{2,}\b(?!\s+(?:model|LLM|tokens?|param\w*|dataset|corpus|pairs|samples|images|instances)s?\b)")
_SIZE_HEAD_DONE = re.compile(r"\s+(?:trained|fine-?tuned|pre-?trained|built|distilled|that|which|outperform\w*|achiev\w*|surpass\w*|"
                             r"match\w*|rival\w*|beat\w*|reach\w*)\b")


@lru_cache(maxsize=1)  # asked once per number of an abstract: kept for the last abstract
def _own_names(text: str) -> frozenset:
    """The names the abstract gives its own system ("we propose Quill", "this paper introduces a tool named Quill-LM")."""
    return frozenset(m.group(1) or m.group(2) for m in _OWN_NAME.finditer(text))


# The work's own named system, and a size in brackets right after a name ("Quill-LM (7B) reaches ...").
_OWN_NAME = re.compile(r"\b(?:[Ww]e|[Tt]his (?:paper|work|study)|[Oo]ur (?:work|paper))\s+(?:\w+\s+){0,2}?(?:propos|introduc|"
                       r"present|develop|build|releas|train)\w*\s+(?:[^.]{0,80}?\b(?:named|called|dubbed|termed)\s+)?"
                       r"([A-Z][\w.+-]*[A-Za-z0-9+])|"
                       # "The resulting model, dubbed Quill, ..."
                       r"\b(?:[Tt]he|[Oo]ur) (?:resulting|final|proposed) (?:model|system|method|framework|agent)s?,?\s+"
                       r"(?:dubbed|named|called|termed)\s+([A-Z][\w.+-]*[A-Za-z0-9+])")
_NAME_PAREN = re.compile(r"\b([A-Z][\w.+-]*[A-Za-z0-9+])\s*\($")


def _own_subject(text: str, s: int) -> bool:
    """Whether the sentence holding text[s] starts (after a linking adverb) with a name the abstract gives its own system."""
    start = max(text.rfind(". ", 0, s) + 2, 0)
    m = _SUBJECT_NAME.match(text, start)
    return m is not None and m.group(1) in _own_names(text)


_SUBJECT_NAME = re.compile(r"(?:[A-Z][a-z]+,\s+)?([A-Z][\w.+-]*[A-Za-z0-9+])\b")


def _own_series(before: str) -> bool:
    """Whether a size follows "<models> (" of a series the work trains, builds or owns (the cue before the
    series word: "we train a family of retrievers (", not "across parameter scales (")."""
    series = _SERIES_OPEN.search(before[-30:])
    if series is None:
        return False
    lead = before[-70:][:len(before[-70:]) - len(series.group(0))]
    return bool(_TRAIN_NEAR.search(lead) or _OWN_MODEL.search(lead) or _BUILD_CUE.search(lead) or _OFFERS.search(lead)
                or ("ur " in lead and _OUR_NAMED.search(lead)))


# "We introduce Quill, a family of compact open tagging models (1.5B and 4B)": the series the work presents in an appositive
# right after its name, with the build verb further back than _own_series reads.
_INTRODUCED_SERIES = re.compile(r"\b(?:introduc|present|releas|propos|develop)\w*\s+[A-Z][\w.$-]*(?:\s+[\w$-]+){0,2},\s+an?\s+(?:new\s+)?"
                                r"(?:series|family|suite|collection)\s+of\s+[^.;()]{0,90}?\b(?:models?|LLMs?|[a-z]+ers)\s*\($")
# "Our proposed Foo-Embed model (110M parameters)": "our" with up to two words (an adjective, the model's name) before the
# series word owns the sizes in the bracket, like "our model (".
_OUR_NAMED = re.compile(r"\bour\s+(?:own\s+|proposed\s+|final\s+)?(?:(?!baselines?\b)[\w.-]+\s+){1,2}$", re.I)


_SERIES_MEMBERS = re.compile(r"\b(?:models?|LLMs?|family|families|series|variants|sizes|versions|[a-z]+ers)\s*\(\s*"
                             r"(?:[\d.]+\s?[MBT]?\s*(?:-|–|to|,|and|or)\s*)*$")


def _models_used(before: str) -> bool:
    """Whether sizes in parentheses follow a set of models the work only uses ("pairs 9 language models (4B-72B
    parameters) to generate"): a series is the work's only with a train, build or own cue (``_own_series``)."""
    series = _SERIES_MEMBERS.search(before[-50:])
    return series is not None and not _own_series(before[:len(before) - len(series.group(0))] + "models (")


def _unitless_mention(text: str, s: int, e: int, value: float, before: str) -> _Mention | None:
    """A number with no unit right after it: a count of benchmarks being built, a token count, a score
    ("BLEU of 31.2", "AUC = 0.83", ".02 in F1"), a count of a noun the work built or studied
    ("1,320 images", "N = 204"); else a bare number (None when glued to letters)."""
    c = _next_char(text, e)  # for the _first_chars gates below
    if c in _RANGE_SEP_FIRST and (r := _RANGE_SEP.match(text, e)) and (n := _NUMBER.match(text, r.end())) \
            and _U_BITSET.match(text, n.end()):
        return _excluded(s, e, value)  # "a precision of 9 to 12 bits": the low end of a bit-width range, a setting (17-prec4)
    m = c in _U_BENCH_FIRST and _U_BENCH.match(text, e)
    if m and _BUILD_CUE.search(before) and "." not in text[s:e] and not _ORDINAL_BEFORE.search(before[-12:]):
        # "NGrams 3.0 dataset": a version; "our Stage 1 dataset": a level, not a count of datasets
        return _Mention(s, m.end(), value, None, "count", "")
    m = c in _N_TOKENS_FIRST and _N_TOKENS.match(text, e)
    if m and ((per := _TOKENS_PER_ITEM.match(text, m.end())) or value >= 1000 or _CONTEXT_CUE.search(before[-40:])
              or "." in text[s:e]):  # "prompts averaging 284.5 tokens": a decimal token count is an average length, no score (17-prec4)
        return _Mention(s, m.end(), value, None, "tokens", "", cost=per is not None)  # "48 tokens/image": a budget spent per item
    if m and ("only" in before[-24:] or "limited" in before[-24:] or "few" in before[-24:] or "just" in before[-24:]
              or "most" in before[-24:]) and _TOKENS_ONLY.search(before[-24:]):
        return _Mention(s, m.end(), value, None, "tokens", "", cost=True)  # "with only 640 visual tokens": tokens spent
    if "." in text[s:e] and before.endswith("(") and _AVERAGE_IN_BRACKET.match(text, e) and _VALUE_OPEN.search(before[-16:]):
        return _Mention(s, e, value, None, "points", "")  # "0.97 (0.91 average)": the average beside a best score
    if value >= 128 and text[s:e].replace(",", "").isdigit() and _CONTEXT_BEFORE.search(before) and _SELF.search(before):
        return _Mention(s, e, value, None, "tokens", "")  # "our reader's context window of 16,384"; not other models'
    if _FACTOR_BEFORE.search(before[-30:]):
        return _Mention(s, e, value, None, "x", "")  # "by a factor of 16"
    if "." in text[s:e] and _CI_AFTER.match(text, e):
        return _Mention(s, e, value, None, "points", "")  # "0.88 (95% CI 0.84-0.91)": a measured estimate
    if "aram" in before[-40:] and _PARAMS_BEFORE.search(before[-40:]):
        return _Mention(s, e, value, None, "parameters", "")  # "a parameter count of 512"
    if "." in text[s:e] and value <= 1 and ("=" in before[-4:] or "$" in before[-3:]) and (cm := _COEF_BEFORE.search(before[-24:])) \
            and _coefficient(text, _sentence_start_near(text, s, before), s - len(before[-24:]) + cm.start(), cm.group(0)):
        return _Mention(s, e, value, None, "points", "", score=True, moved="none")  # "(r = 0.91)", "Cronbach's $\\alpha$ = 0.88": a coefficient
    if not _SIGN_CHARS.isdisjoint(before[-8:]) and _SIGN_END.search(before[-12:]) and not (e < len(text) and text[e].isalnum()) \
            and (ms := _metric_bound_at(text, _sentence_start_near(text, s, before), s)) is not None:
        return _Mention(s, e, value, None, "points", "", score=ms < 0, moved="none")  # "(SSIM > 0.93, MAE < 0.01)": a level (17-bound)
    if _names_a_metric(before) and _SCORE_BEFORE.search(before) \
            and not (e < len(text) and text[e].isalnum()) \
            and ("." in text[s:e] or not before.endswith("from ")):  # "MOS from 21 viewers" counts people
        return _Mention(s, e, value, None, "points", "")
    if "." in text[s:e] and _ACHIEVES_BEFORE.search(before[-30:]) and _ON_BENCHMARK.match(text, e):
        return _Mention(s, e, value, None, "points", "")  # "achieving 83.2 on InfoVQA": a benchmark score
    if "." in text[s:e] and " by" in before[-25:] and (d := _DELTA_BY_BEFORE.search(before)):
        moved = "decrease" if _ABS_DEC.match(d.group(0)) else "increase"
        return _Mention(s, e, value, None, "points", "", moved=moved)  # "reduces the edit distance error by 0.32"
    if "." in text[s:e] and _PERFORMANCE_OF.search(before[-30:]):
        return _Mention(s, e, value, None, "points", "")  # "a performance of 79.1": decimals only
    if "." in text[s:e] and _ACRONYM_SCORE.search(before[-14:]):
        return _Mention(s, e, value, None, "points", "")  # an unlisted metric acronym: "RPD of 2.07"
    m = c in _N_PARAMS_FIRST and _N_PARAMS.match(text, e)
    if m and not (e < len(text) and text[e].isalnum()):
        return _Mention(s, m.end(), value, None, "parameters", "")
    if "." in text[s:e] and (m := _METRIC_AFTER.match(text, e)) and not _SETTING_BEFORE.search(before[-50:]):
        return _Mention(s, m.end(), value, None, "points", "")
    if text[s - 1:s] == "+" and (m := _SIGNED_METRIC.match(text, e)):
        return _Mention(s, m.end(), value, None, "points", "")
    if text[s - 2:s] == "(+" and text[e:e + 1] == ")" and "." in text[s:e]:
        return _Mention(s, e, value, None, "points", "", moved="increase")  # "Widget Bench (+0.7)": a gain
    if "." in text[s:e] and (m := _ACRONYM_AFTER.match(text, e)) and not _NAME_BEFORE.search(before):
        return _Mention(s, m.end(), value, None, "points", "")  # an unlisted metric: "8.31 PA-MPJPE"
    if "." in text[s:e] and (_metric_in_clause(text, e, before) or _bare_decimal_result(text, s, e, before)):
        return _Mention(s, e, value, None, "points", "")  # "F1 on the test split reached 0.87", "0.91 in recall"
    if c in _OUT_OF_FIRST and (m := _OUT_OF.match(text, e)) and text[s:e].isdigit() and _SOLVES_BEFORE.search(before[-40:]):
        return _Mention(s, m.end(), value, None, "count", "", score=True)  # "solves 17 out of 20 tasks"
    if _ORDINAL_BEFORE.search(before[-12:]) or (text[s:e].isdigit() and (_CAPS_NAME_BEFORE.search(before[-12:])
                                                                          or _TITLE_NAME_BEFORE.search(before[-30:]))):
        return None  # "grade 4 students", "an RTX 3070": a level or a product name, not a quantity
    if (count := _noun_count(text, s, e, value, before)) is not None:
        return count
    if c in _RANGE_SEP_FIRST and _RANGE_SEP.match(text, e):
        return _Mention(s, e, value, None, None, "")
    if e < len(text) and text[e].isalpha():
        return None
    return _Mention(s, e, value, None, None, "")


# A token budget per item ("48 tokens/image", "12 tokens per patch"); "/s" and "per second" are rates, read before.
_TOKENS_PER_ITEM = re.compile(r"\s*(?:/\s*|per\s+)(?!s\b|sec)(?:[a-z]+\s+)?(?:frames?|images?|videos?|patch(?:es)?|"
                              r"questions?|queries|query|samples?|examples?|documents?|pages?|turns?|steps?|clips?)\b", re.I)
# An aggregate in brackets right after a score ("reaches 0.97 (0.91 average)"): a second score, not an interval's end.
_AVERAGE_IN_BRACKET = re.compile(r"\s+(?:on\s+)?(?:average|avg\.?|mean|median)\s*\)", re.I)
_VALUE_OPEN = re.compile(r"\d\s*(?:%|\\%)?\s*\($")


def _metric_in_clause(text: str, e: int, before: str) -> bool:
    """Recall-first scores: whether a bare decimal ending at ``e`` shares its clause with a metric name, a few words
    before it or right after it, where no closer rule read it (the clause ends at punctuation, brackets and
    "and"/"while"...). A version ("Diffusion 2.1"), a setting before it (threshold, temperature) and a number glued
    to letters are no scores."""
    if e < len(text) and (text[e].isalnum() or text[e] in "-–"):
        return False
    lead = _CLAUSE_CUT.split(before[-50:])[-1]
    if _NAME_BEFORE.search(before[-20:]) and not _SCORE_GLUE.search(lead) or _SETTING_BEFORE.search(lead) \
            or _NOT_SCORE_BEFORE.search(lead):
        return False
    if (lead.rstrip(" $~").endswith(_BOUND_WORD_ENDS) or "xceed" in lead[-12:]) and _WORD_BOUND_END.search(lead) \
            and (_CONDITION_BEFORE_BOUND.search(lead) or _SELECTED_AFTER.match(text, e)):
        return False  # "samples with a score below 0.5 are filtered": a threshold that selects, no result (17-bound)
    return bool(_METRIC_NEAR.search(lead) or _METRIC_NEAR.match(_CLAUSE_CUT.split(text[e:e + 30])[0].lstrip()))


# A metric's bound in words that selects rather than reports (17-bound): the metric after a condition word or a plural
# noun with "with"/"whose" ("pairs with a similarity above 0.8", "answers whose confidence is below 0.3", "only when the
# score exceeds 0.9"), or the items a verb of selection acts on after the number ("... below 0.5 are filtered out").
_BOUND_WORD_ENDS = ("below", "under", "above", "over", "than", "least", "most", "about")
_WORD_BOUND_END = re.compile(r"\b(?:below|under|above|over|(?:less|lower|greater|higher|more) than|exceed\w*|at (?:least|most))\s+"
                             r"(?:about\s+|~\s*)?\$?$", re.I)
_CONDITION_BEFORE_BOUND = re.compile(r"(?:\b[a-z]{3,}s\s+(?:with|whose|where|that have|having)|\b(?:whose|when|whenever|if|unless|only|"
                                     r"thresholds?|cut-?offs?|at(?!\s+(?:least|most)\b)))\b", re.I)
_SELECTED_AFTER = re.compile(r"\s+(?:\w+\s+){0,2}?(?:are|is|were|was|get|gets|being)\s+(?:\w+\s+)?(?:filtered|removed|discarded|"
                             r"dropped|kept|excluded|retained|selected|considered|counted|treated|deemed|labell?ed|marked|flagged|"
                             r"rejected|accepted|pruned)\b", re.I)


def _bare_decimal_result(text: str, s: int, e: int, before: str) -> bool:
    """Recall-first: a decimal with no unit in a sentence of the work's results is a measured value (unit points)
    unless a class of non-results explains it: a version after a name ("Qwen 2.5"), a p-value, a setting or a
    variable set with "=", a spread, a bound, an example after "e.g.", or a list or range that a later member
    gives a unit ("1.6 and 1.4 times")."""
    if e < len(text) and (text[e].isalnum() or text[e] in "-–/{[") or before.endswith(":"):
        return False  # glued to a unit or a name ("0.25{\\deg}", "arXiv:2402.02526")
    if _LIST_SEP.match(text, e) or _RANGE_SEP.match(text, e) or _NAME_BEFORE.search(before[-20:]) \
            or _UNIT_WORD_AFTER.match(text, e) or _VERSION_BEFORE.search(before[-40:]):
        return False
    if before.endswith(" to ") and _PAIR_END.search(before[-40:]) and not _FROM_PAIR.search(before[-40:]):
        return False  # the end of a pair without "from" that the chain did not merge ("..., 5.24 to 4.74")
    if _BY_BEFORE.search(before) and not _METRIC_NEAR.search(before[-90:]):
        return False  # a change "by N" whose metric is not named: its unit is unknown ("lowers the latency by 0.8")
    lead = _CLAUSE_CUT.split(before[-50:])[-1]
    if (paren := before.rfind("(", -60)) >= 0 and ")" not in before[paren:] and "," in text[s - 2:e + 2] \
            and _SETTINGS_OPEN.search(before, max(0, paren - 40), paren + 1):
        return False  # "under four temperature settings (0.01, 0.5, 1.0)": the values a setting takes
    return not (_SETTING_BEFORE.search(lead) or _NOT_SCORE_BEFORE.search(lead) or _NOT_RESULT_BEFORE.search(before[-40:]))


_PAIR_END = re.compile(r"\d\s+to\s+$")
# The values a setting takes, listed in brackets after it (docs/claims_decisions.md, tenth round): "under four temperature
# settings (0.01, 0.5, 1.0)", "learning rates (3e-4, 1e-4)", "pruning ratios (0.3, 0.5)": settings, like "temperature of 0.7".
_SETTINGS_OPEN = re.compile(r"\b(?:settings?|configurations?|hyper-?parameters?|temperatures?|thresholds?|learning rates?|"
                            r"ratios|sparsit(?:y|ies)|dropout rates?)\s*\($", re.I)
_FROM_PAIR = re.compile(r"\bfrom\s+(?:\S+\s+){0,2}?\S*\d\s+to\s+$", re.I)
# After a bare decimal: a unit this file does not read ("3.5 GHz", "-50.03 dBc", "0.02 [ms/query]"), a rate per item
# ("3.9 per question", "14.1 objects/scene"), FLOPs in words, a version word ("2.1 release") or a capitalised word of a
# model's name ("3.5 Large").
_UNIT_WORD_AFTER = re.compile(r"\s?(?:[kMGT]?Hz|dBc|dBm|dBi|nm|µm|μm|mm|cm|m|km|px|pixels?|degrees?|deg|°|kg|g|mg|mV|V|mA|A|K|"
                              r"°C|Mbps|Gbps|kbps)(?![A-Za-z])|\s+(?:(?:[a-z-]+\s+)?per\b|[a-z]+/[a-z]+|giga|mega|tera|peta|release|version|edition|update|"
                              r"series|standard|protocol|licen[cs]e)|"
                              r"\s+(?!(?:AUC|Dice|Pearson|Spearman|Kendall|Elo|ELO)\b)[A-Z][a-z]+\b")
# A version: a decimal after a lower-case name with digits ("wav2vec 2.0"), after "Name (" or "(SD) ", or a later
# member of a list that starts after a name ("Industry 4.0 and 5.0", "Theorem 1.1, 1.2").
_VERSION_BEFORE = re.compile(r"\b[a-z]+\d\w*\s+$|\b[A-Z][\w.]*\s*\(\s*$|\)\s+$|"
                             r"\b[A-Z][\w.]*(?:-[\w.]+)*\s+\d+\.\d+(?:(?:\s*,\s*|\s+and\s+|\s+or\s+)\d+\.\d+)*(?:\s*,\s*|\s+and\s+|\s+or\s+)$")
# A decimal that is no result: a variable set with "=", a p-value, an example, a bound, a version or a setting word.
_NOT_RESULT_BEFORE = re.compile(r"(?:\\?[A-Za-z]{1,7}|[α-ωΑ-Ω])\s*\$?\s*(?:=|:=|≈)\s*\$?\s*$|\b(?:p|p-value)\s*\$?\s*"
                                r"(?:less than|<|>|=|of|\\approx|≈|~)\s*\$?\s*$|\b(?:equal to|equals)\s+$|"
                                # an interval's ends; a change "by N" whose metric is not named (its unit is unknown)
                                r"(?:\bCI|confidence interval|IQR)\b[:\s]*(?:\d*\.?\d+\s*(?:-|–|to|,)\s*)?$|"
                                r"\d\s*[(\[]\s*(?:\d*\.?\d+\s*[,;–-]\s*)?$|"  # "0.15 (0.11, 0.19)": the interval of a value

                                r"e\.g\.,?\s*$|\b(?:below|under|above|over|exceeding|at least|at most|than|threshold|"
                                r"version|release|v|step|steps|size|sizes|temperature|lambda|alpha|beta|gamma|setting|"
                                r"mode|track|protocol|"
                                r"ratio|factor|weight|coefficient|scale|level|budget|rate|margin|radius|epsilon)\s+(?:of\s+)?$", re.I)


# Clause limits for _metric_in_clause, the metric names it looks for and the words that make a decimal no score.
_CLAUSE_CUT = re.compile(r"[,;:()\[\]]|\.\s|\b(?:and|while|whereas|but|compared|versus|vs)\b")
_SCORE_GLUE = re.compile(r"\b(?:of|is|was|=|reach\w*|achiev\w*|at)\s*$", re.I)
_METRIC_NEAR = re.compile(r"(?:[a-z-]+\s+){0,2}?(?:\b(?i:" + _METRIC_WORDS + r")\b|\b(?:" + _METRIC_ACRONYMS + r")(?![\w@]))")
_NOT_SCORE_BEFORE = re.compile(r"\b(?:p|alpha|beta|lambda|gamma|sigma|std|variance|version|v|weight|ratio|rate)\s*(?:=|<|>|of)?\s*$"
                               r"|(?:[σ±<>≤≥]|\\pm|plus-minus|\+/-|out of)\s*=?\s*\$?\s*$", re.I)


def _noun_count(text: str, s: int, e: int, value: float, before: str) -> _Mention | None:
    """A whole number counting data items or people the work built, collected, studied or needs only
    so many of (see _N_ITEM); None otherwise (evaluated on, a decimal, a setting)."""
    digits = text[s:e].rstrip("$}").replace(",", "")  # "$100$ students": the math closed after the number
    if not (digits.isdigit() or _SCIENTIFIC.search(digits) and value == int(value)) or value < 1 or (1900 <= value <= 2100 and "," not in text[s:e]):
        return None
    if _N_EQUALS.search(before[-6:]):
        return _Mention(s, e, value, None, "count", "")
    if _SHARE_BASE.search(before[-12:]) or _OTHERS_COUNT.search(before[-40:]):
        return None  # "28% of 109 candidates": the base of a share; "than the 900 clips of X": another's data
    if (m := _only_needed(text, e, before)) is not None:
        return _Mention(s, m.end(), value, None, "count", "", cost=True)
    reach = ("ttract" in before[-60:] or "eceiv" in before[-60:] or "drew" in before[-60:]) \
        and _REACH_BEFORE.search(before[-60:]) and (r := _REACH_NOUN.match(text, e))
    if reach or (text.startswith((" teams", " participants", " registrants"), e) and (r := _REACH_DID.match(text, e))):
        return _Mention(s, r.end(), value, None, "count", "")  # "the challenge attracted 214 teams": the reach of what it ran
    if value >= 100 and _RAN_BEFORE.search(before[-40:]) and (r := _RUN_NOUN.match(text, e)):
        return _Mention(s, r.end(), value, None, "count", "")  # "we ran 12,600 simulated trials": the size of the study run
    m = _N_ITEM.match(text, e)
    if (value < 100 and text.startswith((" unique", " distinct", " different"), e) or "from" in before[-30:]
            and _SOURCED_FROM.search(before[-30:]) and _SOURCE_NOUN.match(text, e)) and not (m and m.group("person")):
        return None  # "featuring 16 unique objects": a design; "instances sourced from 128 repositories": its sources
    if m is None:
        return _generic_count(text, s, e, value, None) if value >= 100 else None
    near = _cue_window(text, s)
    if _design_tasks(m, value):
        return None
    if value < 100 and m.group("item") and before.endswith("from ") and _FROM_SOURCES.search(before[-90:]):
        return None  # "1,200 quotes from 15 novels": where counted data came from, like the composition of a count
    if _BUILT_AFTER.match(text, m.end()) and not _COUNT_EVAL.search(near):
        return _Mention(s, m.end(), value, None, "count", "")  # "350,000 articles were collected"
    if m.group("person") and (_STUDY_WITH.search(near) or _TOOK_PART.match(text, m.end())
                              or ("from" in near[-12:] and _JUDGED_BY.search(near[-50:]))) and value >= 2:
        return _Mention(s, m.end(), value, None, "count", "")  # "a user study with 28 participants"
    if _COUNT_EVAL.search(near) or value < 2 or _DATA_USED_NEAR.search(near) or _data_run_on(text, s, near):
        return None
    if "train" in text[m.end():m.end() + 60] and _SPLIT_FOLLOWS.match(text, m.end()) and not _MADE_CUE.search(near):
        return None  # "The corpus includes 500 notes, with 400 for training and 100 for testing": the experiment's data (17-prec4)
    if not (_COUNT_BUILD.search(near) or (m.group("person") and _PERSON_CUE.search(near))
            or (value >= 100 and _own_data_paper(text) and not _DATA_EVALUATED.search(near)
                and not _OTHERS_ASIDE.search(before))):
        return None  # in a paper presenting its own data, 100+ items anywhere size it ("voices for all 3,120 clips")
    return _Mention(s, m.end(), value, None, "count", "")


# The reach of a challenge or shared task the work ran (17-count5): "the challenge attracted 214 participating teams", "we
# received 1,310 submissions", "with 17 teams submitting runs": counts of who took part and what they sent, like the people
# of a study; "received 12 citations" counts nothing listed.
_REACH_BEFORE = re.compile(r"\b(?:attract(?:ed|s|ing)?|receiv(?:ed|es|ing)|drew)\s+(?:(?:a total of|in total|more than|over|nearly|"
                           r"about|around|approximately|some|almost)\s+)*(?:(?:\d[\d,]*\s+(?:[\w-]+\s+)?)?(?:submissions|entries|"
                           r"solutions)\s+from\s+(?:(?:more than|over|nearly|about|around|some|almost)\s+)*)?$", re.I)
_REACH_NOUN = re.compile(r"\+?\s+(?:[\w-]+\s+){0,2}?(?:teams|participants|registrants|submissions|entries|solutions)\b", re.I)
_REACH_DID = re.compile(r"\s+(?:teams|participants|registrants)\s+(?:submitt(?:ing|ed)|registered|competed|participated|"
                        r"took part)\b")


# The size of a study the work ran (17-count5; docs/claims_decisions.md: "12,600 simulated trials"): 100 or more runs,
# experiments or trials right after a verb of running ("we conduct 710 experiments", "by simulating over 2,500 debates", "a
# total of 4,200 assessments"); "averaged over 100 runs" or "on a total of 500 episodes" is a setting of an evaluation.
_RAN_BEFORE = re.compile(r"(?:\b(?:ran|run|running|conduct(?:ed|s|ing)?|perform(?:ed|s|ing)?|simulat(?:e|ed|es|ing)|execut(?:e|ed|es|ing)|"
                         r"carr(?:y|ied|ies|ying) out)|(?<!\bon )(?<!over )\ba total of)\s+(?:(?:over|more than|about|nearly|"
                         r"approximately|some|roughly|around)\s+)?$", re.I)
_RUN_NOUN = re.compile(r"\+?\s+(?:[\w-]+\s+){0,2}?(?:trials|runs|simulations|experiments|episodes|rollouts|games|debates|analyses|"
                       r"assessments|evaluations|interactions|sessions)\b", re.I)


# The make-up of data (docs/claims_decisions.md, tenth round): fewer than 100 "unique/distinct/different" things are
# the categories of a design ("16 unique objects", "40 distinct manoeuvres"), and the sources a dataset is drawn from
# ("50k instances sourced from 128 repositories") its design, like its domains or languages; people stay counted.
_SOURCE_NOUN = re.compile(r"\s+(?:[\w-]+\s+){0,2}?(?:repositor(?:y|ies)|websites?|web ?sites?|sources|platforms|sites|domains|"
                          r"channels|forums|subreddits|journals|venues|outlets|stations|hospitals|institutions|projects|"
                          r"organi[sz]ations|countries|companies|communities|accounts|apps|libraries)\b", re.I)
_SOURCED_FROM = re.compile(r"\b(?:sourced|drawn|derived|mined|scraped|crawled|harvested|aggregated|collected)\s+from\s+(?:(?:over|about|around|"
                           r"nearly|more than|some)\s+)?$", re.I)
# Data the work takes from others or only uses: "a dataset provided by the X consortium, comprising 192 scans", "we
# utilized the Y corpus, containing 900 pages".
_DATA_USED_NEAR = re.compile(r"\b(?:(?:dataset|benchmark|corpus|collection|data|database|archive)s?\s+(?:provided|released|published|"
                             r"made available|shared|hosted|maintained)\s+by\s+(?!us\b|our\b|the authors\b)|"
                             r"(?:utiliz|employ|leverag|adopt)\w*\s+(?:the|a|an|two|three|several|multiple|public|publicly)\s+"
                             r"(?:[\w-]+\s+){0,3}?(?:dataset|benchmark|corpus|collection|database)s?\b)", re.I)
# An aside on another's data: "inspired by X's benchmark (1,400 tasks", "such as the Y corpus (900 pages".
_OTHERS_ASIDE = re.compile(r"(?:['’]s|\binspired by|\bfollowing|\bsuch as|\blike)\s[^()]{0,60}\([^()]*$")


# Data the work only evaluates on or runs on (17-prec4, tenth round), three wordings the cue window misses:
# - a sentence whose main clause is the work evaluating ("We evaluate our method on a test set of scans from 40
#   patients, totaling 900 volumes"): every count in it sizes data evaluated on, unless a build word comes before it;
# - a dataset introduced by "on" and sized by a composition word ("a study on an in-house dataset comprising 2,000
#   slides"): the data something is run on;
# - datasets listed after a use word and a colon ("using two datasets: the X dataset, featuring 12 scenes");
# - a count right after "on" in a clause that reports a result ("reaches 71% recall on 300 unseen rooms").
_EVAL_SENTENCE = re.compile(r"^\W*(?:[\w,'’-]+\s+){0,4}?(?:[Ww]e|[Oo]ur\s+[\w-]+)\s+(?:\w+\s+)?(?:evaluat|validat|test|assess)\w*\b")
_ON_DATASET_OF = re.compile(r"\bon\s+(?:an?|the)\s+(?:[\w-]+\s+){0,4}?(?:dataset|test set|benchmark|corpus|cohort|collection|"
                            r"database)\s+(?:comprising|containing|consisting of|of|with|including|featuring)\s+"
                            r"(?:about |around |over |nearly |approximately |more than )?$", re.I)
_USED_DATASETS_COLON = re.compile(r"\b(?:using|use|on|across|with)\s+(?:\w+\s+){0,3}?(?:datasets|benchmarks)\s*:[^.;]*$", re.I)
_RESULT_ON = re.compile(r"\b(?:achiev\w*|accuracy|outperform\w*|surpass\w*|improv\w*|scor\w*|reach\w*)\b[^.;]*\bon\s+"
                        r"(?:about |around |over |nearly |all |the )?$", re.I)


# A count split at once into training and held-out parts, with no word of building ("The dataset includes 500 notes,
# including 400 for training and 100 for validation"): the data an experiment used, a setting like its split (17-prec4).
_SPLIT_FOLLOWS = re.compile(r"\s*,?\s*(?:including|with|of which|split into|divided into|partitioned into)\s+(?:about\s+)?\d[\d,]*\s+"
                            r"(?:[\w-]+\s+){0,2}?(?:for|in the|as)\s+(?:the\s+)?(?:training|train)\b", re.I)


def _data_run_on(text: str, s: int, near: str) -> bool:
    """Whether a count at text[s] sizes data the work evaluates or runs on (see _EVAL_SENTENCE and the rest)."""
    if " on " in near and (_RESULT_ON.search(near) or _ON_DATASET_OF.search(near)):
        return not _MADE_CUE.search(near)
    if ":" in near and ("datasets" in near or "benchmarks" in near) and _USED_DATASETS_COLON.search(near):
        return not _MADE_CUE.search(near)
    floor = max(0, s - 400)
    stops = [m.end() for m in _SENTENCE_STOP.finditer(text, floor, s)]
    lead = text[stops[-1] if stops else floor:s]
    if ("valuat" in lead or "validat" in lead or " test" in lead or "assess" in lead) and _EVAL_SENTENCE.match(lead):
        return not _MADE_CUE.search(lead)
    return False


_SENTENCE_STOP = re.compile(r"[.!?][\"'”’)]?\s+(?=[A-Z\"“])")
_MADE_CUE = re.compile(_BUILD_CUE.pattern[:-len(r")\w*\b")] + r"|devis|design|assembl|gather|annotat|record|acquir)\w*\b", re.I)


def _only_needed(text: str, e: int, before: str) -> re.Match | None:
    """The counted noun of what the work needs only so many of: "only 16 images", "just four GPUs", and with "only" after
    the noun, "requires 5 prompt pairs only"; None otherwise."""
    only = _has_literal(before[-60:], _COUNT_ONLY_LITERALS) and _COUNT_ONLY.search(before[-60:])
    if not only and " only" not in text[e:e + 90] and " alone" not in text[e:e + 90]:
        return None  # the cheap test first: most counts have no "only" near them
    m = _N_ITEM.match(text, e) or _ONLY_NOUNS.match(text, e)
    if m is not None and "input" in text[e:m.end() + 20] and _INPUT_ITEMS.match(text, e):
        return None  # "from as few as five unposed input images": an input setting, not data the work needs
    if m is None or _SCARCE_BEFORE.search(before[-60:]):
        return None  # "a species that has only three recordings": data the world lacks, not what the work needs
    return m if only or _ONLY_AFTER.match(text, m.end()) else None


# The sources a counted set was drawn from ("2,400 excerpts from 18 novels"): a count under 100 right after "<count>
# <items> from" names where the data came from, not a size of its own; people ("from 40 surgeons") stay participants.
_FROM_SOURCES = re.compile(r"(?<![\w.,-])\d[\d,.]*\s*[KMBk]?\+?\s+(?:[\w'’-]+\s+){0,3}?[\w'’-]+s\s+from\s+$")
# Judgements given by people of a study ("preference votes from 1,200 participants", "ratings from 30 nurses"): the
# people of a study the work ran, like "with 14 radiologists", even in a sentence that evaluates.
_JUDGED_BY = re.compile(r"\b(?:preferences?|ratings?|judge?ments?|feedback|votes?|responses?)\s+from\s+"
                        r"(?:(?:about|around|over|nearly|more than)\s+)?$", re.I)
# The inputs a method takes per run ("as few as five unposed input images", "only 3 input views"): an input count, a
# setting (docs/claims_decisions.md: "from just 4 camera views" is an input setting), not data the work needs.
_INPUT_ITEMS = re.compile(r"\s+(?:[\w-]+\s+){0,2}?input\s+(?:images?|views?|frames?|photos?|pictures?|shots?|scans?|samples?)\b", re.I)
_SCARCE_BEFORE = re.compile(r"\b(?:has|have|had|there (?:is|are|was|were)|exists?)\b[^.;:]{0,40}$", re.I)
_ONLY_AFTER = re.compile(r"\s+(?:only|alone)\b(?!\s+(?:for|in|on|when|if|to)\b)")


def _design_tasks(m: re.Match, value: float) -> bool:
    """Whether a counted noun is a few tasks ("two reasoning tasks", "comprising 30 tasks"): the tasks of a design
    or an evaluation, not a size (a benchmark of 1,200 tasks is one; "only N tasks" is read before, as a cost);
    or a count per unit ("five images per scene"), a composition. Fewer than 50 scenarios are a design too, like the
    categories of a dataset (17-prec4)."""
    if _PER_AFTER.match(m.string, m.end()):
        return True
    return value < 50 and bool(m.group("item")) and m.group("item").lower() in ("tasks", "scenarios")  # "12 usage scenarios"


_TOOK_PART = re.compile(r"\s+(?:(?:were|was|have been)\s+)?(?:took part|participated|(?:were\s+)?recruited|(?:were\s+)?"
                        r"interviewed|enrolled|volunteered|completed (?:the|our|a|an)\b|"
                        # people who did the study's work: "two radiologists reviewed 200 reports"
                        r"(?:independently\s+|manually\s+|blindly\s+)?(?:reviewed|rated|assessed|graded|judged|scored)\b)",
                        re.I)
_BUILT_AFTER = re.compile(r"\s+(?:were|was|have been|had been|are)\s+(?:\w+\s+)?(?:collected|annotated|curated|gathered|"
                          r"created|generated|labell?ed|compiled|constructed|crawled|scraped|recorded|transcribed)\b", re.I)
_SHARE_BASE = re.compile(r"%\$?\s+of\s+(?:the\s+)?$")
_PER_SECOND = re.compile(r"\s*(?:per\s+second|per\s+sec\b|/\s?(?:s|sec|second)\b)", re.I)
_PER_AFTER = re.compile(r"\s+(?:per|for each|each)\b", re.I)


def _generic_count(text: str, s: int, e: int, value: float, near: str | None) -> _Mention | None:
    """A count of 100 or more of any plural noun (_N_GENERIC) with an explicit build cue before it or a build verb
    after it ("12,400 letters were transcribed"): data the work built. ``near``: the cue window, None to compute it
    (only once a plural noun follows: most bare numbers count nothing)."""
    if value < 100:
        return None
    m = _N_GENERIC.match(text, e)
    if m is None or _EXCLUDED_COUNT_NOUNS.match(m.group(1)) or \
            (_GENERIC_EXCLUDED.match(m.group(1)) and not m.group(0).endswith("data points")):
        return None
    near = _cue_window(text, s) if near is None else near
    if _COUNT_EVAL.search(near) or _EVAL_IN_WINDOW.search(near) or _DATA_USED_NEAR.search(near) or _data_run_on(text, s, near):
        return None
    if not (_BUILT_AFTER.match(text, m.end()) or (_COUNT_BUILD.search(near) and (_BUILT_DATA.search(near)
                                                                                  or _DATA_WORD.search(near)))
            or (_own_data_paper(text) and not _DATA_EVALUATED.search(near) and not _OTHERS_ASIDE.search(text[max(0, s - 80):s]))):
        return None
    return _Mention(s, m.end(), value, None, "count", "")


@lru_cache(maxsize=1)  # the counts of one abstract ask again: kept for the last abstract
def _own_data_paper(text: str) -> bool:
    """Whether the abstract presents data of its own ("we introduce X, a benchmark of ...", "this paper releases a
    corpus"): then a count of 100 or more of a plural noun anywhere in it sizes that data, even far from the build
    verb ("... spanning 1,204 dialogues")."""
    return _OWN_DATA.search(text) is not None


_OWN_DATA = re.compile(r"\b(?:[Ww]e|[Oo]ur|[Tt]his (?:paper|work|study))\s+(?:\w+\s+){0,2}?(?:introduc|present|propos|construct|"
                       r"build|built|releas|curat|creat|collect|compil|develop)\w*\b[^.]{0,80}?\b(?:dataset|benchmark|"
                       r"corpus|collection|suite|database|test ?bed)s?\b")


def _data_used(before: str, near: str) -> bool:
    """Whether a count after "using/with" counts data used; "a dataset with N" is the size of a dataset,
    used only when an evaluation or training verb comes before it ("pre-train on a dataset with N pairs")."""
    return bool(_USING_BEFORE.search(before)) and not (_DATASET_WITH.search(before) and not _COUNT_EVAL.search(near))


def _cue_window(text: str, s: int) -> str:
    """The 80 characters of the sentence before text[s] that carry a count's verb, parentheticals left out
    ("we introduce X (the largest corpus to date), with 3,000 images")."""
    floor = max(0, s - 240)
    stop = text.rfind(". ", floor, s)
    while stop >= 3 and text[stop - 3].isupper() and text[stop - 2] == "." and text[stop - 1].isupper():
        stop = text.rfind(". ", floor, stop)  # "the U.S. Code": an abbreviation ends no sentence
    lo = max(stop + 1, s - 240, 0)
    return _PARENTHETICAL.sub("", text[lo:s])[-80:]


def kind_and_direction(text: str, ws: int, we: int, sent_start: int, sent_end: int, unit: str) -> tuple[str, str]:
    """Kind and direction of the ``unit`` claims at text[ws:we]: keywords of the same clause (after the
    numbers first, then the nearest before them), corrected by what the unit implies."""
    before, after = _clause_windows(text, ws, we, sent_start, sent_end)
    kind = kword = None
    if unit not in _UNIT_DECIDES_KIND:  # _unit_kind sets those units' kind whatever the keywords say: none looked up
        if " the same " in before or "comparable " in before:  # "cuts the compute needed to reach the same accuracy by 5x"
            before = _PARITY.sub(" ", before)
        kind, kword = _keyword(_KIND_RE, _KIND_WORDS, after, before)
    if unit in ("x", "percent"):
        kind, kword = _own_clause_kind(text, ws, sent_start, unit, before, after, kind, kword)
    if kind is None and unit in ("x", "percent"):  # no kind word in the clause: its own cues, else the sentence's nearest word
        kind = _clause_level_kind(text, ws, we, sent_start, unit, after)
        if kind is None and not _names_own_quantity(text, ws, we, before, after):  # nor a noun of its own
            kind, kword = _keyword(_KIND_RE, _KIND_WORDS, text[we:sent_end].lower(), text[sent_start:ws].lower())
    lo = max(sent_start, ws - 30)
    pair = (text.find("vs", lo, we + 16) >= 0 or text.find("versus", lo, we + 16) >= 0) and _versus_pair(text, ws, we, sent_start)
    if unit not in ("x", "percent"):  # _unit_kind reads the direction keyword of ratios and percents only: not looked up
        kind = _unit_kind(text, ws, we, sent_start, sent_end, unit, kind, kword, None)
        return kind, "none" if pair else _absolute_direction(text, ws, we, sent_start, after)
    direction = None if pair else _relative_direction(text, ws, sent_start, before, after)
    kind = _unit_kind(text, ws, we, sent_start, sent_end, unit, kind, kword, direction)
    return kind, direction or ("increase" if unit == "x" else "none")


def _own_clause_kind(text: str, ws: int, sent_start: int, unit: str, before: str, after: str, kind: str | None,
                     kword: str | None) -> tuple[str | None, str | None]:
    """The kind of a ratio or percent from the words of its own clause where the nearest keyword is not what it measures
    (docs/claims_decisions.md, eighth round); each check behind a cheap substring test."""
    if ("year" in after or "yr" in after or "annual" in after) and _GROWTH_RATE.match(after):
        return "other", "growth"  # "scaling at 2.2x/3yrs", "1.7 times every 4 years": a growth rate, kind other
    if ("size" in after[:14] or before.endswith("the size")) and _SIZE_OF_AFTER.match(text, ws):
        return "scale", "size of"  # "three times the size of the GPU memory": a size handled ("memory" after it is the reference)
    named_after = kind is not None and _KIND_RE.search(after) is not None
    if not named_after and ("short" in before or "behind" in before or "trail" in before) and _GAP_BEFORE.search(before):
        return "accuracy", "gap"  # "fall short by 12% relative to annotators": a gap in performance
    if kind is None or named_after:  # the clause names it after the number: that word stays
        if kind == "scale" and kword in ("larger", "bigger", "longer") and "budget" in after:
            return "cost", "budget"  # "30% larger compute budgets": the noun after the comparative
        return kind, kword
    # the kind came from the words before the number
    if "by" in before[-22:] and _MARGIN_OBJECT.search(text[max(sent_start, ws - 160):ws].lower()):
        return "accuracy", "outperform"  # "outperforms the cache-augmented X by 14%": a margin; the word names X
    if unit == "percent" and _achieved_before(before):
        return "accuracy", "achiev"  # "with it reaching 83 percent tagging"
    prev = _elliptic_kind(before)
    return prev if prev is not None else (kind, kword)


# A growth rate per period of time, right after the ratio: "2.2x/3yrs", "1.7 times every 4 years", "2x per year".
_GROWTH_RATE = re.compile(r"\s*(?:\$?\\times\$?|x|×|-?\s?times|-?\s?fold)?\s*(?:/\s*\d*\s*(?:yrs?|years?)\b|(?:every|per|each|a)\s+"
                          r"(?:\d+\s+|two\s+|three\s+|few\s+)?(?:years?|yrs?)\b|annually\b)")
_SIZE_OF_AFTER = re.compile(r"(?:twice|[\w.]+\s*(?:x|×|times))\s+the\s+size\s+of\b", re.I)
_GAP_BEFORE = re.compile(r"\b(?:f[ae]ll\w*\s+short|lag\w*\s+(?:far\s+)?behind|trail\w*)\b[^,;]{0,50}?\bby\s+(?:up to\s+|about\s+|around\s+|"
                         r"nearly\s+|over\s+)?\$?$")
# A margin over a named other ("outperforms the cache-augmented Birch tagger by"): kind words between the verb and "by"
# describe what is beaten, not what the margin measures.
_MARGIN_OBJECT = re.compile(r"\b(?:outperform\w*|surpass\w*|beat\w*)\s+(?:(?!(?:while|whereas|but|yet|when)\b)[\w.%-]+\s+){0,12}?by\s+(?:up to\s+|about\s+|around\s+|"
                            r"nearly\s+|an average of\s+|on average\s+)?\$?$")
_ACHIEVED_PCT = re.compile(r"\b(?:achiev|reach|attain)\w*\s+(?:an?\s+)?(?:up to\s+|over\s+|about\s+|around\s+|nearly\s+)?\$?$")


def _achieved_before(before: str) -> bool:
    """Whether a number right after an achieve verb ("reaching 83 percent") is a score the work reaches."""
    return ("ach" in before[-25:] or "rea" in before[-25:] or "att" in before[-25:]) and _ACHIEVED_PCT.search(before) is not None


# The same unit's earlier number in a list ("3.1x speed-up on video tagging and 2.4x on ..."): an elliptic member with
# no word of its own takes the word right after the earlier member, not the nearest one (which names a task).
_EARLIER_MEMBER = re.compile(r"\d(?:\$?\\times\$?|x|×|%|\\%| times)\}?\s*(?P<w>(?:[a-z][\w/-]*\s*){1,2})[^\d]*?(?:,|\band)\s+"
                             r"(?:\\textbf\{|\$)?$")


def _elliptic_kind(before: str) -> tuple[str, str] | None:
    if not ("and" in before[-12:] or "," in before[-12:]):
        return None
    m = _EARLIER_MEMBER.search(before)
    if m is None:
        return None
    hit = _KIND_RE.match(m.group("w"))
    return None if hit is None else (_KIND_WORDS[int(hit.lastgroup[1:])][1], hit.group(0))


# A clause that names its own measured noun with no kind word: the object of a change verb before "by" ("reduces
# leakage by 31%") or a noun after a comparative ("18% more concise hints"); its kind is other, not the
# sentence's nearest keyword (which belongs to another number or clause).
_CHANGED_OBJECT = re.compile(r"\b(?:reduc|increas|improv|decreas|lower|rais|cut|boost|enhanc|mitigat|curb|suppress)\w*\s+"
                             r"(?!(?:it|them|this|that|these|its|their|our|the\s+(?:model|method|baseline|performance|results?))\b)"
                             r"(?:the\s+)?(?!(?:performance|results?|models?|methods?|baselines?|the|by|level|capabilit\w*|abilit\w*)\b)[a-z][\w-]*"
                             r"(?:\s+(?!(?:level|performance|capabilit\w*|abilit\w*)\b)[a-z][\w-]*)?\s+by\s+"
                             r"(?:up to\s+|an average of\s+|about\s+|around\s+|nearly\s+|over\s+|on average\s+)?\$?$")
_BRACKETED_SHARES = re.compile(r".*[a-z]s\s\([^()]*\)(?:,\s|\s+and\s)|.*[a-z]s(?:,\s|\s+and\s)[\w -]{2,30}\s\([^()]*\)$", re.S)
_NOUN_AFTER_COMPARATIVE = re.compile(r"\s*(?:\\?%\s*)?(?:more|fewer|higher|lower|greater)\s+[a-z][\w-]*\s+[a-z][\w-]*")


def _names_own_quantity(text: str, ws: int, we: int, before: str, after: str) -> bool:
    if text[ws - 1:ws] == "(" and _BRACKETED_SHARES.match(text, ws - 40 if ws >= 40 else 0, we + 8):
        return True  # "stale items (6%), mislabeled pages (13%), ...": a list of shares of the nouns before them
    if " by" in before[-22:] and _CHANGED_OBJECT.search(before):
        return True
    return ("more " in after or "fewer " in after or "er " in after[:12]) and _NOUN_AFTER_COMPARATIVE.match(after) is not None


# "A vs B" (docs/claims_decisions.md, ninth round): two levels measured side by side ("lower drift (0.41 vs. 0.57)",
# "recall (83% vs 79%)", "0.61 vs. Birch's 0.38") are each a level, direction none, whatever change word the sentence
# has; a signed delta ("+4.6% vs. the previous best") keeps its sign's direction.
_VS_AFTER = re.compile(r"[\s%\\$]*(?:[a-z%]+\s*)?\)?\s*(?:vs\.?|versus)\s")
_VS_BEFORE = re.compile(r"\b(?:vs\.?|versus)\s+(?:[\w'’.-]+\s+){0,2}?\$?$")
_VS_INSIDE = re.compile(r"\s(?:vs\.?|versus)\s")


def _versus_pair(text: str, ws: int, we: int, sent_start: int) -> bool:
    """Whether the numbers at text[ws:we] are one side of (or the whole of) an "A vs B" pair of levels."""
    lo = max(sent_start, ws - 30)
    if text.find("vs", lo, we + 16) < 0 and text.find("versus", lo, we + 16) < 0:
        return False
    if "+" in text[max(0, ws - 3):ws]:
        return False
    return (_VS_INSIDE.search(text, ws, we) is not None or _VS_AFTER.match(text, we) is not None
            or _VS_BEFORE.search(text[lo:ws]) is not None)


def _clause_level_kind(text: str, ws: int, we: int, sent_start: int, unit: str, after: str) -> str | None:
    """Kind of a percent or ratio whose clause has no kind word, from the clause's own cues: "N x smaller" right after it
    is a size (memory); a percent right after a named metric ("an N-Acc of 83%") or reached by an achieve verb with
    no change word after it ("achieves 62.0% on X") is a score (accuracy). None: the sentence's nearest word decides."""
    if "smaller" in text[we:we + 16] or "lighter" in text[we:we + 16] or "compact" in text[we:we + 22]:
        if _SMALLER_AFTER.match(text, we):
            return "memory"
    if unit == "percent":
        lead = text[max(sent_start, ws - 60):ws]
        if _SCORE_BEFORE.search(lead) or (_ACHIEVES_BEFORE.search(lead) and not _DIR_RE.search(after)):
            return "accuracy"
    return None


# Relative directions (docs/claims_decisions.md, ninth round). A need cue right before the number ("with only 0.8% of
# the data") states an amount, not a change; "by N" after a second object ("cuts A by 17% and B by 6%") takes the change
# verb of the sentence; a change word that follows an earlier number and ends before "and"/"," belongs to that number ("a
# 35% gain and a 62% hit rate"); an achieve verb after the nearest change word reaches a level ("improves X, achieving
# 71%"); a signed percent ("+4.6%") is an increase.
_NEED_ONLY_BEFORE = re.compile(r"\b(?:with|using|uses?|requir\w*|need\w*|costs?)\s+(?:only|just|merely|as (?:few|little) as)\s+"
                               r"(?:(?:about|around|approximately|roughly)\s+)?\$?$", re.I)
_BY_CHANGE_BEFORE = re.compile(r"\bby\s+(?:(?:up to|at least|about|around|over|nearly|more than|roughly|approximately|"
                               r"an average of|on average)\s+)?[~+]?\$?$")
_LEVEL_VERB = re.compile(r"\b(?:achiev|reach|attain|obtain)\w*\b")
_COMPARISON_WORD = re.compile(r"outperform|surpass|exceed|beat|outpac")
_CONJ = re.compile(r"\band\b|,")


def _relative_direction(text: str, ws: int, sent_start: int, before: str, after: str) -> str | None:
    """Direction of the percent or ratio at text[ws:] from its clause windows (``before``/``after``, lower case)."""
    hit = _DIR_RE.search(after)
    if hit is not None:
        return _DIR_WORDS[int(hit.lastgroup[1:])][1]
    tail = before[-40:]
    if ("only" in tail or "just" in tail or "merely" in tail or " as " in tail) and _NEED_ONLY_BEFORE.search(tail):
        return None
    for hit in _DIR_RE.finditer(before):  # the last one is the nearest
        pass
    if hit is not None and ("and" in before or "," in before):
        last = max(map(before.rfind, "0123456789"))  # the last digit before the number
        if 0 <= last < hit.start() and (conj := _CONJ.search(before, last)) and hit.start() < conj.end():
            hit = None  # the change word of the number before ("a 35% gain and a ...")
    if hit is not None and ("achiev" in before or "reach" in before or "attain" in before or "obtain" in before) \
            and _LEVEL_VERB.search(before, hit.end()) and not _COMPARISON_WORD.match(hit.group(0)):
        hit = None
    if hit is not None:
        return _DIR_WORDS[int(hit.lastgroup[1:])][1]
    if "by" in tail and _BY_CHANGE_BEFORE.search(tail):
        for hit in _DIR_RE.finditer(text[sent_start:ws].lower()):
            pass
        if hit is not None:
            return _DIR_WORDS[int(hit.lastgroup[1:])][1]
    if "+" in text[max(0, ws - 3):ws] and re.search(r"\+\s?\$?$", text[max(0, ws - 3):ws]):
        return "increase"
    return None


# A parity clause names what stays equal, not what the number measures: "the compute needed to reach the same accuracy".
_PARITY = re.compile(r"\b(?:needed\s+|required\s+)?(?:to|while)\s+(?:achiev|reach|match|maintain|preserv|retain|keep)\w*\s+"
                     r"(?:the same|comparable|similar|equal|equivalent)\s+[\w-]+(?:\s+[\w-]+)?")


def _clause_windows(text: str, ws: int, we: int, sent_start: int, sent_end: int) -> tuple[str, str]:
    """Lower-cased words before text[ws:we] back to the clause start and after it up to the clause end."""
    after = text[we:min(sent_end, we + 70)].lower()
    cm = _CLAUSE_END.search(after)
    if cm:
        after = after[:cm.start()]
    before = text[max(sent_start, ws - 90):ws].lower()
    # the characters and words _CLAUSE_START needs: 2 windows in 3 have none
    if any(c in before for c in ";:[].") or "while" in before or "whereas" in before or "but" in before:
        starts = list(_CLAUSE_START.finditer(before))
        if starts:
            before = before[starts[-1].end():]
    return before, after


def _keyword(pattern: re.Pattern, words: list[tuple[str, str]], after: str, before: str):
    """(label, matched word) of the first ``pattern`` hit after the number, else of the nearest before it."""
    hit = pattern.search(after)
    if hit is None:
        for hit in pattern.finditer(before):  # the last one is the nearest
            pass
    if hit is None:
        return None, None
    return words[int(hit.lastgroup[1:])][1], hit.group(0).lower()


# Units whose kind _unit_kind sets whatever the keyword kind is (kind_and_direction looks no keyword up for them): a
# rule there that reads ``kind`` or ``kword`` for one of them must take it out of this set.
_UNIT_DECIDES_KIND = frozenset(("parameters", "tokens", "count", "bytes", "points", "seconds"))


def _unit_kind(text: str, ws: int, we: int, sent_start: int, sent_end: int, unit: str,
               kind: str | None, kword: str | None, direction: str | None) -> str:
    """The keyword ``kind`` overridden by the unit: counts and sizes are scale (hardware counts cost),
    bytes memory, points accuracy, durations scale/cost/speed by their context. ``direction``: the direction keyword
    of a ratio or percent (None for other units)."""
    if unit == "parameters":
        kind = "parameters"
    if unit in ("tokens", "count"):
        kind = "cost" if unit == "count" and _U_HW.search(text[ws:we + 1]) else "scale"
        if unit == "tokens" and _tokens_spent(text, ws, we, sent_start):
            kind = "cost"
    if unit == "bytes":
        kind = "memory"
    if unit == "other" and _U_RATE_SPEED.search(text[ws:we]):
        kind = "speed"
    if unit == "points":
        kind = "accuracy"
    if unit == "other" and "bit" in text[ws:we]:
        kind = "memory"  # "quantizes the weights to 3 bits", "2.3 bits per weight": a size reached
    if unit == "percent" and _SHARE_OF.match(text, we):
        lead = text[max(sent_start, ws - 40):ws]
        kind = "accuracy" if _SOLVES_BEFORE.search(lead) or _SUCCESS_ADVERB.search(lead) else "other"
    if unit == "percent" and text.startswith(" of ", we) and _share_succeeds(text, ws, we, sent_start, sent_end):
        kind = "accuracy"
    if unit == "percent" and text.find("account", max(sent_start, ws - 45), ws) >= 0 \
            and _ACCOUNTS_FOR.search(text[max(sent_start, ws - 45):ws]):
        kind = "other"  # "two of the 36 layers account for over 60% of the misparses": a share of what was studied
    if unit in ("percent", "x") and _resource_used(text, ws, we, sent_start):
        kind = "cost"
    elif unit == "percent" and kind in (None, "other") and text.startswith(" of ", we) \
            and _SHARE_NEEDED_BEFORE.search(text[max(sent_start, ws - 30):ws]):
        kind = "cost"  # "run with under 0.7% of the stored key vectors": a share of what a step needs
    if unit == "seconds":
        ctx = text[max(sent_start, ws - 90):min(sent_end, we + 40)]
        if _TAKES_BEFORE.search(text[max(sent_start, ws - 30):ws]) or _TIME_CUT_BY.search(text[max(sent_start, ws - 60):ws]):
            # "generates 5 s of video in 2 seconds"; "cuts the decoding time by a minute": time taken
            kind = "cost" if re.search(r"\btrain\w*", ctx, re.I) else "speed"
        elif re.search(r"\b(?:videos?|audio|clips?|long|duration|dataset|corpus|recordings|speech)\b", ctx, re.I):
            kind = "scale"
        elif re.search(r"\btrain\w*", ctx, re.I):
            kind = "cost"
        else:
            kind = "speed"
    if unit in ("x", "percent") and (kind in (None, "other", "speed") or kind == "accuracy" and kword is not None
                                      and (kword == "performance" or kword.startswith("improv"))) \
            and _SMALLER_AFTER.match(text, we):
        kind = "memory"  # "3x smaller" after a speed or quality word: a size reduction ("5% smaller error" keeps its metric)
    if kind == "memory" and unit in ("x", "percent") and kword == "model size" and direction == "increase":
        kind = "scale"
    if kind == "accuracy" and unit == "x" and (kword == "performance" or kword.startswith("improv")) \
            and not _METRIC_NAMED_AFTER.match(text, we):  # "a 2x improvement in FID" measures quality
        kind = "speed"
    return kind or "other"


_SHARE_NEEDED_BEFORE = re.compile(r"\b(?:with|using|us(?:es|ing)|requir\w*|need\w*)\s+(?:only\s+|just\s+|merely\s+|(?:less|fewer)\s+than\s+|"
                                  r"under\s+)\$?$", re.I)


# A share of the work's outputs that a check or a judge found good ("70% of the generated lemmas pass the proof checker", "35%
# of our drafts were rated as useful") and how often a system succeeds ("recognizes the speaker 58% of the time"):
# success rates, kind accuracy (docs/claims_decisions.md, eighth round).
_SHARE_SUCCEEDS = re.compile(r" of [^.;,]{0,60}?\b(?:(?:were|was|are|is)\s+(?:\w+\s+)?(?:correct|accurate|valid|interesting|useful|"
                             r"relevant|acceptable|successful|validated|verified|confirmed|accepted)\b|pass(?:es|ed)?\s+(?:the|all|a|an)\b)")
_SUCCEEDS_BEFORE = re.compile(r"\b(?:solv|detect|identif|resolv|answer|recover|complet|recogni[sz]|locat|retriev|repair|find|"
                              r"predict|classif|guess|generat\w* correct)\w*\s+(?:[\w-]+\s+){0,6}?$", re.I)


def _share_succeeds(text: str, ws: int, we: int, sent_start: int, sent_end: int) -> bool:
    tail = text[we:min(sent_end, we + 80)]
    if tail.startswith(" of the time"):
        return _SUCCEEDS_BEFORE.search(text[max(sent_start, ws - 60):ws]) is not None
    if not ("were " in tail or "was " in tail or "are " in tail or " is " in tail or "pass" in tail):
        return False
    return _SHARE_SUCCEEDS.match(tail) is not None


# A share or cut of a resource the work uses ("only 4% of the data", "63% of the thinking tokens", "88% token reduction",
# "training data ($0.5\\%$)"): compute, data or hardware spent, kind cost (docs/claims_decisions.md); data items
# ("1% annotated samples") only with a cue of need before them ("with only", "uses", "requires").
_RESOURCE_AFTER = re.compile(r"\s*(?:of\s+)?(?:the\s+|all\s+|its\s+|their\s+)?(?:(?!(?:on|in|for|at|with|by|over|than|to|and|or|"
                             r"per)\b)[\w-]+\s+){0,2}?(?:tokens|data|compute|computation|GPU (?:resources|hours|days))\b(?!\s*(?:/|per\b))"
                             r"|\s+(?:token|data|compute|sample)\s+(?:reduction|usage|budget|savings?)\b", re.I)
# A named set with its version ("of Alder-QA v2.0 training data") and a cut of tokens ("9x compression of the patch tokens
# of each clip") are resources used too (docs/claims_decisions.md, ninth round).
_NAMED_DATA_AFTER = re.compile(r"\s*of\s+(?:the\s+)?[A-Z][\w-]*(?:\s+v?\d[\d.]*)?\s+(?:training\s+|train\s+)?data\b")
_TOKEN_CUT_AFTER = re.compile(r"\s*(?:compression|reduction|pruning|savings?)\s+(?:of|in)\s+(?:the\s+)?(?:[\w-]+\s+)?tokens\b", re.I)
_ITEMS_USED_AFTER = re.compile(r"\s*(?:of\s+)?(?:the\s+|all\s+)?(?:[\w-]+\s+)?(?:samples|examples|annotations|labels|labell?ed data)\b",
                               re.I)
_NEED_BEFORE = re.compile(r"\b(?:only|just|merely|as few as|as little as|us(?:e|es|ing)|requir\w*|need\w*)\s+(?:about\s+|around\s+)?"
                          r"\$?$", re.I)
_RESOURCE_PAREN = re.compile(r"\b(?:(?:training\s+)?data|compute|GPU\s+resources?|GPU\s+hours)\s*\(\s*\$?$", re.I)


# A metric named right after a ratio's change word: "a 2x improvement in FID", "3x gains in BLEU".
_METRIC_NAMED_AFTER = re.compile(r"[\s$]*(?:\\times\$?\s*)?(?:[a-z-]+\s+){0,2}?(?:in|of|on)\s+(?:the\s+)?(?:(?:mean |average )*(?i:" + _METRIC_WORDS
                                 + r"|rouge|bleu|meteor)\b|(?:" + _METRIC_ACRONYMS + r")(?![\w@]))")


_SMALLER_AFTER = re.compile(r"\s*(?:smaller|lighter|more compact)\b(?!\s+(?:error|loss|gap|drop))", re.I)


# Tokens the work spends (docs/claims_decisions.md, ninth round): a token count needed only so many of ("with fewer than
# 600 visual tokens", "using just 64 tokens") or given per input ("1,200 tokens per image") is compute spent, kind cost,
# like a cut in tokens; a context or a corpus in tokens stays scale.
_TOKENS_NEED_BEFORE = re.compile(r"\b(?:with|using|uses?|requir\w*|needs?|needing|consum\w*|spend\w*)\s+(?:only\s+|just\s+|merely\s+)?"
                                 r"(?:(?:fewer|less) than|as few as|only|just|merely|under|at most)\s+(?:about\s+|around\s+)?$", re.I)
_TOKENS_PER_INPUT = re.compile(r"[^.;,]{0,25}?\btokens?\s*(?:/\s*|per\s+|for each\s+|each\s+)(?:input\s+)?(?:images?|frames?|videos?|clips?|"
                               r"samples?|queries|query|questions?|examples?|problems?|answers?|responses?|pages?|documents?|patch(?:es)?)\b",
                               re.I)


def _tokens_spent(text: str, ws: int, we: int, sent_start: int) -> bool:
    """Whether the token count at text[ws:we] is tokens the work spends (the patterns above); substring tests first."""
    lead = text[max(sent_start, ws - 40):ws]
    low = lead.lower()
    if ("than" in low or "few" in low or "only" in low or "just" in low or "merely" in low or "under" in low
            or "most" in low) and _TOKENS_NEED_BEFORE.search(lead):
        return True
    tail = text[ws:we + 45]
    return ("per" in tail or "/" in tail or "each" in tail) and _TOKENS_PER_INPUT.match(tail) is not None


_ACCOUNTS_FOR = re.compile(r"\baccount(?:s|ed|ing)?\s+for\s+(?:(?:over|more than|about|around|nearly|almost|roughly|"
                           r"approximately|up to|only|just|at least|close to)\s+)?\$?$", re.I)


def _resource_used(text: str, ws: int, we: int, sent_start: int) -> bool:
    """Whether the percent or ratio at text[ws:we] is a share or cut of a resource the work uses (a cost)."""
    if "(" in text[max(sent_start, ws - 3):ws] and _RESOURCE_PAREN.search(text[max(sent_start, ws - 30):ws]):
        return True
    tail = text[we:we + 60].lower()
    if not ("token" in tail or "data" in tail or "comput" in tail or "gpu" in tail or "sampl" in tail or "exampl" in tail
            or "annotat" in tail or "label" in tail):  # the substrings a resource noun needs (a cheap test first)
        return False
    if _RESOURCE_AFTER.match(text, we):
        return True
    if "data" in tail and tail.startswith(" of ") and _NAMED_DATA_AFTER.match(text, we):
        return True
    if "token" in tail and ("compress" in tail or "reduc" in tail or "prun" in tail or "sav" in tail) \
            and _TOKEN_CUT_AFTER.match(text, we):
        return True
    return _ITEMS_USED_AFTER.match(text, we) is not None and _NEED_BEFORE.search(text[max(sent_start, ws - 25):ws]) is not None





def _absolute_direction(text: str, ws: int, we: int, sent_start: int, after: str) -> str:
    """Direction of an absolute value: only from a change verb in the same clause, right next to the number."""
    if (c := _COMPARATIVE_AFTER.match(text, we)) is not None:  # "4.1 points higher", "2 mm worse" (17-widen)
        return "increase" if c.group(1) else "decrease"
    near = text[max(sent_start, ws - 45):ws].lower()
    tail = near[-40:]
    if ("only" in tail or "just" in tail or "merely" in tail or " as " in tail) and _NEED_ONLY_BEFORE.search(tail):
        near = ""  # "with as few as 30 sketches": an amount needed, not a change (docs/claims_decisions.md, ninth round)
    near = near[near.rfind(",") + 1:] + " " + after
    if _ABS_DEC.search(near):
        return "decrease"
    if _ABS_INC.search(near) or text[ws - 1:ws] == "+" or _OVER_AFTER.match(text, we) or _margin_before(text, ws, sent_start):
        return "increase"
    return "none"


def _margin_before(text: str, ws: int, sent_start: int) -> bool:
    """Whether the number at ``ws`` is a margin over others ("outperforms X by 2.4 BLEU"); substring tests first."""
    lead = text[max(sent_start, ws - 90):ws]
    if not (("by" in lead[-25:] or "over" in lead[-25:]) and any(v in lead.lower() for v in _MARGIN_VERBS)):
        return False
    return _ABS_MARGIN.search(lead) is not None


_MARGIN_VERBS = ("outperform", "surpass", "exceed", "beat")


_SPAN_WORDS = re.compile(r"(?:[ \t]+[A-Za-z][\w/-]*){0,3}")  # {0,3}: always matches
_SPAN_STOP = re.compile(r"\s(?:and|or|while|but|compared|than|on|with|for|in|at|from|to|of)\b")


def _span_end(text: str, end: int, sent_end: int) -> int:
    """Extend a claim span over up to 3 following words of the same clause."""
    tail = text[end:min(sent_end, end + 40)]
    words = _SPAN_WORDS.match(tail).group(0)
    cm = _SPAN_STOP.search(words)
    if cm:
        words = words[:cm.start()]
    return end + len(words)


# --------------------------------------------------------------------------- main
def claims_in_text(text: str, cues: tuple[bool, ...] | None = None) -> list[Claim]:
    """All quantitative claims in one abstract, in text order. ``cues``: whether the text has a word key, a number
    word and a glued size (WORD_KEY_PATTERN, NUMBER_WORD_PATTERN, GLUED_SIZE_CUE), when the caller found them already
    (the third may be left out)."""
    if not text:
        return []
    low = text.lower()
    word_any, number_words = cues[:2] if cues else (any(k in low for k in _WORD_KEYS), _NUMBER_WORD_ANY.search(low) is not None)
    glued_cue = (cues[2] if cues and len(cues) > 2 else True) and ("train" in low or "tun" in low)  # GLUED_SIZE_CUE first
    counted = [m.start() for m in _NUMBER_WORD_SCAN.finditer(" " + low) if _counts_a_noun(low, m.start(), m.end() - 1)] \
        if number_words else []
    # digits not glued to a name ("GPT-4", "V100", "3D" still pass here, "x2013" does not), found with the sentences
    spans, digits = _sentences_and_digits(text)
    ones = [m for m in _ONE_NEEDED.finditer(low)] if "one " in low and ("only" in low or "just" in low or "merely" in low) \
        else []  # "just one epoch": "one" is no number word elsewhere
    glued = _glued_trained_sizes(text) if glued_cue else []
    if not (word_any or counted or digits or ones or glued):
        return []
    out: list[tuple[int, Claim]] = []
    others: set[tuple[float, str]] = set()  # (value, unit) of claims in sentences whose subject is other work
    for i, (ss, se) in enumerate(spans):
        lows = low[ss:se]
        has_digit = bisect_left(digits, se) > bisect_left(digits, ss)
        counts = [p for p in counted if ss <= p < se]
        one_here = [m for m in ones if ss <= m.start() < se] if ones else None
        glued_here = [g for g in glued if ss <= g[0] < se] if glued else None
        if not has_digit and not counts and not one_here and not glued_here \
                and not (word_any and any(k in lows for k in _WORD_KEYS)):
            continue
        found = _claims_in_sentence(text, ss, se, lows, has_digit, word_any)
        if glued_here:
            found += glued_here
        if counts:
            found += _word_counts(text, ss, counts)
        if one_here:
            found += _one_needed(text, one_here)
        if not found:
            continue
        if is_background(text[ss:se]):
            if _OTHERS_SUBJECT.search(text[ss:se]):
                others.update((c.value, c.unit) for _, c in found)
            continue
        if i and ("this " in lows or "these " in lows) and _continues_other_work(text, spans[i - 1], lows):
            continue
        if others:
            found = [f for f in found if (f[1].value, f[1].unit) not in others or text[max(0, f[0] - 4):f[0]] != "the "]
        if "reported " in lows and (rep := _REPORTED_BY_OTHERS.search(text, ss, se)):
            found = [f for f in found if f[0] > rep.start() or _COMPARED_TO.search(text, f[0], rep.start())]
        out.extend(found)
    out.sort(key=lambda t: t[0])
    claims = [c for _, c in out]
    if any(c.repeat for c in claims):
        claims = _keep_repeats(claims)
    if claims and (any(c.unit in _RESTATE_UNITS for c in claims) and "(" in text
                   or len(claims) > 1 and any(c.unit == "count" for c in claims[1:])
                   and ("(" in text or "remaining" in low or "the rest" in low or ": " in text or "includ" in low)):
        claims = _drop_restated_and_parts(text, low, claims)
    return claims


# A size glued inside the name of a model the work trains or fine-tunes (docs/claims_decisions.md, "Model versions and
# sizes in one name"; twelfth round): the name right after the verb, with no article ("we fine-tune Quill-2-13B-Chat on",
# "Fine-tuning Quill-7B with", "fine-tuned from Quill-3-8B-Instruct"), or right before a passive or appositive training
# verb ("Quill-7B-Base is pre-trained on", "Quill-32B, fine-tuned on"), and the later glued names of a list right after such
# a name ("we train Quill-7B and Birch-3B"). "the/a X-7B model" after the verb, a participle
# used as an adjective ("the fine-tuned X-70B"), and names only evaluated or used stay names.
_GLUED_SIZE = re.compile(r"-(\d+(?:\.\d+)?)([BbMm])(?=[-,;:)\s]|\.(?!\d)|$)")
_GLUED_VERB_BEFORE = re.compile(r"(?:\b(?:fine-?tun(?:e|es|ing)|finetun(?:e|es|ing)|(?:pre-?|post-?)?train(?:s|ing)?)|"
                                r"\b[Ww]e\s+(?:\w+\s+)?(?:fine-?tuned|finetuned|(?:pre-?|post-?)?trained)|"
                                r"\b(?:fine-?tuned|finetuned|(?:pre-?|post-?)?trained)\s+from)\s+$", re.I)
_GLUED_VERB_AFTER = re.compile(r"(?:,\s+|\s+(?:is|was|are|were)\s+(?:first\s+|then\s+|further\s+|additionally\s+)?)"
                               r"(?:fine-?tuned|finetuned|(?:pre-?|post-?)?trained)\s+(?:on|with|using|from|via|in|for)\b", re.I)
_NAME_START = re.compile(r"[A-Z][\w.]*(?:-[\w.]+)*$")
_GLUED_LIST_SEP = re.compile(r",\s*(?:and\s+)?|\s+and\s+")
_NAME_REST = re.compile(r"(?:[\w-]|\.(?=\w))*")
# The cue for extract_claims' vectorised pass: a glued size somewhere in the abstract (a superset of what
# _glued_trained_sizes reads, so the pass never hides one); claims_in_text then wants a training verb too.
GLUED_SIZE_CUE = r"-[0-9.]+[BbMm]"


def _glued_trained_sizes(text: str) -> list[tuple[int, Claim]]:
    """Parameter claims for sizes glued inside the name of a model the work trains (the patterns above)."""
    out, prev_end = [], -1
    for m in _GLUED_SIZE.finditer(text):
        ws = text.rfind(" ", 0, m.start()) + 1
        if text[ws:ws + 1] == "(":
            ws += 1
        lead = text[max(0, ws - 40):ws].lower()
        name_end = _NAME_REST.match(text, m.end()).end()
        tail = text[name_end:name_end + 30].lower()
        if not (("tun" in lead or "train" in lead) and _GLUED_VERB_BEFORE.search(text, max(0, ws - 40), ws)
                or ("tuned" in tail or "trained" in tail) and _GLUED_VERB_AFTER.match(text, name_end)
                or (ws - prev_end < 7 and _GLUED_LIST_SEP.fullmatch(text, prev_end, ws))):  # "we train Quill-7B and Birch-3B"
            continue
        if ws == m.start() or not _NAME_START.match(text, ws, m.start()):
            continue
        prev_end = name_end
        s = m.start(1)
        out.append((s, Claim(value=float(m.group(1)), low=None, unit="parameters", unit_scale=m.group(2).upper(),
                             kind="parameters", direction="none", text=text[ws:name_end], span_start=s, span_end=name_end)))
    return out


def _keep_repeats(claims: list[Claim]) -> list[Claim]:
    """Keep a size named again with "the" ("the 1.5B model") only where an earlier parameter claim of the work has that
    size (as its value or its low end): the work's own model again, not another model of some size."""
    kept, seen = [], set()
    for c in claims:
        if c.unit == "parameters" and c.repeat:
            if (c.value, c.unit_scale) not in seen:
                continue
        elif c.unit == "parameters":
            seen.add((c.value, c.unit_scale))
            if c.low is not None:
                seen.add((c.low, c.unit_scale))
        kept.append(c)
    return kept


# Numbers that say again what an earlier claim said (docs/claims_decisions.md, eleventh round):
# - the same quantity in another unit, in brackets right after it ("a span of 12 years (approximately 620 weeks)",
#   "4 hours (14,400 s)"): one claim, the first;
# - parts of a total the abstract just gave, of the same items: after a colon ("500 notes: 250 discharge notes and 250
#   synthetic notes"), in brackets after "includes" ("Alder includes human-written posts (900 posts) and ..."), with "the
#   remaining" for the other part ("30K scans are labelled by hand, while the remaining 70K ..."), and a split named after
#   "including" ("12,000 pairs, including a test set of 2,000 pairs"): the composition of data already counted, like "of
#   which N" (third round); the total is the size.
_RESTATED_BEFORE = re.compile(r"(?<![\w.,])(?P<n>\d[\d,]*(?:\.\d+)?)\s*(?P<u>[KMBT]\b|[KMGT]B\b|(?:years?|months?|weeks?|days?|hours?|minutes?|min|"
                              r"seconds?|ms|s)\b)\s*\$?\s*\(\s*(?:(?:approximately|approx\.|about|around|roughly|"
                              r"nearly|i\.e\.,?|or|~|≈|\\approx|=)\s*)?\$?\s*$", re.I)
_RESTATE_UNITS = frozenset(("seconds", "bytes", "tokens", "parameters"))
_PART_REST = re.compile(r"\b(?:the\s+)?(?:remaining|rest)\b")
_PART_INCLUDES = re.compile(r"\b(?:includ\w*|compris\w*|consist\w*|contain\w*)\b")
_SPLIT_BEFORE = re.compile(r"\b(?:test|testing|training|train|validation|dev|development|evaluation|held-out)\s+(?:set|split|subset|"
                           r"portion|partition)\s+(?:of|with)\s+(?:(?:about|around|over|nearly|approximately|roughly)\s+)?\$?$")
_WORD = re.compile(r"[a-z][a-z-]*")


def _same_amount(rm: re.Match, c: Claim) -> bool:
    """Whether the number and unit before a bracket (``rm``) state the same amount as the claim ``c`` inside it, within
    15% ("17 years (approximately 900 weeks)", "2 GB (about 2,000 MB)"); "4 hours (2 hours on GPUs)" states another."""
    n = float(rm.group("n").replace(",", ""))
    u = rm.group("u")
    if c.unit == "seconds":
        w = u.lower()
        w = w if w in TIME_SECONDS else w.rstrip("s")  # as _parse_unit reads a time unit
        before, here = n * (TIME_SECONDS.get(w) or _LONG_SPANS.get(w, 0.0)), c.value
    else:
        before = n * _SCALE_MULT.get(u[0].upper(), 1.0)
        here = c.value * (_SCALE_MULT.get(c.unit_scale[0].upper(), 1.0) if c.unit_scale else 1.0)
    return before > 0 and abs(before - here) <= 0.15 * max(before, here)


_LONG_SPANS = {"year": 31536000.0, "month": 2592000.0}
_SCALE_MULT = {**SUFFIX_MULT, "G": 1e9}  # the written suffixes, and G of bytes


def _same_items(low: str, a: int, b: int) -> bool:
    """Whether the counts at ``a`` and ``b`` (lower-cased text) count the same items: a word of 4 letters or more among
    the 4 words after each number, plural folded ("34,746 news article ..." and "5,776 articles")."""
    wa = {w.rstrip("s") for w in _WORD.findall(low[a:a + 60])[:4] if len(w) > 3}
    return any(w.rstrip("s") in wa for w in _WORD.findall(low[b:b + 60])[:4] if len(w) > 3 and w not in _NOT_ITEMS)


_NOT_ITEMS = frozenset(("with", "from", "that", "which", "were", "each", "more", "than", "have", "this", "these", "high-quality"))


def _drop_restated_and_parts(text: str, low: str, claims: list[Claim]) -> list[Claim]:
    """``claims`` of one abstract without the restatements and parts above. A pass over the whole abstract, as a part
    may stand in the sentence after its total ("the remaining 70K"); ``_breaks_down_a_count`` handles parts within a
    sentence while it is parsed."""
    keep = []
    for i, c in enumerate(claims):
        drop = False
        if c.unit in _RESTATE_UNITS and "(" in text[max(0, c.span_start - 20):c.span_start] \
                and (rm := _RESTATED_BEFORE.search(text, max(0, c.span_start - 50), c.span_start)) and _same_amount(rm, c):
            drop = True  # "17 years (approximately 900 weeks)"
        elif c.unit == "count":
            for t in claims[:i]:
                if t.unit != "count" or t.value <= c.value or c.span_start - t.span_end > 400 or t.span_end > c.span_start:
                    continue
                between = text[t.span_end:c.span_start]
                if between.count(". ") > 1:
                    continue
                one_sentence = ". " not in between
                if one_sentence and "includ" in between and _SPLIT_BEFORE.search(text, max(0, c.span_start - 60), c.span_start):
                    drop = True  # "21,000 pairs, including a test set of 3,000 instances"
                    break
                after = low[c.span_end:c.span_end + 150]
                after = after[:after.find(". ")] if ". " in after else after
                if (one_sentence and ":" in between
                        or ("remaining" in after or "rest" in after) and _PART_REST.search(after)
                        or text[max(0, c.span_start - 3):c.span_start].rstrip().endswith("(")
                        and _PART_INCLUDES.search(low, t.span_end, c.span_start)) \
                        and _same_items(low, t.span_start, c.span_start):
                    drop = True
                    break
        if not drop:
            keep.append(c)
    return keep


# A sentence right after one whose subject is other work, that refers back to it ("this step", "these vectors") and has
# none of the work's own words, goes on describing the other work; a number of that work repeated later with "the"
# ("a small part of the 30 million vectors") is that work's number, not a result.
_BACK_REFERENCE = re.compile(r"\b(?:this|these)\s+(?!(?:paper|work|study|article|report|approach|method|framework|model|"
                             r"system|technique|algorithm|pipeline|tool|benchmark|dataset|corpus)\b)[a-z-]+")


# Numbers before "as reported by Alder et al." or "reported in the original paper" in the same sentence are that other
# work's results, even in a sentence with the work's own words ("we show that such methods lose 20%, as reported by
# ..."); a comparison word between the number and the cue ("we reach 91% against the 85% reported in [4]") keeps the
# work's own number before it.
_REPORTED_BY_OTHERS = re.compile(r"\breported\s+(?:by|in)\s+(?:the\s+original\b|(?:the\s+)?(?:prior|previous|earlier|other|"
                                 r"recent)\s+(?:work|studies|papers?|literature)\b|[A-Z][\w-]*(?:\s+and\s+[A-Z][\w-]*)?\s+et\.?\s+al\b|"
                                 r"\[\d)")
_COMPARED_TO = re.compile(r"\b(?:than|over|above|below|ahead|against|compared|relative|versus|vs\b|outperform\w*|surpass\w*|beat\w*|exceed\w*)",
                          re.I)


def _continues_other_work(text: str, prev: tuple[int, int], lows: str) -> bool:
    """Whether the sentence (``lows``: lower case) refers back to the previous one, text[prev], whose subject is other
    work, without the work's own words."""
    return _BACK_REFERENCE.search(lows) is not None and _SELF_LOW.search(lows) is None \
        and _OTHERS_SUBJECT.search(text[prev[0]:prev[1]]) is not None


def _claims_in_sentence(text: str, ss: int, se: int, lows: str, has_digit: bool,
                        word_any: bool = True) -> list[tuple[int, Claim]]:
    """The claims of the sentence text[ss:se] (``lows``: its lower case), each with its start offset.

    Number words are read first; their spans are marked consumed so that the digits of "2 million"
    or "tens to hundreds of millions" are not read again as bare numbers.
    """
    consumed: list[tuple[int, int]] = []
    groups: list[list[_Mention]] = []
    if word_any and ("illion" in lows or "thousand" in lows):
        groups += _word_quantities(text, ss, se, consumed)
    # "N times/fold" and durations in words need a number word; their patterns are slow to scan, this test is not
    # (and it only runs when the sentence has a multiplier or time word, which is rarer than a number word)
    multiplier_word = word_any and ("times" in lows or "fold" in lows or "percent" in lows or "per second" in lows)
    time_word = word_any and any(k in lows for k in _TIME_KEYS)
    number_word = (multiplier_word or time_word) and _ANY_NUMBER_WORD.search(lows) is not None
    if word_any and (any(k in lows for k in _WORD_X_NAMED) or "fold " in lows or (number_word and multiplier_word)):
        groups += _word_multipliers(text, ss, se, consumed)
    if number_word and time_word:
        groups += _word_durations(text, ss, se, consumed)
    if word_any and any(k in lows for k in _FRACTION_KEYS):
        groups += _word_fractions(text, ss, se, consumed)
    if word_any and (" by a" in lows or " by an" in lows) and any(k in lows for k in _TIME_KEYS):
        for m in _BY_A_DURATION.finditer(text, ss, se):  # "cuts the decoding time by a minute": "a" is one
            u = m.group("u").lower()
            groups.append([_Mention(m.start("a"), m.end(), TIME_SECONDS[u], None, "seconds", "", moved="decrease")])
    if has_digit:
        groups += _digit_chains(text, ss, se, consumed)
    return [found for group in groups for found in _group_claims(text, ss, se, group)]


def _counts_a_noun(low: str, start: int, end: int) -> bool:
    """Whether one of the 4 words after a number word (lower-cased text, word at ``start``..``end``) is a counted
    noun of _N_ITEM, or a noun of need after a need word ("just four GPUs"): a cheap test before the full match."""
    need = False
    for w in low[end:end + 60].split()[:4]:
        w = w.strip(",.;:()")
        if w in _COUNT_NOUN_SET:
            return True
        need = need or w in _NEED_NOUN_SET
    return need and _has_need_word(low[max(0, start - 40):start])


def _word_counts(text: str, ss: int, starts: list[int]) -> list[tuple[int, Claim]]:
    """Counts in words of people or items the work studied or built ("with twelve participants",
    "a corpus of forty books"), by the same cues as counts in digits."""
    out = []
    for start in starts:
        if _AFTER_TENS.search(text[max(0, start - 8):start]):
            continue
        m = _WORD_COUNT.match(text, start)
        before = text[max(ss, start - 60):start]
        if _has_need_word((before[-40:] + text[start:start + 90]).lower()) and (need := _word_only_needed(text, start, before)):
            out.append(need)
            continue
        took_part = m is not None and m.group("person") and _TOOK_PART.match(text, m.end())
        # "an evaluation with eight teachers": a study's people, as "with 8 teachers" (_noun_count), evaluation verb or not
        study = m is not None and m.group("person") and _STUDY_WITH.search(before) and "hundred" not in m.group(0).lower()
        if m is None or not (_COUNT_BUILD.search(before) or (m.group("person") and _PERSON_CUE.search(before)) or took_part) \
                or (_COUNT_EVAL.search(before) and not study) or (_DATA_EVALUATED.search(before) and not m.group("person")) \
                or is_background(before) \
                or _MAGNITUDE_AFTER.match(text, m.end("n")):  # "two million samples" is read as a word quantity
            continue
        value = float(sum(SMALL_WORDS[w] for w in m.group("n").lower().split("-")))
        if _design_tasks(m, value) or (value < 10 and m.group("item")):
            continue  # "we present two examples": a few items are a design, not a size
        out.append((start, Claim(value=value, low=None, unit="count", unit_scale="", kind="scale", direction="none",
                                 text=m.group(0), span_start=start, span_end=m.end())))
    return out


_NEED_WORDS = ("only", "just", "merely", "few", "little", "alone")  # a need-only count has one of them near


def _has_need_word(low: str) -> bool:
    """Whether the lower-cased text has a need word (substring tests: cheaper than a word-bounded pattern)."""
    return any(w in low for w in _NEED_WORDS)


def _word_only_needed(text: str, start: int, before: str) -> tuple[int, Claim] | None:
    """A number word counting what the work needs only so many of ("on just four GPUs", "in only three epochs"): a
    cost, as with digits."""
    word = _NUMBER_WORD.match(text[start:start + 12].lower())
    end = start + word.end() if word else start
    if word is None or _MAGNITUDE_AFTER.match(text, end) or is_background(before):
        return None
    m = _only_needed(text, end, before) or (_COUNT_ONLY.search(before) and _U_HW.match(text, end))
    if not m:
        return None
    return start, Claim(value=float(SMALL_WORDS[word.group(0)]), low=None, unit="count", unit_scale="", kind="cost",
                        direction="none", text=text[start:m.end()], span_start=start, span_end=m.end())


# Starts with the literal "one" (a fast prefix scan in Python's engine); the need word before it is a lookbehind.
_ONE_NEEDED = re.compile(r"(?P<one>one)(?:(?<=\bonly one)|(?<=\bjust one)|(?<=merely one))\s+(?:[a-z-]+\s+)?(?:epoch|step|iteration|gpu|"
                         r"demonstration|example|sample|shot|image|pass|forward pass|round)\b(?!\s+(?:of|per)\b)")


def _one_needed(text: str, hits: list[re.Match]) -> list[tuple[int, Claim]]:
    """ "Just one epoch", "only one GPU" (``hits`` of _ONE_NEEDED on the lower-cased text): the work needs only one of a
    resource, a cost of count 1 ("one" is no number word elsewhere: "one of the", "one model")."""
    return [(m.start("one"), Claim(value=1.0, low=None, unit="count", unit_scale="", kind="cost", direction="none",
                                   text=text[m.start("one"):m.end()], span_start=m.start("one"), span_end=m.end()))
            for m in hits]


def _inside(spans: list[tuple[int, int]], pos: int) -> bool:
    return any(a <= pos < b for a, b in spans)


# ---------------------------------------------------------------- rule family: absolute quantities in words
def _word_quantities(text: str, ss: int, se: int, consumed: list[tuple[int, int]]) -> list[list[_Mention]]:
    """"two million tokens", "tens of billions of parameters", "3 thousand GPUs": a magnitude word
    with the noun it counts. Vague ranges ("tens to hundreds of millions") are consumed, never claims."""
    sent = text[ss:se]
    consumed.extend((ss + vr.start(), ss + vr.end()) for vr in _finditer_lower(_VAGUE_RANGE, _VAGUE_RANGE_LOWER, sent))
    groups = []
    for m in _finditer_lower(_WORD_QTY, _WORD_QTY_LOWER, sent):  # groups in lower case: read as such
        s, e = ss + m.start(), ss + m.end()
        if _inside(consumed, s):
            continue
        value = _word_quantity_value(text, s, m)
        if value is None:
            continue
        consumed.append((s, e))
        before = text[max(ss, s - 80):s]
        if _BOUND_BEFORE.search(before):
            continue
        mention = _counted_noun(text, s, e, before, value)
        if mention is not None:
            groups.append([mention])
    return groups


def _word_quantity_value(text: str, s: int, m: re.Match) -> float | None:
    """The number a _WORD_QTY match at ``s`` states; None for a lone "million", "two millions" or an
    identifier's digits ("GPT-3 billion")."""
    pre, vague, plural = m.group("pre"), m.group("vague"), m.group("pl")
    if (pre is None and not plural and not vague) or (pre and plural):
        return None
    mag = MAGNITUDES[m.group("mag").lower()]
    if pre is None:
        value = mag
    elif pre[0].isdigit():
        if _is_identifier(text, s, s + len(pre)):
            return None
        value = _parse_num(pre) * mag
    else:
        value = SMALL_WORDS[pre.lower()] * mag
    if vague:
        value *= VAGUE_MULT[vague.lower()]
    if hundreds := m.group("hundreds"):  # "five hundred million": the hundreds multiply
        value *= SMALL_WORDS.get(hundreds.lower()) or float(hundreds)
    return value


def _counted_noun(text: str, s: int, e: int, before: str, value: float) -> _Mention | None:
    """The unit of a number-word quantity text[s:e] from the noun after it ("... of tokens/parameters/
    GPUs") or a context-length phrase before it; None when it counts nothing claimable."""
    if s > 0 and _money_before(text, s, s + len(re.match(r"[\d.,]*", text[s:]).group(0))):
        usd = _U_USD.match(text, e)
        return _Mention(s, usd.end() if usd else e, value, None, "other", "", money=True)  # "$1.52 million (USD)"
    rest = re.match(r"\s+of\b", text[e:])
    e2 = e + (rest.end() if rest else 0)
    if (d := _U_TIME.match(text, e2)) and len(d.group(2)) > 1:  # "13 million hours" of speech
        u = d.group(2).lower()
        return _Mention(s, d.end(), value * TIME_SECONDS[u if u in TIME_SECONDS else u.rstrip("s")], None,
                        "seconds", "")
    if f := _U_FLOPS.match(text, e2):
        return _Mention(s, f.end(), value, None, "other", "", cost=True)
    t = _N_TOKENS.match(text, e2)
    if t:
        return _Mention(s, t.end(), value, None, "tokens", "")
    p = _N_PARAMS.match(text, e2)
    if p:
        if _models_evaluated(text[max(0, s - 160):s]) or _MODELS_BOUND.search(before[-50:]):
            return None  # "an audit of chat models spanning 0.5 to 5 billion parameters": the sizes of models evaluated
        return _Mention(s, p.end(), value, None, "parameters", "")
    if _CONTEXT_BEFORE.search(before):
        return _Mention(s, e, value, None, "tokens", "")
    if _PARAMS_BEFORE.search(before[-40:]) or (" by " in before[-20:] and _PARAMS_BY.search(before[-50:])):
        return _Mention(s, e, value, None, "parameters", "")  # "a parameter count of just 2.07 million"
    near = _cue_window(text, s)
    if text[s:e].lower() in _BARE_PLURALS and not (_COUNT_BUILD.search(near) or _HANDLES_BEFORE.search(before[-40:])):
        return None  # "diseases that affect millions of people": a magnitude of the world, not of the work
    if _OTHERS_COUNT.search(before[-40:]):
        return None  # "fewer than the 9 million images of X": the size of another's data, compared with
    if (c := _N_COUNT.match(text, e2)) and (r := _PER_SECOND.match(text, c.end())):
        return _Mention(s, r.end(), value, None, "other", "")  # "403 million events per second": a rate
    if _U_BENCH.match(text, e2) and _BUILD_CUE.search(before):
        return _Mention(s, e, value, None, "count", "")  # "we construct a 2.5 million instruction corpus"
    c = _N_COUNT.match(text, e2)
    if c and not _EXCLUDED_COUNT_NOUNS.match(c.group(1)) and not _data_used(before, near) \
            and not _U_HW.match(text, e2) and not _DATA_EVALUATED.search(near) and not _TRAINED_ON.search(near):
        return _Mention(s, c.end(), value, None, "count", "")
    c = _N_ITEM.match(text, e2)
    if c and _COUNT_BUILD.search(near) and not (_COUNT_EVAL.search(near) or _DATA_EVALUATED.search(near)):
        return _Mention(s, c.end(), value, None, "count", "")
    if (g := _generic_count(text, s, e, value, near)) is not None and not _DATA_EVALUATED.search(near):
        return g  # "a corpus holding 3 million reasoning traces"
    return None


# ---------------------------------------------------------------- rule family: multipliers and durations in words
def _word_multipliers(text: str, ss: int, se: int, consumed: list[tuple[int, int]]) -> list[list[_Mention]]:
    """Ratios in words: "an order of magnitude" (10x), "orders of magnitude" (100x), "five times",
    "twice", "doubling the" (2x; tripling 3x, quadrupling 4x), "half" (50%, but not "first half")."""
    groups = []
    sent = text[ss:se]
    for m in _finditer_lower(_WORD_X, _WORD_X_LOWER, sent):  # groups in lower case: read as such
        s, e = ss + m.start(), ss + m.end()
        if _inside(consumed, s):
            continue
        if m.group("om"):
            n = m.group("omn")
            if n:
                k = SMALL_WORDS.get(n.lower(), 1)
            else:  # "order of magnitude" without an article is one, plural "orders" two
                k = 1 if m.group("om").lower().startswith("order ") else 2
            groups.append([_Mention(s, e, float(10 ** k), None, "x", "")])
        elif m.group("nw"):
            groups.append([_Mention(s, e, float(SMALL_WORDS[m.group("nw").lower()]), None, "x", "")])
        elif m.group("nwf"):
            groups.append([_Mention(s, e, float(SMALL_WORDS[m.group("nwf").lower()]), None, "x", "")])
        elif m.group("twice"):
            groups.append([_Mention(s, e, 2.0, None, "x", "")])
        elif m.group("dbl") or m.group("dblr"):
            w = (m.group("dbl") or m.group("dblr")).lower()
            v = 2.0 if w.startswith("doubl") else 3.0 if w.startswith("tripl") else 4.0
            groups.append([_Mention(s, s + len(w), v, None, "x", "")])
        elif m.group("halv"):
            groups.append([_Mention(s, e, 50.0, None, "percent", "", moved="decrease")])
        elif m.group("half"):
            if _HALF_BAD_BEFORE.search(text[max(ss, s - 12):s]):
                continue
            groups.append([_Mention(s, e, 50.0, None, "percent", "")])
        consumed.append((s, e))
    low = sent.lower()
    if "percent" in low or "per cent" in low or "per second" in low or "each second" in low:
        groups += _word_percents_and_rates(sent, ss, consumed)
    return groups


# Fractions in words as percents, like "half" (docs/claims_decisions.md, 17-widen): the amount of a change after "by" ("cuts
# the latency by two thirds": 66.67%), or a share of a resource after a word of need ("only a fifth of the parameters":
# 20%, like "using only 31% of the parameters"). "over a quarter of adults" (a share of a population, mostly background),
# "by a third party", "a tenth of a second" (a time) and bare ordinals ("the third stage") are none.
_WORD_FRACTION = re.compile(
    r"\b(?:(?P<by>by)\s+(?:(?:about|nearly|roughly|almost|over|more than|up to|around|approximately)\s+)?|"
    r"(?:only|just|merely|at most|less than|under)\s+)"
    r"(?P<n>a|one|two|three|four|nine)[\s-](?P<d>thirds?|quarters?|fifths?|tenths?)\b(?![-\w])"
    r"(?![\s-]+part(?:y|ies)\b)(?!\s+of\s+an?\b)(?P<of>\s+of\b)?", re.I)
_FRACTION_DENOM = {"third": 3, "quarter": 4, "fifth": 5, "tenth": 10}


def _word_fractions(text: str, ss: int, se: int, consumed: list[tuple[int, int]]) -> list[list[_Mention]]:
    """Fractions in words (_WORD_FRACTION) of the sentence text[ss:se] as percents."""
    groups = []
    for m in _WORD_FRACTION.finditer(text, ss, se):
        s = m.start("n")
        if _inside(consumed, s) or not (m.group("by") or m.group("of")):
            continue
        n = SMALL_WORDS.get(m.group("n").lower(), 1)
        d = m.group("d").lower()
        if n > 1 and not d.endswith("s") and d != "third":
            continue  # "two quarter": no fraction
        groups.append([_Mention(s, m.end("d"), round(100.0 * n / _FRACTION_DENOM[d.rstrip("s")], 2), None, "percent", "")])
        consumed.append((s, m.end("d")))
    return groups


def _word_percents_and_rates(sent: str, ss: int, consumed: list[tuple[int, int]]) -> list[list[_Mention]]:
    """Percents, percentage points and rates in number words (_WORD_PCT_RATE) of the sentence ``sent`` at ``ss``."""
    groups = []
    for m in _WORD_PCT_RATE.finditer(sent):
        s, e = ss + m.start(), ss + m.end()
        if _inside(consumed, s):
            continue
        if m.group("rw"):
            groups.append([_Mention(s, e, float(SMALL_WORDS[m.group("rw").lower()]), None, "other", "")])
        else:
            value = float(sum(SMALL_WORDS[w] for w in m.group("pw").lower().split("-")))
            unit = "points" if m.group("pu").lower().startswith("percentage") else "percent"
            groups.append([_Mention(s, e, value, None, unit, "")])
        consumed.append((s, e))
    return groups


# A change of a time taken "by" a duration ("cuts the decoding time on long videos by a minute"): time taken, kind speed.
_TIME_CUT_BY = re.compile(r"\b(?:time|latency|runtime)\b[^.;,]{0,40}?\bby\s+(?:(?:about|around|nearly|almost|over|more than)\s+)?$",
                          re.I)
# A cut of a time by one unit in words ("reduces the decoding time by a minute", "shortened by an hour").
_BY_A_DURATION = re.compile(r"\b(?:reduc|cut|shorten|sav|decreas|lower)\w*\b[^.;,]{0,40}?\bby\s+(?:(?:about|around|nearly|almost|"
                            r"over|more than)\s+)?(?P<a>an?)\s+(?P<u>minute|hour|day|week)\b", re.I)


def _word_durations(text: str, ss: int, se: int, consumed: list[tuple[int, int]]) -> list[list[_Mention]]:
    """Durations in words after a timing preposition ("in two hours", "takes three days"), in seconds."""
    groups = []
    for m in _WORD_TIME.finditer(text[ss:se]):
        s, e = ss + m.start(), ss + m.end()
        if _inside(consumed, s):
            continue
        u = m.group("u").lower()
        key = u if u in TIME_SECONDS else u.rstrip("s")
        groups.append([_Mention(s, e, SMALL_WORDS[m.group("n").lower()] * TIME_SECONDS[key], None, "seconds", "")])
        consumed.append((s, e))
    return groups


# ------------------------------------------------------- rule family: numbers in digits (ranges, from-to, lists)
def _digit_chains(text: str, ss: int, se: int, consumed: list[tuple[int, int]]) -> list[list[_Mention]]:
    """Numbers in digits, each with its unit and continuation (_parse_chain); a number inside an earlier
    chain, a consumed number-word span or an identifier starts none."""
    groups = []
    skip_until = -1
    for m in (_NUMBER_ASCII if text.isascii() else _NUMBER).finditer(text[ss:se]):
        s, e = ss + m.start(), ss + m.end()
        if s < skip_until or _inside(consumed, s) or _is_identifier(text, s, e):
            continue
        group, pos = _parse_chain(text, s, e, ss, se)
        if group is None:
            continue
        skip_until = pos
        groups.append(group)
    return groups


def _parse_chain(text: str, s: int, e: int, ss: int, se: int) -> tuple[list[_Mention] | None, int]:
    """The number at text[s:e] with its ranges / from-to members and a following list, and where it ends."""
    first = _parse_unit(text, s, e, _parse_num(text[s:e]), ss)
    if first is None:
        return None, e
    group = [first]
    pos = first.end
    while (extended := _continue_range(text, group, pos, ss, se)) is not None:
        pos = extended
    listed = _continue_list(text, group, pos, ss, se)
    if listed is not None:
        group.extend(listed[0])
        pos = listed[1]
    return group, pos


def _continue_range(text: str, group: list[_Mention], pos: int, ss: int, se: int) -> int | None:
    """Extend ``group`` at ``pos``: "from X to Y" appends Y as its own claim; a range ("2 to 25 times",
    "3-20x", "1.25~1.56x", "0.5% - 2%") widens the last member. Returns the new end, None if neither."""
    before = text[max(ss, group[-1].start - 30):group[-1].start]
    is_from = len(group) == 1 and "from" in before.lower() and bool(_FROM_BEFORE.search(before))  # the word first
    if is_from and text[pos:pos + 2].strip()[:1] in ("(", "[") and (iv := _INTERVAL.match(text, pos)
                                                                   or _ASIDE.match(text, pos)):
        pos = iv.end()  # "from 0.41 (0.36, 0.47) to 0.18", "from 65% (random data) to 80%": an aside on the first end
    signed = False
    if not is_from and before.endswith("+") and len(group) == 1 and _FROM_BEFORE.search(before[:-1]):
        is_from = signed = True  # "from +2.1 to +14.1": a signed first end
    if is_from and group[-1].low is None and text[pos:pos + 1] == " " and not text.startswith(" to ", pos) and (
            aw := _ASIDE_WORDS.match(text, pos) or _ASIDE_LEVEL.match(text, pos)):
        pos = aw.end()  # "from 41% with the plain tagger to 59%": a short aside in words on the first end
    c = _next_char(text, pos)  # for the _first_chars gates
    rm = (_FROM_TO_SEP.match(text, pos) if is_from and c in _FROM_TO_SEP_FIRST else None) \
        or (_RANGE_SEP.match(text, pos) if c in _RANGE_SEP_FIRST else None)
    if rm is None and text[pos - 1:pos] == "$" and not group[-1].money:
        rm = _MATH_RANGE_SEP.match(text, pos)  # "$1\%$ to $5\%$": both ends in math, one range
    if rm is None and (is_from or group[-1].money or "between" in before):
        rm = (is_from and _FROM_TO_LOOSE.match(text, pos)  # "ranging from +1.4 to an impressive +9.7"
              or group[-1].money and _MONEY_RANGE_SEP.match(text, pos)  # "\\$12-\\$19 per ticket"
              or len(group) == 1 and _BETWEEN.search(before) and _BETWEEN_AND.match(text, pos))  # "between 3.5% and 9.2%"
    if rm is None and len(group) == 1:
        rm = _ARROW_SEP.match(text, pos) if c in _ARROW_SEP_FIRST else None  # an arrow reads as "from A to B"
        is_from = rm is not None
    if not rm or rm.end() >= se:
        return None
    nm = _NUMBER.match(text, _MONEY_SIGN.match(text, rm.end()).end())  # "to $0.31", "to \\$300", "to US$300"
    if not nm:
        return None
    upper = _parse_num(nm.group(0))
    nxt = _parse_unit(text, nm.start(), nm.end(), upper, ss)
    cur = group[-1]
    if nxt is not None and cur.unit == "points" and nxt.unit is None and not nxt.suffix and "." in nm.group(0):
        nxt.unit = "points"  # a score range: "AUC of 0.951-0.993"
    if nxt is not None and cur.unit == "x" and cur.end - cur.start == len(_NUMBER.match(text, cur.start).group(0)) \
            and nxt.unit is None and not nxt.suffix:
        nxt.unit = "x"  # "by factors of 17-23": the unit came from the words before the range
    if nxt is not None and cur.unit in ("parameters", "tokens") and cur.scale and nxt.unit is None and nxt.suffix:
        nxt.unit, nxt.scale = cur.unit, nxt.suffix  # a size range: "models (1B to 8B)"
    if nxt is not None and cur.unit == "percent" and nxt.unit == "points" and not is_from and cur.low is None \
            and _U_PCT.match(text, nm.end()):
        cur.unit = "points"  # "by 4%-7% accuracy points": the range's unit is written after its upper end
    if nxt is not None and is_from and cur.unit == "points" and nxt.unit == "percent" and rm.group(0).strip(" $").startswith("\\") \
            and _BARE_END.fullmatch(text, cur.start, cur.end):
        cur.unit = "percent"  # "78.6$\\rightarrow$90.5%": a bare first end of an arrow takes the percent of the second
    if nxt is None or nxt.drop or (cur.unit is not None and cur.unit != nxt.unit):
        return None
    if is_from and not cur.drop:
        _merge_from_to(cur, nxt, moved=not _RANGING.search(before))
        if signed and cur.moved == "none" and cur.low != cur.value:
            cur.moved = "increase"  # "ranging from +1.4 to +9.7": a span of signed gains, each an increase
        lead = text[max(ss, cur.start - 70):cur.start]
        if cur.unit is None and _CHANGE_FROM.search(lead) and not _CONTEXT_CUE.search(lead):
            cur.unit = "points"  # "improves coherence from 2.7 to 4.3": a score moving
        elif cur.unit is None and "." in text[cur.start:nxt.end] and " to " in lead \
                and (ef := _EARLIER_FROM_TO.search(lead)) \
                and _CHANGE_FROM.search(text, max(ss, (b0 := cur.start - len(lead)) + ef.start() - 70), b0 + ef.end("f1")) \
                and not _CONTEXT_CUE.search(lead):
            cur.unit = "points"  # "raised its F1 from 0.41 to 0.77 and its recall from 0.35 to 0.81": the second pair of the change
        return nxt.end
    if cur.unit is None and nxt.unit is None and not (cur.suffix or nxt.suffix or cur.drop or cur.low is not None) \
            and rm.group(0).strip() == "to" and "." in text[cur.start:cur.end] and "." in nm.group(0):
        span = _SPAN_WORD.search(text[max(ss, cur.start - 90):cur.start]) is not None  # "ranging from A to B and C to D"
        _merge_from_to(cur, nxt, moved=not span)  # a later pair of a from-to list: "from 14.8 to 14.6, 5.2 to 4.7"
        return nxt.end
    if rm.group(0) == "-" and nxt.suffix in ("M", "B", "T") and _NAME_BEFORE.search(text[ss:cur.start]):
        cur.drop = nxt.drop = True  # "Gemma 3-27B": a version and a size in a model's name
        group.append(nxt)
        return nxt.end
    if cur.low is None and cur.value < upper and not cur.drop and (cur.unit is not None or nxt.unit is not None):
        _widen_to_range(cur, nxt)
        return nxt.end
    return None


_BARE_END = re.compile(r"[\d.,]+\s*[}$]*")
# An earlier from-to of decimals in the same clause, joined by "and"/"," ("from 0.41 to 0.77 and its recall from "): the verb
# of change before it governs the pair after it too.
_EARLIER_FROM_TO = re.compile(r"\bfrom(?P<f1>\s+)\d*\.\d+\s*to\s+\d*\.\d+\s*(?:,\s*(?:and\s+)?|and\s+)(?:(?:its|their|the|mean|average)\s+){0,2}"
                              r"(?:[\w-]+\s+){0,3}?from\s+$")
_SPAN_WORD = re.compile(r"\b(?:rang\w*|vary\w*|varies|spann?\w*)\b", re.I)
# Sub-parts of one range or from-to claim (issue 17, material 1910/1911): a short aside in words after the first end of a
# from-to ("from 41.3% with the plain tagger to 58.9%", "from \\$4.10 per query to \\$0.35"), an adjective, "as little as"
# or a sign before its second end ("to an impressive +9.7", "to as little as 15 ms"), money on both ends of a range
# ("\\$12-\\$19") and "between A and B" are one claim, not two.
_ASIDE_WORDS = re.compile(r"\s+(?:with|using|for|on|in|under|at|by|per)\s+(?:(?!\b(?:and|or|up|down)\b)[^\d,;:.()$%\\]){1,50}?"
                          r"(?=\s+to\s+(?:US)?\\?\$?\d)")
# The level a from-to's first end was measured at ("from 18% success at difficulty level 1 to just 4% at level 6"):
# an aside with a small level number, the from-to stays one claim (17-prec4).
_ASIDE_LEVEL = re.compile(r"\s+(?:[a-z]+\s+)?(?:at|on|for|in|with)\s+(?:[a-z-]+\s+){0,3}?(?:level|stage|step|round|tier|"
                          r"difficulty|depth|horizon|length)\s+\d{1,2}(?=\s+to\s+(?:just\s+|only\s+|merely\s+)?(?:US)?\\?\$?\d)")
_FROM_TO_LOOSE = re.compile(r"\s+to\s+(?:(?:as (?:much|high|low|little|many|few|fast|short) as|an?\s+(?:impressive|remarkable|"
                            r"notable|striking|staggering|whopping|mere|record))\s+)?\+?(?=(?:US)?\\?\$?\d)|\s+to\s+an?\s+[a-z]+\s+\+(?=\d)")
_MONEY_RANGE_SEP = re.compile(r"\s*(?:-|–|—|to)\s*(?=(?:US)?\\?\$\d)")
_BETWEEN = re.compile(r"\bbetween\s+(?:(?:US)?\\?\$)?$")
_BETWEEN_AND = re.compile(r"\s+and\s+(?=(?:US)?\\?\$?\d)")


def _merge_from_to(cur: _Mention, to: _Mention, moved: bool = True) -> None:
    """"from A to B" as one claim: value = the larger, low = the smaller, ``moved`` = which way it went
    (none for a span: "ranging from A to B")."""
    _same_scale(cur, to)
    changed = moved and to.value != cur.value
    if cur.unit is None and to.factor != 1.0 and not cur.suffix:
        cur.value *= to.factor  # "from 20 to 120 ms": both ends in the written unit
        changed = moved and to.value != cur.value
    cur.moved = ("decrease" if to.value < cur.value else "increase") if changed else "none"
    cur.low, cur.value = min(cur.value, to.value), max(cur.value, to.value)
    cur.unit = cur.unit or to.unit
    cur.scale = cur.scale or to.scale
    cur.end = to.end


def _same_scale(a: _Mention, b: _Mention) -> None:
    """Ends written with different K/M/B/T suffixes ("from 125M to 1.3B") are compared and kept in the larger end's
    suffix (0.125 and 1.3, "B"): raw values of different scales are no range."""
    for m, o in ((a, b), (b, a)):  # "from 1.2k to 4.8k tokens/s": the rate's value is expanded, so is the other end
        if m.suffix and m.unit is None and o.unit == "other" and not (o.scale or o.suffix):
            m.value, m.suffix = m.value * SUFFIX_MULT[m.suffix], ""
    sa, sb = a.scale or a.suffix, b.scale or b.suffix
    if sa in SUFFIX_MULT and sb in SUFFIX_MULT and sa != sb:
        big = sa if a.value * SUFFIX_MULT[sa] >= b.value * SUFFIX_MULT[sb] else sb
        for m, sc in ((a, sa), (b, sb)):
            m.value = m.value * SUFFIX_MULT[sc] / SUFFIX_MULT[big]
            m.scale = big if m.scale else m.scale
            m.suffix = big if m.suffix else m.suffix


def _widen_to_range(cur: _Mention, upper: _Mention) -> None:
    """Make ``cur`` the range cur.value..upper.value (value = upper bound, low = lower bound)."""
    _same_scale(cur, upper)
    if cur.unit is None and upper.factor != 1.0 and not cur.suffix:
        cur.value *= upper.factor  # "20-120 ms": both ends in the written unit
    cur.low = cur.value
    cur.value = upper.value
    cur.unit = upper.unit
    cur.scale = upper.scale if cur.unit is None or not cur.suffix else cur.suffix
    if upper.unit in ("tokens", "parameters", "bytes"):
        cur.scale = upper.scale
    cur.end = upper.end


def _continue_list(text: str, group: list[_Mention], pos: int, ss: int, se: int):
    """The chain of the next list member ("5%, 2%, and 4%", "5.8x/3.7x", "1.6 and 1.4 times",
    "94.8% vs 93.4%") and its end, when its unit agrees with ``group``'s last member; else None."""
    c = _next_char(text, pos)  # for the _first_chars gates
    lm = _LIST_SEP.match(text, pos) if c in _LIST_SEP_FIRST else None
    shared = lm is None and group[-1].unit is None and not group[-1].suffix and c in _SHARED_NOUN_SEP_FIRST \
        and (lm := _SHARED_NOUN_SEP.match(text, pos))
    if not lm or lm.end() >= se or (not shared and lm.group("on") and group[-1].unit not in ("points", "percent")):
        return None  # "72.0 on AIME and 94.0 on MATH": only bare scores are listed across "on <Name>"
    nm = _NUMBER.match(text, lm.end())
    if not nm or (text[nm.start() - 1] != "/" and _is_identifier(text, nm.start(), nm.end())) \
            or _MAGNITUDE_AFTER.match(text, nm.end()):
        return None  # "212,406 images and 3 million pairs": the number-word quantity is read on its own
    sub, subpos = _parse_chain(text, nm.start(), nm.end(), ss, se)
    if sub is None:
        return None
    cur, nxt = group[-1], sub[0]
    sub_units = {m.unit for m in sub if m.unit is not None}
    if shared:  # "60,100 Czech and 41,500 Polish pages": the counted noun after the last member counts the first too
        return (sub, subpos) if nxt.unit == "count" and not nxt.drop else None
    agrees = not nxt.drop and (
        (cur.unit is None and (nxt.unit is not None or sub_units))
        or (cur.unit is not None and (nxt.unit == cur.unit or (nxt.unit is None and cur.unit in sub_units)))
        or (cur.unit == "points" and nxt.unit is None and not nxt.suffix and "." in text[nxt.start:nxt.end])
        or (cur.unit in ("parameters", "tokens") and cur.scale and nxt.unit is None and nxt.suffix)
        or (cur.unit is None and cur.suffix and nxt.unit is None and nxt.suffix))  # "(0.6B, 4B, 8B)": sizes read on
    if not agrees and cur.unit == "points" and nxt.unit == "percent" and _ABS_BEFORE.search(text[max(ss, cur.start - 60):cur.start]):
        for member in sub:  # "absolute gains of 2.7% on A, 3.1% on B": every member is points
            member.unit = "points" if member.unit == "percent" else member.unit
        agrees = True
    last = sub[-1] if sub[-1].unit == "points" else nxt  # "9.5%, 6.5%, and 6.0% absolute": the sub-list ends in points
    if not agrees and cur.unit == "percent" and nxt.unit == "points" and "%" in text[last.start:last.end] \
            and _U_ABS.match(text, text.index("%", last.start) + 1):
        for member in group:  # "11.2% and 4.2% absolute improvements": "absolute" after the last member makes all points
            member.unit = "points" if member.unit == "percent" else member.unit
        agrees = True
    return (sub, subpos) if agrees else None


# ---------------------------------------------------------------- mention groups -> claims
def _group_claims(text: str, ss: int, se: int, group: list[_Mention]) -> list[tuple[int, Claim]]:
    """One claim per emitted member of a mention group, with kind and direction read once per unit
    from the words around the whole group; nothing after a bound ("e.g.", "leq")."""
    _inherit_units(group)
    members = [mt for mt in group if mt.unit is not None and not mt.drop]
    if not members:
        return []
    gs, ge = group[0].start, group[-1].end
    lead = text[max(ss, gs - 12):gs]
    if any(c in lead for c in _BOUND_CHARS) and (bm := _BOUND_BEFORE.search(lead)) \
            and not _result_lower_bound(text, ss, gs, bm) and not _metric_bound_result(text, ss, gs, bm) \
            and not _bound_metric_after(text, ss, gs, ge, bm):
        return []
    if "which" in text[max(ss, gs - 20):gs] and _WHICH_SHARE.search(text, max(ss, gs - 20), gs) and _PROVENANCE_AFTER.match(text, ge):
        return []  # "images collected online, of which 53% were published after 2024": the make-up of the data (17-prec4)
    if _not_the_works_result(text, ss, gs, ge) or _premise_or_aside(text, ss, gs):
        return []
    for unit in {mt.unit for mt in members if mt.unit in _DATA_SIZE_UNITS and not mt.cost}:
        if unit == "count" and _breaks_down_a_count(text[ss:gs], text[gs:ge + 40]) or _data_only_used(text, ss, se, gs, ge, unit == "seconds"):
            members = [mt for mt in members if mt.unit != unit or mt.cost]
    kinds: dict[str, tuple[str, str]] = {}
    results = []
    for mt in members:
        if mt.unit == "tokens" and not mt.scale and mt.value < 1000 and not mt.cost \
                and not _CONTEXT_CUE.search(text[max(ss, gs - 40):gs]) and not _TOKENS_PER_ITEM.match(text, mt.end) \
                and "averag" not in text[max(ss, gs - 30):gs]:  # "prompts averaging 285 tokens": a length of the data (17-prec4)
            continue  # under 1,000 tokens without a K/M scale or a context word: a setting
        if mt.unit == "x" and (mt.value <= 1.0 and mt.low is None and not (mt.value < 1.0 and _LESS_AFTER.match(text, mt.end))
                               or _fold_structure(text, ss, mt)):
            continue  # "1x", "0.5x": no gain claimed; "5-fold cross-validation": a procedure
        if mt.unit not in kinds:
            kinds[mt.unit] = kind_and_direction(text, gs, ge, ss, se, mt.unit)
        kind, direction = kinds[mt.unit]
        direction = mt.moved or direction
        if mt.cost or mt.money:
            kind = "cost"
        elif mt.score:
            kind = "accuracy"
        end = _span_end(text, mt.end, se)
        results.append((mt.start, Claim(
            value=mt.value, low=mt.low, unit=mt.unit, unit_scale=mt.scale, kind=kind,
            direction=direction, text=text[mt.start:end], span_start=mt.start, span_end=end, repeat=mt.repeat)))
    return results


# A token count after a cue of need ("only", "as few as", "limited to"): tokens the work spends, kept under 1,000 too
_TOKENS_ONLY = re.compile(r"\b(?:only|just|merely|as few as|limited to|at most)\s+(?:about\s+|around\s+)?$", re.I)


# Data the work only uses: sizes of data (counts, bytes) that a verb of use, evaluation or training takes as its object
# ("we utilised a public set, comprising 900 scans", "evaluated using two corpora (with 4,000 letters)") or that "was
# used" after them, and durations of data after such a verb ("benchmarked using 2 hours of logs"); data the work builds
# keeps its size (a build cue or "our" between the verb and the number: "we use the tool to build a corpus of 4,000
# letters"). A verb used as an adjective ("our training corpus of", "a retrieval corpus with") uses nothing.
_DATA_SIZE_UNITS = frozenset(("count", "seconds", "bytes"))
_USE_VERB = re.compile(r"(?<!-)\b(?:(?<!the )(?<!a )us(?:e|es|ed|ing)|utili[sz]\w*|employ\w*|adopt\w*|leverag\w*|draw\w* on|rel(?:y|ies|ying) on|"
                       r"evaluat\w*|test(?:s|ed|ing)?|validat\w*|benchmark(?:ed|ing)|experiments?|train(?:s|ed|ing)?|"
                       r"(?:fine-?)?tun(?:e|es|ed|ing)|pre-?train\w*|retriev(?:e|es|ed|ing))\b")  # matched on lower case
_USE_AS_ADJECTIVE = re.compile(r"\s+(?:[\w-]+\s+)?(?:data|datasets?|sets?|splits?|corpus|corpora|collections?|subsets?|"
                               r"benchmarks?)\b", re.I)
_USED_DATA_NOUN = re.compile(r"\b(?:datasets?|(?:data ?)?sets?|corpus|corpora|databases?|collections?|subsets?|data|recordings)\b", re.I)
_DATA_LINK = re.compile(r"(?:\b(?:of|comprising|comprised|consisting of|consists of|containing|contains|with|including|includes|"
                        r"totall?ing|counted|holding|spanning|covering)|\(|\b[Nn]\s*=)\s*(?:(?:over|about|around|approximately|"
                        r"nearly|roughly|more than|some)\s+)?$")
_DATA_OF_AFTER = re.compile(r"\s+of\s+(?:[\w-]+\s+){0,2}?(?:data|speech|audio|videos?|footage|recordings?|logs|scans|images)\b", re.I)
_OWN_BUILD = re.compile(r"\b(?=\w)(?:our(?=\s+(?:own\b|(?:[\w-]+\s+)?(?:data|datasets?|corpus|corpora|benchmarks?|collections?|"
                        r"sets?|recordings)\b))|ours|new|novel|in-house|introduc|present|construct|build|built|releas|collect|curat|creat|"
                        r"generat|compil|gather|annotat|develop|contribut|propos|assembl|synthesi[sz]|crawl|scrap|record|"
                        r"result)\w*", re.I)
# After a verb of evaluation or training, a build participle used as an adjective of the data ("a curated set", "a
# custom-collected corpus", "a new benchmark") does not make the data the work's size: data evaluated or trained on.
# A use verb before a list of counts holds for every member ("drawing on 3,000 expert notes, 2,800 crowd notes, and
# 3,100 model notes"), like for the first: the later members are data used too, even when their noun names annotations.
_LIST_USE_VERBS = frozenset(("dra", "rel", "lev", "use", "usi", "uti", "emp"))
_COUNTS_LISTED = re.compile(r"\s+(?:(?:about|over|nearly|around|roughly|approximately|more than)\s+)?(?:\d[\d,.]*\s*[KkMB]?\+?\s+"
                            r"(?:[\w-]+\s+){0,3}?[\w-]+s\s*,\s*(?:and\s+)?)+(?:and\s+)?(?:(?:about|over|nearly|around)\s+)?")
_EVAL_OR_TRAIN = frozenset(("eva", "tes", "val", "ben", "exp", "tra", "fin", "pre", "tun"))
_BUILT_ADJECTIVE = re.compile(r"\b(?:newly\s+|carefully\s+|manually\s+|custom-|self-)?(?:curated|collected|annotated|constructed|"
                              r"created|compiled|gathered|new|novel|in-house|proprietary|private|internal)(?=\s+(?:[\w-]+\s+){0,2}?(?:data|datasets?|corpus|corpora|"
                              r"benchmarks?|sets?|collections?)\b)", re.I)
_NAMED_SET_N = re.compile(r"\b(?:on|from)\s+(?:the\s+)?[A-Z][\w.&$\\ -]{0,30}\(\s*[Nn]\s*=\s*$")  # "trained on ALDER-2 (N="
_PROCESSED_AFTER = re.compile(r"[^.;]{0,100}?\b(?:was|were|is|are|has been|have been)\s+(?:\w+\s+)?(?:processed|analy[sz]ed)\b", re.I)
_PEOPLE_AFTER = re.compile(r"[\d,.]+\s*[KMk]?\+?\s*(?:[\w-]+\s+){0,2}?(?:" + _PERSON_NOUNS + r"|children|people|individuals|persons|adults|students|"
                           r"respondents|volunteers|speakers|workers)\b", re.I)
_USED_AFTER = re.compile(r"[^.;]{0,100}?\b(?:was|were|is|are|has been|have been)\s+(?:\w+\s+)?(?:used|utili[sz]ed|employed|adopted)\b",
                         re.I)
# Items taken from another's named source ("across 61 clinical notes from the Alder repository", "4,200 records from the
# Birch cohort"): data used, like data "provided by" another party; a build verb right before the count ("we curate 900
# questions from the Pine benchmark") or "our" before it ("our corpus holds 4,200 letters from ...") keeps it the work's.
_FROM_NAMED_SOURCE = re.compile(r"(?:\s+[\w-]+)?\s+from\s+(?:the\s+|a\s+|an\s+)?(?:[\w-]+\s+){0,3}?(?:repositor(?:y|ies)|databases?|"
                                r"datasets?|corpus|corpora|cohorts?|archives?|registry|registries|biobank)\b", re.I)
# ... and only a named or existing source: "6,000 pairs from 21 diverse datasets" may size the work's own benchmark
_SOURCE_NAMED = re.compile(r"\b(?:[A-Z][\w.-]*|existing|public(?:ly available)?)(?=\s)")
_BUILD_RIGHT_BEFORE = re.compile(r"(?:" + _OWN_BUILD.pattern + r")\s+(?:(?:an?|our)\s+(?:[\w-]+\s+){0,2}?(?:datasets?|corpus|benchmarks?|"
                                 r"collections?|suites?)\s+(?:of|with|containing|comprising)\s+)?"
                                 r"(?:(?:about|over|nearly|around|some|a total of)\s+)?$", re.I)  # "we create a dataset of 50k X from Y"
_ONLY_BEFORE = re.compile(r"\b(?:only|just|merely|as (?:few|little) as)\s+(?:about\s+)?$", re.I)


# "N-fold" before a validation or split procedure ("10-fold cross-validation", "5-fold stratified validation") or after
# "the contributions are" names how many parts something has, not a ratio of results.
_FOLD_PROCEDURE = re.compile(r"[\s-]+(?:[\w-]+\s+){0,2}?(?:(?:cross[- ]?)?validat\w*|CV\b|cross[- ]?fitting|splits?\b|"
                             r"partitions?\b|resampling)", re.I)
# ... or before a colon that opens a numbered list of its parts ("demonstrates the tagger's threefold strength: (1) ...")
_PARTS_AFTER = re.compile(r"(?:\s+[\w'’-]+){0,3}\s*:\s*(?:\(?(?:1|i|a)\)|first(?:ly)?\b)", re.I)
_PARTS_LEAD = re.compile(r"\b(?:contributions?|aims?|goals?|objectives?|purposes?|advantages?|benefits?|novelty|novelties)\b"
                         r"[^.;]{0,40}\b(?:is|are)\s+(?:mainly\s+)?$", re.I)


# A ratio under 1 before a word of less ("0.3x less memory", "0.6x fewer steps"): the writer states a reduction by that
# factor (docs/claims_decisions.md, eleventh round), unlike a bare "0.5x" (a setting, no gain).
_LESS_AFTER = re.compile(r"\s+(?:less|fewer|lower|smaller)\b", re.I)


def _fold_structure(text: str, ss: int, mt: _Mention) -> bool:
    """Whether the "N-fold" at mt names a procedure's or a list's parts (the patterns above)."""
    if text[mt.end - 4:mt.end].lower() != "fold":
        return False
    return _FOLD_PROCEDURE.match(text, mt.end) is not None or _PARTS_LEAD.search(text[max(ss, mt.start - 80):mt.start]) is not None \
        or ":" in text[mt.end:mt.end + 40] and _PARTS_AFTER.match(text, mt.end) is not None


# Attribution inside a sentence of the work (docs/claims_decisions.md, eighth round): a leading premise clause ("Recognizing
# that about 41% of forum posts mix scripts, our corpus ...") states a fact of the world, and a bracketed aside on the work that
# inspired or underlies the approach ("inspired by Alder's suite (2,300 tasks worth $2M)") describes that work.
_PREMISE = re.compile(r"(?:Recogni[sz]ing|Given|Noting|Considering|Acknowledging|Observing)\s+that\b[^,;:]*$")
_ASIDE_ON_OTHERS = re.compile(r"\b(?:inspired by|adapted from|borrowed from|modell?ed (?:after|on)|follows|following)\s+"
                              r"(?:the\s+)?(?:[A-Z][\w.-]*(?:'s|’s)?\s+|(?:recent|prior|earlier|original|popular)\s+)+[^()]*\($")


def _premise_or_aside(text: str, ss: int, gs: int) -> bool:
    head = text[ss:gs]
    if head[:1] in "RGNCAO" and " that " in head[:20] and _PREMISE.match(head) and not _SELF.search(head):
        return True
    paren = head.rfind("(")
    if paren < 0 or ")" in head[paren:] or not ("inspired" in head or "from" in head or "modell" in head
                                               or "model" in head or "follow" in head):
        return False
    m = _ASIDE_ON_OTHERS.search(head, 0, paren + 1)
    return m is not None and not _SELF.search(head, m.start(), paren)


def _not_the_works_result(text: str, ss: int, gs: int, ge: int) -> bool:
    """Whether the group at text[gs:ge] is a condition, an interval's ends, a setting held equal or what other methods
    need (the patterns above); each pattern runs only when a cheap test on the words before the group finds its cue."""
    lead = text[max(ss, gs - 160):gs]
    last = lead[-12:].rstrip(" $").lower()
    if last.endswith(_THRESHOLD_ENDS) and (_CONDITION_AT.search(lead[-20:]) and _CONDITION_NOUN.match(text, ge)
                                           or _SHARE_THRESHOLD.search(lead[-80:])):
        return True  # "at a 0.7 IoU threshold", "under 40% label noise"; "90% of cases exceeding 0.5 IoU"
    if (last.endswith(_INTERVAL_ENDS) or last.endswith("of") and "level" in lead[-25:]) \
            and (_INTERVAL_LEAD.search(lead[-30:]) or _INTERVAL_LABEL.search(lead[-30:])):
        return True  # "(95% CI: 0.80-0.91)", "(95% CI, 89.0%-93.1%)": the ends of an interval, however punctuated
    if "(" in lead[-80:] and "%" in text[gs:ge] and _STATS_BRACKET.search(lead[-120:]) \
            and (sc := _STAT_CLOSE.match(text, ge)) and not _KIND_RE.search(sc.group(0).lower()):
        return True  # "1,000 cluttered scenes (14.1 objects/scene, 62.6% occlusion)": statistics of data already counted
    if last.endswith("every"):
        return True  # "checkpoints at every one trillion tokens", "every 500 steps": an interval, a setting
    if "train" in lead[-70:] and "token" in text[ge - 8:ge + 30] and _TRAINED_ON.search(lead[-70:]) \
            and _TOKENS_AFTER.match(text, ge - 8):
        return True  # "after pretraining on 11.2T high-quality tokens": data trained on, a setting
    if "followed by" in lead and "token" in text[ge - 8:ge + 30] and _TRAINED_THEN.search(lead) \
            and _TOKENS_AFTER.match(text, ge - 8):
        return True  # "trained on 200B tokens, followed by 20B tokens of ...": the next stage's data trained on
    near = lead[-100:]
    if ("same" in near or "equal" in near or "identical" in near or "matched" in near or "fixed" in near) \
            and (_MATCHED_SETTING.search(near) or _SAME_BUDGET.search(lead[-70:])):
        return True  # "given the same memory budget of 3 GB", "at the same footprint 3.4GB": a setting held equal
    if last.endswith(("of", "at")) and ("sampl" in near or "resolution" in near or "precision" in near or "step" in near) \
            and _RESOLUTION_OF.search(near) and _LENGTH_OR_TIME.match(text, ge - 1) and not _RESULT_VERB.search(near):
        return True  # "at a ground sampling distance of 25 cm": how finely data are sampled, a design setting
    if ("trained " in near or "tuned " in near or "using " in near) and _TRAINED_TAIL.search(near[-30:]) \
            and _OTHERS_TRAINED_ON.search(near):
        return True  # "matches models trained on 100x more data": the data of the models compared with
    if ("larger" in (after := text[ge:ge + 20]) or "bigger" in after or "more param" in after or " size" in after) \
            and _X_END.search(text, max(gs, ge - 8), ge) and _OTHERS_SIZE_AFTER.match(text, ge) \
            and (cm := _OTHERS_COMPARED.search(near[-70:])) and not _OWN_IN_CLAUSE.search(near[-70:], cm.end()) \
            and (_LARGER_MODELS_AFTER.match(text, ge) or _MODELS_THAT_ARE.search(near[-40:])):
        return True  # "competes with 3x and 26x larger models", "beats models that are up to 10 times larger": their sizes
    if (" like " in lead or "such as" in lead) and _EXAMPLES_ACHIEVING.search(lead[-120:]) \
            and not _SELF.search(text[ss:(text.find(". ", ge) + 1 or len(text))]):
        return True  # "with platforms like Alder B2 and Birch achieving speeds between 5 and 10 m/s": those systems' numbers
    if "each" in lead[-30:] and (_EACH_ITEM.search(lead[-60:]) or _EACH_WITH.search(lead[-40:])):
        return True  # "capturing 75 scenes, each on average 16 seconds": a property of every item counted, a composition
    if text[ss:ss + 6].startswith(("On ", "Across ", "Over ")) and _ON_DATA_LEAD.match(text, ss, gs) \
            and "," in text[ge:ge + 60]:
        return True  # "On a dataset of 1,000 writing samples, X scores ...": the data a result is measured on
    if "half" in text[gs:ge] or "%" in text[gs:ge] or "percent" in text[gs:ge]:
        if " of " in text[ge:ge + 5] and _SHARE_OF_BENCHMARKS.match(text, ge) and _ON_BEFORE.search(lead[-25:]):
            return True  # "outperforms X on over half of the benchmarks": a share of benchmarks won, a count of them
    if _has_literal(lead[-70:], _NEGATED_BOUND_LITERALS) and (_NEGATED_BOUND.search(lead[-70:])
                                                              or _NEGATED_WORD_BOUND.search(lead[-70:])):
        return True  # "with even the top models unable to exceed 50%", "none reaches an accuracy greater than 60%": negated bounds
    if "train" in lead[-40:] and _BYTES_OF_DATA.match(text, gs) and _TRAINED_ON_SIZE.search(lead[-40:]):
        return True  # "pre-trained on a 14GB curated corpus": the size of data trained on, a setting
    if ("random" in near or "chance" in near) and _CHANCE_REFERENCE.search(lead[-70:]):
        return True  # "40.2% compared to random performance at 25%": the chance level is a reference, no result
    if "range" in near and _SCALE_RANGE.search(lead[-60:]) and _ZERO_TO_HUNDRED.match(text, gs):
        return True  # "predictions far beyond the physically possible range of 0-100%": the bounds of a scale
    if lead.endswith(("consuming ", "requiring ", "needing ")) and _OTHERS_CONSUMING.search(near):
        return True  # "rivals state-of-the-art taggers consuming twice the memory": what the compared models need
    rel = max(lead.rfind(" that "), lead.rfind(" which "), lead.rfind(" who "))
    return rel >= 0 and _NEED_VERB.match(lead, rel) is not None and _OTHERS_NEED.search(lead) is not None


# How finely data are sampled, in time or space ("a ground sampling distance of 25 cm", "tracks with a precision of 0.05
# seconds", "a time step of 10 ms"): a design setting of the data, like a resolution, unless the work achieves it.
_RESOLUTION_OF = re.compile(r"\b(?:(?:ground\s+)?sampling\s+(?:distance|interval|rate|frequency|period)|GSD|time[\s-]?steps?|"
                            r"(?:temporal|spatial|time|range)\s+resolution|precision|granularity)\s+(?:of|at)\s+(?:about\s+|"
                            r"approximately\s+|~)?$", re.I)
_RESULT_VERB = re.compile(r"\b(?:achiev|reach|attain|obtain|yield|deliver|improv|reduc|lower|cut|enabl|provid(?:es|ing) (?:a|an)\b)\w*",
                          re.I)
_LENGTH_OR_TIME = re.compile(r"[\w.]?\s?-?(?:s|sec|seconds?|ms|milliseconds?|minutes?|hours?|cm|centimet(?:er|re)s?|mm|"
                             r"millimet(?:er|re)s?|m|met(?:er|re)s?|km|nm|µm|μm|px|pixels?)\b")
# What the models compared with were trained on or use, in a participle after a comparison word ("matches baselines
# trained on orders of magnitude more data", "compared to models using 10x more GPUs"), like a relative clause on what
# they need; the work's own "trained on 10x more data than ..." has no comparison word before it.
_OTHERS_TRAINED_ON = re.compile(r"\b(?:match\w*|beat\w*|outperform\w*|surpass\w*|rival\w*|compared (?:to|with)|than|against|vs\.?|"
                                r"versus)\s+(?:[\w-]+\s+){0,3}?(?:models?|methods?|baselines?|approaches|systems?|LLMs|networks?|"
                                r"counterparts)\s+(?:(?:trained|pre-?trained|fine-?tuned)\s+(?:on|with)|using)\s+(?:up to\s+|about\s+|"
                                r"over\s+|~)?$", re.I)
# How much larger the models compared with are ("competes with 3x, 14x and 26x larger embedding models", "surpasses
# several open models that are up to 10 times larger"): their sizes named for comparison, like "beats much larger
# models (e.g., 34B parameters)"; also "models 5x larger", "models with 10x more parameters", "taggers up to 8 times its
# size", "Alder, which is 20x larger"; the work's own ratio ("our corpus is 4.2 times larger than ...") has no comparison
# word before it, and a larger thing that is no model ("a 3x larger context window") is not the models' size.
_OWN_IN_CLAUSE = re.compile(r"\b(?:we|our|us)\b|[;:]|\.\s", re.I)  # the work's own words after the comparison word
_X_END = re.compile(r"(?:x|×|X|times|fold)$")
_OTHERS_COMPARED = re.compile(r"\b(?:compet\w*\s+with|rival\w*|match\w*|outperform\w*|surpass\w*|beat\w*|on par with|"
                              r"comparable (?:to|with)|compared (?:to|with)|than|against|vs\.?|versus|exceed\w*|outpac\w*)\b", re.I)
_MODEL_NOUNS = r"(?:models?|LLMs?|VLMs?|MLLMs?|LMs?|networks?|counterparts|baselines?|systems?|architectures?|alternatives|competitors)"
_LARGER_MODELS_AFTER = re.compile(r"\s+(?:larger|bigger)\s+(?:[\w-]+\s+){0,2}?" + _MODEL_NOUNS + r"\b")
_MODELS_THAT_ARE = re.compile(r"(?:\b(?:" + _MODEL_NOUNS[3:-1] + r"|[a-z]+ers)|\b[A-Z][\w.-]*),?\s+(?:(?:that|which)\s+(?:are|is|were|was)\s+|"
                              r"with\s+)?(?:(?:up to|about|around|over|nearly|roughly|approximately)\s+)?$")
# Other systems named as examples, with their numbers (docs/claims_decisions.md, tenth round): an aside "with platforms like
# Alder B2 and Birch achieving top speeds between 5 and 10 m/s" states what those systems reach, not the work; a finite
# verb ("top performers like Alder achieve 71%") reports models the work evaluated, results.
_EX_NAME = r"(?:the\s+)?[A-Z][\w.-]*(?:\s+[A-Z0-9][\w.-]*)*"
_EXAMPLES_ACHIEVING = re.compile(r"\bwith\s+(?:[\w-]+\s+){0,3}?(?:like|such as)\s+" + _EX_NAME + r"(?:(?:\s*,\s*(?:and\s+|or\s+)?|\s+(?:and|or)\s+)" + _EX_NAME
                                 + r"){0,5}\s+(?:achiev|reach|attain|report|obtain|hitt|deliver|offer|provid)ing\s+(?:[\w-]+\s+){0,4}?$")
# Data described, not results (docs/claims_decisions.md, tenth round): a property given for each item just counted ("75
# scenes, each on average 16 seconds"), the data a leading phrase says a result is measured on ("On a dataset of 1,000
# samples, X scores ..."), and a share of the benchmarks a method wins on ("on over half of the benchmarks").
_EACH_ITEM = re.compile(r"\d[\d,.]*\s*[KkM]?\s+(?:[\w-]+\s+){0,2}?[\w-]+s\s*,\s*(?:with\s+)?each\s+(?:(?:on average|averaging|lasting|"
                        r"of|with|about|around|approximately|roughly|containing|having|spanning)\s+)*$")
# "..., each with over 200 questions": a count given per item of a list, its composition like "five images per scene".
_EACH_WITH = re.compile(r"\beach\s+(?:with|containing|having|comprising|consisting of|holding)\s+(?:(?:over|about|around|approximately|"
                        r"roughly|more than|at least|up to|nearly|an average of|on average)\s+)?\$?$", re.I)
# A bound that nothing reaches ("unable to exceed 50%", "none of them surpasses 40%", "fail to reach 30%"): a negated
# bound like "no model scoring >75%" (docs/claims_decisions.md, bounds), no result.
_NEGATED_BOUND = re.compile(r"\b(?:unable|fail(?:s|ed|ing)?|cannot|can't|could not|do(?:es)? not|did not|never|none of [^.;:]{0,40}?)\s+"
                            r"(?:(?:even|yet|consistently)\s+)?(?:to\s+)?(?:exceed|surpass|reach|achieve|pass|break)(?:es|s|ed)?\s+"
                            r"(?:(?:more than|over|above|beyond|even)\s+)?\$?$", re.I)
# The size of a corpus a model is trained on, in bytes ("pre-trained on a 14GB curated corpus"): data trained on, like
# "pretrained on 2T tokens" (sixth round), not the work's memory figure.
_TRAINED_ON_SIZE = re.compile(r"\b(?:pre-?)?train\w*\s+(?:[\w-]+\s+){0,2}?on\s+(?:a|an|the|about|over|nearly|roughly)?\s*$", re.I)
_BYTES_OF_DATA = re.compile(r"[\d.,]+\s*[KMGT]B\s+(?:[\w-]+\s+){0,3}?(?:corpus|corpora|dataset|data|text|collection)\b", re.I)
_ON_DATA_LEAD = re.compile(r"(?:On|Across|Over)\s+(?:a|an|the|our|this)\s+(?:[\w-]+\s+){0,3}?(?:dataset|benchmark|corpus|set|"
                           r"collection|test set)\s+(?:of|with|containing|comprising)\s+(?:(?:about|over|around|nearly)\s+)?$")
_SHARE_OF_BENCHMARKS = re.compile(r"\s+of\s+(?:the\s+|all\s+|our\s+)?(?:[\w-]+\s+)?(?:benchmarks|datasets|baselines|metrics|"
                                  r"evaluation settings|leaderboards)\b", re.I)
_ON_BEFORE = re.compile(r"\b(?:on|in|across)\s+(?:(?:over|more than|nearly|about|around|roughly|almost|at least)\s+)?\$?$", re.I)
# Reference levels (docs/claims_decisions.md, tenth round): the chance level a result is compared with ("reaches 41% against
# random guessing at 25%", "vs. a chance level of 50%", "(random: 25%)") and the bounds of a scale ("the valid range of
# 0-100%") are no results; "the models perform at chance level (50%)" as the finding has no comparison word and stays.
_CHANCE_REFERENCE = re.compile(r"(?:\b(?:compared (?:to|with)|than|over|above|below|vs\.?|versus|against|relative to)\s+(?:the\s+|a\s+)?|"
                               r"[(,]\s*)(?:random|chance)(?:[\s-]+(?:chance|guess(?:ing)?|performance|baseline|accuracy|level|"
                               r"rate|score)s?)?\s*(?:(?:is|of|at|=|:|being)\s*)?(?:\(\s*)?(?:about\s+|around\s+|~\s*)?\$?$", re.I)
_SCALE_RANGE = re.compile(r"\b(?:possible|valid|physical(?:ly)?(?: possible| plausible)?|feasible|allowed|admissible|full|entire|"
                          r"whole)\s+range\s+(?:of\s+)?(?:between\s+|from\s+)?\(?\$?$", re.I)
_ZERO_TO_HUNDRED = re.compile(r"0\s*\\?%?\s*(?:-|–|to|and)\s*100\s*\\?%")
_OTHERS_CONSUMING = re.compile(r"\b(?:compet\w*\s+with|rival\w*|match\w*|outperform\w*|surpass\w*|beat\w*|on par with|comparable "
                               r"(?:to|with)|compared (?:to|with)|than|against|vs\.?|versus|exceed\w*)\s+(?:(?!\b(?:we|our|us)\b)[^.;:()])"
                               r"{0,50}?\b" + _MODEL_NOUNS + r"\s+(?:consuming|requiring|needing)\s+$", re.I)
_OTHERS_SIZE_AFTER = re.compile(r"\s+(?:(?:larger|bigger)(?:\s*[,.;:)]|\s+(?:in\s+size|than)\b|\s+(?:[\w-]+\s+){0,2}?" + _MODEL_NOUNS
                                + r"\b|\s*$)|more\s+param(?:eter)?s\b|(?:its|their)\s+(?:own\s+)?size\b)")
# Tokens a model is trained on, right after the verb ("pretrained on 2T tokens", "after pretraining on 11.2T high-quality
# tokens"): data trained on, a setting like "trained on over 12 million shopping queries"; a corpus between the verb and
# the number ("pretrained on our corpus of 32B tokens") sizes that corpus, and "N-token sequences" are a length.
# ... and the tokens of a stage that follows it ("first trained on 200B tokens ..., followed by 20B tokens with decay",
# "training on 400 million tokens, followed by further training to reach 1 billion tokens").
_TRAINED_THEN = re.compile(r"\b(?:train|fine-?tun|pre-?train)\w*\s+(?:[\w-]+\s+){0,4}?(?:on|across)\s+[^.;]{0,80}?\btokens\b"
                           r"[^.;]{0,80}?\bfollowed by\s+(?:(?:further|additional|continued)\s+(?:[\w-]+\s+)?(?:to\s+)?(?:reach|on)\s+)?"
                           r"(?:about |around |over |nearly |another |an additional )?$", re.I)
_TOKENS_AFTER = re.compile(r".{0,8}?(?:\s+(?!\d)[\w-]+){0,2}?\s+tokens\b(?![-/]|\s*per\b)", re.I)
# Statistics of data already counted, in a bracket right after the count ("1,000 cluttered scenes with dense layouts (14.1
# objects/scene, 62.6% occlusion)"): a share of a property of those items, its composition, like a count that breaks down
# a count; a comparison in the bracket ("(12% more than Alder)") is a result.
_STATS_BRACKET = re.compile(r"(?<![\w.,-])\d[\d,.]*\s*[KMBk]?\+?\s+(?:[\w-]+\s+){0,5}?[\w-]+s\s*\((?:[^().;]*?\d[\d.]*\s*[\w-]+\s*"
                            r"(?:/\s*|per\s+)[\w-]+\s*[,;]\s*)?\$?$")
_STAT_CLOSE = re.compile(r"\s*(?!(?:more|fewer|less|higher|lower|than|of|improv\w*|increas\w*|decreas\w*|reduc\w*)\b)[\w-]+"
                         r"(?:\s+[\w-]+)?\s*[),;]", re.I)
_TRAINED_TAIL = re.compile(r"(?:(?:trained|tuned)\s+(?:on|with)|using)\s+(?:up to\s+|about\s+|over\s+|~)?$")
_NEED_VERB = re.compile(r"\s\w+\s+(?:\w+\s+)?(?:rel|requir|need|use|depend|employ|consum|demand|train|are train|were train|leverag)",
                        re.I)  # the verb after the last relative pronoun: a cheap test before _OTHERS_NEED
_THRESHOLD_ENDS = ("within", "exceeding", "above", "below", "under", "than", "about", "at", " a", " an", "the", "even",
                   "only", "just", "around", "with")  # the last word before a condition or a passed threshold
_INTERVAL_ENDS = ("ci", "iqr", "interval", "intervals", "level", "levels", "range", "sd", "se", "sem", "s.d.", "std", "deviation", "error",
                  "max", ":", "=", ",", "[", "(")


# A count that breaks down a count the sentence already gave, in brackets right after it ("a set of 400 clips (150
# indoor clips and 250 outdoor clips)", "800 images (160 images*5)") or after "including"/"of which" ("a suite of 300
# problems, including 12 chosen problems from a contest"): the composition of data already counted, not a new size.
_COUNT_THEN_BRACKET = re.compile(r"(?<![\w.,-])\d[\d,.]*\s*[KMBk]?\+?\s+(?:[\w-]+\s+){0,3}?[\w-]+s\s*\((?!\s*[Nn]\s*=)[^()]*$")
_COUNT_THEN_INCLUDING = re.compile(r"(?<![\w.,-])\d[\d,.]*\s*[KMBk]?\+?\s+[^.;()]{0,80}?\b(?:including|of which|among (?:them|which|"
                                   r"these))\s+(?:about\s+|over\s+|nearly\s+)?$")

_COUNT_THEN_WITH = re.compile(r"(?<![\w.,-])\d[\d,.]*\s*[KMBk]?\+?\s+[^.;()]{0,100}?,\s+with\s+$")
_BEING_AFTER = re.compile(r"[\d,.]+\s+(?:of them\s+)?being\b")
_TOTAL_IN_BRACKET = re.compile(r"[^()]{0,50}?\b(?:in total|total|overall|altogether|in all)\b")


def _breaks_down_a_count(lead: str, here: str) -> bool:
    """Whether a count after ``lead`` (its sentence up to the count; ``here``: the count and the words after it) breaks
    down a count given before it; a total in brackets ("300 sets (4,100 cases in total)") counts other units, a size."""
    if lead.rfind("(", -120) > lead.rfind(")", -120) and _COUNT_THEN_BRACKET.search(lead[-120:]):
        return _TOTAL_IN_BRACKET.match(here) is None
    if lead.endswith("with ") and _BEING_AFTER.match(here):  # "1,200 notes, with 500 being ..."
        return _COUNT_THEN_WITH.search(lead[-140:]) is not None
    return ("includ" in lead or "of which" in lead or "among" in lead) and _COUNT_THEN_INCLUDING.search(lead[-140:]) is not None


# A sample size in brackets whose noun is data, not people ("review of our tagger (N=45 scans)", "tested (N = 300
# cases)"): the sample an evaluation ran on, data used; people counted so ("a user study (N=24)") stay participants, and
# data the sentence says the work built ("we collected a new set (N=900 scans)") keeps its size.
_SAMPLE_OPEN = re.compile(r"\(\s*[Nn]\s*=\s*$")
_SAMPLE_ITEMS = re.compile(r"\s*(?:[\w-]+\s+)?(?:scans|MRIs|CTs|images|slides|radiographs|recordings|cases|samples|videos|"
                           r"documents|reports|exams|sessions|utterances|notes|records)\b")
_BUILD_VERB = re.compile(r"\b(?:collect|curat|construct|build|built|releas|introduc|annotat|creat|compil|gather|assembl|"
                         r"present|propos)\w*", re.I)


def _data_only_used(text: str, ss: int, se: int, gs: int, ge: int, duration: bool) -> bool:
    """Whether the data sizes of a group at text[gs:ge] (``duration``: its durations) size data the work only uses,
    evaluates or trains on: not claims, as data used is a setting. "with only 500 images" is a cost, read before."""
    lead = text[max(ss, gs - 200):gs]
    if not duration and " from " in text[ge:ge + 30] and (src := _FROM_NAMED_SOURCE.match(text, ge)) \
            and _SOURCE_NAMED.search(src.group(0), src.group(0).find(" from ")) \
            and not _BUILD_RIGHT_BEFORE.search(lead[-40:]) and "our " not in lead[-60:].lower():
        return True  # "across 61 clinical notes from the Alder repository": data taken from another's source
    if "(" in lead:
        if not duration and "=" in lead[-6:] and _SAMPLE_OPEN.search(lead[-8:]) and _SAMPLE_ITEMS.match(text, ge) \
                and not _BUILD_VERB.search(text, ss, gs):
            return True  # "(N=108 scans)": the sample of data an evaluation ran on
        lead = _PARENTHETICAL.sub("", lead)
    if _ONLY_BEFORE.search(lead[-20:]):
        return False
    verb = evaluated = None
    low = lead.lower()
    for m in _USE_VERB.finditer(low if len(low) == len(lead) else lead):  # offsets shared with ``lead``
        if not (m.group(0)[-1] in "gnt" and _USE_AS_ADJECTIVE.match(lead, m.end())):
            if verb is not None and verb.group(0)[:3].lower() in _EVAL_OR_TRAIN and m.start() - verb.end() < 12:
                evaluated = verb  # "evaluate it using an in-house set comprising N": the data an evaluation uses
            verb = m
    tail = lead[verb.end():] if verb is not None else ""
    if verb is not None and verb.group(0)[:3].lower() in _LIST_USE_VERBS and _COUNTS_LISTED.fullmatch(tail):
        return True  # "Drawing on 3,000 expert notes, 2,800 crowd notes, and 3,100 model notes": each member is data used
    if verb is not None and (verb.group(0)[:3].lower() in _EVAL_OR_TRAIN or evaluated is not None):
        tail = _BUILT_ADJECTIVE.sub(" ", tail)  # "evaluated on a curated set of 40 people": data evaluated on, a setting
    if verb is not None and not _OWN_BUILD.search(tail):
        if duration:
            return _DATA_OF_AFTER.match(text, ge) is not None
        if (_USED_DATA_NOUN.search(tail) or _NAMED_SET_N.search(tail)) and _DATA_LINK.search(tail):
            return True
    if duration or _OWN_BUILD.search(text[ss:gs]):
        return False
    if _USED_AFTER.match(text[:se], ge) is not None:
        return True
    # "A total of 70 cases were processed", "a set of 600 eyes was analyzed": data the study processes, used; people
    # counted so ("1,200 children ... were analyzed") stay the participants of a study
    return ("processed" in (after := text[ge:ge + 110]) or "analy" in after) and _PROCESSED_AFTER.match(text[:se], ge) is not None \
        and _PEOPLE_AFTER.match(text, gs) is None


# The condition a result is measured under: a threshold, noise level, label share or sparsity after "at"/"under" ("at a
# 0.7 IoU threshold", "under 40% label noise", "at a 20% adoption rate"), and the threshold that a share of items passes
# ("85% of frames within 2 pixels of", "90% of cases exceeding 0.5 IoU"); the share itself stays a result.
_CONDITION_AT = re.compile(r"\b(?:at|under)\s+(?:an?\s+|the\s+)?(?:(?:about|around|only|just|even)\s+)?$|\bwith\s+(?:an?\s+)?(?:about\s+|around\s+)?$",
                           re.I)  # "with 50% sparsity" too; "with only 10% labelled data" is a cost
_CONDITION_NOUN = re.compile(r"\s*(?:[\w-]+\s+)?(?:thresholds?|noise|supervision|sparsity|penetration rates?|adoption rates?|"
                             r"masking (?:ratio|rate)s?|mask ratios?|corruption|pruning (?:ratio|rate)s?|label(?:ed|led)? (?:data|ratio|rate))\b",
                             re.I)
_SHARE_THRESHOLD = re.compile(r"\d\s*\$?(?:\\?%|percent)\$?\s+of\s+(?:(?:the|all|our)\s+)?(?:(?!to\b)[\w-]+\s+){0,3}?(?:within|exceeding|"
                              r"above|below|under|greater than|less than)\s+(?:about\s+)?$", re.I)
_INTERVAL_LEAD = re.compile(r"(?:\bCI|(?:confidence|prediction|credible) (?:intervals?|levels?)(?: of)?|IQR|interquartile range|[(\[]\s*"
                            r"(?:SD|SEM?|s\.d\.|std|standard (?:deviation|error)|range|min[-–]max))\s*[:=,]?\s*[(\[]?\s*$", re.I)
# A setting held equal for a comparison ("given the same memory budget of 3 GB", "under an equal compute budget of 10
# GPU hours"): the condition of a result, not the result.
_MATCHED_SETTING = re.compile(r"\b(?:given|under|with|at|using|for)\s+(?:the\s+|a\s+|an\s+)?(?:same|equal|identical|matched|"
                              r"fixed)\b[^,;.]{0,60}?\b(?:of|at|=|:)\s*(?:about\s+|around\s+|roughly\s+)?$", re.I)
# A relative clause that says what other methods rely on, need or use ("outperforms existing parsers that rely on 10x
# more treebank data", "baselines, which require 40 GB"): the other methods' design, named for comparison like other
# models' sizes; a score the work measured for them ("baselines that reach 61%") stays a result.
_OTHERS_NEED = re.compile(
    r"\b(?:(?:existing|previous|prior|earlier|conventional|traditional|competing|other|current|state-of-the-art|SOTA|"
    r"larger|standard|classical|mainstream|leading|popular)\b[\w\s-]{0,40}?\b(?:methods?|approaches|models?|systems?|"
    r"works?|techniques|solutions|LLMs|frameworks?|baselines?|pipelines|algorithms|detectors|designs|parsers|tools)|"
    r"baselines|competitors|alternatives),?\s+(?:that|which|who)\s+(?:(?:often|typically|usually|still|also|all|"
    r"generally|instead)\s+)?(?:rel(?:y|ies) on|requir\w*|need\w*|use|uses|depend\w* on|employ\w*|consum\w*|demand\w*|"
    r"(?:are |were )?train\w* (?:on|with)|leverag\w*)\b(?:(?!\b(?:and|while|whereas|but)\b)[^,;:()])*$", re.I)
# The same two cases as _MATCHED_SETTING and _INTERVAL_LEAD in other wordings ("for a fixed token budget $5", "95% CI, ").
_SAME_BUDGET = re.compile(r"\b(?:given|at|under|with|for)\s+(?:the|a|an)\s+(?:same|equal|identical|fixed|matched)\s+"
                          r"(?:[\w-]+\s+){0,5}?(?:of|budget|at|=)\s*(?:about\s+|around\s+|only\s+)?\$?$", re.I)
_INTERVAL_LABEL = re.compile(r"(?:(?:\bCI|confidence intervals?|\bIQR|\bSD|\bSE|\bSEM|\bstd)\b|\bs\.d\.)\s*[:,=]?\s*\$?$")


# A bound in words under a negation ("none of the models achieves more than 40%", "no system exceeds 0.6 F1"): no
# level the work states, like the negated symbol bound "no model scoring >75%" (17-prec4).
_NEGATED_WORD_BOUND = re.compile(r"\b(?:no|none|not|never|nor|neither)\b(?!\s+only\b)[^.;,]{0,50}?\b(?:(?:greater|more|higher|"
                                 r"better|larger)\s+than|above|exceed\w*)\s*(?:about\s+|around\s+)?\$?$", re.I)
# the words one of the two negated-bound patterns needs before it can match
_NEGATED_BOUND_LITERALS = ("than ", "above ", "exceed", "surpass", "reach", "achiev", "pass", "break")


# The provenance share of the work's data ("2,000 posts, of which 40% were written in 2023", "in which 53% come from
# forums"): a composition of data already counted, like "of which 212 clips are ...", no result (17-prec4).
_WHICH_SHARE = re.compile(r"\b(?:of|in|among) which\s+(?:about\s+|around\s+|over\s+|nearly\s+|roughly\s+)?$", re.I)
_PROVENANCE_AFTER = re.compile(r"\s+(?:(?:were|are|was|is|have been)\s+(?:\w+\s+)?(?:published|collected|released|written|"
                               r"recorded|created|posted|taken|sourced|drawn|crawled|scraped|uploaded|captured|from)|"
                               r"(?:come|came|originate|originated|stem)\s+from)\b", re.I)


def _result_lower_bound(text: str, ss: int, gs: int, bm: re.Match) -> bool:
    """Whether the bound before a group at ``gs`` is a lower bound on what the work achieves (">99% accuracy"
    after "achieves"), a claim; other bounds ("models with leq 4B parameters", "<1%") select or qualify."""
    if not _LOWER_BOUND.search(bm.group(0)):
        return False
    bound_start = max(ss, gs - 12) + bm.start()
    lead = text[max(ss, bound_start - 40):bound_start]
    if _ACHIEVES_BEFORE.search(lead.rstrip("$ ") + " ") is not None:
        return not _NEGATION.search(lead)
    sentence = text[ss:bound_start]  # a later member of a bounded list: "achieves >97% on A and >84% on B"
    return bool(_LIST_LEAD.search(sentence) and _ACHIEVED_BOUND.search(sentence) and not _NEGATION.search(sentence))


# Scores stated as a bound or with a statistic's letter (docs/claims_decisions.md, twelfth round, 17-bound). A bound
# sign right after a metric name states the work's level of that metric ("the scans are restored faithfully (PSNR > 31
# dB, LPIPS < 0.08)", "reaches AUC $\geq$ 0.9"): a claim with the bound as its value, where the metric opens a bracket,
# follows a verb of result or continues a list of such bounds. A bound that selects or qualifies ("pairs with CLIP
# score > 0.3 are kept", "mAP at IoU > 0.5", "(e.g., IoU >= 0.6)", "p < 0.05") stays none.
_CMP_SIGN = r"(?:>=|<=|>|<|≥|≤|\\geq?\b|\\leq?\b|\\gt\b|\\lt\b)"
# The letter of a correlation or agreement coefficient, alone or in TeX math ("(r = 0.91)", "$\kappa=0.74$", "Cronbach's
# $\alpha$ = 0.88"): a measured score when the sentence names a correlation or an agreement before it (alpha only after
# Cronbach's or Krippendorff's), the value a decimal of at most 1; "τ = 0.07", "with λ = 0.1" and "alpha = 0.05" are settings.
_COEF_LETTER = r"(?<![\w\\$])\$?\s*(?:\\rho|ρ|\\kappa|κ|\\tau|τ|\\alpha|α|r|R)(?![\w^])\s*\$?"
_COEF_BEFORE = re.compile(_COEF_LETTER + r"\s*(?:=|" + _CMP_SIGN + r")\s*\$?\s*$")
_COEF_CUE = re.compile(r"correlat|agree|associat|concordan|pearson|spearman|kendall|kappa|cohen|fleiss|cronbach|krippendorff|"
                       r"inter-?(?:annotator|rater)|reliab|consisten")  # matched on lower case
_COEF_ALPHA = re.compile(r"(?:Cronbach|Krippendorff)['’]?s?\s*$")
_METRIC_BEFORE_SIGN = re.compile(r"(?:\b(?i:" + _METRIC_WORDS + r")|\b(?:" + _METRIC_ACRONYMS + r")s?(?![\w@])|(?P<coef>" + _COEF_LETTER
                                 + r"))\s*(?:\([\w-]+\)\s*)?\)?\s*\$?\s*(?:" + _CMP_SIGN + r"\s*\$?\s*~?\s*)?$")  # the sign, in a number's window
_EXAMPLE_BRACKET = re.compile(r"\b(?:like|such as)\s+" + _EX_NAME + r"\s*[(\[]\s*$")
_SIGN_CHARS = frozenset("<>≥≤\\")  # one is in every _SIGN_END match: a cheap test first
_SIGN_END = re.compile(_CMP_SIGN + r"\s*\$?\s*~?\s*$")
# Verbs that report the work's level of a metric, before a bound (17-bound, 17-widen)
_RESULT_VERB_STEMS = r"achiev|reach|attain|obtain|yield|maintain|deliver|record|report|show|produc|scor|exhibit|demonstrat"
_NOT_RESULT_OPEN = r"(?!(?:at|with|for|when|where|if|under|whose|only|threshold|e\.g|i\.e)\b)"
_BOUND_RESULT_LEAD = re.compile(
    r"(?:[(\[]\s*(?:" + _NOT_RESULT_OPEN + r"[\w'’-]+\s+){0,3}|\b(?:" + _RESULT_VERB_STEMS + r")\w*\s+"
    r"(?:(?:an?|the|its|their|high|strong|overall|mean|average|median|macro|micro)\s+){0,3})(?:(?:[\w'’@^{}-]+\s+){0,2}?[\w'’@^{}$\\-]+\s*\)?\s*\$?\s*" + _CMP_SIGN
    + r"\s*\$?\s*~?\s*\d[\d.,]*\s*(?:\\?%|[A-Za-z]{1,3})?\s*\$?\s*(?:,\s*(?:and\s+)?|;\s*|and\s+)){0,3}$", re.I)


def _sentence_start_near(text: str, s: int, before: str) -> int:
    """The start of the sentence of a number at ``s`` whose window ``before`` (at most 80 characters, cut at the
    sentence's start) may be shorter than the sentence: up to 240 characters back, after the last ". "."""
    if len(before) < 80:
        return s - len(before)
    k = text.rfind(". ", max(0, s - 240), s)
    return k + 2 if k >= 0 else max(0, s - 240)


def _coefficient(text: str, ss: int, letter_start: int, letter: str) -> bool:
    """Whether the statistic's letter starting at ``letter_start`` names a correlation or agreement coefficient (see
    _COEF_LETTER): alpha after Cronbach's/Krippendorff's, another letter after a correlation or agreement word in its
    sentence, never an effect size."""
    lead = text[max(ss, letter_start - 200):letter_start]
    if "alpha" in letter or "α" in letter:
        return _COEF_ALPHA.search(lead[-20:]) is not None
    low = lead.lower()
    return "effect size" not in low[-24:] and _COEF_CUE.search(low) is not None


def _metric_bound_at(text: str, ss: int, end: int) -> int | None:
    """Where the metric name (or coefficient letter) before the bound sign that ends at ``end`` starts, when it is in a
    result position (see _BOUND_RESULT_LEAD): "(SSIM > 0.93, MAE < 0.01)", "reaches PSNR > 31 dB"; not "pairs with CLIP
    score > 0.3". A coefficient's start comes back negated (-start - 1), so callers can type it accuracy."""
    mm = _METRIC_BEFORE_SIGN.search(text, max(ss, end - 60), end)
    if mm is None or mm.group("coef") and not _coefficient(text, ss, mm.start(), mm.group("coef")):
        return None
    if _BOUND_RESULT_LEAD.search(text, max(ss, mm.start() - 120), mm.start()) is None:
        return None
    if ("like" in text[max(ss, mm.start() - 40):mm.start()] or "such as" in text[max(ss, mm.start() - 40):mm.start()]) \
            and _EXAMPLE_BRACKET.search(text, max(ss, mm.start() - 40), mm.start()) \
            and not _SELF.search(text, ss, len(text) if (se := text.find(". ", end)) < 0 else se):
        return None  # "promising results on open models like Alder (AUC > 80%)": other systems' numbers, as examples
    return -mm.start() - 1 if mm.group("coef") else mm.start()


def _metric_bound_result(text: str, ss: int, gs: int, bm: re.Match) -> bool:
    """Whether the bound sign before a group at ``gs`` follows a metric name in a result position (_metric_bound_at)."""
    return _metric_bound_at(text, ss, max(ss, gs - 12) + bm.end()) is not None


# A bound sign before a number whose metric is named right after it ("reaches <2% WER", "transcripts (<1% CER)"), in a
# result position (docs/claims_decisions.md, 17-widen): the work's level of that metric, as "WER < 2%" after a verb of
# result is (twelfth round); "samples with <5% WER" (a selection) stays none.
_METRIC_AFTER_BOUND = re.compile(r"\s*\$?\s*(?:(?i:" + _METRIC_WORDS + r")|(?:" + _METRIC_ACRONYMS + r")(?![\w@]))")
_BOUND_RESULT_BEFORE = re.compile(r"(?:[(\[]\s*|\b(?:" + _RESULT_VERB_STEMS + r"|keep)\w*\s+(?:(?:an?|the|its|their|only|consistently|"
                                  r"just)\s+){0,2})\$?\s*$", re.I)


def _bound_metric_after(text: str, ss: int, gs: int, ge: int, bm: re.Match) -> bool:
    """Whether the bound sign before a group at ``gs``..``ge`` bounds a metric named right after the group, in a
    result position (_BOUND_RESULT_BEFORE before the sign), with no negation before it."""
    if _METRIC_AFTER_BOUND.match(text, ge) is None:
        return False
    bound_start = max(ss, gs - 12) + bm.start()
    lead = text[max(ss, bound_start - 60):bound_start]
    return _BOUND_RESULT_BEFORE.search(lead) is not None and not _NEGATION.search(lead)


def _inherit_units(group: list[_Mention]) -> None:
    """A unit-less list member takes the unit of the next member ("1.6 and 1.4 times"); a K/M/B/T
    suffixed one only a token/parameter/byte unit, keeping its own suffix as scale. Durations are not
    inherited."""
    nxt_unit, nxt_scale = None, ""
    for mt in reversed(group):
        if mt.unit is None and not mt.drop and nxt_unit is not None:
            if nxt_unit in ("tokens", "parameters", "bytes") and mt.suffix and nxt_scale:
                mt.unit, mt.scale = nxt_unit, mt.suffix
            elif not mt.suffix:
                mt.unit, mt.scale = nxt_unit, nxt_scale
                if nxt_unit == "seconds":
                    mt.unit = None
        if mt.unit is not None:
            nxt_unit, nxt_scale = mt.unit, mt.scale
    for prev, mt in zip(group, group[1:]):  # scores read on: "AUC: 0.75, 0.83, 0.71"; sizes: "(1.5B and 7B)"
        if prev.unit == "points" and mt.unit is None and not mt.drop and not mt.suffix:
            mt.unit = "points"
        elif prev.unit in ("parameters", "tokens") and prev.scale and mt.unit is None and not mt.drop and mt.suffix:
            mt.unit, mt.scale = prev.unit, mt.suffix


# --------------------------------------------------------------------------- table API
def _claims_frame(task: tuple[list, ...]) -> pl.DataFrame:
    """The claims of one task's (paper ids, abstracts, word-key cues, number-word cues, glued-size cues; _candidates) as
    a frame, which a pool returns compactly."""
    ids, abstracts, word_keys, number_words, glued = task
    rows = []
    for pid, abstract, cues in zip(ids, abstracts, zip(word_keys, number_words, glued)):
        for idx, c in enumerate(claims_in_text(abstract, cues)):
            rows.append((pid, idx, float(c.value), None if c.low is None else float(c.low), c.unit,
                         c.unit_scale, c.kind, c.direction, c.text, c.span_start, c.span_end))
    # built from columns: half the time of orient="row"
    return pl.DataFrame(dict(zip(CLAIMS_SCHEMA, zip(*rows))), schema=CLAIMS_SCHEMA) if rows else _empty()


def _empty() -> pl.DataFrame:
    return pl.DataFrame(schema=CLAIMS_SCHEMA)


def _candidates(papers: pl.DataFrame) -> pl.DataFrame:
    """The rows of ``papers`` (paper_id, abstract) that may hold a claim, with the cues claims_in_text takes: abstracts with
    a digit, a word key, a number word or "only one" (ONE_NEEDED_CUE), in one vectorised polars pass. ASCII abstracts are
    read in lower case with the patterns' case-sensitive form and [0-9] (on ASCII text the same matches as (?i) and \\d, in
    about half the time); the others (other_text; "" on ASCII rows, which costs nothing) with the patterns as written."""
    text, ascii_text, other_text, low = pl.col("abstract"), pl.col("ascii_text"), pl.col("other_text"), pl.col("low")
    is_ascii = text.str.len_bytes() == text.str.len_chars()

    def cue(pattern: str) -> pl.Expr:
        return low.str.contains(pattern.removeprefix("(?i)")) | other_text.str.contains(pattern)

    return (papers.select("paper_id", "abstract", ascii_text=pl.when(is_ascii).then(text).otherwise(pl.lit("")),
                          other_text=pl.when(is_ascii).then(pl.lit("")).otherwise(text))
            .with_columns(low=ascii_text.str.to_lowercase())
            .with_columns(word_keys=cue(WORD_KEY_PATTERN), number_words=cue(NUMBER_WORD_PATTERN), glued=text.str.contains(GLUED_SIZE_CUE),
                          digit=ascii_text.str.contains("[0-9]") | other_text.str.contains(r"\d"), one=cue(ONE_NEEDED_CUE))
            .filter(text.is_not_null() & (pl.col("digit") | pl.col("word_keys") | pl.col("number_words") | pl.col("one"))))


def _tasks(papers: pl.DataFrame, size: int):
    """(ids, abstracts, cues...) lists of the candidates among ``size`` rows at a time, made as the pool takes them: the
    cues are found per slice (the pool's workers start on the first slice while the parent reads the next ones), the
    parent never holds every abstract as a Python string, and a task pickles flat lists, not a list of tuples."""
    for offset in range(0, papers.height, size):
        part = _candidates(papers.slice(offset, size))
        yield tuple(part.get_column(name).to_list() for name in ("paper_id", "abstract", "word_keys", "number_words", "glued"))


def extract_claims(papers: pl.DataFrame, workers: int | None = None, chunk_size: int = 20_000) -> pl.DataFrame:
    """The `claims` table for a frame with columns paper_id, abstract.

    Vectorised polars passes find each abstract's word cues, one slice of abstracts at a time; abstracts without a
    digit or a cue are dropped there (_candidates; not by copying the whole frame).
    Inputs above ``chunk_size`` rows are processed by a process pool (``workers`` defaults to
    the CPU count; 1 = in-process) in tasks of at most ``chunk_size`` abstracts, each returning a frame.
    Its workers come from a fork server, never a fork of this process: forking a process whose polars and
    DuckDB thread pools are running can deadlock the child.
    """
    if papers.height == 0:
        return _empty()
    if workers is None:
        workers = os.cpu_count() or 1
    if workers > 1 and papers.height > chunk_size:
        import multiprocessing as mp

        size = min(chunk_size, math.ceil(papers.height / workers))
        ctx = mp.get_context("forkserver" if "forkserver" in mp.get_all_start_methods() else "spawn")
        with ctx.Pool(workers) as pool:
            parts = list(pool.imap(_claims_frame, _tasks(papers, size)))
    else:
        parts = [_claims_frame(task) for task in _tasks(papers, papers.height)]
    parts = [p for p in parts if p.height]
    return pl.concat(parts) if parts else _empty()

