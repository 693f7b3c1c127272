"""Browsing a release without installing anything: the fact-in-context pages (releases/context/...) and
the "Explore the rows" section of releases/index.html (every row, searchable, filters kept in the
address). Rendering is checked here directly; the pages are also opened in headless Chromium (marked
slow; skipped, saying so, without Chromium), with a screenshot whose pixels the test reads.
"""

from __future__ import annotations

import json
import re
import shutil
import struct
import zlib
from collections import Counter
from pathlib import Path
from urllib.parse import unquote, urlparse

import pytest
from release_helpers import base_rows, publish_rows
from test_catalogue import Page, _chromium_run

from pipelines.catalogue import write_catalogue
from pipelines.catalogue.context import CONTEXT_DIR, Fact, render_text, table_colours
from pipelines.catalogue.explore import PAGE_ROWS, script_json
from schemas.tables import TABLES

PAYLOAD = '<script>alert("x")</script> & <b>bold</b>'
# An invented Japanese document: a statement of an event with a count inside it (two tables over the
# same words), a membership on its own, a quote carrying markup, and eight U+FFFF noncharacters (drawn
# as boxes by any font) to compare the width of Japanese text with.
JA_PARTS = (
    "はじめに。",
    "2023年9月、研修員120人が東京に集まった",
    "。続いて、",
    "カンボジアが加盟した",
    "。記号の例：",
    "見出し " + PAYLOAD,
    "。箱：",
    "\uffff" * 10,
    "。おわり。",
)
JA_TEXT = "".join(JA_PARTS)


def _at(quote: str) -> tuple[int, int]:
    start = JA_TEXT.index(quote)
    return start, start + len(quote)


def _ja_fact(quote: str, **values) -> dict:
    start, end = _at(quote)
    return {**values, "document_id": "doc-j", "char_start": start, "char_end": end, "quote": quote}


def browse_rows() -> dict:
    rows = base_rows()
    rows["documents"].append(
        {
            "document_id": "doc-j",
            "file_name": "doc-j.txt",
            "title": "日本語の資料",
            "language": "ja",
            "publisher": None,
            "published": None,
            "sha256": "b" * 64,
            "n_chars": len(JA_TEXT),
        }
    )
    rows["events"].append(_ja_fact(JA_PARTS[1], date="2023-09", description="研修員が東京に集まった"))
    rows["metrics"].append(_ja_fact("研修員120人", subject="研修員", value=120.0, unit="persons", approximate=False))
    rows["memberships"].append(_ja_fact("カンボジアが加盟", organization="ASEAN", member_code="KHM", status="member"))
    rows["memberships"].append(_ja_fact("\uffff" * 8, organization="ASEAN", member_code="LAO", status="member"))
    rows["events"].append(_ja_fact(JA_PARTS[5], date="2019", description=PAYLOAD))
    # Enough rows in one table for several pages of the explorer, over two decades.
    for n in range(2 * PAGE_ROWS + 30):
        quote = f"{2000 + n % 20} event number {n}"
        rows["events"].append(
            {
                "date": str(2000 + n % 20),
                "description": f"event number {n}",
                "document_id": "doc-a",
                "char_start": 1000 + 40 * n,
                "char_end": 1000 + 40 * n + len(quote),
                "quote": quote,
            }
        )
    rows["documents"][0]["n_chars"] = 1000 + 40 * (2 * PAGE_ROWS + 30)
    return rows


@pytest.fixture(scope="module")
def releases(tmp_path_factory) -> Path:
    releases = tmp_path_factory.mktemp("browse") / "releases"
    first = base_rows()
    publish_rows(releases, first)
    assert publish_rows(releases, browse_rows()).version == "1.1.0"
    return releases


