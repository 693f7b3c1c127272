"""The catalogue page, releases/index.html: every version, the tables, previews and charts.

Belongs here: reading releases/index.json and the release folders, and rendering from them one static,
self-contained HTML page: the versions with their date, size and download links; the data dictionary
of each table (derived from ``schemas.tables.TABLES``); a preview of each table from the latest
release; and charts drawn here as inline SVG (a timeline of events and meetings, JAIF budgets by
programme and phase, ASEAN members' indicators side by side); every row of the latest release to
explore (the section and its data from ``explore``); each preview row linked to its fact in the
fact-in-context pages, which ``write_catalogue`` writes too (``context``). Writing the pages atomically.
The page loads nothing: CSS, SVG, its one script and the rows (a JSON block) are inline, and a
Content-Security-Policy forbids any other request. Every text that comes from the data is escaped with ``html.escape``.
The page is a pure function of releases/ (no clock, no randomness), so it is byte-identical for the
same releases.
Does not belong here: deciding, writing or verifying releases (``pipelines.publish.release``).
"""

from __future__ import annotations

import csv
import hashlib
import html
import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pandas as pd
import pycountry

from pipelines.catalogue.context import context_href, offline_page, write_context_pages
from pipelines.catalogue.explore import explore_section, explorer_script, explorer_style
from pipelines.publish.citation import citation_text
from pipelines.publish.store import publish_lock, read_index, staging_root, write_bytes_atomic
from pipelines.publish.tables import csv_resources, read_published_csv
from schemas.dictionary import TYPE_LABELS
from schemas.tables import TABLES

PAGE_NAME = "index.html"
PREVIEW_ROWS = 5
PREVIEW_CELL_CHARS = 80
CHART_WIDTH = 1120
# Indicators compared across ASEAN members, in the order their panels appear.
MEMBER_INDICATORS = (
    ("population", "Population", "persons"),
    ("gdp_usd", "GDP", "USD"),
    ("gdp_per_capita_usd", "GDP per capita", "USD"),
    ("area_km2", "Area", "km²"),
)
PARTIAL_DATE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")
EVENT_COLOUR, MEETING_COLOUR, BAR_COLOUR = "#2563eb", "#c2410c", "#0f766e"

# Records each chart's rendered size and how many of its marks have a non-zero box, as data-rendered-*
# attributes: anyone (and the browser test) can tell from the DOM that the charts were laid out.
RENDER_CHECK_SCRIPT = """
document.querySelectorAll("svg[data-chart]").forEach(function (svg) {
  var box = svg.getBoundingClientRect(), drawn = 0;
  svg.querySelectorAll(".mark").forEach(function (mark) {
    var b = mark.getBoundingClientRect();
    if (b.width > 0 && b.height > 0) { drawn += 1; }
  });
  svg.setAttribute("data-rendered-width", Math.round(box.width));
  svg.setAttribute("data-rendered-height", Math.round(box.height));
  svg.setAttribute("data-rendered-marks", drawn);
});
"""

STYLE = """
:root { color-scheme: light; --ink: #1f2937; --muted: #6b7280; --rule: #e5e7eb; --accent: #0f766e; }
* { box-sizing: border-box; }
body { margin: 0; font: 15px/1.5 system-ui, -apple-system, "Segoe UI", "Noto Sans", "Noto Sans CJK JP",
       sans-serif; color: var(--ink); background: #fff; }
header, main, footer { max-width: 1180px; margin: 0 auto; padding: 0 24px; }
header { padding-top: 28px; }
h1 { font-size: 1.7rem; margin: 0 0 6px; }
h2 { font-size: 1.3rem; margin: 36px 0 10px; padding-bottom: 4px; border-bottom: 2px solid var(--rule); }
h3 { font-size: 1.1rem; margin: 28px 0 6px; }
p.lead { color: var(--muted); max-width: 900px; margin: 0 0 10px; }
nav a { margin-right: 16px; }
a { color: var(--accent); }
code, .mono { font-family: ui-monospace, "SFMono-Regular", Menlo, Consolas, monospace; font-size: 0.85em; }
table { border-collapse: collapse; margin: 6px 0 14px; }
th, td { border-bottom: 1px solid var(--rule); padding: 4px 10px 4px 0; text-align: left; vertical-align: top; }
th { font-weight: 600; white-space: nowrap; }
td.num, th.num { text-align: right; white-space: nowrap; }
time { white-space: nowrap; }
.scroll { overflow-x: auto; max-width: 100%; }
.preview td { white-space: nowrap; font-size: 0.85em; }
.muted, figcaption { color: var(--muted); font-size: 0.9em; }
.links a { margin-right: 10px; white-space: nowrap; }
.hash { word-break: break-all; color: var(--muted); }
.warnings, p.cite { font-size: 0.9em; } .warnings { color: #92400e; margin: 0 0 8px; }
figure { margin: 18px 0 30px; }
svg.chart { display: block; max-width: 100%; height: auto; }
svg.chart text { font-size: 12px; fill: var(--ink); }
svg.chart .axis { stroke: #9ca3af; stroke-width: 1; }
svg.chart .tick { fill: var(--muted); font-size: 11px; }
svg.chart .group { font-weight: 600; }
svg.chart .mark:hover { opacity: 0.7; }
.empty { color: var(--muted); font-style: italic; }
footer { margin: 40px auto 30px; color: var(--muted); font-size: 0.9em; }
"""


