"""Bad documents, broken runs and hostile text: every case goes through the real pipeline.

Belongs here: feeding a bad input (empty, binary, undecodable, duplicate, oversized, clashing or
hidden files, a fact that fails its Pandera check, a second run at once, text that looks like a
formula or SQL) to ``run_pipeline`` or to ``python -m pipelines.cli release`` in a temporary project that
already holds a release, and checking the error, its message and that releases/ is byte for byte
as it was; and encodings/CRLF twins of good documents giving the same facts.
Does not belong here: the pipeline's behaviour on good input (``test_pipeline.py``).
The documents are small texts written here, not the repository's raw/.
"""

from __future__ import annotations

import csv
import io
import json
import logging
import os
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import duckdb
import pytest
from conftest import (
    cli_env,
    dagster_home,
    dagster_instance,
    latest_dir,
    make_project,
    private_copy,
    released_template,
    run_cli,
    tree_digest,
)
from format_documents import FORMAT_BAD_INPUTS

import pipelines.documents as documents
import pipelines.extract as extraction
from pipelines.documents import DocumentError, decode_bytes, read_document
from pipelines.orchestration.runner import project_lock, run_pipeline
from pipelines.orchestration.staleness import PipelineError
from pipelines.publish.store import read_index
from pipelines.publish.tables import frame
from schemas.tables import FACT_TABLES

JA_DOC = """日ASEAN協力の概要について
外務省
2023年12月17日

日本は2023年に日ASEAN統合基金（JAIF）へ約1億米ドルを拠出した。
ASEANの人口は約6億8,000万人である。
2023年12月17日、東京で日ASEAN特別首脳会議が開催された。
2019年から2022年まで、約1,200人が研修に参加した。
"""
EN_DOC = """Japan and ASEAN: an overview of cooperation
Ministry of Foreign Affairs of Japan
17 December 2023

Japan contributed about US$100 million to the Japan-ASEAN Integration Fund in 2023.
On 17 December 2023, the ASEAN-Japan Commemorative Summit was held in Tokyo.
Between 2019 and 2022, some 1,200 officials were trained under the programme.
"""
EXTRA_DOC = """Japan-ASEAN training programme results
Ministry of Foreign Affairs of Japan
3 October 2022

On 3 October 2022, Japan announced a contribution of US$5 million to the programme.
Since 2018, more than 300 engineers were trained in Bangkok.
"""
# Not in the first release: runs that must have something new to publish add it.
NEW_DOC = """ASEAN-Japan disaster management cooperation
Ministry of Foreign Affairs of Japan
5 March 2021

On 5 March 2021, Japan pledged US$2 million to the ASEAN disaster management centre.
About 150 officials from ten member states took part in the training in 2021.
"""
JA_NAME, EN_NAME, EXTRA_NAME, NEW_NAME = (
    "cooperation-ja.txt",
    "cooperation-en.txt",
    "training-results.txt",
    "disaster-cooperation.txt",
)
GOOD = {JA_NAME: JA_DOC.encode("utf-8"), EN_NAME: EN_DOC.encode("utf-8"), EXTRA_NAME: EXTRA_DOC.encode("utf-8")}
# What a spreadsheet would run as a formula, and what would break string-built SQL.
HOSTILE_LINES = [
    '=HYPERLINK("x")は2023年12月17日に公開された。',
    "+2023年5月1日、日本はJAIFへ約100万米ドルを拠出した。",
    "@SUM(A1)として2022年10月3日に記録された。",
    "-2021年4月1日に研修が開始された。",
    "'); DROP TABLE events; -- 2020年1月9日に会合が開催された。",
]
HOSTILE_DOC = '=HYPERLINK("x")\n\n' + "\n".join(HOSTILE_LINES) + "\n"
PDF_BYTES = (
    b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n"
    b"2 0 obj\n<< /Length 44 >>\nstream\nx\x9c+\xe4\x02\x00\x00\xe8\x00\xa0\nendstream\nendobj\n%%EOF\n"
)
PNG_BYTES = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4"
    b"\x89\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00\x00\x00\x00IEND\xaeB`\x82"
)


# --- Helpers ----------------------------------------------------------------------------------------


def csv_rows(path: Path) -> list[dict[str, str]]:
    """A published CSV read by the csv module: cells exactly as written (a CR in a cell stays)."""
    return list(csv.DictReader(io.StringIO(path.read_bytes().decode("utf-8"), newline="")))


