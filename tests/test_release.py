"""Releases people can trust: semantic versions from the diff, CHANGES.md, integrity, immutability,
atomic publishing under crashes, and reproducible rebuilds.

Fast tests publish small hand-built tables with the real DuckDB writer and verification; the slower
ones run the real pipeline on a temporary copy of raw/ (in-process, or as `python -m pipelines.cli release`
in a subprocess that is killed mid-publish).
"""

from __future__ import annotations

import fcntl
import json
import subprocess
import threading
import zipfile
from dataclasses import replace
from pathlib import Path

import pandas as pd
import pytest
from conftest import dagster_home, dagster_instance, make_project, run_cli, tree_digest
from release_helpers import base_rows, publish_rows, tables_without

from pipelines.catalogue.context import CONTEXT_DIR
from pipelines.normalize import fold_text, number_text
from pipelines.publish.package import sha256_bytes
from pipelines.publish.store import (
    JOURNAL_NAME,
    LOCK_NAME,
    ReleaseError,
    publish_lock,
    read_index,
    recover,
    staging_root,
)
from schemas.tables import TABLES

STEPS = ["data/documents.csv", "data/parquet", "datapackage.json", "duckdb", "extra", "zip", "renamed"]
# Killing the real pipeline costs a whole run per step: the first file, the descriptor, the last file
# before the rename, and the rename itself (every step is interrupted in-process, below, as well).
KILL_STEPS = ["data/documents.csv", "datapackage.json", "zip", "renamed"]
# What each step has just written into the staging folder.
STAGED_BY_STEP = {
    "data/documents.csv": "data/documents.csv",
    "data/parquet": "data/*.parquet",
    "datapackage.json": "datapackage.json",
    "duckdb": "japan-asean-cooperation.duckdb",
    "extra": "COVERAGE.md",
    "zip": "japan-asean-cooperation-*.zip",
}


def _changes(folder: Path) -> tuple[str, dict]:
    return (folder / "CHANGES.md").read_text(encoding="utf-8"), json.loads((folder / "changes.json").read_text())


def _markdown_row(markdown: str, *cells: str) -> str:
    """The one Markdown table row that holds all the given cells."""
    rows = [line for line in markdown.splitlines() if line.startswith("|") and all(c in line for c in cells)]
    assert len(rows) == 1, (cells, rows)
    return rows[0]


# --- Versions from the diff (hand-built tables) ------------------------------------------------------


def test_first_release_is_1_0_0_and_unchanged_tables_publish_nothing(tmp_path):
    releases = tmp_path / "releases"
    first = publish_rows(releases, base_rows())
    assert (first.published, first.version) == (True, "1.0.0")
    before = tree_digest(tmp_path)

    again = publish_rows(releases, base_rows())

    assert (again.published, again.version) == (False, "1.0.0")
    assert again.message == "no change since 1.0.0: nothing published"
    assert tree_digest(tmp_path) == before
    assert [v["version"] for v in read_index(releases)["versions"]] == ["1.0.0"]


def test_added_rows_make_a_minor_version_whose_changes_list_them(tmp_path):
    releases = tmp_path / "releases"
    publish_rows(releases, base_rows())
    rows = base_rows()
    rows["events"].append(
        {
            "date": "2013-12",
            "description": "40th anniversary summit",
            "document_id": "doc-a",
            "char_start": 600,
            "char_end": 632,
            "quote": "2013-12 40th anniversary summit |x|",
        }
    )

    outcome = publish_rows(releases, rows)

    assert (outcome.published, outcome.version) == (True, "1.1.0")
    markdown, changes = _changes(releases / "1.1.0")
    added = changes["tables"]["events"]["rows_added"]
    assert changes["level"] == "minor" and changes["previous"] == "1.0.0" and len(added) == 1
    assert all(not t["rows_removed"] and not t["values_changed"] for t in changes["tables"].values())
    assert "a **minor** change (1 row added)" in markdown
    row = _markdown_row(markdown, f"`{added[0]}`")
    assert "doc-a" in row and r"2013-12 40th anniversary summit \|x\|" in row


def test_removed_rows_make_a_minor_version_showing_what_they_said(tmp_path):
    releases = tmp_path / "releases"
    publish_rows(releases, base_rows())
    rows = base_rows()
    gone = rows["indicators"].pop()

    outcome = publish_rows(releases, rows)

    assert outcome.version == "1.1.0"
    markdown, changes = _changes(releases / "1.1.0")
    removed = changes["tables"]["indicators"]["rows_removed"]
    assert len(removed) == 1
    assert gone["quote"] in _markdown_row(markdown, f"`{removed[0]}`")


