"""Progress of long work on stderr: extraction (documents) and publishing (the release run's steps).

Belongs here: ``progress_of``, a context manager that reports how many of how many are done, the
time so far and the rate. On a terminal (stderr a TTY) one line is rewritten in place, at most
``UPDATES_PER_SECOND`` times a second; otherwise (a log file, a pipe, the daemon's run worker) one
quiet summary line is written when the work ends, e.g. "extracted 500 documents in 12.3 s (40.6
documents/s)". ``advance_active`` lets code that cannot be handed the reporter (a Dagster hook)
count a step of the innermost one. And ``pause_for_tests``, the hook that holds a run in a phase.
Does not belong here: the work itself, or what is printed as the result of a run (``pipelines.cli``).
"""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TextIO

UPDATES_PER_SECOND = 4


class Progress:
    """Counts done pieces of work and shows them on stream (see the module docstring)."""

    def __init__(
        self,
        doing: str,
        did: str,
        total: int,
        unit: str,
        stream: TextIO | None = None,
        clock: Callable[[], float] = time.monotonic,
    ):
        self.doing, self.did, self.total, self.unit = doing, did, total, unit
        self.stream = stream if stream is not None else sys.stderr
        self.clock = clock
        self.started = clock()
        self.done = 0
        self.shown_at: float | None = None
        self.interactive = bool(getattr(self.stream, "isatty", lambda: False)())

    def _rate(self, elapsed: float) -> str:
        return f"{self.done / elapsed:.1f} {self.unit}/s" if elapsed > 0 else f"- {self.unit}/s"

    def advance(self, n: int = 1) -> None:
        self.done += n
        now = self.clock()
        if self.interactive and (self.shown_at is None or now - self.shown_at >= 1 / UPDATES_PER_SECOND):
            self._show(now)

    def _show(self, now: float) -> None:
        self.shown_at = now
        elapsed = now - self.started
        line = f"{self.doing}: {self.done}/{self.total} {self.unit}, {elapsed:.1f} s, {self._rate(elapsed)}"
        self.stream.write(f"\r\x1b[K{line}")
        self.stream.flush()

    def finish(self, completed: bool) -> None:
        now = self.clock()
        if self.interactive:
            if self.shown_at is not None or completed:
                self._show(now)
                self.stream.write("\n")
        elif completed:
            elapsed = now - self.started
            self.stream.write(f"{self.did} {self.done} {self.unit} in {elapsed:.1f} s ({self._rate(elapsed)})\n")
        self.stream.flush()


_active: list[Progress] = []


@contextmanager
def progress_of(doing: str, did: str, total: int, unit: str, stream: TextIO | None = None) -> Iterator[Progress]:
    """A Progress for the work inside the block; its last state (a terminal) or its summary (not a
    terminal) is written when the block ends (on a failure, a terminal's line is only ended)."""
    progress = Progress(doing, did, total, unit, stream)
    _active.append(progress)
    completed = False
    try:
        yield progress
        completed = True
    finally:
        _active.remove(progress)
        progress.finish(completed)


def advance_active() -> None:
    """One more piece of work done for the innermost progress_of block, if any."""
    if _active:
        _active[-1].advance()


PAUSE_VARIABLE = "JAC_TEST_PAUSE_AT"
_paused: set[str] = set()


def pause_for_tests(phase: str) -> None:
    """Test hook: with JAC_TEST_PAUSE_AT=<phase> ("extraction": after the first document extracted,
    its worker processes running; "publishing": after the release run's first step), write "paused
    at <phase>" to stderr and sleep (once per process), so that a test can kill or interrupt the run
    in that phase (tests/test_recovery.py)."""
    if os.environ.get(PAUSE_VARIABLE) == phase and phase not in _paused:
        _paused.add(phase)
        sys.stderr.write(f"paused at {phase}\n")
        sys.stderr.flush()
        time.sleep(float(os.environ.get("JAC_TEST_PAUSE_SECONDS", "120")))
