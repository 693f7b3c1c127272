"""Dagster wiring: assets, blocking checks, jobs, the sensor and the schedule. Nothing else.

Lineage: ``document_facts`` (one dynamic partition per file in raw/: the decoded document, every
table's facts and the coverage report) -> one table asset per published table, each guarded
by blocking Pandera and provenance checks -> ``warehouse`` (DuckDB) -> ``data_package`` (the release).
Keep logic out of this module: every asset body calls a plain, tested function.
"""

import functools
import os
import warnings
from pathlib import Path

import dagster as dg
import pandas as pd

from pipelines import extract as extraction
from pipelines.catalogue import write_catalogue
from pipelines.documents import Document, read_document
from pipelines.extract import extractor_version
from pipelines.extract.coverage import coverage_markdown
from pipelines.orchestration.automation import build_automation
from pipelines.orchestration.execution import checks_passed_in_run
from pipelines.orchestration.extraction import extract_batch
from pipelines.orchestration.progress import advance_active, pause_for_tests, progress_of
from pipelines.orchestration.resources import LOAD_IN_STEP, PickleStore, Project, StoredTable, StoredTables
from pipelines.orchestration.staleness import EXTRACTION_BATCH
from pipelines.publish.citation import CITATION_FILE, write_citation
from pipelines.publish.package import document_texts
from pipelines.publish.quotes import validate_values_in_quotes
from pipelines.publish.release import publish_tables
from pipelines.publish.tables import documents_frame, frame
from pipelines.publish.twins import link_twins
from pipelines.publish.warehouse import write_warehouse
from pipelines.quality import QUALITY_CORPUS_DIR, quality_files, quality_report
from pipelines.raw_sources import read_sources
from schemas.tables import FACT_TABLES, TABLES, ValueInQuote
from schemas.validation import validate_cross_table, validate_provenance, validate_table

# BackfillPolicy is "beta" in Dagster 1.13 (it is public and documented): the warning would print on
# every command.
warnings.filterwarnings("ignore", message="Parameter `backfill_policy`", category=dg.BetaWarning)
documents_partitions = dg.DynamicPartitionsDefinition(name="documents")
FACT_TABLE_NAMES = extraction.FACT_TABLE_NAMES


# --- Per document ---------------------------------------------------------------------------------


# A backfill launched from the UI materialises its partitions as make release and the sensor do.
EXTRACTION_BACKFILL = dg.BackfillPolicy.multi_run(max_partitions_per_run=EXTRACTION_BATCH)


def _by_partition(context: dg.AssetExecutionContext, values: dict):
    """A step's value as PickleStore stores it: by partition key for several partitions, the value
    itself for one (as Dagster's own IO managers)."""
    return values if len(values) > 1 else values[context.partition_key]


@dg.asset(
    partitions_def=documents_partitions,
    backfill_policy=EXTRACTION_BACKFILL,
    group_name="extracted",
    description=(
        "A document of raw/: its decoded text and the metadata it states, its facts for every fact table "
        "and the coverage of its number and date expressions."
    ),
)
def document_facts(context: dg.AssetExecutionContext, project: Project):
    # One asset per document, not one per table nor one for the decoded text: each materialization
    # of a partition is two events written to the event log (planned and done), and at archive scale
    # those writes were most of a full run (BENCHMARKS.md).
    docs = {key: read_document(project.raw_dir / key) for key in context.partition_keys}
    with progress_of("extracting", "extracted", len(docs), "documents") as progress:
        extracted = extract_batch(docs, progress.advance)
    code_version = extractor_version()
    for key, (facts, report) in extracted.items():
        doc = docs[key]
        context.add_asset_metadata(
            {
                # What staleness compares (staleness.why_stale): these bytes, this extractor code.
                "sha256": doc.sha256,
                "extractor_version": code_version,
                "n_chars": doc.n_chars,
                "encoding": doc.encoding,
                "title": doc.title or "",
                "language": doc.language,
                "published": doc.published or "",
                "coverage_pct": report["coverage_pct"],
                "uncovered": len(report["uncovered"]),
                "facts": sum(len(v) for v in facts.values()),
                "facts_by_table": {table: len(facts[table]) for table in FACT_TABLE_NAMES},
            },
            partition_key=key,
        )
    return _by_partition(
        context,
        {
            key: {"document": docs[key], "facts": facts, "coverage": report}
            for key, (facts, report) in extracted.items()
        },
    )


# --- Tables, each guarded by blocking checks ------------------------------------------------------


def _preview(df: pd.DataFrame) -> dict:
    return {
        "rows": len(df),
        "preview": dg.MetadataValue.md(df.head(10).to_markdown(index=False))
        if len(df)
        else dg.MetadataValue.md("(empty)"),
    }


def _documents(document_facts: dict[str, dict]) -> list[Document]:
    """The decoded documents of document_facts' partitions, in partition key order."""
    return [document_facts[key]["document"] for key in sorted(document_facts)]


