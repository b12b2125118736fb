"""The topic stage's own record of its fits: each fit's topic vectors (topic_terms), keyed by the corpus
it was fitted on, so the next fit on a different corpus keeps the topic ids of the last one."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from assets.core.storage import write_json_atomic, write_parquet_atomic

HISTORY = "fits.json"
KEEP_FITS = 5


def corpus_key(input_sha256s: list[str]) -> str:
    """Identity of a corpus: its landing files' contents, in any order."""
    return hashlib.sha256("\n".join(sorted(input_sha256s)).encode()).hexdigest()[:16]


def _history(folder: Path) -> list[str]:
    try:
        return json.loads((folder / HISTORY).read_text(encoding="utf-8"))["fits"]
    except FileNotFoundError:
        return []


def baseline_topic_terms(folder: Path, corpus: str) -> pa.Table | None:
    """topic_terms of the latest fit on a different corpus (a re-run on the same corpus reproduces the
    lineage it had), or None when there is none: topics then start a new lineage."""
    for key in reversed(_history(folder)):
        path = folder / f"{key}.parquet"
        if key != corpus and path.is_file():
            return pq.read_table(path)
    return None


def record_fit(folder: Path, corpus: str, topic_terms: Path) -> None:
    """Remember this fit's topic_terms under its corpus; the newest KEEP_FITS are kept."""
    write_parquet_atomic(folder / f"{corpus}.parquet", pq.read_table(topic_terms))
    fits = [key for key in _history(folder) if key != corpus] + [corpus]
    write_json_atomic(folder / HISTORY, {"fits": fits[-KEEP_FITS:]})
    for stale in fits[:-KEEP_FITS]:
        (folder / f"{stale}.parquet").unlink(missing_ok=True)
