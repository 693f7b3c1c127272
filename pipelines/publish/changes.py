"""CHANGES.md: what changed between two versions, for a reader.

Belongs here: rendering a ``ReleaseDiff`` (``pipelines.publish.diff``) as Markdown: the level of
the change, the tables and columns added, removed or retyped, rows added and removed and values
changed per table, with up to EXAMPLES_PER_SECTION examples each.
Does not belong here: computing the difference (``pipelines.publish.diff``, ``pipelines.publish.versions``).
"""

from __future__ import annotations

from pipelines.publish.diff import KeyedRows, ReleaseDiff, TableDiff
from pipelines.publish.package import PACKAGE_NAME
from pipelines.publish.tables import is_missing
from schemas.tables import TABLES

EXAMPLES_PER_SECTION = 100


def changes_markdown(
    version: str,
    previous: str | None,
    diff: ReleaseDiff,
    counts: dict[str, int],
    sections: dict[str, list[str]] | None = None,
) -> str:
    """CHANGES.md: the level and why, then per table the rows added and removed (key, document and
    what the row says) and the values changed (key, column, old, new). changes.json has every key.
    sections holds each changed table's part (``table_changes_markdown``)."""
    lines = [f"# Changes in {PACKAGE_NAME} {version}", ""]
    if previous is None:
        lines += [f"First release: {sum(counts.values())} rows in {len(counts)} tables.", ""]
        lines += ["| table | rows |", "|---|---|"] + [f"| `{t}` | {n} |" for t, n in sorted(counts.items())]
        return "\n".join(lines) + "\n"
    totals = (
        ("row added", "rows added", sum(len(td.added) for td in diff.rows.values())),
        ("row removed", "rows removed", sum(len(td.removed) for td in diff.rows.values())),
        ("value changed", "values changed", sum(len(td.changed) for td in diff.rows.values())),
    )
    because = ", ".join(f"{n} {one if n == 1 else many}" for one, many, n in totals if n)
    lines += [f"Compared with {previous}: a **{diff.level}** change" + (f" ({because})." if because else "."), ""]
    for label, value in (("Tables added", diff.tables_added), ("Tables removed", diff.tables_removed)):
        if value:
            lines.append(f"- {label}: " + ", ".join(f"`{t}`" for t in value))
    for label, mapping in (
        ("Columns added", diff.columns_added),
        ("Columns removed", diff.columns_removed),
        ("Columns retyped", diff.columns_retyped),
    ):
        for t, cols in mapping.items():
            lines.append(f"- {label} in `{t}`: " + ", ".join(f"`{c}`" for c in cols))
    lines += ([] if lines[-1] == "" else [""]) + [
        "| table | rows | added | removed | values changed |",
        "|---|---|---|---|---|",
    ]
    for t, td in sorted(diff.rows.items()):
        lines.append(f"| `{t}` | {counts.get(t, 0)} | {len(td.added)} | {len(td.removed)} | {len(td.changed)} |")
    for t, td in sorted(diff.rows.items()):
        if not td.is_empty:
            lines += (sections or {}).get(t, [])
    return "\n".join(lines) + "\n"


def table_changes_markdown(t: str, td: TableDiff, old: KeyedRows | None, new: KeyedRows | None) -> list[str]:
    """One table's part of CHANGES.md: the rows added and removed (from the version that has them)
    and the values changed, at most EXAMPLES_PER_SECTION of each."""
    if td.is_empty:
        return []
    lines = ["", f"## `{t}`"]
    pk = list(TABLES[t].primary_key)
    for label, keys, side in (("Rows added", td.added, new), ("Rows removed", td.removed, old)):
        if not keys:
            continue
        lines += ["", f"### {label} ({len(keys)})", "", "| key | document | row |", "|---|---|---|"]
        for k in keys[:EXAMPLES_PER_SECTION]:
            row = side.row(k) if side is not None else None
            document = row.get("document_id") if row is not None else None
            lines.append(f"| `{k}` | {_md(document)} | {_md(_row_summary(row, pk))} |")
        lines += _more(len(keys))
    if td.changed:
        lines += [
            "",
            f"### Values changed ({len(td.changed)})",
            "",
            "| key | column | old | new |",
            "|---|---|---|---|",
        ]
        for ch in td.changed[:EXAMPLES_PER_SECTION]:
            lines.append(f"| `{ch['key']}` | `{ch['column']}` | {_md(ch['old'])} | {_md(ch['new'])} |")
        lines += _more(len(td.changed))
    return lines


def _more(n: int) -> list[str]:
    if n <= EXAMPLES_PER_SECTION:
        return []
    return ["", f"... and {n - EXAMPLES_PER_SECTION} more: changes.json lists them all."]


def _row_summary(row: dict | None, pk: list[str]) -> str | None:
    """What a row says, for a reader: its quote when it has one, else its other values."""
    if row is None:
        return None
    if "quote" in row and not is_missing(row["quote"]):
        return row["quote"]
    return "; ".join(f"{c}: {_md(v)}" for c, v in row.items() if c not in pk and not is_missing(v))


def _md(v) -> str:
    if is_missing(v):
        return ""
    if isinstance(v, float) and v.is_integer():
        v = int(v)
    return str(v).replace("|", "\\|").replace("\r", " ").replace("\n", " ")[:160]