@dg.asset(group_name="tables", ins={"document_facts": dg.AssetIn()}, description=TABLES["documents"].description)
def documents(project: Project, document_facts: dict[str, dict]) -> dg.Output[pd.DataFrame]:
    docs = _documents(document_facts)
    # raw/sources.csv is read here, in every release run, and never by extraction: a change to it
    # changes this table (a new version) without re-extracting a document.
    sources = read_sources(project.raw_dir, {d.file_name for d in docs})
    df = documents_frame(docs, sources)
    return dg.Output(df, metadata=_preview(df))


def _fact_table_asset(table_name: str) -> dg.AssetsDefinition:
    @dg.asset(
        name=table_name,
        group_name="tables",
        ins={"document_facts": dg.AssetIn()},
        description=TABLES[table_name].description,
    )
    def _table(document_facts: dict[str, dict]) -> dg.Output[pd.DataFrame]:
        rows = [row for key in sorted(document_facts) for row in document_facts[key]["facts"][table_name]]
        df = link_twins(table_name, frame(table_name, rows))
        by_doc = df.groupby("document_id").size().to_dict() if len(df) else {}
        return dg.Output(df, metadata={**_preview(df), "facts_per_document": by_doc})

    return _table


def _schema_check(table_name: str) -> dg.AssetChecksDefinition:
    @dg.asset_check(
        asset=table_name,
        name="pandera_schema",
        blocking=True,
        description=f"Pandera schema of {table_name}: types, constraints, keys, cross-checks.",
    )
    def _check(df: pd.DataFrame) -> dg.AssetCheckResult:
        failure = validate_table(table_name, df)
        return dg.AssetCheckResult(
            passed=failure is None, metadata={"rows": len(df)}, description=str(failure) if failure else None
        )

    return _check


def _provenance_check(table_name: str) -> dg.AssetChecksDefinition:
    @dg.asset_check(
        asset=table_name,
        name="quotes_match_text",
        blocking=True,
        additional_ins={"document_facts": dg.AssetIn()},
        description="Every quote equals the document text between its offsets.",
    )
    def _check(df: pd.DataFrame, document_facts: dict[str, dict]) -> dg.AssetCheckResult:
        texts = {d.document_id: d.text for d in _documents(document_facts)}
        failure = validate_provenance(table_name, df, texts)
        return dg.AssetCheckResult(passed=failure is None, description=str(failure) if failure else None)

    return _check


def _values_check(table_name: str) -> dg.AssetChecksDefinition:
    @dg.asset_check(
        asset=table_name,
        name="values_match_quotes",
        blocking=True,
        description="Every value stated in a quote is the one the normalisers read back from that quote alone.",
    )
    def _check(df: pd.DataFrame) -> dg.AssetCheckResult:
        failure = validate_values_in_quotes(table_name, df)
        return dg.AssetCheckResult(passed=failure is None, description=str(failure) if failure else None)

    return _check


@dg.asset_check(
    asset="indicators",
    name="asean_population_is_sum_of_members",
    blocking=True,
    additional_ins={"memberships": dg.AssetIn()},
    description="ASEAN population ≈ the sum of its members' populations stated in the same document.",
)
def asean_population_check(indicators: pd.DataFrame, memberships: pd.DataFrame) -> dg.AssetCheckResult:
    failure = validate_cross_table({"indicators": indicators, "memberships": memberships})
    return dg.AssetCheckResult(passed=failure is None, description=str(failure) if failure else None)


fact_table_assets = [_fact_table_asset(t.name) for t in FACT_TABLES]
table_checks = (
    [_schema_check(name) for name in TABLES]
    + [_provenance_check(t.name) for t in FACT_TABLES]
    + [_values_check(t.name) for t in FACT_TABLES if any(isinstance(r, ValueInQuote) for r in t.rules)]
    + [asean_population_check]
)
# The steps that read every table (warehouse, data_package) load them one at a time (StoredTables).
TABLES_LOADED_IN_STEP = {name: dg.AssetIn(name, metadata={LOAD_IN_STEP: True}) for name in TABLES}


@dg.asset(
    group_name="release",
    ins={"document_facts": dg.AssetIn()},
    description="Coverage of every document's number and date expressions.",
)
def coverage_report(document_facts: dict[str, dict]) -> dg.Output[dict]:
    reports = [document_facts[k]["coverage"] for k in sorted(document_facts)]
    markdown = coverage_markdown(reports)
    return dg.Output(
        {"documents": reports, "markdown": markdown},
        metadata={
            "coverage_pct": {r["document_id"]: r["coverage_pct"] for r in reports},
            "uncovered": {r["document_id"]: len(r["uncovered"]) for r in reports},
            "report": dg.MetadataValue.md(markdown[:20000]),
        },
    )