def test_changed_value_makes_a_patch_version_showing_old_and_new(tmp_path):
    releases = tmp_path / "releases"
    publish_rows(releases, base_rows())
    rows = base_rows()
    old_budget = rows["projects"][0]["budget_amount"]
    rows["projects"][0]["budget_amount"] = old_budget + 100000.0
    # A value appearing where there was none (a nullable integer) is a changed value too.
    rows["projects"][1]["participants"] = 120

    outcome = publish_rows(releases, rows)

    assert (outcome.published, outcome.version) == (True, "1.0.1")
    markdown, changes = _changes(releases / "1.0.1")
    changed = changes["tables"]["projects"]["values_changed"]
    by_column = {c["column"]: c for c in changed}
    assert set(by_column) == {"budget_amount", "participants"}
    assert (by_column["budget_amount"]["old"], by_column["budget_amount"]["new"]) == (old_budget, old_budget + 100000)
    assert (by_column["participants"]["old"], by_column["participants"]["new"]) == (None, 120)
    assert changes["level"] == "patch"
    assert _markdown_row(markdown, f"`{by_column['budget_amount']['key']}`", "`budget_amount`").endswith(
        f"| {number_text(old_budget)} | {number_text(old_budget + 100000)} |"
    )


@pytest.mark.slow
def test_diff_of_the_differing_records_alone_equals_the_diff_of_whole_tables(tmp_path, monkeypatch):
    """The publisher compares only the records one CSV has and the other lacks: the changes it
    writes are those of comparing every row."""
    import pipelines.publish.versions as versions

    rows = base_rows()
    rows["events"][0]["quote"] = 'a "quoted", comma\nand a line break |x|'
    changed = base_rows()
    changed["events"][0]["quote"] = rows["events"][0]["quote"]
    changed["events"][1]["description"] += " (revised)"
    changed["indicators"].pop()
    changed["projects"][0]["budget_amount"] += 1.0
    changed["projects"][1]["participants"] = 7
    changed["events"].append({**changed["events"][0], "char_start": 900, "char_end": 950})
    outputs = {}
    for mode in ("records", "whole"):
        releases = tmp_path / mode / "releases"
        publish_rows(releases, rows)
        with monkeypatch.context() as patched:
            if mode == "whole":
                patched.setattr(versions, "_differing_rows", lambda old, new: None)
            outcome = publish_rows(releases, changed)
        outputs[mode] = _changes(outcome.path)
    markdown, changes = outputs["records"]
    assert changes["tables"]["events"]["rows_added"] and changes["tables"]["indicators"]["rows_removed"]
    assert {c["column"] for c in changes["tables"]["projects"]["values_changed"]} >= {"budget_amount", "participants"}
    assert outputs["records"] == outputs["whole"]


def test_differing_records_are_those_one_csv_lacks_whatever_the_quoting(tmp_path):
    """Random edits of a CSV whose cells hold quotes, commas and line breaks: the records kept are
    exactly the set difference of the parsed records, whichever stretch of the file changed."""
    import csv
    import io
    import random

    from pipelines.publish.versions import _differing_rows

    def write(path: Path, rows: list[list[str]]) -> None:
        out = io.StringIO()
        csv.writer(out, lineterminator="\n").writerows([["id", "text"], *rows])
        path.write_bytes(out.getvalue().encode("utf-8"))

    def parsed(records: list[list[str]]) -> list[tuple[str, ...]]:
        assert records[0] == ["id", "text"]  # the header first
        return [tuple(r) for r in records][1:]

    rng = random.Random(7)
    pieces = ["a", "b c", '"', ",", "\n", "\r\n", "x\ny", '""', "é", ""]
    for trial in range(300):
        rows = [[f"r{i}", "".join(rng.choice(pieces) for _ in range(rng.randint(0, 4)))] for i in range(12)]
        changed = [list(r) for r in rows]
        for _ in range(rng.randint(0, 3)):
            at = rng.randrange(len(changed))
            edit = rng.choice(["cell", "drop", "add"])
            if edit == "cell":
                changed[at][1] = "".join(rng.choice(pieces) for _ in range(rng.randint(0, 4)))
            elif edit == "drop" and len(changed) > 1:
                changed.pop(at)
            else:
                changed.insert(at, [f"n{trial}-{at}", rng.choice(pieces)])
        write(tmp_path / "old.csv", rows)
        write(tmp_path / "new.csv", changed)
        old_kept, new_kept = _differing_rows(tmp_path / "old.csv", tmp_path / "new.csv")
        old_set, new_set = {tuple(r) for r in rows}, {tuple(r) for r in changed}
        assert parsed(old_kept) == [tuple(r) for r in rows if tuple(r) not in new_set], trial
        assert parsed(new_kept) == [tuple(r) for r in changed if tuple(r) not in old_set], trial


