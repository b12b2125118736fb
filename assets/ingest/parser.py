"""Streaming parser for raw paper-listing dumps (title line, abstract line, page boilerplate around them).

Every input line ends up in exactly one bucket, counted per file:
paper lines (title + abstract of a kept paper), duplicate lines (a paper already seen in this file),
blank lines, boilerplate lines (known page furniture) and reject lines (a row in `rejects` with a reason).

Which content line is a title and which an abstract is decided over the sequence of lines, not line by
line (`assets.ingest.line_model`): alternation of title and abstract is the prior, each line's content
and each pair's shared words are evidence, and the most likely typing of the whole sequence wins. A line
whose content is ambiguous (a title that reads like a sentence, a one-sentence abstract) is typed by the
layout around it; only lines that fit no consistent typing are rejected, with the reason. A missing line
costs only its own record and never shifts the pairs after it.
"""

from __future__ import annotations

import bisect
import codecs
import functools
import hashlib
import io
import queue
import re
import threading
import unicodedata
from collections import deque
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, BinaryIO

from assets.core.contracts import BOILERPLATE_LINES
from assets.ingest.line_model import (
    BREAKS_SCORE,
    CONTENT_WORD,
    END_SCORE,
    LENGTH_SCORE,
    LONG_LINE_SCORE,
    LOSS,
    MANY_BREAKS_SCORE,
    PROSE_WORD,
    PROSE_WORDS_SCORE,
    MAX_RUN,
    MAX_TITLE_CHARS,
    STOP_WORDS,
    best_pairs,
    line_score,
    pair_compat,
    pair_gain,
    unshared_words,
)

# 1.2.0: line typing over the sequence (Viterbi), shared-word evidence; 1.1.0: pairing, encoding, HTML/empty-file
# and cut-off fixes. A new version re-parses cached per-file outputs.
PARSER_VERSION = "1.2.0"

MAX_LINE_CHARS = 20_000  # longer lines are not titles or abstracts (real abstracts are < 5,000 chars)
RAW_PREVIEW_CHARS = 300  # rejects keep this much of the raw line
PREFIX_BYTES = 64 * 1024  # encoding and binary sniffing look at this much of the file

# Button text glued to the first title by copy-and-paste ("SubscribePipeOffload: ...").
GLUED_PREFIX = re.compile(r"^Subscribe(?=\S)")

_ENDS_LIKE_PROSE = re.compile(r"([.!?][\"')\]}]?|https?://\S+)$")
_MARKUP_LINE = re.compile(r"^\s*(<!DOCTYPE|<\??[A-Za-z/!][^>]*>.*|[{}\[\]<>]+)\s*$", re.IGNORECASE)
_HAS_LETTER = re.compile(r"[^\W\d_]")
_TITLE_KEY_JUNK = re.compile(r"[\W_]+")


def normalize_title(title: str) -> str:
    """Canonical form of a title used for identity: NFKC, case-folded, every run of
    non-alphanumeric characters (punctuation, spaces, dashes) collapsed to one space, trimmed."""
    folded = (title if title.isascii() else unicodedata.normalize("NFKC", title)).casefold()
    return _TITLE_KEY_JUNK.sub(" ", folded).strip()


def paper_id_for(title: str) -> str:
    """Stable id of a paper: first 16 hex digits of sha256 of its normalised title."""
    return hashlib.sha256(normalize_title(title).encode("utf-8")).hexdigest()[:16]


def clean_line(text: str) -> str:
    """Whitespace normalisation only: the text is otherwise kept as in the source."""
    if "  " in text or "\t" in text or "\r" in text or "\x0b" in text or "\x0c" in text or text[:1].isspace() or text[-1:].isspace():
        return " ".join(text.split())
    return text  # already normal: the common case, checked at C speed


NORMAL, NOT_A_TITLE, JUNK = 0, 1, 2  # line kinds: title or abstract; abstract only (too long); neither


def title_problem(line: str) -> str | None:
    """Why a line is neither a title nor an abstract (markup, no letters), or None."""
    if _MARKUP_LINE.match(line):
        return "markup, not a title"
    if not _HAS_LETTER.search(line):
        return "no letters: not a title"
    return None


def line_kind(line: str) -> int:
    if title_problem(line):
        return JUNK
    return NOT_A_TITLE if len(line) > MAX_TITLE_CHARS else NORMAL


def edge_gain(title: str, title_score: int, title_kind: int, abstract: str, abstract_score: int,
              abstract_kind: int) -> int:
    """pair_gain of two adjacent lines, <= 0 when they cannot be a pair. The shared-word evidence
    (never positive) is only looked at when the pair could be chosen without it."""
    if title_kind != NORMAL or abstract_kind == JUNK:
        return 0
    gain = pair_gain(title_score, abstract_score, 0)
    return gain + pair_compat(unshared_words(title, abstract)) if gain > 0 else gain


def orphan_reason(line: str, score: int, kind: int, last: bool) -> str:
    """Why a line that is in no pair is rejected: what it reads as, and that its partner is missing."""
    if kind == JUNK:
        return title_problem(line) or "not a title"
    if kind == NOT_A_TITLE or score < 0:
        return "abstract without a title"
    return TITLE_WITHOUT_ABSTRACT + " (end of file)" if last else TITLE_WITHOUT_ABSTRACT


CUT_OFF_TITLE = "record cut off at end of file (its abstract is incomplete)"
CUT_OFF_ABSTRACT = "abstract cut off at end of file (no final newline or punctuation)"


TITLE_WITHOUT_ABSTRACT = "title without an abstract"


def cut_off_pair(title: Reject, abstract: Reject) -> tuple[Reject, Reject]:
    """An orphan title and the orphan last line of a file cut inside that title's abstract."""
    return Reject(title.line_number, CUT_OFF_TITLE, title.raw), Reject(abstract.line_number, CUT_OFF_ABSTRACT, abstract.raw)


def cut_off(abstract: str, report: FileReport) -> bool:
    """The file's last pair is cut: no final newline and the abstract does not end like prose."""
    return not report.ends_with_newline and not _ENDS_LIKE_PROSE.search(abstract)


@dataclass(slots=True)
class Paper:
    """One sighting of a paper; `duplicate` when the same paper was already seen earlier in the file."""

    paper_id: str
    title: str
    abstract: str
    title_line: int
    abstract_line: int
    duplicate: bool = False


@dataclass(slots=True)
class Reject:
    line_number: int
    reason: str
    raw: str
    line_count: int = 1


