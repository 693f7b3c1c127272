"""Fact-in-context pages: releases/context/<version>/<document_id>.html, one per document of a version.

Belongs here: rendering one static page per document from the version's own files: the document's text
with every fact of every table highlighted (one colour per table, a legend), a panel that shows the
fields of the selected fact(s), and the list of the document's facts, each with the id ``<fact_id>``
so that ``<page>#<fact_id>`` selects it (and, without a script, still shows its fields). Writing these
pages under releases/context/ (beside index.html, not inside the immutable version folders) and
removing pages of versions or documents that are gone.

The text is the version's ``sources/<document_id>.txt`` when the version ships one of the length
``documents.n_chars`` states; otherwise it is rebuilt from the facts' quotes at their offsets (a fact's
quote is exactly ``text[char_start:char_end]``), and what no quote covers is shown as an elision that
says how many characters are left out. Overlapping facts (of one table or several) split the text into
segments: a segment is coloured by its innermost fact's table and underlined in the colour of another
table covering it; selecting a segment lists every fact covering it, each selectable.

Pages load nothing: CSS and the one script are read from ``static/`` and inlined, a Content-Security-
Policy forbids anything else, and every text from the data is escaped. Pages are a pure function of the
version's files, so the same releases give the same bytes.
Does not belong here: the catalogue page itself (``pipelines.catalogue``) and anything about publishing.
"""

from __future__ import annotations

import base64
import csv
import hashlib
import html
import io
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

from schemas.tables import FACT_TABLES

CONTEXT_DIR = "context"
STATIC = Path(__file__).resolve().parent / "static"
# One light colour per fact table, in the order of schemas.tables (cycled if tables outnumber them):
# light enough that black text on them stays readable.
PALETTE = ("#fde68a", "#fbcfe8", "#bfdbfe", "#bbf7d0", "#fed7aa", "#ddd6fe", "#a5f3fc", "#d9f99d", "#fecaca")
FIELD_CELL_CHARS = 400
STAMP = ".rendered"


def table_colours() -> dict[str, str]:
    return {t.name: PALETTE[i % len(PALETTE)] for i, t in enumerate(FACT_TABLES)}


def context_href(version: str, document_id: str, fact_id: str | None = None) -> str:
    """The link from releases/index.html to a document's page (and a fact on it), URL-quoted, not escaped."""
    path = "/".join(quote(s, safe="") for s in (CONTEXT_DIR, version, f"{document_id}.html"))
    return path + (f"#{quote(fact_id, safe='/')}" if fact_id else "")


@dataclass(frozen=True)
class Fact:
    table: str
    fact_id: str
    start: int
    end: int
    quote: str
    fields: tuple[tuple[str, str], ...]  # every column of the row, as the CSV has it


@dataclass(frozen=True)
class Document:
    document_id: str
    title: str
    language: str
    n_chars: int
    facts: tuple[Fact, ...]


def read_documents(folder: Path) -> list[Document]:
    """The documents of one version folder with their facts, in the order of documents.csv."""
    data = folder / "data"
    facts: dict[str, list[Fact]] = {}
    for table in FACT_TABLES:
        for row in _csv_rows(data / f"{table.name}.csv"):
            try:
                start, end = int(row["char_start"]), int(row["char_end"])
            except (KeyError, ValueError):
                continue
            facts.setdefault(row.get("document_id", ""), []).append(
                Fact(table.name, row.get("fact_id", ""), start, end, row.get("quote", ""), tuple(row.items()))
            )
    documents = []
    for row in _csv_rows(data / "documents.csv"):
        doc_id = row.get("document_id", "")
        n_chars = int(row["n_chars"]) if row.get("n_chars", "").isdigit() else 0
        documents.append(
            Document(doc_id, row.get("title", ""), row.get("language", ""), n_chars, tuple(facts.get(doc_id, ())))
        )
    return documents


def _csv_rows(path: Path) -> list[dict[str, str]]:
    if not path.is_file():
        return []
    # restval: a short row (a hand-edited file) shows empty cells, not a crash.
    return list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8"), newline=""), restval=""))


def document_chars(folder: Path, doc: Document) -> list[str | None]:
    """The document's text, one entry per code point; None where the release does not hold it."""
    source = folder / "sources" / f"{doc.document_id}.txt"
    if source.is_file():
        text = source.read_bytes().decode("utf-8", errors="replace")
        if len(text) == doc.n_chars:
            return list(text)
    length = max([doc.n_chars, *(f.end for f in doc.facts)])
    chars: list[str | None] = [None] * length
    for fact in doc.facts:
        # Quotes are exactly the text at their offsets; the first to cover a character gives it.
        for i, ch in zip(range(fact.start, fact.end), fact.quote):
            if chars[i] is None:
                chars[i] = ch
    return chars


