"""The topic stage's fitted model, kept between runs as a versioned artifact, and the per-paper scores under it,
so that a refresh scores only the papers the model has not seen. Layout under warehouse/topic_model/::

    current.json                      {"model_id", "model_json_sha256", "previous_model_ids"}; written last
    decision.json                     what the last run did and why (assets/topics/lifecycle.py)
    <model_id>/model.json             fit facts, settings fingerprint, tokenizer pattern, sha256 of each table
    <model_id>/<table>.parquet        vocabulary, topic_vectors, topic_labels, lineage
    <model_id>/scores/manifest.json   sha256 and rows of each score file
    <model_id>/scores/<hh>.parquet    topic memberships by paper content hash; hh = the hash's first two digits
    <model_id>/scores/add-<id>.parquet  the memberships of the texts one refresh scored (any bucket)

Every file is written atomically and verified against its sha256 before it is used: a model that fails is not
used (the stage refits), a score file that fails is dropped (its papers are scored again). A fit writes the
buckets; a refresh writes one additions file with the texts it scored (and rewrites only the files holding
texts that left the corpus), so its cost follows the new papers; once the additions grow past MAX_ADDITIONS
files or MAX_ADDITIONS_SHARE of the rows, a refresh moves them into their buckets (compaction).
"""

from __future__ import annotations

import hashlib
import json
import re
import shutil
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq

from assets.core.storage import sha256_file, write_json_atomic, write_parquet_atomic, write_verified_cache_parquet
from assets.topics.model import TopicModel

FORMAT = "papers-topic-model/1"
CURRENT = "current.json"
DECISION = "decision.json"
MODEL_JSON = "model.json"
SCORES = "scores"
SCORE_MANIFEST = "manifest.json"
# file name -> TopicModel attribute (names unlike the stage's tables, so crash points stay unambiguous)
MODEL_TABLES = {"vocabulary": "vocabulary", "topic_vectors": "topic_terms", "topic_labels": "topics",
                "lineage": "lineage"}
KEEP_MODELS = 3  # the current model and the two before it (their topic vectors, for audit)
NO_MODEL = "no model yet"
MODEL_ID = re.compile(r"[0-9a-f]{16}")
ADDITIONS_PREFIX = "add-"
MAX_ADDITIONS = 16
MAX_ADDITIONS_SHARE = 0.05
SCORE_SCHEMA = pa.schema([("content_hash", pa.string()), ("topic_id", pa.int32()), ("score", pa.float64()),
                          ("is_primary", pa.bool_()), ("at_fit", pa.bool_())])


@dataclass(frozen=True)
class StoredModel:
    model_id: str
    folder: Path
    info: dict  # model.json
    model: TopicModel

    @property
    def scores(self) -> Path:
        return self.folder / SCORES


def model_id_of(model: TopicModel, fingerprint: str) -> str:
    """Content address of a model: a refit that reproduces the same model keeps its id."""
    content = {name: getattr(model, attr).to_pydict() for name, attr in MODEL_TABLES.items()}
    content |= {"break_pattern": model.break_pattern, "fingerprint": fingerprint}
    return hashlib.sha256(json.dumps(content, sort_keys=True, default=str).encode()).hexdigest()[:16]


def save_model(root: Path, model: TopicModel, info: dict) -> StoredModel:
    """Write the model's tables, then model.json with their sha256 (the pointer is separate: point_current)."""
    folder = root / info["model_id"]
    files = {}
    for name, attr in MODEL_TABLES.items():
        path = folder / f"{name}.parquet"
        rows = write_parquet_atomic(path, getattr(model, attr))
        files[name] = {"sha256": sha256_file(path), "bytes": path.stat().st_size, "rows": rows}
    info = {**info, "format": FORMAT, "break_pattern": model.break_pattern, "files": files}
    write_json_atomic(folder / MODEL_JSON, info)
    return StoredModel(info["model_id"], folder, info, model)


def point_current(root: Path, stored: StoredModel) -> None:
    """Make `stored` the current model (atomic), keeping the KEEP_MODELS newest model folders."""
    pointer = _read_pointer(root) or {}
    older = [pointer.get("model_id"), *pointer.get("previous_model_ids", [])]
    kept = [stored.model_id, *[m for m in older if m and m != stored.model_id]][:KEEP_MODELS]
    write_json_atomic(root / CURRENT, {"model_id": stored.model_id, "previous_model_ids": kept[1:],
                                       "model_json_sha256": sha256_file(stored.folder / MODEL_JSON)})
    for child in root.iterdir():
        if child.is_dir() and MODEL_ID.fullmatch(child.name) and child.name not in kept:
            shutil.rmtree(child)


