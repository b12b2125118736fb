"""Streaming parser for raw paper-listing dumps (title line, abstract line, page boilerplate around them).

Every input line ends up in exactly one bucket, counted per file:
paper lines (title + abstract of a kept paper), duplicate lines (a paper already seen in this file),
blank lines, boilerplate lines (known page furniture) and reject lines (a row in `rejects` with a reason).

Titles and abstracts are told apart by content *and* context: a line is abstract-like when it reads as
prose (several sentences, or one sentence ending in punctuation, or very many words); a title is a
short line without sentence breaks. Pairing follows the sequence, with one line of look-ahead, so a
missing line only costs its own record and never shifts the pairs after it (no line-parity pairing).
"""

from __future__ import annotations

import codecs
import hashlib
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO

PARSER_VERSION = "1.0.0"

MAX_LINE_CHARS = 20_000  # longer lines are not titles or abstracts (real abstracts are < 5,000 chars)
MAX_TITLE_CHARS = 600
RAW_PREVIEW_CHARS = 300  # rejects keep this much of the raw line
PREFIX_BYTES = 64 * 1024  # encoding and binary sniffing look at this much of the file

# Known page furniture of the listing site. Whole lines, compared after whitespace normalisation.
BOILERPLATE_LINES = frozenset(
    {
        "Get trending papers in your email inbox once a day!",
        "Get trending papers in your email inbox!",
        "Subscribe",
        "Daily Papers",
        "Upvote",
    }
)
# Button text glued to the first title by copy-and-paste ("SubscribePipeOffload: ...").
GLUED_PREFIX = re.compile(r"^Subscribe(?=\S)")

_SENTENCE_BREAK = re.compile(r"[.!?][\"')\]]?\s+[A-Z(\"']")
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


NOT_PROSE, WEAK_PROSE, STRONG_PROSE = 0, 1, 2


def prose_level(line: str) -> int:
    """How much a line reads like an abstract rather than a title.

    STRONG: many words, or several sentences. WEAK: one sentence break or a final full stop / question
    mark on a line of some length, which short abstracts have but so do titles such as "Keep Me
    Updated! Memory Management in Long-term Conversations": context decides those.
    """
    if line.count(" ", 0, 800) >= 39:
        return STRONG_PROSE
    words = line.count(" ") + 1
    breaks = len(_SENTENCE_BREAK.findall(line))
    if breaks >= 2:
        return STRONG_PROSE
    if breaks or (words >= 8 and _ENDS_LIKE_PROSE.search(line)):
        return WEAK_PROSE
    return NOT_PROSE


def title_problem(line: str) -> str | None:
    """Why a line cannot be a title, or None when it can."""
    if _MARKUP_LINE.match(line):
        return "markup, not a title"
    if not _HAS_LETTER.search(line):
        return "no letters: not a title"
    if len(line) > MAX_TITLE_CHARS:
        return f"too long for a title ({len(line)} chars) and not prose"
    return None


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
        return "cp1252"


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
        if self.encoding == "cp1252":
            text = raw.decode("cp1252", errors="replace")
            self.report.replaced_bytes += text.count("\ufffd")
            return text
        try:
            return raw.decode("utf-8")
        except UnicodeDecodeError:
            pass
        lenient = raw.decode("utf-8", errors="replace")
        has_valid_multibyte = any(ord(ch) > 127 and ch != "\ufffd" for ch in lenient)
        if has_valid_multibyte:
            self.report.replaced_bytes += lenient.count("\ufffd")
            return lenient
        self.report.legacy_lines += 1
        text = raw.decode("cp1252", errors="replace")
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