def write_catalogue(releases_dir: Path) -> Path:
    """Render releases/index.html and replace it atomically; leave it untouched when it is current."""
    releases_dir = Path(releases_dir)
    releases_dir.mkdir(parents=True, exist_ok=True)
    page = releases_dir / PAGE_NAME
    # Under the publisher's lock: a page rendered from an index that another publish is replacing
    # could otherwise overwrite the newer page.
    with publish_lock(releases_dir):
        data = render_catalogue(releases_dir).encode("utf-8")
        if not page.exists() or page.read_bytes() != data:
            write_bytes_atomic(page, data, staging_root(releases_dir))
        _write_context_pages(releases_dir)
    return page


def _write_context_pages(releases_dir: Path) -> None:
    """The fact-in-context pages of every listed version (releases/context/<version>/<document_id>.html)."""
    versions = [v["version"] for v in read_index(releases_dir)["versions"] if (releases_dir / v["version"]).is_dir()]

    def write(path: Path, data: bytes) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        write_bytes_atomic(path, data, staging_root(releases_dir))

    write_context_pages(releases_dir, versions, write)


def render_catalogue(releases_dir: Path) -> str:
    releases_dir = Path(releases_dir)
    index = read_index(releases_dir)
    versions = [v for v in index["versions"] if (releases_dir / v["version"]).is_dir()]
    latest = index["latest"] if index["latest"] and (releases_dir / index["latest"]).is_dir() else None
    package = _read_json(releases_dir / latest / "datapackage.json") if latest else {}
    counts = next(v["tables"] for v in versions if v["version"] == latest) if latest else {}
    title = package.get("title") or "Japan–ASEAN cooperation data"
    explore = explore_section(releases_dir / latest, latest) if latest else ("", "")
    body = [
        "<header>",
        f"<h1>{_e(title)}</h1>",
        f'<p class="lead">{_e(package.get("description", ""))}</p>',
        _latest_summary(releases_dir, latest, package),
        '<nav><a href="#versions">Versions</a><a href="#charts">Charts</a><a href="#explore">Explore</a>'
        '<a href="#tables">Tables</a></nav>',
        "</header>",
        "<main>",
        _versions_section(releases_dir, versions),
        _charts_section(partial(_latest_frames, releases_dir / latest, package)) if latest else "",
        explore[0],
        _tables_section(releases_dir, latest, counts),
        "</main>",
        _footer(package),
    ]
    body.append(explore[1])  # the rows' JSON block, before the script that reads it
    style, script = STYLE + explorer_style(), RENDER_CHECK_SCRIPT + explorer_script()
    return offline_page(f"{title} — releases", style, body, script)


# --- Reading releases -------------------------------------------------------------------------------


def _read_json(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}


# The columns each chart reads, by table: the only ones read from the CSVs (a fact table's text is
# mostly its quotes, which no chart draws).
CHART_COLUMNS = {
    "events": ("date", "end_date", "description"),
    "meetings": ("date", "end_date", "name"),
    "projects": (
        "project_id",
        "document_id",
        "funder",
        "programme",
        "title",
        "phase",
        "start_date",
        "end_date",
        "budget_amount",
        "budget_currency",
        "approximate",
    ),
    "indicators": ("document_id", "char_start", "entity_code", "indicator", "value", "approximate", "reference_year"),
    "memberships": ("organization", "status", "member_code"),
}


