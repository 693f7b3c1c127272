"""Broken state: what a run does when the project's files are not as it left them.

Belongs here: a published file changed by hand (verified before anything is compared with it), a
truncated or invalid releases/index.json, a full disk (while staging a version, building the
warehouse, or writing Dagster's storage: simulated by making the write fail with ENOSPC), a folder
the run cannot write (checked before any work), an emptied or truncated stored intermediate in
Dagster's storage (that document is extracted again), and no DuckDB leftovers after a failure. Each
ends with one `error:` line naming the file or folder and the way forward and releases/ byte for byte
as it was, or with the right recovery.
Does not belong here: bad documents in raw/ (``test_bad_input.py``), crashes while publishing
(``test_release.py``).
The documents are short texts written here.
"""

from __future__ import annotations

import errno
import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
import zipfile
from contextlib import contextmanager
from pathlib import Path

import duckdb
import pytest
from conftest import (
    dagster_home,
    dagster_instance,
    latest_dir,
    private_copy,
    released_template,
    run_cli,
    tree_digest,
)
from release_helpers import base_rows, publish_rows, tables_from

import pipelines.orchestration.resources as resources
import pipelines.publish.release as release_module
import pipelines.publish.warehouse as warehouse_module
from pipelines import cli
from pipelines.orchestration.project_state import broken_state_line, check_writable, documents_to_extract_again
from pipelines.orchestration.runner import run_pipeline
from pipelines.orchestration.staleness import PipelineError
from pipelines.publish.package import verify_published
from pipelines.publish.store import BrokenStateError, is_no_space, read_index, staging_root
from pipelines.publish.warehouse import write_warehouse

DOC_EN = """Japan and ASEAN: a note on the river school programme
Ministry of Foreign Affairs of Japan
4 February 2022

On 4 February 2022, Japan announced a contribution of US$3 million to the river school programme.
Between 2018 and 2021, some 640 teachers were trained in Vientiane.
"""
DOC_JA = """日ASEAN河川学校計画について
外務省
2022年2月4日

2022年2月4日、日本は河川学校計画へ約300万米ドルを拠出すると発表した。
2018年から2021年まで、約640人の教員がビエンチャンで研修を受けた。
"""
NEW_DOC = """ASEAN-Japan coastal mapping cooperation
Ministry of Foreign Affairs of Japan
9 September 2020

On 9 September 2020, Japan pledged US$2 million to the coastal mapping centre.
About 120 surveyors from member states were trained in 2020.
"""
GOOD = {"river-school-en.txt": DOC_EN.encode("utf-8"), "river-school-ja.txt": DOC_JA.encode("utf-8")}


def error_lines(stderr: str) -> list[str]:
    return [line for line in stderr.splitlines() if line.startswith("error:")]


def assert_one_error_line(stderr: str, *parts: str) -> str:
    """One `error:` line, the last thing said, no traceback, holding every part."""
    errors = error_lines(stderr)
    assert len(errors) == 1, stderr
    assert stderr.rstrip().endswith(errors[0]), stderr
    assert "Traceback" not in stderr and "Stack Trace" not in stderr
    for part in parts:
        assert part in errors[0], (part, errors[0])
    return errors[0]


@contextmanager
def read_only(folder: Path):
    """The folder refuses new files, also to root: immutable (chattr +i) where the file system and the
    capabilities allow it, else chmod, which binds everyone but root (skipped as root without chattr)."""
    if os.geteuid() == 0:
        made = shutil.which("chattr") and subprocess.run(["chattr", "+i", str(folder)], capture_output=True)
        if not made or made.returncode != 0:
            pytest.skip("root ignores permissions, and chattr +i is not available here to make a folder read-only")
        try:
            yield
        finally:
            subprocess.run(["chattr", "-i", str(folder)], check=True)
    else:
        mode = folder.stat().st_mode
        folder.chmod(0o555)
        try:
            yield
        finally:
            folder.chmod(mode)


def no_space(path) -> OSError:
    return OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(path))


# --- Published versions are verified before anything is compared with them (hand-built tables) ----


@pytest.fixture(scope="module")
def two_versions_template(tmp_path_factory) -> Path:
    releases = tmp_path_factory.mktemp("two_versions") / "releases"
    publish_rows(releases, base_rows())
    rows = base_rows()
    rows["events"].append(
        {"date": "2003-12", "description": "anniversary summit", "document_id": "doc-a", "char_start": 640}
        | {"char_end": 671, "quote": "2003-12 anniversary summit held"}
    )
    assert publish_rows(releases, rows).version == "1.1.0"
    return releases


