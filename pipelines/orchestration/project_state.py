"""The project's state before and after a run: what must hold before any work starts, and the one
line a failed run becomes when its cause is the state of the files, not the data.

Belongs here: checking, before extraction, that the folders a run writes can be written (releases/,
the staging folder beside it, warehouse/, Dagster's storage) and that the published versions are as
published (``pipelines.publish.package.verify_published``); reading a failed run's text for a broken
state (a full disk, a published file changed, an unreadable stored intermediate) and saying it in
one line with the way forward; which documents to extract again when a stored intermediate of
theirs cannot be read.
Does not belong here: running jobs (``pipelines.orchestration.runner``), the checks of a version
(``pipelines.publish.package``), the store's files (``pipelines.orchestration.resources``).
"""

from __future__ import annotations

import os
import re
import tempfile
from collections.abc import Collection
from pathlib import Path

from pipelines.orchestration.resources import UNREADABLE
from pipelines.orchestration.staleness import PipelineError
from pipelines.publish.package import verify_published
from pipelines.publish.store import NO_SPACE_WORDS, BrokenStateError, no_space_message, staging_root


def check_before_work(root: Path, storage_dir: Path) -> None:
    """Raise PipelineError, in one line, when a folder the run will write cannot be written or a
    published file was changed after publishing: before any work, not after it."""
    releases = root / "releases"
    # storage_dir's parent is DAGSTER_HOME, which holds the run and event databases.
    for folder in (releases, staging_root(releases), root / "warehouse", storage_dir, storage_dir.parent):
        check_writable(folder)
    try:
        verify_published(releases)
    except BrokenStateError as err:
        raise PipelineError(str(err)) from None


def check_writable(folder: Path) -> None:
    """The folder (or, when it does not exist yet, the folder it would be made in) accepts a new file:
    asked of the OS (os.access) and tried (a probe file, made and removed: access() says yes to
    root, and knows nothing of read-only mounts or immutable folders)."""
    existing = Path(folder)
    while not existing.exists() and existing != existing.parent:
        existing = existing.parent
    reason = None
    if not os.access(existing, os.W_OK | os.X_OK):
        reason = "no write permission"
    else:
        try:
            fd, probe = tempfile.mkstemp(prefix=".write-probe-", dir=existing)
            os.close(fd)
            os.unlink(probe)
        except OSError as err:
            reason = err.strerror or str(err)
    if reason:
        raise PipelineError(
            f"cannot write to {existing} ({reason}): a run writes there; make it writable and run again "
            "(nothing was done)"
        )


# --- A failed run's text -----------------------------------------------------------------------------

_BROKEN_STATE = re.compile(r"BrokenStateError: (.+)")
_UNREADABLE = re.compile(re.escape(UNREADABLE) + r" <(.+?)>")
# An error's own line (not a quote from a document that happens to mention a full disk).
_NO_SPACE = re.compile(r"(?:Error|Exception)\b[^\n]*(?:" + "|".join(re.escape(w) for w in NO_SPACE_WORDS) + ")")
_FILE_NAME = re.compile(r"No space left on device: '([^']+)'")


def broken_state_line(failure: str, root: Path, storage_dir: Path) -> str | None:
    """The one line to say when a failed run's text (``execution.run_failure``) shows a broken state
    rather than bad data; None otherwise."""
    if found := _BROKEN_STATE.search(failure):
        return found.group(1).strip()
    if _NO_SPACE.search(failure):
        written = _FILE_NAME.search(failure)
        return no_space_message(written.group(1) if written else storage_dir, root / "releases")
    if found := _UNREADABLE.search(failure):
        return (
            f"stored intermediate {found.group(1)} cannot be read (emptied or truncated): delete it and run "
            "again (nothing was published)"
        )
    return None


def unreadable_stored_files(failure: str) -> list[Path]:
    """The stored files a failed run could not read back, as its text names them."""
    return [Path(p) for p in dict.fromkeys(_UNREADABLE.findall(failure))]


def documents_to_extract_again(files: list[Path], storage_dir: Path, per_document: Collection[str]) -> list[str] | None:
    """The documents (partition keys) whose stored intermediates these are, when each file is one
    document's output of a per-document asset (<storage>/<asset>/<document>); None when one is not
    (the release run writes the others itself: it cannot mend them by extracting)."""
    keys = []
    for path in files:
        try:
            parts = path.relative_to(storage_dir).parts
        except ValueError:
            return None
        if len(parts) != 2 or parts[0] not in per_document:
            return None
        keys.append(parts[1])
    return sorted(set(keys))
