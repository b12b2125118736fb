"""The landing folder: which files are dumps, their partition keys, and their per-file Parquet outputs."""

from __future__ import annotations

import dataclasses
import hashlib
import io
import json
import os
import re
import queue
import shutil
import tempfile
import threading
from dataclasses import dataclass
from pathlib import Path

import pyarrow as pa

from assets.ingest.parser import (
    MAX_LINE_CHARS,
    PARSER_VERSION,
    FileReport,
    Paper,
    RecordBlock,
    RecordStream,
    Reject,
    iter_records,
    iter_records_reference,
    may_hold_a_line_of,
)
from assets.core.storage import dir_mode, fsync_path, sha256_file, write_json_atomic, write_parquet_atomic

_SAFE_KEY = re.compile(r"[A-Za-z0-9._-]{1,120}")
_UNSAFE_KEY_CHARS = re.compile(r"[^A-Za-z0-9._-]+")
_DOT_RUNS = re.compile(r"\.{2,}")
BATCH_ROWS = 50_000

SIGHTINGS_SCHEMA = pa.schema(
    [
        ("paper_id", pa.string()),
        ("title", pa.large_string()),
        ("abstract", pa.large_string()),
        ("source_file", pa.string()),
        ("source_line", pa.int64()),
        ("abstract_line", pa.int64()),
        ("duplicate", pa.bool_()),
    ]
)
# ids, titles and abstracts are (nearly) all distinct: trying a dictionary for them cost ~17% of the write's
# CPU for nothing (300k sightings: 0.86 -> 0.71 s, 72 -> 70 MB)
SIGHTINGS_DICTIONARY = ["source_file"]
# The block parser (polars, threads) costs ~21 ms a file plus ~8 us a KB; the line-by-line parser it is
# tested against record for record ~4 ms plus ~21 us a KB, so it is the faster one under ~1.3 MB
# (measured: a 2-paper file 4.5 vs 22 ms, the 275 KB sample 11 vs 23 ms, 5.7 MB 121 vs 68 ms).
BLOCK_PARSE_MIN_BYTES = 1 << 20
REJECTS_SCHEMA = pa.schema(
    [
        ("source_file", pa.string()),
        ("line_number", pa.int64()),
        ("line_count", pa.int64()),
        ("reason", pa.string()),
        ("raw", pa.string()),
        ("parser_version", pa.string()),
    ]
)
REPORT_SCHEMA = pa.schema(
    [
        ("source_file", pa.string()),
        ("partition_key", pa.string()),
        ("sha256", pa.string()),
        ("bytes", pa.int64()),
        ("mtime_ns", pa.int64()),
        ("encoding", pa.string()),
        ("replaced_bytes", pa.int64()),
        ("legacy_lines", pa.int64()),
        ("lines", pa.int64()),
        ("paper_lines", pa.int64()),
        ("duplicate_lines", pa.int64()),
        ("blank_lines", pa.int64()),
        ("boilerplate_lines", pa.int64()),
        ("reject_lines", pa.int64()),
        ("papers", pa.int64()),
        ("binary", pa.bool_()),
        ("parser_version", pa.string()),
    ]
)


def display_name(name: str) -> str:
    """The file name as stored in the tables: the name itself, except that bytes which are not UTF-8
    (a latin-1 file name reads back from the OS as lone surrogates, which Parquet cannot store) are
    shown as \\xNN escapes."""
    try:
        name.encode("utf-8")
        return name
    except UnicodeEncodeError:
        return name.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")


def partition_key_for(name: str) -> str:
    """A Dagster-safe partition key for a file name: the name itself when it is plain ASCII,
    otherwise a readable slug plus a hash of the exact name (quotes, spaces, newlines, non-ASCII).
    Dagster also refuses "..." inside a key, so runs of dots are never kept as they are."""
    if _SAFE_KEY.fullmatch(name) and ".." not in name and not name.startswith("."):
        return name
    slug = _UNSAFE_KEY_CHARS.sub("_", name.encode("ascii", "replace").decode()).strip("_")
    slug = _DOT_RUNS.sub("_", slug).strip("._")[:80] or "file"
    digest = hashlib.sha256(name.encode("utf-8", "surrogateescape")).hexdigest()[:10]
    return f"{slug}-{digest}"


