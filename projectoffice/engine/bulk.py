"""Helpers for building the very large object graphs of 100k-task plans."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def collector_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector while millions of small objects are made.

    Reading or scheduling a big plan allocates objects that form no cycles, yet every few
    hundred thousand allocations the collector rescans all that survived: a quarter to a third
    of the run.  Reference counting still frees everything; the collector resumes afterwards
    (if it was running) and sees the new objects once.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
