"""Where each document came from, and releases a user can check: raw/sources.csv (checked when raw/ is
read, joined into the documents table, a change to it publishing a new version without re-extracting),
the `add` command, and sources/<document_id>.txt with verify.py in every release.

Belongs here: those features, on invented documents and hand-built release folders (the slow tests
run the real pipeline, or check a real built release with its own verify.py in a fresh folder).
Does not belong here: decoding documents (``test_bad_input.py``), versions and publishing in general
(``test_release.py``).
"""

from __future__ import annotations

import ast
import csv
import dataclasses
import datetime as dt
import hashlib
import io
import json
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from conftest import REPO, dagster_instance, make_project
from release_helpers import base_rows, publish_rows, texts_from

from pipelines import cli
from pipelines.documents import Document, list_document_paths
from pipelines.orchestration.automation import _release_reason
from pipelines.orchestration.staleness import PipelineError, scan_raw
from pipelines.publish import shipped_verify
from pipelines.publish.package import source_files
from pipelines.publish.store import ReleaseError
from pipelines.publish.tables import documents_frame
from pipelines.raw_sources import (
    COLUMNS,
    NOT_LISTED,
    SourceRow,
    SourcesError,
    add_document,
    read_sources,
    sources_bytes,
)
from schemas.tables import FACT_TABLES, RAW_SOURCES, TABLES

DOC_EN = "Invented cooperation note\nExample Ministry\n2 March 2021\n\nJapan gave 12 million yen in 2021.\n"
DOC_JA = "架空の協力メモ\n例示省\n2021年3月2日\n\n日本は2021年に1,200万円を拠出した。\n"
HEADER = ",".join(COLUMNS) + "\n"
GOOD_ROWS = (
    "alpha-en.txt,https://example.org/alpha,2024-05-01,CC BY 4.0,\n"
    "beta-ja.txt,,,,no URL known: received by email; access date not recorded\n"
)


def _raw(tmp_path: Path, sources: str | None = HEADER + GOOD_ROWS) -> Path:
    raw = tmp_path / "raw"
    raw.mkdir(parents=True)
    (raw / "alpha-en.txt").write_text(DOC_EN, encoding="utf-8")
    (raw / "beta-ja.txt").write_text(DOC_JA, encoding="utf-8")
    if sources is not None:
        (raw / "sources.csv").write_text(sources, encoding="utf-8", newline="")
    return raw


# --- raw/sources.csv ----------------------------------------------------------------------------------


def test_the_repository_sources_list_every_raw_document_and_say_why_a_url_or_date_is_missing():
    raw = REPO / "raw"
    names = {p.name for p in list_document_paths(raw)}
    rows = read_sources(raw, names)
    assert set(rows) == names
    assert (raw / "sources.csv").read_bytes() == sources_bytes(list(rows.values()))  # sorted, as written
    for row in rows.values():
        assert row.url or (row.note or "").startswith("no URL known"), row
        assert row.accessed or "access date not recorded" in (row.note or ""), row


def test_the_sources_file_is_defined_once_beside_the_tables():
    assert COLUMNS == ("file_name", "url", "accessed", "licence", "note")
    assert tuple(f.name for f in dataclasses.fields(SourceRow)) == COLUMNS
    documents = TABLES["documents"]
    for name in ("url", "accessed", "licence"):
        assert RAW_SOURCES.field(name) == documents.field(name)
    assert RAW_SOURCES.field("note").description == documents.field("source_note").description


def test_good_sources_are_read_and_change_the_raw_state_digest(tmp_path):
    raw = _raw(tmp_path)
    first = scan_raw(raw)
    assert first.sources_sha256 == hashlib.sha256((raw / "sources.csv").read_bytes()).hexdigest()
    (raw / "sources.csv").write_text(HEADER + GOOD_ROWS.replace("CC BY 4.0", "CC BY-SA 4.0"), encoding="utf-8")
    second = scan_raw(raw)
    assert second.hashes == first.hashes and second.sources_sha256 != first.sources_sha256
    assert scan_raw(_raw(tmp_path / "none", sources=None)).sources_sha256 == ""


