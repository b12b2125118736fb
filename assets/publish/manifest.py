"""What a release says about itself: the semantic version bump from comparing schemas, the manifest's
input entries and the CHANGELOG."""

from __future__ import annotations

import re
from pathlib import Path

from assets.core.release_format import CHANGELOG
from assets.core.storage import sha256_file, write_text_atomic

_CHANGELOG_HEADER = (
    "# Changelog\n\n"
    "Releases of the public datasets, newest first. Versions follow MAJOR.MINOR.PATCH: major = a column or\n"
    "dataset was removed, renamed or retyped (or a key changed); minor = columns/datasets added;\n"
    "patch = data only. See docs/datasets.md.\n"
)


def compare_schemas(
    old: dict[str, dict], new: dict[str, dict]
) -> tuple[str, list[str], list[str]]:
    """Compare {dataset: {"schema": [...], "key": [...]}} maps.

    Returns (bump, breaking, non_breaking) with bump in {"major", "minor", "patch"}.
    Breaking: dataset removed; column removed/renamed/retyped; column became nullable; key changed.
    Non-breaking: dataset added; column added; column became NOT NULL; columns reordered.
    """
    breaking: list[str] = []
    additive: list[str] = []
    for name in sorted(old.keys() - new.keys()):
        breaking.append(f"{name}: dataset removed")
    for name in sorted(new.keys() - old.keys()):
        additive.append(f"{name}: dataset added")
    for name in sorted(old.keys() & new.keys()):
        o = {c["name"]: c for c in old[name]["schema"]}
        n = {c["name"]: c for c in new[name]["schema"]}
        o_order = [c["name"] for c in old[name]["schema"]]
        n_order = [c["name"] for c in new[name]["schema"]]
        removed = [c for c in o_order if c not in n]
        added = [c for c in n_order if c not in o]
        renamed: dict[str, str] = {}
        for r in removed:  # same type at the same position -> most likely a rename
            pos = o_order.index(r)
            cand = n_order[pos] if pos < len(n_order) else None
            if cand in added and n[cand]["type"] == o[r]["type"] and cand not in renamed.values():
                renamed[r] = cand
        for r in removed:
            if r in renamed:
                breaking.append(f"{name}: column `{r}` renamed to `{renamed[r]}` ({o[r]['type']})")
            else:
                breaking.append(f"{name}: column `{r}` removed ({o[r]['type']})")
        for a in added:
            if a not in renamed.values():
                additive.append(f"{name}: column `{a}` added ({n[a]['type']})")
        for c in o_order:
            if c not in n:
                continue
            if o[c]["type"] != n[c]["type"]:
                breaking.append(f"{name}: column `{c}` retyped {o[c]['type']} -> {n[c]['type']}")
            if o[c]["nullable"] != n[c]["nullable"]:
                if n[c]["nullable"]:
                    breaking.append(f"{name}: column `{c}` became nullable")
                else:
                    additive.append(f"{name}: column `{c}` became NOT NULL")
        common_old = [c for c in o_order if c in n]
        common_new = [c for c in n_order if c in o]
        if common_old != common_new:
            additive.append(f"{name}: columns reordered")
        if list(old[name].get("key", [])) != list(new[name]["key"]):
            breaking.append(f"{name}: key changed {old[name].get('key')} -> {new[name]['key']}")
    bump = "major" if breaking else "minor" if additive else "patch"
    return bump, breaking, additive


# ---------------------------------------------------------------------------------------- diffs


def input_entries(inputs: list[dict]) -> list[dict]:
    out = []
    for item in inputs:
        item = dict(item)
        path = item.get("path")
        if path and "sha256" not in item and Path(path).is_file():
            item["sha256"] = sha256_file(Path(path))
            item.setdefault("bytes", Path(path).stat().st_size)
        out.append(item)
    return out


def bumped(base: tuple[int, int, int], bump: str) -> tuple[int, int, int]:
    if bump == "major":
        return (base[0] + 1, 0, 0)
    if bump == "minor":
        return (base[0], base[1] + 1, 0)
    return (base[0], base[1], base[2] + 1)


def _changelog_entry(manifest: dict) -> str:
    lines = [f"## {manifest['version']} — {manifest['created_at'][:10]}", ""]
    prev = manifest.get("previous_version")
    lines.append(f"- Previous version: {prev or 'none (first release)'}")
    lines.append(f"- Bump: {manifest.get('bump')}")
    breaking = manifest.get("breaking_changes", [])
    if breaking:
        lines.append("- **Breaking schema changes:**")
        lines.extend(f"  - {b}" for b in breaking)
    else:
        lines.append("- Breaking schema changes: none")
    other = manifest.get("schema_changes", [])
    if other:
        lines.append("- Other schema changes:")
        lines.extend(f"  - {s}" for s in other)
    lines += ["", "| dataset | rows | added | updated | removed |", "|---|---:|---:|---:|---:|"]
    for name, ds in sorted(manifest.get("datasets", {}).items()):
        c = ds["changes"]
        lines.append(f"| {name} | {ds['rows']} | {c['added']} | {c['updated']} | {c['removed']} |")
    for name, ds in sorted(manifest.get("removed_datasets", {}).items()):
        c = ds["changes"]
        lines.append(f"| {name} (dataset removed) | 0 | 0 | 0 | {c['removed']} |")
    return "\n".join(lines) + "\n"


def update_changelog(published_dir: Path, manifest: dict) -> None:
    path = published_dir / CHANGELOG
    text = path.read_text(encoding="utf-8") if path.is_file() else _CHANGELOG_HEADER
    head, *entries = re.split(r"(?m)^(?=## )", text)
    version = manifest["version"]
    entries = [e for e in entries if not re.match(rf"## {re.escape(version)}(\s|$)", e)]
    entries = [e.rstrip("\n") + "\n" for e in entries]
    body = "\n".join([_changelog_entry(manifest), *entries])
    write_text_atomic(path, head.rstrip("\n") + "\n\n" + body)


# -------------------------------------------------------------------------------------- publish
