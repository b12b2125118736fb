"""Quantitative-claim extraction from paper abstracts (pure logic, no Dagster).

A claim is a number that states a result or property of the work (see
/work/shared/eval/CLAIMS_SPEC.md).  Extraction is *unit driven*: a number only
becomes a claim when it carries a unit or sits in a recognised pattern
(``19%``, ``5.8x``, ``2 to 25 times``, ``2.7B parameters``, ``16 GB``,
``14 seconds``, ``+2.1 BLEU``, ``score of 66.1``, ``two million tokens``,
``an order of magnitude``, ``half``...).  Bare numbers (years, citations,
section numbers, "three datasets", enumerations) therefore never become claims.
On top of that:

* identifiers are excluded: a number glued to letters (``V100``, ``FP8``,
  ``3D``, ``x2013``), after ``letters-`` (``ResNet-50``, ``GPT-3``,
  ``A100-40GB``), after an apostrophe (``WMT'14``) or a slash denominator;
  ``512x384`` style dimensions; a size suffix without a noun (``Llama 7B``);
* settings are excluded: ``4-bit``/``INT4`` bit widths, hyphenated time
  adjectives (``4-second``), years, values right after ``e.g.,`` or a bound
  operator (``leq 4B``), hyperparameter-like percentages (``rank``, ``mask``,
  ``dropout``...), counts of data used (``using 18k articles``), vague ranges
  (``tens to hundreds of millions``);
* background sentences are skipped: questions, and sentences that cite or
  describe prior work / limitations (``Recent ...``, ``et al.``,
  ``struggles``, ``challenging``...) without a first-person/"proposed" cue.

Ranges ("2 to 25 times", "3-20x", "0.5% - 2%", "1.25~1.56x") give one claim
(value = upper, low = lower); "from X to Y" and lists ("5%, 2%, and 4%",
"5.8x/3.7x", "1.6 and 1.4 times", "94.8% vs 93.4%") give one claim per number,
and a unit-less number in a list inherits the unit of the following member.
Kind and direction come from keywords in the clause around the number (words
after the number first, then the nearest words before it).

`extract_claims` prefilters abstracts with one vectorised polars regex and
fans large inputs out over a process pool.
"""

from __future__ import annotations

import math
import os
import re
from dataclasses import dataclass

import polars as pl

from assets.core.contracts import CLAIM_DIRECTIONS as DIRECTIONS
from assets.core.contracts import CLAIM_KINDS as KINDS
from assets.core.contracts import CLAIM_UNIT_SCALES as UNIT_SCALES
from assets.core.contracts import CLAIM_UNITS as UNITS

# Bump when extraction results change for a reason this file does not show (the cache version of the claims
# step also fingerprints this file's text, see assets/metrics/per_paper.py).
CLAIMS_VERSION = 1

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
_NUM = r"\d+(?:,\d{3})*(?:\.\d+)?"

# --------------------------------------------------------------------------- regexes
# Cheap trigger used (in Rust regex syntax too) to decide whether an abstract/sentence needs work.
TRIGGER_PATTERN = (
    r"(?i)\d|\b(?:half|twice|doubl|tripl|quadrupl|thousand|million|billion|trillion|"
    r"orders? of magnitude|" + _NUMWORD + r")"
)
_TRIGGER = re.compile(TRIGGER_PATTERN)

_DIGIT = re.compile(r"\d")
_FREE_DIGIT = re.compile(r"(?<![A-Za-z_'’/\-.\d])\d")
_WORD_X_KEYS = ("magnitude", "twice", "doubl", "tripl", "quadrupl", "half", "times", "fold")
_TIME_KEYS = ("second", "minute", "hour", "day", "week")
_WORD_KEYS = ("illion", "thousand") + _WORD_X_KEYS + _TIME_KEYS
_SENT_SPLIT = re.compile(r"(?<=[.!?])\s+(?=[A-Z(\[\"'])")
_NUMBER = re.compile(r"(?<![\d.,])" + _NUM)

_SELF = re.compile(
    r"\b(?:we|our|ours|us|this (?:paper|work|study|article|report|approach|method)|"
    r"(?:the )?proposed|these (?:methods|techniques))\b", re.I)
_MOTIV_START = re.compile(
    r"^(?:However,?\s+|Yet,?\s+|But\s+)?(?:Recent|Recently|Existing|Previous|Prior|Current|Currently|"
    r"Traditional|Traditionally|Conventional|Conventionally|Typically|Historically|Most|Many|Some|"
    r"Unfortunately|Nowadays|Today)\b")
_MOTIV_ANY = re.compile(
    r"et al\.|\[\d|\b(?:struggl\w*|suffer\w*|challeng\w*|limitations?|bottleneck\w*|prohibitive\w*|"
    r"impose[sd]?|hinder\w*|expected to|fails? to|motivat\w*|studies have|it is well known)\b", re.I)

