"""Heavy imports without the cyclic garbage collector: what a module import builds lives for the process.

Importing Dagster, the stages' libraries or GX creates 50k-200k objects each (classes, functions, pydantic
models). While they pile up, CPython's automatic collections scan them again and again: every gen-2
collection walks every tracked object. In the 210-paper sample run that was ~0.6 s CPU of gen-2
collections inside imports and ~0.3 s more in the first collections after GX's import. So imports run with
automatic collections paused; at process start (nothing else alive) what they built is also frozen (left out
of every later collection), as the run's step hook does after each step's collection (workflows/memory.py).
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def collections_paused() -> Iterator[None]:
    """Automatic collections paused for the block (an import inside a step: nothing frozen, see below)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


@contextmanager
def long_lived_imports() -> Iterator[None]:
    """collections_paused, then every object alive frozen out of later collections.

    Only where nothing but what lives as long as the process is alive (the CLI's imports, definitions and
    instance, before any step): a cycle frozen while alive is never collected, so freezing inside a step keeps
    its data (at 1M papers, ~1.2 GB of frames) for the rest of the run."""
    with collections_paused():
        try:
            yield
        finally:
            gc.freeze()
