"""The catalogue page releases/index.html: versions, data dictionary, previews, charts, escaping, no
network, determinism; and the page opened in headless Chromium (skipped only without Chromium).
"""

from __future__ import annotations

import csv
import io
import json
import shutil
import subprocess
from dataclasses import replace
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlparse

import pytest
from release_helpers import base_rows, publish_rows

from pipelines.catalogue import render_catalogue, write_catalogue
from pipelines.publish.store import read_index
from schemas.tables import TABLES

VOID_ELEMENTS = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}
PAYLOAD = '<script>alert("pwned")</script> & <img src=x onerror=alert(1)>'


class Page(HTMLParser):
    """Elements of a page as (tag, attributes, text inside it)."""

    def __init__(self, text: str):
        super().__init__(convert_charrefs=True)
        self.elements: list[dict] = []
        self._open: list[dict] = []
        self.feed(text)

    def handle_starttag(self, tag, attrs):
        element = {"tag": tag, "attrs": dict(attrs), "text": ""}
        self.elements.append(element)
        if tag not in VOID_ELEMENTS:
            self._open.append(element)

    def handle_endtag(self, tag):
        for i in range(len(self._open) - 1, -1, -1):
            if self._open[i]["tag"] == tag:
                del self._open[i:]
                break

    def handle_data(self, data):
        for element in self._open:
            element["text"] += data

    def all(self, tag: str, **attrs) -> list[dict]:
        return [
            e
            for e in self.elements
            if e["tag"] == tag and all(e["attrs"].get(k.replace("_", "-")) == v for k, v in attrs.items())
        ]


def _two_versions(releases: Path) -> dict:
    """1.0.0 from the base rows, then 1.1.0 with more events, one of them carrying markup."""
    publish_rows(releases, base_rows())
    rows = base_rows()
    for n in range(5):
        quote = f"200{n} event number {n}"
        rows["events"].append(
            {
                "date": f"200{n}",
                "description": f"event number {n}",
                "document_id": "doc-a",
                "char_start": 700 + 30 * n,
                "char_end": 700 + 30 * n + len(quote),
                "quote": quote,
            }
        )
    rows["events"].append(
        {
            "date": "2010-05",
            "description": PAYLOAD,
            "document_id": "doc-a",
            "char_start": 0,
            "char_end": 1 + len(PAYLOAD),
            "quote": " " + PAYLOAD,
        }
    )
    rows["meetings"][0]["name"] = 'Summit "special" <b>50th</b>'
    rows["projects"][2]["programme"] = "ACE <i>programme</i>"
    assert publish_rows(releases, rows).version == "1.1.0"
    return rows


@pytest.fixture
def releases(tmp_path) -> Path:
    releases = tmp_path / "releases"
    _two_versions(releases)
    return releases


# --- The page as written ----------------------------------------------------------------------------


def test_publishing_writes_the_page_and_it_is_deterministic(releases):
    page = releases / "index.html"
    written = page.read_bytes()
    assert written == render_catalogue(releases).encode("utf-8")
    copy = releases.parent / "copy" / "releases"
    shutil.copytree(releases, copy)
    (copy / "index.html").unlink()
    assert write_catalogue(copy).read_bytes() == written
    before = page.stat().st_mtime_ns
    write_catalogue(releases)
    assert page.stat().st_mtime_ns == before, "an up-to-date page is not rewritten"


def test_a_missing_page_is_written_when_nothing_new_is_published(tmp_path):
    releases = tmp_path / "releases"
    rows = _two_versions(releases)
    expected = (releases / "index.html").read_bytes()
    (releases / "index.html").unlink()

    outcome = publish_rows(releases, rows)

    assert not outcome.published
    assert (releases / "index.html").read_bytes() == expected


def test_every_version_is_listed_with_date_size_and_download_links(releases):
    page = Page((releases / "index.html").read_text(encoding="utf-8"))
    index = read_index(releases)
    assert [v["version"] for v in index["versions"]] == ["1.1.0", "1.0.0"]
    for entry in index["versions"]:
        version = entry["version"]
        row = page.all("tr", id=f"v{version}")
        assert len(row) == 1, version
        assert entry["created"][:10] in row[0]["text"]
        assert "KiB" in row[0]["text"] or " B" in row[0]["text"]
        links = {a["attrs"]["href"] for a in page.all("a") if a["attrs"].get("href", "").startswith(f"{version}/")}
        assert {
            f"{version}/japan-asean-cooperation-{version}.zip",
            f"{version}/datapackage.json",
            f"{version}/japan-asean-cooperation.duckdb",
            f"{version}/CHANGES.md",
            f"{version}/SHA256SUMS",
        } <= links
        assert all((releases / unquote(href)).is_file() for href in links)
    row_110 = page.all("tr", id="v1.1.0")[0]["text"]
    # Six events added; the renamed meeting is another meeting (its name is its identity); one value changed.
    assert "minor since 1.0.0: +7 rows, −1 row, 1 value changed" in row_110