_BOUND_BEFORE = re.compile(r"(?:e\.g\.,?|i\.e\.,?|leq|geq|≤|≥|<=|>=|\\le|\\ge)\s*$")
_FROM_BEFORE = re.compile(r"\bfrom\s+(?:(?:under|over|about|around|nearly|approximately|roughly|just|only)\s+)?$", re.I)
_SETTING_BEFORE = re.compile(
    r"(?<!-)\b(?:rank|ranks|mask\w*|dropout|learning rate|threshold|temperature|sparsity ratio|"
    r"pruning ratio|keep ratio|ratio of|sampling rate|weight decay|momentum)\b[^,;:)]{0,45}$", re.I)
_SETTING_AFTER = re.compile(r"^[^,;:()]{0,40}\b(?:is|are) (?:kept|retained|masked|dropped)\b", re.I)
_USING_BEFORE = re.compile(r"\b(?:using|use|uses|with)\s+(?:only\s+|about\s+|around\s+|over\s+)?$", re.I)
_CONTEXT_BEFORE = re.compile(
    r"\b(?:context|sequence|input|window)\s+(?:length|window|size)s?\s+(?:\w+\s+){0,2}?"
    r"(?:of|to|up to|reach\w*|at)\s+(?:(?:over|up to|about|around|nearly|approximately|roughly|beyond)\s+)?$", re.I)
_SCORE_BEFORE = re.compile(
    r"\b(?:score|BLEU\d?|ROUGE(?:-\w+)?|F1|mAP|mIoU|PSNR|accuracy|perplexity|EM)\s+"
    r"(?:(?:close to|of|reaching|at|to|=|is|was)\s+){1,2}(?:(?:about|around|nearly|approximately|over|up to|only|just)\s+)?$",
    re.I)
_TRAIN_NEAR = re.compile(r"\b(?:train\w*|fine-?tun\w*|pre-?train\w*|run|runs|running|deploy\w*|serv\w*|scal\w*)\b", re.I)
_HW_CUE = re.compile(r"\b(?:only|just|single|enough|merely|as few as|sufficient|suffices?)\b", re.I)
_BUILD_CUE = re.compile(r"\b(?:introduce|present|construct|build|built|release|novel|new|collect|curate|create)\w*\b", re.I)
_FPS_CUE = re.compile(r"\b(?:achiev\w*|real-?time|render\w*|runs?|speed|throughput|reach\w*)\b", re.I)

# Units right after a number (tried with .match at the end of the number).
_U_PCT = re.compile(r"\s?(?:\\?%|percent\b|per cent\b)")
_U_PP = re.compile(r"\s?(?:percentage points?|pp\b|p\.p\.)")
_U_ABS = re.compile(r"\s+(?:absolute|abs\.)\b|\s+(?:\w+\s+)?points?\b", re.I)
_U_X = re.compile(r"(?:\s?(?:x|×|X)(?![A-Za-z0-9])(?!\s*\d)|\s?-?\s?times\b|\s?-?\s?fold\b)")
_U_DIM = re.compile(r"\s?[x×]\s?\d")
_U_SUFFIX = re.compile(r"\s?([kKMBT])(?![A-Za-z0-9])")
_U_BYTES = re.compile(r"\s?((?:[KMGTP]i?B)|Go|Mo|Ko|To|bytes)(?![A-Za-z0-9])")
_U_TIME = re.compile(
    r"(\s?-\s?|\s?)(nanoseconds?|microseconds?|milliseconds?|msec|ms|µs|μs|seconds?|secs?|sec|minutes?|mins?|min|"
    r"hours?|hrs?|hr|h|days?|weeks?)(?![A-Za-z0-9])")
_U_YEARS = re.compile(r"\s?-?\s?(?:years?|yrs?|months?|decades?)\b", re.I)
_U_POINTS = re.compile(r"\s?(?:points?|pts?)\b|\s(?:BLEU\d?|ROUGE(?:-\w+)?|mAP|AP|F1|EM|PSNR|dB|mIoU|CIDEr|FID)\b")
_U_RATE = re.compile(
    r"\s?(?:tokens?/s(?:ec)?|tok/s|frames?/s|images?/s|samples?/s|it/s|queries per second|QPS|"
    r"FPS|fps|(?:[Pp]eta|[Tt]era|[Gg]iga)-?[Ff][Ll][Oo][Pp][Ss]|[PTG]FLOPS|TOPS)(?![A-Za-z])")
