"""The one definition of every published table.

Each column is described once in ``FIELDS`` (type, description, constraints) and
each table once in ``TABLES`` (its columns, primary key, foreign keys and the
columns that identify a fact independently of its value). The Pandera schemas,
Frictionless Table Schemas, DuckDB DDL with ``COMMENT ON`` and the README's data
dictionary are all derived from here (see the sibling modules); nothing else in
the project spells out a column list.

What does not belong here: how the data are extracted, validated or written.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import TypeVar

R = TypeVar("R")

# Partial ISO 8601 dates: the precision the source gives, never more.
PARTIAL_DATE_PATTERN = r"^\d{4}(-\d{2}(-\d{2})?)?$"
ISO3_OR_GROUP_PATTERN = r"^[A-Z][A-Z0-9\-]{1,15}$"
DAY_PATTERN = r"^\d{4}-\d{2}-\d{2}$"
URL_PATTERN = r"^https?://[^\s/?#]+[^\s]*$"


@dataclass(frozen=True)
class Field:
    """One column: its logical type and the rules every value obeys."""

    name: str
    type: str  # string | integer | number | boolean | date (a partial ISO date, stored as text)
    description: str
    required: bool = False
    enum: tuple[str, ...] | None = None
    pattern: str | None = None
    minimum: float | None = None
    maximum: float | None = None
    exclusive_minimum: float | None = None
    max_length: int | None = None
    unit: str | None = None


# --- Rules a table declares besides its columns' own (``schemas.validation`` turns them into checks) ---


@dataclass(frozen=True)
class NotAfter:
    """The partial ISO date in ``first`` is not after the one in ``second`` (at the precision both state)."""

    first: str
    second: str


@dataclass(frozen=True)
class PhasesStartInOrder:
    """Within a programme of a document, a later phase does not start before an earlier one."""


@dataclass(frozen=True)
class CardIsConsistent:
    """On a card (the population, GDP and GDP per capita of one entity in one document and reference
    year), GDP / population equals GDP per capita within ``tolerance``, unless the extractor flagged
    the card: its note then holds ``flag`` (the values are kept as the source states them)."""

    figures: tuple[str, str, str] = ("population", "gdp_usd", "gdp_per_capita_usd")
    tolerance: float = 0.02  # the rounding of the figures on a country card
    flag: str = "inconsistent card"


@dataclass(frozen=True)
class GroupTotalIsSumOfMembers:
    """A group's stated ``indicator`` equals the sum of the figures of the members the same document
    names (``memberships``), within ``tolerance``: members' figures and the total may be of adjacent years."""

    indicator: str = "population"
    group: str = "ASEAN"
    tolerance: float = 0.03


# How the notes an extractor writes begin when a value is not in the row's own quote but in its context
# (the statement or heading before it, the page's date, a figure split over lines); a note beginning
# '<column> from:' says so for that column. The check of values against quotes does not look for them.
VALUE_FROM_CONTEXT = (
    "'today'",
    "the page's date",
    "date of the",
    "year and date",
    "counted from the date",
    "the date stated before it",
    "founding member (established … by)",
    "an item of a list under its heading",
    "value split over two lines",
)
# How the notes begin when only a date's year came from the context: its month and day are checked.
YEAR_FROM_CONTEXT = ("year from", "year of")


@dataclass(frozen=True)
class ValueInQuote:
    """The value in ``column`` is stated in the row's own quote: read back from the quote alone by the
    normalisers (``reader``: "number" for counts, amounts and ratios, "date" for a partial ISO date), it
    is the row's value, sign included. Where a note of the row says the value came from the context
    (it begins with one of ``context_notes``), it is not looked for; where only a date's year did
    (``year_context_notes``), or
    the quote states a day without a month ('21日'), only the parts the quote can state are. A full
    date whose day the quote names as a weekday ('said Monday') is that weekday.
    Checked by ``pipelines.publish.quotes``."""

    column: str
    reader: str  # number | date
    context_notes: tuple[str, ...] = VALUE_FROM_CONTEXT
    year_context_notes: tuple[str, ...] = YEAR_FROM_CONTEXT