def _csv_rows(releases: Path, table: str, version: str = "1.1.0") -> list[dict]:
    import csv

    with open(releases / version / "data" / f"{table}.csv", encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def _fact_id(releases: Path, table: str, quote: str) -> str:
    return next(r["fact_id"] for r in _csv_rows(releases, table) if r["quote"] == quote)


def _context_page(releases: Path, document_id: str, version: str = "1.1.0") -> Path:
    return releases / CONTEXT_DIR / version / f"{document_id}.html"


# --- Fact-in-context pages --------------------------------------------------------------------------


def test_a_context_page_for_every_document_of_every_version(releases):
    for version in ("1.0.0", "1.1.0"):
        documents = [r["document_id"] for r in _csv_rows(releases, "documents", version)]
        pages = sorted(p.stem for p in (releases / CONTEXT_DIR / version).glob("*.html"))
        assert pages == sorted(documents), version
    page = Page(_context_page(releases, "doc-j").read_text(encoding="utf-8"))
    ids = {e["attrs"]["id"] for e in page.elements if "id" in e["attrs"]}
    cards = {e["attrs"]["data-fact-id"] for e in page.all("div", **{"class": "fact"})}
    facts = {r["fact_id"] for t in ("events", "metrics", "memberships") for r in _csv_rows(releases, t)}
    in_doc = {f for f in facts if f.startswith("doc-j/")}
    assert len(in_doc) == 5 and in_doc <= ids and cards == in_doc
    legend = page.all("ul", **{"class": "legend"})[0]["text"]
    assert "events (2)" in legend and "metrics (1)" in legend and "memberships (2)" in legend
    assert page.all("article", id="text")[0]["attrs"]["lang"] == "ja"


def test_context_pages_are_deterministic_and_stale_ones_removed(releases, tmp_path):
    copy = tmp_path / "releases"
    shutil.copytree(releases, copy)
    shutil.rmtree(copy / CONTEXT_DIR)
    (copy / "index.html").unlink()
    write_catalogue(copy)
    for page in sorted((releases / CONTEXT_DIR).rglob("*.html")):
        assert (copy / page.relative_to(releases)).read_bytes() == page.read_bytes(), page
    stale = copy / CONTEXT_DIR / "0.9.0" / "gone.html"
    stale.parent.mkdir()
    stale.write_text("old")
    before = _context_page(copy, "doc-j").stat().st_mtime_ns
    write_catalogue(copy)
    assert not stale.exists() and not stale.parent.exists()
    assert _context_page(copy, "doc-j").stat().st_mtime_ns == before, "an up-to-date page is not rewritten"


def test_context_page_escapes_the_text_and_the_fields(releases):
    text = _context_page(releases, "doc-j").read_text(encoding="utf-8")
    assert PAYLOAD not in text and "<b>" not in text and 'alert("x")</script>' not in text
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &lt;b&gt;bold&lt;/b&gt;" in text
    page = Page(text)
    assert len(page.all("script")) == 1 and not page.all("b")
    assert any(PAYLOAD in e["text"] for e in page.all("mark")), "the quote is shown as text, highlighted"
    assert any(e["text"] == PAYLOAD for e in page.all("td", data_column="description")), "and in the row's fields"
    policy = page.all("meta", http_equiv="Content-Security-Policy")[0]["attrs"]["content"]
    assert policy.startswith("default-src 'none';")
    assert not page.all("link") and not page.all("img") and not any("src" in e["attrs"] for e in page.elements)


def test_the_text_is_rebuilt_from_the_quotes_or_read_from_the_shipped_source(releases, tmp_path):
    # A version that ships no text for a document (published before sources/ existed): rebuilt.
    copy = tmp_path / "releases"
    shutil.copytree(releases, copy)
    (copy / "1.1.0" / "sources" / "doc-j.txt").unlink()
    write_catalogue(copy)
    page = Page(_context_page(copy, "doc-j").read_text(encoding="utf-8"))
    shown = page.all("article", id="text")[0]["text"]
    # What no quote covers is left out and counted; every quote is there, in order.
    assert shown.startswith(f"[… {len(JA_PARTS[0])} characters …]2023年9月")
    assert "はじめに" not in shown and f"[… {len(JA_PARTS[2])} characters …]カンボジア" in shown
    (copy / "1.1.0" / "sources" / "doc-j.txt").write_text(JA_TEXT, encoding="utf-8", newline="")
    write_catalogue(copy)
    whole = Page(_context_page(copy, "doc-j").read_text(encoding="utf-8"))
    assert whole.all("article", id="text")[0]["text"] == JA_TEXT
    # A source of another length than documents.n_chars says is not the text the offsets count in.
    (copy / "1.1.0" / "sources" / "doc-j.txt").write_text(JA_TEXT + "余分", encoding="utf-8")
    write_catalogue(copy)
    assert "characters …]" in Page(_context_page(copy, "doc-j").read_text(encoding="utf-8")).all("article")[0]["text"]


def _fact(table: str, fact_id: str, start: int, end: int) -> Fact:
    return Fact(table, fact_id, start, end, "", ())


def test_overlapping_facts_split_the_text_into_segments_each_listing_its_facts():
    chars: list[str | None] = list("abcdefghij") + [None] * 3 + list("xyz")
    facts = (
        _fact("events", "e", 1, 8),  # 0
        _fact("metrics", "m", 3, 5),  # 1: inside e
        _fact("memberships", "s", 3, 5),  # 2: the same words as m
        _fact("events", "z", 13, 16),  # 3: after the gap
    )
    page = Page(render_text(chars, facts))
    marks = [(m["text"], m["attrs"]["data-facts"], m["attrs"]["class"]) for m in page.all("mark")]
    # Innermost first; among facts over the same words, the table order of schemas.tables.
    assert marks == [
        ("bc", "0", "hl t-events"),
        ("de", "2 1 0", "hl t-memberships u-metrics"),
        ("fgh", "0", "hl t-events"),
        ("xyz", "3", "hl t-events"),
    ]
    assert [e["attrs"]["id"] for e in page.all("span", **{"class": "anchor"})] == ["e", "m", "s", "z"]
    assert page.all("span", **{"class": "gap"})[0]["text"] == "[… 3 characters …]"
    assert page.elements and Page(render_text(chars, facts)).elements == page.elements


def test_every_row_shown_in_the_catalogue_links_to_its_highlight(releases):
    page = Page((releases / "index.html").read_text(encoding="utf-8"))
    links = [a["attrs"]["href"] for a in page.all("a") if a["attrs"]["href"].startswith(f"{CONTEXT_DIR}/")]
    fact_tables = [t for t in TABLES.values() if t.is_fact_table]
    assert len(links) == sum(min(5, len(_csv_rows(releases, t.name))) for t in fact_tables) > 10
    for href in links:
        target = urlparse(href)
        context = releases / unquote(target.path)
        assert context.is_file(), href
        anchors = {e["attrs"].get("id") for e in Page(context.read_text(encoding="utf-8")).all("span")}
        assert unquote(target.fragment) in anchors, href


# --- Explore the rows -------------------------------------------------------------------------------


def _explore_data(releases: Path) -> dict:
    page = Page((releases / "index.html").read_text(encoding="utf-8"))
    return json.loads(page.all("script", id="explore-data")[0]["text"])


def test_every_row_of_every_table_is_embedded_for_exploring(releases):
    data = _explore_data(releases)
    assert data["version"] == "1.1.0" and data["context"] == f"{CONTEXT_DIR}/1.1.0/"
    for table in data["tables"]:
        rows = _csv_rows(releases, table["name"])
        assert [dict(zip(table["columns"], r)) for r in table["rows"]] == rows, table["name"]
    events = next(t for t in data["tables"] if t["name"] == "events")
    assert len(events["rows"]) > 2 * PAGE_ROWS
    assert [events["columns"][i] for i in events["years"]] == ["date", "end_date"]
    memberships = next(t for t in data["tables"] if t["name"] == "memberships")
    assert [memberships["columns"][i] for i in memberships["countries"]] == ["member_code"]


def test_the_embedded_rows_cannot_close_their_script_block():
    data = {"a": ["</script><script>alert(1)</script>", "<!-- x -->", "&amp;", "\u2028\u2029", "日本"]}
    text = script_json(data)
    assert "<" not in text and ">" not in text and "&" not in text and "\u2028" not in text
    assert json.loads(text) == data


def test_filter_choices_are_those_of_the_data(releases):
    page = Page((releases / "index.html").read_text(encoding="utf-8"))
    options = {e["attrs"]["name"]: [o["attrs"]["value"] for o in _children(page, e)] for e in page.all("select")}
    assert options["document"] == ["", "doc-a", "doc-j"]
    assert options["country"] == ["", "KHM", "JPN", "LAO", "SGP"]  # by name: Cambodia, Japan, Laos, Singapore
    # The years rows state, and those within a stated range (a project from 2011-04 to 2014-09).
    assert options["year"] == ["", "1981", *(str(y) for y in range(2000, 2020)), "2023", "2024"]
    assert options["table"] == ["documents", "indicators", "leaders", "events", "projects", "meetings"] + [
        "commitments",
        "memberships",
        "metrics",
    ]


def _children(page: Page, element: dict) -> list[dict]:
    """The elements parsed after element and before the next select (options of a select)."""
    start = next(i for i, e in enumerate(page.elements) if e is element)
    out = []
    for e in page.elements[start + 1 :]:
        if e["tag"] != "option":
            break
        out.append(e)
    return out


# --- In Chromium ------------------------------------------------------------------------------------

# Tall enough that the test pages never scroll: headless Chromium's --screenshot draws a scrolled page
# blank, and the boxes the pages record must be those of the screenshot.
WINDOW = (1200, 3200)


def _dump(page: Path, work: Path, fragment: str = "") -> Page:
    done = _chromium_run_fragment(page, work, fragment, "--dump-dom")
    assert done.returncode == 0 and "</html>" in done.stdout, done.stderr[-3000:]
    return Page(done.stdout)


def _chromium_run_fragment(page: Path, work: Path, fragment: str, *args: str):
    size = f"--window-size={WINDOW[0]},{WINDOW[1]}"
    return _chromium_run(page, work / "profile", size, "--virtual-time-budget=5000", *args, fragment=fragment)


def _png_pixels(png: bytes, rows: int) -> tuple[int, list[bytes]]:
    """Width and the first rows of an 8-bit RGB or RGBA, non-interlaced PNG, each row as RGB bytes."""
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    pos, idat, header = 8, b"", b""
    while pos < len(png):
        length, kind = struct.unpack(">I4s", png[pos : pos + 8])
        chunk = png[pos + 8 : pos + 8 + length]
        if kind == b"IHDR":
            header = chunk
        elif kind == b"IDAT":
            idat += chunk
        pos += 12 + length
    width, height, depth, colour, _, _, interlace = struct.unpack(">IIBBBBB", header)
    assert depth == 8 and colour in (2, 6) and interlace == 0, (depth, colour, interlace)
    channels = 3 if colour == 2 else 4
    stride = width * channels
    raw = zlib.decompress(idat)
    previous = bytearray(stride)
    out = []
    for y in range(min(rows, height)):
        kind, line = raw[y * (stride + 1)], bytearray(raw[y * (stride + 1) + 1 : (y + 1) * (stride + 1)])
        for i in range(stride):
            a = line[i - channels] if i >= channels else 0
            b = previous[i]
            c = previous[i - channels] if i >= channels else 0
            if kind == 1:
                line[i] = (line[i] + a) & 0xFF
            elif kind == 2:
                line[i] = (line[i] + b) & 0xFF
            elif kind == 3:
                line[i] = (line[i] + (a + b) // 2) & 0xFF
            elif kind == 4:
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                line[i] = (line[i] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 0xFF
        previous = line
        out.append(bytes(v for x in range(width) for v in line[x * channels : x * channels + 3]))
    return width, out


def _selected(dom: Page) -> tuple[str, tuple[int, int, int, int], str]:
    body = dom.all("body")[0]["attrs"]
    box = tuple(int(v) for v in body["data-selected-box"].split(","))
    assert len(box) == 4
    panel = dom.all("aside", id="panel")[0]["text"]
    return body["data-selected"], box, panel  # type: ignore[return-value]


@pytest.mark.slow
def test_a_context_page_in_chromium_selects_the_fact_of_its_address(releases, tmp_path):
    page = _context_page(releases, "doc-j")
    fact_id = _fact_id(releases, "memberships", "カンボジアが加盟")
    dom = _dump(page, tmp_path, "#" + fact_id)
    selected, (left, top, width, height), panel = _selected(dom)
    assert selected == fact_id
    assert "KHM" in panel and "カンボジアが加盟" in panel and "member" in panel, panel
    assert "more over these words" not in panel
    # Japanese is drawn by a CJK font: eight characters about eight ems wide at 16px...
    assert 0.9 * 8 * 16 <= width <= 1.1 * 8 * 16, width
    tofu = _selected(_dump(page, tmp_path, "#" + _fact_id(releases, "memberships", "\uffff" * 8)))[1]

    shot = tmp_path / "context.png"
    taken = _chromium_run_fragment(page, tmp_path, "#" + fact_id, f"--screenshot={shot}")
    assert taken.returncode == 0, taken.stderr[-3000:]
    image_width, rows = _png_pixels(shot.read_bytes(), max(top + height, tofu[1] + tofu[3]))
    assert image_width == WINDOW[0]
    inside = Counter(
        rows[y][3 * x : 3 * x + 3] for y in range(top + 2, top + height - 2) for x in range(left + 2, left + width - 2)
    )
    colour = table_colours()["memberships"]
    assert inside.most_common(1)[0][0] == bytes.fromhex(colour[1:]), inside.most_common(3)
    dark = sum(n for rgb, n in inside.items() if max(rgb) < 110)
    assert dark > 0.05 * sum(inside.values()), "the words are drawn on the highlight"
    # ... and not as boxes: each of the eight characters is drawn differently, whereas the eight
    # noncharacters (which no font has) are drawn as the same box eight times.
    assert len(set(_cells(rows, (left, top, width, height), 8))) == 8, (
        "Japanese is drawn as boxes: install a CJK font (apt-get install fonts-noto-cjk; .ci/run does)"
    )
    assert len(set(_cells(rows, tofu, 8))) == 1


def _cells(rows: list[bytes], box: tuple[int, int, int, int], n: int) -> list[bytes]:
    """The pixels of n equal cells side by side in box (one per character), inset from the edges."""
    left, top, width, height = box
    step = width / n
    return [
        b"".join(
            rows[y][3 * round(left + i * step + 1) : 3 * round(left + (i + 1) * step - 1)]
            for y in range(top + 3, top + height - 3)
        )
        for i in range(n)
    ]


@pytest.mark.slow
def test_overlapping_facts_are_each_selectable_in_chromium(releases, tmp_path):
    page = _context_page(releases, "doc-j")
    metric = _fact_id(releases, "metrics", "研修員120人")
    event = _fact_id(releases, "events", JA_PARTS[1])
    selected, box, panel = _selected(_dump(page, tmp_path, "#" + metric))
    assert selected == metric and "1 more over these words" in panel and "研修員が東京に集まった" in panel
    selected, event_box, panel = _selected(_dump(page, tmp_path, "#" + event))
    assert selected == event and "persons" not in panel.split("Select")[0]
    assert event_box[0] < box[0], "the event starts before the count inside it"


def _explorer(dom: Page) -> tuple[dict, list[str], str]:
    section = dom.all("section", id="explore")[0]["attrs"]
    table = dom.all("table", id="explore-rows")[0]
    end = dom.elements.index(dom.all("p", id="explore-pages")[0])
    shown = [
        e["attrs"]["href"]
        for e in dom.elements[dom.elements.index(table) : end]
        if e["tag"] == "a" and e["attrs"].get("href", "").startswith(f"{CONTEXT_DIR}/")
    ]
    return section, shown, dom.all("p", id="explore-count")[0]["text"]


def _expected(releases: Path, table: str, words: str = "", document: str = "", country: str = "", year: str = ""):
    out = []
    for row in _csv_rows(releases, table):
        cells = "\u0001".join(row.values()).lower()
        years = [int(row[c][:4]) for c in ("date", "end_date", "reference_year", "start_date", "joined") if row.get(c)]
        if words and not all(w in cells for w in words.lower().split()):
            continue
        if document and row["document_id"] != document:
            continue
        if country and country not in (row.get(c) for c in ("entity_code", "member_code", "host_country", "recipient")):
            continue
        if year and not (years and min(years) <= int(year) <= max(years)):
            continue
        out.append(row["fact_id"])
    return out


@pytest.mark.slow
@pytest.mark.parametrize(
    "fragment, table, query",
    [
        ("#table=events&q=Number%201", "events", {"words": "Number 1"}),
        ("#table=events&q=event&year=2005&page=1", "events", {"words": "event", "year": "2005"}),
        ("#table=events&page=3", "events", {}),
        ("#table=memberships&country=KHM", "memberships", {"country": "KHM"}),
        ("#table=events&document=doc-j", "events", {"document": "doc-j"}),
        ("#table=events&q=%3Cscript%3E%20%26", "events", {"words": "<script> &"}),
        ("#table=metrics&q=%E7%A0%94%E4%BF%AE", "metrics", {"words": "研修"}),
        ("#table=events&q=%E7%A0%94%E4%BF%AE&year=2023", "events", {"words": "研修", "year": "2023"}),
    ],
)
def test_the_explorer_restores_a_view_from_its_address(releases, tmp_path, fragment, table, query):
    expected = _expected(releases, table, **query)
    page = int(re.search(r"page=(\d+)", fragment).group(1)) if "page=" in fragment else 1
    dom = _dump(releases / "index.html", tmp_path, fragment)
    section, shown, count = _explorer(dom)
    assert section["data-table"] == table and int(section["data-matched"]) == len(expected) > 0
    first = (page - 1) * PAGE_ROWS
    assert [unquote(urlparse(h).fragment) for h in shown] == expected[first : first + PAGE_ROWS]
    assert f"of {len(expected):,} matching in {table}" in count and f"page {page} of" in count
    assert all((releases / unquote(urlparse(h).path)).is_file() for h in shown)
    words = dom.all("input", name="q")
    assert words and float(section["data-filter-ms"]) < 2000


@pytest.mark.slow
def test_typing_a_query_puts_it_in_the_address(releases, tmp_path):
    """A copy of the page with a script that types into the form, then writes the address into the DOM."""
    text = (releases / "index.html").read_text(encoding="utf-8")
    text = re.sub(r'<meta http-equiv="Content-Security-Policy"[^>]*>', "", text)
    driver = """<script>
      var form = document.getElementById("explore-form");
      form.elements.table.value = "events"; form.elements.q.value = "number 2";
      form.elements.year.value = "2002";
      form.dispatchEvent(new Event("input", {bubbles: true}));
      document.body.setAttribute("data-address", location.hash);
    </script></body>"""
    copy = releases / "typed.html"
    copy.write_text(text.replace("</body>", driver), encoding="utf-8")
    try:
        dom = _dump(copy, tmp_path)
    finally:
        copy.unlink()
    assert dom.all("body")[0]["attrs"]["data-address"] == "#table=events&q=number+2&year=2002"
    section, shown, _ = _explorer(dom)
    assert [unquote(urlparse(h).fragment) for h in shown] == _expected(releases, "events", "number 2", year="2002")


def test_a_version_whose_pages_are_current_is_not_rendered_again(releases, tmp_path, monkeypatch):
    from pipelines.catalogue import context

    copy = tmp_path / "releases"
    shutil.copytree(releases, copy)
    rendered: list[str] = []
    real = context.render_context_page
    monkeypatch.setattr(context, "render_context_page", lambda f, v, d: rendered.append(v) or real(f, v, d))
    write_catalogue(copy)
    assert rendered == []
    # Its pages (or their stamp) gone, or its files changed: rendered again, and the same as before.
    page = _context_page(copy, "doc-a", "1.0.0")
    expected = page.read_bytes()
    page.unlink()
    write_catalogue(copy)
    assert rendered == ["1.0.0"] and page.read_bytes() == expected
    with open(copy / "1.1.0" / "data" / "metrics.csv", "a", encoding="utf-8") as handle:
        handle.write("doc-j/metrics/ffffffffff,箱,1.0,boxes,,false,doc-j,0,2,,はじ,,\n")
    write_catalogue(copy)
    assert list(dict.fromkeys(rendered)) == ["1.0.0", "1.1.0"]  # a page per document of 1.1.0
    assert "doc-j/metrics/ffffffffff" in _context_page(copy, "doc-j").read_text(encoding="utf-8")
