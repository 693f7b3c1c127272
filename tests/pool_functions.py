"""Small functions for the tests of ``pipelines.orchestration.pool.map_in_processes``: module-level
and importable by name, so that the processes it spawns can run them."""

import os

FAILING = 2


def square(n: int) -> int:
    """n squared; FAILING raises."""
    if n == FAILING:
        raise ValueError(f"no square for {n}")
    return n * n


def die_on_failing(n: int) -> int:
    """n; the process given FAILING dies (as when the system kills it for lack of memory)."""
    if n == FAILING:
        os._exit(9)
    return n


def own_pid(_: int) -> int:
    return os.getpid()


def nap(n: int) -> int:
    """Sleeps long: the process pool is busy while a test kills its parent."""
    import time

    time.sleep(60)
    return n