@dataclass(frozen=True)
class Plausible:
    """The number in ``column`` lies within physical bounds (``minimum`` and ``maximum`` inclusive,
    ``above`` exclusive) on the rows where every ``(column, regex)`` of ``where`` fullmatches (every
    row when empty): no population of 1e19 persons, no negative GDP, no country larger than Russia x 1.2."""

    column: str
    minimum: float | None = None
    maximum: float | None = None
    above: float | None = None
    where: tuple[tuple[str, str], ...] = ()

    @property
    def description(self) -> str:
        low = (
            f"> {self.above:g}"
            if self.above is not None
            else f">= {self.minimum:g}"
            if self.minimum is not None
            else ""
        )
        high = f"<= {self.maximum:g}" if self.maximum is not None else ""
        when = " and ".join(f"{c} ~ {r!r}" for c, r in self.where)
        return f"{self.column} {' and '.join(x for x in (low, high) if x)}" + (f" where {when}" if when else "")


Rule = NotAfter | PhasesStartInOrder | CardIsConsistent | GroupTotalIsSumOfMembers | ValueInQuote | Plausible

# Dates are of the post-war cooperation the documents describe, and of plans: a year outside is a misreading.
DATE_YEARS = (1945, 2100)
# Largest plausible figures: people (the world holds about 8e9), money in US dollars or yen (the world's GDP is
# about 1e14 US dollars), a country's area (Russia: 1.7e7 km²) and the Earth's surface.
MAX_PERSONS = 1e10
MAX_MONEY = 1e15
MAX_COUNTRY_AREA_KM2 = 2e7
MAX_AREA_KM2 = 5.1e8
_COUNTRY = r"(?!WLD)[A-Z]{3}"  # an ISO 3166-1 alpha-3 code (WLD, the world, is a reference, not a country)


@dataclass(frozen=True)
class Table:
    """One table: its columns in order, keys, and the columns that name a fact."""

    name: str
    title: str
    description: str
    fields: tuple[Field, ...]
    primary_key: tuple[str, ...]
    # Columns (besides document_id) that say *which* fact a row is, not its value:
    # they make the row id stable when a value in the source changes.
    identity: tuple[str, ...] = ()
    # Columns that name the same fact in a document's twin in the other language (values, not words).
    twin_key: tuple[str, ...] = ()
    foreign_keys: tuple[tuple[str, str, str], ...] = ()  # (column, table, column)
    is_fact_table: bool = True
    # Checks across the columns of a row, across rows, or across tables, besides each column's own.
    rules: tuple[Rule, ...] = ()
    # What a reader must know before summing, counting or comparing the rows (as PUDL's data dictionary
    # warns): shown in the README dictionary, the catalogue, the DuckDB comments and datapackage.json.
    usage_warnings: tuple[str, ...] = ()

    @property
    def field_names(self) -> list[str]:
        return [f.name for f in self.fields]

    def field(self, name: str) -> Field:
        return next(f for f in self.fields if f.name == name)

    @property
    def usage_text(self) -> str:
        """The usage warnings as one paragraph (empty when there are none), for one-line places."""
        return " ".join(f"Warning: {w}" for w in self.usage_warnings)

    def rule(self, kind: type[R]) -> R:
        """The table's one rule of this kind."""
        return next(r for r in self.rules if isinstance(r, kind))


def _f(name: str, type_: str, description: str, **kw) -> Field:
    return Field(name, type_, description, **kw)