@dataclass(frozen=True)
class LandingFile:
    name: str  # as shown in the tables: see display_name (the path keeps the exact bytes)
    path: Path
    partition_key: str
    bytes: int
    mtime_ns: int


@dataclass(frozen=True)
class SkippedEntry:
    name: str
    reason: str


def scan_landing(landing_dir: Path) -> tuple[list[LandingFile], list[SkippedEntry]]:
    """Regular files at the top of the landing folder, in (name) order; symlinks are never followed."""
    if not landing_dir.is_dir():
        raise FileNotFoundError(
            f"landing folder {landing_dir} does not exist: create it or set PAPERS_LANDING_DIR to a folder of dumps"
        )
    files, skipped = [], []
    with os.scandir(landing_dir) as entries:
        for entry in sorted(entries, key=lambda e: e.name):
            name = display_name(entry.name)
            if entry.name.startswith("."):
                skipped.append(SkippedEntry(name, "hidden file (its name starts with a dot): not read; "
                                                  "rename it without the dot to have it read"))
            elif entry.is_symlink():
                skipped.append(SkippedEntry(name, "symbolic link: not followed (copy the file in instead)"))
            elif entry.is_dir(follow_symlinks=False):
                skipped.append(SkippedEntry(name, "folder: only files at the top of the landing folder are read"))
            elif entry.is_file(follow_symlinks=False):
                try:
                    stat = entry.stat(follow_symlinks=False)
                except FileNotFoundError:
                    skipped.append(SkippedEntry(name, "removed while the landing folder was being read"))
                    continue
                files.append(
                    LandingFile(name, Path(entry.path), partition_key_for(entry.name), stat.st_size, stat.st_mtime_ns)
                )
            else:
                skipped.append(SkippedEntry(name, "not a regular file"))
    return _distinct(files, landing_dir), skipped


def _distinct(files: list[LandingFile], landing_dir: Path) -> list[LandingFile]:
    """Files whose shown names or partition keys coincide (a latin-1 byte name beside a file literally
    named with its escapes; a name equal to another's slug and hash) are told apart by a longer hash of
    their exact name bytes; a coincidence even then is an error naming both files."""
    for field in ("name", "partition_key"):
        seen: dict[str, list[LandingFile]] = {}
        for f in files:
            seen.setdefault(getattr(f, field), []).append(f)
        files = [f if len(seen[getattr(f, field)]) == 1 else _renamed(f, field) for f in files]
        values = [getattr(f, field) for f in files]
        for value in {v for v in values if values.count(v) > 1}:
            both = [repr(f.path.name) for f in files if getattr(f, field) == value]
            raise ValueError(f"landing files {' and '.join(both)} in {landing_dir} both map to {field} "
                             f"{value!r}: rename one of them")
    return files


def _renamed(f: LandingFile, field: str) -> LandingFile:
    digest = hashlib.sha256(os.fsencode(f.path.name)).hexdigest()[:16]
    if field == "name":
        return dataclasses.replace(f, name=f"{f.name} [name bytes {digest}]") if f.name != f.path.name else f
    return dataclasses.replace(f, partition_key=f"{f.partition_key[:100]}-{digest}")