def write_context_pages(releases_dir: Path, versions: list[str], write) -> set[Path]:
    """Render the pages of these versions, write each with write(path, bytes) when it changed, remove
    pages under releases/context/ that are no longer rendered; return the paths of the pages.

    A version never changes once published, so its pages change only with this renderer: a version whose
    STAMP (a digest of the renderer and of the version's CSVs and texts, with the pages it gave) is current and
    whose pages are all there is not rendered again (at archive size, rendering every version's pages
    on every run would cost seconds per version)."""
    root = releases_dir / CONTEXT_DIR
    pages: set[Path] = set()
    for version in versions:
        folder = releases_dir / version
        stamp_path = root / version / STAMP
        digest = _inputs_digest(folder)
        stamped = stamp_path.read_text(encoding="utf-8").splitlines() if stamp_path.is_file() else []
        if stamped[:1] == [digest] and all((root / version / name).is_file() for name in stamped[1:]):
            pages.update(root / version / name for name in stamped[1:])
            pages.add(stamp_path)
            continue
        names = []
        for doc in read_documents(folder):
            path = root / version / f"{doc.document_id}.html"
            data = render_context_page(folder, version, doc).encode("utf-8")
            if not path.is_file() or path.read_bytes() != data:
                write(path, data)
            pages.add(path)
            names.append(path.name)
        stamp = "\n".join([digest, *names]) + "\n"
        if not stamp_path.is_file() or stamp_path.read_text(encoding="utf-8") != stamp:
            write(stamp_path, stamp.encode("utf-8"))
        pages.add(stamp_path)
    if root.is_dir():
        for path in sorted(root.rglob("*"), reverse=True):
            if path.is_file() and path not in pages:
                path.unlink()
            elif path.is_dir() and not any(path.iterdir()):
                path.rmdir()
    return pages