_U_BITS = re.compile(r"\s?bits?\s+per\s+(?:weight|parameter|param|value|element)", re.I)
_U_BITSET = re.compile(r"\s?-?\s?bits?\b", re.I)
_U_HW = re.compile(r"\s+(?:NVIDIA\s+|AMD\s+|Intel\s+)?(?:[A-Z0-9]+\s+)?(?:GPUs|CPU cores|cores|CPUs|TPUs|NPUs|nodes|machines)\b")
_HW_NOUN = re.compile(r"\s?-?\s?(?:GPUs?|cards?|devices?|accelerators?|NPUs?|TPUs?|HBM)\b")
_U_BENCH = re.compile(r"[\s-]+(?:[\w-]+[\s-]+)?(?:benchmark|dataset|corpus|collection)\b", re.I)
_N_TOKENS = re.compile(r"\s*-?\s*(?:\w+\s+)?(?:tokens?|(?:sequence|context|input)\s+length)\b", re.I)
_N_PARAMS = re.compile(r"\s*-?\s*(?:\w+\s+)?param(?:eter)?s?\b", re.I)
_N_MODEL = re.compile(r"\s*-?\s*(?:parameter\s+)?(?:[A-Za-z]+\s+)?(?:models?|LLMs?|networks?|transformers?)\b")
_N_RES = re.compile(r"\s?-?\s?resolution\b", re.I)
_N_COUNT = re.compile(r"\s+(?:of\s+)?(?:[a-z][a-z-]*\s+){0,2}?([a-z][a-z-]*s)\b")
_EXCLUDED_COUNT_NOUNS = re.compile(
    r"^(?:datasets|benchmarks|tasks|baselines|contributions|models|languages|years|months|days|layers|heads|"
    r"epochs|steps|times|ways|parts|components|stages|experiments|settings|methods|categories|classes)$")

_RANGE_SEP = re.compile(r"\s*(?:-|–|—|~|∼|\\sim|sim|to)\s*(?:(?:over|under|about|nearly|around|approximately)\s+)?(?=\d)")
_LIST_SEP = re.compile(r"(?:\s*,\s*(?:and\s+|or\s+)?|\s+and\s+|\s+or\s+|\s*/\s*|\s+vs\.?\s+|\s+versus\s+)(?:(?:by|to|up to|about|around|nearly|over)\s+|[~≈∼]\s?)?(?=\d)")
_FROM_TO_SEP = re.compile(r"\s+to\s+(?:(?:over|under|about|nearly|around|approximately|roughly|just|only)\s+)?(?=\d)")

_WORD_QTY = re.compile(
    r"\b(?:(?P<vague>tens|dozens|hundreds)\s+of\s+)?(?:(?P<pre>" + _NUMWORD + r"|an?|" + _NUM + r")[\s-]+)?"
    r"(?P<mag>thousand|million|billion|trillion)(?P<pl>s)?\b(?!-)", re.I)
_VAGUE_RANGE = re.compile(
    r"\b(?:tens|dozens|hundreds|thousands|millions|billions|trillions)\s+(?:to|or)\s+(?:even\s+)?"
    r"(?:tens|dozens|hundreds|thousands|millions|billions|trillions)\b", re.I)
_WORD_X = re.compile(
    r"\b(?:(?P<om>(?:(?P<omn>an?|one|two|three|four|five|six)\s+)?orders?\s+of\s+magnitude)|"
    r"(?P<nw>" + _NUMWORD + r")[\s-]+(?:times|fold)\b|(?P<twice>twice)\b|"
    r"(?P<dbl>doubl(?:es|ed|ing)|tripl(?:es|ed|ing)|quadrupl(?:es|ed|ing))\s+(?:the|its|their|our|a|an)\b|"
    r"(?P<half>(?<!-)\bhalf\b(?!-)))", re.I)
_WORD_TIME = re.compile(
    r"(?:(?<=\bin )|(?<=\bwithin )|(?<=\bunder )|(?<=\baround )|(?<=\babout )|(?<=\bjust )|(?<=\bonly )|"
    r"(?<=\bthan )|(?<=\btakes )|(?<=\btook )|(?<=\bapproximately )|(?<=\broughly ))"
    r"(?P<n>" + _NUMWORD + r")\s+(?P<u>milliseconds?|seconds?|minutes?|hours?|days?|weeks?)\b", re.I)
_HALF_BAD_BEFORE = re.compile(r"\b(?:first|second|latter|former|other|one)\s+$", re.I)