def _latest_frames(folder: Path, package: dict, *names: str) -> dict[str, pd.DataFrame]:
    """The latest release's tables of these names, typed as that release declares them, with the
    columns the charts read (CHART_COLUMNS)."""
    frames = {}
    for res in package.get("resources", []):
        path = folder / res["path"]
        if res["name"] in names and path.exists():
            fields = [f for f in res["schema"]["fields"] if f["name"] in CHART_COLUMNS[res["name"]]]
            frames[res["name"]] = read_published_csv(path.read_bytes(), fields)
    return frames


def _folder_bytes(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())


def _zip_of(folder: Path) -> Path | None:
    zips = sorted(folder.glob("*.zip"))
    return zips[0] if zips else None


# --- Sections ---------------------------------------------------------------------------------------


def _latest_summary(releases_dir: Path, latest: str | None, package: dict) -> str:
    if not latest:
        return '<p class="empty">No release has been published yet.</p>'
    created = next((v["created"] for v in read_index(releases_dir)["versions"] if v["version"] == latest), "")
    return (
        f"<p>Latest release: <strong>{_e(latest)}</strong>, {len(csv_resources(package))} tables. "
        f'<span class="links">{_download_links(releases_dir, latest)}</span></p>\n'
        f'<p class="cite">How to cite this version: {_e(citation_text(latest, str(created)))}</p>'
    )


def _download_links(releases_dir: Path, version: str) -> str:
    """The zip, the descriptor, the database, then the version's notes (*.md) and checksums: whatever
    of these the folder holds, so a file added to releases later is linked without editing this."""
    folder = releases_dir / version
    zip_path = _zip_of(folder)
    links = [(zip_path.name, f"zip ({_size(zip_path.stat().st_size)})")] if zip_path else []
    links += [(name, name) for name in ("datapackage.json", "CITATION.cff") if (folder / name).is_file()]
    links += [(p.name, "DuckDB") for p in sorted(folder.glob("*.duckdb"))]
    links += [(p.name, p.name) for p in sorted(folder.glob("*.md"))]
    links += [(name, name) for name in ("SHA256SUMS",) if (folder / name).is_file()]
    return " ".join(f'<a href="{_href(version, name)}">{_e(label)}</a>' for name, label in links)


def _versions_section(releases_dir: Path, versions: list[dict]) -> str:
    out = ['<section id="versions">', "<h2>Versions</h2>"]
    if not versions:
        out += ['<p class="empty">No versions yet.</p>', "</section>"]
        return "\n".join(out)
    out.append(
        '<p class="muted">Newest first. A version never changes once published. Check a download with '
        "<code>sha256sum -c SHA256SUMS</code> inside its folder; the SHA-256 of each zip is shown here. "
        "Each version ships the text of every document (<code>sources/</code>) and <code>verify.py</code>: "
        "after <code>unzip</code>, <code>python3 verify.py</code> in the version's folder checks every file "
        "and every row's quote against those texts, with Python alone.</p>"
    )
    out += [
        '<div class="scroll"><table class="versions">',
        '<thead><tr><th>Version</th><th>Date</th><th>Change</th><th class="num">Rows</th>'
        '<th class="num">Size</th><th>Downloads</th></tr></thead>',
        "<tbody>",
    ]
    for entry in versions:
        version = entry["version"]
        folder = releases_dir / version
        created = str(entry.get("created", ""))
        changes = _read_json(folder / "changes.json")
        zip_path = _zip_of(folder)
        zip_hash = (
            (f'<div class="hash mono">zip SHA-256 {_e(hashlib.sha256(zip_path.read_bytes()).hexdigest())}</div>')
            if zip_path
            else ""
        )
        rows = sum(int(n) for n in entry.get("tables", {}).values())
        out.append(
            f'<tr id="v{_e(version)}"><td><strong>{_e(version)}</strong></td>'
            f'<td><time datetime="{_e(created)}">{_e(created[:10])}</time></td>'
            f"<td>{_e(_change_summary(changes))}</td>"
            f'<td class="num">{rows:,}</td>'
            f'<td class="num">{_e(_size(_folder_bytes(folder)))}</td>'
            f'<td><span class="links">{_download_links(releases_dir, version)}</span>{zip_hash}</td></tr>'
        )
    out += ["</tbody></table></div>", "</section>"]
    return "\n".join(out)