# --- Columns, each defined once -------------------------------------------------
FIELDS: dict[str, Field] = {
    f.name: f
    for f in [
        _f(
            "document_id",
            "string",
            "Readable slug of the source document (its file name without extension).",
            required=True,
            pattern=r"^[a-z0-9][a-z0-9\-]*$",
        ),
        _f("file_name", "string", "File name of the raw document in raw/.", required=True),
        _f("title", "string", "Title as the source states it."),
        _f("language", "string", "Language of the document (ISO 639-1).", required=True, enum=("ja", "en")),
        _f(
            "publisher",
            "string",
            "Publisher as the document states it; where it names none, the site of its `url` (a known publisher "
            "of the field by its web domain, else the site's registered name); null when neither says.",
        ),
        _f(
            "published",
            "date",
            "Publication date as the document states it, at its precision; null when it does not say.",
            pattern=PARTIAL_DATE_PATTERN,
        ),
        _f("sha256", "string", "SHA-256 of the raw bytes of the document.", required=True, pattern=r"^[0-9a-f]{64}$"),
        _f("n_chars", "integer", "Length of the decoded text in Unicode code points.", required=True, minimum=0),
        _f(
            "url",
            "string",
            "Address the raw file was downloaded from (raw/sources.csv); null when no URL is known, and "
            "source_note then says so.",
            pattern=URL_PATTERN,
        ),
        _f(
            "accessed",
            "date",
            "Day the raw file was downloaded (raw/sources.csv); null when it was not recorded, and source_note "
            "then says so.",
            pattern=DAY_PATTERN,
        ),
        _f(
            "licence",
            "string",
            "Terms of use of the document as its publisher states them (raw/sources.csv); null when not known.",
        ),
        _f(
            "source_note",
            "string",
            "Where the raw file came from, in words (raw/sources.csv): how it was found, and why a URL, access "
            "date or licence is missing (e.g. 'no URL known: ...').",
        ),
        _f(
            "char_start",
            "integer",
            "0-based offset of the quote in the decoded document text (code points).",
            required=True,
            minimum=0,
        ),
        _f(
            "char_end",
            "integer",
            "End offset (exclusive) of the quote in the decoded document text.",
            required=True,
            minimum=1,
        ),
        _f(
            "page",
            "integer",
            "1-based page of a PDF document the quote starts on; null for other documents.",
            minimum=1,
        ),
        _f(
            "quote",
            "string",
            "Exactly text[char_start:char_end]: the shortest span that states the fact.",
            required=True,
            max_length=400,
        ),
        _f("notes", "string", "Flags raised while reading this fact: source errors resolved by a rule, context used."),
        _f("same_as", "string", "Id of the same fact in the document's twin in the other language, when there is one."),
        _f(
            "fact_id",
            "string",
            "Stable id of the fact: document, table and the fact's identity (not its value).",
            required=True,
        ),
        _f(
            "entity_code",
            "string",
            "ISO 3166-1 alpha-3 code of the country, or ASEAN for the grouping.",
            required=True,
            pattern=ISO3_OR_GROUP_PATTERN,
        ),
        _f(
            "indicator",
            "string",
            "What is measured: population, gdp_usd, gdp_per_capita_usd, area_km2, trade_usd, member_countries, "
            "or <indicator>_ratio_to_<CODE> for a comparison (e.g. area_km2_ratio_to_WLD).",
            required=True,
        ),
        _f("value", "number", "The stated value in base units (persons, US dollars, yen, km², ratio).", required=True),
        _f(
            "reference_year",
            "integer",
            "Year the value refers to, when the source states it.",
            minimum=1900,
            maximum=2100,
        ),
        _f(
            "approximate",
            "boolean",
            "The source marks the value as approximate (約, about, nearly, 規模, +).",
            required=True,
        ),
        _f("name", "string", "Name as written in the source.", required=True),
        _f(
            "date",
            "date",
            "When it happened or is planned, at the precision the source gives.",
            pattern=PARTIAL_DATE_PATTERN,
        ),
        _f(
            "end_date",
            "date",
            "End of a date range; null unless the source states a range.",
            pattern=PARTIAL_DATE_PATTERN,
        ),
        _f("description", "string", "What happened, in the source's words, trimmed.", required=True),
        _f("project_id", "string", "Stable slug of the project or phase.", required=True),
        _f("programme", "string", "Parent programme of a phase; null for a programme or a stand-alone project."),
        _f("phase", "integer", "Phase number, when the row is a phase.", minimum=1),
        _f("start_date", "date", "Start, at the precision the source gives.", pattern=PARTIAL_DATE_PATTERN),
        _f("duration_text", "string", "Length as written (3年間, 2 years, 2週間), when the source gives one."),
        _f(
            "duration_months",
            "number",
            "Length in months, when the source gives one in years or months.",
            minimum=0,
            unit="months",
        ),
        _f("budget_amount", "number", "Budget in base currency units.", exclusive_minimum=0),
        _f("budget_currency", "string", "ISO 4217 code of the budget.", pattern=r"^[A-Z]{3}$"),
        _f("funder", "string", "Who pays (JAIF, JAGEF, JICA, JPN...), as the source says."),
        _f("iai_work_plan", "string", "IAI Work Plan the project belongs to.", enum=("I", "II", "III", "IV")),
        _f(
            "participants",
            "integer",
            "People trained or planned to be trained, when stated.",
            minimum=0,
            unit="persons",
        ),
        _f(
            "host_country",
            "string",
            "ISO 3166-1 alpha-3 code of the host country; null for an online meeting.",
            pattern=r"^[A-Z]{3}$",
        ),
        _f("city", "string", "City as written; null unless stated."),
        _f(
            "special_50th",
            "boolean",
            "The source marks the meeting as a 50th-anniversary special meeting.",
            required=True,
        ),
        _f("recurrence", "string", "How often it is held, as written (e.g. 1977年から毎年開催)."),
        _f("amount", "number", "Amount of money in base currency units.", required=True, exclusive_minimum=0),
        _f("currency", "string", "ISO 4217 currency code.", required=True, pattern=r"^[A-Z]{3}$"),
        _f("period", "string", "Period the money covers, as written (e.g. 3年間（2020年～2022年）)."),
        _f("channel", "string", "Through what the money flows (JAIF, JICA, JBIC...), as the source says."),
        _f(
            "kind",
            "string",
            "What the money is: the form it takes where the source names one (loan, grant, investment, investment "
            "and loan, contribution), else what is done with it (mobilisation target, disbursement), else pledge "
            "(announced or promised) or assistance.",
            required=True,
            enum=(
                "pledge",
                "contribution",
                "grant",
                "loan",
                "investment",
                "investment and loan",
                "mobilisation target",
                "disbursement",
                "assistance",
            ),
        ),
        _f(
            "recipient",
            "string",
            "Who receives it, where the source says: ASEAN, an ISO 3166-1 alpha-3 code, or the name as written.",
        ),
        _f(
            "organization",
            "string",
            "The organisation, grouping or treaty joined, as the source names it.",
            required=True,
        ),
        _f(
            "member_code",
            "string",
            "ISO 3166-1 alpha-3 code of the member, or an organisation code.",
            required=True,
            pattern=ISO3_OR_GROUP_PATTERN,
        ),
        _f(
            "status",
            "string",
            "Membership status.",
            required=True,
            enum=("member", "observer", "applicant", "non-member"),
        ),
        _f(
            "joined",
            "date",
            "When the member joined or the status began; null unless stated.",
            pattern=PARTIAL_DATE_PATTERN,
        ),
        _f("subject", "string", "What is counted, in the source's words.", required=True),
        _f("unit", "string", "Unit of the value (persons, countries, events, percent, papers, ...).", required=True),
    ]
}