@dg.asset(group_name="release", ins=TABLES_LOADED_IN_STEP, description="The pipeline's DuckDB warehouse (git-ignored).")
def warehouse(project: Project, **tables: StoredTable) -> dg.MaterializeResult:
    counts = write_warehouse(project.warehouse_path, StoredTables(tables), project.releases_dir)
    return dg.MaterializeResult(metadata={"path": str(project.warehouse_path), "rows": counts})


def _materialized_in_this_run(context: dg.AssetExecutionContext, asset: dg.AssetsDefinition) -> bool:
    latest = context.instance.get_latest_materialization_event(asset.key)
    return latest is not None and latest.run_id == context.run_id


def _checks_passed_in_this_run(context: dg.AssetExecutionContext) -> bool:
    return checks_passed_in_run(
        context.instance, (key for check in table_checks for key in check.check_keys), context.run_id
    )


# Not named "release": its op would share that name with the job "release", and Dagster then refuses
# to load the code location (dagster dev, the daemon, `dagster definitions validate`).
@dg.asset(
    group_name="release",
    ins={**TABLES_LOADED_IN_STEP, "coverage_report": dg.AssetIn()},
    deps=[warehouse],
    description="A versioned data package under releases/, when the data changed.",
)
def data_package(
    context: dg.AssetExecutionContext, project: Project, coverage_report: dict, **stored: StoredTable
) -> dg.MaterializeResult:
    tables = StoredTables(stored)
    # A run that selects only this asset must never publish unchecked data: unless every blocking
    # check passed in this very run, publish_tables validates every table again, against the texts
    # in raw/ (read only then, or to ship them in sources/ when a version is published: the
    # documents' texts are most of what a release run holds).
    already_validated = _checks_passed_in_this_run(context)
    texts = functools.cache(lambda: document_texts(project.raw_dir, tables["documents"]))
    # The warehouse built in this run holds these very tables: the release ships a copy of it.
    database = project.warehouse_path if _materialized_in_this_run(context, warehouse) else None
    outcome = publish_tables(
        tables,
        texts,
        coverage_report,
        project.releases_dir,
        already_validated=already_validated,
        database=database,
        # How well this extractor version does on annotated real pages travels with the data it
        # extracted; scored only when a version is published.
        reports=lambda: quality_files(quality_report(QUALITY_CORPUS_DIR)),
    )
    context.log.info(outcome.message)
    # The page is not part of any version: brought up to date after every publish, and when nothing
    # is published too, in case a crash or an older publisher left it missing or stale (it is
    # rewritten only when its bytes would change). Rendered from what releases/ holds.
    write_catalogue(project.releases_dir)
    # The repository's CITATION.cff follows the latest release the same way.
    write_citation(project.releases_dir, Path(project.root) / CITATION_FILE)
    return dg.MaterializeResult(
        metadata={
            "version": outcome.version or "",
            "published": outcome.published,
            "message": outcome.message,
            "documents": outcome.rows["documents"],
            "rows": dict(sorted(outcome.rows.items())),
            "path": str(outcome.path or ""),
        }
    )


# The assets stored once per document (<storage>/<asset>/<document>): extracting a document rewrites them.
PER_DOCUMENT_ASSET_NAMES = frozenset(key.path[-1] for key in document_facts.keys)

# --- Jobs -----------------------------------------------------------------------------------------

per_document_assets = dg.AssetSelection.assets(document_facts)
release_assets = dg.AssetSelection.assets(documents, *fact_table_assets, coverage_report, warehouse, data_package)

extract_document_job = dg.define_asset_job(
    "extract_document",
    selection=per_document_assets,
    partitions_def=documents_partitions,
    executor_def=dg.in_process_executor,
    description="Decode and extract documents: a run per batch of partitions, its work spread over the cores.",
)


@dg.success_hook(name="count_step_done")
def count_step_done(context: dg.HookContext) -> None:
    """Counts a finished step of the release run in `make release`'s progress (progress.py)."""
    advance_active()
    pause_for_tests("publishing")


release_job = dg.define_asset_job(
    "release",
    selection=release_assets,
    executor_def=dg.in_process_executor,
    hooks={count_step_done},
    # The run queue can hold publishing runs to one at a time with this tag (docs/scaling.md).
    tags={"jac/publishes": "releases"},
    description="Build every table from all documents' facts, check them, load DuckDB and publish.",
)


def build_definitions(root: "str | Path" = ".") -> dg.Definitions:
    """The project's definitions, reading and writing under root (tests pass a temporary folder)."""
    raw_documents_sensor, daily_release_schedule = build_automation(extract_document_job, release_job)
    return dg.Definitions(
        assets=[document_facts, documents, *fact_table_assets, coverage_report, warehouse, data_package],
        asset_checks=table_checks,
        jobs=[extract_document_job, release_job],
        sensors=[raw_documents_sensor],
        schedules=[daily_release_schedule],
        resources={"project": Project(root=str(Path(root).resolve())), "io_manager": PickleStore()},
    )


defs = build_definitions(os.environ.get("JAC_PROJECT_ROOT", "."))
