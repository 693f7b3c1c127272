"""How well the extractors do on annotated real pages: recall, support and wrong values per table.

Belongs here: reading an annotated corpus (a folder of ``<slug>.txt`` pages with ``gold.jsonl``, the
format of ``tests/corpus/real/README.md``), running the extractors on its pages exactly as a release
does, matching rows with gold facts, and the report (``QUALITY.md``, ``quality.json``) that ``make
quality`` writes and every release carries.

Matching, as the corpus defines it: a gold fact is matched by a row of the same table and page whose
``[char_start, char_end)`` overlaps the anchor's span and whose fields agree with the gold fields (a
key ending in ``~``: the gold value, NFKC- and case-folded, is contained in the row's; numbers
numerically; ``null``: the row's value must be empty; anything else equal). A ``documents`` gold
fact has no anchor: it is matched by the page's documents row when the fields agree.
- recall: gold facts matched / gold facts;
- support: rows backed by a gold fact (one that the row matches) / rows extracted from those pages;
- wrong values: rows that overlap a gold fact's anchor of their table but whose fields disagree with
  every gold fact they overlap (the field, the value extracted and the value annotated).
Does not belong here: extraction itself (``pipelines.extract``), publishing the report.
"""

from __future__ import annotations

import csv
import json
import math
import unicodedata
from dataclasses import asdict, dataclass, field
from pathlib import Path

from pipelines.documents import Document, read_document, with_site_publisher
from pipelines.extract import FACT_TABLE_NAMES, extract_source, source_for

GOLD_FILE = "gold.jsonl"
SOURCES_FILE = "sources.csv"  # file_name,url,…: the URL a page was recorded with
QUALITY_CORPUS = "tests/corpus/real"  # the development corpus, relative to the code's root
# The corpus belongs with the extractor code it measures, not with a project's raw/.
QUALITY_CORPUS_DIR = Path(__file__).resolve().parent.parent / QUALITY_CORPUS
TABLE_ORDER = ("documents", *FACT_TABLE_NAMES)
# What the extraction issue asks of the extractors on the development corpus.
TARGETS = {"recall_overall": 0.90, "recall_per_table": 0.80, "support": 0.90}
LISTED = 400  # missed facts and unbacked rows listed in QUALITY.md (all are in quality.json)


@dataclass(frozen=True)
class GoldFact:
    file_name: str
    table: str
    anchor: str | None
    fields: dict
    start: int | None = None  # the anchor's span in the page's text
    end: int | None = None


@dataclass
class Page:
    """One annotated page: its document, its rows by table, and its gold facts."""

    document: Document
    rows: dict[str, list[dict]]
    gold: list[GoldFact] = field(default_factory=list)
    publisher_from_site: bool = False  # the page names no publisher; its URL's site does


@dataclass
class Tally:
    """Counts of one table (or of all): gold facts, those matched, rows, rows backed by a gold fact."""

    gold: int = 0
    matched: int = 0
    rows: int = 0
    backed: int = 0

    @property
    def recall(self) -> float | None:
        return _ratio(self.matched, self.gold)

    @property
    def support(self) -> float | None:
        return _ratio(self.backed, self.rows)

    def to_json(self) -> dict:
        return {**asdict(self), "recall": self.recall, "support": self.support}


class CorpusError(ValueError):
    """The annotated corpus cannot be read as its README defines it; the message names the file."""


def _fold(value) -> str:
    return unicodedata.normalize("NFKC", str(value)).casefold()


def _is_empty(value) -> bool:
    return value is None or value == "" or (isinstance(value, float) and math.isnan(value))


def field_agrees(key: str, gold, value) -> bool:
    """Whether an extracted value agrees with a gold value under the corpus's rules."""
    if key.endswith("~"):
        return not _is_empty(value) and _fold(gold) in _fold(value)
    if gold is None:
        return _is_empty(value)
    if _is_empty(value):
        return False
    if isinstance(gold, bool) or isinstance(value, bool):
        return bool(gold) is bool(value) and isinstance(value, bool | int)
    if isinstance(gold, int | float):
        try:
            return math.isclose(float(value), float(gold), rel_tol=1e-9, abs_tol=1e-9)
        except (TypeError, ValueError):
            return False
    return str(value) == str(gold)


def disagreements(gold: GoldFact, row: dict) -> dict[str, tuple]:
    """field -> (extracted, annotated) for each gold field the row does not agree with."""
    out = {}
    for key, expected in gold.fields.items():
        column = key.rstrip("~")
        value = row.get(column)
        if not field_agrees(key, expected, value):
            out[column] = (value, expected)
    return out


