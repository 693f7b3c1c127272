"""HTML pages and PDFs in raw/: their text, pages and metadata, the same facts as plain text, bad files.

Belongs here: ``pipelines.formats`` through ``read_document`` (main text without navigation, lines as
laid out, meta tags, charsets, PDF pages as slides, titles and dates only as stated, determinism,
refusals) and the extraction of one invented document rendered in the three formats; one slow run of
the whole pipeline with a web page and a PDF in raw/. The bad files through the command line are
cases of ``test_bad_input.BAD_INPUTS`` (``format_documents.FORMAT_BAD_INPUTS``).
Does not belong here: plain-text decoding (``test_bad_input.py``), the extractors' rules.
"""

from __future__ import annotations

import hashlib
import io
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import REPO, dagster_instance, latest_dir, make_project
from format_documents import (
    EN_MEETING,
    FORMAT_BAD_INPUTS,
    JA_MEETING,
    MEETINGS,
    Doc,
    as_html,
    as_pdf,
    as_txt,
)
from reportlab.pdfgen import canvas

import pipelines.documents as documents
import pipelines.extract as extraction
import pipelines.formats as formats
from pipelines.documents import DocumentError, read_document
from pipelines.extract.base import Text
from pipelines.formats import PAGE_BREAK, page_of
from schemas.tables import FACT_TABLES, PROVENANCE

PUBLISHED = "2031-05-14T10:00:00+09:00"


def read(tmp_path: Path, name: str, data: bytes) -> documents.Document:
    path = tmp_path / name
    path.write_bytes(data)
    return read_document(path)


def renderings(doc: Doc) -> dict[str, bytes]:
    return {"txt": as_txt(doc), "html": as_html(doc, published_meta=PUBLISHED), "pdf": as_pdf(doc)}


# --- The same facts whatever the format -------------------------------------------------------------


def _facts(doc: documents.Document) -> dict[str, list[dict]]:
    facts, _ = extraction.extract_document(doc)
    return facts


def _what(rows: list[dict]) -> list[tuple]:
    """The facts without where they are: every column but the provenance ones, in a stable order."""
    return sorted(tuple(sorted((k, repr(v)) for k, v in r.items() if k not in PROVENANCE)) for r in rows)


@pytest.mark.parametrize("language", ["ja", "en"])
def test_the_same_facts_whatever_the_format(language, tmp_path):
    written = MEETINGS[language]
    docs = {fmt: read(tmp_path, f"meeting-{language}.{fmt}", data) for fmt, data in renderings(written).items()}
    facts = {fmt: _facts(doc) for fmt, doc in docs.items()}
    # The invented document states a meeting (an event), a pledge and a count of participants.
    for table in ("events", "meetings", "commitments", "metrics"):
        assert facts["txt"][table], (table, facts["txt"])
    for fmt in ("html", "pdf"):
        for fact_table in FACT_TABLES:
            name = fact_table.name
            assert _what(facts[fmt][name]) == _what(facts["txt"][name]), (fmt, name)
        assert docs[fmt].title == docs["txt"].title == written.title
        assert docs[fmt].published == docs["txt"].published == "2031-05-14"
    for fmt, doc in docs.items():
        for table, rows in facts[fmt].items():
            for row in rows:
                assert doc.text[row["char_start"] : row["char_end"]] == row["quote"], (fmt, table, row)
                if fmt != "pdf":
                    assert row["page"] is None
                    continue
                # The page the quote's line is on in the document as written.
                page = next(n for n, lines in enumerate(written.pages, 1) if any(row["quote"] in ln for ln in lines))
                assert row["page"] == page, (table, row)
    assert {r["page"] for rows in facts["pdf"].values() for r in rows} == {1, 2}


# --- HTML -------------------------------------------------------------------------------------------


def test_html_main_text_leaves_out_navigation_scripts_and_footer(tmp_path):
    doc = read(tmp_path, "page.html", as_html(JA_MEETING))
    for furniture in ("会見・発表", "外交政策", "Privacy policy", "Sitemap", "Related", "2099", "display", "Copyright"):
        assert furniture not in doc.text
    lines = doc.text.split("\n\n")
    # The headline, dateline and each paragraph a line of its own; each table row a line.
    assert lines[:2] == [JA_MEETING.title, JA_MEETING.dateline]
    for line in JA_MEETING.lines:
        assert line in lines
    assert "| 防災 | 架空防災計画 |" in lines
    assert doc.publisher == JA_MEETING.publisher  # og:site_name
    assert doc.encoding == "utf-8" and doc.page_starts == ()


