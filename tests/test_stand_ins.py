"""The project's stand-ins for libraries agree with the libraries they stand in for.

- ``PickleStore`` (``pipelines.orchestration.resources``) stands in for Dagster's filesystem IO
  manager (``dg.FilesystemIOManager``): the same values are stored and loaded through both, in the
  same jobs, and must give the same files (relative layout), the same loaded values and the same
  ``path`` metadata; a store written by Dagster's is read by PickleStore. The one intended
  difference (a step that reads every partition always gets a dict by partition key) is pinned.
- ``verify_package`` (``pipelines.publish.verification``) stands in for ``frictionless validate``:
  on the committed latest release both find the package valid, and on corrupted copies of it both
  find it invalid (validity is compared, not messages). The documented cases where it is stricter
  than frictionless (cells the pipeline's CSV writer never writes) are pinned too.
- ``execute`` (``pipelines.orchestration.execution``, through ``dagster._core``) stands in for
  ``JobDefinition.execute_in_process``: the same runs (success, a step that raises, a blocking check
  that passes, one that fails) leave the same records; only the outputs are not kept.
- ``latest_materializations`` (same module, beyond Dagster's documented API) stands in for one
  ``instance.fetch_materializations`` per partition: the same latest record of each.
"""

import csv
import hashlib
import io
import json
import pickle
import shutil
from pathlib import Path

import dagster as dg
import pandas as pd
import pytest

from pipelines.orchestration.resources import LOAD_IN_STEP, PickleStore, StoredTable

REPO = Path(__file__).resolve().parent.parent

# --- PickleStore and Dagster's filesystem IO manager ---------------------------------------------

DOCS = dg.StaticPartitionsDefinition(["doc-a", "doc-b", "doc-c"])


@dg.asset
def frame() -> pd.DataFrame:
    return pd.DataFrame(
        {"id": ["a", "b", None], "value": [1.5, float("nan"), 3.0], "n": pd.array([1, None, 3], dtype="Int64")}
    )


@dg.asset
def mapping() -> dict:
    return {"name": "日本", "rows": [1, 2, 3], "nested": {"ok": True}}


@dg.asset(partitions_def=DOCS)
def facts(context: dg.AssetExecutionContext) -> dict:
    key = context.partition_key
    return {"document": key, "rows": pd.DataFrame({"fact": [f"{key}-{i}" for i in range(3)], "x": [1, 2, 3]})}


@dg.asset(partitions_def=DOCS)
def fact_count(facts: dict) -> int:
    """Reads the same partition of its input."""
    return len(facts["rows"])


def _value(x):
    return x.load() if isinstance(x, StoredTable) else x


@dg.asset(ins={"frame": dg.AssetIn(metadata={LOAD_IN_STEP: True})})
def combined(frame, mapping: dict, facts: dict) -> dict:
    """Reads every partition of facts, and frame as a handle (PickleStore) or as the value (Dagster's)."""
    return {"frame": _value(frame), "mapping": mapping, "facts": facts}


@dg.asset
def nothing_stored() -> None:
    """Stores nothing (as an asset that returns None or a MaterializeResult)."""


ASSETS = [frame, mapping, facts, fact_count, combined, nothing_stored]


def _materialize_all(io_manager) -> dict[str, str]:
    """Every asset materialized (one run per partition, then the rest); {asset[/partition]: path metadata}."""
    results = [
        dg.materialize([facts, fact_count], partition_key=key, resources={"io_manager": io_manager})
        for key in DOCS.get_partition_keys()
    ]
    results.append(
        dg.materialize(
            ASSETS, selection=[frame, mapping, combined, nothing_stored], resources={"io_manager": io_manager}
        )
    )
    paths = {}
    for result in results:
        assert result.success
        for event in result.get_asset_materialization_events():
            m = event.materialization
            name = m.asset_key.to_user_string() + (f"/{m.partition}" if m.partition else "")
            if "path" in m.metadata:
                paths[name] = m.metadata["path"].value
    return paths


def _files(base: Path) -> dict[str, object]:
    """Every value stored under base, by path relative to it, unpickled."""
    found = {}
    for path in sorted(p for p in base.rglob("*") if p.is_file()):
        with open(path, "rb") as handle:
            found[path.relative_to(base).as_posix()] = pickle.load(handle)
    return found


