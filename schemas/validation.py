"""Pandera schemas derived from the table definitions, and the validation that guards publishing.

Belongs here: turning a ``Table`` into a ``pandera.DataFrameSchema``, the cross-field checks a
table declares, and a readable report of failures (table, rows, documents).
Does not belong here: reading documents, or deciding what to do when validation fails.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd
import pandera.pandas as pa

from schemas.tables import (
    DATE_YEARS,
    PARTIAL_DATE_PATTERN,
    TABLES,
    CardIsConsistent,
    Field,
    GroupTotalIsSumOfMembers,
    NotAfter,
    PhasesStartInOrder,
    Plausible,
    Table,
)

PANDAS_DTYPES = {"string": "object", "date": "object", "integer": "Int64", "number": "float64", "boolean": "boolean"}


def _column_checks(f: Field) -> list[pa.Check]:
    checks: list[pa.Check] = []
    if f.enum:
        checks.append(pa.Check.isin(list(f.enum)))
    if f.pattern:
        checks.append(pa.Check.str_matches(f.pattern))
    if f.minimum is not None:
        checks.append(pa.Check.ge(f.minimum))
    if f.maximum is not None:
        checks.append(pa.Check.le(f.maximum))
    if f.exclusive_minimum is not None:
        checks.append(pa.Check.gt(f.exclusive_minimum))
    if f.max_length is not None:
        checks.append(pa.Check.str_length(max_value=f.max_length))
    if f.type in ("string", "date"):
        checks.append(pa.Check(is_text, element_wise=False, name="is_text", error="values must be text"))
    if f.type == "date":
        checks.append(
            pa.Check(
                is_plausible_date,
                element_wise=False,
                name="plausible_date",
                error=f"a real calendar date (no month 13, no 30 February) in the years {DATE_YEARS[0]}-{DATE_YEARS[1]}",
            )
        )
    return checks


def plausible_date(value) -> bool:
    """A partial ISO date that exists (month 1-12, a day its month has) within ``DATE_YEARS``."""
    if not isinstance(value, str) or not re.fullmatch(PARTIAL_DATE_PATTERN, value):
        return True  # the pattern check names it
    year, *rest = (int(p) for p in value.split("-"))
    if not DATE_YEARS[0] <= year <= DATE_YEARS[1]:
        return False
    if rest and not 1 <= rest[0] <= 12:
        return False
    return len(rest) < 2 or 1 <= rest[1] <= calendar.monthrange(year, rest[0])[1]


def is_plausible_date(values: pd.Series) -> pd.Series:
    return values.map(lambda v: v is None or pd.isna(v) or plausible_date(v)).astype(bool)


def _plausible(rule: Plausible) -> pa.Check:
    def check(df: pd.DataFrame) -> pd.Series:
        values = df[rule.column]
        missing = values.isna()  # a value not stated is not implausible
        inside = pd.Series(True, index=df.index)
        if rule.minimum is not None:
            inside &= values >= rule.minimum
        if rule.maximum is not None:
            inside &= values <= rule.maximum
        if rule.above is not None:
            inside &= values > rule.above
        applies = pd.Series(True, index=df.index)
        for column, pattern in rule.where:
            applies &= df[column].astype("string").str.fullmatch(pattern).fillna(False).astype(bool)
        return (missing | inside.fillna(False).astype(bool) | ~applies).astype(bool)

    return pa.Check(check, name=f"plausible: {rule.description}", error=f"implausible value: {rule.description}")


def is_text(values: pd.Series) -> pd.Series:
    """True for each value that is a str (an object column can hold anything). pandas' C type
    inference answers for a whole column of text at once; cell by cell only when it finds other types."""
    if pd.api.types.infer_dtype(values, skipna=True) in ("string", "empty"):
        return pd.Series(True, index=values.index)
    return values.map(lambda v: isinstance(v, str))


def not_after(earlier, later) -> bool:
    """Partial ISO dates compared at the precision both state ('2012' is not after '2012-07');
    a missing date contradicts nothing."""
    if earlier is None or later is None or pd.isna(earlier) or pd.isna(later):
        return True
    k = min(len(earlier), len(later))
    return earlier[:k] <= later[:k]


def _ordered_pair(first: str, second: str) -> pa.Check:
    def check(df: pd.DataFrame) -> pd.Series:
        ok = [not_after(x, y) for x, y in zip(df[first], df[second])]
        return pd.Series(ok, index=df.index, dtype=bool)

    return pa.Check(check, name=f"{first}_not_after_{second}", error=f"{first} must not be after {second}")


def _span_check() -> pa.Check:
    def check(df: pd.DataFrame) -> pd.Series:
        return (df["char_end"] > df["char_start"]) & (df["char_end"] - df["char_start"] == df["quote"].str.len())

    return pa.Check(check, name="span_matches_quote", error="char_end - char_start must equal len(quote) > 0")


# The card rule as the indicators table declares it (``schemas.tables.CardIsConsistent``).
CARD_RULE = TABLES["indicators"].rule(CardIsConsistent)
PER_CAPITA_TOLERANCE = CARD_RULE.tolerance
INCONSISTENT_FLAG = CARD_RULE.flag
CARD_FIGURES = CARD_RULE.figures


def per_capita_consistent(df: pd.DataFrame, rule: CardIsConsistent = CARD_RULE) -> pd.Series:
    """False on each row of a card (the population, GDP and GDP per capita of one entity in one
    document and reference year) whose GDP / population differs from its GDP per capita by more than
    the rule's tolerance, unless the card is flagged as inconsistent; True elsewhere."""
    # Worked on by position (the frame's index may repeat labels), answered with the frame's index.
    ok = np.ones(len(df), dtype=bool)
    on_card = df["indicator"].isin(rule.figures).to_numpy()
    rows, at = df[on_card].reset_index(drop=True), np.flatnonzero(on_card)
    # Keys as text, so that a missing entity or year still makes a card (pandas drops NA group keys).
    cards = rows.groupby(
        [rows[c].astype(str) for c in ("document_id", "entity_code", "reference_year")], sort=False
    ).ngroup()
    by_card = rows["indicator"].groupby(cards)
    complete = (
        (by_card.transform("size") == len(rule.figures)) & (by_card.transform("nunique") == len(rule.figures))
    ).to_numpy()
    rows, cards, at = rows[complete], cards[complete], at[complete]
    if not len(rows):
        return pd.Series(ok, index=df.index)

    def figure(name: str) -> pd.Series:
        return rows["value"].where(rows["indicator"] == name).groupby(cards).transform("max")

    population, gdp, per_capita = map(figure, rule.figures)
    gap = (gdp / population - per_capita).abs() / per_capita
    # A card missing a value is not judged; one whose ratio cannot be computed (a zero) fails.
    stated = (gdp.notna() & population.notna() & per_capita.notna()).to_numpy()
    flagged = rows["notes"].fillna("").str.contains(rule.flag, regex=False).groupby(cards).transform("all")
    ok[at[stated & ~(gap <= rule.tolerance).to_numpy() & ~flagged.to_numpy()]] = False
    return pd.Series(ok, index=df.index)