def _fields(*names: str, overrides: dict[str, dict] | None = None) -> tuple[Field, ...]:
    overrides = overrides or {}
    return tuple(replace(FIELDS[n], **overrides.get(n, {})) for n in names)


# What raw/sources.csv records of each raw file, joined into the documents table (its note as source_note).
SOURCE_COLUMNS = ("url", "accessed", "licence", "source_note")
PROVENANCE = ("document_id", "char_start", "char_end", "page", "quote", "notes")
_DOC_FK = (("document_id", "documents", "document_id"),)


def _fact_table(
    name: str,
    title: str,
    description: str,
    columns: tuple[str, ...],
    identity: tuple[str, ...],
    twin_key: tuple[str, ...],
    overrides: dict[str, dict] | None = None,
    rules: tuple[Rule, ...] = (),
    usage_warnings: tuple[str, ...] = (),
) -> Table:
    return Table(
        name=name,
        title=title,
        description=description,
        fields=_fields("fact_id", *columns, *PROVENANCE, "same_as", overrides=overrides),
        primary_key=("fact_id",),
        identity=identity,
        twin_key=twin_key,
        foreign_keys=_DOC_FK,
        rules=rules,
        usage_warnings=usage_warnings,
    )


_REPEATED = (
    "A statement may be repeated: on several slides of one document, in several documents, and in a document's "
    "twin in the other language (`same_as` links the pair where it is found); count or sum distinct facts, not rows."
)
_AS_OF_DOCUMENT = (
    "`date` is empty on most rows: the figure is then as of its document (see `documents.published`), not of today."
)


