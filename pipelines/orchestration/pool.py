"""Work spread over the usable cores: a standard process pool whose workers end with their parent.

Belongs here: ``map_in_processes`` (a ``concurrent.futures.ProcessPoolExecutor`` of spawned workers,
every failing item named), ``pool_workers`` (how many processes), ``usable_cores`` and
``die_with_parent``. It imports no Dagster and nothing of the project, so that a worker process
imports only the module of the work it is given (about 0.5 s for the extraction code).
Does not belong here: the work itself (``pipelines.orchestration.extraction``), running Dagster
jobs (``pipelines.orchestration.execution``).
"""

from __future__ import annotations

import multiprocessing
import os
import signal
import sys
import threading
import time
import types
from collections.abc import Callable, Iterator, Mapping
from concurrent.futures import ProcessPoolExecutor, as_completed
from concurrent.futures.process import BrokenProcessPool
from contextlib import contextmanager
from typing import Any

# Processes at most: each holds the extraction code and the documents it is given.
MAX_WORKERS = 8
WORKERS_VARIABLE = "JAC_EXTRACT_WORKERS"


CGROUP_CPU_MAX = "/sys/fs/cgroup/cpu.max"


def usable_cores(cpu_max: str = CGROUP_CPU_MAX) -> int:
    """The cores this process may use: its CPU affinity, bounded by a cgroup v2 CPU quota (cpu_max:
    "<quota> <period>" or "max <period>"; a container limited to 2 CPUs on a 64-core host can use 2)."""
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1
    try:
        with open(cpu_max, encoding="ascii") as handle:
            quota, period = handle.read().split()[:2]
        if quota != "max":
            cores = min(cores, max(1, -(-int(quota) // int(period))))
    except (OSError, ValueError):
        pass  # no cgroup v2 quota to honour
    return cores


def pool_workers(n_items: int, items_per_worker: int) -> int:
    """In how many processes to do n_items pieces of work: one per usable core (at most MAX_WORKERS),
    each given at least items_per_worker pieces so that its start-up pays; 1 means this process.
    JAC_EXTRACT_WORKERS sets the number (1: always in this process); raises ValueError when it is
    not a whole number of at least 1."""
    chosen = os.environ.get(WORKERS_VARIABLE, "").strip()
    if chosen and not (chosen.isdigit() and int(chosen) >= 1):
        raise ValueError(f"{WORKERS_VARIABLE} must be a whole number of processes, at least 1, not {chosen!r}")
    if chosen:
        return max(1, min(int(chosen), n_items))
    return max(1, min(usable_cores(), MAX_WORKERS, n_items // items_per_worker))


PR_SET_PDEATHSIG = 1  # linux/prctl.h


def die_with_parent(parent: int) -> None:
    """Make this (worker) process end when its parent ends, even killed with SIGKILL, so that no
    worker is left orphaned holding memory. On Linux the kernel does it: ``prctl(PR_SET_PDEATHSIG,
    SIGKILL)`` (the signal comes when the parent's thread that started the worker ends: the pool is
    fed from the thread that waits for it). Elsewhere a daemon thread checks every second whether
    the parent is gone (the worker is then re-parented)."""
    if sys.platform.startswith("linux"):
        import ctypes

        if ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGKILL) == 0:
            if os.getppid() != parent:  # the parent died before the call
                os._exit(1)
            return

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(1)
        os._exit(1)

    threading.Thread(target=watch, name="parent-watchdog", daemon=True).start()


def _start_worker(parent: int) -> None:
    die_with_parent(parent)
    # Ctrl-C reaches every process of the terminal's group: the parent alone decides what to do.
    signal.signal(signal.SIGINT, signal.SIG_IGN)


@contextmanager
def _main_module_hidden() -> Iterator[None]:
    """While workers are spawned, an empty ``__main__``: a spawned process imports the program's
    main module again before its work (``python -m pipelines.cli`` imports Dagster and the whole
    code location: about 2 s and 150 MiB per worker); the work's function is found by its own
    module's name, so the workers import only that."""
    main = sys.modules["__main__"]
    sys.modules["__main__"] = types.ModuleType("__main__")
    try:
        yield
    finally:
        sys.modules["__main__"] = main


def _call(function: Callable[[Any], Any], item: Any) -> tuple[bool, Any]:
    # An error is returned, with its type, so that the item it belongs to is named.
    try:
        return True, function(item)
    except Exception as err:  # noqa: BLE001
        return False, f"{type(err).__name__}: {err}"


def map_in_processes(
    function: Callable[[Any], Any],
    items: Mapping[str, Any],
    workers: int,
    done: Callable[[], None] | None = None,
) -> tuple[dict[str, Any], dict[str, str]]:
    """(results by key, what failed by key) of function(item) for every item, in key order; done()
    is called after each item. function must be a module-level function of a module that imports
    little: with workers > 1 the items go to a pool of that many spawned processes (a standard
    ``concurrent.futures.ProcessPoolExecutor``), each importing function's module once, and ending
    with this process (``die_with_parent``). Every item is tried, so that every failing one is
    named; a worker that dies fails the items it had."""
    results: dict[str, Any] = {}
    failed: dict[str, str] = {}

    def record(key: str, ok: bool, value: Any) -> None:
        (results if ok else failed)[key] = value
        if done is not None:
            done()

    if workers <= 1:
        for key, item in items.items():
            record(key, *_call(function, item))
    else:
        pool = ProcessPoolExecutor(
            max_workers=workers,
            mp_context=multiprocessing.get_context("spawn"),
            initializer=_start_worker,
            initargs=(os.getpid(),),
        )
        try:
            with _main_module_hidden():  # the workers are spawned by the first submits
                futures = {pool.submit(_call, function, item): key for key, item in items.items()}
            for future in as_completed(futures):
                try:
                    ok, value = future.result()
                except BrokenProcessPool as err:
                    ok, value = (
                        False,
                        (
                            "an extraction process stopped during this work (killed, or out of memory?): "
                            f"BrokenProcessPool: {err}"
                        ),
                    )
                record(futures[future], ok, value)
        finally:
            pool.shutdown(wait=True, cancel_futures=True)
    return dict(sorted(results.items())), dict(sorted(failed.items()))