@pytest.fixture
def two_versions(two_versions_template, tmp_path) -> Path:
    """releases/ holding 1.0.0 and 1.1.0 of hand-built tables (a private copy)."""
    return Path(shutil.copytree(two_versions_template, tmp_path / "releases"))


def _edit_cell(path: Path) -> None:
    data = path.read_bytes()
    path.write_bytes(data.replace(b"12340000", b"99340000", 1))
    assert path.read_bytes() != data


def _forge_csv_and_sums(folder: Path) -> None:
    """The CSV edited and SHA256SUMS updated to match: datapackage.json still has the published hash."""
    csv = folder / "data" / "indicators.csv"
    _edit_cell(csv)
    lines = (folder / "SHA256SUMS").read_text().splitlines()
    digest = hashlib.sha256(csv.read_bytes()).hexdigest()
    (folder / "SHA256SUMS").write_text(
        "\n".join(f"{digest}  data/indicators.csv" if ln.endswith("  data/indicators.csv") else ln for ln in lines)
        + "\n"
    )


def _replace_zip(folder: Path) -> None:
    target = next(folder.glob("*.zip"))
    with zipfile.ZipFile(target, "w") as zf:
        zf.writestr("japan-asean-cooperation-1.1.0/data/indicators.csv", "forged\n")


FORGERIES = {
    # case: (what is done to releases/, the file the error must name)
    "csv-cell": (lambda r: _edit_cell(r / "1.1.0/data/indicators.csv"), "releases/1.1.0/data/indicators.csv"),
    "csv-and-sums": (lambda r: _forge_csv_and_sums(r / "1.1.0"), "releases/1.1.0/data/indicators.csv"),
    "descriptor": (
        lambda r: (r / "1.1.0/datapackage.json").write_text(
            (r / "1.1.0/datapackage.json").read_text().replace('"version": "1.1.0"', '"version": "1.1.1"')
        ),
        "releases/1.1.0/datapackage.json",
    ),
    "older-descriptor": (
        lambda r: (r / "1.0.0/datapackage.json").write_text((r / "1.0.0/datapackage.json").read_text() + " "),
        "releases/1.0.0/datapackage.json",
    ),
    "duckdb-removed": (
        lambda r: (r / "1.1.0/japan-asean-cooperation.duckdb").unlink(),
        "releases/1.1.0/japan-asean-cooperation.duckdb",
    ),
    "zip": (lambda r: _replace_zip(r / "1.1.0"), "releases/1.1.0/japan-asean-cooperation-1.1.0.zip"),
}


def test_published_versions_verify_as_published(two_versions):
    verify_published(two_versions)  # raises nothing


@pytest.mark.parametrize("case", list(FORGERIES))
def test_a_changed_published_file_stops_publishing_and_is_never_diffed(two_versions, case):
    releases = two_versions
    forge, named = FORGERIES[case]
    forge(releases)
    before = tree_digest(releases)
    with pytest.raises(BrokenStateError) as raised:
        verify_published(releases)
    message = str(raised.value)
    assert "\n" not in message
    assert named in message and f"git checkout -- {named}" in message, message
    # The same data as the latest version, and new data: neither "no change" nor a diff against the forgery.
    for rows in (base_rows(), {**base_rows(), "leaders": []}):
        with pytest.raises(BrokenStateError, match="changed after publishing"):
            publish_rows(releases, rows)
    assert tree_digest(releases) == before


# --- releases/index.json -------------------------------------------------------------------------