def fact_rows(root: Path) -> dict[str, list[dict[str, str]]]:
    folder = latest_dir(root)
    return {t.name: csv_rows(folder / "data" / f"{t.name}.csv") for t in FACT_TABLES}


def error_lines(stderr: str) -> list[str]:
    return [line for line in stderr.splitlines() if line.startswith("error:")]


# --- A project that already has a release to protect -------------------------------------------


@pytest.fixture(scope="module")
def template(tmp_path_factory) -> Path:
    """Three good documents, run once: releases/1.0.0 exists. Tests work on copies of it."""
    return released_template(tmp_path_factory.mktemp("released"), GOOD)


@pytest.fixture
def released(template, tmp_path) -> tuple[Path, Path]:
    return private_copy(template, tmp_path)


# --- Bad documents stop the command-line run before anything is published -----------------------

BAD_INPUTS = {
    # case: (files added to raw/, what the error line must contain)
    "empty": ({"empty.txt": b""}, ["empty.txt", "empty document"]),
    "blank-with-bom": ({"blank.txt": b"\xef\xbb\xbf \r\n\t\r\n"}, ["blank.txt", "empty document"]),
    "pdf-as-txt": ({"report.txt": PDF_BYTES}, ["report.txt", "binary content", "PDF", "rename it to report.pdf"]),
    "html-as-txt": (
        {"page.txt": b"<!DOCTYPE html>\n<html><head><title>Japan and ASEAN</title></head><body>2023</body></html>\n"},
        ["page.txt", "HTML page", "rename it to page.html"],
    ),
    "invisible-only": (
        {"blank-page.txt": "\u3000\u3000\n\u00a0\u200b\u200f\n\u3000".encode()},
        ["blank-page.txt", "empty document", "invisible characters"],
    ),
    "cp1252-read-as-cp932": (
        {
            "overview-en.txt": "Japan\u2019s cooperation\n\nThe Ministry\u2019s officials met in 2023.\n".encode(
                "cp1252"
            )
        },
        ["overview-en.txt", "decoded as cp932", "Japan痴", "likely"],
    ),
    "png-as-txt": ({"slide.txt": PNG_BYTES}, ["slide.txt", "binary content", "PNG"]),
    "undecodable": (
        {"latin1.txt": "Coopération régionale, été 2023 : 1 200 stagiaires.".encode("latin-1")},
        ["latin1.txt", "cannot decode as utf-8 or cp932"],
    ),
    "same-bytes-twice": (
        {"cooperation-ja-copy.txt": JA_DOC.encode("utf-8")},
        ["cooperation-ja-copy.txt", "duplicate document", JA_NAME],
    ),
    "cp932-twin": (
        {"cooperation-ja-sjis.txt": JA_DOC.encode("cp932")},
        ["cooperation-ja-sjis.txt", "duplicate document", JA_NAME],
    ),
    "document-id-clash": (
        {"Cooperation EN.md": (EN_DOC + "Updated in 2024.\n").encode("utf-8")},
        ["Cooperation EN.md", "document id 'cooperation-en' clashes with", EN_NAME],
    ),
    "name-with-line-break": ({"evil\nname.txt": b""}, ["'evil\\nname.txt'", "empty document"]),
    "two-bad-files": (
        {"empty.txt": b"", "report.txt": PDF_BYTES},
        ["2 raw documents rejected", "empty.txt: empty document", "report.txt: binary content"],
    ),
    "above-size-limit": ({"huge.txt": None}, ["huge.txt", f"above the limit of {documents.MAX_DOCUMENT_BYTES} bytes"]),
    "pdf-above-size-limit": (
        {"huge.pdf": None},
        ["huge.pdf", f"above the limit of {documents.MAX_DOCUMENT_BYTES} bytes"],
    ),
    **FORMAT_BAD_INPUTS,  # HTML pages and PDFs: encrypted, scanned, misnamed, without main text
}


@pytest.fixture(scope="module")
def cli_home(tmp_path_factory) -> Path:
    """One DAGSTER_HOME for the command-line runs that stop at raw/ (they never write to it)."""
    return dagster_home(tmp_path_factory.mktemp("cli_home"))


