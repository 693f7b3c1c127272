"""Values read back from their quotes: the blocking check that every stated value agrees with its quote.

Belongs here: applying each ``ValueInQuote`` rule a table declares (``schemas.tables``) to its rows,
with the normalisers of ``pipelines.normalize`` reading the quote alone, and a readable failure that
names the table, the row (fact id) and the document.
Does not belong here: how the quote was found (``pipelines.extract``), or the other checks
(``schemas.validation``: types, bounds and rules within the row's values).
"""

from __future__ import annotations

import pandas as pd

from pipelines.normalize import number_text, states_date, states_number
from schemas.tables import TABLES, ValueInQuote
from schemas.validation import ValidationFailure


def value_in_quote(rule: ValueInQuote, value, quote: str, notes: str | None) -> bool:
    """True when the value is stated in the quote (a missing value states nothing and passes)."""
    said = tuple((notes or "").split("; "))  # the row's notes, each beginning with what it says
    if value is None or pd.isna(value):
        return True
    if any(note.startswith((*rule.context_notes, f"{rule.column} from:")) for note in said):
        return True
    if rule.reader == "number":
        return states_number(quote, float(value))
    if rule.reader == "date":
        year_from_context = any(note.startswith(rule.year_context_notes) for note in said)
        return states_date(quote, str(value), year_from_context=year_from_context)
    raise ValueError(f"unknown reader {rule.reader!r}")


def validate_values_in_quotes(table_name: str, df: pd.DataFrame) -> ValidationFailure | None:
    """Every value a table declares as stated in the quote is read back from it; None when all are."""
    rules = [r for r in TABLES[table_name].rules if isinstance(r, ValueInQuote)]
    if not rules or df.empty:
        return None
    notes = df["notes"].where(df["notes"].notna(), None)
    bad = []
    for rule in rules:
        for index, value, quote, note in zip(df.index, df[rule.column], df["quote"], notes):
            if not value_in_quote(rule, value, quote, note):
                bad.append((index, rule.column, value))
    if not bad:
        return None
    lines = [f"table {table_name!r}: {len(bad)} value(s) not stated in their own quote:"]
    for index, column, value in bad[:20]:
        row = df.loc[index]
        shown = number_text(float(value)) if isinstance(value, (int, float)) else str(value)
        lines.append(
            f"  - row {index} (fact_id={row['fact_id']!r}) from document {row['document_id']!r}: "
            f"{column} {shown} is not read from its quote {row['quote']!r}"
        )
    if len(bad) > 20:
        lines.append(f"  ... and {len(bad) - 20} more")
    rows = df.loc[[i for i, _, _ in bad], ["fact_id", "document_id", "quote"]].assign(column=[c for _, c, _ in bad])
    return ValidationFailure(table_name, "\n".join(lines), rows)
