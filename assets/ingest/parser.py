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
import io
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO

PARSER_VERSION = "1.1.0"  # 1.1.0: pairing, encoding, HTML/empty-file and cut-off fixes (re-parses cached outputs)

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
        # Many words: an abstract, unless it has at most one sentence break and does not end like prose
        # (a long title of 250+ chars, possibly with a "?" inside or at the end): context decides those.
        if line[-1] == ".":
            return STRONG_PROSE
        breaks = len(_SENTENCE_BREAK.findall(line))
        if breaks >= 2 or (breaks and line[-1] not in "?!" and _ENDS_LIKE_PROSE.search(line, max(0, len(line) - 300))):
            return STRONG_PROSE
        return WEAK_PROSE
    words = line.count(" ") + 1
    breaks = len(_SENTENCE_BREAK.findall(line))
    if breaks >= 2:
        return STRONG_PROSE
    if breaks or (words >= 8 and _ENDS_LIKE_PROSE.search(line)):
        return WEAK_PROSE
    return NOT_PROSE


def ends_with_full_stop(line: str) -> bool:
    """A final full stop (possibly inside a closing quote or bracket): how one-sentence abstracts end,
    and what titles ending in "?" or "!" (or with a "!" inside) lack."""
    return line[-1:] == "." or line.rstrip("\"')]}")[-1:] == "."


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


def iter_records(stream: BinaryIO, report: FileReport) -> Iterator[Paper | Reject]:
    """Stream the records of one dump, filling `report` as it goes.

    Memory is bounded by the longest line plus one id per distinct paper (for in-file duplicates).
    A file that yields no papers and no rejects (empty, or only page furniture) gets one reject row
    with line_count 0 that says why, so every skipped file is visible in `rejects`.
    """
    if not hasattr(stream, "peek"):
        stream = io.BufferedReader(stream, buffer_size=PREFIX_BYTES)  # io.BytesIO and raw files
    prefix = stream.peek(PREFIX_BYTES)[:PREFIX_BYTES]
    if looks_binary(prefix):
        report.binary, report.encoding = True, "binary"
        preview = prefix[:80].decode("latin-1").encode("unicode_escape").decode("ascii")
        yield from _whole_file_reject(stream, report, "binary file (NUL or control bytes): not a text dump", preview)
        return
    report.encoding = sniff_encoding(prefix)
    if looks_html(prefix):
        first = prefix.decode("utf-8", errors="replace").lstrip("\ufeff \t\r\n").splitlines()[0]
        yield from _whole_file_reject(
            stream, report, "HTML page (an error or login page saved as text?): not a paper dump", first
        )
        return
    if report.encoding == "utf-8-sig":
        stream.read(len(codecs.BOM_UTF8))
    decode = _Decoder("cp1252" if report.encoding == "cp1252" else "utf-8", report)
    seen: set[str] = set()
    queue: list[Reject] = []  # rejects found while reading ahead, emitted before the next record

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
    def content_lines() -> Iterator[tuple[int, str]]:
        after_header = True  # the first content line of the file or of a page may carry the glued button text
        for number, text in _read_lines(stream, report, decode):
            line = clean_line(text)
            if not line:
                report.blank_lines += 1
            elif line in BOILERPLATE_LINES:
                report.boilerplate_lines += 1
                after_header = line != "Subscribe"  # a button on its own line is not glued to the title
            elif len(line) > MAX_LINE_CHARS:
                queue.append(reject(number, f"line too long ({len(line):,} chars) for a title or abstract", line))
            else:
                if after_header:
                    # Only there: a title such as "Subscriber Churn Prediction ..." elsewhere stays whole.
                    after_header = False
                    line = GLUED_PREFIX.sub("", line)
                yield number, line

    lines = content_lines()
    pending: tuple[int, str] | None = None  # a title waiting for its abstract
    current = next(lines, None)
    prose = prose_level(current[1]) if current is not None else NOT_PROSE
    while current is not None:
        following = next(lines, None)
        next_prose = prose_level(following[1]) if following is not None else NOT_PROSE
        if queue:
            yield from queue
            queue.clear()
        number, line = current
        # Abstract-like: prose, or one sentence ending in a full stop. A line whose only "sentence break"
        # is a "?" or "!" ("Retentive or Forgetful? Diving into ...") reads as a title.
        abstract_like = prose == STRONG_PROSE or (prose == WEAK_PROSE and ends_with_full_stop(line))
        if pending is None:
            # A title ending in "." still starts a record when a clear abstract follows it.
            if abstract_like and not (prose == WEAK_PROSE and next_prose == STRONG_PROSE):
                yield reject(number, "abstract without a title", line)
            elif problem := title_problem(line):
                yield reject(number, problem, line)
            else:
                pending = current
        elif following is None and not report.ends_with_newline and not (
            abstract_like and _ENDS_LIKE_PROSE.search(line)
        ):
            yield reject(pending[0], "record cut off at end of file (its abstract is incomplete)", pending[1])
            yield reject(number, "abstract cut off at end of file (no final newline or punctuation)", line)
            pending = None
        elif abstract_like:
            yield paper(pending[0], pending[1], number, line)
            pending = None
        else:
            # A heading-like line after a title: the earlier title lost its abstract.
            yield reject(pending[0], "title without an abstract", pending[1])
            problem = title_problem(line)
            pending = None if problem else current
            if problem:
                yield reject(number, problem, line)
        current, prose = following, next_prose
    yield from queue
    if pending is not None:
        yield reject(pending[0], "title without an abstract (end of file)", pending[1])
    if report.papers == 0 and report.duplicate_lines == 0 and report.reject_lines == 0:
        reason = (
            "empty file (0 bytes): no papers"
            if report.lines == 0
            else "no papers: the file holds only page boilerplate and blank lines"
        )
        yield Reject(1, reason, "", 0)


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
