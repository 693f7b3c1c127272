"""Cooperation projects, programmes and their phases (``projects``).

Recognises:
- a phase line: ``フェーズ２（2021年10月～2023年3月）＜約7.3百万米ドル＞JAIFによる支援``, ``フェーズ1 : 2003 - 2008``,
  ``Phase 2 (2020-2022)``, and a named project in the same shape (``ACE-LEDMP（2023年8月～2年間）＜...＞``);
  the programme is the one the slide defines (``DELSAとは``) or the acronym it introduces (``（AUN/SEED-Net: ...``);
  people trained in a phase (``フェーズ１にて、３２２名の研修を実施``) are attached to it;
- an IAI Work Plan with its period: ``IAI Work Plan IV (2021-2025)``, ``作業計画II(2009年〜2015年)``;
- a project sheet: ``事業期間：2014年～2023年 事業予算：約200億円`` titled by the slide's first 「...」;
- named programmes, projects and funds with what a statement says about them, with or without numbers
  (``pipelines.extract.programmes``): the people they send or train, their length, their budget, a
  reference heading naming one, a list of project titles under a lead; one row per programme per page.
Does not belong here: money outside a project (``money``), dates in general (``timeline``).
"""

from __future__ import annotations

import hashlib
import re
import unicodedata

from pipelines.extract import programmes
from pipelines.extract.base import MAX_QUOTE, YEAR_MARK, Spans
from pipelines.extract.family import Family
from pipelines.extract.source import Source
from pipelines.normalize import JP_AMOUNT, currency_code, parse_japanese_amount

PHASE = re.compile(r"(?:フェーズ|Phase|第)\s*(?P<n>\d+)\s*(?:フェーズ)?\s*(?:[:：]\s*|(?=[(（]))")
NAMED_PROJECT_LINE = re.compile(r"^[ \t]*(?P<name>[A-Za-z][A-Za-z0-9\-－]+)(?=[(（]\d{4}年)", re.M)
BUDGET = re.compile(r"\s*[<＜](?P<approx>約)?(?P<amount>" + JP_AMOUNT + r")(?P<currency>米ドル|ドル|円)[>＞]")
FUNDED_BY = re.compile(r"\s*(?P<funder>[A-Za-z]{2,10})による支援")
DEFINITION = re.compile(r"^[ \t]*(?P<name>[^\s、。]{2,40}?)とは[ \t]*$", re.M)
ACRONYM = re.compile(r"[(（](?P<acr>[A-Z][A-Za-z]*(?:[/\-][A-Za-z]+)+|[A-Z]{3,})(?=[:：)）])")
# People trained in a phase: 'フェーズ2では、計150名を研修', 'フェーズ１で２００人の研修を実施',
# 'In Phase 2, 150 officials were trained'.
TRAINED_IN_PHASE = re.compile(
    r"(?:フェーズ|Phase)\s*(?P<n>\d+)\s*(?:にて|では|で|において|,)?[、,]?[^。.\n]{0,20}?"
    r"(?P<people>\d+(?:,\d{3})*)\s*(?:名|人|(?:\s[a-z]+){1,2}\s+were)\s*(?:の|を|が|に)?(?:研修|訓練|育成|trained)"
)
# 'IAI' in an alternative rather than an optional prefix: every alternative then starts with a literal,
# which the regex engine searches for instead of trying the pattern at every position.
WORK_PLAN = re.compile(
    r"(?:IAI\)?\s*(?:Work Plan|作業計画)|Work Plan|作業計画)\s*(?P<wp>IV|III|II|I)(?![A-Za-z])\s*(?=[(（])"
)
SHEET_PERIOD = re.compile(r"事業期間[:：]\s*")
SHEET_BUDGET = re.compile(r"事業予算[:：]\s*(?P<approx>約)?(?P<amount>" + JP_AMOUNT + r")(?P<currency>米ドル|ドル|円)")
QUOTED_TITLE = re.compile(r"「(?P<title>[^」]{4,80})」")