# Kind keywords: (regex, kind).  After-window: first hit wins; before-window: nearest hit wins.
_KIND_WORDS = [
    (r"speed-?ups?|speed|faster|slower|latency|latencies|throughput|accelerat\w*|wall[- ]clock|inference time|"
     r"runtime|run time|training time|time|decoding|tokens?/s|FPS|flops", "speed"),
    (r"memory|footprint|activations?|storage|compression|compress\w*|parameters?|params|model size|"
     r"cache|VRAM|DRAM|bandwidth", "memory"),
    (r"accuracy|accurate|score|BLEU\d?|ROUGE|perplexity|success rate|acceptance rate|forgetting|F1|mAP|"
     r"precision|recall|error|quality|win rate|pass@\d+|exact match|performance|outperform\w*|improvement", "accuracy"),
    (r"context|sequence length|sequence|batch size|tokens|length|longer|window|scal\w*|videos?|slots|"
     r"resolution|dataset|benchmark|collection", "scale"),
    (r"energy|cost|costs|power|dollars?|GPU hours|compute|computation|FLOPs|efficiency|cores|GPUs", "cost"),
]
_KIND_RE = re.compile("|".join(f"(?P<k{i}>\\b(?:{p.lower()}))" for i, (p, _) in enumerate(_KIND_WORDS)))
_DIR_WORDS = [
    (r"reduc\w*|fewer(?!\s+than)|less(?!\s+than)|lower\w*|decreas\w*|cuts?|cutting|sav\w*|shrink\w*|compress\w*|smaller|drops?|"
     r"minimi\w*|down to|slash\w*", "decrease"),
    (r"faster|speed-?ups?|higher|more(?!\s+than)|improv\w*|increas\w*|boost\w*|accelerat\w*|outperform\w*|outpac\w*|"
     r"extend\w*|longer|larger|lift|gains?|doubl\w*|twice|surpass\w*|overhead|additional|better(?!\s+than)|"
     r"scal\w*|enlarg\w*|expand\w*", "increase"),
]
_DIR_RE = re.compile("|".join(f"(?P<d{i}>\\b(?:{p.lower()}))" for i, (p, _) in enumerate(_DIR_WORDS)))
_ABS_DEC = re.compile(r"\b(?:reduc\w*|decreas\w*|cut\w*|shrink\w*|compress\w*|sav\w*|down to|lower\w*)\b", re.I)
_ABS_INC = re.compile(r"\b(?:increas\w*|extend\w*|expand\w*|grow\w*|improv\w*|boost\w*|enlarg\w*)\b", re.I)
_CLAUSE_END = re.compile(
    r"[,;:.()\[\]]|\b(?:while|whereas|but|and|compared|respectively|than|over|with|using|across|on|at|when|by|"
    r"via|for|relative|versus|vs)\b")
_CLAUSE_START = re.compile(r"[;:.\[\]]|\b(?:while|whereas|but)\b")


# --------------------------------------------------------------------------- helpers
def _parse_num(s: str) -> float:
    return float(s.replace(",", ""))


def _is_identifier(text: str, s: int, e: int) -> bool:
    """True if the number at text[s:e] is part of a name/identifier."""
    if s > 0:
        c = text[s - 1]
        if c.isalpha() or c in "_'’/":
            return True
        if c in "-‐" and s > 1:
            j = s - 1
            while j > 0 and not text[j - 1].isspace():
                j -= 1
            if any(ch.isalpha() for ch in text[j:s - 1]):
                return True
        if c == "." and s > 1 and text[s - 2].isalnum():
            return True
    if e < len(text) and text[e] in "-‐" and e + 1 < len(text) and text[e + 1].isdigit():
        # "2-3" is a range (handled by caller); "1-2-3" style ids are rare
        pass
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


def _sentences(text: str) -> list[tuple[int, int]]:
    spans, pos = [], 0
    for m in _SENT_SPLIT.finditer(text):
        spans.append((pos, m.start()))
        pos = m.end()
    spans.append((pos, len(text)))
    return spans


def _background(sent: str) -> bool:
    if sent.rstrip().endswith("?"):
        return True
    if _SELF.search(sent):
        return False
    return bool(_MOTIV_START.search(sent) or _MOTIV_ANY.search(sent))