def _overlaps(gold: GoldFact, row: dict) -> bool:
    if gold.start is None or gold.end is None:
        return True  # a documents fact: the page's one row
    return row["char_start"] < gold.end and gold.start < row["char_end"]


def document_row(doc: Document) -> dict:
    return {
        "document_id": doc.document_id,
        "title": doc.title,
        "publisher": doc.publisher,
        "published": doc.published,
        "language": doc.language,
    }


def recorded_urls(folder: Path) -> dict[str, str]:
    """The URL each page was recorded with (the ``url`` column of the corpus's ``sources.csv``).
    Only the URL is read: the other columns are annotations, never an input to the extractors."""
    path = folder / SOURCES_FILE
    if not path.is_file():
        return {}
    with path.open(encoding="utf-8", newline="") as handle:
        return {row["file_name"]: row["url"] for row in csv.DictReader(handle) if row.get("url")}


def load_corpus(folder: Path) -> list[Page]:
    """Every annotated page of the folder, extracted as a release extracts it, with its gold facts."""
    folder = Path(folder)
    gold_path = folder / GOLD_FILE
    if not gold_path.is_file():
        raise CorpusError(
            f"{gold_path}: no gold annotations (the annotated corpus travels with the code: every release "
            f"scores the extractors on it for QUALITY.md)"
        )
    urls = recorded_urls(folder)
    pages: dict[str, Page] = {}
    for path in sorted(folder.glob("*.txt")):
        # As a release reads raw/ with raw/sources.csv: the page's URL is what a user records with it.
        stated = read_document(path)
        doc = with_site_publisher(stated, urls.get(path.name))
        rows = {"documents": [document_row(doc)], **extract_source(source_for(doc))}
        pages[path.name] = Page(doc, rows, publisher_from_site=doc.publisher != stated.publisher)
    for n, line in enumerate(gold_path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
            name, table, anchor, fields = record["file_name"], record["table"], record["anchor"], record["fields"]
        except (ValueError, KeyError) as err:
            raise CorpusError(f"{gold_path}:{n}: not a gold fact ({err})") from None
        if name not in pages:
            raise CorpusError(f"{gold_path}:{n}: no page {name!r} in {folder}")
        if table not in TABLE_ORDER:
            raise CorpusError(f"{gold_path}:{n}: unknown table {table!r}")
        text = pages[name].document.text
        start = None
        if anchor is not None:
            start = text.find(anchor)
            if start == -1 or text.find(anchor, start + 1) != -1:
                raise CorpusError(f"{gold_path}:{n}: the anchor {anchor!r} does not occur exactly once in {name}")
        end = None if start is None else start + len(anchor)
        pages[name].gold.append(GoldFact(name, table, anchor, fields, start, end))
    return list(pages.values())


def score(pages: list[Page]) -> dict:
    """Recall, support and wrong values per table, with the missed facts and the unbacked rows."""
    tables = {t: Tally() for t in TABLE_ORDER}
    missed, unbacked, wrong = [], [], []
    for page in pages:
        name = page.document.file_name
        backed_rows: set[tuple[str, int]] = set()
        for g in page.gold:
            rows = page.rows.get(g.table, [])
            tables[g.table].gold += 1
            overlapping = [(i, r) for i, r in enumerate(rows) if _overlaps(g, r)]
            agreeing = [i for i, r in overlapping if not disagreements(g, r)]
            if agreeing:
                tables[g.table].matched += 1
                backed_rows.update((g.table, i) for i in agreeing)
            else:
                nearest = min((disagreements(g, r) for _, r in overlapping), key=len, default=None)
                missed.append(
                    {
                        "file_name": name,
                        "table": g.table,
                        "anchor": g.anchor,
                        "fields": g.fields,
                        "why": "no row overlaps the anchor"
                        if nearest is None
                        else "rows overlap, fields disagree: "
                        + "; ".join(f"{k}: {v[0]!r} (annotated {v[1]!r})" for k, v in nearest.items()),
                    }
                )
        for table, rows in page.rows.items():
            gold_of_table = [g for g in page.gold if g.table == table]
            for i, row in enumerate(rows):
                tables[table].rows += 1
                if (table, i) in backed_rows:
                    tables[table].backed += 1
                    continue
                quote = row.get("quote") or row.get("title")
                entry = {"file_name": name, "table": table, "char_start": row.get("char_start"), "quote": quote}
                unbacked.append(entry)
                overlapped = [g for g in gold_of_table if _overlaps(g, row)]
                if table != "documents" and overlapped:
                    diffs = min((disagreements(g, row) for g in overlapped), key=len)
                    wrong.append(
                        {**entry, "fields": {k: {"extracted": v[0], "annotated": v[1]} for k, v in diffs.items()}}
                    )
    overall = Tally(
        gold=sum(t.gold for t in tables.values()),
        matched=sum(t.matched for t in tables.values()),
        rows=sum(t.rows for t in tables.values()),
        backed=sum(t.backed for t in tables.values()),
    )
    return {
        "pages": len(pages),
        "publishers_from_site": sum(p.publisher_from_site for p in pages),
        "overall": overall.to_json(),
        "tables": {name: t.to_json() for name, t in tables.items()},
        "targets": TARGETS,
        "meets_targets": meets_targets(overall, tables),
        "missed": missed,
        "unbacked": unbacked,
        "wrong_values": wrong,
    }


def _ratio(a: int, b: int) -> float | None:
    return round(a / b, 4) if b else None


def meets_targets(overall: Tally, tables: dict[str, Tally]) -> bool:
    return (
        (overall.recall or 0) >= TARGETS["recall_overall"]
        and all((t.recall or 0) >= TARGETS["recall_per_table"] for t in tables.values() if t.gold)
        and (overall.support or 0) >= TARGETS["support"]
    )


def quality_report(folder: Path) -> dict:
    return score(load_corpus(folder))


def quality_files(report: dict) -> dict[str, bytes]:
    """QUALITY.md and quality.json, by file name: what `make quality` writes and every release carries."""
    return {
        "QUALITY.md": quality_markdown(report, QUALITY_CORPUS).encode("utf-8"),
        "quality.json": quality_json(report).encode("utf-8"),
    }


def quality_json(report: dict) -> str:
    return json.dumps(report, ensure_ascii=False, indent=2, default=str) + "\n"


def _pct(x: float | None) -> str:
    return "–" if x is None else f"{x:.0%}"


def quality_markdown(report: dict, corpus_name: str) -> str:
    o = report["overall"]
    lines = [
        "# Extraction quality on annotated real pages",
        "",
        f"The extractors of this version, run on the {report['pages']} real public pages of `{corpus_name}` "
        "(not the documents of this release), scored against their hand-annotated facts. "
        "Recall: annotated facts found with the right values. Support: rows extracted from those pages "
        "that an annotated fact backs (a row the annotators did not list counts against it, right or not).",
        "",
        f"Overall: recall **{_pct(o['recall'])}** ({o['matched']} of {o['gold']}), support "
        f"**{_pct(o['support'])}** ({o['backed']} of {o['rows']} rows). Targets: recall ≥ "
        f"{TARGETS['recall_overall']:.0%} overall and ≥ {TARGETS['recall_per_table']:.0%} per table, support ≥ "
        f"{TARGETS['support']:.0%}: {'met' if report['meets_targets'] else 'not met'}.",
        "",
        "| table | annotated | found | recall | rows | backed | support |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    for name, t in report["tables"].items():
        lines.append(
            f"| {name} | {t['gold']} | {t['matched']} | {_pct(t['recall'])} | {t['rows']} | {t['backed']} | "
            f"{_pct(t['support'])} |"
        )
    lines += [
        "",
        f"Publishers: {report['publishers_from_site']} of the {report['pages']} pages name none in their text; "
        "theirs is the site of the URL the page was recorded with (`pipelines/publishers.py`), as a release "
        "does with the URLs of `raw/sources.csv`.",
    ]
    lines += ["", f"## Missed facts ({len(report['missed'])})", ""]
    lines += [
        f"- `{m['file_name']}` {m['table']} at {_md(m['anchor'] or '(the page)')}: {_md(m['why'])}"
        for m in report["missed"][:LISTED]
    ]
    lines += ["", f"## Rows with values an annotation contradicts ({len(report['wrong_values'])})", ""]
    lines += [
        f"- `{w['file_name']}` {w['table']} at {w['char_start']}: "
        + "; ".join(f"{k} {v['extracted']!r}, annotated {v['annotated']!r}" for k, v in w["fields"].items())
        for w in report["wrong_values"][:LISTED]
    ]
    lines += ["", f"## Rows no annotated fact backs ({len(report['unbacked'])})", ""]
    lines += [
        f"- `{u['file_name']}` {u['table']} at {u['char_start']}: {_md(u['quote'])}"
        for u in report["unbacked"][:LISTED]
    ]
    return "\n".join(lines) + "\n"


def _md(value) -> str:
    text = " ".join(str(value).split())
    if len(text) > 120:
        text = text[:117] + "…"
    return "“" + text.replace("|", "\\|").replace("`", "'") + "”"