@pytest.mark.slow
@pytest.mark.parametrize("case", list(BAD_INPUTS))
def test_cli_refuses_bad_document_and_leaves_releases_untouched(case, released, cli_home):
    root, _ = released
    files, expected = BAD_INPUTS[case]
    for name, data in files.items():
        if data is None:
            # A sparse file one byte above the limit: refused by its size, nothing written to disk.
            with open(root / "raw" / name, "wb") as handle:
                handle.truncate(documents.MAX_DOCUMENT_BYTES + 1)
        else:
            (root / "raw" / name).write_bytes(data)
    before = tree_digest(root / "releases")
    done = run_cli(root, cli_home)
    assert done.returncode == 1, done.stdout + done.stderr
    errors = error_lines(done.stderr)
    assert len(errors) == 1, done.stderr
    # One line that names the file and the reason, and nothing after it: no traceback, no details.
    assert done.stderr.rstrip().endswith(errors[0]), done.stderr
    assert "Traceback" not in done.stderr
    for part in expected:
        assert part in errors[0], (part, errors[0])
    assert "published" not in done.stdout
    assert tree_digest(root / "releases") == before


# --- Encodings and line endings ----------------------------------------------------------------

CP932_ONLY = "①～㈱髙"  # NEC/IBM extensions and the full-width tilde: in CP932, not in plain Shift_JIS


@pytest.mark.parametrize(
    "encoding, data",
    [
        ("utf-8", JA_DOC.encode("utf-8")),
        ("utf-8-sig", JA_DOC.encode("utf-8-sig")),
        ("utf-16", b"\xff\xfe" + JA_DOC.encode("utf-16-le")),
        ("utf-16", b"\xfe\xff" + JA_DOC.encode("utf-16-be")),
        ("cp932", JA_DOC.encode("shift_jis")),
        ("cp932", (JA_DOC + CP932_ONLY + "\n").encode("cp932")),
    ],
    ids=["utf-8", "utf-8-bom", "utf-16-le-bom", "utf-16-be-bom", "shift_jis", "cp932-extensions"],
)
def test_decoding_each_supported_encoding(encoding, data):
    text, used = decode_bytes(data, "doc.txt")
    assert used == encoding
    assert text in (JA_DOC, JA_DOC + CP932_ONLY + "\n")
    assert not text.startswith("\ufeff")  # the BOM is not part of the text: offsets start after it


@pytest.mark.slow
def test_encoded_twins_publish_the_same_facts(template, tmp_path):
    # Each document in another supported encoding than the UTF-8 release in the template.
    files = {
        JA_NAME: JA_DOC.encode("shift_jis"),
        EN_NAME: EN_DOC.encode("utf-16"),
        EXTRA_NAME: EXTRA_DOC.encode("utf-8-sig"),
    }
    assert all(files[n] != GOOD[n] for n in files)
    root = make_project(tmp_path / "project", files)
    with dagster_instance(tmp_path / "dagster_home") as inst:
        assert run_pipeline(root, inst).published
    utf8 = template / "project"
    # Fact tables are byte for byte those of the UTF-8 originals: same values, offsets and quotes.
    for table in FACT_TABLES:
        rel = f"data/{table.name}.csv"
        assert (latest_dir(root) / rel).read_bytes() == (latest_dir(utf8) / rel).read_bytes(), table.name
    docs = csv_rows(latest_dir(root) / "data/documents.csv")
    docs_utf8 = csv_rows(latest_dir(utf8) / "data/documents.csv")
    assert [{k: v for k, v in r.items() if k != "sha256"} for r in docs] == [
        {k: v for k, v in r.items() if k != "sha256"} for r in docs_utf8
    ]
    assert {r["sha256"] for r in docs}.isdisjoint(r["sha256"] for r in docs_utf8)  # of the bytes, as documented
    # Offsets point into the decoded text, not into the bytes.
    texts = {r["document_id"]: read_document(root / "raw" / r["file_name"]).text for r in docs}
    for rows in fact_rows(root).values():
        for r in rows:
            assert texts[r["document_id"]][int(r["char_start"]) : int(r["char_end"])] == r["quote"]


@pytest.fixture(scope="module")
def crlf_release(tmp_path_factory) -> Path:
    base = tmp_path_factory.mktemp("crlf")
    files = {n: d.decode("utf-8").replace("\n", "\r\n").encode("utf-8") for n, d in GOOD.items()}
    root = make_project(base / "project", files)
    with dagster_instance(base / "dagster_home") as inst:
        assert run_pipeline(root, inst).published
    return root


