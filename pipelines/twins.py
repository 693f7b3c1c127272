"""Twin documents: the same page published in two languages, and their facts linked.

Two documents are twins when their ids differ only by a trailing language code (``<name>-en`` and
``<name>-ja``). A fact is the same fact in the twin when the table's ``twin_key`` columns (values,
not words: a date, an amount, a code) match; repeated keys pair up in the order they occur. The
link is written to ``same_as`` (the twin fact's ``fact_id``), and the report lists, for each pair
and table, what each twin states that the other lacks.
Does not belong here: extraction, or deciding which twin is right.
"""

from __future__ import annotations

import re
from collections import defaultdict

import pandas as pd

from schemas.tables import FACT_TABLES, TABLES

LANGUAGE_SUFFIX = re.compile(r"^(?P<base>.+)-(?P<lang>en|ja)$")


def twin_of(document_ids) -> dict[str, str]:
    """document_id -> its twin's document_id, for every document whose twin is present."""
    by_base: dict[str, dict[str, str]] = defaultdict(dict)
    for doc in document_ids:
        if m := LANGUAGE_SUFFIX.match(doc):
            by_base[m["base"]][m["lang"]] = doc
    pairs = {}
    for langs in by_base.values():
        if len(langs) == 2:
            a, b = langs.values()
            pairs[a], pairs[b] = b, a
    return pairs


def _key(row, columns) -> tuple:
    return tuple(None if (not isinstance(row[c], str) and pd.isna(row[c])) else row[c] for c in columns)


def _pairs(mine: pd.DataFrame, theirs: pd.DataFrame, columns: tuple[str, ...]) -> list[tuple[int, int]]:
    """(index in mine, index in theirs) of facts whose twin keys match, nth occurrence with nth."""
    twin_rows: dict[tuple, list[int]] = defaultdict(list)
    for idx, row in theirs.iterrows():
        twin_rows[_key(row, columns)].append(idx)
    used: dict[tuple, int] = defaultdict(int)
    pairs = []
    for idx, row in mine.iterrows():
        key = _key(row, columns)
        if used[key] < len(twin_rows.get(key, [])):
            pairs.append((idx, twin_rows[key][used[key]]))
            used[key] += 1
    return pairs


def _rows_by_document(df: pd.DataFrame) -> dict[str, pd.DataFrame]:
    """Each document's rows, in table order: one pass, where filtering the table for each twin pair
    would read the whole table once per pair."""
    return {doc: df.take(positions) for doc, positions in df.groupby("document_id", sort=False).indices.items()}


def link_twins(table_name: str, df: pd.DataFrame) -> pd.DataFrame:
    """Fill same_as with the fact_id of the same fact in the twin document."""
    table = TABLES[table_name]
    if not table.twin_key or df.empty:
        return df
    # A shallow copy with its own same_as column: the caller's frame is left as it was, and the other
    # columns are not copied (a large table would otherwise be held twice).
    out = df.copy(deep=False)
    out["same_as"] = df["same_as"].copy()
    by_document = _rows_by_document(df)
    for doc, twin in twin_of(sorted(by_document)).items():
        for mine, theirs in _pairs(by_document[doc], by_document[twin], table.twin_key):
            out.at[mine, "same_as"] = out.at[theirs, "fact_id"]
    return out


def twin_pairs(document_ids) -> list[tuple[str, str]]:
    """The twin pairs among these documents, each once, in order."""
    return [(doc, twin) for doc, twin in sorted(twin_of(sorted(set(document_ids))).items()) if doc < twin]


def twin_report_part(table_name: str, df: pd.DataFrame, pairs: list[tuple[str, str]]) -> list[dict]:
    """One table's part of the twin report, for each pair: facts linked, and facts one twin states
    that the other lacks. One pass over the table, not one per twin pair."""
    table = TABLES[table_name]
    df = df[df["document_id"].isin({d for pair in pairs for d in pair})]
    linked = df.loc[df["same_as"].notna(), "document_id"].value_counts()
    lacking: dict[str, list[dict]] = defaultdict(list)
    for r in df[df["same_as"].isna()].itertuples():
        lacking[r.document_id].append({"fact_id": r.fact_id,
                                       "key": {c: _plain(getattr(r, c)) for c in table.twin_key},
                                       "quote": r.quote[:160]})
    return [{"linked": int(linked.get(doc, 0)), "only_in": {d: lacking.get(d, []) for d in (doc, twin)}}
            for doc, twin in pairs]


def assemble_twin_report(pairs: list[tuple[str, str]], parts: dict[str, list[dict]]) -> list[dict]:
    """The report from each fact table's part (twin_report_part), tables in their schema order."""
    return [{"documents": [doc, twin], "tables": {t.name: parts[t.name][i] for t in FACT_TABLES}}
            for i, (doc, twin) in enumerate(pairs)]


def _plain(v):
    if v is None or (not isinstance(v, str) and pd.isna(v)):
        return None
    return v.item() if hasattr(v, "item") else v


def twin_markdown(report: list[dict]) -> str:
    lines = ["# Twin documents", "",
             "Documents published in two languages. A fact is linked (`same_as`) when its values match the "
             "twin's; the lists below show what one twin states that the other does not.", ""]
    if not report:
        return "\n".join(lines + ["No twin documents in this release.", ""])
    for entry in report:
        a, b = entry["documents"]
        lines += [f"## `{a}` ↔ `{b}`", "", f"| table | linked | only in `{a}` | only in `{b}` |", "|---|---|---|---|"]
        for name, t in entry["tables"].items():
            lines.append(f"| `{name}` | {t['linked']} | {len(t['only_in'][a])} | {len(t['only_in'][b])} |")
        for name, t in entry["tables"].items():
            for doc in (a, b):
                if t["only_in"][doc]:
                    lines += ["", f"### `{name}`: only in `{doc}`", ""]
                    for f in t["only_in"][doc]:
                        key = ", ".join(f"{k}={v}" for k, v in f["key"].items())
                        quote = f["quote"].replace("\n", " ").replace("|", "\\|")
                        lines.append(f"- {key}: “{quote}”")
        lines.append("")
    return "\n".join(lines) + "\n"