def test_html_meta_tags_give_title_date_and_publisher(tmp_path):
    page = b"""<html><head><meta charset="utf-8"><title>Outcome | Site</title>
<meta property="og:title" content="Outcome of the  Fictional Meeting">
<meta name="citation_date" content="2031/05/14"><meta name="citation_publisher" content="Fictional Institute">
</head><body><article><h1>Headline</h1><p>The fictional meeting was held and 40 delegates attended it.</p>
<p>It adopted a fictional work plan for cooperation among the participating institutes.</p></article></body></html>"""
    doc = read(tmp_path, "outcome.htm", page)
    assert (doc.title, doc.published, doc.publisher) == (
        "Outcome of the Fictional Meeting",
        "2031-05-14",
        "Fictional Institute",
    )


@pytest.mark.parametrize("language", ["ja", "en"])
def test_html_without_a_date_meta_tag_reads_the_dateline_of_its_text(language, tmp_path):
    # The first paragraph opens with the dateline's own date (2031年5月14日、…): still a dateline.
    doc = read(tmp_path, "meeting.html", as_html(MEETINGS[language]))
    assert doc.title == MEETINGS[language].title  # the <h1>
    assert doc.published == "2031-05-14"  # the dateline under it


def _http_equiv_shift_jis() -> bytes:
    markup = as_html(JA_MEETING).decode("utf-8")
    declared = '<meta http-equiv="Content-Type" content="text/html; charset=Shift_JIS">'
    return markup.replace('<meta charset="utf-8">', declared).replace("©", "(c)").encode("cp932")


@pytest.mark.parametrize(
    "encoding, data",
    [
        ("cp932", as_html(JA_MEETING, charset="shift_jis")),
        ("cp932", _http_equiv_shift_jis()),
        ("utf-16", as_html(JA_MEETING, charset="utf-16")),  # with its BOM
    ],
    ids=["meta-charset-shift-jis", "http-equiv-shift-jis", "utf-16-bom"],
)
def test_html_in_another_charset_gives_the_same_text(encoding, data, tmp_path):
    utf8 = read(tmp_path, "a.html", as_html(JA_MEETING))
    other = read(tmp_path, "b.html", data)
    assert other.encoding == encoding and other.text == utf8.text
    assert other.sha256 == hashlib.sha256(data).hexdigest()


# --- PDF --------------------------------------------------------------------------------------------


def test_pdf_pages_are_slides_with_lines_as_laid_out(tmp_path):
    doc = read(tmp_path, "deck.pdf", as_pdf(JA_MEETING))
    pages = doc.text.split(PAGE_BREAK)
    assert len(pages) == 2 and doc.page_starts == (0, len(pages[0]) + len(PAGE_BREAK))
    assert Text("deck", doc.text).segments == [(0, len(pages[0])), (doc.page_starts[1], len(doc.text))]
    for n, lines in enumerate(JA_MEETING.pages):
        for line in lines:
            assert line in pages[n].split("\n")
    assert "分野 金額" in pages[1].split("\n")  # a table row is a line
    assert doc.title == JA_MEETING.title  # /Title
    assert doc.encoding == "pdf"


def _two_column_slide() -> bytes:
    out = io.BytesIO()
    c = canvas.Canvas(out, pagesize=(842, 595), invariant=1)
    c.setFont("HeiseiMin-W3", 14)
    left = ["・2031年5月、架空会合で", "防災協力が合意された。", "・参加者は80人であった。"]
    right = ["・日本は架空基金へ", "約300万米ドルを拠出した。"]
    for i, line in enumerate(left):
        c.drawString(40, 500 - 20 * i, line)
    for i, line in enumerate(right):
        c.drawString(460, 500 - 20 * i, line)
    c.showPage()
    c.save()
    return out.getvalue()


def test_pdf_columns_are_read_one_after_the_other(tmp_path):
    text = read(tmp_path, "columns.pdf", _two_column_slide()).text
    assert "・2031年5月、架空会合で\n防災協力が合意された。\n・参加者は80人であった。" in text
    assert "・日本は架空基金へ\n約300万米ドルを拠出した。" in text


def test_pdf_title_without_metadata_is_its_first_line_and_its_creation_date_is_not_a_date(tmp_path):
    undated = Doc("en", "Fictional Cooperation Overview", "", "", (("Japan and ASEAN held fictional talks.",),))
    data = as_pdf(undated, title_metadata=False)
    assert b"/CreationDate" in data  # reportlab writes one: it says when the file was made
    doc = read(tmp_path, "overview.pdf", data)
    assert doc.title == "Fictional Cooperation Overview"
    assert doc.published is None


def test_a_pdf_whose_fonts_map_no_characters_is_refused(tmp_path, monkeypatch):
    # What pdfminer gives for fonts without a Unicode map (common in older decks): codes, not text.
    monkeypatch.setattr(formats, "_page_texts", lambda document: ["(cid:1201)(cid:877)(cid:93) 2031", "(cid:5)"])
    with pytest.raises(DocumentError, match=r"deck\.pdf: no usable text layer: .*OCR is not supported"):
        read(tmp_path, "deck.pdf", as_pdf(EN_MEETING))
    monkeypatch.setattr(formats, "_page_texts", lambda document: ["Japan pledged (cid:12) US$25 million."])
    assert read(tmp_path, "deck.pdf", as_pdf(EN_MEETING)).text == "Japan pledged (cid:12) US$25 million."