TABLES: dict[str, Table] = {
    t.name: t
    for t in [
        Table(
            name="documents",
            title="Source documents",
            description="One row per raw document: where every fact comes from.",
            fields=_fields(
                "document_id",
                "file_name",
                "title",
                "language",
                "publisher",
                "published",
                "sha256",
                "n_chars",
                *SOURCE_COLUMNS,
            ),
            primary_key=("document_id",),
            is_fact_table=False,
            usage_warnings=(
                "A source published in two languages is two documents (`<name>-en`, `<name>-ja`), twins whose facts "
                "are linked across them (`events.same_as`, and the same column of every fact table): count sources, "
                "not rows, when it matters.",
            ),
        ),
        _fact_table(
            "indicators",
            "Statistics of countries and groupings",
            "Population, GDP, GDP per capita, area, trade and comparisons stated for ASEAN and its members.",
            ("entity_code", "indicator", "value", "reference_year", "approximate"),
            ("entity_code", "indicator", "reference_year"),
            ("entity_code", "indicator", "reference_year"),
            rules=(
                CardIsConsistent(),
                GroupTotalIsSumOfMembers(),
                ValueInQuote("value", "number"),
                # Every indicator is a size, a count or a ratio of sizes: positive.
                Plausible("value", above=0),
                Plausible("value", maximum=MAX_PERSONS, where=(("indicator", "population"),)),
                Plausible("value", maximum=MAX_MONEY, where=(("indicator", r"(gdp|gdp_ppp|trade)_usd"),)),
                Plausible("value", maximum=1e6, where=(("indicator", "gdp_per_capita_usd"),)),
                Plausible("value", maximum=MAX_AREA_KM2, where=(("indicator", "area_km2"),)),
                Plausible(
                    "value", maximum=MAX_COUNTRY_AREA_KM2, where=(("indicator", "area_km2"), ("entity_code", _COUNTRY))
                ),
                Plausible("value", minimum=1, maximum=250, where=(("indicator", "member_countries"),)),
            ),
            usage_warnings=(
                "Read `value` with its `indicator`: population in persons, GDP in US dollars, area in km²; an "
                "`<indicator>_ratio_to_<CODE>` row is a ratio (how many times the other entity's figure), not an amount.",
                "`reference_year` is empty where the source does not state it (most rows): the figure is as of its "
                "document (`documents.published`), so compare figures of different documents with care.",
                _REPEATED,
                "A card whose figures disagree is kept as stated and flagged `inconsistent card` in `notes`; "
                "`approximate` marks figures the source rounds (約, about).",
            ),
        ),
        _fact_table(
            "leaders",
            "Leaders",
            "Heads of state or government (and the Secretary-General of ASEAN) named with their title, one row per person per document.",
            ("entity_code", "name", "title"),
            ("entity_code",),
            ("entity_code",),
            overrides={
                "title": {"description": "Title as written (首相, 大統領, 国王, 国家主席, 総理...).", "required": True}
            },
            usage_warnings=(
                "A row is a person the document names in a leader's role at the time it speaks of, not who holds it "
                "today: one country may have several rows (e.g. successive prime ministers of Japan).",
                "`ASEAN` rows name the grouping's Secretary-General, not a head of state or government.",
            ),
        ),
        _fact_table(
            "events",
            "Dated events",
            "One row per dated statement of something that happened or is planned.",
            ("date", "end_date", "description"),
            ("date", "description"),
            ("date", "end_date"),
            rules=(NotAfter("date", "end_date"), ValueInQuote("date", "date"), ValueInQuote("end_date", "date")),
            usage_warnings=(
                _REPEATED,
                "`date` has the precision the source gives (`2023`, `2023-12` or `2023-12-17`): compare at the "
                "coarsest precision both have, never pad a year to January 1st.",
                "A year read from context (本年, last year, the slide's only year) says so in `notes`.",
            ),
        ),
        _fact_table(
            "projects",
            "Projects, programmes and phases",
            "Cooperation projects, programmes and their phases with dates, budgets and people trained.",
            (
                "project_id",
                "title",
                "programme",
                "phase",
                "start_date",
                "end_date",
                "duration_text",
                "duration_months",
                "budget_amount",
                "budget_currency",
                "funder",
                "iai_work_plan",
                "participants",
                "approximate",
            ),
            ("project_id",),
            ("project_id",),
            rules=(
                NotAfter("start_date", "end_date"),
                PhasesStartInOrder(),
                ValueInQuote("budget_amount", "number"),
                ValueInQuote("participants", "number"),
                ValueInQuote("start_date", "date"),
                ValueInQuote("end_date", "date"),
                Plausible("budget_amount", maximum=MAX_MONEY),
                Plausible("participants", maximum=MAX_PERSONS),
                Plausible("duration_months", maximum=1200),
            ),
            usage_warnings=(
                "`budget_amount` mixes currencies (US dollars and yen): read `budget_currency`; no amount is converted. "
                "It is empty on most rows.",
                "A programme's phases are rows of their own (`programme`, `phase`), each with its own budget: add up a "
                "programme's phases only where every phase states a budget in the same currency.",
                _REPEATED,
            ),
        ),
        _fact_table(
            "meetings",
            "Japan–ASEAN meetings",
            "Japan–ASEAN summits and ministerial meetings.",
            ("date", "end_date", "host_country", "city", "name", "special_50th", "recurrence"),
            ("name", "date"),
            ("date", "host_country"),
            rules=(NotAfter("date", "end_date"), ValueInQuote("date", "date"), ValueInQuote("end_date", "date")),
            usage_warnings=(
                "A year read from a table caption says so in `notes`; `date` has the precision the source gives.",
                _REPEATED,
            ),
        ),
        _fact_table(
            "commitments",
            "Money pledged, contributed, lent or disbursed",
            "Amounts of money pledged, contributed, granted, lent, invested, mobilised or disbursed (mostly by Japan), "
            "one row per amount, with its kind, funder, channel and recipient.",
            (
                "amount",
                "currency",
                "approximate",
                "kind",
                "date",
                "period",
                "funder",
                "channel",
                "recipient",
                "description",
            ),
            ("description",),
            ("amount", "currency"),
            rules=(
                ValueInQuote("amount", "number"),
                ValueInQuote("date", "date"),
                Plausible("amount", maximum=MAX_MONEY),
            ),
            usage_warnings=(
                "Amounts mix currencies (US dollars and yen): read `currency` before summing or comparing; no amount "
                "is converted.",
                "`kind` says what the money is: a pledge, a loan, a disbursement and a mobilisation target are different "
                "things, and one sum of money may appear as a pledge and again as what was disbursed; do not add "
                "rows of different kinds into one total.",
                _REPEATED,
                _AS_OF_DOCUMENT,
            ),
        ),
        _fact_table(
            "memberships",
            "Memberships",
            "Who joined what and when.",
            ("organization", "member_code", "status", "joined"),
            ("organization", "member_code", "status"),
            ("organization", "member_code", "status"),
            rules=(ValueInQuote("joined", "date"),),
            usage_warnings=(
                "Rows include `non-member`, `applicant` and `observer` statuses: filter on `status` before counting "
                "members.",
                "A status is as the document states it on its date (`documents.published`); `joined` is empty unless "
                "the source says when.",
            ),
        ),
        _fact_table(
            "metrics",
            "Other stated quantities",
            "Every other stated quantity: people trained, events held, staff, countries, percentages...",
            ("subject", "value", "unit", "date", "approximate"),
            ("subject", "unit", "date"),
            ("value", "unit"),
            rules=(
                ValueInQuote("value", "number"),
                ValueInQuote("date", "date"),
                # A count is not negative (a percentage may be: a fall); people and money within the world's.
                Plausible("value", minimum=0, where=(("unit", "(?!percent$).*"),)),
                Plausible("value", maximum=MAX_PERSONS, where=(("unit", "persons"),)),
                Plausible("value", maximum=MAX_MONEY, where=(("unit", "USD|JPY"),)),
            ),
            usage_warnings=(
                "A metric's `value` means nothing without its `unit` and `subject` read together: rows with the same "
                "unit count different things (persons trained, persons employed...) and must not be summed.",
                _REPEATED,
                _AS_OF_DOCUMENT,
            ),
        ),
    ]
}

FACT_TABLES = tuple(t for t in TABLES.values() if t.is_fact_table)

# raw/sources.csv: where each raw file came from, kept beside the files and joined into ``documents``
# (``pipelines.raw_sources`` reads, checks and writes it). Not a published table.
RAW_SOURCES = Table(
    name="sources",
    title="Where each raw file came from",
    description="raw/sources.csv: one row per file of raw/, sorted by file name; a row without a URL or access "
    "date says why in its note.",
    fields=_fields("file_name", *SOURCE_COLUMNS[:-1]) + (replace(FIELDS["source_note"], name="note"),),
    primary_key=("file_name",),
    is_fact_table=False,
)