def iter_records(stream: BinaryIO, report: FileReport) -> Iterator[Paper | Reject]:
    """Stream the records of one dump, filling `report` as it goes.

    Memory is bounded by the longest line plus one id per distinct paper (for in-file duplicates).
    """
    prefix = stream.peek(PREFIX_BYTES)[:PREFIX_BYTES] if hasattr(stream, "peek") else b""
    if looks_binary(prefix):
        report.binary, report.encoding = True, "binary"
        report.lines = report.reject_lines = sum(1 for _ in stream)
        if report.lines:
            preview = prefix[:80].decode("latin-1").encode("unicode_escape").decode("ascii")
            yield Reject(1, "binary file (NUL or control bytes): not a text dump", preview, report.lines)
        return
    report.encoding = sniff_encoding(prefix)
    if report.encoding == "utf-8-sig":
        stream.read(len(codecs.BOM_UTF8))
    decode = _Decoder("cp1252" if report.encoding == "cp1252" else "utf-8", report)
    seen: set[str] = set()

    def reject(number: int, reason: str, text: str) -> Reject:
        report.reject_lines += 1
        return Reject(number, reason, text[:RAW_PREVIEW_CHARS])

    def paper(title_no: int, title: str, abstract_no: int, abstract: str) -> Paper:
        pid = paper_id_for(title)
        duplicate = pid in seen
        if duplicate:
            report.duplicate_lines += 2
        else:
            seen.add(pid)
            report.paper_lines += 2
            report.papers += 1
        return Paper(pid, title, abstract, title_no, abstract_no, duplicate)

    # Blank and boilerplate lines are counted here; the rest are classified with one line of look-ahead.
    def content_lines() -> Iterator[tuple[int, str] | Reject]:
        for number, text in _read_lines(stream, report, decode):
            line = clean_line(text)
            if not line:
                report.blank_lines += 1
            elif line in BOILERPLATE_LINES:
                report.boilerplate_lines += 1
            elif len(line) > MAX_LINE_CHARS:
                yield reject(number, f"line too long ({len(line):,} chars) for a title or abstract", line)
            else:
                yield number, GLUED_PREFIX.sub("", line)

    def next_line(items: Iterator[tuple[int, str] | Reject]) -> Iterator[tuple[int, str]]:
        """Passes rejects through to the caller's output queue, returns the next content line."""
        for item in items:
            if isinstance(item, Reject):
                queue.append(item)
            else:
                return item
        return None

    queue: list[Reject] = []
    lines = content_lines()
    pending: tuple[int, str] | None = None  # a title waiting for its abstract
    current = next_line(lines)
    while current is not None:
        following = next_line(lines)
        yield from queue
        queue.clear()
        number, line = current
        prose = prose_level(line)
        next_prose = prose_level(following[1]) if following else NOT_PROSE
        if pending is None:
            # A prose-like line starts a record only when an abstract follows it (a title ending in "?").
            if prose == STRONG_PROSE or (prose == WEAK_PROSE and next_prose != STRONG_PROSE):
                yield reject(number, "abstract without a title", line)
            elif problem := title_problem(line):
                yield reject(number, problem, line)
            else:
                pending = current
        elif prose == STRONG_PROSE or (
            prose == WEAK_PROSE and (line.endswith(".") or next_prose != STRONG_PROSE)
        ):
            if following is None and not report.ends_with_newline and not _ENDS_LIKE_PROSE.search(line):
                yield reject(pending[0], "record cut off at end of file (its abstract is incomplete)", pending[1])
                yield reject(number, "abstract cut off at end of file (no final newline or punctuation)", line)
            else:
                yield paper(pending[0], pending[1], number, line)
            pending = None
        else:
            # A heading-like line after a title: the earlier title lost its abstract.
            yield reject(pending[0], "title without an abstract", pending[1])
            problem = title_problem(line)
            pending = None if problem else current
            if problem:
                yield reject(number, problem, line)
        current = following
    yield from queue
    if pending is not None:
        yield reject(pending[0], "title without an abstract (end of file)", pending[1])


def parse_stream(stream: BinaryIO) -> ParseResult:
    """Parse a whole dump into memory (tests, small files): papers keep their latest abstract."""
    result = ParseResult()
    index: dict[str, int] = {}
    for record in iter_records(stream, result.report):
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


def parse_file(path: Path) -> ParseResult:
    """Parse one dump file into memory; see `parse_stream`."""
    with open(path, "rb", buffering=1024 * 1024) as stream:
        return parse_stream(stream)