def test_published_rows_are_read_with_the_types_of_the_published_frame():
    """read_published_rows (the diff's reader) and read_published_csv (a DataFrame) read the same
    values: empty cells missing, numbers, integers and booleans typed, a field the file lacks missing."""
    import math

    from pipelines.publish.tables import read_published_csv, read_published_rows

    data = b'id,n,x,flag,text\nk1,3,2.5,true,"a, ""b""\nc"\nk2,,,false,\nk3,-7,1e-3,,x\n'
    fields = [
        {"name": "id", "type": "string"},
        {"name": "n", "type": "integer"},
        {"name": "x", "type": "number"},
        {"name": "flag", "type": "boolean"},
        {"name": "text", "type": "string"},
        {"name": "gone", "type": "integer"},
    ]
    rows = read_published_rows(data, fields)
    assert rows == [
        ["k1", 3, 2.5, True, 'a, "b"\nc', None],
        ["k2", None, None, False, None, None],
        ["k3", -7, 0.001, None, "x", None],
    ]
    df = read_published_csv(data, fields)

    def cell(v):
        return None if v is None or v is pd.NA or (isinstance(v, float) and math.isnan(v)) else v

    assert [[cell(v) for v in r] for r in df.astype(object).itertuples(index=False)] == rows


def test_row_diff_matches_by_key_and_compares_columns_both_sides_have(monkeypatch):
    """Rows added and removed by primary key (composite keys joined by '|'), values changed listed by
    key then column, a retyped column left out, a cell missing on both sides unchanged."""
    from pipelines.publish.diff import KeyedRows, diff_rows
    from pipelines.publish.tables import read_published_rows

    names = ["document_id", "a", "b", "c"]
    old = KeyedRows(names, {"d1": ["d1", 1, None, "x"], "d2": ["d2", 2, 0.5, "y"], "d3": ["d3", 3, None, "z"]})
    new = KeyedRows(
        ["document_id", "b", "a", "c", "added"],
        {"d1": ["d1", None, 1, "x", 9], "d2": ["d2", 0.75, 5, "y2", None], "d4": ["d4", None, 4, "w", 1]},
    )
    td = diff_rows(old, new, retyped=["c"])
    assert (td.added, td.removed) == (["d4"], ["d3"])
    assert td.changed == [
        {"key": "d2", "column": "b", "old": 0.5, "new": 0.75},
        {"key": "d2", "column": "a", "old": 2, "new": 5},
    ]
    first = diff_rows(None, new, retyped=[])
    assert (first.added, first.removed, first.changed) == (["d1", "d2", "d4"], [], [])
    data = b"document_id,fact_id,v\nd1,f2,1\nd1,f1,2\n"
    fields = [
        {"name": "document_id", "type": "string"},
        {"name": "fact_id", "type": "string"},
        {"name": "v", "type": "integer"},
    ]
    monkeypatch.setitem(TABLES, "documents", replace(TABLES["documents"], primary_key=("document_id", "fact_id")))
    keyed = KeyedRows.of("documents", fields, read_published_rows(data, fields))
    assert keyed.rows == {"d1|f2": ["d1", "f2", 1], "d1|f1": ["d1", "f1", 2]}
    assert keyed.row("d1|f1") == {"document_id": "d1", "fact_id": "f1", "v": 2} and keyed.row("nope") is None


def _publish_under_schema(monkeypatch, releases: Path, table_name: str, fields, extra_columns=()) -> None:
    """Publish 1.0.0 as if TABLES[table_name] had had these fields (an older schema)."""
    rows = base_rows()
    for row in rows[table_name]:
        row.update({c: "legacy" for c in extra_columns})
    with monkeypatch.context() as patched:
        patched.setitem(TABLES, table_name, replace(TABLES[table_name], fields=tuple(fields)))
        assert publish_rows(releases, rows).version == "1.0.0"


def test_removed_column_is_a_major_version(tmp_path, monkeypatch):
    from schemas.tables import Field

    releases = tmp_path / "releases"
    table = TABLES["meetings"]
    _publish_under_schema(
        monkeypatch,
        releases,
        "meetings",
        [*table.fields, Field("venue_code", "string", "A column that was dropped.")],
        extra_columns=["venue_code"],
    )
    outcome = publish_rows(releases, base_rows())
    assert outcome.version == "2.0.0"
    markdown, changes = _changes(releases / "2.0.0")
    assert changes["columns_removed"] == {"meetings": ["venue_code"]}
    assert "Columns removed in `meetings`: `venue_code`" in markdown


def test_retyped_column_is_a_major_version_even_when_every_cell_is_unchanged(tmp_path, monkeypatch):
    releases = tmp_path / "releases"
    table = TABLES["projects"]
    as_text = [replace(f, type="string", minimum=None) if f.name == "phase" else f for f in table.fields]
    _publish_under_schema(monkeypatch, releases, "projects", as_text)
    old_csv = (releases / "1.0.0" / "data" / "projects.csv").read_bytes()

    outcome = publish_rows(releases, base_rows())

    assert (releases / "2.0.0" / "data" / "projects.csv").read_bytes() == old_csv
    assert outcome.version == "2.0.0"
    assert _changes(releases / "2.0.0")[1]["columns_retyped"] == {"projects": ["phase"]}