class _HashingRaw(io.RawIOBase):
    """Hashes exactly the bytes that are read, so the recorded sha256 is that of the parsed content
    even when the file grows while it is being read; notes the real length of every line longer than
    the readers keep (`long_lines`: line number -> bytes), so a reject says how long the line was.

    The hashing and the line scan run in a second thread (sha256 and numpy release the GIL): the
    reading thread only copies each chunk. Both results are complete once the reader is closed."""

    def __init__(self, raw: io.RawIOBase):
        self._raw = raw
        self.digest = hashlib.sha256()
        self.bytes = 0
        self.long_lines: dict[int, int] = {}
        self._line, self._line_start = 1, 0  # the line being scanned: its number and where it starts
        self._chunks: queue.Queue = queue.Queue(maxsize=2)
        self._failure: list[BaseException] = []
        self._scanner = threading.Thread(target=self._scan, name="hash and scan", daemon=True)
        self._scanner.start()

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        n = self._raw.readinto(buffer)
        if n:
            self._chunks.put(memoryview(buffer)[:n].tobytes())
            self.bytes += n
        return n

    def close(self) -> None:
        """Waits for the hashing and the scan of everything read; raises what went wrong in them."""
        if not self.closed:
            self._chunks.put(None)
            self._scanner.join()
            if self.bytes - self._line_start >= MAX_LINE_BYTES:  # a last line without "\n"
                self.long_lines[self._line] = self.bytes - self._line_start
        super().close()
        if self._failure:
            raise self._failure.pop()  # once: a later close (the buffered reader's) has nothing to add

    def _scan(self) -> None:
        offset = 0
        while (chunk := self._chunks.get()) is not None:
            if self._failure:
                continue  # keep taking chunks so the reader never blocks
            try:
                self.digest.update(chunk)
                self._note_long_lines(chunk, offset)
            except BaseException as error:  # raised by close()
                self._failure.append(error)
            offset += len(chunk)

    def _note_long_lines(self, chunk: bytes, offset: int) -> None:
        """Lines of `chunk` (at `offset` in the file) whose newline it holds and that reach MAX_LINE_BYTES.
        A chunk whose newlines are close enough that no such line can end in it is only counted (C speed);
        the others are scanned newline by newline."""
        import numpy as np

        if (first := chunk.find(b"\n")) < 0:
            return
        if offset + first - self._line_start < MAX_LINE_BYTES and not may_hold_a_line_of(chunk, MAX_LINE_BYTES):
            self._line += chunk.count(b"\n")
            self._line_start = offset + chunk.rfind(b"\n") + 1
            return
        ends = np.flatnonzero(np.frombuffer(chunk, dtype=np.uint8) == 10) + offset  # where each "\n" is
        if not len(ends):
            return
        starts = np.empty_like(ends)
        starts[0], starts[1:] = self._line_start, ends[:-1] + 1
        for i in np.flatnonzero(ends - starts >= MAX_LINE_BYTES).tolist():
            self.long_lines[self._line + i] = int(ends[i] - starts[i])
        self._line += len(ends)
        self._line_start = int(ends[-1]) + 1


MAX_LINE_BYTES = 4 * MAX_LINE_CHARS + 16  # more bytes than any line the parser keeps (<= 4 bytes a char)


class _LineCappedReader(io.BufferedReader):
    """Lines of at most MAX_LINE_BYTES: the rest of a longer line is read (and hashed) but not kept, so
    a 200 MB line without a newline costs no more memory than a normal line; the parser rejects the
    kept prefix as too long. The block parser reads blocks and applies the same cap (`max_line_bytes`)."""

    max_line_bytes = MAX_LINE_BYTES

    def readline(self, size: int = -1) -> bytes:
        line = super().readline(MAX_LINE_BYTES)
        if len(line) < MAX_LINE_BYTES or line.endswith(b"\n"):
            return line
        rest = b""
        while block := super().readline(1024 * 1024):
            rest = block
            if block.endswith(b"\n"):
                break
        for _ in range(3):  # never end on a cut UTF-8 sequence
            if 0x80 <= line[-1] < 0xC0:
                line = line[:-1]
        line = line[:-1] if line[-1] >= 0xC0 else line
        return line + b"\n" if rest.endswith(b"\n") else line


@dataclass(frozen=True)
class IngestOutput:
    folder: Path
    report: dict
    reused: bool
    rebuilt: str = ""  # why an earlier output of the same content was discarded and parsed again

    @property
    def sightings(self) -> Path:
        return self.folder / "sightings.parquet"

    @property
    def rejects(self) -> Path:
        return self.folder / "rejects.parquet"


def _output_folder(ingest_dir: Path, landing: LandingFile, sha256: str) -> Path:
    return ingest_dir / landing.partition_key / f"{sha256[:16]}-p{PARSER_VERSION}"


