"""Object storage for the landing and warehouse locations (`s3://bucket/prefix`), through obstore.

Stage code works on local paths only. A run against object storage works on a local scratch copy:
`mirror_down` brings the objects it needs there, each verified by size and sha256 against the index the
previous push left (`.state.json`) and fetched again when it does not match; `mirror_up` pushes back the
files that changed in publishing order: release data files, then manifests, then the rest of the state,
then `published/latest.json` alone (one PUT, atomic); only then are objects deleted that no longer exist
locally, and the index is written last. A reader following `latest.json` never sees a partial release.

The store is configured by the standard AWS variables (AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY,
AWS_REGION, AWS_ENDPOINT_URL for S3-compatible stores).
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import tempfile
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

from assets.core.release_format import MANIFEST, VERSION_RE
from assets.core.storage import crash_point, sha256_file

SCHEMES = ("s3",)
INDEX = ".state.json"  # relpath -> {sha256, size, e_tag} of every object the last push left
_URL = re.compile(r"^(?P<scheme>[A-Za-z][A-Za-z0-9+.-]*)://(?P<rest>.*)$")


class UnsupportedLocation(ValueError):
    """A location whose scheme this pipeline cannot read or write."""


@dataclass(frozen=True)
class RemoteLocation:
    scheme: str
    bucket: str
    prefix: str

    @property
    def url(self) -> str:
        return f"{self.scheme}://{self.bucket}/{self.prefix}".rstrip("/")


def parse_location(value: str, variable: str) -> RemoteLocation | None:
    """The object-store location `value` names, or None for a local path. Raises UnsupportedLocation
    for any other `scheme://` (it must never become a local folder named `scheme:`)."""
    match = _URL.match(value.strip())
    if match is None:
        return None
    scheme = match["scheme"].lower()
    if scheme not in SCHEMES:
        raise UnsupportedLocation(
            f"{variable}={value}: scheme {scheme}:// is not supported: use a local folder or s3://bucket/prefix"
        )
    bucket, _, prefix = match["rest"].partition("/")
    if not bucket:
        raise UnsupportedLocation(f"{variable}={value}: no bucket named: use s3://bucket/prefix")
    return RemoteLocation(scheme, bucket, prefix.strip("/"))


_AWS_CONFIG = {  # the standard AWS variables, as obstore's S3 config keys
    "AWS_ENDPOINT_URL": "endpoint", "AWS_ACCESS_KEY_ID": "access_key_id", "AWS_SECRET_ACCESS_KEY": "secret_access_key",
    "AWS_SESSION_TOKEN": "session_token", "AWS_DEFAULT_REGION": "region", "AWS_REGION": "region",
}


def open_store(location: RemoteLocation, environ: Mapping[str, str]):
    """An obstore S3 store rooted at the location's prefix, configured by the AWS variables in `environ`."""
    from obstore.store import S3Store

    config = {key: environ[name] for name, key in _AWS_CONFIG.items() if environ.get(name)}
    options = {"allow_http": True} if config.get("endpoint", "").startswith("http://") else {}
    return S3Store.from_url(f"s3://{location.bucket}/{location.prefix}", config=config, client_options=options)


@dataclass(frozen=True)
class ObjectInfo:
    size: int
    e_tag: str
    mtime: float


def list_objects(store) -> dict[str, ObjectInfo]:
    """Every object under the store's prefix, by path relative to it."""
    import obstore

    found = {}
    for batch in obstore.list(store, chunk_size=1000):
        for meta in batch:
            found[meta["path"]] = ObjectInfo(meta["size"], meta["e_tag"] or "", meta["last_modified"].timestamp())
    return found


def download(store, rel: str, dest: Path, info: ObjectInfo) -> str:
    """Fetch one object into `dest` atomically (temp file, then rename), mtime set to the object's;
    returns its sha256."""
    import obstore

    dest.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{dest.name}.{os.getpid()}.", suffix=".tmp", dir=dest.parent)
    digest = hashlib.sha256()
    try:
        with os.fdopen(fd, "wb") as handle:
            for chunk in obstore.get(store, rel).stream(min_chunk_size=4 * 1024 * 1024):
                handle.write(chunk)
                digest.update(chunk)
        os.chmod(tmp, 0o644)
        os.utime(tmp, (info.mtime, info.mtime))
        os.replace(tmp, dest)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return digest.hexdigest()


def read_json(store, rel: str) -> dict | None:
    import obstore

    try:
        return json.loads(bytes(obstore.get(store, rel).bytes()))
    except FileNotFoundError:
        return None


def _excluded(rel: str, excluded_top: Iterable[str]) -> bool:
    """Not part of the mirrored state: temp files and locks (a part starting with '.'), and the local-only
    top folders (the Dagster instance, DuckDB spill space)."""
    parts = rel.split("/")
    return parts[0] in excluded_top or any(part.startswith(".") for part in parts)


def local_files(root: Path, excluded_top: Iterable[str]) -> dict[str, Path]:
    excluded_top = tuple(excluded_top)
    files = {}
    for path in root.rglob("*"):
        rel = path.relative_to(root).as_posix()
        if path.is_file() and not path.is_symlink() and not _excluded(rel, excluded_top):
            files[rel] = path
    return files


class MirrorError(Exception):
    """An object whose bytes do not match the index the last push wrote."""


