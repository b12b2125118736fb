"""Per-paper results computed once per paper content and step version, then only merged.

A paper step (claims, paper flags, taxonomy matches, paper metrics) is a function of a few text columns of
one paper. Its result rows are stored once per content hash of those columns under

    <cache>/<step>/<version>/bucket=<hh>/<sha256 of the file's content hashes>.parquet

one row per content (`content_hash`, `results`: the list of its result rows), and a corpus-wide table is
the papers joined with the stored rows, computing only the contents not stored yet. Files are immutable and
named by the contents they hold, so another machine computing the same contents writes the same file and a
cache can be filled elsewhere. `manifest.json` lists every file with its sha256; a file is read only when
its bytes match, and a damaged or missing file is dropped (logged) and its papers computed again. A bucket
holding more than MAX_FILES_PER_BUCKET files is compacted into one with only the current corpus's contents,
and the step's other versions are deleted, so the cache follows the corpus instead of growing forever.
One writer per step at a time (the assets run in the `warehouse` pool).
"""

from __future__ import annotations

import hashlib
import io
import json
import logging
import re
import shutil
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

import polars as pl

from assets.core.storage import write_json_atomic, write_verified_cache_parquet

MANIFEST = "manifest.json"
BUCKET_CHARS = 2  # a bucket per leading hex pair of the content hash: 256 buckets
MAX_FILES_PER_BUCKET = 8
RESULTS = "results"
_VERSION = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]*")

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class PaperStep:
    """A per-paper computation. `compute` gets one row per content to compute (`content_hash`, the
    `paper_id` of one paper with that content, the `content_columns`) and returns its result rows:
    `content_hash` plus the `result_schema` columns, each content's rows in their output order.
    `batch_rows`: papers are hashed and computed that many at a time, so `compute` gets at most that many
    rows at a time (its working memory follows the batch, and a lazily read corpus's texts too)."""

    name: str
    version: str
    content_columns: tuple[str, ...]
    result_schema: dict[str, pl.DataType]
    compute: Callable[[pl.DataFrame], pl.DataFrame]
    batch_rows: int | None = None


@dataclass(frozen=True)
class CacheStats:
    """How many papers of a run were computed and how many reused, and the cache files dropped."""

    step: str
    computed: int
    reused: int
    dropped: tuple[str, ...] = ()

    def summary(self) -> str:
        text = f"{self.step}: {self.computed} computed, {self.reused} reused"
        if self.dropped:
            text += f"; dropped cache files {', '.join(self.dropped)}, their papers recomputed"
        return text

    def log_to(self, logger) -> None:
        """The summary as info, or as a warning when damaged cache files were dropped."""
        (logger.warning if self.dropped else logger.info)(self.summary())


def empty_todo(content_columns: Sequence[str]) -> pl.DataFrame:
    """A `compute` input without rows: running a SQL step on it gives the step's result schema."""
    return pl.DataFrame(schema=dict.fromkeys(["content_hash", "paper_id", *content_columns], pl.String))


def entries_schema(step: PaperStep) -> dict[str, pl.DataType]:
    """A cache file's columns: one row per content, its result rows as a list."""
    return {"content_hash": pl.String, RESULTS: pl.List(pl.Struct(step.result_schema))}


def fingerprint(*parts: str | bytes) -> str:
    """Short sha256 of the parts (length-prefixed, so the split is part of the identity)."""
    digest = hashlib.sha256()
    for part in parts:
        data = part.encode() if isinstance(part, str) else part
        digest.update(f"{len(data)}:".encode() + data)
    return digest.hexdigest()[:16]


def _sha256_hex(values: pl.Series) -> pl.Series:
    """sha256 hex digest of each string's UTF-8 bytes (NULL stays NULL), vectorised by polars-hash
    (a quarter of DuckDB's `sha256` CPU on 1M abstracts, the same digests)."""
    import polars_hash as plh

    return values.alias("value").to_frame().select(plh.col("value").chash.sha2_256().alias("digest")).to_series()


