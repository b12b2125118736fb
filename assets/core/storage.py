"""Atomic file output shared by the stages: a reader sees the old file or the new one, never a part."""

from __future__ import annotations

import hashlib
import json
import os
import re
import signal
import tempfile
import time
from collections.abc import Iterable
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

ROW_GROUP_ROWS = 128 * 1024
CRASH_ENV = "PAPERS_CRASH_AT"  # test hook: SIGKILL ourselves at the named point, see crash_point


def crash_point(name: str) -> None:
    """Test hook: a real SIGKILL when PAPERS_CRASH_AT names this point. Points: `<file name>` (e.g.
    `topics.parquet`: its temp file is complete, not yet renamed) and `papers.duckdb` (the new
    database file is built, not yet swapped in)."""
    if os.environ.get(CRASH_ENV) == name:
        os.kill(os.getpid(), signal.SIGKILL)


def _proc_stat(pid: int) -> list[str] | None:
    """Fields of /proc/<pid>/stat after the command name (state first); None when there is no such
    process, [] where /proc is not available."""
    try:
        text = Path(f"/proc/{pid}/stat").read_text()
    except FileNotFoundError:
        return None if Path("/proc/self/stat").exists() else []
    except OSError:
        return []
    return text.rsplit(")", 1)[-1].split()


def pid_alive(pid: int) -> bool:
    """Whether `pid` is a running process: a zombie (killed, never reaped by its parent) is not."""
    fields = _proc_stat(pid)
    if fields is None:
        return False
    if fields and fields[0] in ("Z", "X"):
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def process_start(pid: int) -> str:
    """Who `pid` is: the boot id and the process's start time in clock ticks since boot (a reused pid,
    e.g. in a restarted container, has another); "" where /proc does not say."""
    fields = _proc_stat(pid)
    if not fields or len(fields) < 20:
        return ""
    try:
        boot = Path("/proc/sys/kernel/random/boot_id").read_text().strip()
    except OSError:
        boot = ""
    return f"{boot}:{fields[19]}"


def remove_dead_writers_files(folder: Path, pattern: re.Pattern[str], target: str | None = None) -> None:
    """Delete files in `folder` whose name matches `pattern` (group "pid": the writer; group "target", when
    `target` is given, must equal it) and whose writer process is gone: debris of a killed run. Files of
    live writers are left alone."""
    try:
        entries = list(os.scandir(folder))
    except FileNotFoundError:
        return
    for entry in entries:
        match = pattern.fullmatch(entry.name)
        if match and target is not None and match["target"] != target:
            continue
        if match and not pid_alive(int(match["pid"])) and entry.is_file(follow_symlinks=False):
            Path(entry.path).unlink(missing_ok=True)


def fsync_path(path: Path) -> None:
    """fsync a file or a folder (a folder's fsync makes a rename in it durable)."""
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)



def sha256_file(path: Path) -> str:
    """Hex sha256 of a file's bytes, read in 4 MiB blocks. Remembered for the process while the file's
    identity and change time stay the same (several steps of a run hash the same 250 MB `papers` file)."""
    started, before = time.time_ns(), os.stat(path)
    known = _DIGESTS.get(file_version(before))
    if known is not None:
        return known
    digest = hashlib.sha256()
    with open(path, "rb") as stream:
        for block in iter(lambda: stream.read(4 * 1024 * 1024), b""):
            digest.update(block)
    after = os.stat(path)
    # a write changes ctime, but within the clock's tick a write right after the last one may not: only a
    # file unchanged for a second before it was hashed is remembered
    if file_version(after) == file_version(before) and started - after.st_ctime_ns > _SETTLED_NS:
        if len(_DIGESTS) >= _REMEMBERED:  # a long-lived process (the daemon) forgets, not grows
            _DIGESTS.clear()
        _DIGESTS[file_version(after)] = digest.hexdigest()
    return digest.hexdigest()


_DIGESTS: dict[tuple, str] = {}
_SETTLED_NS = 1_000_000_000
_REMEMBERED = 20_000


def file_version(stat: os.stat_result) -> tuple:
    """What identifies one version of a file's bytes to this process: any write, truncation or rename changes it."""
    return stat.st_dev, stat.st_ino, stat.st_size, stat.st_mtime_ns, stat.st_ctime_ns


