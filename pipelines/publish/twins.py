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

import numpy as np
import pandas as pd

from pipelines.publish.tables import plain_value
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


def _keys(df: pd.DataFrame, columns: tuple[str, ...]) -> list[tuple]:
    """Each row's twin key: its values in these columns, None where a value is missing."""
    return list(zip(*(df[c].astype(object).where(df[c].notna(), None) for c in columns)))


def link_twins(table_name: str, df: pd.DataFrame) -> pd.DataFrame:
    """Fill same_as with the fact_id of the same fact in the twin document: the nth fact of a
    document with a given twin key is the nth fact of its twin with that key (both in table order)."""
    table = TABLES[table_name]
    if not table.twin_key or df.empty:
        return df
    # A shallow copy with its own same_as column: the caller's frame is left as it was, and the other
    # columns are not copied (a large table would otherwise be held twice).
    out = df.copy(deep=False)
    twins = twin_of(sorted(set(df["document_id"])))
    # One pass over the rows of twinned documents, each numbered among its document's facts with
    # the same key; then each looks up the same number in its twin.
    at = np.flatnonzero(df["document_id"].isin(twins).to_numpy())
    rows = df.iloc[at]
    seen: dict[tuple, int] = defaultdict(int)
    slots = []
    for doc, key in zip(rows["document_id"], _keys(rows, table.twin_key)):
        slots.append((doc, key, seen[doc, key]))
        seen[doc, key] += 1
    fact_at = {slot: fact_id for slot, fact_id in zip(slots, rows["fact_id"])}
    same_as = df["same_as"].to_numpy(dtype=object, copy=True)
    for position, (doc, key, n) in zip(at, slots):
        if (twin_fact := fact_at.get((twins[doc], key, n))) is not None:
            same_as[position] = twin_fact
    out["same_as"] = pd.Series(same_as, index=df.index, dtype=df["same_as"].dtype)
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
        lacking[r.document_id].append(
            {
                "fact_id": r.fact_id,
                "key": {c: plain_value(getattr(r, c)) for c in table.twin_key},
                "quote": r.quote[:160],
            }
        )
    return [
        {"linked": int(linked.get(doc, 0)), "only_in": {d: lacking.get(d, []) for d in (doc, twin)}}
        for doc, twin in pairs
    ]


def assemble_twin_report(pairs: list[tuple[str, str]], parts: dict[str, list[dict]]) -> list[dict]:
    """The report from each fact table's part (twin_report_part), tables in their schema order."""
    return [
        {"documents": [doc, twin], "tables": {t.name: parts[t.name][i] for t in FACT_TABLES}}
        for i, (doc, twin) in enumerate(pairs)
    ]


def twin_markdown(report: list[dict]) -> str:
    lines = [
        "# Twin documents",
        "",
        "Documents published in two languages. A fact is linked (`same_as`) when its values match the "
        "twin's; the lists below show what one twin states that the other does not.",
        "",
    ]
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
