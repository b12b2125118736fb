"""`python -m tools.bench_release`: what a release costs when a big corpus grows a little.

Publishes a synthetic papers-like table (N rows: ids, ~90-char titles, ~1,200-char abstracts, the
provenance columns of sql/papers.sql), then the same plus ``--added`` new papers and ``--edited``
revised abstracts, with the release writer alone (no Dagster). Reports per version: wall and CPU time, peak
RSS of the process so far, files listed, and the bytes the version added to ``published/`` (all files, shared
data included, measured on disk before and after) against the bytes its data files hold in total, which
is what a layout copying every file per version would add.

    python -m tools.bench_release --rows 1000000    # ~1 min; the 1M-row table is 1.4 GB, peak RSS ~2 GB
"""

from __future__ import annotations

import argparse
import json
import resource
import tempfile
import time
from pathlib import Path

import numpy as np
import pyarrow as pa

from assets.core.release_format import read_manifest
from assets.publish import buckets
from assets.publish.datasets import PROVENANCE_COLUMNS
from assets.publish.release import publish_release

_CHUNK_ROWS = 50_000


def synthetic_papers(ids: np.ndarray, seed: int) -> pa.Table:
    """Papers-like rows for the given integer ids; text from a fixed random vocabulary (repeatable)."""
    rng = np.random.default_rng(seed)
    vocab = np.array([f"w{i:x}" for i in range(20_000)] + ["model", "data", "speedup", "memory", "graph"])
    corpus = " ".join(rng.choice(vocab, 3_000_000).tolist())
    starts = rng.integers(0, len(corpus) - 1700, len(ids))
    lengths = rng.integers(800, 1600, len(ids))
    chunks = [
        pa.array([corpus[s : s + n] for s, n in zip(starts[i : i + _CHUNK_ROWS], lengths[i : i + _CHUNK_ROWS])])
        for i in range(0, len(ids), _CHUNK_ROWS)
    ]
    abstracts = pa.chunked_array(chunks, pa.string())
    n = len(ids)
    return pa.table({
        "paper_id": pa.array([f"{i:016x}" for i in ids.tolist()], pa.string()),
        "title": pa.compute.utf8_slice_codeunits(abstracts, 0, 90),
        "abstract": abstracts,
        "source_file": pa.array([f"dump_{i % 40}.txt" for i in range(n)], pa.string()),
        "source_line": pa.array(np.arange(n, dtype=np.int64) * 4 + 1),
        "sightings": pa.array(np.ones(n, dtype=np.int64)),
        "source_files": pa.array(np.ones(n, dtype=np.int64)),
        "parser_version": pa.array(["p1"] * n, pa.string()),
    })


def grown(base: pa.Table, added: int, edited: int, seed: int) -> pa.Table:
    """``base`` with ``edited`` abstracts revised (rows spread over the table) and ``added`` new papers."""
    abstracts = base.column("abstract").combine_chunks()
    rows = np.linspace(0, base.num_rows - 1, edited, dtype=np.int64)
    revised = pa.array([abstracts[int(i)].as_py() + " (revised)" for i in rows])
    mask = np.zeros(base.num_rows, dtype=bool)
    mask[rows] = True
    values = pa.compute.replace_with_mask(abstracts, pa.array(mask), revised)
    edited_table = base.set_column(base.schema.get_field_index("abstract"), "abstract", values)
    new_ids = np.arange(2**62, 2**62 + added, dtype=np.int64)  # never among the base ids
    return pa.concat_tables([edited_table, synthetic_papers(new_ids, seed)])


def disk_bytes(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())


def _cpu_s() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def publish_and_measure(pub: Path, table: pa.Table) -> dict:
    before = disk_bytes(pub) if pub.exists() else 0
    cpu = _cpu_s()
    started = time.perf_counter()
    result = publish_release(
        pub, {"papers": table}, keys={"papers": ["paper_id"]}, provenance_columns=PROVENANCE_COLUMNS,
        inputs=[], validation={}, code_version="bench", parser_version="p1", keep=10,
    )
    wall = time.perf_counter() - started
    cpu = _cpu_s() - cpu
    files = read_manifest(result.path)["datasets"]["papers"]["files"]
    return {
        "version": result.version, "changes": result.changes["papers"], "wall_s": round(wall, 1),
        "cpu_s": round(cpu, 1),
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
        "files": len(files), "data_mb": round(sum(f["bytes"] for f in files) / 1e6, 1),
        "added_mb": round((disk_bytes(pub) - before) / 1e6, 1),
        "phases_s": {k: round(v, 1) for k, v in result.timings.items()},
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--added", type=int, default=210)
    parser.add_argument("--edited", type=int, default=5)
    parser.add_argument("--bucket-mb", type=float, help="override TARGET_BUCKET_BYTES (MiB of values per bucket)")
    parser.add_argument("--out", type=Path, help="published folder to use (default: a temporary one)")
    args = parser.parse_args(argv)
    if args.bucket_mb:
        buckets.TARGET_BUCKET_BYTES = int(args.bucket_mb * 1024 * 1024)
    with tempfile.TemporaryDirectory(prefix="bench-release-") as scratch:
        pub = args.out or Path(scratch) / "published"
        base = synthetic_papers(np.random.default_rng(0).permutation(args.rows * 2)[: args.rows], seed=0)
        first = publish_and_measure(pub, base)
        bigger = grown(base, args.added, args.edited, seed=1)
        del base  # the process holds one version of the table while it publishes
        second = publish_and_measure(pub, bigger)
    expected = {"added": args.added, "updated": args.edited, "removed": 0}
    assert second["changes"] == expected, (second["changes"], expected)
    report = {"rows": args.rows, "target_bucket_mib": buckets.TARGET_BUCKET_BYTES / 2**20}
    report.update(first=first, second=second)
    print(json.dumps(report, indent=2))
    for label, run in (("first release", first), (f"+{args.added} papers, {args.edited} edited", second)):
        print(
            f"{args.rows:,} rows, {label}: {run['wall_s']} s wall, {run['cpu_s']} s CPU, {run['files']} files, "
            f"added {run['added_mb']} MB to published/ for {run['data_mb']} MB of data"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
