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
import functools
import hashlib
import io
import re
import unicodedata
from collections import deque
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, BinaryIO

from assets.core.contracts import BOILERPLATE_LINES

PARSER_VERSION = "1.1.0"  # 1.1.0: pairing, encoding, HTML/empty-file and cut-off fixes (re-parses cached outputs)

MAX_LINE_CHARS = 20_000  # longer lines are not titles or abstracts (real abstracts are < 5,000 chars)
MAX_TITLE_CHARS = 600
RAW_PREVIEW_CHARS = 300  # rejects keep this much of the raw line
PREFIX_BYTES = 64 * 1024  # encoding and binary sniffing look at this much of the file

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
    implementation (the contract `iter_records` is tested against, record for record).

    Memory is bounded by the longest line plus one id per distinct paper (for in-file duplicates).
    A file that yields no papers and no rejects (empty, or only page furniture) gets one reject row
    with line_count 0 that says why, so every skipped file is visible in `rejects`.
    """
    stream, whole_file = _open_dump(stream, report)
    if whole_file is not None:
        yield from whole_file
        return
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


# ---------------------------------------------------------------- the block parser (what pipelines run)
#
# `iter_records` gives exactly the records of `iter_records_reference`, in the same order, with the
# same report (tests/test_ingest.py compares them on damaged and synthetic dumps). The per-line
# features (whitespace, blank / boilerplate / too long, prose level, title problems) are computed for
# a block of lines at a time with polars string expressions; only the pairing state machine walks the
# lines in Python, over those small feature values. Rare cases (lines that are not valid UTF-8,
# possible title problems, the glued button text) take the reference functions.

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

    Memory is bounded by a block (BLOCK_BYTES of lines, or the longest line) plus one id per distinct
    paper (for in-file duplicates).
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
        "ends_like_prose": f"(?:[.!?][\"')\\]}}]?|https?://[^{ws}]+)$",  # _ENDS_LIKE_PROSE
        "39_spaces": "^(?:[^ ]* ){39}",
        "7_spaces": "^(?:[^ ]* ){7}",
    }


def _cap_line(line: bytes, cap: int) -> bytes:
    """What landing's line-capped reader keeps of a line of `cap` or more bytes (see there)."""
    line = line[:cap]
    for _ in range(3):  # never end on a cut UTF-8 sequence
        if 0x80 <= line[-1] < 0xC0:
            line = line[:-1]
    return line[:-1] if line[-1] >= 0xC0 else line


def _column(lines: Any, refs: list) -> Any:
    """lines[ref] for each ref: an index into this block's content lines, or the text of a line of an
    earlier block (a title waiting across the block boundary)."""
    import polars as pl

    # only a block's first sighting can use lines of an earlier block (the state carried over)
    carried = [(i, ref) for i, ref in enumerate(refs[:2]) if type(ref) is str]
    if not carried:
        return lines.gather(refs)
    if len(lines) == 0:
        return pl.Series(refs, dtype=pl.String)
    column = lines.gather([0 if type(ref) is str else ref for ref in refs])
    return column.scatter([i for i, _ in carried], [ref for _, ref in carried])


def _paper_ids(titles: Any) -> list[str]:
    """paper_id_for over a column of titles: ASCII titles normalised by polars, others by normalize_title."""
    ascii_only = titles.str.len_bytes() == titles.str.len_chars()
    keys = titles.str.to_lowercase().str.replace_all("[^a-z0-9]+", " ").str.strip_chars(" ").to_list()
    if not ascii_only.all():
        for i in (~ascii_only).arg_true().to_list():
            keys[i] = normalize_title(titles[i])
    sha256 = hashlib.sha256
    return [sha256(key.encode("utf-8")).hexdigest()[:16] for key in keys]