def _assert_same(a, b, where: str = "") -> None:
    assert type(a) is type(b), where
    if isinstance(a, pd.DataFrame):
        pd.testing.assert_frame_equal(a, b, check_exact=True)
    elif isinstance(a, dict):
        assert list(a) == list(b), where
        for k in a:
            _assert_same(a[k], b[k], f"{where}/{k}")
    else:
        assert a == b, where


@pytest.mark.slow
def test_pickle_store_stores_and_loads_what_dagsters_filesystem_io_manager_does(tmp_path):
    theirs, ours = tmp_path / "dagster", tmp_path / "pickle_store"

    their_paths = _materialize_all(dg.FilesystemIOManager(base_dir=str(theirs)))
    our_paths = _materialize_all(PickleStore(base_dir=str(ours)))

    their_files, our_files = _files(theirs), _files(ours)
    # The same layout: <asset key>, <asset key>/<partition>; nothing for an asset that stores nothing.
    assert (
        list(our_files)
        == list(their_files)
        == [
            "combined",
            "fact_count/doc-a",
            "fact_count/doc-b",
            "fact_count/doc-c",
            "facts/doc-a",
            "facts/doc-b",
            "facts/doc-c",
            "frame",
            "mapping",
        ]
    )
    # The same values, including what the downstream steps loaded (combined holds what it received:
    # every partition of facts by key, and frame, read through a StoredTable handle from PickleStore).
    for rel in their_files:
        _assert_same(our_files[rel], their_files[rel], rel)
    # The same path metadata on every materialization, relative to each store's folder.
    assert {k: Path(v).relative_to(ours).as_posix() for k, v in our_paths.items()} == {
        k: Path(v).relative_to(theirs).as_posix() for k, v in their_paths.items()
    }
    assert len(our_paths) == len(our_files)


@pytest.mark.slow
def test_pickle_store_reads_a_store_that_dagsters_filesystem_io_manager_wrote(tmp_path):
    """PickleStore took over a store Dagster's IO manager had written: it reads those files as they are."""
    theirs = tmp_path / "dagster"
    _materialize_all(dg.FilesystemIOManager(base_dir=str(theirs)))
    written = _files(theirs)["combined"]
    (theirs / "combined").unlink()

    result = dg.materialize(ASSETS, selection=[combined], resources={"io_manager": PickleStore(base_dir=str(theirs))})

    assert result.success
    _assert_same(_files(theirs)["combined"], written)


RANGE_TAGS = {"dagster/asset_partition_range_start": "doc-a", "dagster/asset_partition_range_end": "doc-c"}


@dg.asset(partitions_def=DOCS, backfill_policy=dg.BackfillPolicy.single_run())
def batch_facts(context: dg.AssetExecutionContext) -> dict:
    """Every partition of its run: by partition key for several (a batch run), the value for one."""
    values = {key: {"document": key, "rows": pd.DataFrame({"fact": [key]})} for key in context.partition_keys}
    return values if len(values) > 1 else values[context.partition_key]


@pytest.mark.slow
def test_pickle_store_stores_a_batch_run_as_dagsters_filesystem_io_manager_does(tmp_path):
    """One run over a range of partitions (Dagster's range tags, through ``execute``) stores each
    partition as Dagster's IO manager stores it from a run of that partition alone (Dagster's cannot
    store a run of several partitions at all: it asks for one run per partition)."""
    from pipelines.orchestration.execution import execute

    stored = {}
    for name, io_manager in (
        ("dagster", dg.FilesystemIOManager(base_dir=str(tmp_path / "dagster"))),
        ("ours", PickleStore(base_dir=str(tmp_path / "ours"))),
    ):
        resources = {"io_manager": io_manager}
        if name == "dagster":
            for key in DOCS.get_partition_keys():
                assert dg.materialize([batch_facts], partition_key=key, resources=resources).success
        else:
            job = dg.Definitions(
                assets=[batch_facts], jobs=[dg.define_asset_job("batch", partitions_def=DOCS)], resources=resources
            ).resolve_job_def("batch")
            (tmp_path / "home").mkdir()
            with dg.instance_for_test(temp_dir=str(tmp_path / "home")) as instance:
                result = execute(job, instance, tags=RANGE_TAGS)
                assert result.success
                assert sorted(e.partition for e in result.get_asset_materialization_events()) == [
                    "doc-a",
                    "doc-b",
                    "doc-c",
                ]
        stored[name] = _files(tmp_path / name)
    assert (
        list(stored["ours"])
        == list(stored["dagster"])
        == ["batch_facts/doc-a", "batch_facts/doc-b", "batch_facts/doc-c"]
    )
    for rel in stored["dagster"]:
        _assert_same(stored["ours"][rel], stored["dagster"][rel], rel)