@dataclass
class FileReport:
    """Per-file accounting: lines == paper + duplicate + blank + boilerplate + reject lines."""

    encoding: str = "utf-8"
    replaced_bytes: int = 0
    legacy_lines: int = 0
    lines: int = 0
    paper_lines: int = 0
    duplicate_lines: int = 0
    blank_lines: int = 0
    boilerplate_lines: int = 0
    reject_lines: int = 0
    papers: int = 0
    ends_with_newline: bool = True
    binary: bool = False

    @property
    def unaccounted_lines(self) -> int:
        return self.lines - (
            self.paper_lines + self.duplicate_lines + self.blank_lines + self.boilerplate_lines + self.reject_lines
        )


@dataclass
class ParseResult:
    """A whole file's records in memory: for tests and small files; pipelines stream `iter_records`."""

    papers: list[Paper] = field(default_factory=list)  # first sighting of each paper, latest abstract
    sightings: list[Paper] = field(default_factory=list)
    rejects: list[Reject] = field(default_factory=list)
    report: FileReport = field(default_factory=FileReport)


def sniff_encoding(prefix: bytes) -> str:
    """'utf-8-sig' with a BOM, 'utf-8' when the prefix decodes, else 'cp1252' (a superset of latin-1's printables)."""
    if prefix.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    # A multi-byte character may be cut at the end of the prefix: ignore an incomplete tail.
    try:
        codecs.getincrementaldecoder("utf-8")().decode(prefix, final=False)
        return "utf-8"
    except UnicodeDecodeError:
        pass
    # Valid multi-byte characters next to invalid bytes: UTF-8 with stray legacy lines or damage.
    lenient = prefix.decode("utf-8", errors="replace")
    if any(ord(ch) > 127 and ch != "\ufffd" for ch in lenient):
        return "utf-8"
    return "cp1252"


_HTML_STARTS = (b"<!doctype html", b"<html", b"<head", b"<?xml")


def looks_html(prefix: bytes) -> bool:
    """A web page (an error page saved as .txt, say) rather than a dump."""
    start = prefix[:512].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    return start.startswith(_HTML_STARTS)


def looks_binary(prefix: bytes) -> bool:
    """NUL bytes or a high share of control bytes: not a text dump."""
    if b"\x00" in prefix:
        return True
    if not prefix:
        return False
    controls = sum(1 for b in prefix if b < 9 or 13 < b < 32)
    return controls / len(prefix) > 0.05


class _Decoder:
    """Decodes one line at a time in the file's encoding, falling back line by line.

    A UTF-8 file with stray legacy lines (a dump concatenated from two sources) keeps its UTF-8 lines
    intact: a line that is not valid UTF-8 and has no valid multi-byte sequence is read as cp1252;
    one that mixes valid UTF-8 with invalid bytes keeps the valid text and counts replaced bytes.
    """

    def __init__(self, encoding: str, report: FileReport):
        self.encoding = encoding
        self.report = report

    def __call__(self, raw: bytes) -> str:
        # Every line tries UTF-8 first (ASCII lines of a cp1252 file decode the same way), so a cp1252
        # file's later UTF-8 lines and a UTF-8 file's stray legacy lines both come out right.
        try:
            return raw.decode("utf-8")
        except UnicodeDecodeError:
            pass
        if self.encoding != "cp1252":
            lenient = raw.decode("utf-8", errors="replace")
            if any(ord(ch) > 127 and ch != "\ufffd" for ch in lenient):
                # Count bytes, not U+FFFD characters: one U+FFFD can stand for a cut 2- or 3-byte sequence.
                replacements = lenient.count("\ufffd") - raw.count(b"\xef\xbf\xbd")
                self.report.replaced_bytes += len(raw) - (len(lenient.encode("utf-8")) - 3 * replacements)
                return lenient
        self.report.legacy_lines += 1
        text = raw.decode("cp1252", errors="replace")  # the 5 bytes cp1252 leaves undefined
        self.report.replaced_bytes += text.count("\ufffd")
        return text


def _read_lines(stream: BinaryIO, report: FileReport, decode: _Decoder) -> Iterator[tuple[int, str]]:
    """(1-based line number, decoded line without its ending); CRLF and LF both end a line."""
    number = 0
    for raw in stream:
        number += 1
        if raw.endswith(b"\n"):
            raw = raw[:-1]
            report.ends_with_newline = True
        else:
            report.ends_with_newline = False
        if raw.endswith(b"\r"):
            raw = raw[:-1]
        yield number, decode(raw)
    report.lines = number


def _count_lines(stream: BinaryIO, report: FileReport) -> int:
    """Lines of the rest of a file that is not parsed (binary, HTML), read in blocks: bounded memory
    even for a file without a single newline."""
    lines, last = 0, b""
    for block in iter(lambda: stream.read(1024 * 1024), b""):
        lines += block.count(b"\n")
        last = block[-1:]
    report.ends_with_newline = last in (b"\n", b"")
    return lines + (1 if last not in (b"\n", b"") else 0)


def _whole_file_reject(stream: BinaryIO, report: FileReport, reason: str, preview: str) -> Iterator[Reject]:
    report.lines = report.reject_lines = _count_lines(stream, report)
    if report.lines:
        yield Reject(1, reason, preview[:RAW_PREVIEW_CHARS], report.lines)


def _open_dump(stream: BinaryIO, report: FileReport) -> tuple[BinaryIO, Iterator[Reject] | None]:
    """Sniff a dump's first bytes: (buffered stream positioned at the first line, None), or the
    whole-file reject of a binary file or HTML page as the second item."""
    if not hasattr(stream, "peek"):
        stream = io.BufferedReader(stream, buffer_size=PREFIX_BYTES)  # io.BytesIO and raw files
    prefix = stream.peek(PREFIX_BYTES)[:PREFIX_BYTES]
    if looks_binary(prefix):
        report.binary, report.encoding = True, "binary"
        preview = prefix[:80].decode("latin-1").encode("unicode_escape").decode("ascii")
        return stream, _whole_file_reject(stream, report, "binary file (NUL or control bytes): not a text dump", preview)
    report.encoding = sniff_encoding(prefix)
    if looks_html(prefix):
        first = prefix.decode("utf-8", errors="replace").lstrip("\ufeff \t\r\n").splitlines()[0]
        return stream, _whole_file_reject(
            stream, report, "HTML page (an error or login page saved as text?): not a paper dump", first
        )
    if report.encoding == "utf-8-sig":
        stream.read(len(codecs.BOM_UTF8))
    return stream, None