def _umask() -> int:
    """The process umask, read without changing it (Linux /proc), else by the set-and-restore idiom."""
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("Umask:"):
                    return int(line.split()[1], 8)
    except OSError:
        pass
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def file_mode() -> int:
    """The mode a plainly created file gets (0666 minus the umask): outputs follow the user's umask."""
    return 0o666 & ~_umask()


def dir_mode() -> int:
    """The mode a plainly created folder gets (0777 minus the umask)."""
    return 0o777 & ~_umask()


# the temp files of every target: a pattern compiled per target name cost ~0.4 ms a written file
_TEMP_NAME = re.compile(r"\.(?P<target>.+)\.(?P<pid>\d+)\.[^.]+\.tmp")


def _temp_path(path: Path) -> Path:
    """`.<name>.<pid>.<random>.tmp` beside `path` (hidden, never `*.parquet`, so no glob reads it);
    leftovers of killed writers of the same file are removed first."""
    path.parent.mkdir(parents=True, exist_ok=True)
    remove_dead_writers_files(path.parent, _TEMP_NAME, target=path.name)
    fd, name = tempfile.mkstemp(prefix=f".{path.name}.{os.getpid()}.", suffix=".tmp", dir=path.parent)
    os.fchmod(fd, file_mode())  # mkstemp makes 0600; the file becomes what a plain open() would create
    os.close(fd)
    return Path(name)


def sha256_or_none(path: Path) -> str | None:
    """sha256_file of `path`, None when there is no such file (nothing written there yet)."""
    return sha256_file(path) if path.is_file() else None


def write_parquet_atomic(
    path: Path, batches: Iterable[pa.RecordBatch] | pa.Table, schema: pa.Schema | None = None,
    dictionary_columns: list[str] | None = None,
) -> int:
    """Write batches (streamed, bounded memory) or a table to `path` as zstd Parquet; returns rows.
    `dictionary_columns`: the only columns to dictionary-encode (default: all, as pyarrow does)."""
    if isinstance(batches, pa.Table):
        schema = batches.schema
        batches = batches.to_batches(max_chunksize=ROW_GROUP_ROWS)
    if schema is None:
        raise ValueError("a schema is needed to write an iterator of batches")
    tmp = _temp_path(path)
    try:
        rows = _write_parquet(tmp, batches, schema, dictionary_columns)
        with open(tmp, "rb+") as handle:
            os.fsync(handle.fileno())
        crash_point(path.name)
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return rows


def _write_parquet(sink, batches: Iterable[pa.RecordBatch], schema: pa.Schema,
                   dictionary_columns: list[str] | None) -> int:
    rows = 0
    use_dictionary = True if dictionary_columns is None else dictionary_columns
    with pq.ParquetWriter(sink, schema, compression="zstd", use_dictionary=use_dictionary) as writer:
        for batch in batches:
            if batch.num_rows:
                writer.write_batch(batch, row_group_size=ROW_GROUP_ROWS)
                rows += batch.num_rows
    return rows


def write_verified_cache_parquet(path: Path, table: pa.Table) -> str:
    """write_parquet_atomic's bytes for a cache file whose sha256 is checked whenever it is read (the paper
    cache, the topic score files); returns that sha256. The bytes are made and hashed in memory (no second
    read) and renamed into place without an fsync: a file a power cut loses fails its check and is computed
    again, while the fsyncs were most of a small run's writing time (~580 files in the sample run)."""
    buffer = pa.BufferOutputStream()
    _write_parquet(buffer, table.to_batches(max_chunksize=ROW_GROUP_ROWS), table.schema, None)
    data = buffer.getvalue()
    tmp = _temp_path(path)
    try:
        with open(tmp, "wb") as handle:
            handle.write(data)
        crash_point(path.name)
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return hashlib.sha256(data).hexdigest()


def write_text_atomic(path: Path, text: str) -> None:
    tmp = _temp_path(path)
    try:
        with open(tmp, "w", encoding="utf-8") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
        fsync_path(path.parent)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def write_json_atomic(path: Path, value: object) -> None:
    write_text_atomic(path, json.dumps(value, indent=2, sort_keys=True, default=str) + "\n")