def content_hashes(frame: pl.DataFrame, columns: Sequence[str]) -> pl.Series:
    """Per row: sha256 of `name=<sha256 of the value>` for each column, joined by ',' (`name=null` for
    NULL), so NULL, '' and a value moved between columns all hash differently."""
    digests = pl.DataFrame({name: _sha256_hex(frame.get_column(name).cast(pl.String)) for name in columns})
    keys = digests.select(pl.concat_str([pl.lit(f"{name}=") + pl.col(name).fill_null("null") for name in columns],
                                        separator=",").alias("key"))
    return _sha256_hex(keys.get_column("key")).alias("content_hash")


class _StepCache:
    """One step version's files: load the verified ones, add new contents, compact, collect garbage."""

    def __init__(self, cache_dir: Path, step: PaperStep):
        if not _VERSION.fullmatch(step.version):
            raise ValueError(f"{step.name}: version {step.version!r} must be a plain folder name")
        self.step_dir = cache_dir / step.name
        self.dir = self.step_dir / step.version
        self.schema = entries_schema(step)
        self.files: dict[str, dict] = {}
        self.dropped: list[str] = []
        self.read_buckets: set[str] | None = None  # None: every file was read

    def load(self, wanted: pl.Series | None = None) -> pl.DataFrame:
        """Entries of every listed file whose sha256 matches (the others are dropped from the manifest); given
        `wanted` content hashes, only the files of their buckets are read (the others stay listed, unread) and
        only their entries are decoded: a file's result lists are read when it holds a wanted content."""
        try:
            listed = json.loads((self.dir / MANIFEST).read_text(encoding="utf-8"))["files"]
        except FileNotFoundError:
            listed = {}
        except (ValueError, KeyError, TypeError) as err:
            log.warning(f"{self.dir / MANIFEST}: unreadable ({err}); every paper is computed again")
            listed = {}
        if wanted is not None:
            self.read_buckets = set(wanted.str.slice(0, BUCKET_CHARS).unique().to_list())
        frames = []
        for name, meta in sorted(listed.items()):
            if self.read_buckets is not None and _bucket(name) not in self.read_buckets:
                self.files[name] = meta
                continue
            frame, problem = self._read(name, meta, wanted)
            if problem:
                log.warning(f"{self.step_dir.name} cache: dropped {name} ({problem}); its "
                            f"{meta.get('contents', '?')} contents are computed again")
                self.dropped.append(name)
                continue
            self.files[name] = meta
            frames.append(frame)
        return _unique_entries(frames, self.schema)

    def _read(self, name: str, meta: dict, wanted: pl.Series | None = None) -> tuple[pl.DataFrame | None, str | None]:
        """The file's entries (the `wanted` ones only, when given), read from the very bytes whose sha256
        was checked, or the problem."""
        try:
            data = (self.dir / name).read_bytes()
        except OSError as err:
            return None, f"unreadable: {err.strerror}"
        if hashlib.sha256(data).hexdigest() != meta.get("sha256"):
            return None, "sha256 mismatch"
        if wanted is not None:  # most files of a small run hold none of its contents: their lists stay encoded
            try:
                hashes = pl.read_parquet(io.BytesIO(data), columns=["content_hash"]).get_column("content_hash")
            except pl.exceptions.PolarsError:
                return None, "unexpected schema"
            if not hashes.is_in(wanted.implode()).any():
                return pl.DataFrame(schema=self.schema), None
        frame = pl.read_parquet(io.BytesIO(data))
        if frame.schema != pl.Schema(self.schema):
            return None, "unexpected schema"
        return frame if wanted is None else frame.filter(pl.col("content_hash").is_in(wanted.implode())), None

    def add(self, contents: pl.Series, rows: pl.DataFrame, corpus: pl.Series | None) -> None:
        """Store the `contents` computed this run (`rows`: their result rows; a content without rows gets an
        empty list) in one file per bucket; compact crowded buckets to the `corpus` contents (to every stored
        content when the corpus is not known: a run over the changed papers only), then publish the manifest
        and delete unlisted files and other versions."""
        entries = _fold(contents, rows, self.schema)
        for bucket, at in _bucket_rows(contents).items():  # entries are in `contents` order
            self._write(bucket, entries.gather(at))
        del entries
        counts = Counter(_bucket(name) for name in self.files)
        crowded = sorted(bucket for bucket, files in counts.items() if files > MAX_FILES_PER_BUCKET)
        if self.read_buckets is not None:  # only the buckets this run verified can be compacted
            crowded = [bucket for bucket in crowded if bucket in self.read_buckets]
        for bucket in crowded:
            self._compact(bucket, corpus)
        if contents.len() or self.dropped or crowded:
            write_json_atomic(self.dir / MANIFEST, {"step": self.step_dir.name, "version": self.dir.name,
                                                    "files": self.files})
        self._collect_garbage()

    def _write(self, bucket: str, entries: pl.DataFrame) -> None:
        """One immutable file named by the sorted content hashes it holds."""
        entries = entries.sort("content_hash")
        contents = "\n".join(entries.get_column("content_hash")).encode()
        name = f"bucket={bucket}/{hashlib.sha256(contents).hexdigest()}.parquet"
        sha256 = write_verified_cache_parquet(self.dir / name, entries.to_arrow())
        self.files[name] = {"sha256": sha256, "contents": entries.height}

    def _compact(self, bucket: str, corpus: pl.Series | None) -> None:
        """Replace the bucket's files (verified by load, or written by this run) by one holding their
        entries of the `corpus` contents (all of them when None); none when no entry is left."""
        names = [n for n in self.files if _bucket(n) == bucket]
        frames = []
        for name in names:
            frame, problem = self._read(name, self.files.pop(name))
            if problem:
                self.dropped.append(name)
            else:
                frames.append(frame)
        entries = _unique_entries(frames, self.schema)
        if corpus is not None:
            entries = entries.filter(pl.col("content_hash").is_in(corpus.implode()))
        if entries.height:
            self._write(bucket, entries)

    def _collect_garbage(self) -> None:
        """Files the manifest does not list (compacted, dropped, or written by a run killed before its
        manifest) and the folders of other versions."""
        for path in self.dir.glob("bucket=*/*.parquet"):
            if path.relative_to(self.dir).as_posix() not in self.files:
                path.unlink(missing_ok=True)
        if self.step_dir.is_dir():
            for other in self.step_dir.iterdir():
                if other.is_dir() and other.name != self.dir.name:
                    shutil.rmtree(other)
                    log.info(f"{self.step_dir.name} cache: removed old version {other.name}")