def iter_records_reference(stream: BinaryIO, report: FileReport) -> Iterator[Paper | Reject]:
    """Stream the records of one dump, filling `report` as it goes: the line-by-line reference
    implementation (the contract `iter_records` is tested against, record for record). Records come in
    the order of their first line.

    Memory is bounded by one undecided run of lines (at most MAX_RUN, almost always one or two) plus one
    id per distinct paper (for in-file duplicates). A file that yields no papers and no rejects (empty,
    or only page furniture) gets one reject row with line_count 0 that says why, so every skipped file
    is visible in `rejects`.
    """
    stream, whole_file = _open_dump(stream, report)
    if whole_file is not None:
        yield from whole_file
        return
    decode = _Decoder("cp1252" if report.encoding == "cp1252" else "utf-8", report)
    typer = _LineByLineTyper(report)
    after_header = True  # the first content line of the file or of a page may carry the glued button text
    for number, text in _read_lines(stream, report, decode):
        line = clean_line(text)
        if not line:
            report.blank_lines += 1
        elif line in BOILERPLATE_LINES:
            report.boilerplate_lines += 1
            after_header = line != "Subscribe"  # a button on its own line is not glued to the title
        elif len(line) > MAX_LINE_CHARS:
            report.reject_lines += 1
            typer.waiting.append(Reject(number, too_long_reason(line), line[:RAW_PREVIEW_CHARS]))
        else:
            if after_header:
                # Only there: a title such as "Subscriber Churn Prediction ..." elsewhere stays whole.
                after_header = False
                line = GLUED_PREFIX.sub("", line)
            yield from typer.add(number, line)
    yield from typer.finish()
    if report.papers == 0 and report.duplicate_lines == 0 and report.reject_lines == 0:
        yield Reject(1, nothing_found_reason(report), "", 0)


def too_long_reason(line: str) -> str:
    return f"line too long ({len(line):,} chars) for a title or abstract"


def nothing_found_reason(report: FileReport) -> str:
    if report.lines == 0:
        return "empty file (0 bytes): no papers"
    return "no papers: the file holds only page boilerplate and blank lines"


class _LineByLineTyper:
    """The sequence typing of `iter_records_reference`, one line at a time: lines joined by positive
    edges (`edge_gain`) form a run; a run is decided (`best_pairs`) when the next edge is not positive."""

    def __init__(self, report: FileReport):
        self.report = report
        self.run: list[tuple[int, str, int, int]] = []  # (line number, text, score, kind)
        self.gains: list[int] = []  # gains[j]: pairing run[j] with run[j + 1]
        self.waiting: list[Reject] = []  # too-long lines, emitted in line order with the run's records
        self.seen: set[str] = set()
        self.held: Reject | None = None  # an orphan title at the end of the last run

    def add(self, number: int, line: str) -> Iterator[Paper | Reject]:
        current = (number, line, line_score(line), line_kind(line))
        if self.run and len(self.run) < MAX_RUN:
            _, prev, prev_score, prev_kind = self.run[-1]
            gain = edge_gain(prev, prev_score, prev_kind, line, current[2], current[3])
            if gain > 0:
                self.run.append(current)
                self.gains.append(gain)
                return
        yield from self.decide(final=False)
        self.run, self.gains = [current], []

    def finish(self) -> Iterator[Paper | Reject]:
        yield from self.decide(final=True)

    def decide(self, final: bool) -> Iterator[Paper | Reject]:
        run, report = self.run, self.report
        records: list[Paper | Reject] = []
        chosen = set(best_pairs(self.gains)) if self.gains else set()
        held, self.held = self.held, None
        j = 0
        while j < len(run):
            number, line, score, kind = run[j]
            if j in chosen:
                records.append(self.paper(run[j], run[j + 1], final and j + 2 == len(run)))
                j += 2
                continue
            reject = Reject(number, orphan_reason(line, score, kind, final and j + 1 == len(run)), line[:RAW_PREVIEW_CHARS])
            report.reject_lines += 1
            if final and held and len(run) == 1 and cut_off(line, report):  # the file ends inside an abstract
                held, reject = cut_off_pair(held, reject)
            if not final and j + 1 == len(run) and reject.reason == TITLE_WITHOUT_ABSTRACT:
                self.held = reject  # a cut abstract may follow: decided with the next run
            else:
                records.append(reject)
            j += 1
        if held:
            records.append(held)
        limit = self.held.line_number if self.held else None  # too-long lines after a held title wait with it
        records += [r for r in self.waiting if limit is None or r.line_number < limit]
        self.waiting = [r for r in self.waiting if limit is not None and r.line_number > limit]
        records.sort(key=lambda r: r.title_line if isinstance(r, Paper) else r.line_number)
        yield from records

    def paper(self, title: tuple, abstract: tuple, last: bool) -> Paper | Reject:
        report = self.report
        if last and cut_off(abstract[1], report):
            report.reject_lines += 2
            self.waiting.append(Reject(abstract[0], CUT_OFF_ABSTRACT, abstract[1][:RAW_PREVIEW_CHARS]))
            return Reject(title[0], CUT_OFF_TITLE, title[1][:RAW_PREVIEW_CHARS])
        pid = paper_id_for(title[1])
        duplicate = pid in self.seen
        if duplicate:
            report.duplicate_lines += 2
        else:
            self.seen.add(pid)
            report.paper_lines += 2
            report.papers += 1
        return Paper(pid, title[1], abstract[1], title[0], abstract[0], duplicate)


# ---------------------------------------------------------------- the block parser (what pipelines run)
#
# `iter_records` gives exactly the records of `iter_records_reference`, in the same order, with the
# same report (tests/test_ingest.py compares them on damaged, synthetic and real dumps). The per-line
# features (whitespace, blank / boilerplate / too long, line scores, the first-word shared-word check)
# are computed for a block of lines at a time with polars and numpy; a positive edge between two lines
# with no positive edge around it is a pair without any Python per line, and only runs of ambiguous
# lines take the Viterbi recursion. The run still open at a block's end is carried into the next block.
# A block is split into lines by numpy over its bytes (no Python object per line); cleaning and each
# line's score and kind are computed in the read-ahead thread, the edge gains, pairs and paper ids by the
# thread that iterates (which balances the two: measured per-thread CPU in /work/notes/issue-16c.md).
# Rare cases (lines that are not valid UTF-8, possible title problems, the glued button text, a title
# whose first long word is not in its abstract) take the reference functions.

