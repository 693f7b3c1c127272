"""The release store: releases/ and its index, the staging folder beside it, atomic writes, the lock, recovery.

Belongs here: reading releases/index.json, where a publish stages its files, replacing a file in one
step, the lock that lets one publisher in at a time, the journal, and ReleaseError (publishing refused
or failed). Staging happens beside releases/ (``.releases-staging/``), never inside it, so that until
the final rename nothing under releases/ changes. What an interrupted publish left behind (its staging
folder, and the version folder it renamed into place but did not list in the index, which it names in
a journal first) is removed at the start of the next publish; nothing else in releases/ is ever removed.
Does not belong here: the diff and the version (``pipelines.publish.versions``), the package's files
and checks (``pipelines.publish.package``), the steps of a publish in order (``pipelines.publish.release``),
the catalogue page (``pipelines.catalogue``).
"""

from __future__ import annotations

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


# --- Index ----------------------------------------------------------------------------------------


def read_index(releases_dir: Path) -> dict:
    path = Path(releases_dir) / "index.json"
    if not path.exists():
        return {"latest": None, "versions": []}
    return json.loads(path.read_text(encoding="utf-8"))


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
