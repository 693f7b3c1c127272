"""Unattended runs: the raw/ sensor, the daily schedule, incremental extraction, the Dagster wiring.

The sensor is evaluated as the daemon evaluates it (``evaluate_tick`` with the definitions, an
instance and a cursor) over a temporary project whose raw/ holds small documents written here; what
a tick requests is then carried out in-process as the daemon would (partition requests first, then
the runs), so each test follows documents from raw/ to the published CSVs.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import pickle
import shutil
import subprocess
import sys
import uuid
from pathlib import Path

import dagster as dg
import pytest
from conftest import REPO, dagster_home, dagster_instance, make_project

from pipelines.orchestration.definitions import build_definitions
from pipelines.orchestration.execution import QUIET
from pipelines.orchestration.resources import Project
from pipelines.orchestration.runner import run_pipeline
from pipelines.publish.store import read_index
from pipelines.publish.tables import read_csv_table
from schemas.tables import FACT_TABLES, TABLES

# Small documents written for these tests: a couple of dates and numbers each.
DOCS = {
    "a-ja.txt": "日ASEAN協力の概要\n\n2023年12月17日\n外務省\n\n"
    "2023年12月16日から18日まで、東京で日ASEAN特別首脳会議が開催された。\n"
    "日本はJAIFに約1億米ドルを拠出した。\n"
    "2020年から3年間で1,000人の人材を育成した。\n",
    "b-en.txt": "Japan-ASEAN Integration Fund overview\n\n"
    "The Japan-ASEAN Integration Fund (JAIF) was established in March 2006.\n"
    "More than 1,200 officials were trained in 2019.\n",
    "c-ja.txt": "日ASEAN技術協力の記録\n\n"
    "2019年4月から2年間、ベトナムで研修を実施した。\n"
    "研修には約300人が参加した。\n",
}
NEW_DOC = ("d-en.txt", "ASEAN scholarship note\n\nIn July 2021, 45 students received scholarships.\n")
ADDED_SENTENCE = "2024年3月、ハノイで日ASEAN外相会議が開催された。\n"


def _raw(docs: dict[str, str]) -> dict[str, bytes]:
    return {name: text.encode("utf-8") for name, text in docs.items()}


def tick(root: Path, instance, cursor: str | None = None):
    """One sensor evaluation, with the project resource, the instance and the cursor given."""
    defs = build_definitions(root)
    sensor = defs.resolve_sensor_def("raw_documents_sensor")
    with dg.build_sensor_context(
        instance=instance,
        instance_ref=instance.get_ref(),
        cursor=cursor,
        definitions=defs,
        resources={"project": Project(root=str(root))},
    ) as context:
        return sensor.evaluate_tick(context)


def carry_out(root: Path, instance, data) -> list[dg.ExecuteInProcessResult]:
    """What the daemon does with a tick: partition requests first, then every requested run."""
    defs = build_definitions(root)
    for request in data.dynamic_partitions_requests or []:
        if isinstance(request, dg.AddDynamicPartitionsRequest):
            instance.add_dynamic_partitions(request.partitions_def_name, list(request.partition_keys))
        else:
            for key in request.partition_keys:
                instance.delete_dynamic_partition(request.partitions_def_name, key)
    results = []
    for request in data.run_requests or []:
        # Dagster's own tags are its to set, except the partition range a batch run asks for.
        tags = {k: v for k, v in request.tags.items() if not k.startswith("dagster/") or "partition_range" in k}
        results.append(
            defs.resolve_job_def(request.job_name).execute_in_process(
                instance=instance,
                partition_key=request.partition_key,
                tags=tags,
                run_config=QUIET,
                raise_on_error=False,
            )
        )
    return results


def requested(data) -> list[tuple[str, str | None]]:
    """(job, partition or "first...last" for a run over a range of partitions) of each run requested."""
    shown = []
    for r in data.run_requests or []:
        start, end = r.tags.get("dagster/asset_partition_range_start"), r.tags.get("dagster/asset_partition_range_end")
        shown.append((r.job_name, r.partition_key or (start if start == end else f"{start}...{end}")))
    return shown


def partition_requests(data) -> list[tuple[str, list[str]]]:
    return [(type(r).__name__, list(r.partition_keys)) for r in data.dynamic_partitions_requests or []]


def latest_csvs(root: Path) -> dict[str, bytes]:
    folder = root / "releases" / read_index(root / "releases")["latest"] / "data"
    return {p.name: p.read_bytes() for p in sorted(folder.glob("*.csv"))}


def document_ids_in_release(root: Path) -> dict[str, set[str]]:
    csvs = latest_csvs(root)
    return {name: set(read_csv_table(name, csvs[f"{name}.csv"]).document_id) for name in TABLES}


def extraction_records(instance, key: str, asset: str = "document_facts") -> list:
    """Materializations of one document's partition of an asset, newest first."""
    return instance.fetch_materializations(
        dg.AssetRecordsFilter(asset_key=dg.AssetKey(asset), asset_partitions=[key]), limit=100
    ).records


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    """A project whose documents were all extracted and released as 1.0.0 by `make release`'s
    run_pipeline, with its (closed) instance: built once, copied by each test that changes it."""
    base = tmp_path_factory.mktemp("built")
    root = make_project(base / "project", _raw(DOCS))
    with dagster_instance(base / "dagster_home") as instance:
        summary = run_pipeline(root, instance)
    assert summary.extracted == sorted(DOCS) and summary.version == "1.0.0"
    return base