BLOCK_BYTES = 16 * 1024 * 1024  # bytes read at a time; a block of ~30k lines of a typical dump


@dataclass(slots=True)
class RecordBlock:
    """The records of a run of lines: sightings as columns, rejects with their place among them
    (`reject_at[i]` sightings of the block come before `rejects[i]`)."""

    paper_id: list[str]
    title: Any  # polars Series of str
    abstract: Any
    title_line: list[int]
    abstract_line: list[int]
    duplicate: list[bool]
    rejects: list[Reject]
    reject_at: list[int]

    def __len__(self) -> int:
        return len(self.paper_id) + len(self.rejects)

    def records(self) -> Iterator[Paper | Reject]:
        """The block's records one by one, in the order of the reference parser."""
        rejects, at, r = self.rejects, self.reject_at, 0
        if self.paper_id:
            columns = (self.paper_id, self.title.to_list(), self.abstract.to_list(), self.title_line,
                       self.abstract_line, self.duplicate)
            for i, values in enumerate(zip(*columns)):
                while r < len(rejects) and at[r] <= i:
                    yield rejects[r]
                    r += 1
                yield Paper(*values)
        yield from rejects[r:]


class RecordStream:
    """Iterator of the records of one dump (Paper | Reject, see `iter_records_reference`); `blocks()`
    gives the same records a block at a time, sightings as columns (what `ingest_file` writes)."""

    def __init__(self, stream: BinaryIO, report: FileReport):
        self._blocks = _iter_blocks(stream, report)
        self._records: Iterator[Paper | Reject] | None = None

    def blocks(self) -> Iterator[RecordBlock]:
        if self._records is not None:
            raise RuntimeError("records already read one by one")
        return self._blocks

    def __iter__(self) -> RecordStream:
        return self

    def __next__(self) -> Paper | Reject:
        if self._records is None:
            self._records = (record for block in self._blocks for record in block.records())
        return next(self._records)


def iter_records(stream: BinaryIO, report: FileReport) -> RecordStream:
    """Stream the records of one dump, filling `report` as it goes: the same records as
    `iter_records_reference`, computed a block of lines at a time.

    Memory is bounded by a few blocks (BLOCK_BYTES of lines, or the longest line: the one being typed,
    the next read ahead and the one being read) plus the run still open at a block's end (at most
    MAX_RUN lines) plus one id per distinct paper (for in-file duplicates).
    """
    return RecordStream(stream, report)


# The characters str.isspace() accepts (Python's `\s`, what str.split() splits on); a test checks the list.
PY_WHITESPACE = "\t\n\x0b\x0c\r\x1c\x1d\x1e\x1f \x85\xa0\u1680" + "".join(map(chr, range(0x2000, 0x200B))) + (
    "\u2028\u2029\u202f\u205f\u3000"
)


@functools.cache
def _patterns() -> dict[str, str]:
    r"""polars (Rust) regexes with exactly the semantics of the Python ones above: Python's `\s` is
    spelled out as the characters of PY_WHITESPACE."""
    ws = "".join(f"\\x{{{ord(c):x}}}" for c in PY_WHITESPACE)
    return {
        "space_first": f"^[{ws}]",
        "space_last": f"[{ws}]$",
        "ws_run": f"[{ws}]+",
        "glued": f"^Subscribe[^{ws}]",  # GLUED_PREFIX
        "sentence_break": f"[.!?][\"')\\]]?[{ws}]+[A-Z(\"']",  # _SENTENCE_BREAK
        "url_end": f"https?://[^{ws}]+$",  # line_model._ENDS_WITH_URL
        "capital_word": "(?:^| )[A-Z]",  # line_model.CAPITAL_WORD
    }


def _score_expression() -> Any:
    """line_model.line_score of a line of at most MAX_TITLE_CHARS, as a polars expression."""
    import polars as pl

    rx = _patterns()
    c = pl.col("c")
    chars, words, capitals = c.str.len_chars(), pl.col("spaces") + 1, pl.col("capitals")
    breaks = c.str.count_matches(rx["sentence_break"])
    prose = c.str.count_matches(PROSE_WORD.pattern)
    (bound, score), *steps = LENGTH_SCORE
    length = pl.when(chars < bound).then(score)
    for bound, score in steps:
        length = length.when(chars < bound).then(score)
    capital = (
        pl.when(words < 3).then(pl.when(capitals == words).then(60).otherwise(0))
        .when(10 * capitals >= 6 * words).then(60)
        .when(20 * capitals >= 9 * words).then(30)
        .when(10 * capitals >= 3 * words).then(0)
        .when(10 * capitals >= 2 * words).then(-20)
        .otherwise(-40)
    )
    stop = c.str.ends_with(".") | c.str.strip_chars_end("\"')]}").str.ends_with(".") | c.str.contains(rx["url_end"])
    end = (
        pl.when(stop).then(END_SCORE["stop"])
        .when(c.str.ends_with("?") | c.str.ends_with("!")).then(END_SCORE["question"])
        .otherwise(END_SCORE["other"])
    )
    sentences = pl.when(breaks >= 3).then(MANY_BREAKS_SCORE)
    for count in (2, 1, 0):
        sentences = sentences.when(breaks == count).then(BREAKS_SCORE[count])
    prose_words = pl.when(prose == 0).then(PROSE_WORDS_SCORE[0]).when(prose == 1).then(PROSE_WORDS_SCORE[1])
    return (length + capital + end + sentences + prose_words.otherwise(PROSE_WORDS_SCORE[2])).cast(pl.Int64)


def _spaces_and_capitals(lines: Any) -> tuple[Any, Any]:
    """line.count(" ") and len(CAPITAL_WORD.findall(line)) of each line, counted with numpy over the
    column's UTF-8 buffer (both are ASCII bytes, never part of a multi-byte character)."""
    import numpy as np
    import polars as pl

    column = lines.rechunk().to_arrow(compat_level=pl.CompatLevel.oldest())
    offsets = np.frombuffer(column.buffers()[1], dtype=np.int64)[column.offset : column.offset + len(column) + 1]
    data = np.frombuffer(column.buffers()[2], dtype=np.uint8)[offsets[0] : offsets[-1]]
    offsets = offsets - offsets[0]
    space = data == 32
    after_space = np.empty_like(space)
    after_space[1:] = space[:-1]
    after_space[offsets[:-1][offsets[:-1] < len(data)]] = True  # a line's first character
    capital = (data >= 65) & (data <= 90) & after_space

    filled = offsets[1:] > offsets[:-1]  # reduceat sums from each start to the next: empty lines left out

    def per_line(hits: Any) -> Any:
        counts = np.zeros(len(filled), dtype=np.int64)
        if filled.any():
            counts[filled] = np.add.reduceat(hits, offsets[:-1][filled], dtype=np.int64)
        return pl.Series(counts, dtype=pl.Int64)

    return per_line(space), per_line(capital)