def mirror_down(store, root: Path, excluded_top: Iterable[str] = ()) -> dict[str, dict]:
    """Make `root` hold exactly the store's objects: local files that match an object's recorded size and
    sha256 are kept, every other object is fetched and checked, local files with no object are deleted.
    Returns the state {relpath: {sha256, size, e_tag}} as found in the store."""
    excluded_top = tuple(excluded_top)
    index = read_json(store, INDEX) or {}
    remote = {rel: info for rel, info in list_objects(store).items() if not _excluded(rel, excluded_top)}
    local = local_files(root, excluded_top)
    # a release folder a killed push left without its manifest is debris, as a .tmp- folder is on disk:
    # not fetched, and deleted from the store by the next push (it stays in the state, not in the folder)
    state = {rel: {"sha256": None, "size": remote.pop(rel).size, "e_tag": ""} for rel in _unfinished_releases(remote)}
    for rel, info in sorted(remote.items()):
        known = index.get(rel)
        trusted = known if known and known.get("e_tag") == info.e_tag and known.get("size") == info.size else None
        path = root / rel
        if trusted and rel in local and path.stat().st_size == info.size and sha256_file(path) == trusted["sha256"]:
            state[rel] = trusted
            continue
        sha = download(store, rel, path, info)
        if trusted and sha != trusted["sha256"]:
            path.unlink()
            raise MirrorError(f"object {rel} does not match its recorded sha256: restore it or remove {INDEX}")
        state[rel] = {"sha256": sha, "size": info.size, "e_tag": info.e_tag}
    for rel in sorted(set(local) - set(remote)):
        local[rel].unlink()
    _remove_empty_folders(root, excluded_top)
    return state


def _remove_empty_folders(root: Path, excluded_top: tuple[str, ...]) -> None:
    """Folders emptied by mirror_down (a release folder with no object left must not look like a release)."""
    for folder in sorted((p for p in root.rglob("*") if p.is_dir()), key=lambda p: len(p.parts), reverse=True):
        if not _excluded(folder.relative_to(root).as_posix(), excluded_top) and not any(folder.iterdir()):
            folder.rmdir()


def _unfinished_releases(remote: Mapping[str, ObjectInfo]) -> list[str]:
    """Objects under `published/<version>/` of a version whose manifest.json is not in the store."""
    found = []
    for rel in remote:
        parts = rel.split("/")
        if len(parts) > 2 and parts[0] == "published" and VERSION_RE.match(parts[1]):
            if f"published/{parts[1]}/{MANIFEST}" not in remote:
                found.append(rel)
    return found


def _push_rank(rel: str) -> int:
    """Publishing order: release data files and diffs, manifests, other state, the pointer last."""
    if rel == "published/latest.json":
        return 3
    if rel.startswith("published/") and rel.endswith("/manifest.json"):
        return 1
    if rel.startswith("published/") and rel.count("/") >= 2:
        return 0
    return 2


# test hooks (PAPERS_CRASH_AT), after each rank of _push_rank is pushed
CRASH_POINTS = ("s3:data_pushed", "s3:manifests_pushed", "s3:before_pointer", "s3:pointer_pushed")


def mirror_up(store, root: Path, state: dict[str, dict], excluded_top: Iterable[str] = ()) -> dict[str, int]:
    """Push the local files that differ from `state` (what mirror_down found) in publishing order, delete
    the objects with no local file (manifests before the data files they list), then write the index.
    Returns counts of uploaded and deleted objects."""
    import obstore

    local = local_files(root, excluded_top)
    hashes = {rel: sha256_file(path) for rel, path in local.items()}
    changed = sorted((rel for rel in local if state.get(rel, {}).get("sha256") != hashes[rel]), key=_push_rank)
    new_state = {rel: entry for rel, entry in state.items() if rel in local}
    for rank, point in enumerate(CRASH_POINTS):
        for rel in (r for r in changed if _push_rank(r) == rank):
            result = obstore.put(store, rel, local[rel])
            new_state[rel] = {"sha256": hashes[rel], "size": local[rel].stat().st_size, "e_tag": result["e_tag"]}
        crash_point(point)
    doomed = sorted(set(state) - set(local), key=lambda rel: (not rel.endswith("manifest.json"), rel))
    for rel in doomed:
        obstore.delete(store, rel)
    obstore.put(store, INDEX, json.dumps(new_state, sort_keys=True).encode())
    return {"uploaded": len(changed), "deleted": len(doomed)}


LOCK = ".run.lock"


class BucketBusy(Exception):
    """Another run holds the lock object."""


def acquire_lock(store, owner: dict, is_stale, wait_seconds: float = 0.0) -> str:
    """Create the lock object with a conditional write (If-None-Match: *): of concurrent runs exactly one
    succeeds. A lock whose holder `is_stale(holder)` says is dead is replaced with a conditional write on
    its e_tag (If-Match), so two runs cannot both take it over. Returns the lock's e_tag."""
    import time

    import obstore
    from obstore.exceptions import AlreadyExistsError, PreconditionError

    body = json.dumps(owner).encode()
    deadline = time.monotonic() + wait_seconds
    while True:
        try:
            return obstore.put(store, LOCK, body, mode="create")["e_tag"]
        except AlreadyExistsError:
            pass
        try:
            current = obstore.get(store, LOCK)
            holder, e_tag = json.loads(bytes(current.bytes())), current.meta["e_tag"]
        except FileNotFoundError:
            continue  # released meanwhile
        if is_stale(holder):
            try:
                return obstore.put(store, LOCK, body, mode={"e_tag": e_tag})["e_tag"]
            except PreconditionError:  # another run replaced it first: look again
                continue
        if time.monotonic() >= deadline:
            raise BucketBusy(holder)
        time.sleep(0.5)


def release_lock(store, e_tag: str) -> None:
    """Delete the lock object if it is still ours (same e_tag)."""
    import obstore

    try:
        if obstore.head(store, LOCK)["e_tag"] == e_tag:
            obstore.delete(store, LOCK)
    except FileNotFoundError:
        pass