def _change_summary(changes: dict) -> str:
    if not changes:
        return ""
    if changes.get("previous") is None:
        return "first release"
    tables = changes.get("tables", {}).values()
    counts = (
        ("+", "row", "rows", sum(len(t.get("rows_added", [])) for t in tables)),
        ("−", "row", "rows", sum(len(t.get("rows_removed", [])) for t in tables)),
        ("", "value changed", "values changed", sum(len(t.get("values_changed", [])) for t in tables)),
    )
    parts = [f"{sign}{n} {one if n == 1 else many}" for sign, one, many, n in counts if n]
    detail = ", ".join(parts)
    return f"{changes.get('level')} since {changes.get('previous')}" + (f": {detail}" if detail else "")


def _tables_section(releases_dir: Path, latest: str | None, counts: dict[str, int]) -> str:
    out = [
        '<section id="tables">',
        "<h2>Tables</h2>",
        '<p class="muted">Every fact row carries its provenance: the document (<code>document_id</code>), '
        "the character offsets of the statement in that document's text and the exact <code>quote</code>."
        "</p>",
    ]
    for name, table in TABLES.items():
        csv_path = releases_dir / latest / "data" / f"{name}.csv" if latest else None
        rows = counts.get(name)
        out.append(f'<h3 id="table-{_e(name)}"><code>{_e(name)}</code> — {_e(table.title)}</h3>')
        facts = [f"Primary key: {', '.join(f'<code>{_e(c)}</code>' for c in table.primary_key)}."]
        for column, other, other_column in table.foreign_keys:
            facts.append(
                f'<code>{_e(column)}</code> refers to <a href="#table-{_e(other)}"><code>{_e(other)}'
                f"</code></a>.<code>{_e(other_column)}</code>."
            )
        if rows is not None:
            facts.append(f"{_count(rows, 'row')} in {_e(latest)}.")
            facts.append(f'<a href="#{_e(f"table={name}")}">Explore them</a>.')
        if latest and csv_path is not None and csv_path.is_file():
            facts.append(
                f'<a href="{_href(latest, "data", f"{name}.csv")}">Download {_e(name)}.csv</a> '
                f"({_e(_size(csv_path.stat().st_size))})."
            )
        out.append(f"<p>{_e(table.description)} {' '.join(facts)}</p>")
        if table.usage_warnings:
            out.append('<ul class="warnings">' + "".join(f"<li>{_e(w)}</li>" for w in table.usage_warnings) + "</ul>")
        out.append(_dictionary_table(table))
        if csv_path is not None and csv_path.is_file():
            out.append(_preview_table(csv_path, partial(context_href, latest) if latest else None))
    out.append("</section>")
    return "\n".join(out)


def _dictionary_table(table) -> str:
    out = [
        '<div class="scroll"><table class="dictionary">',
        "<thead><tr><th>Column</th><th>Type</th><th>Required</th><th>Description</th></tr></thead><tbody>",
    ]
    for f in table.fields:
        rules = []
        if f.enum:
            rules.append("One of: " + ", ".join(f"<code>{_e(v)}</code>" for v in f.enum) + ".")
        if f.unit:
            rules.append(f"Unit: {_e(f.unit)}.")
        if f.minimum is not None or f.exclusive_minimum is not None or f.maximum is not None:
            bounds = []
            if f.minimum is not None:
                bounds.append(f"≥ {_number(f.minimum)}")
            if f.exclusive_minimum is not None:
                bounds.append(f"> {_number(f.exclusive_minimum)}")
            if f.maximum is not None:
                bounds.append(f"≤ {_number(f.maximum)}")
            rules.append("Values " + ", ".join(bounds) + ".")
        out.append(
            f"<tr><td><code>{_e(f.name)}</code></td><td>{_e(TYPE_LABELS.get(f.type, f.type))}</td>"
            f"<td>{'yes' if f.required else ''}</td><td>{_e(f.description)} {' '.join(rules)}</td></tr>"
        )
    out.append("</tbody></table></div>")
    return "\n".join(out)