class _BlockParser:
    """The state of `iter_records_reference` carried from one block of lines to the next."""

    def __init__(self, stream: BinaryIO, report: FileReport):
        self.stream, self.report = stream, report
        self.decode = _Decoder("cp1252" if report.encoding == "cp1252" else "utf-8", report)
        self.cap: int | None = getattr(stream, "max_line_bytes", None)  # landing's line-capped reader
        self.number = 0  # lines read so far
        self.after_header = True
        self.current: tuple | None = None  # content line waiting for its look-ahead: (number, ref, prose, abstract_like, check_title)
        self.pending: tuple | None = None  # a title waiting for its abstract: (number, ref)
        self.too_long: deque[Reject] = deque()  # emitted before the record of the content line before them
        self.seen: set[str] = set()

    def raw_blocks(self) -> Iterator[list[bytes]]:
        """Lists of raw lines without "\n" (as the reference reads them), about BLOCK_BYTES at a time."""
        read, cap = self.stream.read, self.cap
        head, skipping = b"", False  # the unfinished last line; skipping: past the cap, not kept
        while block := read(BLOCK_BYTES):
            parts = block.split(b"\n")
            if skipping:
                if len(parts) == 1:
                    continue
                parts[0], skipping = head, False
            else:
                parts[0] = head + parts[0]
            head = parts.pop()
            if cap is not None:
                if len(head) >= cap:
                    head, skipping = head[:cap], True
                if parts and max(map(len, parts)) >= cap:
                    parts = [_cap_line(p, cap) if len(p) >= cap else p for p in parts]
            if parts:
                yield parts
        if head:
            self.report.ends_with_newline = False
            yield [_cap_line(head, cap) if cap is not None and len(head) >= cap else head]

    def decode_block(self, raws: list[bytes]) -> Any:
        import polars as pl

        binary = pl.Series(raws, dtype=pl.Binary)
        cr = binary.bin.ends_with(b"\r")
        if cr.any():
            for i in cr.arg_true().to_list():
                raws[i] = raws[i][:-1]
            binary = pl.Series(raws, dtype=pl.Binary)
        try:
            return binary.cast(pl.String)
        except pl.exceptions.PolarsError:  # some line is not UTF-8: those lines as the reference decodes them
            return pl.Series([self.decode(raw) for raw in raws], dtype=pl.String)

    def parse(self, raws: list[bytes]) -> RecordBlock:
        import polars as pl

        rx, report = _patterns(), self.report
        first = self.number + 1
        self.number += len(raws)
        text = self.decode_block(raws)
        c = pl.col("c")
        needs = pl.DataFrame({"c": text}).select(  # clean_line's test
            c.str.contains("  ", literal=True)
            | c.str.contains("[\t\r\x0b\x0c]")
            | c.str.contains(rx["space_first"])
            | c.str.contains(rx["space_last"])
        ).to_series()
        if needs.any():
            idx = needs.arg_true()
            text = text.scatter(idx, text.gather(idx).str.replace_all(rx["ws_run"], " ").str.strip_chars(" "))
        c = pl.col("c")
        kind = pl.DataFrame({"c": text}).select(
            blank=c.str.len_bytes() == 0,
            boilerplate=c.is_in(sorted(BOILERPLATE_LINES)),
            too_long=c.str.len_chars() > MAX_LINE_CHARS,
            subscribe=c == "Subscribe",
            glued=c.str.contains(rx["glued"]),
        )
        content = ~(kind["blank"] | kind["boilerplate"] | kind["too_long"])
        report.blank_lines += kind["blank"].sum()
        report.boilerplate_lines += kind["boilerplate"].sum()
        for i in kind["too_long"].arg_true().to_list():
            report.reject_lines += 1
            line = text[i]
            self.too_long.append(
                Reject(first + i, f"line too long ({len(line):,} chars) for a title or abstract", line[:RAW_PREVIEW_CHARS])
            )
        # after_header: the last boilerplate-or-content line before a line sets it (see content_lines).
        setter = kind.select(
            pl.when(pl.col("boilerplate")).then(~pl.col("subscribe")).when(content).then(False).alias("s")
        )["s"]
        after = setter.shift(1).forward_fill().fill_null(self.after_header)
        set_lines = setter.drop_nulls()
        if len(set_lines):
            self.after_header = set_lines[-1]
        glued = content & after & kind["glued"]
        if glued.any():
            idx = glued.arg_true()
            text = text.scatter(idx, text.gather(idx).str.slice(len("Subscribe")))
        if content.all():
            lines, numbers = text, list(range(first, first + len(raws)))
        else:
            lines = text.filter(content)
            numbers = pl.int_range(first, first + len(raws), eager=True).filter(content).to_list()
        return self.pair(lines, numbers, final=False)

    def features(self, lines: Any) -> tuple[list[int], list[bool], list[bool]]:
        """prose_level, abstract-like, and whether title_problem must look (else: no problem)."""
        import polars as pl

        rx = _patterns()
        c = pl.col("c")
        breaks = c.str.count_matches(rx["sentence_break"])
        ends_like_prose = c.str.contains(rx["ends_like_prose"])
        prose = (
            pl.when(c.str.head(800).str.contains(rx["39_spaces"]))  # line.count(" ", 0, 800) >= 39
            .then(
                pl.when(
                    c.str.ends_with(".")
                    | (breaks >= 2)
                    | ((breaks >= 1) & ~c.str.ends_with("?") & ~c.str.ends_with("!")
                       & c.str.tail(300).str.contains(rx["ends_like_prose"]))
                ).then(STRONG_PROSE).otherwise(WEAK_PROSE)
            )
            .when(breaks >= 2).then(STRONG_PROSE)
            .when((breaks >= 1) | (c.str.contains(rx["7_spaces"]) & ends_like_prose)).then(WEAK_PROSE)
            .otherwise(NOT_PROSE)
        )
        frame = pl.DataFrame({"c": lines}).select(
            prose=prose,
            full_stop=c.str.strip_chars_end("\"')]}").str.ends_with("."),
            check_title=~(
                c.str.contains("[A-Za-z]") & ~c.str.contains(r"^[<>{}\[\]]") & (c.str.len_chars() <= MAX_TITLE_CHARS)
            ),
        )
        abstract_like = (pl.col("prose") == STRONG_PROSE) | ((pl.col("prose") == WEAK_PROSE) & pl.col("full_stop"))
        frame = frame.with_columns(abstract_like=abstract_like)
        return frame["prose"].to_list(), frame["abstract_like"].to_list(), frame["check_title"].to_list()

    def pair(self, lines: Any, numbers: list[int], final: bool) -> RecordBlock:
        """The pairing of iter_records_reference over this block's content lines (and, when final, the
        end of the file)."""
        report = self.report
        title_refs: list = []
        abstract_refs: list = []
        title_lines: list[int] = []
        abstract_lines: list[int] = []
        rejects: list[Reject] = []
        reject_at: list[int] = []
        too_long = self.too_long
        current, pending = self.current, self.pending

        def text(ref) -> str:
            return ref if type(ref) is str else lines[ref]

        def reject(number: int, reason: str, line: str) -> None:
            report.reject_lines += 1
            rejects.append(Reject(number, reason, line[:RAW_PREVIEW_CHARS]))
            reject_at.append(len(title_refs))

        def flush(before: int | None) -> None:
            while too_long and (before is None or too_long[0].line_number < before):
                rejects.append(too_long.popleft())
                reject_at.append(len(title_refs))

        def step(line: tuple, next_prose: int, last: bool) -> None:
            nonlocal pending
            number, ref, prose, abstract_like, check_title = line
            if pending is None:
                if abstract_like and not (prose == WEAK_PROSE and next_prose == STRONG_PROSE):
                    reject(number, "abstract without a title", text(ref))
                elif check_title and (problem := title_problem(text(ref))):
                    reject(number, problem, text(ref))
                else:
                    pending = (number, ref)
            elif last and not report.ends_with_newline and not (
                abstract_like and _ENDS_LIKE_PROSE.search(text(ref))
            ):
                reject(pending[0], "record cut off at end of file (its abstract is incomplete)", text(pending[1]))
                reject(number, "abstract cut off at end of file (no final newline or punctuation)", text(ref))
                pending = None
            elif abstract_like:
                title_refs.append(pending[1])
                title_lines.append(pending[0])
                abstract_refs.append(ref)
                abstract_lines.append(number)
                pending = None
            else:
                reject(pending[0], "title without an abstract", text(pending[1]))
                problem = title_problem(text(ref)) if check_title else None
                pending = None if problem else (number, ref)
                if problem:
                    reject(number, problem, text(ref))

        if numbers:
            proses, abstract_likes, check_titles = self.features(lines)
            for j, (number, prose, abstract_like, check_title) in enumerate(
                zip(numbers, proses, abstract_likes, check_titles)
            ):
                if current is not None:
                    if too_long and too_long[0].line_number < number:
                        flush(number)
                    # the common cases inline: a title line, then its abstract
                    if pending is None and not current[3] and not current[4]:
                        pending = (current[0], current[1])
                    elif pending is not None and current[3]:
                        title_refs.append(pending[1])
                        title_lines.append(pending[0])
                        abstract_refs.append(current[1])
                        abstract_lines.append(current[0])
                        pending = None
                    else:
                        step(current, prose, False)
                current = (number, j, prose, abstract_like, check_title)
        if final:
            if current is not None:
                flush(None)
                step(current, NOT_PROSE, True)
                current = None
            flush(None)
            if pending is not None:
                reject(pending[0], "title without an abstract (end of file)", text(pending[1]))
                pending = None
        else:  # lines of this block still waiting: keep their text, the block's columns go
            if current is not None and type(current[1]) is int:
                current = (current[0], lines[current[1]], *current[2:])
            if pending is not None and type(pending[1]) is int:
                pending = (pending[0], lines[pending[1]])
        self.current, self.pending = current, pending
        return self.block(lines, title_refs, abstract_refs, title_lines, abstract_lines, rejects, reject_at, final)

    def block(self, lines, title_refs, abstract_refs, title_lines, abstract_lines, rejects, reject_at, final):
        import polars as pl

        report = self.report
        if title_refs:
            titles, abstracts = _column(lines, title_refs), _column(lines, abstract_refs)
            seen = self.seen
            paper_ids = _paper_ids(titles)
            duplicate = [pid in seen or (seen.add(pid) or False) for pid in paper_ids]
            duplicates = sum(duplicate)
            report.duplicate_lines += 2 * duplicates
            report.paper_lines += 2 * (len(paper_ids) - duplicates)
            report.papers += len(paper_ids) - duplicates
        else:
            titles = abstracts = pl.Series([], dtype=pl.String)
            paper_ids, duplicate = [], []
        if final:
            report.lines = self.number
            if report.papers == 0 and report.duplicate_lines == 0 and report.reject_lines == 0:
                reason = (
                    "empty file (0 bytes): no papers"
                    if report.lines == 0
                    else "no papers: the file holds only page boilerplate and blank lines"
                )
                rejects.append(Reject(1, reason, "", 0))
                reject_at.append(len(paper_ids))
        return RecordBlock(paper_ids, titles, abstracts, title_lines, abstract_lines, duplicate, rejects, reject_at)


def _iter_blocks(stream: BinaryIO, report: FileReport) -> Iterator[RecordBlock]:
    import polars as pl

    stream, whole_file = _open_dump(stream, report)
    if whole_file is not None:
        rejects = list(whole_file)
        empty = pl.Series([], dtype=pl.String)
        yield RecordBlock([], empty, empty, [], [], [], rejects, [0] * len(rejects))
        return
    parser = _BlockParser(stream, report)
    for raws in parser.raw_blocks():
        block = parser.parse(raws)
        if len(block):
            yield block
    yield parser.pair(_empty_lines(), [], final=True)


def _empty_lines() -> Any:
    import polars as pl

    return pl.Series([], dtype=pl.String)


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