@pytest.mark.slow
def test_crlf_documents_publish_with_offsets_into_the_crlf_text(crlf_release):
    root = crlf_release
    texts = {}
    for r in csv_rows(latest_dir(root) / "data/documents.csv"):
        texts[r["document_id"]] = read_document(root / "raw" / r["file_name"]).text
        assert "\r\n" in texts[r["document_id"]]  # kept as decoded: offsets count the CRs
        assert int(r["n_chars"]) == len(texts[r["document_id"]])
    rows = [r for table in fact_rows(root).values() for r in table]
    assert rows
    for r in rows:
        assert texts[r["document_id"]][int(r["char_start"]) : int(r["char_end"])] == r["quote"]


# Columns that may differ between a document and its CRLF twin: where the quote is, and the quote.
PROVENANCE = {"char_start", "char_end", "quote"}


def _values(row: dict[str, str]) -> str:
    # A value spanning lines (a description in the source's words) keeps its line break as the
    # source wrote it; a CR anywhere else (a name ending in CR) is a difference.
    return json.dumps(
        {k: v.replace("\r\n", "\n") for k, v in row.items() if k not in PROVENANCE}, sort_keys=True, ensure_ascii=False
    )


@pytest.mark.slow
def test_crlf_documents_give_the_same_facts_as_lf(template, crlf_release):
    lf, crlf = fact_rows(template / "project"), fact_rows(crlf_release)
    for table in lf:
        assert len(crlf[table]) >= len(lf[table]), table
        missing = Counter(map(_values, lf[table])) - Counter(map(_values, crlf[table]))
        assert not missing, (table, sorted(missing))


# --- Huge files ------------------------------------------------------------------------------------


@pytest.mark.slow
def test_document_above_the_limit_is_refused_before_publishing(released, monkeypatch):
    root, home = released
    monkeypatch.setattr(documents, "MAX_DOCUMENT_BYTES", 4096)
    big = "".join(f"Line {i}: Japan and ASEAN held meeting number {i} in 2023.\n" for i in range(200))
    (root / "raw" / "long-report.txt").write_text(big, encoding="utf-8")
    assert len(big.encode()) > 4096
    before = tree_digest(root / "releases")
    with dagster_instance(home) as inst, pytest.raises(PipelineError) as err:
        run_pipeline(root, inst)
    assert "long-report.txt" in str(err.value)
    assert f"{len(big.encode())} bytes is above the limit of 4096 bytes" in str(err.value)
    assert tree_digest(root / "releases") == before