def test_data_dictionary_is_derived_from_the_table_definitions(releases, monkeypatch):
    text = Page(render_catalogue(releases)).elements
    cells = {e["text"] for e in text if e["tag"] == "td"}
    for table in TABLES.values():
        for f in table.fields:
            assert f.name in cells, (table.name, f.name)
            assert any(c.startswith(f.description) for c in cells), (table.name, f.name)
    changed = replace(TABLES["events"].field("description"), description="A description written just now.")
    monkeypatch.setitem(
        TABLES,
        "events",
        replace(
            TABLES["events"], fields=tuple(changed if f.name == "description" else f for f in TABLES["events"].fields)
        ),
    )
    assert "A description written just now." in render_catalogue(releases)


def test_preview_shows_the_first_rows_of_the_latest_csvs(releases):
    page = Page(render_catalogue(releases))
    previews = page.all("table", **{"class": "preview"})
    shown = [e["text"] for e in page.elements if e["tag"] == "td"]
    with_rows = [t for t in TABLES if len((releases / "1.1.0" / "data" / f"{t}.csv").read_text().splitlines()) > 1]
    assert len(previews) == len(with_rows) == 6
    events = list(csv.reader(io.StringIO((releases / "1.1.0" / "data" / "events.csv").read_text())))[1:]
    assert len(events) > 5
    assert all(row[0] in shown for row in events[:5])
    assert not any(row[0] in shown for row in events[5:])


def test_text_from_documents_is_escaped(releases):
    text = (releases / "index.html").read_text(encoding="utf-8")
    assert PAYLOAD not in text and "<img" not in text and "<b>50th</b>" not in text and "<i>programme" not in text
    assert "&lt;script&gt;alert(&quot;pwned&quot;)&lt;/script&gt; &amp; &lt;img src=x" in text
    page = Page(text)
    assert not page.all("img") and not page.all("b") and not page.all("i")
    # The page's own script, and the rows to explore as a JSON block that no text of the data can close.
    assert [s["attrs"] for s in page.all("script")] == [{"type": "application/json", "id": "explore-data"}, {}]
    rows = json.loads(page.all("script")[0]["text"])["tables"]
    assert any(PAYLOAD in cell for t in rows for row in t["rows"] for cell in row)
    assert any(PAYLOAD in e["text"] for e in page.all("title"))  # the timeline tooltip, as text


def test_page_loads_nothing_from_outside(releases):
    text = (releases / "index.html").read_text(encoding="utf-8")
    page = Page(text)
    policy = page.all("meta", http_equiv="Content-Security-Policy")
    assert len(policy) == 1 and policy[0]["attrs"]["content"].startswith("default-src 'none';")
    assert not page.all("link") and not page.all("img") and not page.all("iframe")
    for element in page.elements:
        assert "src" not in element["attrs"], element
        href = element["attrs"].get("href", "")
        if urlparse(href).scheme:
            assert element["tag"] == "a" and href.startswith("https://"), element
    assert "url(" not in text and "@import" not in text


def test_charts_draw_one_mark_per_fact(releases):
    page = Page(render_catalogue(releases))
    charts = {e["attrs"]["data-chart"]: e for e in page.all("svg")}
    assert set(charts) == {"timeline", "jaif-budgets", "member-indicators"}
    rects = [e for e in page.elements if e["tag"] == "rect" and e["attrs"].get("class") == "mark"]
    # 8 events and 1 meeting; 3 JAIF budgets; 2 members x 2 indicators stated.
    assert charts["timeline"]["attrs"]["data-marks"] == "9"
    assert charts["jaif-budgets"]["attrs"]["data-marks"] == "3"
    assert charts["member-indicators"]["attrs"]["data-marks"] == "4"
    assert len(rects) == 16
    budgets = sorted(
        float(r["attrs"]["data-value"]) for r in rects if "data-entity" not in r["attrs"] and "data-value" in r["attrs"]
    )
    assert budgets == [1100000.0, 4200000.0, 6100000.0]
    values = {
        (r["attrs"]["data-entity"], r["attrs"]["data-indicator"]): float(r["attrs"]["data-value"])
        for r in rects
        if "data-entity" in r["attrs"]
    }
    assert values == {
        ("KHM", "population"): 12340000.0,
        ("KHM", "gdp_per_capita_usd"): 2222.0,
        ("SGP", "population"): 4440000.0,
        ("SGP", "gdp_per_capita_usd"): 55555.0,
    }