ONE_DOC = dg.StaticPartitionsDefinition(["only"])


@dg.asset(partitions_def=ONE_DOC)
def single_facts(context: dg.AssetExecutionContext) -> list:
    return [context.partition_key]


@dg.asset
def every_single_facts(single_facts) -> object:
    return single_facts


def test_the_one_difference_a_step_reading_every_partition_gets_a_dict_even_of_one(tmp_path):
    """Dagster's hands over the value itself when there is one partition (raw/ with one document);
    PickleStore a dict by key, as with several (the table steps expect a dict)."""
    received = {}
    for name, io_manager in (
        ("dagster", dg.FilesystemIOManager(base_dir=str(tmp_path / "dagster"))),
        ("ours", PickleStore(base_dir=str(tmp_path / "ours"))),
    ):
        assets, resources = [single_facts, every_single_facts], {"io_manager": io_manager}
        assert dg.materialize(assets, partition_key="only", selection=[single_facts], resources=resources).success
        result = dg.materialize(assets, selection=[every_single_facts], resources=resources)
        received[name] = result.output_for_node("every_single_facts")
    assert received == {"dagster": ["only"], "ours": {"only": ["only"]}}


# --- verify_package and frictionless ----------------------------------------------------------------


def _latest_release() -> Path:
    releases = REPO / "releases"
    return releases / json.loads((releases / "index.json").read_text(encoding="utf-8"))["latest"]


@pytest.fixture
def package(tmp_path: Path) -> Path:
    """The committed latest release's descriptor and CSVs, copied aside."""
    folder = tmp_path / "package"
    shutil.copytree(_latest_release() / "data", folder / "data")
    shutil.copyfile(_latest_release() / "datapackage.json", folder / "datapackage.json")
    return folder


def _verify_package_valid(folder: Path) -> bool:
    from pipelines.publish.verification import verify_package

    problems, _ = verify_package(folder)
    return not problems


def _frictionless_valid(folder: Path) -> bool:
    import frictionless

    return frictionless.validate(str(folder / "datapackage.json")).valid


def _rows(folder: Path, table: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO((folder / "data" / f"{table}.csv").read_text(encoding="utf-8"), newline="")))


def _write(folder: Path, table: str, rows: list[list[str]], descriptor_follows: bool = True) -> None:
    """Write a table's CSV as the pipeline does; by default the descriptor's size and hash follow it,
    so that only the fault in the rows is left to find."""
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    data = out.getvalue().encode("utf-8")
    (folder / "data" / f"{table}.csv").write_bytes(data)
    if descriptor_follows:
        descriptor = folder / "datapackage.json"
        package = json.loads(descriptor.read_text(encoding="utf-8"))
        resource = next(r for r in package["resources"] if r["name"] == table)
        resource["bytes"], resource["hash"] = len(data), "sha256:" + hashlib.sha256(data).hexdigest()
        descriptor.write_text(json.dumps(package, ensure_ascii=False, indent=2), encoding="utf-8")


def _set(table: str, column: str, value: str, row: int = 1):
    def corrupt(folder: Path) -> None:
        rows = _rows(folder, table)
        rows[row][rows[0].index(column)] = value
        _write(folder, table, rows)

    return corrupt


def _duplicate_row(table: str):
    def corrupt(folder: Path) -> None:
        rows = _rows(folder, table)
        _write(folder, table, [*rows, rows[1]])

    return corrupt


def _changed_byte(table: str):
    """One byte changed, size kept, descriptor untouched: only the hash differs."""

    def corrupt(folder: Path) -> None:
        path = folder / "data" / f"{table}.csv"
        data = bytearray(path.read_bytes())
        at = data.rindex(b"a")
        data[at : at + 1] = b"b"
        path.write_bytes(bytes(data))

    return corrupt


