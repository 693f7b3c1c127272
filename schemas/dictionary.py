"""The data dictionary (Markdown) derived from the table definitions, for the README and the release."""

from __future__ import annotations

from schemas.tables import TABLES

TYPE_LABELS = {"date": "date (partial ISO 8601)"}


def data_dictionary_markdown() -> str:
    parts = []
    for t in TABLES.values():
        parts.append(
            f"### `{t.name}` — {t.title}\n\n{t.description} Primary key: "
            + ", ".join(f"`{c}`" for c in t.primary_key)
            + ".\n"
        )
        if t.usage_warnings:
            parts.append("Before using it:\n\n" + "\n".join(f"- {w}" for w in t.usage_warnings) + "\n")
        parts.append("| column | type | required | description |\n|---|---|---|---|")
        for f in t.fields:
            desc = f.description.replace("|", "\\|")
            if f.enum:
                desc += " One of: " + ", ".join(f"`{v}`" for v in f.enum) + "."
            parts.append(f"| `{f.name}` | {TYPE_LABELS.get(f.type, f.type)} | {'yes' if f.required else ''} | {desc} |")
        parts.append("")
    return "\n".join(parts)
