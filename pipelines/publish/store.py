"""The release store: releases/ and its index, the staging folder beside it, atomic writes, the lock, recovery.

Belongs here: reading releases/index.json, where a publish stages its files, replacing a file in one
step, the lock that lets one publisher in at a time, the journal, ReleaseError (publishing refused
or failed) and BrokenStateError (the files are in a state a run cannot go on from: one line naming
the file and the way forward), and saying what a full disk means for a run (``no_space_message``). Staging happens beside releases/ (``.releases-staging/``), never inside it, so that until
the final rename nothing under releases/ changes. What an interrupted publish left behind (its staging
folder, and the version folder it renamed into place but did not list in the index, which it names in
a journal first) is removed at the start of the next publish; nothing else in releases/ is ever removed.
Does not belong here: the diff and the version (``pipelines.publish.versions``), the package's files
and checks (``pipelines.publish.package``), the steps of a publish in order (``pipelines.publish.release``),
the catalogue page (``pipelines.catalogue``).
"""

from __future__ import annotations

import errno
import fcntl
import json
import logging
import os
import shutil
from contextlib import contextmanager
from pathlib import Path

log = logging.getLogger(__name__)


# Staging folders of the publisher before staging moved out of releases/; removed on sight.
LEGACY_STAGING_PREFIX = ".staging-"
JOURNAL_NAME = "publishing.json"
LOCK_NAME = "lock"


class ReleaseError(RuntimeError):
    """Publishing refused or failed; releases/ is left as it was."""


class BrokenStateError(ReleaseError):
    """The project's files are in a state a run cannot go on from (a published file altered, an
    unreadable index, a folder that cannot be written, a full disk). The message is one line that
    names the file or folder and the way forward; nothing was published."""


def restore_hint(path: Path) -> str:
    """How to get a published file back: releases/ is kept in git."""
    return f"restore it with `git checkout -- {_shown_path(path)}`"


def _shown_path(path: Path) -> str:
    """releases/... relative to the project when path is under a releases/ folder, else the path."""
    parts = Path(path).parts
    return "/".join(parts[parts.index("releases") :]) if "releases" in parts else str(path)


# --- A full disk ----------------------------------------------------------------------------------

# How a full disk reads in an error's text: the OS (errno 28), SQLite (Dagster's storage), DuckDB.
NO_SPACE_WORDS = ("No space left on device", "database or disk is full", "[Errno 28]")


def is_no_space(err: BaseException | None) -> bool:
    """True when err, or an error it was raised from, says the disk is full."""
    while err is not None:
        if (isinstance(err, OSError) and err.errno == errno.ENOSPC) or any(w in str(err) for w in NO_SPACE_WORDS):
            return True
        err = err.__cause__ or err.__context__
    return False


def no_space_message(path: Path | str, releases_dir: Path) -> str:
    """One line for a full disk: where the write failed, about how much a run needs (estimated from
    the latest version: staging it again and the warehouse, about as large as its DuckDB file), how
    much is free, and that nothing was published."""
    releases_dir = Path(releases_dir)
    latest = _latest_folder(releases_dir)
    if latest is not None:
        size = sum(p.stat().st_size for p in latest.rglob("*") if p.is_file())
        duckdb_size = sum(p.stat().st_size for p in latest.glob("*.duckdb"))
        need = f"about {_mb(size + duckdb_size)} free (the last version, {latest.name}, takes {_mb(size)})"
    else:
        need = "free space for the whole package (no version published yet to estimate it from)"
    existing = Path(path)
    while not existing.exists() and existing != existing.parent:
        existing = existing.parent  # the file whose write failed was removed with its staging folder
    try:
        free = f"; {_mb(shutil.disk_usage(existing).free)} free now"
    except OSError:
        free = ""
    return (
        f"no space left on device while writing {path}: nothing was published; a run needs {need}{free}; "
        "free some space and run again"
    )