def _appended_line(table: str):
    """A line added, descriptor untouched: size and hash differ."""

    def corrupt(folder: Path) -> None:
        path = folder / "data" / f"{table}.csv"
        path.write_bytes(path.read_bytes() + path.read_bytes().splitlines(keepends=True)[1])

    return corrupt


CORRUPTIONS = {
    "an integer cell that is not an integer": _set("projects", "phase", "1.5"),
    "a number cell that is not a number": _set("indicators", "value", "about 5"),
    "a boolean cell that is neither true nor false": _set("meetings", "special_50th", "yes"),
    "a duplicate primary key": _duplicate_row("events"),
    "a foreign key to no document": _set("events", "document_id", "doc-nowhere"),
    "a changed byte (hash mismatch)": _changed_byte("metrics"),
    "a line added (size and hash mismatch)": _appended_line("leaders"),
    "a missing required value": _set("events", "description", ""),
    "a missing primary key": _set("documents", "document_id", ""),
    "a value outside the enum": _set("memberships", "status", "partner"),
    "a value not matching the pattern": _set("events", "date", "March 1981"),
    "a value below the minimum": _set("events", "char_start", "-1"),
    "a text longer than maxLength": _set("events", "quote", "x" * 401),
    "a row with a cell too many": lambda folder: _write(
        folder, "events", [r + ["x"] if i == 1 else r for i, r in enumerate(_rows(folder, "events"))]
    ),
    "a header that is not the schema's": _set("events", "date", "day", row=0),
}


@pytest.mark.slow
def test_verify_package_and_frictionless_both_accept_the_latest_release(package):
    assert _verify_package_valid(package)
    assert _frictionless_valid(package)


@pytest.mark.slow
@pytest.mark.parametrize("corruption", CORRUPTIONS)
def test_verify_package_and_frictionless_both_refuse_a_corrupted_copy(package, corruption):
    CORRUPTIONS[corruption](package)

    assert (_verify_package_valid(package), _frictionless_valid(package)) == (False, False)


# Where verify_package is stricter than frictionless (found by trying cells one by one; it is never
# the other way round): numbers that Python's int() and float() read but the pipeline's CSV writer
# never writes (it writes digits, a point and an exponent, without spaces, never NaN).
STRICTER = {
    "a space before a number": _set("indicators", "value", " 5"),
    "a space after an integer": _set("projects", "phase", "1 "),
    "NaN": _set("indicators", "value", "NaN"),
    "Infinity spelled out": _set("indicators", "value", "Infinity"),
    "an underscore between digits": _set("projects", "phase", "1_0"),
    "digits that are not ASCII": _set("indicators", "value", "\uff15"),
}


@pytest.mark.slow
@pytest.mark.parametrize("cell", STRICTER)
def test_verify_package_is_stricter_than_frictionless_only_where_documented(package, cell):
    STRICTER[cell](package)

    assert (_verify_package_valid(package), _frictionless_valid(package)) == (False, True)


# --- execute (Dagster internals) and JobDefinition.execute_in_process -----------------------------

RUN_KEYS = dg.StaticPartitionsDefinition(["doc-ok", "doc-raises"])


@dg.asset(partitions_def=RUN_KEYS)
def run_value(context: dg.AssetExecutionContext) -> dict:
    if context.partition_key == "doc-raises":
        raise ValueError("this document cannot be read")
    return {"key": context.partition_key, "rows": pd.DataFrame({"x": [1, 2]})}


@dg.asset
def good_table() -> pd.DataFrame:
    return pd.DataFrame({"x": [1, 2]})


@dg.asset
def bad_table() -> pd.DataFrame:
    return pd.DataFrame({"x": [1, -2]})


def _positive_check(asset):
    @dg.asset_check(asset=asset, blocking=True, name=f"{asset.key.path[-1]}_is_positive")
    def check(table: pd.DataFrame) -> dg.AssetCheckResult:
        bad = int((table["x"] < 0).sum())
        return dg.AssetCheckResult(passed=not bad, description=f"{bad} row(s) below zero" if bad else None)

    return check


@dg.asset(deps=[good_table, bad_table])
def after_tables() -> None:
    pass