@pytest.fixture
def released(built, tmp_path):
    """A copy of the built project and its instance, and the cursor of a sensor that has seen it:
    (root, instance, cursor)."""
    shutil.copytree(built, tmp_path / "copy")
    root = tmp_path / "copy" / "project"
    with dagster_instance(tmp_path / "copy" / "dagster_home") as instance:
        first = tick(root, instance)
        # A sensor started on an already-built project asks for one release (a no-op publish).
        assert requested(first) == [("release", None)] and not first.dynamic_partitions_requests
        assert first.run_requests[0].tags["jac/trigger"] == "first release request of this sensor"
        yield root, instance, first.cursor


# --- Definitions ----------------------------------------------------------------------------------


def test_definitions_have_the_sensor_and_schedule_targeting_the_jobs(tmp_path):
    defs = build_definitions(tmp_path)
    sensor = defs.resolve_sensor_def("raw_documents_sensor")
    assert sorted(t.job_name for t in sensor.targets) == ["extract_document", "release"]
    assert sensor.minimum_interval_seconds == 30
    schedule = defs.resolve_schedule_def("daily_release")
    assert schedule.job_name == "release"
    assert schedule.cron_schedule == "0 3 * * *" and schedule.execution_timezone == "UTC"
    assert defs.resolve_job_def("extract_document").partitions_def == dg.DynamicPartitionsDefinition(name="documents")
    assert defs.resolve_job_def("release").partitions_def is None
    # The module Dagster loads (workspace.yaml) exposes the same sensor and schedule.
    from pipelines.orchestration.definitions import defs as loaded

    repo = loaded.get_repository_def()
    assert [s.name for s in repo.sensor_defs] == ["raw_documents_sensor"]
    assert [s.name for s in repo.schedule_defs] == ["daily_release"]