def slugify(text: str) -> str:
    ascii_text = unicodedata.normalize("NFKC", text).lower()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text).strip("-")
    if not re.search(r"[a-z]", slug):
        slug = (slug + "-" if slug else "") + hashlib.sha1(text.encode()).hexdigest()[:8]
    return slug


def _programme_of(src: Source, pos: int, found: dict[int, str | None] | None = None) -> str | None:
    """The programme the slide of pos defines or introduces by its acronym (found once a slide)."""
    a, b = src.segment_of(pos)
    if found is not None and a in found:
        return found[a]
    name = None
    if m := DEFINITION.search(src.folded, a, b):
        name = src.text[m.start("name") : m.end("name")]
    elif m := ACRONYM.search(src.folded, a, b):
        name = src.folded[m.start("acr") : m.end("acr")]
    if found is not None:
        found[a] = name
    return name


def _dates_at(src: Source, pos: int, limit: int = 40):
    """The first date expression starting within a few characters of pos."""
    for d in src.dates_in(pos, min(len(src.text), pos + limit + 40)):
        if d.start - pos <= limit:
            return d
    return None


def named_project_lines(src: Source):
    """NAMED_PROJECT_LINE.finditer(folded), tried only on the lines that state a year ('（2023年')."""
    return src.match_lines(NAMED_PROJECT_LINE, src.candidate_starts(followed_by=YEAR_MARK))


def extract_projects(src: Source, stated: Spans | None = None) -> dict[str, list[dict]]:
    rows: list[dict] = []
    seen: set[str] = set()
    slide_programmes: dict[int, str | None] = {}

    def add(row: dict) -> None:
        if row["project_id"] not in seen:
            seen.add(row["project_id"])
            rows.append(row)

    for m in list(PHASE.finditer(src.folded)) + list(named_project_lines(src)):
        d = _dates_at(src, m.end(), limit=2)
        if d is None:
            continue
        programme = _programme_of(src, m.start(), slide_programmes)
        is_phase = "n" in m.groupdict() and m.groupdict().get("n") is not None
        if is_phase and programme is None:
            src.skip(m.start(), d.end, "phase of a programme the slide does not name")
            continue
        end, budget = d.end, {}
        if src.folded[end : end + 1] in ")）":
            end += 1
        if b := BUDGET.match(src.folded, end):
            money = parse_japanese_amount(b["amount"])
            multiplier = 1
            budget = dict(
                budget_amount=money.value * multiplier,
                budget_currency=currency_code(b["currency"]),
                approximate=bool(b["approx"]),
            )
            end = b.end()
        funder = None
        if f := FUNDED_BY.match(src.folded, end):
            funder, end = f["funder"], f.end()
        if is_phase and programme is not None:  # a phase always has its programme (skipped above otherwise)
            n = int(m["n"])
            title = f"{programme} フェーズ{n}"
            project_id = f"{slugify(programme)}-phase-{n}"
        else:
            title = src.text[m.start("name") : m.end("name")]
            project_id = slugify(title)
            n = None
        participants, p_note = _participants(src, m.start(), n) if n else (None, None)
        add(
            src.fact(
                m.start(),
                end,
                [p_note],
                project_id=project_id,
                title=title,
                programme=programme if is_phase else _programme_of(src, m.start(), slide_programmes),
                phase=n,
                start_date=d.date,
                end_date=d.end_date,
                duration_text=d.duration_text,
                duration_months=d.duration_months,
                budget_amount=budget.get("budget_amount"),
                budget_currency=budget.get("budget_currency"),
                funder=funder,
                iai_work_plan=None,
                participants=participants,
                approximate=budget.get("approximate", False),
            )
        )
    for m in WORK_PLAN.finditer(src.folded):
        d = _dates_at(src, m.end(), limit=2)
        if d is None:
            continue
        end = d.end + (1 if src.folded[d.end : d.end + 1] in ")）" else 0)
        add(
            src.fact(
                m.start(),
                end,
                project_id=f"iai-work-plan-{m['wp'].lower()}",
                title=f"IAI Work Plan {m['wp']}",
                programme="Initiative for ASEAN Integration (IAI)",
                phase=None,
                start_date=d.date,
                end_date=d.end_date,
                duration_text=d.duration_text,
                duration_months=d.duration_months,
                budget_amount=None,
                budget_currency=None,
                funder=None,
                iai_work_plan=m["wp"],
                participants=None,
                approximate=False,
            )
        )
    for m in SHEET_PERIOD.finditer(src.folded):
        d = _dates_at(src, m.end(), limit=1)
        seg_a, seg_b = src.segment_of(m.start())
        t = QUOTED_TITLE.search(src.folded, seg_a, seg_b)
        if d is None or t is None:
            continue
        end, budget = d.end, {}
        if bm := SHEET_BUDGET.search(src.folded, end, min(seg_b, end + 40)):
            money = parse_japanese_amount(bm["amount"])
            budget = dict(
                budget_amount=money.value, budget_currency=currency_code(bm["currency"]), approximate=bool(bm["approx"])
            )
            end = bm.end()
        title = src.text[t.start("title") : t.end("title")]
        add(
            src.fact(
                m.start(),
                end,
                [f"title from the slide heading 「{title}」"],
                project_id=slugify(title),
                title=title,
                programme=None,
                phase=None,
                start_date=d.date,
                end_date=d.end_date,
                duration_text=d.duration_text,
                duration_months=d.duration_months,
                budget_amount=budget.get("budget_amount"),
                budget_currency=budget.get("budget_currency"),
                funder=None,
                iai_work_plan=None,
                participants=None,
                approximate=budget.get("approximate", False),
            )
        )
    for c in _named_programmes(src):
        project_id = c.project_id or programmes.project_id_for(c.title)
        if project_id in seen:
            continue
        add(src.fact(c.start, c.end, c.notes, **_columns(c, project_id)))
    return {"projects": rows}