def test_a_changed_sources_file_is_a_reason_for_the_sensor_to_request_a_release():
    before = {"extractor_version": "v", "documents": {"a.txt": "1"}, "sources": "x"}
    assert _release_reason(before, {**before, "sources": "y"}, []) == "raw/sources.csv changed"
    assert _release_reason(before, dict(before), []) == "document partitions changed"


TOMORROW = (dt.datetime.now(dt.UTC).date() + dt.timedelta(days=2)).isoformat()
BAD_SOURCES = {
    "unknown file name": (
        HEADER + GOOD_ROWS + "notes.docx,https://example.org/n,2024-01-01,,\n",
        "row 4",
        "notes.docx",
    ),
    "row for a missing file": (
        HEADER + GOOD_ROWS + "gamma-en.txt,https://example.org/g,2024-01-01,,\n",
        "files not in raw/",
        "gamma-en.txt",
    ),
    "day that is not a date": (HEADER + GOOD_ROWS.replace("2024-05-01", "2024-13-01"), "row 2", "accessed"),
    "day not in the calendar": (HEADER + GOOD_ROWS.replace("2024-05-01", "2023-02-29"), "row 2", "2023-02-29"),
    "day in the future": (HEADER + GOOD_ROWS.replace("2024-05-01", TOMORROW), "row 2", "in the future"),
    "url that is not http": (HEADER + GOOD_ROWS.replace("https://example.org/alpha", "ftp://x/a"), "row 2", "url"),
    "url with a space": (HEADER + GOOD_ROWS.replace("example.org/alpha", "example.org/al pha"), "row 2", "url"),
    "repeated row": (HEADER + GOOD_ROWS + GOOD_ROWS.splitlines(True)[0], "row 4", "repeats row 2"),
    "no url and no reason": (
        HEADER + GOOD_ROWS.replace(",no URL known: received by email; access date not recorded", ","),
        "row 3",
        "url is empty: say why in note",
    ),
    "wrong header": ("file,url\n" + GOOD_ROWS, "header", "file_name,url,accessed,licence,note"),
    "missing cell": (HEADER + GOOD_ROWS + "gamma-en.txt,https://example.org/g\n", "row 4", "cells"),
}


@pytest.mark.parametrize("case", BAD_SOURCES)
def test_a_bad_sources_file_stops_the_run_with_one_line_naming_it_and_the_row(tmp_path, case):
    text, where, what = BAD_SOURCES[case]
    raw = _raw(tmp_path, text)
    with pytest.raises(PipelineError) as err:
        scan_raw(raw)
    message = str(err.value)
    assert "\n" not in message
    assert message.startswith("raw/sources.csv: ") and where in message and what in message, message


def test_without_a_sources_file_documents_say_they_are_not_listed(tmp_path):
    doc = Document("alpha-en", "alpha-en.txt", DOC_EN, "a" * 64, "utf-8", "Invented", "en", None, None)
    other = Document("beta-ja", "beta-ja.txt", DOC_JA, "b" * 64, "utf-8", None, "ja", None, None)
    row = SourceRow("alpha-en.txt", "https://example.org/alpha", "2024-05-01", "CC BY 4.0", None)
    df = documents_frame([doc, other], {"alpha-en.txt": row})
    assert list(df.columns) == TABLES["documents"].field_names
    first, second = df.to_dict("records")
    assert (first["url"], first["accessed"], first["licence"], first["source_note"]) == (
        "https://example.org/alpha",
        "2024-05-01",
        "CC BY 4.0",
        None,
    )
    assert second["url"] is None and second["accessed"] is None and second["source_note"] == NOT_LISTED


# --- the add command ----------------------------------------------------------------------------------