def _preview_table(csv_path: Path, context_link: Callable[..., str] | None = None) -> str:
    """The first rows exactly as the CSV has them (text, not re-typed); a fact's id links to the fact
    highlighted in its document (context_link(document_id, fact_id))."""
    # Read as read_text would (line ends translated), but only as far as the rows shown.
    with open(csv_path, encoding="utf-8") as handle:
        reader = csv.reader(handle)
        header = next(reader, [])
        rows = [row for _, row in zip(range(PREVIEW_ROWS), reader)]
    if not rows:
        return '<p class="empty">This table has no rows in this release.</p>'
    first = _count(len(rows), "row")
    out = [
        f'<p class="muted">First {first} of <code>{_e(csv_path.name)}</code>:</p>',
        '<div class="scroll"><table class="preview">',
        "<thead><tr>" + "".join(f"<th>{_e(h)}</th>" for h in header) + "</tr></thead><tbody>",
    ]
    fact, document = (header.index(c) if c in header else -1 for c in ("fact_id", "document_id"))
    for row in rows:
        cells = []
        for n, cell in enumerate(row):
            if context_link and n == fact and document >= 0 and n < len(row):
                cells.append(f'<td><a href="{_e(context_link(row[document], cell))}">{_e(cell)}</a></td>')
            elif len(cell) > PREVIEW_CELL_CHARS:
                cells.append(f'<td title="{_e(cell)}">{_e(cell[:PREVIEW_CELL_CHARS])}…</td>')
            else:
                cells.append(f"<td>{_e(cell)}</td>")
        out.append("<tr>" + "".join(cells) + "</tr>")
    out.append("</tbody></table></div>")
    return "\n".join(out)


def _footer(package: dict) -> str:
    licences = []
    for licence in package.get("licenses", []):
        label = _e(licence.get("title") or licence.get("name", ""))
        path = str(licence.get("path", ""))
        licences.append(f'<a rel="license" href="{_e(path)}">{label}</a>' if path.startswith("https://") else label)
    licence_text = f"Data licence: {', '.join(licences)}. " if licences else ""
    return (
        f"<footer><p>{licence_text}This page is generated from the releases in this folder; "
        "it loads nothing from the network.</p></footer>"
    )


# --- Charts -----------------------------------------------------------------------------------------


def _charts_section(load: Callable[..., dict[str, pd.DataFrame]]) -> str:
    """The charts, each drawn from the tables load(*names) returns: one chart's tables in memory at a time."""
    out = ['<section id="charts">', "<h2>Charts</h2>"]
    tables = load("events", "meetings")
    out.append(_figure("Timeline of events and meetings", *timeline_svg(tables.get("events"), tables.get("meetings"))))
    tables = load("projects")
    out.append(_figure("JAIF budgets by programme and phase", *jaif_budgets_svg(tables.get("projects"))))
    tables = load("indicators", "memberships")
    out.append(
        _figure(
            "ASEAN members side by side", *member_indicators_svg(tables.get("indicators"), tables.get("memberships"))
        )
    )
    return "\n".join(out + ["</section>"])


def _figure(title: str, svg: str | None, caption: str) -> str:
    body = svg if svg else '<p class="empty">Nothing to draw in this release.</p>'
    return f"<figure>\n<h3>{_e(title)}</h3>\n{body}\n<figcaption>{caption}</figcaption>\n</figure>"


def _svg(chart: str, width: float, height: float, marks: int, label: str, parts: list[str]) -> str:
    return (
        f'<svg class="chart" data-chart="{chart}" data-marks="{marks}" xmlns="http://www.w3.org/2000/svg" '
        f'viewBox="0 0 {width:.0f} {height:.0f}" width="{width:.0f}" height="{height:.0f}" role="img" '
        f'aria-label="{_e(label)}">\n' + "\n".join(parts) + "\n</svg>"
    )


def _year(date) -> int | None:
    match = PARTIAL_DATE.match(str(date)) if isinstance(date, str) else None
    return int(match.group(1)) if match else None


@dataclass(frozen=True)
class _Dated:
    year: int
    date: str
    end_date: str | None
    text: str


def _dated(df: pd.DataFrame | None, text_column: str) -> tuple[list[_Dated], int]:
    """Rows with a usable date, and how many have none."""
    if df is None or not len(df):
        return [], 0
    items, undated = [], 0
    for row in df.itertuples(index=False):
        year = _year(row.date)
        if year is None:
            undated += 1
            continue
        end = getattr(row, "end_date", None)
        items.append(_Dated(year, row.date, end if isinstance(end, str) else None, str(getattr(row, text_column))))
    return sorted(items, key=lambda i: (i.year, i.date, i.text)), undated