def _named_programmes(src: Source) -> list[programmes.Candidate]:
    """Programmes, projects and funds named with what the page says about them (``programmes``)."""
    mentions = programmes.programme_mentions(src)
    page_programme = programmes._page_programme(src, mentions)
    candidates = [
        *programmes.participation_candidates(src, mentions, page_programme),
        *programmes.length_candidates(src, mentions),
        *programmes.period_candidates(src, mentions),
        *programmes.budget_candidates(src),
        *programmes.worth_candidates(src, mentions),
        *programmes.reference_candidates(src),
        *programmes.list_candidates(src),
    ]
    out = []
    for c in programmes.merged(src, candidates):
        if c.end - c.start > MAX_QUOTE:
            c.start, c.end = src.clip(c.start, c.end, c.start, c.start + 1)
        if c.fields.get("phase") and c.fields.get("programme"):
            c.project_id = f"{programmes.project_id_for(c.fields['programme'])}-phase-{c.fields['phase']}"
        out.append(c)
    return out


def _columns(c: programmes.Candidate, project_id: str) -> dict:
    f = c.fields
    return dict(
        project_id=project_id,
        title=c.title,
        programme=f.get("programme"),
        phase=f.get("phase"),
        start_date=f.get("start_date"),
        end_date=f.get("end_date"),
        duration_text=f.get("duration_text"),
        duration_months=f.get("duration_months"),
        budget_amount=f.get("budget_amount"),
        budget_currency=f.get("budget_currency"),
        funder=f.get("funder"),
        iai_work_plan=f.get("iai_work_plan"),
        participants=f.get("participants"),
        approximate=bool(f.get("approximate", False)),
    )


def _participants(src: Source, pos: int, phase: int) -> tuple[int | None, str | None]:
    """People trained in this phase, stated in a bullet of the same slide."""
    a, b = src.segment_of(pos)
    for m in TRAINED_IN_PHASE.finditer(src.folded, a, b):
        if int(m["n"]) == phase:
            return int(m["people"].replace(",", "")), f"participants from: {src.text[m.start() : m.end()]}"
    return None, None


FAMILY = Family("projects", tables=("projects",), extract=extract_projects)
