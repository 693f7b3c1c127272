"""Exploring every row of the latest release on the catalogue page: search, filters, pages of rows.

Belongs here: the "Explore the rows" section of releases/index.html: the form (table, words, document,
country, year) with its choices rendered here, and the rows of every table of the latest release
embedded as JSON in a non-executed ``<script type="application/json">`` block (``<``, ``>``, ``&`` and
the line separators escaped, so no text of the data can close the block), which ``static/explore.js``
filters in the browser, one page of PAGE_ROWS rows at a time, with the query kept in the address
(``#table=metrics&q=...&document=...&country=THA&year=2023&page=2``) so that a view can be shared.
Which columns hold a country or a year is read from the table definitions (``schemas.tables``).
Does not belong here: the rest of the catalogue page (``pipelines.catalogue``), the fact-in-context
pages (``pipelines.catalogue.context``).
"""

from __future__ import annotations

import csv
import html
import io
import json
from pathlib import Path

import pycountry

from pipelines.catalogue.context import CONTEXT_DIR
from schemas.tables import ISO3_OR_GROUP_PATTERN, TABLES

PAGE_ROWS = 100
STATIC = Path(__file__).resolve().parent / "static"
DATA_ELEMENT_ID = "explore-data"
# Country columns besides those whose pattern is a country code: a host country and a recipient are
# ISO 3166-1 alpha-3 codes (a recipient may also be a name; only codes are offered as choices).
COUNTRY_COLUMNS = ("host_country", "recipient")
YEAR_TYPES = ("date",)
YEAR_COLUMNS = ("reference_year",)


def explorer_script() -> str:
    return (STATIC / "explore.js").read_text(encoding="utf-8")


def explorer_style() -> str:
    return (STATIC / "explore.css").read_text(encoding="utf-8")


def _e(value) -> str:
    return html.escape("" if value is None else str(value), quote=True)


def country_columns(table) -> list[str]:
    return [f.name for f in table.fields if f.pattern == ISO3_OR_GROUP_PATTERN or f.name in COUNTRY_COLUMNS]


def year_columns(table) -> list[str]:
    return [f.name for f in table.fields if f.type in YEAR_TYPES or f.name in YEAR_COLUMNS]


def _is_code(value: str) -> bool:
    return value == "ASEAN" or (len(value) == 3 and value.isascii() and value.isupper() and value.isalpha())


def _year(value: str) -> int | None:
    head = value[:4]
    return int(head) if len(head) == 4 and head.isdigit() else None


def _country_label(code: str) -> str:
    country = pycountry.countries.get(alpha_3=code)
    name = (getattr(country, "common_name", None) or country.name) if country else None
    return f"{name} ({code})" if name else code


def explorer_data(folder: Path, version: str) -> dict:
    """The rows of every table of one version, as its CSVs hold them (text), with what the script needs
    to filter them: which columns name the document, the countries and the years."""
    tables = []
    for name, table in TABLES.items():
        path = folder / "data" / f"{name}.csv"
        rows = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8"), newline=""))) if path.is_file() else []
        header, body = (rows[0], rows[1:]) if rows else (table.field_names, [])
        position = {c: i for i, c in enumerate(header)}
        tables.append(
            {
                "name": name,
                "columns": header,
                "document": position.get("document_id", -1),
                "fact": position.get("fact_id", -1),
                "countries": [position[c] for c in country_columns(table) if c in position],
                "years": [position[c] for c in year_columns(table) if c in position],
                "rows": body,
            }
        )
    return {"version": version, "context": f"{CONTEXT_DIR}/{version}/", "pageRows": PAGE_ROWS, "tables": tables}


def script_json(data: dict) -> str:
    """JSON that can sit inside a <script> block: nothing in it can end the block or open a comment."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"), sort_keys=False)
    for raw, escaped in (
        ("<", "\\u003c"),
        (">", "\\u003e"),
        ("&", "\\u0026"),
        ("\u2028", "\\u2028"),
        ("\u2029", "\\u2029"),
    ):
        text = text.replace(raw, escaped)
    return text


def _choices(data: dict) -> tuple[list[str], list[str], list[int]]:
    documents: set[str] = set()
    countries: set[str] = set()
    years: set[int] = set()
    for table in data["tables"]:
        for row in table["rows"]:
            if table["document"] >= 0:
                documents.add(row[table["document"]])
            countries.update(row[i] for i in table["countries"] if _is_code(row[i]))
            stated = [y for y in (_year(row[i]) for i in table["years"]) if y is not None]
            if stated:
                years.update(range(min(stated), max(stated) + 1))
    return sorted(documents), sorted(countries, key=lambda c: (_country_label(c), c)), sorted(years)


def explore_section(folder: Path, version: str) -> tuple[str, str]:
    """The section's HTML and its data block (to be placed before the page's script)."""
    data = explorer_data(folder, version)
    documents, countries, years = _choices(data)
    table_options = "".join(
        f'<option value="{_e(t["name"])}">{_e(t["name"])} ({len(t["rows"]):,} rows)</option>' for t in data["tables"]
    )

    def select(name: str, label: str, options: list[tuple[str, str]]) -> str:
        choices = "".join(f'<option value="{_e(v)}">{_e(text)}</option>' for v, text in options)
        return f'<label>{label} <select name="{name}"><option value="">any</option>{choices}</select></label>'

    section = "\n".join(
        [
            '<section id="explore">',
            "<h2>Explore the rows</h2>",
            f'<p class="muted">Every row of every table of release {_e(version)}: search words in any column, '
            "filter by document, country or year (a row matches a year within the dates it states). The address "
            "keeps the view: copy it to share it. A row's <code>fact_id</code> opens the fact highlighted in "
            "its document. Nothing is loaded from the network.</p>",
            '<form id="explore-form" role="search" autocomplete="off">',
            f'<label>Table <select name="table">{table_options}</select></label>',
            '<label>Words <input type="search" name="q" placeholder="e.g. scholarship, 奨学"></label>',
            select("document", "Document", [(d, d) for d in documents]),
            select("country", "Country", [(c, _country_label(c)) for c in countries]),
            select("year", "Year", [(str(y), str(y)) for y in years]),
            '<button type="reset">Clear</button>',
            "</form>",
            '<p id="explore-tables" class="links"></p>',
            '<p id="explore-count" aria-live="polite"><noscript>Searching needs JavaScript; '
            "the CSVs above hold every row.</noscript></p>",
            '<div class="scroll"><table id="explore-rows" class="rows"><thead></thead><tbody></tbody></table></div>',
            '<p id="explore-pages"><button type="button" data-page="-1">← Previous</button> '
            '<button type="button" data-page="1">Next →</button></p>',
            "</section>",
        ]
    )
    block = f'<script type="application/json" id="{DATA_ELEMENT_ID}">{script_json(data)}</script>'
    return section, block