OUTPUT_FILES = ("sightings.parquet", "rejects.parquet", "report.parquet")
CHECKSUMS = "checksums.json"  # written last: an output folder without it is never trusted
LANDING_INDEX = ".landing_index.json"  # hidden: partition keys never start with a dot


def _record_digest(files: dict, report: dict) -> str:
    return hashlib.sha256(json.dumps({"files": files, "report": report}, sort_keys=True).encode()).hexdigest()


def _write_record(folder: Path, report: dict) -> None:
    """checksums.json: each output file's sha256 and the report row (read back without opening Parquet:
    a folder of thousands of dumps is checked in a blink), sealed by a digest of both."""
    files = {name: sha256_file(folder / name) for name in OUTPUT_FILES}
    write_json_atomic(folder / CHECKSUMS, {"files": files, "report": report, "digest": _record_digest(files, report)})


def _verified_report(folder: Path, landing: LandingFile) -> tuple[dict | None, str]:
    """(the folder's report, "") when its record is intact, every output file has the sha256 recorded
    at write time and the report is this file's; (None, what is wrong) otherwise ("" when nothing was
    there to verify)."""
    if not folder.is_dir():
        return None, ""
    try:
        record = json.loads((folder / CHECKSUMS).read_text(encoding="utf-8"))
        files, report = record["files"], record["report"]
        if record["digest"] != _record_digest(files, report):
            return None, f"{folder / CHECKSUMS} does not match its digest"
        for name in OUTPUT_FILES:
            if sha256_file(folder / name) != files.get(name):
                return None, f"{folder / name} does not have the sha256 recorded when it was written"
    except (OSError, ValueError, KeyError, TypeError) as error:
        return None, f"{folder} cannot be verified ({error.__class__.__name__}: {error})"
    if report["source_file"] != display_name(landing.name):
        return None, ""
    return report, ""


def has_output(landing: LandingFile, ingest_dir: Path, sha256: str) -> bool:
    """Whether an output of this content under this parser version was completed (a stat, no reading:
    whoever reuses it verifies it first, see current_output)."""
    return (_output_folder(ingest_dir, landing, sha256) / CHECKSUMS).is_file()


def current_output(landing: LandingFile, ingest_dir: Path, sha256: str) -> IngestOutput | None:
    """The verified output of this file's content under this parser version, if one exists."""
    return _checked_output(landing, ingest_dir, sha256)[0]


def _checked_output(landing: LandingFile, ingest_dir: Path, sha256: str) -> tuple[IngestOutput | None, str]:
    folder = _output_folder(ingest_dir, landing, sha256)
    report, problem = _verified_report(folder, landing)
    return (IngestOutput(folder, report, reused=True) if report is not None else None), problem


def landing_fingerprints(files: list[LandingFile], ingest_dir: Path) -> dict[str, str]:
    """sha256 of every landing file by partition key. A file whose size and modification time match the
    index of the last scan is not read again, so a folder of thousands of unchanged files costs a stat each."""
    index_path = ingest_dir / LANDING_INDEX
    try:
        index = json.loads(index_path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        index = {}
    fresh = {}
    for f in files:
        known = index.get(f.partition_key)
        same = known is not None and known[:3] == [f.name, f.bytes, f.mtime_ns]
        fresh[f.partition_key] = known if same else [f.name, f.bytes, f.mtime_ns, sha256_file(f.path)]
    if fresh != index:
        write_json_atomic(index_path, fresh)
    return {key: entry[3] for key, entry in fresh.items()}


def ingest_file(landing: LandingFile, ingest_dir: Path, sha256: str | None = None) -> IngestOutput:
    """Parse one landing file into `<ingest_dir>/<partition key>/<sha16>-p<parser version>/`.

    Content-addressed: the same bytes under the same parser version are parsed once; a re-run reuses
    the folder after checking its files against their recorded sha256 (a damaged folder is parsed
    again). `sha256`, when the caller knows it, saves hashing the file; so does having no output of
    this parser version for the file, when nothing could be reused (the parse hashes what it reads).
    The folder is written under a temporary name and renamed when complete.
    """
    reused, problem = None, ""
    if sha256 or _has_outputs_of_this_version(ingest_dir / landing.partition_key):
        reused, problem = _checked_output(landing, ingest_dir, sha256 or sha256_file(landing.path))
    if reused is not None:
        return reused
    key_dir = ingest_dir / landing.partition_key
    key_dir.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=".tmp-", dir=key_dir))
    os.chmod(tmp, dir_mode())  # mkdtemp makes 0700; the output folder follows the umask like any other
    try:
        report, parsed_sha = _parse_to_folder(landing, tmp)
        _write_record(tmp, report)
        folder = _output_folder(ingest_dir, landing, parsed_sha)
        if folder.exists():
            shutil.rmtree(folder)  # damaged, or the same content parsed for a renamed file: replace
        os.rename(tmp, folder)
        fsync_path(key_dir)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    for stale in key_dir.iterdir():  # older content or parser versions of this file
        if stale != folder and not stale.name.startswith(".tmp-"):
            shutil.rmtree(stale, ignore_errors=True)
    return IngestOutput(folder, report, reused=False, rebuilt=problem)