def _bucket(name: str) -> str:
    """The bucket of a listed file name (bucket=<hh>/<name>.parquet)."""
    return name.split("/")[0].removeprefix("bucket=")


def _unique_entries(frames: list[pl.DataFrame], schema: dict) -> pl.DataFrame:
    """One entry per content of the files' entries (the first file listing it)."""
    if not frames:
        return pl.DataFrame(schema=schema)
    return pl.concat(frames).unique("content_hash", keep="first", maintain_order=True)


def _bucket_rows(hashes: pl.Series) -> dict[str, pl.Series]:
    """The row numbers of `hashes` by bucket, each in row order."""
    grouped = hashes.str.slice(0, BUCKET_CHARS).alias("bucket").to_frame().with_row_index("row") \
        .group_by("bucket").agg("row")
    return dict(zip(grouped.get_column("bucket").to_list(), grouped.get_column("row"), strict=True))


def _fold(contents: pl.Series, rows: pl.DataFrame, schema: dict) -> pl.DataFrame:
    """One entry per content: its rows (in their order) as a list, an empty list when it has none."""
    columns = [name for name in rows.columns if name != "content_hash"]
    grouped = rows.group_by("content_hash", maintain_order=True).agg(pl.struct(columns).alias(RESULTS))
    return (contents.alias("content_hash").to_frame()
            .join(grouped, on="content_hash", how="left", maintain_order="left")
            .with_columns(pl.col(RESULTS).fill_null(pl.lit([], dtype=schema[RESULTS]))))