def test_large_allowed_document_decodes_in_bounded_time_and_memory(tmp_path):
    import tracemalloc

    # ~24 MB without a dated header, so the metadata scan reads every line.
    line = "ASEAN 加盟国との協力事業（第{}回）について記録を整理した。Cooperation record {}.\n"
    chunk = "".join(line.format(i, i) for i in range(20_000)).encode("utf-8")
    data = chunk * (24_000_000 // len(chunk) + 1)
    assert len(data) < documents.MAX_DOCUMENT_BYTES
    path = tmp_path / "large.txt"
    path.write_bytes(data)
    started = time.perf_counter()
    tracemalloc.start()
    try:
        doc = read_document(path)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    elapsed = time.perf_counter() - started
    assert doc.n_chars > 10_000_000 and doc.published is None
    assert elapsed < 8, f"{len(data)} bytes took {elapsed:.1f} s to decode"
    # The bytes and the text, and no list of every line nor copies of either: CPython's UTF-8
    # decoder alone peaks near 4 bytes per input byte here (a UCS-4 buffer while decoding).
    assert peak < 5 * len(data), f"peak {peak} bytes for a {len(data)}-byte file"


# --- What raw/ holds besides documents -------------------------------------------------------------


@pytest.mark.slow
def test_only_regular_files_directly_in_raw_are_read(released, tmp_path, caplog):
    root, home = released
    raw = root / "raw"
    outside = tmp_path / "outside.txt"
    outside.write_text(NEW_DOC, encoding="utf-8")
    (raw / ".hidden-draft.txt").write_text(NEW_DOC + "draft\n", encoding="utf-8")
    (raw / "archive").mkdir()
    (raw / "archive" / "old.txt").write_text(NEW_DOC + "old\n", encoding="utf-8")
    (raw / "linked.txt").symlink_to(outside)
    (raw / "notes.docx").write_bytes(b"PK\x03\x04 not a text document")
    before = tree_digest(root / "releases")
    caplog.set_level(logging.WARNING, logger="pipelines.documents")
    with dagster_instance(home) as inst:
        summary = run_pipeline(root, inst)
    # Had any of them been read, its facts would make a new version.
    assert not summary.published and "nothing published" in summary.release_message
    assert tree_digest(root / "releases") == before
    warnings = [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]
    for expected in (
        "ignoring hidden file in raw/: .hidden-draft.txt",
        "ignoring folder in raw/: archive",
        "ignoring symlink in raw/: linked.txt",
        "ignoring notes.docx in raw/",
    ):
        assert any(expected in w for w in warnings), (expected, warnings)


def test_symlink_is_refused_even_when_read_directly(tmp_path):
    target = tmp_path / "target.txt"
    target.write_text(EN_DOC, encoding="utf-8")
    (tmp_path / "link.txt").symlink_to(target)
    with pytest.raises(DocumentError, match="link.txt: is a symlink"):
        read_document(tmp_path / "link.txt")


# --- A fact that fails its Pandera check ------------------------------------------------------------


@pytest.mark.slow
def test_failing_pandera_check_blocks_publishing_and_names_table_rows_documents(released, monkeypatch):
    root, home = released
    (root / "raw" / NEW_NAME).write_text(NEW_DOC, encoding="utf-8")
    real_extract = extraction.extract_source
    injected: list[dict] = []

    def extract_with_negative_amount(src):
        facts = real_extract(src)
        if src.document_id == "disaster-cooperation":
            start = src.text.index("On 5 March 2021")
            end = src.text.index("\n", start)
            # Valid provenance (the quote is the text at its offsets); only the amount is wrong.
            row = {
                "amount": -5.0,
                "currency": "USD",
                "approximate": False,
                "description": src.text[start:end],
                "document_id": src.document_id,
                "char_start": start,
                "char_end": end,
                "quote": src.text[start:end],
            }
            facts["commitments"] = facts["commitments"] + [row]
            injected[:] = facts["commitments"]
        return facts

    monkeypatch.setattr(extraction, "extract_source", extract_with_negative_amount)
    before = tree_digest(root / "releases")
    warehouse_before = tree_digest(root / "warehouse")
    with dagster_instance(home) as inst, pytest.raises(PipelineError) as err:
        run_pipeline(root, inst)
    assert injected, "the pipeline did not extract the new document"
    table = frame("commitments", injected)
    bad = table[table["amount"] == -5.0]
    fact_id = bad["fact_id"].iloc[0]
    message = str(err.value)
    assert "nothing was published" in message
    assert "table 'commitments' failed validation" in message
    assert f"fact_id={fact_id!r}" in message
    assert "from document 'disaster-cooperation'" in message
    assert "column 'amount', value -5.0" in message
    assert tree_digest(root / "releases") == before
    assert tree_digest(root / "warehouse") == warehouse_before


# --- Two runs at once ---------------------------------------------------------------------------------


@pytest.mark.slow
def test_second_run_fails_at_once_while_the_lock_is_held(released):
    root, home = released
    (root / "raw" / NEW_NAME).write_text(NEW_DOC, encoding="utf-8")
    before = tree_digest(root / "releases")
    with dagster_instance(home) as inst:
        with project_lock(root):
            with pytest.raises(PipelineError) as err:
                run_pipeline(root, inst)
            assert tree_digest(root / "releases") == before
        message = str(err.value)
        assert "another pipeline run" in message
        assert str(root / ".pipeline.lock") in message
        assert f"pid {os.getpid()}" in message
        # Released, the lock lets the next run through.
        summary = run_pipeline(root, inst)
    assert summary.published and summary.version == "1.1.0"


def _flock_holders(path: Path) -> set[int]:
    """Pids holding a flock on path, read from /proc/locks (looking does not take the lock)."""
    inode = os.stat(path).st_ino
    holders = set()
    for line in Path("/proc/locks").read_text().splitlines():
        parts = line.split()
        if len(parts) > 5 and parts[1] == "FLOCK" and parts[5].rsplit(":", 1)[-1] == str(inode):
            holders.add(int(parts[4]))
    return holders


# The second process imports everything first, then starts the real command line when told to.
SECOND_RUN = """
import os, runpy, sys, time
import pipelines.cli  # noqa: F401 - the slow imports happen before the race, not in it
go, root = sys.argv[1], sys.argv[2]
while not os.path.exists(go):
    time.sleep(0.01)
sys.argv = ["pipelines.cli", "release", "--root", root]
runpy.run_module("pipelines.cli", run_name="__main__", alter_sys=True)
"""


@pytest.mark.slow
@pytest.mark.skipif(not Path("/proc/locks").exists(), reason="needs /proc/locks (Linux)")
def test_two_command_line_runs_at_once(released, tmp_path):
    # Both runs share the project's Dagster home, as two `make release` would.
    root, home = released
    (root / "raw" / NEW_NAME).write_text(NEW_DOC, encoding="utf-8")
    before = tree_digest(root / "releases")
    go = tmp_path / "go"
    second = subprocess.Popen(
        [sys.executable, "-c", SECOND_RUN, str(go), str(root)],
        env=cli_env(home),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    first = subprocess.Popen(
        [sys.executable, "-m", "pipelines.cli", "release", "--root", str(root)],
        env=cli_env(home),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        deadline = time.monotonic() + 60
        while first.pid not in _flock_holders(root / ".pipeline.lock"):
            assert first.poll() is None, "the first run ended before taking the lock: " + first.communicate()[1]
            assert time.monotonic() < deadline, "the first run never took the lock"
            time.sleep(0.02)
        go.touch()
        _, second_err = second.communicate(timeout=60)
        first_out, first_err = first.communicate(timeout=120)
    finally:
        for proc in (first, second):
            if proc.poll() is None:
                proc.kill()
    assert second.returncode == 1, second_err
    assert error_lines(second_err) == [
        f"error: another pipeline run (pid {first.pid}) holds the lock {root / '.pipeline.lock'}; wait for it to finish"
    ], second_err
    assert first.returncode == 0, first_err
    assert "published 1.1.0" in first_out
    # releases/: 1.0.0 byte for byte as it was, 1.1.0 complete and listed, nothing half-written.
    after = tree_digest(root / "releases")
    assert {k: v for k, v in after.items() if k.startswith("1.0.0")} == {
        k: v for k, v in before.items() if k.startswith("1.0.0")
    }
    assert not [k for k in after if k.startswith(".")]
    assert [v["version"] for v in read_index(root / "releases")["versions"]] == ["1.1.0", "1.0.0"]
    check = subprocess.run(
        ["sha256sum", "--quiet", "-c", "SHA256SUMS"], cwd=root / "releases" / "1.1.0", capture_output=True, text=True
    )
    assert check.returncode == 0, check.stdout + check.stderr
    with duckdb.connect(str(root / "warehouse" / "japan-asean-cooperation.duckdb"), read_only=True) as con:
        ids = {r[0] for r in con.execute("SELECT document_id FROM documents").fetchall()}
    assert ids == {"cooperation-ja", "cooperation-en", "training-results", "disaster-cooperation"}


# --- Hostile text is data -------------------------------------------------------------------------------


@pytest.mark.slow
def test_formula_and_sql_looking_text_round_trips_exactly(released):
    root, home = released
    (root / "raw" / "hostile-text.txt").write_text(HOSTILE_DOC, encoding="utf-8")
    with dagster_instance(home) as inst:
        summary = run_pipeline(root, inst)
    assert summary.published
    folder = latest_dir(root)
    docs = {r["document_id"]: r for r in csv_rows(folder / "data/documents.csv")}
    # The title cell is the first line exactly: no apostrophe, no escaping, no stripping.
    assert docs["hostile-text"]["title"] == '=HYPERLINK("x")'
    assert b'"=HYPERLINK(""x"")"' in (folder / "data/documents.csv").read_bytes()
    quotes = {r["quote"] for rows in fact_rows(root).values() for r in rows if r["document_id"] == "hostile-text"}
    events = csv_rows(folder / "data/events.csv")
    for line in HOSTILE_LINES:
        assert line in quotes, line
        assert any(r["description"] == line for r in events), line
    with duckdb.connect(str(folder / "japan-asean-cooperation.duckdb"), read_only=True) as con:
        assert con.execute("SELECT title FROM documents WHERE document_id = ?", ["hostile-text"]).fetchone() == (
            '=HYPERLINK("x")',
        )
        for line in HOSTILE_LINES:
            assert con.execute("SELECT count(*) FROM events WHERE quote = ?", [line]).fetchone()[0] == 1, line
        # The DROP TABLE in a document was data, never SQL: every table is still there.
        tables = {r[0] for r in con.execute("SELECT table_name FROM duckdb_tables()").fetchall()}
    assert {t.name for t in FACT_TABLES} <= tables