def _downloaded(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / "downloads" / name
    path.parent.mkdir(exist_ok=True)
    path.write_bytes(data)
    return path


def test_add_copies_the_file_byte_for_byte_and_records_its_row_sorted(tmp_path):
    raw = _raw(tmp_path)
    data = "Another invented page\r\nJapan gave 3 million yen.\r\n".encode("utf-16")  # kept as downloaded
    row = add_document(raw, _downloaded(tmp_path, "aaa-first.txt", data), "https://example.org/a?x=1", "2024-06-30")
    assert (raw / "aaa-first.txt").read_bytes() == data
    assert row == SourceRow("aaa-first.txt", "https://example.org/a?x=1", "2024-06-30", None, None)
    lines = (raw / "sources.csv").read_text(encoding="utf-8").splitlines()
    assert lines[1] == "aaa-first.txt,https://example.org/a?x=1,2024-06-30,,"
    assert [line.split(",")[0] for line in lines[1:]] == ["aaa-first.txt", "alpha-en.txt", "beta-ja.txt"]
    assert not [p for p in raw.iterdir() if p.name.startswith(".")]
    scan_raw(raw)  # the run accepts what add wrote


def test_add_outside_a_project_says_where_it_looked(tmp_path):
    file = _downloaded(tmp_path, "zeta-en.txt", b"Invented zeta page.\n")
    with pytest.raises(SourcesError, match="raw documents folder not found"):
        add_document(tmp_path / "nowhere" / "raw", file, "https://example.org/z", "2024-01-02")


def test_add_creates_the_sources_file_when_raw_has_none(tmp_path):
    raw = _raw(tmp_path, sources=None)
    add_document(raw, _downloaded(tmp_path, "gamma-en.txt", b"Invented gamma page.\n"), "https://e.org/g", "2024-01-02")
    assert (raw / "sources.csv").read_text(encoding="utf-8") == HEADER + "gamma-en.txt,https://e.org/g,2024-01-02,,\n"


ADD_REFUSALS = {
    "same file name": ("alpha-en.txt", b"Some other invented text.\n", {}, "already has a file of that name"),
    "same bytes": ("alpha-copy.txt", DOC_EN.encode(), {}, "same bytes as raw/alpha-en.txt"),
    "same text in another encoding": ("beta-copy.txt", DOC_JA.encode("cp932"), {}, "same text as raw/beta-ja.txt"),
    "same document id": ("Alpha_EN.md", b"Yet another invented text.\n", {}, "clashes with raw/alpha-en.txt"),
    "bad date": ("delta.txt", b"Invented delta.\n", {"accessed": "2024-02-30"}, "not a day of the calendar"),
    "date in the future": ("delta.txt", b"Invented delta.\n", {"accessed": TOMORROW}, "in the future"),
    "bad url": ("delta.txt", b"Invented delta.\n", {"url": "example.org/delta"}, "not an http(s) URL"),
    "not a document raw/ accepts": ("delta.docx", b"Invented delta.\n", {}, "not a document of raw/"),
    "a file raw/ cannot read": ("delta.txt", b"%PDF-1.4 not text", {}, "binary content"),
}


@pytest.mark.parametrize("case", ADD_REFUSALS)
def test_add_refuses_with_one_error_line_and_writes_nothing(tmp_path, capsys, case):
    name, data, options, expected = ADD_REFUSALS[case]
    raw = _raw(tmp_path)
    before = {p.name: p.read_bytes() for p in raw.iterdir()}
    file = _downloaded(tmp_path, name, data)
    args = {"url": "https://example.org/delta", "accessed": "2024-03-04", **options}
    code = cli.main(["add", str(file), "--url", args["url"], "--accessed", args["accessed"], "--root", str(tmp_path)])
    err = capsys.readouterr().err
    assert code == 1
    assert err.count("\n") == 1 and err.startswith("error: ") and expected in err, err
    assert {p.name: p.read_bytes() for p in raw.iterdir()} == before
    with pytest.raises(SourcesError):
        add_document(raw, file, args["url"], args["accessed"])


@pytest.mark.slow
def test_add_through_python_m_pipelines_prints_what_it_did(tmp_path):
    raw = _raw(tmp_path)
    file = _downloaded(tmp_path, "epsilon-en.txt", b"Invented epsilon page.\n")
    done = subprocess.run(
        [sys.executable, "-m", "pipelines", "add", str(file), "--url", "https://example.org/e", "--accessed"]
        + ["2024-04-05", "--licence", "CC BY 4.0", "--root", str(tmp_path)],
        capture_output=True,
        text=True,
        cwd=REPO,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert "added raw/epsilon-en.txt" in done.stdout
    assert read_sources(raw)["epsilon-en.txt"].licence == "CC BY 4.0"


# --- sources/ and verify.py in a release -------------------------------------------------------------


def test_verify_script_uses_the_standard_library_alone():
    tree = ast.parse(Path(shipped_verify.__file__).read_text(encoding="utf-8"))
    imported = {a.name.split(".")[0] for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names}
    imported |= {n.module.split(".")[0] for n in ast.walk(tree) if isinstance(n, ast.ImportFrom) and n.module}
    assert imported and imported <= set(sys.stdlib_module_names), imported


def test_a_document_without_its_text_is_not_shipped():
    docs = documents_frame([Document("alpha-en", "alpha-en.txt", DOC_EN, "a" * 64, "utf-8", None, "en", None, None)])
    assert source_files(docs, {"alpha-en": DOC_EN}) == {"sources/alpha-en.txt": DOC_EN.encode("utf-8")}
    with pytest.raises(ReleaseError, match="no text to ship for alpha-en"):
        source_files(docs, {})
    with pytest.raises(ReleaseError, match="alpha-en"):
        source_files(docs, {"alpha-en": DOC_EN + "changed"})


def _csv(rows: list[list[str]]) -> bytes:
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    return out.getvalue().encode("utf-8")


def _hand_built_release(folder: Path) -> Path:
    """A small version folder written here: one document (CRLF and Japanese, so that code points and
    line ends matter), a fact table with two quotes, SHA256SUMS, and verify.py."""
    text = "架空の会議\r\n2021年3月2日、東京で会議が開かれた。\r\nJapan gave 12 million yen.\r\n"
    quotes = ["2021年3月2日、東京で会議が開かれた。", "12 million yen"]
    starts = [text.index(q) for q in quotes]
    columns = ["fact_id", "description", "document_id", "char_start", "char_end", "quote", "notes"]
    fields = [{"name": n, "type": "string"} for n in columns]
    files = {
        "sources/doc-a.txt": text.encode("utf-8"),
        "data/documents.csv": _csv([["document_id", "n_chars"], ["doc-a", str(len(text))]]),
        "data/events.csv": _csv(
            [columns]
            + [[f"e{i}", "x", "doc-a", str(s), str(s + len(q)), q, ""] for i, (s, q) in enumerate(zip(starts, quotes))]
        ),
        "datapackage.json": json.dumps(
            {
                "resources": [
                    {
                        "name": "documents",
                        "path": "data/documents.csv",
                        "schema": {"fields": [{"name": "document_id"}, {"name": "n_chars"}]},
                    },
                    {
                        "name": "events",
                        "path": "data/events.csv",
                        "schema": {"fields": fields, "primaryKey": ["fact_id"]},
                    },
                ]
            }
        ).encode(),
        "verify.py": Path(shipped_verify.__file__).read_bytes(),
    }
    for rel, data in files.items():
        (folder / rel).parent.mkdir(parents=True, exist_ok=True)
        (folder / rel).write_bytes(data)
    _write_sums(folder)
    return folder


def _write_sums(folder: Path) -> None:
    rels = sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file() and p.name != "SHA256SUMS")
    (folder / "SHA256SUMS").write_text(
        "".join(f"{hashlib.sha256((folder / r).read_bytes()).hexdigest()}  {r}\n" for r in rels), encoding="utf-8"
    )


def _run_verify(folder: Path) -> subprocess.CompletedProcess:
    """verify.py as a user runs it: in the folder, without the project on the path or any installed package."""
    return subprocess.run(
        [sys.executable, "-I", "-S", "verify.py"], cwd=folder, capture_output=True, text=True, timeout=300
    )


def test_verify_script_passes_a_good_folder_and_names_a_tampered_quote_and_a_tampered_file(tmp_path):
    folder = _hand_built_release(tmp_path / "release")
    good = _run_verify(folder)
    assert (good.returncode, good.stdout, good.stderr) == (0, "5 files, 2 quotes verified\n", "")

    # A quote changed, with SHA256SUMS brought in line: only the quote check can find it.
    events = folder / "data" / "events.csv"
    events.write_bytes(events.read_bytes().replace("東京で".encode(), "大阪で".encode()))
    _write_sums(folder)
    bad_quote = _run_verify(folder)
    assert bad_quote.returncode == 1 and bad_quote.stdout == ""
    assert (
        "error: data/events.csv row 1 (e0): quote differs from sources/doc-a.txt[7:28] at character 10: "
        "'2021年3月2日、大阪で会議が開かれた。' vs '2021年3月2日、東京で会議が開かれた。'\n" in bad_quote.stderr
    ), bad_quote.stderr
    assert "row 2" not in bad_quote.stderr

    # A shipped text changed without SHA256SUMS: the checksum names it (and the quotes now disagree).
    folder = _hand_built_release(tmp_path / "again")
    source = folder / "sources" / "doc-a.txt"
    source.write_bytes(source.read_bytes().replace(b"12 million", b"13 million"))
    (folder / "extra.txt").write_text("added\n")
    bad_file = _run_verify(folder)
    assert bad_file.returncode == 1
    assert "error: sources/doc-a.txt: SHA-256 differs from SHA256SUMS" in bad_file.stderr
    assert "error: extra.txt: not listed in SHA256SUMS" in bad_file.stderr
    assert "data/events.csv row 2 (e1): quote differs from sources/doc-a.txt" in bad_file.stderr


def test_verify_script_counts_code_points_not_bytes_or_utf16_units(tmp_path):
    folder = _hand_built_release(tmp_path / "release")
    summary, problems = shipped_verify.verify(folder)
    assert (summary, problems) == ("5 files, 2 quotes verified", [])
    (folder / "sources" / "doc-a.txt").write_bytes("🎌".encode() + (folder / "sources" / "doc-a.txt").read_bytes())
    _write_sums(folder)
    problems = shipped_verify.verify(folder)[1]
    assert any("n_chars" in p for p in problems) and sum("differs" in p for p in problems) == 2, problems


@pytest.mark.slow
def test_a_release_ships_every_text_and_verify_py_and_the_zip_verifies_in_a_fresh_folder(tmp_path):
    rows = base_rows()
    folder = publish_rows(tmp_path / "releases", rows).path
    texts = texts_from(rows)
    assert (folder / "sources" / "doc-a.txt").read_bytes() == texts["doc-a"].encode("utf-8")
    assert (folder / "verify.py").read_bytes() == Path(shipped_verify.__file__).read_bytes()
    sums = (folder / "SHA256SUMS").read_text(encoding="utf-8")
    assert "  sources/doc-a.txt\n" in sums and "  verify.py\n" in sums
    package = json.loads((folder / "datapackage.json").read_text(encoding="utf-8"))
    assert [s["path"] for s in package["sources"]] == ["sources/doc-a.txt"]

    fresh = tmp_path / "fresh"
    fresh.mkdir()
    with zipfile.ZipFile(folder / "japan-asean-cooperation-1.0.0.zip") as zf:
        zf.extractall(fresh)
    done = _run_verify(fresh / "japan-asean-cooperation-1.0.0")
    quotes = sum(len(rows[t.name]) for t in FACT_TABLES)
    assert done.returncode == 0, done.stderr
    assert done.stdout.endswith(f" files, {quotes} quotes verified\n")

    # The same rows into another empty releases/ give the same bytes (but for the DuckDB file, which
    # DuckDB does not write byte for byte the same, and so SHA256SUMS and the zip that hold it).
    again = publish_rows(tmp_path / "other" / "releases", base_rows()).path
    compared = [p for p in sorted(folder.rglob("*")) if p.is_file() and p.suffix not in (".duckdb", ".zip")]
    assert {"sources/doc-a.txt", "verify.py"} <= {p.relative_to(folder).as_posix() for p in compared}
    for p in compared:
        if p.name != "SHA256SUMS":
            assert (again / p.relative_to(folder)).read_bytes() == p.read_bytes(), p


@pytest.mark.slow
def test_a_real_release_verifies_with_its_own_script_after_unzipping(built_release, tmp_path):
    root, summary = built_release
    folder = root / "releases" / summary.version
    fresh = tmp_path / "fresh"
    fresh.mkdir()
    with zipfile.ZipFile(folder / f"japan-asean-cooperation-{summary.version}.zip") as zf:
        zf.extractall(fresh)
    unzipped = fresh / f"japan-asean-cooperation-{summary.version}"
    assert sorted(p.name for p in (unzipped / "sources").iterdir()) == sorted(
        p.stem + ".txt" for p in (root / "raw").glob("*.txt")
    )
    done = _run_verify(unzipped)
    facts = sum(
        len(list(csv.DictReader(open(unzipped / "data" / f"{t.name}.csv", encoding="utf-8")))) for t in FACT_TABLES
    )
    files = len((unzipped / "SHA256SUMS").read_text().splitlines())
    assert (done.returncode, done.stdout, done.stderr) == (0, f"{files} files, {facts} quotes verified\n", "")

    # The documents table carries where each document came from.
    documents = list(csv.DictReader(open(unzipped / "data" / "documents.csv", encoding="utf-8")))
    assert all(d["url"] or d["source_note"].startswith("no URL known") for d in documents)
    assert any(d["url"].startswith("https://") for d in documents)

    # One quote changed (and the checksums redone): verify.py names that row and fails.
    path = unzipped / "data" / "events.csv"
    records = list(csv.reader(open(path, encoding="utf-8", newline="")))
    at = records[0].index("quote")
    records[5][at] = records[5][at] + "!"
    path.write_bytes(_csv(records))
    _write_sums(unzipped)
    tampered = _run_verify(unzipped)
    assert tampered.returncode == 1 and "data/events.csv row 5 (" in tampered.stderr, tampered.stderr
    assert tampered.stderr.count("error: ") == 1


@pytest.mark.slow
def test_changing_the_sources_file_publishes_a_new_version_without_re_extracting(tmp_path):
    from pipelines.orchestration.runner import run_pipeline
    from pipelines.publish.tables import read_csv_table

    root = make_project(
        tmp_path / "project",
        {
            "alpha-en.txt": DOC_EN.encode(),
            "beta-ja.txt": DOC_JA.encode(),
            "sources.csv": (HEADER + GOOD_ROWS).encode(),
        },
    )
    with dagster_instance(tmp_path / "home") as instance:
        first = run_pipeline(root, instance)
        (root / "raw" / "sources.csv").write_text(
            HEADER
            + GOOD_ROWS.replace(
                ",,,,no URL known: received by email; access date not recorded",
                ",https://example.org/beta,2024-05-02,,found later",
            ),
            encoding="utf-8",
        )
        second = run_pipeline(root, instance)
    assert (first.version, second.version, second.published) == ("1.0.0", "1.0.1", True)
    assert second.extracted == []
    docs = read_csv_table("documents", (root / "releases" / "1.0.1" / "data" / "documents.csv").read_bytes())
    beta = docs[docs["document_id"] == "beta-ja"].iloc[0]
    assert (beta["url"], beta["accessed"], beta["source_note"]) == (
        "https://example.org/beta",
        "2024-05-02",
        "found later",
    )
    changes = json.loads((root / "releases" / "1.0.1" / "changes.json").read_text())
    assert {c["column"] for c in changes["tables"]["documents"]["values_changed"]} == {"url", "accessed", "source_note"}