def _parse_unit(text: str, s: int, e: int, value: float, sent_start: int) -> _Mention | None:
    """Classify the number text[s:e] by what follows it; None = identifier/dimension."""
    before = text[max(sent_start, s - 80):s]
    if _U_DIM.match(text, e):
        return None
    m = _U_PCT.match(text, e)
    if m:
        end = m.end()
        a = _U_ABS.match(text, end)
        if a and "point" in a.group(0).lower() and "percentage" not in a.group(0).lower():
            a = a if re.match(r"\s+(?:percentage\s+)?points?", a.group(0), re.I) else None
        if a:
            return _Mention(s, a.end(), value, None, "points", "")
        drop = bool(_SETTING_BEFORE.search(before) or _SETTING_AFTER.search(text[end:end + 60]))
        return _Mention(s, end, value, None, "percent", "", drop=drop)
    m = _U_PP.match(text, e)
    if m:
        return _Mention(s, m.end(), value, None, "points", "")
    m = _U_X.match(text, e)
    if m:
        return _Mention(s, m.end(), value, None, "x", "")
    m = _U_BYTES.match(text, e)
    if m:
        sc = m.group(1)
        scale = "" if sc == "bytes" else BYTE_SCALES.get(sc.upper(), sc)
        if _HW_NOUN.match(text, m.end()):
            return _Mention(s, m.end(), value, None, None, "", drop=True)
        return _Mention(s, m.end(), value, None, "bytes", scale)
    m = _U_BITS.match(text, e)
    if m:
        return _Mention(s, m.end(), value, None, "other", "")
    if _U_BITSET.match(text, e):
        return _Mention(s, e, value, None, None, "", drop=True)
    if _U_YEARS.match(text, e):
        return _Mention(s, e, value, None, None, "", drop=True)
    m = _U_RATE.match(text, e)
    if m:
        if "fps" in m.group(0).lower() and not _FPS_CUE.search(before):
            return _Mention(s, m.end(), value, None, None, "", drop=True)
        return _Mention(s, m.end(), value, None, "other", "")
    m = _U_TIME.match(text, e)
    if m:
        if "-" in m.group(1):
            return _Mention(s, m.end(), value, None, None, "", drop=True)
        u = m.group(2).lower()
        key = u if u in TIME_SECONDS else u.rstrip("s")
        if key not in TIME_SECONDS or (u in ("s", "h", "min") and m.group(1) == ""):
            if key not in TIME_SECONDS:
                return None
        return _Mention(s, m.end(), value * TIME_SECONDS[key], None, "seconds", "")
    m = _U_SUFFIX.match(text, e)
    if m:
        suf = m.group(1).upper()
        send = m.end()
        t = _N_TOKENS.match(text, send)
        if t:
            return _Mention(s, t.end(), value, None, "tokens", suf)
        p = _N_PARAMS.match(text, send)
        if p:
            return _Mention(s, p.end(), value, None, "parameters", suf)
        md = _N_MODEL.match(text, send)
        if md and suf in ("M", "B", "T") and _TRAIN_NEAR.search(before[-50:]):
            return _Mention(s, md.end(), value, None, "parameters", suf)
        r = _N_RES.match(text, send)
        if r:
            return _Mention(s, r.end(), value * SUFFIX_MULT[suf], None, "other", "")
        if _CONTEXT_BEFORE.search(before):
            return _Mention(s, send, value, None, "tokens", suf)
        c = _N_COUNT.match(text, send)
        if c and not _EXCLUDED_COUNT_NOUNS.match(c.group(1)) and not _USING_BEFORE.search(before):
            return _Mention(s, c.end(), value * SUFFIX_MULT[suf], None, "count", "")
        return _Mention(s, send, value, None, None, "", suffix=suf)
    m = _U_POINTS.match(text, e)
    if m:
        return _Mention(s, m.end(), value, None, "points", "")
    m = _U_HW.match(text, e)
    if m:
        window = text[max(sent_start, s - 40):m.end() + 20]
        if _HW_CUE.search(window):
            return _Mention(s, m.end(), value, None, "count", "")
        return _Mention(s, e, value, None, None, "", drop=True)
    m = _U_BENCH.match(text, e)
    if m and _BUILD_CUE.search(before):
        return _Mention(s, m.end(), value, None, "count", "")
    m = _N_TOKENS.match(text, e)
    if m and value >= 1000:
        return _Mention(s, m.end(), value, None, "tokens", "")
    if _SCORE_BEFORE.search(before) and not (e < len(text) and text[e].isalnum()):
        return _Mention(s, e, value, None, "points", "")
    if _RANGE_SEP.match(text, e):
        return _Mention(s, e, value, None, None, "")
    if e < len(text) and text[e].isalpha():
        return None
    return _Mention(s, e, value, None, None, "")