# A lane's tallest column, in pixels. With more statements than this in one year, each square would be
# under a pixel high: the lane then draws one bar per year, its height the year's count, so that the
# page stays the same size however many documents the release holds.
LANE_PX = 200


def timeline_svg(events: pd.DataFrame | None, meetings: pd.DataFrame | None) -> tuple[str | None, str]:
    """One square per dated event or meeting, stacked in its year's column; a tooltip gives the words.
    A lane with more than LANE_PX in one year draws a bar per year with its count instead."""
    lanes = [
        ("Meetings", MEETING_COLOUR, *_dated(meetings, "name")),
        ("Events", EVENT_COLOUR, *_dated(events, "description")),
    ]
    everything = [i for _, _, items, _ in lanes for i in items]
    undated = sum(n for *_, n in lanes)
    if not everything:
        return None, "No dated events or meetings in this release."
    first, last = min(i.year for i in everything), max(i.year for i in everything)
    first, last = first - first % 5, last + (4 - last % 5)
    left, right, top, gap = 110, 12, 10, 26
    column = (CHART_WIDTH - left - right) / (last - first + 1)
    square = max(2.0, min(10.0, column - 2))
    parts, marks, binned = [], 0, []
    y: float = top
    for label, colour, items, _ in lanes:
        by_year: dict[int, list[_Dated]] = {}
        for item in items:
            by_year.setdefault(item.year, []).append(item)
        tallest = max((len(v) for v in by_year.values()), default=1)
        step = min(square + 1, LANE_PX / tallest)
        lane_height = max(step * tallest, 24)
        base = y + lane_height
        parts.append(
            f'<text x="0" y="{base - lane_height / 2 + 4:.1f}" class="group">{_e(label)} ({len(items)})</text>'
        )
        parts.append(f'<line class="axis" x1="{left}" x2="{CHART_WIDTH - right}" y1="{base:.1f}" y2="{base:.1f}"/>')
        as_bars = tallest > LANE_PX
        if as_bars:
            binned.append(label.lower())
        for year, stack in sorted(by_year.items()):
            x = left + (year - first) * column + (column - square) / 2
            if as_bars:
                height = max(lane_height * len(stack) / tallest, 1)
                parts.append(
                    f'<rect class="mark" x="{x:.1f}" y="{base - height:.1f}" width="{square:.1f}" '
                    f'height="{height:.1f}" fill="{colour}" data-year="{year}" data-count="{len(stack)}">'
                    f"<title>{year}: {_count(len(stack), label.lower().rstrip('s'))}</title></rect>"
                )
                marks += 1
                continue
            for n, item in enumerate(stack):
                when = item.date + (f" – {item.end_date}" if item.end_date else "")
                parts.append(
                    f'<rect class="mark" x="{x:.1f}" y="{base - (n + 1) * step:.1f}" width="{square:.1f}" '
                    f'height="{max(step - 1, 1):.1f}" fill="{colour}" data-date="{_e(item.date)}">'
                    f"<title>{_e(when)}: {_e(item.text)}</title></rect>"
                )
                marks += 1
        y = base + gap
    axis_y = y - gap + 16
    for year in range(first, last + 1, 5):
        x = left + (year - first) * column + column / 2
        parts.append(f'<text class="tick" x="{x:.1f}" y="{axis_y:.1f}" text-anchor="middle">{year}</text>')
    height = axis_y + 8
    caption = (
        f"Each square is one dated statement in the latest release, in the column of its year; "
        f"hover a square for its date and words. {_count(len(lanes[1][2]), 'event')} and "
        f"{_count(len(lanes[0][2]), 'meeting')} "
        f"from {min(i.year for i in everything)} to {max(i.year for i in everything)}"
        + (f"; {undated} without a date are not shown." if undated else ".")
        + (
            f" {' and '.join(binned).capitalize()} are too many to draw one by one: a bar per year gives their number."
            if binned
            else ""
        )
    )
    return _svg("timeline", CHART_WIDTH, height, marks, "Timeline of events and meetings by year", parts), _e(caption)