def _phases_in_order() -> pa.Check:
    """Within a programme, a later phase does not start before an earlier one."""

    def check(df: pd.DataFrame) -> pd.Series:
        ok = pd.Series(True, index=df.index)
        phases = df[df["phase"].notna() & df["start_date"].notna() & df["programme"].notna()]
        for _, group in phases.groupby(["document_id", "programme"]):
            ordered = group.sort_values("phase")
            starts = list(ordered["start_date"])
            for i in range(1, len(starts)):
                if not not_after(starts[i - 1], starts[i]):
                    ok[ordered.index[i]] = False
        return ok

    return pa.Check(check, name="phases_start_in_order", error="a later phase starts before an earlier one")


def _card_check(rule: CardIsConsistent) -> pa.Check:
    return pa.Check(
        lambda df: per_capita_consistent(df, rule),
        name="gdp_per_capita_matches_gdp_over_population",
        error="GDP per capita differs from GDP / population beyond rounding and is not flagged",
    )


def rule_checks(table: Table) -> list[pa.Check]:
    """The Pandera checks of the rules a table declares on its definition; a rule across tables
    (``GroupTotalIsSumOfMembers``) is checked by ``validate_cross_table`` instead."""
    checks = []
    for rule in table.rules:
        if isinstance(rule, NotAfter):
            checks.append(_ordered_pair(rule.first, rule.second))
        elif isinstance(rule, PhasesStartInOrder):
            checks.append(_phases_in_order())
        elif isinstance(rule, CardIsConsistent):
            checks.append(_card_check(rule))
        elif isinstance(rule, Plausible):
            checks.append(_plausible(rule))
    return checks


GROUP_RULE = TABLES["indicators"].rule(GroupTotalIsSumOfMembers)
GROUP_SUM_TOLERANCE = GROUP_RULE.tolerance


def asean_population_frame(indicators: pd.DataFrame, memberships: pd.DataFrame) -> pd.DataFrame:
    """Per document and stated ASEAN population: the sum over the members the same document names.
    One pass over each table (grouped by document), so the check grows with the rows, not with
    documents x rows."""
    members = memberships[(memberships["organization"] == GROUP_RULE.group) & (memberships["status"] == "member")]
    members_by_doc = {doc: set(codes) for doc, codes in members.groupby("document_id")["member_code"]}
    rows = []
    populations = indicators[indicators["indicator"] == GROUP_RULE.indicator]
    for doc, pop in populations.groupby("document_id"):
        doc_members = members_by_doc.get(doc)
        stated = pop[pop["entity_code"].isin(doc_members)] if doc_members else None
        if stated is None or set(stated["entity_code"]) != doc_members:
            continue  # the document does not give every member's population
        member_sum = stated.groupby("entity_code")["value"].first().sum()
        for total in pop[pop["entity_code"] == GROUP_RULE.group].itertuples(index=False):
            rows.append(
                {
                    "document_id": doc,
                    "fact_id": total.fact_id,
                    "asean_population": total.value,
                    "members_population_sum": member_sum,
                    "members": len(doc_members),
                }
            )
    return pd.DataFrame(
        rows, columns=["document_id", "fact_id", "asean_population", "members_population_sum", "members"]
    )