def test_a_crowded_timeline_lane_draws_a_bar_per_year_and_stays_the_same_size():
    """Beyond LANE_PX statements in one year, a lane draws one bar per year with its count (squares
    would be under a pixel): the chart no longer grows with the number of documents. Up to LANE_PX,
    one square per statement."""
    import pandas as pd

    from pipelines.catalogue import LANE_PX, timeline_svg

    def events(per_year: dict[str, int]) -> pd.DataFrame:
        rows = [(year, None, f"event {year} {i}") for year, n in per_year.items() for i in range(n)]
        return pd.DataFrame(rows, columns=["date", "end_date", "description"])

    meetings = pd.DataFrame(
        [("2001-03-04", None, "Summit A"), ("2002", None, "Summit B")], columns=["date", "end_date", "name"]
    )
    svg, caption = timeline_svg(events({"2001": LANE_PX + 5, "2002-07": 3}), meetings)
    page = Page(svg)
    assert page.all("svg")[0]["attrs"]["data-marks"] == "4"  # two bars of events, two meeting squares
    bars = {
        r["attrs"]["data-year"]: int(r["attrs"]["data-count"]) for r in page.all("rect") if "data-year" in r["attrs"]
    }
    assert bars == {"2001": LANE_PX + 5, "2002": 3}
    titles = {e["text"] for e in page.all("title")}
    assert titles >= {f"2001: {LANE_PX + 5} events", "2002: 3 events", "2001-03-04: Summit A"}
    assert "Events are too many to draw one by one" in caption and "meetings are" not in caption.lower()
    bigger, _ = timeline_svg(events({"2001": 50 * LANE_PX, "2002-07": 300}), meetings)
    assert len(Page(bigger).all("rect")) == 4 and len(bigger) < len(svg) + 100
    small, small_caption = timeline_svg(events({"2001": LANE_PX}), meetings)
    assert Page(small).all("svg")[0]["attrs"]["data-marks"] == str(LANE_PX + 2)
    assert "too many" not in small_caption


# --- In a browser -----------------------------------------------------------------------------------


def _chromium() -> str | None:
    return shutil.which("chromium") or shutil.which("chromium-browser") or shutil.which("google-chrome")


def _chromium_run(page: Path, profile: Path, *args: str, fragment: str = "") -> subprocess.CompletedProcess:
    exe = _chromium()
    if exe is None:
        pytest.skip("chromium not found (apt-get install chromium)")
    command = [
        exe,
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        "--hide-scrollbars",
        "--host-resolver-rules=MAP * ~NOTFOUND",
        f"--user-data-dir={profile}",
        *args,
        page.as_uri() + fragment,
    ]
    return subprocess.run(command, capture_output=True, text=True, timeout=180)


def _check_in_browser(releases: Path, work: Path) -> tuple[Page, Path]:
    """Render the page, check its charts were laid out and every link resolves; return the DOM."""
    page_file = releases / "index.html"
    dumped = _chromium_run(page_file, work / "profile", "--dump-dom")
    assert dumped.returncode == 0 and "</html>" in dumped.stdout, dumped.stderr[-3000:]
    dom = Page(dumped.stdout)
    charts = dom.all("svg")
    assert {c["attrs"].get("data-chart") for c in charts} == {"timeline", "jaif-budgets", "member-indicators"}
    for chart in charts:
        attrs = chart["attrs"]
        # Set by the page's script from the laid-out boxes: absent if the script did not run.
        assert int(attrs["data-rendered-width"]) > 300 and int(attrs["data-rendered-height"]) > 50, attrs
        assert int(attrs["data-rendered-marks"]) == int(attrs["data-marks"]) > 0, attrs
    ids = {e["attrs"]["id"] for e in dom.elements if "id" in e["attrs"]}
    links = [e["attrs"]["href"] for e in dom.all("a")]
    assert len(links) > 10
    for href in links:
        target = urlparse(href)
        if target.scheme:
            assert target.scheme == "https", href
        elif href.startswith("#") and "=" in href:
            # A view of the explorer (#table=...&q=...): a table it holds, shown in the section #explore.
            assert "explore" in ids and parse_qs(href[1:])["table"][0] in TABLES, href
        elif href.startswith("#"):
            assert href[1:] in ids, href
        else:
            assert (page_file.parent / unquote(target.path)).is_file(), href
    shot = work / "page.png"
    taken = _chromium_run(page_file, work / "profile", f"--screenshot={shot}", "--window-size=1280,2000")
    assert taken.returncode == 0, taken.stderr[-3000:]
    png = shot.read_bytes()
    assert png[:8] == b"\x89PNG\r\n\x1a\n" and int.from_bytes(png[16:20], "big") == 1280 and len(png) > 20000
    return dom, shot


@pytest.mark.slow
def test_page_renders_in_chromium_with_charts_and_working_links(releases, tmp_path):
    dom, _ = _check_in_browser(releases, tmp_path)
    assert [s["attrs"] for s in dom.all("script")] == [{"type": "application/json", "id": "explore-data"}, {}]
    assert not dom.all("img")
    assert any(PAYLOAD in e["text"] for e in dom.all("td")), "the markup is shown as text"


@pytest.mark.slow
def test_page_of_the_real_release_renders_in_chromium(built_release, tmp_path):
    root, summary = built_release
    releases = tmp_path / "releases"
    shutil.copytree(root / "releases", releases)
    dom, _ = _check_in_browser(releases, tmp_path)
    marks = {c["attrs"]["data-chart"]: int(c["attrs"]["data-marks"]) for c in dom.all("svg")}
    index = json.loads((releases / "index.json").read_text())
    tables = index["versions"][0]["tables"]
    assert marks["timeline"] > tables["meetings"] > 0
    assert marks["jaif-budgets"] > 3 and marks["member-indicators"] >= 4 * 5
