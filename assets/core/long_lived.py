"""Heavy imports without the cyclic garbage collector: what a module import builds lives for the process.

Importing Dagster, the stages' libraries or GX creates 50k-200k objects each (classes, functions, pydantic
models). While they pile up, CPython's automatic collections scan them again and again: every gen-2
collection walks every tracked object. In the 210-paper sample run that was ~0.6 s CPU of gen-2
collections inside imports and ~0.3 s more in the first collections after GX's import. The objects stay
alive anyway, so the imports run with automatic collections paused and what they built is frozen (left out
of every later collection), as the run's step hook does after each step (workflows/memory.py).
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def long_lived_imports() -> Iterator[None]:
    """Automatic collections paused for the block, then every object alive frozen out of later ones.

    Only for blocks that build what lives as long as the process (imports, definitions, the Dagster
    instance): a cycle that becomes garbage after it was frozen is freed only when the process ends."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        gc.freeze()
        if enabled:
            gc.enable()