def may_hold_a_line_of(block: bytes, size: int) -> bool:
    """Whether a line inside `block` could have `size` bytes or more: such a line covers a whole aligned
    window of size // 2 bytes without a newline, and one `find` per window looks (a few hundred a block)."""
    step = max(size // 2, 1)
    return any(block.find(b"\n", start, start + step) < 0 for start in range(0, len(block) - step + 1, step))


def _capped(body: bytes, cap: int) -> bytes:
    """`body` (lines each ending with "\n") with every line of `cap` bytes or more cut by _cap_line."""
    lines = body.split(b"\n")
    if max(map(len, lines)) < cap:
        return body
    return b"\n".join(_cap_line(line, cap) if len(line) >= cap else line for line in lines)


_LONGEST_BOILERPLATE = max(len(line.encode()) for line in BOILERPLATE_LINES)
# Bytes a line whose first (last) character is whitespace can start (end) with: ASCII whitespace, and the
# lead (last) bytes of the UTF-8 of PY_WHITESPACE's other characters; a test checks both lists.
_WS_FIRST_BYTES = bytes(sorted({ch.encode()[0] for ch in PY_WHITESPACE}))
_WS_LAST_BYTES = bytes(sorted({ch.encode()[-1] for ch in PY_WHITESPACE}))


def _needs_cleaning(text: Any, body: bytes, offsets: Any) -> Any:
    """Indices of the lines clean_line changes: double spaces, a tab, CR, VT or FF, whitespace first or
    last. Each test runs only when the block's bytes allow it; first and last characters are looked at
    from the bytes at each line's ends (when the text is the block's bytes) and tested only there."""
    import numpy as np
    import polars as pl

    rx = _patterns()
    c = pl.col("c")
    tests = [c.str.contains("  ", literal=True)]  # (bytes' own search is slow for this one)
    tests += [c.str.contains(char, literal=True) for char in "\t\r\x0b\x0c" if char.encode() in body]
    if offsets is None:
        tests += [c.str.contains(rx["space_first"]), c.str.contains(rx["space_last"])]
    needs = np.zeros(len(text), dtype=bool)
    if tests:
        needs |= pl.DataFrame({"c": text}).select(pl.any_horizontal(tests)).to_series().to_numpy()
    if offsets is not None and len(text):
        data = np.frombuffer(body, dtype=np.uint8)
        filled = offsets[1:] - offsets[:-1] > 1  # not blank: the line has a first and a last byte
        for pattern, at, table in (("space_first", offsets[:-1], _WS_FIRST_BYTES), ("space_last", offsets[1:] - 2, _WS_LAST_BYTES)):
            maybe = np.flatnonzero(filled & np.isin(data[np.maximum(at, 0)], np.frombuffer(table, dtype=np.uint8)) & ~needs)
            if maybe.size:
                needs[maybe] = text.gather(maybe).str.contains(rx[pattern]).to_numpy()
    return np.flatnonzero(needs)


def _cap_line(line: bytes, cap: int) -> bytes:
    """What landing's line-capped reader keeps of a line of `cap` or more bytes (see there)."""
    line = line[:cap]
    for _ in range(3):  # never end on a cut UTF-8 sequence
        if 0x80 <= line[-1] < 0xC0:
            line = line[:-1]
    return line[:-1] if line[-1] >= 0xC0 else line


def _paper_ids(titles: Any) -> list[str]:
    """paper_id_for over a column of titles: ASCII titles normalised with numpy (`_ascii_keys`), others by
    normalize_title; sha256 by polars-hash (no Python call per title)."""
    import polars as pl
    import polars_hash as plh

    keys = _ascii_keys(titles)
    other = (titles.str.len_bytes() != titles.str.len_chars()).arg_true()
    if len(other):
        keys = keys.scatter(other, pl.Series([normalize_title(t) for t in titles.gather(other).to_list()], dtype=pl.String))
    return pl.DataFrame({"k": keys}).select(plh.col("k").chash.sha2_256().str.slice(0, 16)).to_series().to_list()


def _ascii_keys(titles: Any) -> Any:
    """normalize_title of ASCII titles, over the column's UTF-8 buffer: lower case, and each run of other
    characters than a-z and 0-9 one space when it lies between two of them, dropped at either end. (Other
    titles get wrong keys here: the caller replaces them.)"""
    import numpy as np
    import polars as pl
    import pyarrow as pa

    column = titles.rechunk().to_arrow(compat_level=pl.CompatLevel.oldest())
    offsets = np.frombuffer(column.buffers()[1], dtype=np.int64)[column.offset : column.offset + len(column) + 1]
    data = np.frombuffer(column.buffers()[2], dtype=np.uint8)[offsets[0] : offsets[-1]]
    offsets = offsets - offsets[0]
    word = (data >= 48) & (data <= 57) | ((data | 32) >= 97) & ((data | 32) <= 122)
    after_word = np.zeros_like(word)
    after_word[1:] = word[:-1]
    after_word[offsets[:-1][offsets[:-1] < len(data)]] = False  # a title's first byte follows no word of its own
    runs = np.flatnonzero(~word & after_word)  # where a run of separators starts after a word character
    keep = word.copy()
    keep[runs] = True
    filled = np.flatnonzero(offsets[1:] > offsets[:-1])
    trailing = filled[~word[offsets[filled + 1] - 1]]  # titles that end in separators: their last run is dropped
    if len(runs) and len(trailing):
        last = np.searchsorted(runs, offsets[trailing + 1]) - 1
        own = (last >= 0) & (runs[np.maximum(last, 0)] >= offsets[trailing])  # (none: all separators)
        keep[runs[last[own]]] = False
    text = np.where(word, data | (32 * ((data >= 65) & (data <= 90))).astype(np.uint8), np.uint8(32))[keep]
    kept = np.zeros(len(data) + 1, dtype=np.int64)
    np.cumsum(keep, out=kept[1:])
    keys = pa.LargeStringArray.from_buffers(len(titles), pa.py_buffer(kept[offsets]), pa.py_buffer(text))
    return pl.from_arrow(keys)


@dataclass(slots=True)
class _ContentLines:
    """A block's content lines (cleaned, without the glued button text), their line numbers and line
    features (computed in the read-ahead thread), with what was set aside: blank and boilerplate line
    counts, too-long lines as rejects."""

    lines: Any  # polars Series of str
    numbers: Any  # numpy int64 array
    frame: Any  # polars frame: score and kind of each line
    too_long: list[Reject]
    blank_lines: int
    boilerplate_lines: int


class _BlockParser:
    """The state of `iter_records_reference` carried from one block of lines to the next."""

    def __init__(self, stream: BinaryIO, report: FileReport):
        self.stream, self.report = stream, report
        self.decode = _Decoder("cp1252" if report.encoding == "cp1252" else "utf-8", report)
        self.cap: int | None = getattr(stream, "max_line_bytes", None)  # landing's line-capped reader
        self.number = 0  # lines read so far
        self.after_header = True
        self.tail: _ContentLines | None = None  # the run still open at the end of the last block
        self.held: Reject | None = None  # an orphan title ending the decided lines (see cut_at_end)
        self.too_long: deque[Reject] = deque()  # emitted before the record of the content line before them
        self.seen: set[str] = set()

    def raw_blocks(self) -> Iterator[bytes]:
        """Runs of whole raw lines, each ending with "\n" (the file's last line gets one), about
        BLOCK_BYTES at a time; lines of `cap` bytes or more are cut as landing's line-capped reader cuts them."""
        read, cap = self.stream.read, self.cap
        head, skipping = b"", False  # the unfinished last line; skipping: past the cap, not kept
        while block := read(BLOCK_BYTES):
            start = 0
            if skipping:  # the rest of a line past the cap: dropped up to its newline
                if (start := block.find(b"\n")) < 0:
                    continue
                skipping = False
            cut = block.rfind(b"\n")
            if cut < 0:
                head += block
            else:
                body, head = head + block[start : cut + 1], block[cut + 1 :]
                yield _capped(body, cap) if cap is not None and may_hold_a_line_of(body, cap) else body
            if cap is not None and len(head) >= cap:
                head, skipping = head[:cap], True
        if head:
            self.report.ends_with_newline = False
            yield (_cap_line(head, cap) if cap is not None and len(head) >= cap else head) + b"\n"

    def decode_block(self, body: bytes) -> tuple[Any, Any]:
        """The lines of `body` (see raw_blocks) as a polars String Series, without "\n" and one final "\r",
        and where each line starts in `body` (with the end of the last), or None when the text is not `body`'s
        bytes (a CR stripped, a line not UTF-8)."""
        import numpy as np
        import polars as pl
        import pyarrow as pa

        ends = np.flatnonzero(np.frombuffer(body, dtype=np.uint8) == 10)
        offsets = np.zeros(len(ends) + 1, dtype=np.int64)
        offsets[1:] = ends + 1
        lines = pa.LargeBinaryArray.from_buffers(pa.large_binary(), len(ends), [None, pa.py_buffer(offsets), pa.py_buffer(body)])
        try:
            text = pl.from_arrow(lines).cast(pl.String).str.head(-1)
        except pl.exceptions.PolarsError:  # some line is not UTF-8: every line as the reference decodes it
            raws = body.split(b"\n")[:-1]
            return pl.Series([self.decode(raw[:-1] if raw.endswith(b"\r") else raw) for raw in raws], dtype=pl.String), None
        return (text.str.strip_suffix("\r"), None) if b"\r" in body else (text, offsets)

    def prepared_blocks(self) -> Iterator[_ContentLines]:
        """The content lines of each block of raw lines (see prepare)."""
        for body in self.raw_blocks():
            yield self.prepare(body)

    def prepare(self, body: bytes) -> _ContentLines:
        """Decode and clean a block of raw lines and set aside what is not content: runs ahead of the
        typing (in the read-ahead thread), so it changes no count the typing changes: `take` adds them."""
        import numpy as np
        import polars as pl

        text, offsets = self.decode_block(body)
        n, first = len(text), self.number + 1
        self.number += n
        needs = _needs_cleaning(text, body, offsets)
        if len(needs):
            text = text.scatter(needs, text.gather(needs).str.replace_all(_patterns()["ws_run"], " ").str.strip_chars(" "))
        nbytes = text.str.len_bytes().to_numpy()
        blank = nbytes == 0
        boilerplate = np.zeros(n, dtype=bool)
        if (short := np.flatnonzero((nbytes > 0) & (nbytes <= _LONGEST_BOILERPLATE))).size:
            boilerplate[short] = text.gather(short).is_in(sorted(BOILERPLATE_LINES)).to_numpy()
        too_long = np.zeros(n, dtype=bool)
        if (longer := np.flatnonzero(nbytes > MAX_LINE_CHARS)).size:  # a char is at least a byte
            too_long[longer] = text.gather(longer).str.len_chars().to_numpy() > MAX_LINE_CHARS
        content = ~(blank | boilerplate | too_long)
        rejects = [Reject(first + i, too_long_reason(text[i]), text[i][:RAW_PREVIEW_CHARS])
                   for i in np.flatnonzero(too_long).tolist()]
        # after_header: set by the last boilerplate or content line before a line (see iter_records_reference)
        setters = np.flatnonzero(boilerplate | content)
        values = boilerplate[setters].copy()  # a boilerplate line sets it unless it is the button alone
        if (button := np.flatnonzero(values & (nbytes[setters] == len("Subscribe")))).size:
            values[button] = (text.gather(setters[button]) != "Subscribe").to_numpy()
        before = np.searchsorted(setters, np.flatnonzero(content)) - 1  # the setter before each content line
        after = np.where(before >= 0, values[np.maximum(before, 0)], self.after_header)
        if setters.size:
            self.after_header = bool(values[-1])
        if after.any():
            at = np.flatnonzero(content)[after]
            text = text.scatter(at, pl.Series([GLUED_PREFIX.sub("", line) for line in text.gather(at).to_list()],
                                              dtype=pl.String))
        numbers = np.arange(first, first + n, dtype=np.int64)
        lines = text if content.all() else text.filter(pl.Series(content))
        frame = self.features(lines)
        return _ContentLines(lines, numbers[content], frame, rejects, int(blank.sum()), int(boilerplate.sum()))

    def take(self, block: _ContentLines) -> RecordBlock:
        """The records of a prepared block (and of the run left open before it), in order."""
        report = self.report
        report.blank_lines += block.blank_lines
        report.boilerplate_lines += block.boilerplate_lines
        report.reject_lines += len(block.too_long)
        self.too_long.extend(block.too_long)
        return self.decide(block, final=False)


    def features(self, lines: Any) -> Any:
        """line_score and line_kind of every line, as polars columns `score` and `kind`."""
        import polars as pl

        c = pl.col("c")
        flags = pl.DataFrame({"c": lines}).select(
            short=c.str.len_chars() <= MAX_TITLE_CHARS,
            check=~c.str.contains("[A-Za-z]") | c.str.contains(r"^[<>{}\[\]]"),  # else title_problem is None
        )
        short = flags["short"].arg_true()  # only these are scored (see line_score)
        score = pl.repeat(LONG_LINE_SCORE, len(lines), dtype=pl.Int64, eager=True)
        if len(short):
            subset = lines.gather(short)
            spaces, capitals = _spaces_and_capitals(subset)
            scored = pl.DataFrame({"c": subset, "spaces": spaces, "capitals": capitals}).select(
                _score_expression()
            ).to_series()
            score = score.scatter(short, scored)
        kind = pl.select(pl.when(flags["short"]).then(NORMAL).otherwise(NOT_A_TITLE).cast(pl.Int64)).to_series()
        if flags["check"].any():
            junk = [i for i in flags["check"].arg_true().to_list() if title_problem(lines[i])]
            if junk:
                kind = kind.scatter(junk, JUNK)
        return pl.DataFrame({"score": score, "kind": kind})

    def gains(self, lines: Any, frame: Any) -> Any:
        """edge_gain of every line with the line before it (row 0: 0), as a polars Series."""
        import polars as pl

        prev = frame.shift(1)
        base = prev["score"].clip(upper_bound=0) + (-frame["score"]).clip(upper_bound=0) + 2 * LOSS
        possible = (prev["kind"] == NORMAL) & (frame["kind"] != JUNK) & (base > 0)
        gain = pl.select(pl.when(possible).then(base).otherwise(0)).to_series()
        idx = possible.fill_null(False).arg_true()
        if len(idx) == 0:
            return gain
        # Shared words: the title's first word of 4+ letters, looked for in polars, settles almost every pair
        # (when it is not a stop word); the rest are counted by unshared_words itself.
        first = pl.col("t").str.extract(CONTENT_WORD.pattern, 0)
        pair = pl.DataFrame({"t": lines.gather(idx - 1), "a": lines.gather(idx)})
        found = pair.select(
            first.is_null()
            | (~first.str.to_lowercase().is_in(sorted(STOP_WORDS)) & pl.col("a").str.contains(first.str.slice(1, 4), literal=True))
        ).to_series()
        missed = (~found).arg_true().to_list()
        if missed:
            rows = idx.gather(missed).to_list()
            compat = [pair_compat(unshared_words(lines[i - 1], lines[i])) for i in rows]
            gain = gain.scatter(rows, gain.gather(rows) + pl.Series(compat, dtype=gain.dtype))
        return gain

    def decide(self, block: _ContentLines | None, final: bool) -> RecordBlock:
        """Type this block's content lines (after the undecided tail of the previous block) and return
        the records of every line before the run still open at its end (all of them when final)."""
        import numpy as np

        lines, numbers, frame = _joined(self.tail, block)
        n = len(numbers)
        gains = self.gains(lines, frame)
        positive = gains.gt(0).arg_true().to_numpy()
        titles, open_from = _choose_pairs(positive, gains, n, final)
        self.tail = _ContentLines(lines.slice(open_from), numbers[open_from:], frame.slice(open_from), [], 0, 0)
        paired = np.zeros(open_from, dtype=bool)
        at = np.asarray(titles, dtype=np.int64)
        paired[at] = True
        paired[at + 1] = True
        orphans = np.flatnonzero(~paired).tolist()
        found: dict[int, Reject] = {}
        if orphans:
            scores, kinds = frame["score"].gather(orphans).to_list(), frame["kind"].gather(orphans).to_list()
            for i, score, kind in zip(orphans, scores, kinds):
                line = lines[i]
                reason = orphan_reason(line, score, kind, final and i == n - 1)
                found[i] = Reject(int(numbers[i]), reason, line[:RAW_PREVIEW_CHARS])
            self.report.reject_lines += len(orphans)
        self.cut_at_end(lines, numbers, titles, found, final, open_from)
        rejects = list(found.values())
        limit = self.held.line_number if self.held else int(numbers[open_from]) if open_from < n else None
        while self.too_long and (limit is None or self.too_long[0].line_number < limit):
            rejects.append(self.too_long.popleft())
        rejects.sort(key=lambda r: r.line_number)
        return self.block(lines, numbers, titles, rejects, final)

    def cut_at_end(self, lines: Any, numbers: list[int], titles: list[int], found: dict[int, Reject], final: bool,
                   open_from: int) -> None:
        """The end-of-file cut-off rule of `_LineByLineTyper`: a last pair whose abstract is cut, or an orphan
        title followed by a cut last line. An orphan title ending the decided lines waits in `held`."""
        held, self.held = self.held, None
        n = len(numbers)
        if final and n and cut_off(lines[n - 1], self.report):
            if titles and titles[-1] + 2 == n:
                t = titles.pop()
                found[t] = Reject(int(numbers[t]), CUT_OFF_TITLE, lines[t][:RAW_PREVIEW_CHARS])
                found[t + 1] = Reject(int(numbers[t + 1]), CUT_OFF_ABSTRACT, lines[t + 1][:RAW_PREVIEW_CHARS])
                self.report.reject_lines += 2
            elif n - 1 in found and n >= 2 and n - 2 in found and found[n - 2].reason == TITLE_WITHOUT_ABSTRACT:
                found[n - 2], found[n - 1] = cut_off_pair(found[n - 2], found[n - 1])
            elif n == 1 and 0 in found and held:
                held, found[0] = cut_off_pair(held, found[0])
        if held:
            found[-1] = held
        if not final and open_from - 1 in found and found[open_from - 1].reason == TITLE_WITHOUT_ABSTRACT:
            self.held = found.pop(open_from - 1)

    def block(self, lines: Any, numbers: list[int], titles: list[int], rejects: list[Reject], final: bool) -> RecordBlock:
        import numpy as np
        import polars as pl

        report = self.report
        at = np.asarray(titles, dtype=np.int64)
        numbered = np.asarray(numbers, dtype=np.int64)
        title_lines, abstract_lines = numbered[at].tolist(), numbered[at + 1].tolist()
        if titles:
            title_col, abstract_col = lines.gather(at), lines.gather(at + 1)
            seen = self.seen
            paper_ids = _paper_ids(title_col)
            duplicate = [pid in seen or (seen.add(pid) or False) for pid in paper_ids]
            duplicates = sum(duplicate)
            report.duplicate_lines += 2 * duplicates
            report.paper_lines += 2 * (len(paper_ids) - duplicates)
            report.papers += len(paper_ids) - duplicates
        else:
            title_col = abstract_col = pl.Series([], dtype=pl.String)
            paper_ids, duplicate = [], []
        if final:
            report.lines = self.number
            if report.papers == 0 and report.duplicate_lines == 0 and report.reject_lines == 0:
                rejects.append(Reject(1, nothing_found_reason(report), "", 0))
        reject_at = [bisect.bisect_left(title_lines, r.line_number) for r in rejects]
        return RecordBlock(paper_ids, title_col, abstract_col, title_lines, abstract_lines, duplicate, rejects,
                           reject_at)


def _joined(tail: _ContentLines | None, block: _ContentLines | None) -> tuple[Any, Any, Any]:
    """Lines, line numbers and features of the run left open before a block followed by the block's."""
    import numpy as np
    import polars as pl

    parts = [part for part in (tail, block) if part is not None and len(part.numbers)]
    if not parts:
        frame = pl.DataFrame({"score": [], "kind": []}, schema=dict.fromkeys(("score", "kind"), pl.Int64))
        return pl.Series([], dtype=pl.String), np.zeros(0, dtype=np.int64), frame
    lines = pl.concat([p.lines for p in parts]) if len(parts) > 1 else parts[0].lines
    frame = pl.concat([p.frame for p in parts]) if len(parts) > 1 else parts[0].frame
    return lines, np.concatenate([p.numbers for p in parts]), frame


def _choose_pairs(positive: Any, gains: Any, n: int, final: bool) -> tuple[list[int], int]:
    """The chosen pairs (title line indices) among n lines whose positive edges are `positive` (ascending
    numpy indices: edge i joins lines i - 1 and i), and the first line of the run still open at the end
    (n when final). A lone positive edge is a pair (almost every paper); longer runs are decided by
    best_pairs, cut every MAX_RUN lines as `_LineByLineTyper` cuts them."""
    import numpy as np

    open_from = n if final or n == 0 else n - 1
    if len(positive) == 0:
        return [], open_from
    joined = positive[1:] == positive[:-1] + 1  # edge k + 1 continues the run of edge k
    lone = np.ones(len(positive), dtype=bool)
    lone[1:] &= ~joined
    lone[:-1] &= ~joined
    titles = (positive[lone] - 1).tolist()
    if not final and lone[-1] and positive[-1] == n - 1:
        titles.pop()
        open_from = n - 2
    runs = positive[~lone].tolist()
    k = 0
    while k < len(runs):
        end = k
        while end + 1 < len(runs) and runs[end + 1] == runs[end] + 1:
            end += 1
        start, last = runs[k] - 1, runs[end]  # the run's first and last line
        for chunk in range(start, last + 1, MAX_RUN):
            chunk_last = min(chunk + MAX_RUN - 1, last)
            if not final and chunk_last == n - 1:
                open_from = chunk
                break
            if chunk_last - chunk == 1:
                titles.append(chunk)
            elif chunk_last > chunk:
                chosen = best_pairs(gains.slice(chunk + 1, chunk_last - chunk).to_list())
                titles += [chunk + j for j in chosen]
        k = end + 1
    return sorted(titles) if len(runs) else titles, open_from


def _iter_blocks(stream: BinaryIO, report: FileReport) -> Iterator[RecordBlock]:
    import polars as pl

    stream, whole_file = _open_dump(stream, report)
    if whole_file is not None:
        rejects = list(whole_file)
        empty = pl.Series([], dtype=pl.String)
        yield RecordBlock([], empty, empty, [], [], [], rejects, [0] * len(rejects))
        return
    parser = _BlockParser(stream, report)
    for content in _read_ahead(parser.prepared_blocks()):
        block = parser.take(content)
        if len(block):
            yield block
    yield parser.decide(None, final=True)


_END = object()


def _read_ahead(blocks: Iterator[Any]) -> Iterator[Any]:
    """The items of `blocks`, produced one ahead in a second thread: the next block is read, split,
    decoded and cleaned while this one is typed (polars releases the GIL). Stopping early stops the
    thread too."""
    ready: queue.Queue = queue.Queue(maxsize=1)
    stop = threading.Event()

    def hand_over(item: Any) -> None:
        while not stop.is_set():
            try:
                ready.put(item, timeout=0.1)
                return
            except queue.Full:
                continue

    def produce() -> None:
        try:
            for item in blocks:
                hand_over(item)
                if stop.is_set():
                    return
            hand_over(_END)
        except BaseException as error:  # raised where the blocks are used
            hand_over(error)

    reader = threading.Thread(target=produce, name="read ahead", daemon=True)
    reader.start()
    try:
        while (item := ready.get()) is not _END:
            if isinstance(item, BaseException):
                raise item
            yield item
    finally:
        stop.set()
        reader.join()


def parse_stream(stream: BinaryIO, reference: bool = False) -> ParseResult:
    """Parse a whole dump into memory (tests, small files): papers keep their latest abstract.
    `reference` parses with the line-by-line reference implementation instead of the block one."""
    result = ParseResult()
    index: dict[str, int] = {}
    for record in (iter_records_reference if reference else iter_records)(stream, result.report):
        if isinstance(record, Reject):
            result.rejects.append(record)
            continue
        result.sightings.append(record)
        if record.paper_id in index:
            kept = result.papers[index[record.paper_id]]
            kept.abstract, kept.abstract_line = record.abstract, record.abstract_line
        else:
            index[record.paper_id] = len(result.papers)
            result.papers.append(Paper(**{f: getattr(record, f) for f in Paper.__slots__}))
    return result


def parse_file(path: Path, reference: bool = False) -> ParseResult:
    """Parse one dump file into memory; see `parse_stream`."""
    with open(path, "rb", buffering=1024 * 1024) as stream:
        return parse_stream(stream, reference)