def _inputs_digest(folder: Path) -> str:
    """What a version's pages are made from: this module, its static files, the version's CSVs and texts."""
    digest = hashlib.sha256()
    inputs = [Path(__file__), STATIC / "context.css", STATIC / "context.js"]
    inputs += sorted([*folder.glob("data/*.csv"), *folder.glob("sources/*.txt")])
    for path in inputs:
        digest.update(path.name.encode("utf-8") + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


# --- Rendering --------------------------------------------------------------------------------------


def _e(value) -> str:
    return html.escape("" if value is None else str(value), quote=True)


def _static(name: str) -> str:
    return (STATIC / name).read_text(encoding="utf-8")


def _innermost_first(facts: list[Fact]) -> list[Fact]:
    order = {t.name: i for i, t in enumerate(FACT_TABLES)}
    return sorted(facts, key=lambda f: (f.end - f.start, order.get(f.table, len(order)), f.fact_id))


def render_text(chars: list[str | None], facts: tuple[Fact, ...]) -> str:
    """The text as HTML: plain runs, highlighted segments (one per stretch covered by the same facts,
    ``data-facts`` naming their indices in ``facts``, innermost first), elisions, and an empty anchor
    with the id of each fact where it starts."""
    cuts = {0, len(chars)}
    for f in facts:
        cuts.update((f.start, f.end))
    for i in range(1, len(chars)):
        if (chars[i] is None) != (chars[i - 1] is None):
            cuts.add(i)
    index = {id(f): n for n, f in enumerate(facts)}
    out: list[str] = []
    bounds = sorted(c for c in cuts if 0 <= c <= len(chars))
    starts: dict[int, list[Fact]] = {}
    for f in facts:
        starts.setdefault(f.start, []).append(f)
    for a, b in zip(bounds, bounds[1:]):
        # An empty anchor where each fact starts: <page>#<fact_id> scrolls there even without the script.
        out.extend(f'<span class="anchor" id="{_e(f.fact_id)}"></span>' for f in starts.pop(a, ()))
        if chars[a] is None:
            out.append(
                f'<span class="gap" title="{b - a:,} characters not in this release">[… {b - a:,} characters …]</span>'
            )
            continue
        text = _e("".join(c or "" for c in chars[a:b]))
        covering = _innermost_first([f for f in facts if f.start <= a and b <= f.end])
        if not covering:
            out.append(text)
            continue
        tables = list(dict.fromkeys(f.table for f in covering))
        classes = f"hl t-{tables[0]}" + (f" u-{tables[1]}" if len(tables) > 1 else "")
        ids = " ".join(str(index[id(f)]) for f in covering)
        out.append(f'<mark class="{classes}" tabindex="0" data-facts="{ids}">{text}</mark>')
    return "".join(out)


def _fact_card(n: int, fact: Fact, colour: str) -> str:
    rows = []
    for name, value in fact.fields:
        shown = value if len(value) <= FIELD_CELL_CHARS else value[: FIELD_CELL_CHARS - 1] + "…"
        rows.append(f'<tr><th>{_e(name)}</th><td data-column="{_e(name)}">{_e(shown)}</td></tr>')
    return (
        f'<div class="fact" data-i="{n}" data-fact-id="{_e(fact.fact_id)}" data-table="{_e(fact.table)}">'
        f'<p class="fact-head"><span class="chip" style="background:{colour}"></span>'
        f'<code>{_e(fact.table)}</code> <a href="#{_e(quote(fact.fact_id, safe="/"))}">{_e(fact.fact_id)}</a></p>'
        f'<table class="fields">{"".join(rows)}</table></div>'
    )


def offline_page(title: str, style: str, body: list[str], script: str) -> str:
    """A whole page that needs nothing from the network: its one script allowed by its hash (the
    Content-Security-Policy forbids every other source), its style inline. The catalogue and the
    fact-in-context pages are both made here."""
    script_hash = base64.b64encode(hashlib.sha256(script.encode("utf-8")).digest()).decode("ascii")
    policy = (
        f"default-src 'none'; style-src 'unsafe-inline'; script-src 'sha256-{script_hash}'; "
        "img-src data:; base-uri 'none'; form-action 'none'"
    )
    head = [
        "<!doctype html>",
        '<html lang="en">',
        "<head>",
        '<meta charset="utf-8">',
        f'<meta http-equiv="Content-Security-Policy" content="{_e(policy)}">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{_e(title)}</title>",
        f"<style>{style}</style>",
        "</head>",
        "<body>",
    ]
    return "\n".join([*head, *body, f"<script>{script}</script>", "</body>", "</html>"]) + "\n"


def render_context_page(folder: Path, version: str, doc: Document) -> str:
    colours = table_colours()
    facts = tuple(sorted(doc.facts, key=lambda f: (f.start, -f.end, f.table, f.fact_id)))
    chars = document_chars(folder, doc)
    complete = all(c is not None for c in chars)
    counts = {t: sum(1 for f in facts if f.table == t) for t in colours}
    style = _static("context.css") + "".join(
        f"\n.t-{name} {{ background: {colour}; }}\n.u-{name} {{ box-shadow: inset 0 -3px 0 {_darker(colour)}; }}"
        for name, colour in colours.items()
    )
    legend = "".join(
        f'<li><span class="chip t-{_e(name)}"></span><code>{_e(name)}</code> ({counts[name]:,})</li>'
        for name in colours
    )
    title = doc.title or doc.document_id
    catalogue = "../../index.html"
    source_note = (
        "The whole text of the document, as the release ships it."
        if complete
        else "This release does not ship the document's text: what is shown is rebuilt from the facts' quotes at "
        "their offsets, and what no quote covers is left out (marked […])."
    )
    cards = "\n".join(_fact_card(n, f, colours.get(f.table, PALETTE[0])) for n, f in enumerate(facts))
    lang = doc.language if doc.language in ("ja", "en") else "und"
    body = [
        "<header>",
        f'<p class="muted"><a href="{_e(catalogue)}">Catalogue</a> › release {_e(version)} › '
        f"<code>{_e(doc.document_id)}</code></p>",
        f'<h1 lang="{lang}">{_e(title)}</h1>',
        f'<p class="muted">{len(facts):,} facts in {doc.n_chars:,} characters. {_e(source_note)} '
        "Select a highlight (click it, or Tab to it) to see its row; its address then names the fact.</p>",
        f'<ul class="legend" aria-label="Colours of the tables">{legend}</ul>',
        "</header>",
        '<main class="context">',
        f'<article id="text" lang="{lang}">{render_text(chars, facts)}</article>',
        '<aside id="panel" aria-live="polite"><p class="muted">Select a highlight to see its row.</p></aside>',
        "</main>",
        '<section id="facts">',
        f"<h2>Facts of this document ({len(facts):,})</h2>",
        cards or '<p class="muted">No facts in this document.</p>',
        "</section>",
    ]
    return offline_page(f"{title} — facts in context ({version})", style, body, _static("context.js"))


def _darker(colour: str) -> str:
    r, g, b = (int(colour[i : i + 2], 16) for i in (1, 3, 5))
    return "#{:02x}{:02x}{:02x}".format(*(int(c * 0.55) for c in (r, g, b)))