# (job, partition key): a partition that succeeds, one whose step raises, a run whose checks pass,
# one whose blocking check fails.
RUNS = [("extract", "doc-ok"), ("extract", "doc-raises"), ("release_ok", None), ("release_bad", None)]


def _jobs(storage: Path) -> dg.Definitions:
    return dg.Definitions(
        assets=[run_value, good_table, bad_table, after_tables],
        asset_checks=[_positive_check(good_table), _positive_check(bad_table)],
        jobs=[
            dg.define_asset_job("extract", selection=[run_value], partitions_def=RUN_KEYS),
            dg.define_asset_job("release_ok", selection=dg.AssetSelection.assets(good_table)),
            dg.define_asset_job("release_bad", selection=dg.AssetSelection.assets(bad_table, after_tables)),
        ],
        resources={"io_manager": PickleStore(base_dir=str(storage))},
    )


def _run_record(instance: dg.DagsterInstance, result: dg.ExecuteInProcessResult) -> dict:
    """What a run left, without what differs from run to run (ids, times)."""
    from pipelines.orchestration.execution import run_failure

    run = instance.get_run_by_id(result.run_id)
    assert run is not None
    return {
        "success": result.success,
        "status": run.status,
        "tags": {k: v for k, v in run.tags.items()},
        "events": [(e.event_type_value, e.step_key) for e in result.all_events],
        "materialized": [
            (e.asset_key.to_user_string(), e.partition) for e in result.get_asset_materialization_events()
        ],
        "checks": [(e.check_name, e.passed, e.description) for e in result.get_asset_check_evaluations()],
        "failure": None if result.success else run_failure(result),
        "stored": sorted(
            (event.asset_key.to_user_string(), event.partition or "")
            for record in instance.get_records_for_run(
                result.run_id, of_type=dg.DagsterEventType.ASSET_MATERIALIZATION
            ).records
            if (event := record.event_log_entry.dagster_event) is not None and event.asset_key is not None
        ),
    }


@pytest.mark.slow
@pytest.mark.parametrize(("job_name", "key"), RUNS)
def test_execute_runs_a_job_as_execute_in_process_does_but_keeps_no_outputs(tmp_path, job_name, key):
    from pipelines.orchestration.execution import QUIET, execute

    job = _jobs(tmp_path / "storage").resolve_job_def(job_name)
    with dg.instance_for_test(temp_dir=str(tmp_path)) as instance:
        theirs = job.execute_in_process(run_config=QUIET, instance=instance, partition_key=key, raise_on_error=False)
        ours = execute(job, instance, QUIET, partition_key=key)

        assert _run_record(instance, ours) == _run_record(instance, theirs)
        # The one difference, its purpose: no step's output is held by the result (nor until the run ends).
        node = "run_value" if job_name == "extract" else "good_table" if job_name == "release_ok" else "bad_table"
        if theirs.success:
            assert theirs.output_for_node(node) is not None
        with pytest.raises(dg.DagsterInvariantViolationError, match="No outputs found"):
            ours.output_for_node(node)


@dg.asset(partitions_def=DOCS)
def stamped(context: dg.AssetExecutionContext) -> str:
    return context.run_id


@pytest.mark.slow
def test_latest_materializations_agrees_with_one_public_query_per_partition(tmp_path, monkeypatch):
    import pipelines.orchestration.execution as execution

    keys = DOCS.get_partition_keys()
    with dg.instance_for_test(temp_dir=str(tmp_path)) as instance:
        for key in ["doc-a", "doc-b", "doc-a"]:  # doc-a twice (its newest counts), doc-c never
            resources = {"io_manager": PickleStore(base_dir=str(tmp_path / "storage"))}
            assert dg.materialize([stamped], partition_key=key, instance=instance, resources=resources).success
        public = {}
        for key in keys:
            records = instance.fetch_materializations(
                dg.AssetRecordsFilter(asset_key=stamped.key, asset_partitions=[key]), limit=1
            ).records
            if records:
                public[key] = records[0].storage_id
        assert sorted(public) == ["doc-a", "doc-b"]
        for per_query in (execution.RECORDS_PER_QUERY, 1):
            monkeypatch.setattr(execution, "RECORDS_PER_QUERY", per_query)
            ours = execution.latest_materializations(instance, stamped.key, keys)
            assert {key: record.storage_id for key, record in ours.items()} == public