def _has_outputs_of_this_version(key_dir: Path) -> bool:
    """Whether a file's folder holds any output folder of this parser version, complete or not."""
    try:
        with os.scandir(key_dir) as entries:
            return any(e.name.endswith(f"-p{PARSER_VERSION}") for e in entries)
    except (FileNotFoundError, NotADirectoryError):
        return False


def _parse_to_folder(landing: LandingFile, folder: Path) -> tuple[dict, str]:
    report = FileReport()
    rejects: list[Reject] = []
    source = display_name(landing.name)
    moved = FileReport()  # lines the control-character check moves, applied to `report` at the end
    with open(landing.path, "rb", buffering=0) as raw, _HashingRaw(raw) as hashing:
        stream = _LineCappedReader(hashing, buffer_size=1024 * 1024)
        records = (iter_records if landing.bytes >= BLOCK_PARSE_MIN_BYTES else iter_records_reference)(stream, report)

        def checked(batches):
            for batch in batches:
                yield _without_control_characters(batch, rejects, moved)

        if isinstance(records, RecordStream):  # parse here; convert, check, compress and write in a thread
            def batches_of(blocks):
                return checked(_rebatched(blocks, rejects, source))

            _write_in_background(folder / "sightings.parquet", records.blocks(), batches_of, SIGHTINGS_SCHEMA,
                                 SIGHTINGS_DICTIONARY)
        else:
            write_parquet_atomic(folder / "sightings.parquet", checked(_record_batches(records, rejects, source)),
                                 SIGHTINGS_SCHEMA, SIGHTINGS_DICTIONARY)
    for name in ("paper_lines", "duplicate_lines", "reject_lines", "papers"):
        setattr(report, name, getattr(report, name) + getattr(moved, name))
    for r in rejects:  # the readers kept a prefix of a long line: say how long it really was
        if r.line_number in hashing.long_lines and r.reason.startswith("line too long"):
            r.reason = f"line too long ({hashing.long_lines[r.line_number]:,} bytes) for a title or abstract"
    write_parquet_atomic(folder / "rejects.parquet", _rejects_table(rejects, source))
    row = _report_row(landing, report, hashing)
    write_parquet_atomic(folder / "report.parquet", pa.Table.from_pylist([row], schema=REPORT_SCHEMA))
    return row, row["sha256"]


def _rejects_table(rejects: list[Reject], source_file: str) -> pa.Table:
    rows = [{"source_file": source_file, "line_number": r.line_number, "line_count": r.line_count, "reason": r.reason,
             "raw": r.raw, "parser_version": PARSER_VERSION} for r in rejects]
    return pa.Table.from_pylist(rows, schema=REJECTS_SCHEMA)


