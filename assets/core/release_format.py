"""The release format, for every reader of `published/` (stages, tools, tests): the pointer, the
manifests, the versions and their verification. The writer lives in assets/publish.

Layout under ``published_dir``::

    latest.json                          {"version": "1.2.0"}  (written last, atomically)
    CHANGELOG.md                         newest first (written atomically)
    pins.txt                             optional, one version per line; pinned versions are never deleted
    data/<dataset>/<sha256>.parquet      shared by every release that holds exactly those rows
    <version>/manifest.json              lists the data files of each dataset (paths relative to published_dir)
    <version>/diffs/<dataset>.parquet

Releases of the first format (``papers-release/1``) keep their data inside the release folder, as
``<version>/<dataset>/part-<n>.parquet``, and their manifest's paths are relative to that folder.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path

import pyarrow.parquet as pq

from assets.core.storage import sha256_file

FORMAT = "papers-release/2"
FOLDER_RELATIVE_FORMAT = "papers-release/1"  # paths relative to the release folder, data inside it
DATA = "data"  # the shared, content-addressed data files
LATEST = "latest.json"
CHANGELOG = "CHANGELOG.md"
PINS = "pins.txt"
MANIFEST = "manifest.json"
LOCK = ".publish.lock"
TMP_PREFIX = ".tmp-"
DIFFS = "diffs"
DIGESTS = "digests"  # inside a release folder: each dataset's unit hashes (assets/publish/content_hash.py)

VERSION_RE = re.compile(r"^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)$")


def parse_version(version: str) -> tuple[int, int, int]:
    m = VERSION_RE.match(version)
    if not m:
        raise ValueError(f"not a MAJOR.MINOR.PATCH version: {version!r}")
    return int(m[1]), int(m[2]), int(m[3])


def format_version(v: tuple[int, int, int]) -> str:
    return f"{v[0]}.{v[1]}.{v[2]}"


def latest_version(published_dir: Path) -> str | None:
    """Version named by ``published_dir/latest.json``, or None when nothing was published yet."""
    path = Path(published_dir) / LATEST
    try:
        version = json.loads(path.read_text(encoding="utf-8"))["version"]
    except FileNotFoundError:
        return None
    parse_version(version)
    return version


def release_dir(published_dir: Path, version: str | None = None) -> Path:
    """Folder of ``version`` (the latest release if None). Raises FileNotFoundError if absent."""
    published_dir = Path(published_dir)
    if version is None:
        version = latest_version(published_dir)
        if version is None:
            raise FileNotFoundError(f"no release published in {published_dir}")
    parse_version(version)
    path = published_dir / version
    if not (path / MANIFEST).is_file():
        raise FileNotFoundError(f"release {version} not found in {published_dir}")
    return path


def read_manifest(release: Path) -> dict:
    return json.loads((Path(release) / MANIFEST).read_text(encoding="utf-8"))


def list_versions(published_dir: Path) -> list[str]:
    """Complete release folders (a manifest present), oldest first by semantic version."""
    published_dir = Path(published_dir)
    if not published_dir.is_dir():
        return []
    out = [
        p.name
        for p in published_dir.iterdir()
        if VERSION_RE.match(p.name) and p.is_dir() and (p / MANIFEST).is_file()
    ]
    return sorted(out, key=parse_version)


def read_pins(published_dir: Path) -> set[str]:
    path = Path(published_dir) / PINS
    if not path.is_file():
        return set()
    pins = set()
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.split("#", 1)[0].strip()
        if line:
            pins.add(line)
    return pins


def manifest_files(manifest: dict) -> list[dict]:
    files = []
    for ds in manifest.get("datasets", {}).values():
        files.extend(ds.get("files", []))
    files.extend(manifest.get("diffs", {}).values())
    files.extend(manifest.get(DIGESTS, {}).values())
    return files


def manifest_base(release: Path, manifest: dict) -> Path:
    """The folder a manifest's paths are relative to: ``published_dir`` (the release folder's parent), or
    the release folder itself for a release of the first format."""
    return Path(release) if manifest.get("format") == FOLDER_RELATIVE_FORMAT else Path(release).parent


def dataset_files(release: Path, dataset: str, manifest: dict | None = None) -> list[Path]:
    """The Parquet files of ``dataset`` in ``release`` (a release folder), in manifest order."""
    manifest = manifest if manifest is not None else read_manifest(release)
    base = manifest_base(release, manifest)
    return [base / f["path"] for f in manifest["datasets"][dataset]["files"]]


def verify_release(release_dir: Path, sha256: Callable[[Path], str] = sha256_file) -> list[str]:
    """Problems found in a release; empty when every file its manifest lists (wherever it lives) exists
    with the manifest's bytes and sha256, shared data files are named by their sha256, row counts match,
    and the release folder holds no unlisted file. ``sha256``: how a file's digest is computed (the
    publisher passes one that remembers the files it hashed in the same step)."""
    release_dir = Path(release_dir)
    try:
        manifest = read_manifest(release_dir)
    except FileNotFoundError:
        return [f"{release_dir}: {MANIFEST} missing"]
    except (OSError, ValueError) as exc:
        return [f"{release_dir}: {MANIFEST} unreadable: {exc}"]
    problems: list[str] = []
    if VERSION_RE.match(release_dir.name) and manifest.get("version") != release_dir.name:
        problems.append(f"manifest version {manifest.get('version')!r} != folder {release_dir.name!r}")
    base = manifest_base(release_dir, manifest)
    root = base.resolve()
    listed: set[Path] = set()
    for entry in manifest_files(manifest):
        rel = entry.get("path", "")
        path = (base / rel).resolve()
        listed.add(path)
        if Path(rel).is_absolute() or root not in path.parents:
            problems.append(f"{rel}: path escapes {root}")
            continue
        content_addressed = base != release_dir and rel.startswith(f"{DATA}/")
        problems.extend(_file_problems(rel, path, entry, content_addressed, sha256))
    for name, ds in manifest.get("datasets", {}).items():
        total = sum(f.get("rows", 0) for f in ds.get("files", []))
        if total != ds.get("rows"):
            problems.append(f"{name}: files hold {total} rows, manifest says {ds.get('rows')}")
    for path in sorted(release_dir.rglob("*")):
        if path.is_file() and path != release_dir / MANIFEST and path.resolve() not in listed:
            problems.append(f"{path.relative_to(release_dir).as_posix()}: not listed in the manifest")
    return problems


def _file_problems(rel: str, path: Path, entry: dict, content_addressed: bool, sha256: Callable[[Path], str]
                   ) -> list[str]:
    if not path.is_file():
        return [f"{rel}: missing"]
    size = path.stat().st_size
    if size != entry.get("bytes"):
        return [f"{rel}: {size} bytes, manifest says {entry.get('bytes')}"]
    if sha256(path) != entry.get("sha256"):
        return [f"{rel}: sha256 mismatch"]
    if content_addressed and path.name != f"{entry.get('sha256')}.parquet":
        return [f"{rel}: a shared data file must be named by its sha256"]
    if "rows" in entry:
        try:
            rows = pq.ParquetFile(path).metadata.num_rows
        except Exception as exc:  # noqa: BLE001 - report, don't raise
            return [f"{rel}: unreadable parquet: {exc}"]
        if rows != entry["rows"]:
            return [f"{rel}: {rows} rows, manifest says {entry['rows']}"]
    return []
