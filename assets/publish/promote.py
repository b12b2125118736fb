"""Promotion of a run's staged tables: stages write `staging/tables/`; only a run whose blocking checks
passed and whose release step succeeded promotes them to `tables/`, so a failed gate leaves what
readers see as it was."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from assets.core.storage import fsync_path


def promote_tables(staged: Path, target: Path) -> list[str]:
    """Make `target` hold exactly the staged `*.parquet` files: each is hard-linked (copied when the
    file system refuses links) under a hidden temp name, then renamed over the old one (a reader sees
    the old file or the new one); tables no longer staged are removed. Returns the promoted names."""
    target.mkdir(parents=True, exist_ok=True)
    names = sorted(p.name for p in staged.glob("*.parquet"))
    for name in names:
        if (target / name).exists() and os.path.samefile(staged / name, target / name):
            continue  # promoted before and not rewritten since (rename onto the same file would be a no-op)
        tmp = target / f".{name}.{os.getpid()}.promote.tmp"
        tmp.unlink(missing_ok=True)
        try:
            os.link(staged / name, tmp)
        except OSError:
            shutil.copy2(staged / name, tmp)
        os.replace(tmp, target / name)
    for old in target.glob("*.parquet"):
        if old.name not in names:
            old.unlink()
    fsync_path(target)
    return names