def _read_pointer(root: Path) -> dict | None:
    try:
        return json.loads((root / CURRENT).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def load_current(root: Path) -> tuple[StoredModel | None, str | None, pa.Table | None]:
    """(the current model, None) when every file verifies; else (None, the problem, the model's topic_terms if
    that file alone verifies: the lineage baseline of the refit)."""
    try:
        pointer = json.loads((root / CURRENT).read_text(encoding="utf-8"))
        model_id = pointer["model_id"]
    except FileNotFoundError:
        return None, NO_MODEL, None
    except (OSError, ValueError, KeyError, TypeError) as error:
        return None, f"{CURRENT} unreadable: {error}", None
    folder = root / str(model_id)
    json_path = folder / MODEL_JSON
    if not MODEL_ID.fullmatch(str(model_id)) or not json_path.is_file():
        return None, f"model {model_id}: {MODEL_JSON} missing", None
    if sha256_file(json_path) != pointer.get("model_json_sha256"):
        return None, f"model {model_id}: {MODEL_JSON} does not match its sha256 in {CURRENT}", None
    info = json.loads(json_path.read_text(encoding="utf-8"))
    tables, problems = {}, []
    for name in MODEL_TABLES:
        path = folder / f"{name}.parquet"
        if not path.is_file():
            problems.append(f"{name}.parquet missing")
        elif sha256_file(path) != info["files"][name]["sha256"]:
            problems.append(f"{name}.parquet does not match its sha256")
        else:
            tables[name] = pq.read_table(path)
    if problems:
        return None, f"model {model_id}: " + "; ".join(problems), tables.get("topic_vectors")
    model = TopicModel(**{attr: tables[name] for name, attr in MODEL_TABLES.items()},
                       break_pattern=info["break_pattern"])
    return StoredModel(model_id, folder, info, model), None, None


def write_decision(root: Path, decision: dict) -> None:
    write_json_atomic(root / DECISION, decision)


def release_summary(root: Path) -> dict | None:
    """What the last topic run decided, in the few fields a release manifest carries (None before any)."""
    try:
        decision = json.loads((root / DECISION).read_text(encoding="utf-8"))
    except FileNotFoundError:
        return None
    model = decision["model"]
    return {"action": decision["action"], "reasons": [r["detail"] for r in decision["reasons"]],
            "model_id": model["model_id"], "fit_date": model["fit_date"], "fit_papers": model["fit_papers"],
            "corpus_papers_at_fit": model["corpus_papers"], "topics": model["topics"],
            "papers_scored": decision["papers_scored"], "papers_reused": decision["papers_reused"],
            "added_share": decision["added_share"], "weak_share": decision["weak_share"]}


# ---------------------------------------------------------------- score cache

def verified_score_files(scores: Path) -> tuple[dict[str, dict], list[str]]:
    """Manifest entries (by file stem) of the score files that match their sha256, and the problems found."""
    try:
        manifest = json.loads((scores / SCORE_MANIFEST).read_text(encoding="utf-8"))
        entries = manifest["files"] if "files" in manifest else manifest["buckets"]  # "buckets": before additions
    except FileNotFoundError:
        return {}, [f"{SCORES}/{SCORE_MANIFEST} missing"]
    except (OSError, ValueError, KeyError, TypeError) as error:
        return {}, [f"{SCORES}/{SCORE_MANIFEST} unreadable: {error}"]
    kept, problems = {}, []
    for stem, entry in sorted(entries.items()):
        path = score_path(scores, stem)
        kind = "score additions" if stem.startswith(ADDITIONS_PREFIX) else "score bucket"
        if not path.is_file():
            problems.append(f"{kind} {stem} missing")
        elif sha256_file(path) != entry.get("sha256"):
            problems.append(f"{kind} {stem} does not match its sha256")
        else:
            kept[stem] = entry
    return kept, problems


def score_path(scores: Path, stem: str) -> Path:
    return scores / f"{stem}.parquet"


def additions_name(content_hashes: list[str]) -> str:
    """The stem of a run's additions file, named by the texts it holds (a rerun writes the same name)."""
    return ADDITIONS_PREFIX + hashlib.sha256("\n".join(sorted(content_hashes)).encode()).hexdigest()[:16]


def needs_compaction(kept: dict[str, dict], new_rows: int) -> bool:
    """Whether this run moves the additions into their buckets: more than MAX_ADDITIONS additions files, or
    additions holding more than MAX_ADDITIONS_SHARE of the rows."""
    additions = [e["rows"] for stem, e in kept.items() if stem.startswith(ADDITIONS_PREFIX)] + [new_rows]
    total = sum(e["rows"] for e in kept.values()) + new_rows
    return len([n for n in additions if n]) > MAX_ADDITIONS or sum(additions) > MAX_ADDITIONS_SHARE * total


def split_files(rows: pa.Table, files: list[str]) -> dict[str, pa.Table]:
    """Each file's rows of `rows` (sorted by `file`); an empty table for a file left without rows."""
    names = np.asarray(rows["file"].to_numpy(zero_copy_only=False), dtype=str)
    out = {}
    for stem in files:
        start, stop = np.searchsorted(names, stem, "left"), np.searchsorted(names, stem, "right")
        out[stem] = rows.slice(start, stop - start).select(SCORE_SCHEMA.names).cast(SCORE_SCHEMA)
    return out


def write_score_files(scores: Path, files: dict[str, pa.Table], kept: dict[str, dict]) -> None:
    """Write each file (an empty one is dropped), then the manifest listing them and the `kept` entries
    (atomically, last), then remove score files the manifest does not list (damaged, emptied or moved)."""
    entries = {stem: e for stem, e in kept.items() if stem not in files}
    for stem, table in sorted(files.items()):
        if table.num_rows:
            entries[stem] = {"sha256": write_verified_cache_parquet(score_path(scores, stem), table),
                             "rows": table.num_rows}
    write_json_atomic(scores / SCORE_MANIFEST, {"format": FORMAT, "files": dict(sorted(entries.items()))})
    for path in scores.glob("*.parquet"):
        if path.stem not in entries:
            path.unlink()