def _window_kind_dir(text: str, ws: int, we: int, sent_start: int, sent_end: int, unit: str):
    after = text[we:min(sent_end, we + 70)].lower()
    cm = _CLAUSE_END.search(after)
    if cm and cm.start() > 0:
        after = after[:cm.start()]
    elif cm and cm.start() == 0:
        after = ""
    before = text[max(sent_start, ws - 90):ws].lower()
    starts = list(_CLAUSE_START.finditer(before))
    if starts:
        before = before[starts[-1].end():]

    kind = None
    ma = _KIND_RE.search(after)
    if ma:
        kind = _KIND_WORDS[int(ma.lastgroup[1:])][1]
        kword = ma.group(0).lower()
    else:
        hits = list(_KIND_RE.finditer(before))
        if hits:
            kind = _KIND_WORDS[int(hits[-1].lastgroup[1:])][1]
            kword = hits[-1].group(0).lower()
    direction = None
    da = _DIR_RE.search(after)
    if da:
        direction = _DIR_WORDS[int(da.lastgroup[1:])][1]
    else:
        hits = list(_DIR_RE.finditer(before))
        if hits:
            direction = _DIR_WORDS[int(hits[-1].lastgroup[1:])][1]

    # unit-driven defaults / corrections
    if unit in ("tokens", "parameters", "count"):
        kind = "cost" if unit == "count" and _U_HW.search(text[ws:we + 1]) else "scale"
    if unit == "bytes":
        kind = "memory"
    if unit == "points":
        kind = "accuracy"
    if unit == "seconds":
        ctx = text[max(sent_start, ws - 90):min(sent_end, we + 40)]
        if re.search(r"\b(?:videos?|audio|clips?|long|duration)\b", ctx, re.I):
            kind = "scale"
        elif re.search(r"\btrain\w*", ctx, re.I):
            kind = "cost"
        else:
            kind = "speed"
    if kind == "memory" and unit in ("x", "percent") and kword == "model size" and direction == "increase":
        kind = "scale"
    if kind == "accuracy" and unit == "x" and kword in ("performance", "improvement"):
        kind = "speed"
    if kind is None:
        kind = "other"
    if direction is None:
        direction = "increase" if unit == "x" else "none"
    if unit not in ("x", "percent"):
        # absolute values: a direction only from a change verb in the same clause, right next to the number
        near = text[max(sent_start, ws - 45):ws].lower()
        near = near[near.rfind(",") + 1:] + " " + after
        if _ABS_DEC.search(near):
            direction = "decrease"
        elif _ABS_INC.search(near):
            direction = "increase"
        else:
            direction = "none"
    return kind, direction


def _span_end(text: str, end: int, sent_end: int) -> int:
    """Extend a claim span over up to 3 following words of the same clause."""
    tail = text[end:min(sent_end, end + 40)]
    m = re.match(r"(?:[ \t]+[A-Za-z][\w/-]*){0,3}", tail)
    if not m:
        return end
    words = m.group(0)
    cm = re.search(r"\s(?:and|or|while|but|compared|than|on|with|for|in|at|from|to|of)\b", words)
    if cm:
        words = words[:cm.start()]
    return end + len(words)


# --------------------------------------------------------------------------- main
def claims_in_text(text: str) -> list[Claim]:
    """All quantitative claims in one abstract, in text order."""
    if not text:
        return []
    low = text.lower()
    word_any = any(k in low for k in _WORD_KEYS)
    if not (word_any or _FREE_DIGIT.search(text)):
        return []
    out: list[tuple[int, Claim]] = []
    for ss, se in _sentences(text):
        lows = low[ss:se]
        # a digit not glued to a name ("GPT-4", "V100", "3D" still pass here, "x2013" does not)
        has_digit = _FREE_DIGIT.search(text, ss, se) is not None
        if not has_digit and not (word_any and any(k in lows for k in _WORD_KEYS)):
            continue
        found = _claims_in_sentence(text, ss, se, lows, has_digit, word_any)
        if found and not _background(text[ss:se]):
            out.extend(found)
    out.sort(key=lambda t: t[0])
    return [c for _, c in out]