def jaif_budgets_svg(projects: pd.DataFrame | None) -> tuple[str | None, str]:
    """A bar per JAIF-funded project or phase with a budget, grouped by programme, one scale per currency."""
    if projects is None or not len(projects):
        return None, "No projects in this release."
    df = projects[
        (projects["funder"] == "JAIF") & projects["budget_amount"].notna() & projects["budget_currency"].notna()
    ].copy()
    if not len(df):
        return None, "No JAIF project with a budget in this release."
    df["group"] = [
        p if isinstance(p, str) else (t if isinstance(t, str) else i)
        for p, t, i in zip(df["programme"], df["title"], df["project_id"])
    ]
    df["phase_order"] = [float(p) if pd.notna(p) else 0.0 for p in df["phase"]]
    df = df.sort_values(
        ["budget_currency", "group", "phase_order", "start_date", "project_id", "document_id"],
        na_position="first",
        kind="mergesort",
    )
    # The same phase stated in two documents (a twin translation) is one bar, not two.
    df = df.drop_duplicates(["project_id", "budget_amount", "budget_currency"], keep="first")
    left, bar_area, row, header = 250, 560, 22, 28
    parts, marks, y = [], 0, 4
    for currency, in_currency in df.groupby("budget_currency", sort=True):
        scale = bar_area / float(in_currency["budget_amount"].max())
        y += 18
        parts.append(f'<text x="0" y="{y:.0f}" class="tick">Budgets in {_e(currency)}</text>')
        for group, rows in in_currency.groupby("group", sort=False):
            total = float(rows["budget_amount"].sum())
            y += header
            parts.append(
                f'<text x="0" y="{y - 8:.0f}" class="group">{_e(_clip(group, 60))} — '
                f"{_e(_compact(total))} {_e(currency)} in total"
                + (f" ({len(rows)} budgets)" if len(rows) > 1 else "")
                + "</text>"
            )
            for r in rows.itertuples(index=False):
                label = (
                    f"Phase {int(r.phase)}"
                    if pd.notna(r.phase)
                    else (r.title if isinstance(r.title, str) else r.project_id)
                )
                width = max(float(r.budget_amount) * scale, 1.0)
                period = " – ".join(d for d in (r.start_date, r.end_date) if isinstance(d, str))
                approx = "≈" if r.approximate else ""
                value = f"{approx}{_compact(float(r.budget_amount))} {currency}" + (f" · {period}" if period else "")
                tooltip = (
                    f"{group}: {label} — {approx}{float(r.budget_amount):,.0f} {currency}"
                    + (f", {period}" if period else "")
                    + f" (source: {r.document_id})"
                )
                parts.append(f'<text x="16" y="{y + 15:.0f}">{_e(_clip(label, 34))}</text>')
                parts.append(
                    f'<rect class="mark" x="{left}" y="{y + 3:.0f}" width="{width:.1f}" height="{row - 6}" '
                    f'fill="{BAR_COLOUR}" data-value="{float(r.budget_amount):.0f}">'
                    f"<title>{_e(tooltip)}</title></rect>"
                )
                parts.append(f'<text x="{left + width + 6:.1f}" y="{y + 15:.0f}">{_e(value)}</text>')
                marks += 1
                y += row
    caption = (
        "Budget of each JAIF-funded project or phase as the sources state it (≈ marks an approximate "
        "amount), grouped by programme; hover a bar for its source document."
    )
    return _svg("jaif-budgets", CHART_WIDTH, y + 10, marks, "JAIF budgets by programme and phase", parts), caption


def _country_name(code: str) -> str:
    country = pycountry.countries.get(alpha_3=code)
    if country is None:
        return code
    return getattr(country, "common_name", None) or country.name