def test_page_of_offsets():
    assert page_of((), 5) is None
    assert [page_of((0, 10, 20), i) for i in (0, 9, 10, 19, 20, 99)] == [1, 1, 2, 2, 3, 3]


# --- Determinism and the raw bytes ------------------------------------------------------------------

_DIGEST = "import hashlib,sys; from pipelines.documents import read_document as r; d=r(sys.argv[1]); " + (
    "print(hashlib.sha256(repr((d.text, d.page_starts, d.title, d.published, d.publisher)).encode()).hexdigest())"
)


@pytest.mark.parametrize("fmt", ["html", "pdf"])
def test_the_same_bytes_give_the_same_text_in_another_process(fmt, tmp_path):
    data = renderings(JA_MEETING)[fmt]
    assert renderings(JA_MEETING)[fmt] == data  # the rendering itself is byte for byte stable
    path = tmp_path / f"meeting.{fmt}"
    path.write_bytes(data)
    first, second = read_document(path), read_document(path)
    assert first == second
    mine = hashlib.sha256(
        repr((first.text, first.page_starts, first.title, first.published, first.publisher)).encode()
    ).hexdigest()
    env = {"PYTHONPATH": str(REPO), "PYTHONHASHSEED": "12345", "PATH": "/usr/bin:/bin"}
    out = subprocess.run([sys.executable, "-c", _DIGEST, str(path)], env=env, capture_output=True, text=True)
    assert out.stdout.strip() == mine, out.stderr
    assert path.read_bytes() == data  # reading never touches the raw file
    assert first.sha256 == hashlib.sha256(data).hexdigest()


def test_upgrading_a_library_that_reads_pages_or_pdfs_extracts_every_document_again(monkeypatch):
    before = extraction.extractor_version()
    assert "pdfminer.six==" in formats.library_versions() and "trafilatura==" in formats.library_versions()
    monkeypatch.setattr(extraction, "library_versions", lambda: "trafilatura==99.0 pdfminer.six==99")
    assert extraction.extractor_version() != before


# --- Bad files ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("case", list(FORMAT_BAD_INPUTS))
def test_bad_files_are_refused_naming_the_file(case, tmp_path):
    files, expected = FORMAT_BAD_INPUTS[case]
    [(name, data)] = files.items()
    with pytest.raises(DocumentError) as err:
        read(tmp_path, name, data)
    message = str(err.value)
    assert "\n" not in message
    for part in expected:
        assert part in message, (part, message)


@pytest.mark.parametrize("fmt", ["html", "pdf"])
def test_a_page_or_pdf_above_the_size_limit_is_refused_before_it_is_read(fmt, tmp_path, monkeypatch):
    data = renderings(EN_MEETING)[fmt]
    monkeypatch.setattr(documents, "MAX_DOCUMENT_BYTES", len(data) - 1)
    with pytest.raises(DocumentError, match=rf"big\.{fmt}: {len(data)} bytes is above the limit"):
        read(tmp_path, f"big.{fmt}", data)


# --- The whole pipeline ------------------------------------------------------------------------------


@pytest.mark.slow
def test_release_publishes_the_facts_of_a_web_page_and_a_pdf(tmp_path):
    from test_bad_input import csv_rows

    from pipelines.orchestration.runner import run_pipeline

    files = {
        "meeting-ja.pdf": as_pdf(JA_MEETING),
        "meeting-en.html": as_html(EN_MEETING, published_meta=PUBLISHED),
    }
    root = make_project(tmp_path / "project", files)
    with dagster_instance(tmp_path / "dagster_home") as inst:
        summary = run_pipeline(root, inst)
    assert summary.published
    folder = latest_dir(root)
    assert {n: (root / "raw" / n).read_bytes() for n in files} == files  # raw/ byte for byte
    docs = {r["document_id"]: r for r in csv_rows(folder / "data" / "documents.csv")}
    for name, data in files.items():
        assert docs[name.rsplit(".", 1)[0]]["sha256"] == hashlib.sha256(data).hexdigest()
    pledges = {r["document_id"]: r for r in csv_rows(folder / "data" / "commitments.csv")}
    assert pledges["meeting-ja"]["amount"] == pledges["meeting-en"]["amount"] == "25000000"
    assert (pledges["meeting-ja"]["page"], pledges["meeting-en"]["page"]) == ("2", "")
    meetings = {r["document_id"]: r for r in csv_rows(folder / "data" / "meetings.csv")}
    assert meetings["meeting-ja"]["page"] == "1" and meetings["meeting-en"]["date"] == "2031-05-14"