def _claims_in_sentence(text: str, ss: int, se: int, lows: str, has_digit: bool,
                        word_any: bool = True) -> list[tuple[int, Claim]]:
    sent = text[ss:se]
    consumed: list[tuple[int, int]] = []
    groups: list[list[_Mention]] = []

    def is_consumed(p: int) -> bool:
        return any(a <= p < b for a, b in consumed)

    # 1. number-word quantities ("two million tokens", "tens of billions of parameters")
    has_mag = word_any and ("illion" in lows or "thousand" in lows)
    for vr in (_VAGUE_RANGE.finditer(sent) if has_mag else ()):
        consumed.append((ss + vr.start(), ss + vr.end()))
    for m in (_WORD_QTY.finditer(sent) if has_mag else ()):
        s, e = ss + m.start(), ss + m.end()
        if is_consumed(s):
            continue
        pre, vague, plural = m.group("pre"), m.group("vague"), m.group("pl")
        if pre is None and not plural and not vague:
            continue
        if pre and plural:
            continue
        mag = MAGNITUDES[m.group("mag").lower()]
        if pre is None:
            value = mag
        elif pre[0].isdigit():
            if _is_identifier(text, s, s + len(pre)):
                continue
            value = _parse_num(pre) * mag
        else:
            value = SMALL_WORDS[pre.lower()] * mag
        if vague:
            value *= VAGUE_MULT[vague.lower()]
        before = text[max(ss, s - 80):s]
        consumed.append((s, e))
        if _BOUND_BEFORE.search(before):
            continue
        rest = re.match(r"\s+of\b", text[e:])
        e2 = e + (rest.end() if rest else 0)
        t = _N_TOKENS.match(text, e2)
        if t:
            groups.append([_Mention(s, t.end(), value, None, "tokens", "")])
            continue
        p = _N_PARAMS.match(text, e2)
        if p:
            groups.append([_Mention(s, p.end(), value, None, "parameters", "")])
            continue
        if _CONTEXT_BEFORE.search(before):
            groups.append([_Mention(s, e, value, None, "tokens", "")])
            continue
        c = _N_COUNT.match(text, e2)
        if c and not _EXCLUDED_COUNT_NOUNS.match(c.group(1)) and not _USING_BEFORE.search(before) \
                and not _U_HW.match(text, e2):
            groups.append([_Mention(s, c.end(), value, None, "count", "")])

    # 2. word ratios ("an order of magnitude", "twice", "doubling the", "half")
    has_wx = word_any and any(k in lows for k in _WORD_X_KEYS)
    for m in (_WORD_X.finditer(sent) if has_wx else ()):
        s, e = ss + m.start(), ss + m.end()
        if is_consumed(s):
            continue
        if m.group("om"):
            n = m.group("omn")
            k = 1 if (n is None and m.group("om").lower().startswith("order ")) else (
                SMALL_WORDS.get(n.lower(), 1) if n else 2)
            if n is None and not m.group("om").lower().startswith("order "):
                k = 2
            groups.append([_Mention(s, e, float(10 ** k), None, "x", "")])
        elif m.group("nw"):
            groups.append([_Mention(s, e, float(SMALL_WORDS[m.group("nw").lower()]), None, "x", "")])
        elif m.group("twice"):
            groups.append([_Mention(s, e, 2.0, None, "x", "")])
        elif m.group("dbl"):
            w = m.group("dbl").lower()
            v = 2.0 if w.startswith("doubl") else 3.0 if w.startswith("tripl") else 4.0
            groups.append([_Mention(s, ss + m.end("dbl"), v, None, "x", "")])
        elif m.group("half"):
            if _HALF_BAD_BEFORE.search(text[max(ss, s - 12):s]):
                continue
            groups.append([_Mention(s, e, 50.0, None, "percent", "")])
        consumed.append((s, e))

    has_wt = word_any and any(k in lows for k in _TIME_KEYS)
    for m in (_WORD_TIME.finditer(sent) if has_wt else ()):
        s, e = ss + m.start(), ss + m.end()
        if is_consumed(s):
            continue
        u = m.group("u").lower()
        key = u if u in TIME_SECONDS else u.rstrip("s")
        groups.append([_Mention(s, e, SMALL_WORDS[m.group("n").lower()] * TIME_SECONDS[key], None, "seconds", "")])
        consumed.append((s, e))

    # 3. digits
    nums = list(_NUMBER.finditer(sent)) if has_digit else []
    i = 0
    skip_until = -1
    while i < len(nums):
        m = nums[i]
        s, e = ss + m.start(), ss + m.end()
        i += 1
        if s < skip_until or is_consumed(s):
            continue
        if _is_identifier(text, s, e):
            continue
        group, pos = _parse_chain(text, s, e, ss, se)
        if group is None:
            continue
        skip_until = pos
        groups.append(group)

    results: list[tuple[int, Claim]] = []
    for group in groups:
        # inherit units backwards inside a list
        nxt_unit, nxt_scale, nxt_suffix = None, "", ""
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
        members = [mt for mt in group if mt.unit is not None and not mt.drop]
        if not members:
            continue
        gs, ge = group[0].start, group[-1].end
        before = text[max(ss, gs - 12):gs]
        if _BOUND_BEFORE.search(before):
            continue
        kinds = {}
        for mt in members:
            if mt.unit == "tokens" and not mt.scale and mt.value < 1000:
                continue
            if mt.unit == "x" and mt.value <= 1.0 and mt.low is None:
                continue
            key = mt.unit
            if key not in kinds:
                kinds[key] = _window_kind_dir(text, gs, ge, ss, se, mt.unit)
            kind, direction = kinds[key]
            end = _span_end(text, mt.end, se)
            results.append((mt.start, Claim(
                value=mt.value, low=mt.low, unit=mt.unit, unit_scale=mt.scale, kind=kind,
                direction=direction, text=text[mt.start:end], span_start=mt.start, span_end=end)))
    return results