BAD_INDEXES = {
    "truncated": lambda text: text[: len(text) // 2],
    "emptied": lambda text: "",
    "not-utf8": lambda text: "\udcff",
    "no-versions": lambda text: json.dumps({"name": "x", "latest": "1.0.0"}),
    "latest-not-listed": lambda text: text.replace('"latest": "1.1.0"', '"latest": "9.9.9"'),
}


@pytest.mark.parametrize("case", list(BAD_INDEXES))
def test_an_invalid_index_is_named_with_the_way_to_restore_it(two_versions, case):
    releases = two_versions
    index = releases / "index.json"
    broken = BAD_INDEXES[case](index.read_text())
    index.write_bytes(broken.encode("utf-8", "surrogateescape"))
    with pytest.raises(BrokenStateError) as raised:
        read_index(releases)
    message = str(raised.value)
    assert "\n" not in message
    assert str(index) in message and "git checkout -- releases/index.json" in message, message


# --- Folders that cannot be written ----------------------------------------------------------------


def test_an_unwritable_folder_is_named(tmp_path):
    folder = tmp_path / "releases"
    folder.mkdir()
    check_writable(folder)
    check_writable(tmp_path / "not-yet" / "made")  # checked where it would be made
    with read_only(folder):
        with pytest.raises(PipelineError, match=f"cannot write to {folder} "):
            check_writable(folder)
        with pytest.raises(PipelineError, match=f"cannot write to {folder} "):
            check_writable(folder / "inside")


# --- A failed run's text --------------------------------------------------------------------------


def test_a_full_disk_is_recognised_in_errors_and_in_a_failed_runs_text(tmp_path):
    assert is_no_space(no_space("/x"))
    assert is_no_space(sqlite3.OperationalError("database or disk is full"))
    try:
        try:
            raise no_space("/x")
        except OSError as err:
            raise RuntimeError("step failed") from err
    except RuntimeError as wrapped:
        assert is_no_space(wrapped)
    assert not is_no_space(RuntimeError("no problem"))
    storage = tmp_path / "home" / "storage"
    line = broken_state_line("document_facts: OSError: [Errno 28] No space left on device: '/d/f'", tmp_path, storage)
    assert line and line.startswith("no space left on device while writing /d/f: nothing was published")
    line = broken_state_line("data_package: sqlite3.OperationalError: database or disk is full", tmp_path, storage)
    assert line and f"while writing {storage}:" in line
    # A document's text that mentions a full disk, quoted by a failing check, is not a full disk.
    assert broken_state_line("events: 1 row fails: quote 'No space left on device'", tmp_path, storage) is None


def test_only_per_document_intermediates_are_mended_by_extracting_again(tmp_path):
    storage = tmp_path / "storage"
    per_document = {"document_facts"}
    files = [
        storage / "document_facts" / "b.txt",
        storage / "document_facts" / "a.txt",
        storage / "document_facts" / "b.txt",
    ]
    assert documents_to_extract_again(files, storage, per_document) == ["a.txt", "b.txt"]
    assert documents_to_extract_again([storage / "events"], storage, per_document) is None
    assert documents_to_extract_again([tmp_path / "elsewhere" / "x"], storage, per_document) is None


# --- The warehouse leaves nothing behind ---------------------------------------------------------


@pytest.mark.parametrize("failure", ["no-space", "other"])
def test_a_failed_warehouse_build_leaves_no_temporary_or_wal_file(tmp_path, monkeypatch, failure):
    folder = tmp_path / "warehouse"
    target = folder / "japan-asean-cooperation.duckdb"
    write_warehouse(target, tables_from(base_rows()))
    published = target.read_bytes()
    # What a run killed while building left: its temporary file and DuckDB's log of it.
    (folder / f".{target.name}.tmp-999999999").write_bytes(b"x")
    (folder / f".{target.name}.tmp-999999999.wal").write_bytes(b"x")

    def failing_build(path, tables):
        Path(path).write_bytes(b"partial")
        Path(f"{path}.wal").write_bytes(b"log")
        if failure == "no-space":
            raise duckdb.IOException(f'IO Error: Could not write file "{path}": No space left on device')
        raise RuntimeError("the build failed")

    monkeypatch.setattr(warehouse_module, "build_database", failing_build)
    with pytest.raises(BrokenStateError if failure == "no-space" else RuntimeError) as raised:
        write_warehouse(target, tables_from(base_rows()), tmp_path / "releases")
    if failure == "no-space":
        assert "no space left on device" in str(raised.value) and "nothing was published" in str(raised.value)
    assert sorted(p.name for p in folder.iterdir()) == [target.name]
    assert target.read_bytes() == published


# --- Through the command line on a project that holds a release ------------------------------------


@pytest.fixture(scope="module")
def template(tmp_path_factory) -> Path:
    """Two documents, run once: releases/1.0.0 exists. Tests work on copies of it."""
    return released_template(tmp_path_factory.mktemp("released"), GOOD)


@pytest.fixture
def released(template, tmp_path) -> tuple[Path, Path]:
    return private_copy(template, tmp_path)


def run_in_process(root: Path, home: Path, monkeypatch, capsys) -> tuple[int, str, str]:
    """`make release` in this process (so that a write can be made to fail), as the CLI prints it."""
    monkeypatch.setenv("DAGSTER_HOME", str(dagster_home(home)))
    code = cli.main(["release", "--root", str(root)])
    out, err = capsys.readouterr()
    return code, out, err


@pytest.mark.slow
def test_a_hand_edited_csv_stops_the_release_instead_of_no_change(released, tmp_path):
    root, _ = released
    csv = latest_dir(root) / "data" / "events.csv"
    csv.write_bytes(csv.read_bytes().replace(b"2022-02-04", b"2022-02-05", 1))
    (root / "raw" / "coastal-mapping.txt").write_text(NEW_DOC, encoding="utf-8")  # something to publish, too
    before = tree_digest(root / "releases")
    done = run_cli(root, dagster_home(tmp_path / "home"))
    assert done.returncode == 1, done.stdout + done.stderr
    assert_one_error_line(
        done.stderr, "releases/1.0.0/data/events.csv", "git checkout -- releases/1.0.0/data/events.csv"
    )
    assert "no change" not in done.stdout and "published" not in done.stdout
    assert tree_digest(root / "releases") == before  # no version, and the catalogue page not rendered again


@pytest.mark.slow
def test_a_truncated_index_is_one_error_line(released, tmp_path):
    root, _ = released
    index = root / "releases" / "index.json"
    index.write_bytes(index.read_bytes()[:40])
    before = tree_digest(root / "releases")
    done = run_cli(root, dagster_home(tmp_path / "home"))
    assert done.returncode == 1
    assert_one_error_line(done.stderr, str(index), "not a valid release index", "git checkout -- releases/index.json")
    assert tree_digest(root / "releases") == before


@pytest.mark.slow
@pytest.mark.parametrize("folder", ["releases", "warehouse"])
def test_an_unwritable_folder_stops_the_run_before_any_work(released, tmp_path, folder):
    root, _ = released
    (root / "raw" / "coastal-mapping.txt").write_text(NEW_DOC, encoding="utf-8")
    home = dagster_home(tmp_path / "home")
    before = tree_digest(root / "releases")
    with read_only(root / folder):
        done = run_cli(root, home)
    assert done.returncode == 1
    assert_one_error_line(done.stderr, f"cannot write to {root / folder} ", "make it writable")
    assert tree_digest(root / "releases") == before
    assert not (home / "storage").exists() or not any((home / "storage").iterdir())  # nothing extracted


def _fail_with_no_space(monkeypatch, target, name: str) -> None:
    def full(*args, **kwargs):
        raise no_space(args[-1] if name == "write_csv" else "/full/disk/file")

    monkeypatch.setattr(target, name, full)


NO_SPACE_WRITES = {
    # case: where the write fails
    "staging": (release_module, "write_csv"),
    "warehouse": (warehouse_module, "build_database"),
    "dagster-storage": (resources._Pickles, "handle_output"),
}


@pytest.mark.slow
@pytest.mark.parametrize("case", list(NO_SPACE_WRITES))
def test_a_full_disk_is_one_error_line_saying_how_much_is_needed(released, tmp_path, monkeypatch, capsys, case):
    root, _ = released
    (root / "raw" / "coastal-mapping.txt").write_text(NEW_DOC, encoding="utf-8")
    before = tree_digest(root / "releases")
    _fail_with_no_space(monkeypatch, *NO_SPACE_WRITES[case])
    code, out, err = run_in_process(root, tmp_path / "home", monkeypatch, capsys)
    assert code == 1
    line = assert_one_error_line(err, "no space left on device while writing", "nothing was published", "B free now")
    assert "the last version, 1.0.0, takes" in line
    assert "published" not in out
    assert tree_digest(root / "releases") == before
    assert [p.name for p in staging_root(root / "releases").iterdir()] == ["lock"]
    assert sorted(p.name for p in (root / "warehouse").iterdir()) == ["japan-asean-cooperation.duckdb"]


@pytest.mark.slow
@pytest.mark.parametrize("damage", ["emptied", "truncated"])
def test_an_unreadable_stored_intermediate_is_extracted_again(released, caplog, damage):
    root, home = released
    stored = home / "storage" / "document_facts" / "river-school-en.txt"
    data = stored.read_bytes()
    stored.write_bytes(b"" if damage == "emptied" else data[: len(data) // 2])
    (root / "raw" / "coastal-mapping.txt").write_text(NEW_DOC, encoding="utf-8")
    with dagster_instance(home) as instance:
        summary = run_pipeline(root, instance)
        assert summary.published and summary.version == "1.1.0"
        warnings = [r.getMessage() for r in caplog.records if "could not be read" in r.getMessage()]
        assert len(warnings) == 1, warnings
        assert "river-school-en.txt" in warnings[0] and "extracted again" in warnings[0], warnings
        assert stored.read_bytes() == data  # made again, the same
        # The document's facts are published: the minor version adds only the new document's rows.
        assert b"river-school-en" in (latest_dir(root) / "data" / "events.csv").read_bytes()
        assert not run_pipeline(root, instance).published
