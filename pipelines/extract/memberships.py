"""Who joined what, and when (``memberships``).

Recognises statements about membership and reads, for each country they name, its status and date:
- accession lines: ``1984年 ブルネイ加盟``, ``ベトナム（1995年）、ラオス・ミャンマー（1997年）…が加盟``;
- founding members: ``設立（インドネシア・マレーシア…の５か国``;
- applications and observers: ``東ティモールが加盟申請（2022年にオブザーバー参加決定）``;
- member lists: ``加盟国： 10カ国（ブルネイ、カンボジア…）``, ``<org>のメンバー国：16カ国 … 日本、中国…``;
- non-members: ``（…カンボジア・ラオス・ミャンマーは未加盟）``;
- English: ``Vietnam is already a member of the X``, ``On June 11, 2001, Cambodia has joined the Center``,
  ``Laos expressed its intention to join``, ``Myanmar, non-members of the Centre``.
The organisation is the one the statement names (an acronym, ``（TAC）に加盟``), else the one the
slide is about (``ASEANとは何か``).
Does not belong here: other dated statements (``timeline``).
"""

from __future__ import annotations

import re

from pipelines.extract.base import Spans, line_spans
from pipelines.extract.family import Family
from pipelines.extract.source import Source
from pipelines.normalize import country_code, country_code_wrapped, country_name_pattern, fold_text

JA_KEYWORDS = re.compile(r"加盟|メンバー国|オブザーバー")
ORG_IN_STATEMENT = re.compile(
    r"[(（](?P<acr>[A-Z]{3,6})[)）]に加盟|(?P<acr2>[A-Z]{3,6})(?:閣僚会議|首脳会議)?[^。]*?未加盟"
    r"|(?P<acr3>[A-Z]{3,6})のメンバー国"
)
EN_MEMBER = re.compile(
    r"(?P<name>[A-Z][a-z]+(?: [A-Z][a-z]+| PDR)?)(?:,)? (?P<verb>is already a member of|has joined"
    r"|expressed its intention to join|non-members? of) (?:the )?(?P<org>[A-Z][\w\-]*(?: [A-Z][\w\-]*)*)"
)
SEPARATORS = re.compile(r"[・、,，\s]+")


def _names_in(src: Source, a: int, b: int):
    """Country names in text[a:b] (longest match first), with their spans."""
    for m in country_name_pattern().finditer(src.folded, a, b):
        code = country_code_wrapped(m.group())
        if code and len(code) == 3:
            yield m.start(), m.end(), code


def extract_memberships(src: Source, stated: Spans | None = None) -> dict[str, list[dict]]:
    rows = _english(src) if src.language == "en" else _japanese(src)
    return {"memberships": rows}


def _japanese(src: Source) -> list[dict]:
    rows, done = [], set()
    for k in JA_KEYWORDS.finditer(src.folded):
        a, b = src.statement(k.start(), k.end())
        if (a, b) in done:
            continue
        done.add((a, b))
        text = src.folded[a:b]
        org_m = ORG_IN_STATEMENT.search(text)
        org = (org_m["acr"] or org_m["acr2"] or org_m["acr3"]) if org_m else None
        names = list(_names_in(src, a, b))
        if org is None:
            org = src.segment_organisation(a) or ("ASEAN" if "ASEAN" in text else None)
        if org is None or not names:
            continue
        dates = src.dates_in(a, b)
        line_date = dates[0] if dates and dates[0].start == a else None
        for s, e, code in names:
            if code == org or (org == "ASEAN" and code == "ASEAN"):
                continue
            after = src.folded[e:b]
            status, joined, end = "member", None, e
            if m := re.match(r"\s*(?:・[^\s・、（(]+)*\s*[(（](\d{4})年[)）]", after):
                joined, end = m.group(1), e + m.end()
            elif re.match(r"^[^。]{0,30}?は未加盟", after):
                status = "non-member"
            elif m := re.match(r"\s*が?加盟申請", after):
                status, end = "applicant", e + m.end()
                joined = line_date.date if line_date else None
            elif m := re.match(r"\s*が?加盟|[^。、]{0,40}?に加盟", after):
                joined, end = (line_date.date if line_date else None), e + m.end()
            # The quote runs from the start of the statement (what is joined, and when) to the name.
            quote_end = max(end, _status_end(src, e, b, status))
            if k.end() > quote_end and k.end() - a <= 400:  # '…ベトナムは、…に加盟した': up to the keyword
                quote_end = k.end()
            start = a if quote_end - a <= 400 else s
            rows.append(src.fact(start, quote_end, organization=org, member_code=code, status=status, joined=joined))
            if status == "applicant" and (o := re.search(r"(\d{4})年にオブザーバー", after)):
                rows.append(
                    src.fact(
                        start, e + o.end(), organization=org, member_code=code, status="observer", joined=o.group(1)
                    )
                )
    rows += _member_lists(src)
    return _dedupe(rows)