def _report_row(landing: LandingFile, report: FileReport, hashing: _HashingRaw) -> dict:
    return {
        "source_file": display_name(landing.name),
        "partition_key": landing.partition_key,
        "sha256": hashing.digest.hexdigest(),
        "bytes": hashing.bytes,
        "mtime_ns": landing.mtime_ns,
        "encoding": report.encoding,
        "replaced_bytes": report.replaced_bytes,
        "legacy_lines": report.legacy_lines,
        "lines": report.lines,
        "paper_lines": report.paper_lines,
        "duplicate_lines": report.duplicate_lines,
        "blank_lines": report.blank_lines,
        "boilerplate_lines": report.boilerplate_lines,
        "reject_lines": report.reject_lines,
        "papers": report.papers,
        "binary": report.binary,
        "parser_version": PARSER_VERSION,
    }


CONTROL_CHARACTERS = r"[\x00-\x08\x0e-\x1b\x7f\x80-\x84\x86-\x9f]"  # C0/C1 controls that are not whitespace


def _without_control_characters(batch: pa.RecordBatch, rejects: list[Reject], moved: FileReport) -> pa.RecordBatch:
    """Sightings whose title or abstract holds a control character (a NUL, an escape...) become rejects
    of their two lines, with the reason; `moved` counts the lines the file's accounting moves to reject lines
    (kept apart from the parser's report, which the parsing thread is still filling)."""
    import pyarrow.compute as pc

    if not any(_may_hold_control_characters(batch.column(name)) for name in ("title", "abstract")):
        return batch
    bad = pc.or_(pc.match_substring_regex(batch.column("title"), CONTROL_CHARACTERS),
                 pc.match_substring_regex(batch.column("abstract"), CONTROL_CHARACTERS)).fill_null(False)
    if not pc.any(bad).as_py():
        return batch
    for row in batch.filter(bad).to_pylist():
        field = "title" if re.search(CONTROL_CHARACTERS, row["title"] or "") else "abstract"
        char = re.search(CONTROL_CHARACTERS, row[field]).group()
        reason = f"control character U+{ord(char):04X} in the {field}: not a clean paper record"
        rejects.append(Reject(row["source_line"], reason, row["title"].encode("unicode_escape").decode()[:200]))
        rejects.append(Reject(row["abstract_line"], reason, row["abstract"].encode("unicode_escape").decode()[:200]))
        moved.reject_lines += 2
        if row["duplicate"]:
            moved.duplicate_lines -= 2
        else:
            moved.paper_lines -= 2
            moved.papers -= 1
    return batch.filter(pc.invert(bad))


def _may_hold_control_characters(column: pa.Array) -> bool:
    """False when no value of a (large_)string column can hold a CONTROL_CHARACTERS character: its UTF-8
    bytes have no byte below 0x1C, no DEL and no C2 lead byte of U+0080-U+009F (but U+0085, which is
    whitespace). Looked at 256 KiB at a time with numpy reductions: a fraction of the regex's cost."""
    import numpy as np

    if column.null_count == len(column):
        return False
    offsets = np.frombuffer(column.buffers()[1], dtype=np.int64 if pa.types.is_large_string(column.type) else np.int32)
    data = np.frombuffer(column.buffers()[2], dtype=np.uint8)
    data = data[offsets[column.offset] : offsets[column.offset + len(column)]]
    step = 1 << 18
    for start in range(0, len(data), step):
        part = data[start : start + step]
        if part.min() < 0x1C or (part ^ 0x7F).min() == 0:
            return True
        if (part ^ 0xC2).min() == 0:
            after = data[np.minimum(np.flatnonzero(part == 0xC2) + start + 1, len(data) - 1)]
            if ((after >= 0x80) & (after < 0xA0) & (after != 0x85)).any():
                return True
    return False


def _record_batches(records, rejects: list[Reject], source_file: str):
    """Sightings of records that come one by one (the reference parser), in batches of BATCH_ROWS rows."""
    batch: list[Paper] = []
    for record in records:
        if isinstance(record, Reject):
            rejects.append(record)  # few per file: kept in memory
            continue
        batch.append(record)
        if len(batch) >= BATCH_ROWS:
            yield _sightings_batch(batch, source_file)
            batch = []
    yield _sightings_batch(batch, source_file)