def member_indicators_svg(indicators: pd.DataFrame | None, memberships: pd.DataFrame | None) -> tuple[str | None, str]:
    """One panel per indicator, one row per ASEAN member (as the memberships table states), each panel
    on its own scale so that very different magnitudes stay readable."""
    if indicators is None or memberships is None or not len(indicators) or not len(memberships):
        return None, "No indicators or memberships in this release."
    members = sorted(
        set(
            memberships.loc[
                (memberships["organization"] == "ASEAN") & (memberships["status"] == "member"), "member_code"
            ]
        )
    )
    chosen: dict[tuple[str, str], Any] = {}  # rows of itertuples: named tuples of the table's columns
    wanted = {code for code, *_ in MEMBER_INDICATORS}
    rows = indicators[indicators["entity_code"].isin(members) & indicators["indicator"].isin(wanted)]
    # When several facts state the same indicator, show the most recent reference year, then the first
    # statement in document order: a fixed rule, so the page is the same for the same data.
    ordered = sorted(
        rows.itertuples(index=False),
        key=lambda r: (-(int(r.reference_year) if pd.notna(r.reference_year) else 0), r.document_id, int(r.char_start)),
    )
    for r in ordered:
        chosen.setdefault((r.entity_code, r.indicator), r)
    shown = sorted({code for code, _ in chosen}, key=lambda c: (_country_name(c), c))
    if not shown:
        return None, "No indicators for ASEAN members in this release."
    left, top, row, panel_gap = 170, 30, 24, 18
    panel = (CHART_WIDTH - left - panel_gap * (len(MEMBER_INDICATORS) - 1)) / len(MEMBER_INDICATORS)
    bar_area = panel - 62
    parts, marks = [], 0
    for n, code in enumerate(shown):
        parts.append(
            f'<text x="0" y="{top + n * row + 16}">{_e(_clip(_country_name(code), 22))} '
            f'<tspan class="tick">{_e(code)}</tspan></text>'
        )
    for p, (indicator, label, unit) in enumerate(MEMBER_INDICATORS):
        x0 = left + p * (panel + panel_gap)
        values = [float(chosen[(c, indicator)].value) for c in shown if (c, indicator) in chosen]
        parts.append(f'<text x="{x0:.1f}" y="16" class="group">{_e(label)} ({_e(unit)})</text>')
        parts.append(f'<line class="axis" x1="{x0:.1f}" x2="{x0:.1f}" y1="{top - 4}" y2="{top + len(shown) * row}"/>')
        top_value = max(values, default=0.0)
        for n, code in enumerate(shown):
            y = top + n * row
            r = chosen.get((code, indicator))
            if r is None:
                parts.append(f'<text x="{x0 + 4:.1f}" y="{y + 16}" class="tick">not stated</text>')
                continue
            value = float(r.value)
            width = max(value / top_value * bar_area, 1.0) if top_value > 0 else 1.0
            year = f", {int(r.reference_year)}" if pd.notna(r.reference_year) else ""
            approx = "≈" if r.approximate else ""
            tooltip = f"{_country_name(code)} — {label}: {approx}{value:,.0f} {unit}{year} (source: {r.document_id})"
            parts.append(
                f'<rect class="mark" x="{x0:.1f}" y="{y + 4}" width="{width:.1f}" height="{row - 8}" '
                f'fill="{BAR_COLOUR}" data-entity="{_e(code)}" data-indicator="{_e(indicator)}" '
                f'data-value="{value:g}"><title>{_e(tooltip)}</title></rect>'
            )
            parts.append(f'<text x="{x0 + width + 4:.1f}" y="{y + 16}" class="tick">{_e(_compact(value))}</text>')
            marks += 1
    height = top + len(shown) * row + 8
    caption = (
        f"{len(shown)} ASEAN members (as the memberships table states them), each indicator on its own "
        "scale. When sources state a value more than once, the most recent reference year is shown; hover "
        "a bar for the exact value and its source document."
    )
    return _svg("member-indicators", CHART_WIDTH, height, marks, "ASEAN members' indicators side by side", parts), _e(
        caption
    )


# --- Formatting -------------------------------------------------------------------------------------


def _e(value) -> str:
    return html.escape("" if value is None else str(value), quote=True)


def _href(*segments: str) -> str:
    return _e("/".join(quote(s) for s in segments))


def _clip(text, limit: int) -> str:
    text = str(text)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _compact(value: float) -> str:
    for threshold, suffix in ((1e12, "T"), (1e9, "B"), (1e6, "M")):
        if abs(value) >= threshold:
            return f"{value / threshold:.3g} {suffix}"
    return f"{value:,.0f}" if value == int(value) else f"{value:,.3g}"


def _count(n: int, noun: str) -> str:
    return f"{n:,} {noun}" + ("" if n == 1 else "s")


def _number(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else str(value)


def _size(n: int) -> str:
    for unit, factor in (("MiB", 1 << 20), ("KiB", 1 << 10)):
        if n >= factor:
            return f"{n / factor:.1f} {unit}"
    return f"{n} B"