ASEAN_POPULATION_SCHEMA = pa.DataFrameSchema(
    {
        "document_id": pa.Column(str),
        "fact_id": pa.Column(str),
        "asean_population": pa.Column(float),
        "members_population_sum": pa.Column(float),
        "members": pa.Column(int),
    },
    checks=[
        pa.Check(
            lambda df: (
                (df["asean_population"] - df["members_population_sum"]).abs()
                <= GROUP_SUM_TOLERANCE * df["members_population_sum"]
            ),
            name="asean_population_is_sum_of_members",
            error=f"ASEAN population differs from the sum of its members' by more than {GROUP_SUM_TOLERANCE:.0%}",
        )
    ],
    name="indicators",
)


def validate_cross_table(tables: Mapping[str, pd.DataFrame]) -> ValidationFailure | None:
    """Checks that need two tables: ASEAN population ≈ the sum of its members' (indicators + memberships)."""
    frame = asean_population_frame(tables["indicators"], tables["memberships"])
    if frame.empty:  # no document states both a group total and every member's figure
        return None
    try:
        ASEAN_POPULATION_SCHEMA.validate(frame, lazy=True)
    except pa.errors.SchemaErrors as err:
        return describe_failure("indicators", frame.rename(columns={}), err)
    return None


def pandera_schema(table: Table) -> pa.DataFrameSchema:
    columns = {
        f.name: pa.Column(
            PANDAS_DTYPES[f.type],
            checks=_column_checks(f),
            nullable=not f.required,
            coerce=False,
            description=f.description,
            title=f.name,
        )
        for f in table.fields
    }
    checks = rule_checks(table)
    if table.is_fact_table:
        checks.append(_span_check())
    return pa.DataFrameSchema(
        columns,
        checks=checks,
        unique=list(table.primary_key),
        strict=True,
        ordered=True,
        name=table.name,
        description=table.description,
    )


SCHEMAS = {name: pandera_schema(t) for name, t in TABLES.items()}


@dataclass
class ValidationFailure:
    table: str
    message: str
    rows: pd.DataFrame  # failing rows (or failure cases) with the document they come from

    def __str__(self) -> str:
        return self.message


def describe_failure(table_name: str, df: pd.DataFrame, err: pa.errors.SchemaErrors) -> ValidationFailure:
    cases = err.failure_cases.copy()
    lines = [f"table {table_name!r} failed validation ({len(cases)} failure case(s)):"]
    # A rule across a row fails on every column of it: named once, by the rule, not column by column.
    row_wide = cases.duplicated(["index", "check"], keep=False) & cases["index"].notna()
    shown = pd.concat([cases[~row_wide], cases[row_wide].drop_duplicates(["index", "check"])]).sort_index()
    for _, case in shown.head(20).iterrows():
        idx = case.get("index")
        where = ""
        if idx is not None and not pd.isna(idx) and idx in df.index:
            row = df.loc[idx]
            key = ", ".join(f"{k}={row[k]!r}" for k in TABLES[table_name].primary_key if k in df.columns)
            doc = row["document_id"] if "document_id" in df.columns else "?"
            where = f" row {idx} ({key}) from document {doc!r}:"
        if row_wide[case.name]:
            lines.append(f"  -{where} check {case['check']!r} on the row")
        else:
            lines.append(
                f"  -{where} check {case['check']!r} on column {case['column']!r}, value {case['failure_case']!r}"
            )
    if len(shown) > 20:
        lines.append(f"  ... and {len(shown) - 20} more")
    return ValidationFailure(table_name, "\n".join(lines), cases)


def validate_table(table_name: str, df: pd.DataFrame) -> ValidationFailure | None:
    """Validate one table against its schema; None when it passes."""
    try:
        SCHEMAS[table_name].validate(df, lazy=True)
    except pa.errors.SchemaErrors as err:
        return describe_failure(table_name, df, err)
    return None


def validate_provenance(table_name: str, df: pd.DataFrame, texts: dict[str, str]) -> ValidationFailure | None:
    """Every quote must be exactly the document's text between its offsets."""
    if not TABLES[table_name].is_fact_table or df.empty:
        return None
    bad = [
        i
        for i, d, s, e, q in zip(df.index, df["document_id"], df["char_start"], df["char_end"], df["quote"])
        if d not in texts or texts[d][int(s) : int(e)] != q
    ]
    if not bad:
        return None
    rows = df.loc[bad, ["fact_id", "document_id", "char_start", "char_end", "quote"]]
    lines = [f"table {table_name!r}: {len(bad)} row(s) whose quote is not the document text at its offsets:"]
    lines += [
        f"  - row {i} ({r.fact_id!r}) from document {r.document_id!r} [{r.char_start}:{r.char_end}]"
        for i, r in rows.head(20).iterrows()
    ]
    return ValidationFailure(table_name, "\n".join(lines), rows)