@pytest.mark.slow
def test_dagster_definitions_validate_passes(tmp_path):
    home = dagster_home(tmp_path / "dagster_home")
    env = {**os.environ, "PYTHONPATH": str(REPO), "DAGSTER_HOME": str(home)}
    env.pop("JAC_PROJECT_ROOT", None)
    dagster = Path(sys.executable).parent / "dagster"
    done = subprocess.run(
        [str(dagster), "definitions", "validate", "-w", "workspace.yaml"],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    output = done.stdout + done.stderr
    assert done.returncode == 0, output[-4000:]
    assert "Validation successful" in output, output[-4000:]


# --- The sensor -----------------------------------------------------------------------------------


@pytest.mark.slow
def test_new_document_gets_a_partition_and_its_extraction_then_a_release(released):
    root, instance, cursor = released
    name, text = NEW_DOC
    (root / "raw" / name).write_text(text, encoding="utf-8")

    data = tick(root, instance, cursor)
    assert partition_requests(data) == [("AddDynamicPartitionsRequest", [name])]
    assert requested(data) == [("extract_document", name)]  # no release before the extraction
    assert data.cursor == cursor
    assert all(r.success for r in carry_out(root, instance, data))
    assert name in instance.get_dynamic_partitions("documents")

    data = tick(root, instance, cursor)
    assert requested(data) == [("release", None)] and not data.dynamic_partitions_requests
    assert data.run_requests[0].tags["jac/trigger"] == f"added: {name}"
    assert all(r.success for r in carry_out(root, instance, data))
    assert read_index(root / "releases")["latest"] == "1.1.0"  # rows added: minor
    assert "d-en" in document_ids_in_release(root)["documents"]
    assert any("d-en" in ids for table, ids in document_ids_in_release(root).items() if table != "documents")

    after = tick(root, instance, data.cursor)
    assert after.skip_message and "unchanged" in after.skip_message and not after.run_requests


@pytest.mark.slow
def test_changed_document_requests_its_extraction_alone(released):
    root, instance, cursor = released
    with open(root / "raw" / "a-ja.txt", "a", encoding="utf-8") as f:
        f.write(ADDED_SENTENCE)

    data = tick(root, instance, cursor)
    assert requested(data) == [("extract_document", "a-ja.txt")]
    assert not data.dynamic_partitions_requests
    assert data.run_requests[0].tags["jac/trigger"] == "document changed"
    assert all(r.success for r in carry_out(root, instance, data))
    assert [len(extraction_records(instance, k)) for k in sorted(DOCS)] == [2, 1, 1]

    data = tick(root, instance, cursor)
    assert requested(data) == [("release", None)]
    assert data.run_requests[0].tags["jac/trigger"] == "changed: a-ja.txt"
    assert all(r.success for r in carry_out(root, instance, data))
    assert read_index(root / "releases")["latest"] == "1.1.0"


@pytest.mark.slow
def test_document_changed_back_is_extracted_and_released_again(released):
    """Run keys are never reused for different work: Dagster skips a run request whose run key it has
    seen, so a document edited and then restored must still get a new extraction and release."""
    root, instance, cursor = released
    path = root / "raw" / "a-ja.txt"
    original = path.read_bytes()
    run_keys = []
    for content in (original + ADDED_SENTENCE.encode(), original, original + ADDED_SENTENCE.encode()):
        path.write_bytes(content)
        extraction = tick(root, instance, cursor)
        assert requested(extraction) == [("extract_document", "a-ja.txt")]
        assert all(r.success for r in carry_out(root, instance, extraction))
        release = tick(root, instance, cursor)
        assert requested(release) == [("release", None)]
        assert all(r.success for r in carry_out(root, instance, release))
        cursor = release.cursor
        run_keys += [r.run_key for r in extraction.run_requests + release.run_requests]
    assert len(set(run_keys)) == len(run_keys) == 6
    assert [v["version"] for v in read_index(root / "releases")["versions"]] == ["1.3.0", "1.2.0", "1.1.0", "1.0.0"]


@pytest.mark.slow
def test_removed_document_deletes_its_partition_and_its_facts_leave_the_next_release(released):
    root, instance, cursor = released
    assert "b-en" in document_ids_in_release(root)["events"]
    (root / "raw" / "b-en.txt").unlink()

    data = tick(root, instance, cursor)
    assert partition_requests(data) == [("DeleteDynamicPartitionsRequest", ["b-en.txt"])]
    assert requested(data) == [("release", None)]
    assert data.run_requests[0].tags["jac/trigger"] == "removed: b-en.txt"
    assert all(r.success for r in carry_out(root, instance, data))

    assert "b-en.txt" not in instance.get_dynamic_partitions("documents")
    assert read_index(root / "releases")["latest"] == "1.1.0"  # rows removed: minor
    ids = document_ids_in_release(root)
    assert ids["documents"] == {"a-ja", "c-ja"}
    assert all("b-en" not in ids[t.name] for t in FACT_TABLES)
    assert ids["events"]  # the other documents' facts are still there
    assert "unchanged" in tick(root, instance, data.cursor).skip_message


@pytest.mark.slow
def test_unchanged_raw_requests_nothing(released):
    root, instance, cursor = released
    data = tick(root, instance, cursor)
    assert data.skip_message == "raw/ unchanged: 3 documents, all extracted and covered by release request #1"
    assert not data.run_requests and not data.dynamic_partitions_requests and data.cursor == cursor


@pytest.mark.slow
def test_changed_sources_file_requests_a_release_and_no_extraction(released):
    """raw/sources.csv is joined into the documents table, not read by extraction: a change to it alone
    asks for a release run; a bad one holds everything back, naming it and the row."""
    root, instance, cursor = released
    name = sorted(DOCS)[0]
    sources = root / "raw" / "sources.csv"
    sources.write_text(f"file_name,url,accessed,licence,note\n{name},https://example.org/a,2024-05-01,,\n")
    data = tick(root, instance, cursor)
    assert requested(data) == [("release", None)]
    assert data.run_requests[0].tags["jac/trigger"] == "raw/sources.csv changed"
    assert "unchanged" in tick(root, instance, data.cursor).skip_message

    sources.write_text(f"file_name,url,accessed,licence,note\n{name},https://example.org/a,2024-05-41,,\n")
    bad = tick(root, instance, data.cursor)
    assert not bad.run_requests and "raw/sources.csv: row 2" in bad.skip_message and "2024-05-41" in bad.skip_message


@pytest.mark.slow
def test_extractor_code_change_requests_every_document(released, monkeypatch):
    root, instance, cursor = released
    import pipelines.orchestration.automation

    monkeypatch.setattr(pipelines.orchestration.automation, "extractor_version", lambda: "0123456789abcdef")
    data = tick(root, instance, cursor)
    # One run for the batch of every stale document (a range of partitions), not one per document.
    assert requested(data) == [("extract_document", f"{min(DOCS)}...{max(DOCS)}")]
    assert {r.tags["jac/trigger"] for r in data.run_requests} == {"extractor code changed"}


@pytest.mark.slow
def test_latest_extractions_reads_every_document_in_a_few_queries(released, monkeypatch):
    """The last extraction of each document in raw/ (what it read and with which code), fetched in a
    few queries rather than one per document; a document never extracted is left out, and a document
    extracted again is reported by its newest extraction."""
    import pipelines.orchestration.execution
    from pipelines.extract import extractor_version
    from pipelines.orchestration.staleness import latest_extractions

    root, instance, _ = released
    keys = sorted(DOCS) + ["never-extracted.txt"]
    found = latest_extractions(instance, keys)
    assert sorted(found) == sorted(DOCS)
    for key, last in found.items():
        assert last["sha256"] == hashlib.sha256((root / "raw" / key).read_bytes()).hexdigest()
        assert last["extractor_version"] == extractor_version() and isinstance(last["record_id"], int)
    assert sorted(latest_extractions(instance, ["c-ja.txt"])) == ["c-ja.txt"]

    (root / "raw" / "c-ja.txt").write_text(DOCS["c-ja.txt"] + ADDED_SENTENCE, encoding="utf-8")
    assert run_pipeline(root, instance).extracted == ["c-ja.txt"]
    monkeypatch.setattr(pipelines.orchestration.execution, "RECORDS_PER_QUERY", 1)  # one record per query: same answer
    again = latest_extractions(instance, keys)
    assert sorted(again) == sorted(DOCS)
    assert again["c-ja.txt"]["sha256"] == hashlib.sha256((root / "raw" / "c-ja.txt").read_bytes()).hexdigest()
    assert again["c-ja.txt"]["record_id"] > found["c-ja.txt"]["record_id"]
    assert {k: again[k] for k in ("a-ja.txt", "b-en.txt")} == {k: found[k] for k in ("a-ja.txt", "b-en.txt")}


@pytest.mark.slow
def test_bad_document_skips_naming_the_file(tmp_path):
    root = make_project(tmp_path / "project", {**_raw(DOCS), "scan.txt": b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"})
    (root / "raw" / NEW_DOC[0]).write_text(NEW_DOC[1], encoding="utf-8")
    with dagster_instance(tmp_path / "dagster_home") as instance:
        data = tick(root, instance, None)
        assert data.skip_message and "scan.txt" in data.skip_message and "binary" in data.skip_message
        assert not data.run_requests and not data.dynamic_partitions_requests
        assert data.cursor is None
        assert instance.get_dynamic_partitions("documents") == []


@pytest.mark.slow
def test_failed_extraction_holds_the_release_back_and_says_which_run(released, monkeypatch):
    root, instance, cursor = released
    with open(root / "raw" / "c-ja.txt", "a", encoding="utf-8") as f:
        f.write(ADDED_SENTENCE)
    data = tick(root, instance, cursor)
    assert requested(data) == [("extract_document", "c-ja.txt")]

    import pipelines.extract

    def broken(src):
        raise RuntimeError("extractor exploded")

    monkeypatch.setattr(pipelines.extract, "extract_source", broken)
    [result] = carry_out(root, instance, data)
    assert not result.success

    again = tick(root, instance, cursor)
    assert not again.run_requests
    assert "extraction failed for c-ja.txt (run " in again.skip_message
    assert result.run_id[:8] in again.skip_message and "FAILURE" in again.skip_message
    assert again.cursor == cursor  # no release was requested


@pytest.mark.slow
def test_extraction_in_progress_holds_the_release_back_without_asking_twice(released):
    root, instance, cursor = released
    with open(root / "raw" / "a-ja.txt", "a", encoding="utf-8") as f:
        f.write(ADDED_SENTENCE)
    [request] = tick(root, instance, cursor).run_requests
    # The daemon launched the requested run, which has not finished yet.
    run = instance.add_run(
        dg.DagsterRun(
            job_name=request.job_name, run_id=str(uuid.uuid4()), status=dg.DagsterRunStatus.STARTED, tags=request.tags
        )
    )

    again = tick(root, instance, cursor)
    assert not again.run_requests and again.cursor == cursor
    assert again.skip_message == (
        f"waiting for extraction of a-ja.txt (run {run.run_id[:8]} STARTED) before requesting a release"
    )


# --- The schedule ---------------------------------------------------------------------------------


def schedule_tick(root: Path, instance):
    defs = build_definitions(root)
    with dg.build_schedule_context(
        instance=instance,
        resources={"project": Project(root=str(root))},
        scheduled_execution_time=dt.datetime(2030, 1, 1, 3, tzinfo=dt.UTC),
        repository_def=defs.get_repository_def(),
    ) as context:
        return defs.resolve_schedule_def("daily_release").evaluate_tick(context)


@pytest.mark.slow
def test_schedule_releases_only_when_every_document_is_extracted(released):
    root, instance, _ = released
    data = schedule_tick(root, instance)
    assert [r.tags["jac/trigger"] for r in data.run_requests] == ["daily schedule"] and not data.skip_message

    (root / "raw" / NEW_DOC[0]).write_text(NEW_DOC[1], encoding="utf-8")
    data = schedule_tick(root, instance)
    assert not data.run_requests
    assert "release postponed" in data.skip_message and NEW_DOC[0] in data.skip_message


# --- Incremental work, as `make release` does it --------------------------------------------------


@pytest.mark.slow
def test_only_the_changed_document_is_reextracted_and_the_release_equals_a_full_rebuild(released, tmp_path):
    root, instance, _ = released

    def ids() -> dict[str, list[int]]:
        return {k: [r.storage_id for r in extraction_records(instance, k)] for k in DOCS}

    before = ids()
    assert all(len(v) == 1 for v in before.values())
    with open(root / "raw" / "b-en.txt", "a", encoding="utf-8") as f:
        f.write("In 2022, 15 projects were approved.\n")

    summary = run_pipeline(root, instance)
    assert summary.extracted == ["b-en.txt"]
    assert summary.published and summary.version == "1.1.0"
    after = ids()
    for key in after:
        if key != "b-en.txt":
            assert after[key] == before[key], f"document_facts of {key} was materialized again"
        else:
            assert len(after[key]) == 2 and after[key][1:] == before[key]
    newest = extraction_records(instance, "b-en.txt")[0].asset_materialization.metadata
    assert newest["sha256"].value == hashlib.sha256((root / "raw" / "b-en.txt").read_bytes()).hexdigest()

    fresh = make_project(
        tmp_path / "fresh" / "project", {p.name: p.read_bytes() for p in sorted((root / "raw").iterdir())}
    )
    with dagster_instance(tmp_path / "fresh" / "dagster_home") as fresh_instance:
        full = run_pipeline(fresh, fresh_instance)
    assert full.extracted == sorted(DOCS) and full.version == "1.0.0"
    incremental, rebuilt = latest_csvs(root), latest_csvs(fresh)
    assert sorted(incremental) == sorted(f"{t}.csv" for t in TABLES)
    assert incremental == rebuilt


# --- What operators see ---------------------------------------------------------------------------


@pytest.mark.slow
def test_every_materialization_carries_operator_metadata(released):
    root, instance, _ = released
    graph = build_definitions(root).resolve_asset_graph()
    # The published data package ends the lineage: the one asset nothing depends on.
    [publish] = [k for k in graph.get_all_asset_keys() if not graph.get(k).child_keys]

    def meta(asset: str, partition: str | None = None) -> dict:
        records = instance.fetch_materializations(
            dg.AssetRecordsFilter(asset_key=dg.AssetKey(asset), asset_partitions=[partition] if partition else None),
            limit=1,
        ).records
        assert records, asset
        return {k: v.value for k, v in records[0].asset_materialization.metadata.items()}

    for key in DOCS:
        coverage = meta("document_facts", key)
        assert {"n_chars", "language", "coverage_pct", "uncovered", "facts", "sha256", "extractor_version"} <= set(
            coverage
        )
        assert sum(coverage["facts_by_table"].values()) == coverage["facts"] > 0
        # The counts by table are those of the facts stored for the document, table by table.
        stored = pickle.loads((Path(instance.storage_directory()) / "document_facts" / key).read_bytes())
        assert coverage["facts_by_table"] == {t.name: len(stored["facts"][t.name]) for t in FACT_TABLES}
    released_rows = meta(publish.to_user_string())["rows"]
    assert meta("documents")["rows"] == released_rows["documents"] == len(DOCS)
    for table in FACT_TABLES:
        m = meta(table.name)
        assert m["rows"] == released_rows[table.name] == sum(m["facts_per_document"].values())
    assert set(meta("coverage_report")["coverage_pct"]) == {Path(k).stem for k in DOCS}
    assert meta("warehouse")["rows"] == released_rows
    release = meta(publish.to_user_string())
    assert release["version"] == "1.0.0" and release["published"] is True and release["documents"] == len(DOCS)


def test_messages_name_the_first_documents_and_count_the_rest():
    """A whole archive's file names would bury a message: the first NAMES_SHOWN, then how many more."""
    from pipelines.orchestration.staleness import NAMES_SHOWN, listed

    assert listed(["a.txt", "b.txt"]) == "a.txt, b.txt" and listed([]) == ""
    names = [f"doc-{i:03d}.txt" for i in range(NAMES_SHOWN + 7)]
    assert listed(names) == ", ".join(names[:NAMES_SHOWN]) + " and 7 more"
    assert listed(names[:NAMES_SHOWN]) == ", ".join(names[:NAMES_SHOWN])
    assert listed(iter(names), limit=2) == "doc-000.txt, doc-001.txt and 15 more"
