"""What a family of statements declares about itself, and the order the declarations give.

A family is one module of ``pipelines.extract`` that recognises one kind of statement and ends with
``FAMILY = Family(...)``: its name, the tables it fills, its extractor, and the tables whose statements
it leaves alone (a GDP is a statistic, not a commitment; a budget belongs to its project). The
extraction order, and the check that families and fact tables agree, are derived here from those
declarations; nothing else lists the families.
Does not belong here: recognising any statement (the family modules), running them (``pipelines.extract``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from pipelines.extract.base import Spans
from pipelines.extract.source import Source
from schemas.tables import FACT_TABLES, Table

Rows = dict[str, list[dict]]


@dataclass(frozen=True)
class Family:
    """One family of statements.

    ``extract(src, stated)`` returns the rows of each table in ``tables``; ``stated`` holds the spans
    of the rows of the tables in ``leaves_alone`` (every family filling them runs first). Several
    families may fill one table: its rows are theirs in the order the families run."""

    name: str
    tables: tuple[str, ...]
    extract: Callable[[Source, Spans], Rows]
    leaves_alone: tuple[str, ...] = ()


class FamilyDeclarationError(ValueError):
    """The families' declarations disagree with the fact tables or with each other."""


def order_families(families: Iterable[Family], fact_tables: Iterable[Table] = FACT_TABLES) -> tuple[Family, ...]:
    """The families in the order they run: each after the families filling the tables it leaves alone,
    otherwise in the order of the tables they fill (then of their names). Raises FamilyDeclarationError
    when a fact table is filled by no family, a family fills or leaves alone a table that is not a fact
    table, two families share a name, or the declarations leave no order (a family leaving alone,
    directly or not, its own tables)."""
    families = list(families)
    table_rank = {t.name: i for i, t in enumerate(fact_tables)}
    filled_by: dict[str, set[str]] = {}
    for f in families:
        for name in (*f.tables, *f.leaves_alone):
            if name not in table_rank:
                raise FamilyDeclarationError(f"family {f.name!r} names {name!r}, which is not a fact table")
        for name in f.tables:
            filled_by.setdefault(name, set()).add(f.name)
    if len({f.name for f in families}) < len(families):
        raise FamilyDeclarationError("two families have the same name")
    if missing := [t for t in table_rank if t not in filled_by]:
        raise FamilyDeclarationError(f"no family fills the fact tables {missing}")
    ordered: list[Family] = []
    done: set[str] = set()
    pending = sorted(families, key=lambda f: (min(table_rank[t] for t in f.tables), f.name))
    while pending:
        ready = next((f for f in pending if all(filled_by[t] <= done for t in f.leaves_alone)), None)
        if ready is None:
            raise FamilyDeclarationError(
                "the families leave each other's statements alone in a circle: " + ", ".join(f.name for f in pending)
            )
        ordered.append(ready)
        done.add(ready.name)
        pending.remove(ready)
    return tuple(ordered)