def test_added_column_is_a_minor_version(tmp_path, monkeypatch):
    releases = tmp_path / "releases"
    table = TABLES["events"]
    _publish_under_schema(monkeypatch, releases, "events", [f for f in table.fields if f.name != "end_date"])
    outcome = publish_rows(releases, base_rows())
    assert outcome.version == "1.1.0"
    assert _changes(releases / "1.1.0")[1]["columns_added"] == {"events": ["end_date"]}


def test_added_table_is_minor_and_removed_table_is_major(tmp_path):
    releases = tmp_path / "releases"
    order = list(TABLES)
    with tables_without("metrics"):
        assert publish_rows(releases, base_rows()).version == "1.0.0"
    assert publish_rows(releases, base_rows()).version == "1.1.0"
    assert _changes(releases / "1.1.0")[1]["tables_added"] == ["metrics"]
    with tables_without("leaders"):
        assert publish_rows(releases, base_rows()).version == "2.0.0"
    assert list(TABLES) == order
    assert _changes(releases / "2.0.0")[1]["tables_removed"] == ["leaders"]


# --- Integrity --------------------------------------------------------------------------------------


@pytest.mark.slow
def test_checksums_descriptor_hashes_and_zip_cover_the_version(tmp_path):
    releases = tmp_path / "releases"
    folder = publish_rows(releases, base_rows()).path
    files = {p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*") if p.is_file()}
    zip_name = "japan-asean-cooperation-1.0.0.zip"

    sums = dict(reversed(line.split("  ", 1)) for line in files["SHA256SUMS"].decode().splitlines())
    assert set(sums) == set(files) - {"SHA256SUMS", zip_name}
    assert all(sums[rel] == sha256_bytes(files[rel]) for rel in sums)
    done = subprocess.run(["sha256sum", "--strict", "-c", "SHA256SUMS"], cwd=folder, capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr

    package = json.loads(files["datapackage.json"])
    assert [r["name"] for r in package["resources"]] == [*TABLES, *(f"{name}-parquet" for name in TABLES)]
    for res in package["resources"]:
        if res["format"] == "csv":
            assert res["bytes"] == len(files[res["path"]])
            assert res["hash"] == "sha256:" + sha256_bytes(files[res["path"]])
        else:  # frictionless cannot count a Parquet file's bytes: its digest is in SHA256SUMS
            assert (res["format"], res["path"]) == ("parquet", f"data/{res['name'].removesuffix('-parquet')}.parquet")
            assert res["path"] in sums

    with zipfile.ZipFile(folder / zip_name) as zf:
        zipped = {n.split("/", 1)[1]: zf.read(n) for n in zf.namelist()}
    assert zipped == {rel: data for rel, data in files.items() if rel != zip_name}
    assert read_index(releases)["versions"][0]["sha256"] == sha256_bytes(files["datapackage.json"])


def _cell_set(column: str, value: str, row: int = 0):
    """A fault: one cell of a data row replaced."""

    def fault(rows: list[list[str]]) -> None:
        rows[row + 1][rows[0].index(column)] = value

    return fault


# Faults in a staged CSV, with the descriptor's size and hash brought in line with the faulty file so
# that only the fault itself is left to find: (table, how the rows change, what verification says).
EVENT_FIELDS = len(TABLES["events"].fields)  # the events table's columns, as schemas/tables.py defines them
CSV_FAULTS = {
    "integer is not an integer": ("projects", _cell_set("phase", "1.5"), "phase: not a integer"),
    "number is not a number": ("indicators", _cell_set("value", "about 5"), "value: not a number"),
    "boolean is not true or false": ("meetings", _cell_set("special_50th", "yes"), "special_50th: not a boolean"),
    "required value missing": ("events", _cell_set("description", ""), "description: required value missing"),
    "value outside the enum": ("memberships", _cell_set("status", "partner"), "status: constraint enum"),
    "value not matching the pattern": ("events", _cell_set("date", "March 1981"), "date: constraint pattern"),
    "value below the minimum": ("events", _cell_set("char_start", "-1"), "char_start: constraint minimum"),
    "value not above the exclusive minimum": (
        "projects",
        _cell_set("budget_amount", "0"),
        "budget_amount: constraint exclusiveMinimum",
    ),
    "text longer than maxLength": ("events", _cell_set("quote", "x" * 401), "quote: constraint maxLength"),
    "repeated primary key": ("events", lambda rows: rows.append(list(rows[1])), "primary key"),
    "foreign key to no document": ("events", _cell_set("document_id", "doc-z"), "foreign key ('doc-z',)"),
    "extra cell": (
        "events",
        lambda rows: rows[1].append("x"),
        f"row 1: {EVENT_FIELDS + 1} cells for {EVENT_FIELDS} fields",
    ),
    "missing cell": (
        "events",
        lambda rows: rows[1].pop(),
        f"row 1: {EVENT_FIELDS - 1} cells for {EVENT_FIELDS} fields",
    ),
    "header not the schema's fields": ("events", _cell_set("date", "day", row=-1), "header"),
    "blank row": ("events", lambda rows: rows.insert(2, [""] * len(rows[0])), "blank row"),
}


def _staged_copy(tmp_path: Path) -> Path:
    """A published version copied aside: verification runs on it as on a staged folder."""
    import shutil

    folder = publish_rows(tmp_path / "releases", base_rows()).path
    return Path(shutil.copytree(folder, tmp_path / "staged"))


def _rewrite_csv(folder: Path, table: str, data: bytes) -> None:
    """Replace a CSV and make the descriptor's size and hash agree with it."""
    (folder / "data" / f"{table}.csv").write_bytes(data)
    package = json.loads((folder / "datapackage.json").read_text(encoding="utf-8"))
    resource = next(r for r in package["resources"] if r["name"] == table)
    resource["bytes"], resource["hash"] = len(data), "sha256:" + sha256_bytes(data)
    (folder / "datapackage.json").write_text(json.dumps(package, ensure_ascii=False, indent=2), encoding="utf-8")


def _frictionless_errors(folder: Path) -> list[str]:
    from frictionless import Package

    report = Package(str(folder / "datapackage.json")).validate()
    return [err.type for task in report.tasks for err in task.errors] + [err.type for err in report.errors]


@pytest.mark.slow
@pytest.mark.parametrize("fault", CSV_FAULTS)
def test_verification_refuses_a_csv_that_does_not_conform_and_frictionless_agrees(tmp_path, fault):
    import csv
    import io

    from pipelines.publish.package import verify_release

    table, change, expected = CSV_FAULTS[fault]
    folder = _staged_copy(tmp_path)
    assert verify_release(folder) == [] and _frictionless_errors(folder) == []
    rows = list(csv.reader(io.StringIO((folder / "data" / f"{table}.csv").read_text(encoding="utf-8"), newline="")))
    change(rows)
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    _rewrite_csv(folder, table, out.getvalue().encode("utf-8"))

    problems = verify_release(folder)

    assert any(expected in p and p.startswith(f"data/{table}.csv: ") for p in problems), problems
    assert _frictionless_errors(folder), "frictionless accepts what verification refused"


@pytest.mark.slow
@pytest.mark.parametrize("fault", CSV_FAULTS)
def test_verification_reports_the_same_problems_whatever_its_chunks(tmp_path, monkeypatch, fault):
    """Clean chunks are checked by distinct values, faulty ones row by row: with one row per chunk
    (the fault's chunk alone falls back), the report equals that of one chunk for the whole file."""
    import csv
    import io

    import pipelines.publish.verification as verification
    from pipelines.publish.package import verify_release

    table, change, _ = CSV_FAULTS[fault]
    folder = _staged_copy(tmp_path)
    rows = list(csv.reader(io.StringIO((folder / "data" / f"{table}.csv").read_text(encoding="utf-8"), newline="")))
    change(rows)
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    _rewrite_csv(folder, table, out.getvalue().encode("utf-8"))

    reports = {}
    for size in (1, 2, 10**6):
        monkeypatch.setattr(verification, "CHUNK_ROWS", size)
        reports[size] = verify_release(folder)
    assert reports[10**6], fault
    assert reports[1] == reports[2] == reports[10**6]


@pytest.mark.slow
def test_verification_refuses_a_csv_that_is_not_utf8_and_frictionless_agrees(tmp_path):
    from pipelines.publish.package import verify_release

    folder = _staged_copy(tmp_path)
    data = (folder / "data" / "events.csv").read_bytes()
    _rewrite_csv(folder, "events", data.replace(b"first meeting", b"first \xff meeting"))

    assert any("data/events.csv: not utf-8" in p for p in verify_release(folder))
    assert _frictionless_errors(folder)


@pytest.mark.slow
def test_verification_refuses_a_csv_whose_size_or_hash_is_not_the_descriptors(tmp_path):
    from pipelines.publish.package import verify_release

    folder = _staged_copy(tmp_path)
    path = folder / "data" / "events.csv"
    path.write_bytes(path.read_bytes().replace(b"first meeting", b"first meetinG"))  # same size, other hash

    assert any("data/events.csv: sha256 differs from the descriptor's hash" in p for p in verify_release(folder))
    assert {"hash-count"} <= set(_frictionless_errors(folder))
    path.write_bytes(path.read_bytes() + b"\n")
    assert any("data/events.csv: " in p and "bytes, but the descriptor says" in p for p in verify_release(folder))


@pytest.mark.slow
def test_verification_refuses_a_wrong_checksum_and_a_row_count_that_differs_from_duckdb(tmp_path):
    from pipelines.publish.package import verify_release

    folder = _staged_copy(tmp_path)
    sums = (folder / "SHA256SUMS").read_text(encoding="utf-8")
    digest = sha256_bytes((folder / "CHANGES.md").read_bytes())
    (folder / "SHA256SUMS").write_text(sums.replace(digest, "0" * 64), encoding="utf-8")
    assert verify_release(folder) == ["checksum mismatch: CHANGES.md"]

    (folder / "SHA256SUMS").write_text(sums, encoding="utf-8")
    data = (folder / "data" / "events.csv").read_bytes()
    _rewrite_csv(folder, "events", data[: data.rindex(b"\n", 0, len(data) - 1) + 1])  # the last row dropped
    problems = verify_release(folder)
    assert "events: 1 rows in CSV but 2 in DuckDB" in problems


# --- Immutability and atomicity (hand-built tables) --------------------------------------------------


def _with_added_event() -> dict:
    rows = base_rows()
    rows["events"].append(
        {
            "date": "2003-12",
            "description": "30th anniversary summit",
            "document_id": "doc-a",
            "char_start": 640,
            "char_end": 670,
            "quote": "2003-12 30th anniversary summit",
        }
    )
    return rows


@pytest.mark.slow
def test_publishing_into_an_existing_version_folder_is_refused(tmp_path):
    releases = tmp_path / "releases"
    publish_rows(releases, base_rows())
    squatter = releases / "1.1.0"
    squatter.mkdir()
    (squatter / "README.txt").write_text("put here by hand\n")
    before = tree_digest(releases)

    with pytest.raises(ReleaseError, match="1.1.0 already exists.*never overwritten"):
        publish_rows(releases, _with_added_event())

    assert tree_digest(releases) == before
    (squatter / "README.txt").unlink()
    squatter.rmdir()
    assert publish_rows(releases, _with_added_event()).version == "1.1.0"


@pytest.mark.slow
def test_failed_verification_publishes_nothing(tmp_path):
    releases = tmp_path / "releases"
    publish_rows(releases, base_rows())
    before = tree_digest(releases)

    with pytest.raises(ReleaseError, match="does not verify"):
        publish_rows(releases, _with_added_event(), verify=lambda folder: ["planted problem"])

    assert tree_digest(releases) == before
    assert [p.name for p in staging_root(releases).iterdir()] == [LOCK_NAME]


class Interrupted(BaseException):
    """Stands for a KeyboardInterrupt or SystemExit raised in the middle of publishing."""


@pytest.mark.slow
@pytest.mark.parametrize("step", STEPS)
def test_interruption_at_any_step_leaves_releases_as_they_were(tmp_path, step):
    releases = tmp_path / "releases"
    publish_rows(releases, base_rows())
    before = tree_digest(releases)
    reached = []

    def interrupt(at: str) -> None:
        reached.append(at)
        if at == step:
            raise Interrupted(at)

    with pytest.raises(Interrupted):
        publish_rows(releases, _with_added_event(), fault=interrupt)

    assert reached[-1] == step
    assert tree_digest(releases) == before
    assert [p.name for p in staging_root(releases).iterdir()] == [LOCK_NAME]
    assert publish_rows(releases, _with_added_event()).version == "1.1.0"


@pytest.mark.slow
def test_interruption_after_the_index_keeps_the_version_and_the_next_run_updates_the_page(tmp_path):
    releases = tmp_path / "releases"
    publish_rows(releases, base_rows())

    def interrupt(at: str) -> None:
        if at == "index.json":
            raise Interrupted(at)

    with pytest.raises(Interrupted):
        publish_rows(releases, _with_added_event(), fault=interrupt)
    assert read_index(releases)["latest"] == "1.1.0"
    assert 'id="v1.1.0"' not in (releases / "index.html").read_text(encoding="utf-8")

    outcome = publish_rows(releases, _with_added_event())

    assert (outcome.published, outcome.version) == (False, "1.1.0")
    assert 'id="v1.1.0"' in (releases / "index.html").read_text(encoding="utf-8")


@pytest.mark.slow
def test_recovery_removes_only_the_version_folder_the_journal_names(tmp_path):
    releases = tmp_path / "releases"
    publish_rows(releases, base_rows())
    for version in ("1.1.0", "7.0.0"):
        (releases / version).mkdir()
        (releases / version / "datapackage.json").write_text("{}")
    work = staging_root(releases)
    (work / JOURNAL_NAME).write_text(json.dumps({"version": "1.1.0"}))
    (work / "1.1.0-12345" / "data").mkdir(parents=True)

    with publish_lock(releases):
        removed = recover(releases)

    assert sorted(removed) == ["1.1.0", "1.1.0-12345"]
    assert not (releases / "1.1.0").exists()
    assert (releases / "7.0.0" / "datapackage.json").exists()
    assert [p.name for p in work.iterdir()] == [LOCK_NAME]


@pytest.mark.slow
def test_a_second_publisher_waits_for_the_first(tmp_path):
    releases = tmp_path / "releases"
    publish_rows(releases, base_rows())
    outcome = {}
    with open(staging_root(releases) / LOCK_NAME, "a+") as held:
        fcntl.flock(held, fcntl.LOCK_EX)
        waiting = threading.Thread(target=lambda: outcome.update(o=publish_rows(releases, _with_added_event())))
        waiting.start()
        waiting.join(timeout=1.0)
        assert waiting.is_alive() and not outcome
        assert read_index(releases)["latest"] == "1.0.0"
        fcntl.flock(held, fcntl.LOCK_UN)
    waiting.join(timeout=60)
    assert not waiting.is_alive() and outcome["o"].version == "1.1.0"


# --- The real pipeline ------------------------------------------------------------------------------

ADDED_DOCUMENT = "mofa-iai-cooperation-2001-en.txt"
CHANGED_DOCUMENT = "mofa-japan-asean-50th-anniversary-briefing-ja.txt"


def _bump_last_digit(quote: str) -> str:
    """The same statement with its last digit changed (full-width digits stay full-width)."""
    for i in range(len(quote) - 1, -1, -1):
        c = quote[i]
        if c.isdigit() and ("0" <= c <= "9" or "０" <= c <= "９"):
            zero = "0" if c <= "9" else "０"
            return quote[:i] + chr(ord(zero) + (ord(c) - ord(zero) + 1) % 10) + quote[i + 1 :]
    raise ValueError(f"no digit in {quote!r}")


def _restate(root: Path, version: str) -> dict:
    """Write a modified copy of one raw document in the temporary project: one stated number changed.
    The statement is chosen from the published release (a GDP per capita whose quote is a plain number
    of US dollars, stated once), so nothing here is copied from raw/."""
    from pipelines.publish.tables import read_csv_table

    path = root / "raw" / CHANGED_DOCUMENT
    text = path.read_bytes().decode("utf-8")
    df = read_csv_table("indicators", (root / "releases" / version / "data" / "indicators.csv").read_bytes())
    rows = df[
        (df["document_id"] == CHANGED_DOCUMENT.removesuffix(".txt"))
        & (df["indicator"] == "gdp_per_capita_usd")
        & df["notes"].isna()
    ]
    row = next(r for r in rows.itertuples() if text.count(r.quote) == 1)
    restated = _bump_last_digit(row.quote)
    path.write_bytes(text.replace(row.quote, restated).encode("utf-8"))
    last = int([c for c in fold_text(row.quote) if "0" <= c <= "9"][-1])
    new_value = row.value - last + (last + 1) % 10
    return {"quote": row.quote, "restated": restated, "old": row.value, "new": new_value}


@pytest.fixture(scope="module")
def history(tmp_path_factory):
    """Three runs of the real pipeline on one project: four documents, then a fifth added, then a value
    changed in one document. Returns the project root and the three run summaries."""
    from pipelines.orchestration.runner import run_pipeline

    base = tmp_path_factory.mktemp("history")
    root = make_project(base / "project")
    held_back = root.parent / ADDED_DOCUMENT
    (root / "raw" / ADDED_DOCUMENT).rename(held_back)
    # Its row of raw/sources.csv is held back with it (a row naming no file of raw/ stops the run).
    sources = root / "raw" / "sources.csv"
    all_rows = sources.read_bytes()
    sources.write_bytes(b"".join(r for r in all_rows.splitlines(True) if not r.startswith(ADDED_DOCUMENT.encode())))
    summaries = []
    with dagster_instance(base / "dagster_home") as instance:
        summaries.append(run_pipeline(root, instance))
        held_back.rename(root / "raw" / ADDED_DOCUMENT)
        sources.write_bytes(all_rows)
        summaries.append(run_pipeline(root, instance))
        restatement = _restate(root, summaries[-1].version)
        summaries.append(run_pipeline(root, instance))
    return root, summaries, restatement


def _table(folder: Path, name: str):
    from pipelines.publish.tables import read_csv_table

    return read_csv_table(name, (folder / "data" / f"{name}.csv").read_bytes())


@pytest.mark.slow
def test_adding_a_document_publishes_a_minor_version_listing_its_rows(history):
    root, (first, added, _), _ = history
    assert (first.version, added.version, added.published) == ("1.0.0", "1.1.0", True)
    folder = root / "releases" / "1.1.0"
    markdown, changes = _changes(folder)
    assert changes["level"] == "minor"
    document_id = ADDED_DOCUMENT.removesuffix(".txt")
    new_rows = 0
    for name, table in TABLES.items():
        df = _table(folder, name)
        keys = set(df.loc[df["document_id"] == document_id, table.primary_key[0]])
        assert keys <= set(changes["tables"][name]["rows_added"]), name
        for key in keys:
            assert f"| `{key}` | {document_id} |" in markdown, (name, key)
        assert not changes["tables"][name]["rows_removed"], name
        new_rows += len(keys)
    assert new_rows > 5
    assert "a **minor** change" in markdown


@pytest.mark.slow
def test_changing_a_value_publishes_a_patch_version_with_old_and_new(history):
    root, (_, _, restated), restatement = history
    assert (restated.version, restated.published) == ("1.1.1", True)
    markdown, changes = _changes(root / "releases" / "1.1.1")
    assert changes["level"] == "patch"
    assert all(not t["rows_added"] and not t["rows_removed"] for t in changes["tables"].values())
    value_changes = [c for c in changes["tables"]["indicators"]["values_changed"] if c["column"] == "value"]
    old, new = restatement["old"], restatement["new"]
    assert old != new
    assert [(c["old"], c["new"]) for c in value_changes] == [(old, new)]
    key = value_changes[0]["key"]
    assert _markdown_row(markdown, f"`{key}`", "`value`").endswith(f"| {number_text(old)} | {number_text(new)} |")
    assert _markdown_row(markdown, f"`{key}`", "`quote`").endswith(
        f"| {restatement['quote']} | {restatement['restated']} |"
    )


@pytest.mark.slow
def test_rebuilding_a_version_from_the_same_documents_gives_byte_identical_csvs_and_parquet(history, built_release):
    """1.1.0 was built incrementally (four documents, then a fifth); built_release is a clean build of
    the same five documents in another folder with another Dagster instance. The shipped texts and
    verify.py are the same bytes too."""
    root, _, _ = history
    rebuilt_root, rebuilt = built_release
    committed, rebuilt_folder = root / "releases" / "1.1.0", rebuilt_root / "releases" / rebuilt.version
    shipped = sorted(p.relative_to(committed).as_posix() for p in (committed / "sources").iterdir())
    assert len(shipped) == len(list((root / "raw").glob("*.txt")))
    assert shipped == sorted(p.relative_to(rebuilt_folder).as_posix() for p in (rebuilt_folder / "sources").iterdir())
    for name in TABLES:
        for path in (f"data/{name}.csv", f"data/{name}.parquet"):
            assert (rebuilt_folder / path).read_bytes() == (committed / path).read_bytes(), path
    for path in [*shipped, "verify.py"]:
        assert (rebuilt_folder / path).read_bytes() == (committed / path).read_bytes(), path
    resources = [json.loads((f / "datapackage.json").read_text())["resources"] for f in (committed, rebuilt_folder)]
    assert resources[0] == resources[1]


@pytest.mark.slow
def test_killing_the_publisher_at_any_step_leaves_releases_unchanged(tmp_path):
    root = make_project(tmp_path / "project")
    home = dagster_home(tmp_path / "dagster_home")
    first = run_cli(root, home)
    assert first.returncode == 0 and "published 1.0.0" in first.stdout, first.stdout + first.stderr
    _restate(root, "1.0.0")
    releases, work = root / "releases", staging_root(root / "releases")
    before = tree_digest(releases)

    for step in KILL_STEPS:
        killed = run_cli(root, home, crash_after=step)
        assert killed.returncode == 86, (step, killed.stdout, killed.stderr[-3000:])
        after = tree_digest(releases)
        if step == "renamed":
            # The one moment releases/ is not as it was: the complete version folder is in place but not
            # listed in index.json; the journal names it, and the next publish removes it first of all.
            unlisted = json.loads((work / JOURNAL_NAME).read_text())["version"]
            assert unlisted not in {v["version"] for v in read_index(releases)["versions"]}
            assert {
                rel: h for rel, h in after.items() if rel != unlisted and not rel.startswith(f"{unlisted}/")
            } == before, step
        else:
            assert after == before, step
            staged = [p for p in work.iterdir() if p.is_dir()]
            assert len(staged) == 1 and list(staged[0].glob(STAGED_BY_STEP[step])), (step, list(work.iterdir()))

    rerun = run_cli(root, home)

    assert rerun.returncode == 0 and "published" in rerun.stdout, rerun.stdout + rerun.stderr
    index = read_index(releases)
    assert [v["version"] for v in index["versions"]] == [index["latest"], "1.0.0"]
    after = tree_digest(releases)
    assert {rel: h for rel, h in after.items() if rel.startswith("1.0.0/")} == {
        rel: h for rel, h in before.items() if rel.startswith("1.0.0/")
    }
    # New: the version folder, and the catalogue's fact-in-context pages of that version.
    latest_context = f"{CONTEXT_DIR}/{index['latest']}"
    assert set(after) - set(before) == {
        rel
        for rel in after
        if rel == index["latest"] or rel.startswith(f"{index['latest']}/") or rel.startswith(latest_context)
    }
    assert [p.name for p in work.iterdir()] == [LOCK_NAME]
    done = subprocess.run(
        ["sha256sum", "--strict", "-c", "SHA256SUMS"], cwd=releases / index["latest"], capture_output=True, text=True
    )
    assert done.returncode == 0, done.stdout + done.stderr