LIST_HEADER_TAIL = re.compile(r"のメンバー国[:：]")
ORG_BEFORE = re.compile(r"[A-Z]{3,6}$")


def list_headers(text: str):
    """(start, end, org) of every '<ORG>のメンバー国：' (an acronym of 3 to 6 capitals), found from each
    'のメンバー国' rather than from every capital letter of the document."""
    for tail in LIST_HEADER_TAIL.finditer(text):
        if org := ORG_BEFORE.search(text, max(0, tail.start() - 6), tail.start()):
            yield org.start(), tail.end(), org.group()


SUBLABEL = re.compile(r"^\s*(?:\S*?\d+\s*(?:カ国|か国|ヶ国)[:：]?)\s*$")


def _member_lists(src: Source) -> list[dict]:
    """'<org>のメンバー国：16カ国' followed by lines listing the members (under sub-labels)."""
    rows = []
    for h_start, h_end, org in list_headers(src.folded):
        _, seg_b = src.segment_of(h_start)
        for a, b in line_spans(src.folded, src.folded.find("\n", h_end) + 1, seg_b):
            line = src.folded[a:b]
            if not line.strip() or SUBLABEL.match(line):
                continue
            names = list(_names_in(src, a, b))
            leftover = country_name_pattern().sub("", line)
            if not names or SEPARATORS.sub("", leftover):
                break
            for s, e, code in names:
                rows.append(
                    src.fact(
                        h_start if e - h_start <= 400 else s,
                        e,
                        [f"member list under '{src.text[h_start:h_end]}'"],
                        organization=org,
                        member_code=code,
                        status="member",
                        joined=None,
                    )
                )
    return rows


def _dedupe(rows: list[dict]) -> list[dict]:
    """One row per (organisation, member, status): the one that says when, else the first."""
    best: dict[tuple, dict] = {}
    for r in rows:
        key = (r["organization"], r["member_code"], r["status"])
        if key not in best or (best[key]["joined"] is None and r["joined"] is not None):
            best[key] = r
    return [r for r in rows if best[(r["organization"], r["member_code"], r["status"])] is r]


def _status_end(src: Source, e: int, b: int, status: str) -> int:
    if status == "non-member" and (m := re.search(r"は未加盟", src.folded[e:b])):
        return e + m.end()
    return e


def _english(src: Source) -> list[dict]:
    rows = []
    statuses = {
        "is already a member of": "member",
        "has joined": "member",
        "expressed its intention to join": "applicant",
        "non-members of": "non-member",
        "non-member of": "non-member",
    }
    last_org = None
    for m in EN_MEMBER.finditer(src.folded):
        code = country_code(m["name"])
        if not code:
            continue
        org = m["org"]
        if org in ("Center", "Centre") and last_org:
            org = last_org
        else:
            org = re.sub(r"\s+in\s+.*$", "", org)
            last_org = org
        a, b = src.statement(m.start(), m.end())
        joined = None
        if m["verb"] == "has joined":
            dates = [d for d in src.dates_in(a, m.start())]
            joined = dates[-1].date if dates else None
            a = dates[-1].start if dates else m.start()
        else:
            a = m.start()
        rows.append(
            src.fact(
                a, m.end(), organization=fold_text(org), member_code=code, status=statuses[m["verb"]], joined=joined
            )
        )
    return rows


FAMILY = Family("memberships", tables=("memberships",), extract=extract_memberships)