def _slices(papers: pl.DataFrame | pl.LazyFrame, columns: Sequence[str],
            size: int | None) -> Iterator[pl.DataFrame]:
    """`paper_id` and `columns` of `papers`, `size` rows at a time (all at once when None; one empty slice
    when there are none). A LazyFrame is read a slice at a time: only one slice's texts are held."""
    frame = papers.select("paper_id", *columns)
    lazy = isinstance(frame, pl.LazyFrame)
    height = frame.select(pl.len()).collect().item() if lazy else frame.height
    size = size or max(height, 1)
    for start in range(0, max(height, 1), size):
        part = frame.slice(start, size)
        yield part.collect() if lazy else part


def _computed_rows(step: PaperStep, texts: pl.DataFrame, todo: pl.DataFrame) -> pl.DataFrame:
    """`compute` over the `todo` contents (`content_hash`, `_row`: the row of a paper of `texts` with that
    content, increasing), given as filtered `texts` rows (a filter shares the texts' bytes, a gather copies)."""
    given = (texts.with_row_index("_row").filter(pl.col("_row").is_in(todo.get_column("_row").implode()))
             .drop("_row").with_columns(todo.get_column("content_hash")))
    rows = step.compute(given).select("content_hash", *step.result_schema).cast(step.result_schema)
    if not rows.get_column("content_hash").is_in(todo.get_column("content_hash").implode()).all():
        raise ValueError(f"{step.name}: compute returned rows for contents it was not given")
    return rows


def _stored_rows(stored: pl.DataFrame) -> pl.DataFrame:
    """Stored entries as result rows (`content_hash` + the result columns, each content's in its order)."""
    return stored.filter(pl.col(RESULTS).list.len() > 0).explode(RESULTS).unnest(RESULTS)


def paper_rows(cache_dir: Path, step: PaperStep, papers: pl.DataFrame | pl.LazyFrame,
               whole_corpus: bool = True) -> tuple[pl.DataFrame, CacheStats]:
    """The step's rows for every paper (`paper_id` + result columns, in `papers` order and each paper's
    rows in their order), computing only contents that the cache does not hold for this version, `batch_rows`
    papers at a time (a LazyFrame is read that many rows at a time: at 1M papers the texts are ~1 GB, which
    the rows are built and stored without). `whole_corpus` False: `papers` are some papers only, so
    compaction keeps other contents."""
    columns = step.content_columns
    store = _StepCache(cache_dir, step)
    if whole_corpus:
        stored = store.load()
    else:  # some papers only: the buckets their contents fall in are read, only their entries decoded
        papers = papers.collect() if isinstance(papers, pl.LazyFrame) else papers
        stored = store.load(content_hashes(papers, columns).unique())
    seen = stored.get_column("content_hash").clone()  # stored or computed by an earlier slice
    keyed, todo, new, reused = [], [], [pl.DataFrame(schema={"content_hash": pl.String, **step.result_schema})], 0
    for texts in _slices(papers, columns, step.batch_rows):
        part = texts.select("paper_id", content_hashes(texts, columns))
        reused += int(part.get_column("content_hash").is_in(stored.get_column("content_hash").implode()).sum())
        fresh = (part.with_row_index("_row").filter(~pl.col("content_hash").is_in(seen.implode()))
                 .unique("content_hash", keep="first", maintain_order=True))
        if fresh.height:
            new.append(_computed_rows(step, texts, fresh))
            seen.append(fresh.get_column("content_hash"))
        todo.append(fresh.get_column("content_hash"))
        keyed.append(part)
    keyed, todo, new = pl.concat(keyed), pl.concat(todo), pl.concat(new)
    store.add(todo, new, keyed.get_column("content_hash").unique() if whole_corpus else None)
    results = pl.concat([_stored_rows(stored), new])
    del stored, new
    # each paper's rows in papers order, a content's rows in their order (left, then right order)
    rows = keyed.join(results, on="content_hash", how="inner", maintain_order="left_right") \
        .select("paper_id", *step.result_schema)
    return rows, CacheStats(step.name, keyed.height - reused, reused, tuple(store.dropped))
