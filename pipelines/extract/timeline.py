"""Dated statements (``events``): one row per statement that a date expression dates.

The quote and the description are the statement itself (``Source.statement``) around each date of
``Source.dates``.
Does not belong here: recognising dates (``pipelines.extract.dates``); what a dated statement is
about beyond its words (meetings, projects and money have their own families).
"""

from __future__ import annotations

from pipelines.extract.base import Spans
from pipelines.extract.family import Family
from pipelines.extract.source import Source
from pipelines.normalize import collapse_spaces


def extract_events(src: Source, stated: Spans | None = None) -> dict[str, list[dict]]:
    events, seen = [], set()
    for d in src.dates:
        a, b = src.statement(d.start, d.end)
        a, b = src.clip(a, b, d.start, d.end)
        if not (a <= d.start and d.end <= b):
            a, b = src.trim(min(a, d.start), max(b, d.end))
        description = collapse_spaces(src.text[a:b])
        key = (d.date, d.end_date, a, b)
        if key in seen:
            continue
        seen.add(key)
        events.append(src.fact(a, b, [d.note], date=d.date, end_date=d.end_date, description=description))
    return {"events": events}


FAMILY = Family("timeline", tables=("events",), extract=extract_events)