def _sightings_batch(batch: list[Paper], source_file: str) -> pa.RecordBatch:
    return pa.RecordBatch.from_arrays(
        [
            pa.array([p.paper_id for p in batch], pa.string()),
            pa.array([p.title for p in batch], pa.large_string()),
            pa.array([p.abstract for p in batch], pa.large_string()),
            pa.array([source_file] * len(batch), pa.string()),
            pa.array([p.title_line for p in batch], pa.int64()),
            pa.array([p.abstract_line for p in batch], pa.int64()),
            pa.array([p.duplicate for p in batch], pa.bool_()),
        ],
        schema=SIGHTINGS_SCHEMA,
    )


def _block_frame(block: RecordBlock):
    """A block's sightings as a polars frame (the text stays the parser's polars columns)."""
    import polars as pl

    return pl.DataFrame(
        {
            "paper_id": pl.Series(block.paper_id, dtype=pl.String),
            "title": block.title,
            "abstract": block.abstract,
            "source_line": pl.Series(block.title_line, dtype=pl.Int64),
            "abstract_line": pl.Series(block.abstract_line, dtype=pl.Int64),
            "duplicate": pl.Series(block.duplicate, dtype=pl.Boolean),
        }
    )


def _frame_batch(frame, source_file: str) -> pa.RecordBatch:
    """One contiguous Arrow batch of SIGHTINGS_SCHEMA: polars joins the blocks' string views, and the
    text is copied once, into Arrow's large strings."""
    import polars as pl

    table = frame.rechunk().to_arrow(compat_level=pl.CompatLevel.oldest())
    table = table.add_column(3, "source_file", pa.repeat(source_file, len(frame)))
    return table.cast(SIGHTINGS_SCHEMA).combine_chunks().to_batches()[0]


def _rebatched(blocks, rejects: list[Reject], source_file: str):
    """Sightings of the blocks in batches of exactly BATCH_ROWS rows (the last one shorter), as the
    record-by-record path writes them; the rejects go to `rejects`."""
    import polars as pl

    pending, rows = [], 0
    for block in blocks:
        rejects.extend(block.rejects)  # few per file: kept in memory
        if not block.paper_id:
            continue
        pending.append(_block_frame(block))
        rows += len(block.paper_id)
        while rows >= BATCH_ROWS:
            frame = pl.concat(pending, rechunk=False)
            yield _frame_batch(frame.slice(0, BATCH_ROWS), source_file)
            pending, rows = [frame.slice(BATCH_ROWS)], rows - BATCH_ROWS
    if rows:
        yield _frame_batch(pl.concat(pending, rechunk=False), source_file)


_DONE = object()


def _write_in_background(path: Path, items, batches_of, schema: pa.Schema,
                         dictionary_columns: list[str]) -> None:
    """write_parquet_atomic(path, batches_of(items), schema, dictionary_columns), with the items (record
    blocks) produced here and everything after them in a second thread: converting them to batches and writing (polars
    and Arrow release the GIL while they convert, check, encode and compress); at most 2 items wait."""
    waiting: queue.Queue = queue.Queue(maxsize=2)
    failure: list[BaseException] = []

    def received():
        while (item := waiting.get()) is not _DONE:
            if isinstance(item, BaseException):
                raise item  # the producer failed: the writer drops its temporary file
            yield item

    def write() -> None:
        try:
            write_parquet_atomic(path, batches_of(received()), schema, dictionary_columns)
        except BaseException as error:  # reported to the producer below
            failure.append(error)

    def put(item) -> None:
        while writer.is_alive():
            try:
                waiting.put(item, timeout=0.1)
                return
            except queue.Full:
                continue

    writer = threading.Thread(target=write, name=f"write {path.name}", daemon=True)
    writer.start()
    try:
        for item in items:
            put(item)
            if failure:
                break
        put(_DONE)
    except BaseException as error:
        put(RuntimeError("parsing failed"))
        writer.join()
        raise error
    writer.join()
    if failure:
        raise failure[0]