def _latest_folder(releases_dir: Path) -> Path | None:
    try:
        latest = read_index(releases_dir)["latest"]
    except ReleaseError:
        return None
    return releases_dir / latest if latest and (releases_dir / latest).is_dir() else None


def _mb(n: int) -> str:
    return f"{n / 1e9:.1f} GB" if n >= 1e9 else f"{n / 1e6:.1f} MB"


# --- Index ----------------------------------------------------------------------------------------


def read_index(releases_dir: Path) -> dict:
    """releases/index.json, checked for the shape every reader relies on (``latest``, ``versions``
    with a ``version`` each); a truncated or hand-broken file raises BrokenStateError naming it."""
    path = Path(releases_dir) / "index.json"
    if not path.exists():
        return {"latest": None, "versions": []}
    try:
        index = json.loads(path.read_text(encoding="utf-8"))
        versions = [v["version"] for v in index["versions"]]
        if not all(isinstance(v, str) for v in versions):
            raise TypeError("a listed version is not a string")
        if index["latest"] != (versions[0] if versions else None):
            raise ValueError(f"latest {index['latest']!r} is not the first listed version")
    except (ValueError, KeyError, TypeError) as err:  # JSONDecodeError and UnicodeDecodeError are ValueErrors
        why = f"{type(err).__name__}: {err}" if not isinstance(err, KeyError) else f"no {err} entry"
        raise BrokenStateError(
            f"{path} is not a valid release index ({why}); {restore_hint(path)} and run again"
        ) from None
    return index


def staging_root(releases_dir: Path) -> Path:
    """Where a publish works: beside releases/ (same file system, so the final rename is atomic) and
    outside it, so that a crash before the rename leaves releases/ byte for byte as it was."""
    releases_dir = Path(releases_dir)
    return releases_dir.parent / f".{releases_dir.name}-staging"


def write_json_atomic(path: Path, data: dict, work_dir: Path) -> None:
    """Replace path in one step; the temporary file lives in work_dir, not beside path."""
    write_bytes_atomic(path, (json.dumps(data, ensure_ascii=False, indent=2) + "\n").encode("utf-8"), work_dir)


def write_bytes_atomic(path: Path, data: bytes, work_dir: Path) -> None:
    work_dir.mkdir(parents=True, exist_ok=True)
    tmp = work_dir / f"{path.name}.tmp-{os.getpid()}"
    tmp.write_bytes(data)
    os.replace(tmp, path)


@contextmanager
def publish_lock(releases_dir: Path):
    """One publisher at a time (make release, the schedule and the sensor may overlap): the second
    waits, then finds the data already published. The lock dies with its process, so a crash never
    leaves it held."""
    root = staging_root(releases_dir)
    root.mkdir(parents=True, exist_ok=True)
    with open(root / LOCK_NAME, "a+") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def recover(releases_dir: Path) -> list[str]:
    """Remove what an interrupted publish left: its staging files and, if the journal names one, the
    version folder it renamed into place but never listed in index.json. Call with the lock held."""
    releases_dir = Path(releases_dir)
    removed = []
    if releases_dir.exists():
        for p in sorted(releases_dir.iterdir()):
            if p.is_dir() and p.name.startswith(LEGACY_STAGING_PREFIX):
                shutil.rmtree(p)
                removed.append(p.name)
    root = staging_root(releases_dir)
    journal = root / JOURNAL_NAME
    if journal.exists():
        version = json.loads(journal.read_text(encoding="utf-8"))["version"]
        listed = {v["version"] for v in read_index(releases_dir)["versions"]}
        if version not in listed and (releases_dir / version).is_dir():
            shutil.rmtree(releases_dir / version)
            removed.append(version)
    if root.exists():
        for p in sorted(root.iterdir()):
            if p.name == LOCK_NAME:
                continue
            if p.is_dir():
                shutil.rmtree(p)
            else:
                p.unlink()
            if p.name != JOURNAL_NAME:
                removed.append(p.name)
    for name in removed:
        log.warning("removed %s left by an interrupted publish", name)
    return removed