def _parse_chain(text: str, s: int, e: int, ss: int, se: int):
    """Parse number at text[s:e] plus any range / list / from-to continuation."""
    value = _parse_num(text[s:e])
    # range "2 to 25 times", "3-20x", "1.25sim1.56times", "0.5% - 2%"
    first = _parse_unit(text, s, e, value, ss)
    if first is None:
        return None, e
    group = [first]
    pos = first.end
    while True:
        before = text[max(ss, group[-1].start - 30):group[-1].start]
        is_from = bool(_FROM_BEFORE.search(before)) and len(group) == 1
        rm = (_FROM_TO_SEP.match(text, pos) if is_from else None) or _RANGE_SEP.match(text, pos)
        if rm and rm.end() < se:
            nm = _NUMBER.match(text, rm.end())
            if nm:
                v2 = _parse_num(nm.group(0))
                nxt = _parse_unit(text, nm.start(), nm.end(), v2, ss)
                cur = group[-1]
                if nxt is not None and (cur.unit is None or cur.unit == nxt.unit) and not nxt.drop:
                    if is_from:
                        group.append(nxt)
                        pos = nxt.end
                        continue
                    if cur.low is None and cur.value < v2 and not cur.drop and (
                            cur.unit is not None or nxt.unit is not None):
                        cur.low = cur.value
                        cur.value = nxt.value
                        cur.unit = nxt.unit
                        cur.scale = nxt.scale if cur.unit is None or not cur.suffix else cur.suffix
                        if nxt.unit in ("tokens", "parameters", "bytes"):
                            cur.scale = nxt.scale
                        cur.end = nxt.end
                        pos = nxt.end
                        continue
        lm = _LIST_SEP.match(text, pos)
        if lm and lm.end() < se:
            nm = _NUMBER.match(text, lm.end())
            if nm and (text[nm.start() - 1] == "/" or not _is_identifier(text, nm.start(), nm.end())):
                sub, subpos = _parse_chain(text, nm.start(), nm.end(), ss, se)
                cur = group[-1]
                if sub is not None:
                    nxt = sub[0]
                    sub_units = {m.unit for m in sub if m.unit is not None}
                    ok = not nxt.drop and (
                        (cur.unit is None and (nxt.unit is not None or sub_units))
                        or (cur.unit is not None and (nxt.unit == cur.unit
                                                      or (nxt.unit is None and cur.unit in sub_units))))
                    if ok:
                        group.extend(sub)
                        pos = subpos
                        break
        break
    return group, pos


# --------------------------------------------------------------------------- table API
_POLARS_TRIGGER = (
    r"(?i)\d|\b(?:half|twice|doubl|tripl|quadrupl|thousand|million|billion|trillion|orders? of magnitude|"
    + _NUMWORD + r")"
)


def _rows_for(pairs: list[tuple[str, str]]) -> list[tuple]:
    rows = []
    for pid, abstract in pairs:
        for idx, c in enumerate(claims_in_text(abstract)):
            rows.append((pid, idx, float(c.value), None if c.low is None else float(c.low), c.unit,
                         c.unit_scale, c.kind, c.direction, c.text, c.span_start, c.span_end))
    return rows


def _empty() -> pl.DataFrame:
    return pl.DataFrame(schema=CLAIMS_SCHEMA)


def extract_claims(papers: pl.DataFrame, workers: int | None = None, chunk_size: int = 20_000) -> pl.DataFrame:
    """The `claims` table for a frame with columns paper_id, abstract.

    Abstracts without a digit or number word are dropped by a vectorised polars filter first.
    Inputs above ``chunk_size`` rows are processed by a process pool (``workers`` defaults to
    the CPU count, env ``CLAIMS_WORKERS`` overrides; 1 = in-process).
    """
    if papers.height == 0:
        return _empty()
    cand = (papers.select("paper_id", "abstract")
            .filter(pl.col("abstract").is_not_null() & pl.col("abstract").str.contains(_POLARS_TRIGGER)))
    ids = cand.get_column("paper_id").to_list()
    abstracts = cand.get_column("abstract").to_list()
    pairs = list(zip(ids, abstracts))
    if workers is None:
        workers = int(os.environ.get("CLAIMS_WORKERS", os.cpu_count() or 1))
    if workers > 1 and len(pairs) > chunk_size:
        import multiprocessing as mp

        n_chunks = max(workers, math.ceil(len(pairs) / chunk_size))
        size = math.ceil(len(pairs) / n_chunks)
        chunks = [pairs[i:i + size] for i in range(0, len(pairs), size)]
        ctx = mp.get_context("fork") if "fork" in mp.get_all_start_methods() else mp.get_context()
        with ctx.Pool(workers) as pool:
            parts = pool.map(_rows_for, chunks)
        rows = [r for part in parts for r in part]
    else:
        rows = _rows_for(pairs)
    if not rows:
        return _empty()
    return pl.DataFrame(rows, schema=CLAIMS_SCHEMA, orient="row")
