"""Integration: the whole Dagster job on raw/ into a temporary folder, checked as a user would."""

from __future__ import annotations

import json
import pickle
import subprocess
import sys
from pathlib import Path

import dagster as dg
import duckdb
import pandas as pd
import pytest
from conftest import latest_dir
from frictionless import Package

from pipelines.publish.tables import read_csv_table
from schemas.tables import FACT_TABLES, TABLES
from schemas.validation import validate_table


@pytest.mark.slow
def test_first_run_publishes_1_0_0(built_release):
    root, summary = built_release
    assert summary.published and summary.version == "1.0.0"
    index = json.loads((root / "releases" / "index.json").read_text())
    assert index["latest"] == "1.0.0"
    assert [v["version"] for v in index["versions"]] == ["1.0.0"]
    assert set(index["versions"][0]["tables"]) == set(TABLES)


@pytest.mark.slow
def test_package_validates_with_frictionless(built_release):
    root, _ = built_release
    report = Package(str(latest_dir(root) / "datapackage.json")).validate()
    assert report.valid, report.flatten(["taskName", "rowNumber", "fieldName", "type", "note"])[:20]


@pytest.mark.slow
def test_frictionless_cli_accepts_package(built_release):
    root, _ = built_release
    exe = [sys.executable, "-m", "frictionless", "validate", "datapackage.json"]
    done = subprocess.run(exe, cwd=latest_dir(root), capture_output=True, text=True)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-2000:]


@pytest.mark.slow
def test_checksums_match(built_release):
    root, _ = built_release
    folder = latest_dir(root)
    done = subprocess.run(["sha256sum", "-c", "SHA256SUMS"], cwd=folder, capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr
    listed = {line.split("  ", 1)[1] for line in (folder / "SHA256SUMS").read_text().splitlines()}
    assert {f"data/{t}.csv" for t in TABLES} | {"datapackage.json", "japan-asean-cooperation.duckdb"} <= listed


@pytest.mark.slow
def test_release_carries_the_extractors_quality_on_annotated_real_pages(built_release):
    root, _ = built_release
    folder = latest_dir(root)
    listed = {line.split("  ", 1)[1] for line in (folder / "SHA256SUMS").read_text().splitlines()}
    assert {"QUALITY.md", "quality.json"} <= listed
    quality = json.loads((folder / "quality.json").read_text(encoding="utf-8"))
    assert quality["pages"] == 26 and quality["overall"]["gold"] == 301
    assert set(quality["tables"]) == {"documents", *(t.name for t in FACT_TABLES)}
    assert (
        (folder / "QUALITY.md").read_text(encoding="utf-8").startswith("# Extraction quality on annotated real pages")
    )


@pytest.mark.slow
def test_duckdb_file_has_every_table_with_csv_row_counts_and_comments(built_release):
    root, _ = built_release
    folder = latest_dir(root)
    with duckdb.connect(str(folder / "japan-asean-cooperation.duckdb"), read_only=True) as con:
        for name, table in TABLES.items():
            csv_rows = len(read_csv_table(name, (folder / "data" / f"{name}.csv").read_bytes()))
            assert con.execute(f'SELECT count(*) FROM "{name}"').fetchone()[0] == csv_rows
            comment = con.execute("SELECT comment FROM duckdb_tables() WHERE table_name = ?", [name]).fetchone()[0]
            assert comment and table.description in comment
            cols = dict(
                con.execute("SELECT column_name, comment FROM duckdb_columns() WHERE table_name = ?", [name]).fetchall()
            )
            assert set(cols) == set(table.field_names)
            assert all(cols[f.name] == f.description for f in table.fields)


@pytest.mark.slow
def test_release_ships_the_warehouse_built_in_the_same_run(built_release):
    root, _ = built_release
    shipped = (latest_dir(root) / "japan-asean-cooperation.duckdb").read_bytes()
    assert shipped == (root / "warehouse" / "japan-asean-cooperation.duckdb").read_bytes()


@pytest.mark.slow
def test_duckdb_cli_opens_release_read_only(built_release):
    root, _ = built_release
    cli = __import__("shutil").which("duckdb", path=str(__import__("pathlib").Path(sys.executable).parent))
    if cli is None:
        pytest.skip("duckdb CLI not installed")
    db = latest_dir(root) / "japan-asean-cooperation.duckdb"
    done = subprocess.run(
        [cli, "-readonly", str(db), "-c", "SELECT count(*) FROM documents"], capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr
    assert "5" in done.stdout


@pytest.mark.slow
def test_every_quote_is_the_text_at_its_offsets(built_release):
    root, _ = built_release
    folder = latest_dir(root)
    docs = read_csv_table("documents", (folder / "data" / "documents.csv").read_bytes())
    texts = {}
    for row in docs.itertuples():
        from pipelines.documents import read_document

        texts[row.document_id] = read_document(root / "raw" / row.file_name).text
    checked = 0
    for table in FACT_TABLES:
        df = read_csv_table(table.name, (folder / "data" / f"{table.name}.csv").read_bytes())
        for r in df.itertuples():
            assert texts[r.document_id][r.char_start : r.char_end] == r.quote, (table.name, r.fact_id)
            assert len(r.quote) <= 400
            checked += 1
    assert checked > 300


@pytest.mark.slow
def test_every_table_has_facts_and_validates(built_release):
    root, _ = built_release
    folder = latest_dir(root)
    for name in TABLES:
        df = read_csv_table(name, (folder / "data" / f"{name}.csv").read_bytes())
        assert len(df) > 0, name
        assert validate_table(name, df) is None


@pytest.mark.slow
def test_facts_come_from_every_document(built_release):
    root, _ = built_release
    folder = latest_dir(root)
    docs = set(read_csv_table("documents", (folder / "data" / "documents.csv").read_bytes()).document_id)
    seen = set()
    for table in FACT_TABLES:
        seen |= set(read_csv_table(table.name, (folder / "data" / f"{table.name}.csv").read_bytes()).document_id)
    assert seen == docs


@pytest.mark.slow
def test_second_run_with_unchanged_input_publishes_nothing(built_release, tmp_path):
    from conftest import dagster_instance

    from pipelines.orchestration.runner import run_pipeline

    root, _ = built_release
    before = sorted(p.relative_to(root) for p in (root / "releases").rglob("*"))
    with dagster_instance(root.parent / "dagster_home") as inst:
        summary = run_pipeline(root, inst)
    assert not summary.published
    assert "nothing published" in summary.release_message
    assert sorted(p.relative_to(root) for p in (root / "releases").rglob("*")) == before


@pytest.mark.slow
def test_readme_queries_run_against_the_release(built_release):
    import re
    from pathlib import Path

    root, _ = built_release
    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")
    queries = re.findall(r"```sql\n(.*?)```", readme, re.S)
    assert len(queries) >= 3
    with duckdb.connect(str(latest_dir(root) / "japan-asean-cooperation.duckdb"), read_only=True) as con:
        for q in queries:
            assert con.execute(q).fetchall(), q


def test_readme_data_dictionary_is_generated_from_the_schemas():
    from pathlib import Path

    from pipelines.cli import render_readme

    path = Path(__file__).resolve().parent.parent / "README.md"
    text = path.read_text(encoding="utf-8")
    assert render_readme(text) == text, "README is stale: run `make readme`"


def _numbers_in(quote: str) -> set[float]:
    """Every number a quote states, read the way the extractors read them, with the forms values take
    (percent as a ratio, a/b fractions, 百万 multipliers, English number words)."""
    import re

    from pipelines.extract.quantities import NUMBER_WORDS
    from pipelines.normalize import JP_AMOUNT, fold_text, parse_japanese_amount

    text = fold_text(quote)
    found: set[float] = set()
    for m in re.finditer(JP_AMOUNT, text):
        try:
            v = parse_japanese_amount(m.group()).value
        except ValueError:
            continue
        found |= {v, v / 100, v * 1e6}
        found |= {float(d) for d in re.findall(r"\d+", m.group())}  # digits split over lines: '1' / '0…'
    for a, b in re.findall(r"(\d+)/(\d+)", text):
        found.add(round(int(a) / int(b), 6))
    if re.search(r"半分", text):
        found.add(0.5)
    for word, n in NUMBER_WORDS.items():
        if re.search(rf"\b{word}\b", text, re.I):
            found.add(float(n))
    joined = re.sub(r"\s+", "", text)  # a figure split over two lines ('1' / '0国際大学') reads as 10
    found |= {float(d) for d in re.findall(r"\d+", joined)}
    return found


@pytest.mark.parametrize(
    "table, column",
    [
        ("indicators", "value"),
        ("metrics", "value"),
        ("commitments", "amount"),
        ("projects", "budget_amount"),
        ("projects", "participants"),
    ],
)
@pytest.mark.slow
def test_every_value_agrees_with_its_quote(built_release, table, column):
    import math

    root, _ = built_release
    df = read_csv_table(table, (latest_dir(root) / "data" / f"{table}.csv").read_bytes())
    checked = 0
    for r in df.itertuples():
        value = getattr(r, column)
        if value is None or pd.isna(value):
            continue
        stated = _numbers_in(r.quote)
        # participants are stated in a bullet of the same slide, named in notes
        if column == "participants":
            stated |= _numbers_in(r.notes or "")
        assert any(math.isclose(float(value), s, rel_tol=1e-9) for s in stated), (r.fact_id, value, r.quote)
        checked += 1
    assert checked > 0


@pytest.mark.parametrize(
    "table, column",
    [
        ("events", "date"),
        ("meetings", "date"),
        ("projects", "start_date"),
        ("memberships", "joined"),
        ("commitments", "date"),
    ],
)
@pytest.mark.slow
def test_every_date_is_stated_in_its_quote_or_its_context_is_noted(built_release, table, column):
    import re

    from pipelines.normalize import fold_text

    root, _ = built_release
    df = read_csv_table(table, (latest_dir(root) / "data" / f"{table}.csv").read_bytes())
    checked = 0
    for r in df.itertuples():
        date = getattr(r, column)
        if not date:
            continue
        text = fold_text(r.quote)
        year = int(date[:4])
        era = {2018 + n for n in map(int, re.findall(r"令和(\d+)", text))}
        stated = str(year) in text or year in era
        assert stated or "year" in (r.notes or "") or "date of the heading" in (r.notes or ""), (
            r.fact_id,
            date,
            r.quote,
        )
        checked += 1
    assert checked > 0


@pytest.mark.slow
def test_release_validates_again_unless_every_check_passed_in_the_same_run(tmp_path, monkeypatch):
    """The pitfall: a run that selects only the release must not publish unchecked data."""
    import dagster as dg
    from conftest import dagster_instance, make_project

    import pipelines.orchestration.definitions as definitions
    import pipelines.publish.release as release
    from pipelines.orchestration.definitions import build_definitions
    from pipelines.orchestration.runner import run_pipeline

    calls, databases = [], []
    real = release.validate_all
    monkeypatch.setattr(release, "validate_all", lambda tables, texts: calls.append(1) or real(tables, texts))
    publish = definitions.publish_tables
    monkeypatch.setattr(
        definitions,
        "publish_tables",
        lambda *a, database=None, **k: databases.append(database) or publish(*a, database=database, **k),
    )
    root = make_project(
        tmp_path / "project",
        {
            "a-ja.txt": "2015年 ○○協会設立\n\n合計45人が修了。\n".encode(),
            "b-en.txt": b"Japan disbursed $12,345 through the Example Fund in March 2004.\n",
        },
    )
    with dagster_instance(tmp_path / "home") as inst:
        summary = run_pipeline(root, inst)
        assert summary.published and calls == []  # the blocking checks passed in that run
        assert databases == [root / "warehouse" / "japan-asean-cooperation.duckdb"]  # built in that run too
        defs = build_definitions(root)
        job = defs.resolve_implicit_global_asset_job_def().get_subset(asset_selection={dg.AssetKey("data_package")})
        result = job.execute_in_process(instance=inst, raise_on_error=False)
        assert result.success
        assert calls == [1]  # only the release ran: it validated every table itself
        assert databases[1:] == [None]  # and would build its DuckDB file from the tables, not the warehouse

        # raw/ changed since the tables were built: the facts of that document cannot be checked
        # against the text they point into, so a release-only run publishes nothing.
        (root / "raw" / "b-en.txt").write_bytes(b"Japan disbursed $99,999 through the Example Fund.\n")
        before = sorted(p.relative_to(root).as_posix() for p in (root / "releases").rglob("*"))
        result = job.execute_in_process(instance=inst, raise_on_error=False)
        assert not result.success and calls == [1, 1]
        failure = [e for e in result.all_events if e.event_type == dg.DagsterEventType.STEP_FAILURE][0]
        assert "quote is not the document text" in failure.step_failure_data.error.cause.message
        assert "'b-en'" in failure.step_failure_data.error.cause.message
        assert sorted(p.relative_to(root).as_posix() for p in (root / "releases").rglob("*")) == before


@pytest.mark.slow
def test_warehouse_and_release_load_each_table_once_in_the_step(tmp_path, monkeypatch):
    """The two steps that read every table get them as StoredTables and load each one once, when they
    reach it, instead of receiving all nine as loaded inputs."""
    from conftest import dagster_instance, make_project

    from pipelines.orchestration.resources import StoredTables
    from pipelines.orchestration.runner import run_pipeline

    loads = []
    real = StoredTables.__getitem__
    monkeypatch.setattr(StoredTables, "__getitem__", lambda self, name: loads.append(name) or real(self, name))
    root = make_project(
        tmp_path / "project",
        {
            "a-ja.txt": "2015年 ○○協会設立\n\n合計45人が修了。\n".encode(),
            "b-en.txt": b"Japan disbursed $12,345 through the Example Fund in March 2004.\n",
        },
    )
    with dagster_instance(tmp_path / "home") as inst:
        assert run_pipeline(root, inst).published
    fact_tables = [t.name for t in FACT_TABLES]
    assert {name: loads.count(name) for name in fact_tables} == {name: 2 for name in fact_tables}
    assert loads.count("documents") >= 2  # also read for the twin pairs and the package's sources


@pytest.mark.slow
def test_a_single_document_in_raw_is_released(tmp_path):
    """With one document, every step that reads all partitions still gets them by partition key
    (Dagster's own IO manager hands over the bare value when there is one partition, and the table
    steps then failed their input type check)."""
    from conftest import dagster_instance, make_project

    from pipelines.orchestration.runner import run_pipeline
    from pipelines.publish.tables import read_csv_table

    root = make_project(
        tmp_path / "project",
        {"only-en.txt": b"Japan disbursed $12,345 through the Example Fund in March 2004.\n"},
    )
    with dagster_instance(tmp_path / "home") as inst:
        summary = run_pipeline(root, inst)
        # Each stored value's materialization says where it is: a table, and a document's facts.
        stored = {
            key: Path(
                inst.get_latest_materialization_event(dg.AssetKey(key)).asset_materialization.metadata["path"].value
            )
            for key in ("commitments", "document_facts")
        }
    assert summary.published and summary.version == "1.0.0"
    folder = latest_dir(root) / "data"
    assert list(read_csv_table("documents", (folder / "documents.csv").read_bytes()).document_id) == ["only-en"]
    commitments = read_csv_table("commitments", (folder / "commitments.csv").read_bytes())
    assert list(commitments.amount) == [12345] and set(commitments.document_id) == {"only-en"}
    assert stored["document_facts"].name == "only-en.txt"
    assert [row["amount"] for row in pickle.loads(stored["document_facts"].read_bytes())["facts"]["commitments"]] == [
        12345
    ]
    assert list(pickle.loads(stored["commitments"].read_bytes()).amount) == [12345]


def test_a_string_column_holding_a_number_fails_the_schema_and_names_the_row():
    """is_text: a text column must hold text in every row, whatever the column's other values."""
    from schemas.validation import is_text

    values = pd.Series(["a", None, "b", 3, b"c", "d"])
    assert list(is_text(values.dropna())) == [True, True, False, False, True]
    assert is_text(pd.Series(["x", "y"])).all() and is_text(pd.Series([], dtype=object)).all()
    from pipelines.publish.tables import frame

    df = frame(
        "documents",
        [
            dict(
                document_id="example-en",
                file_name="example-en.txt",
                title="An example",
                language="en",
                publisher=None,
                published="2020-01-02",
                sha256="ab" * 32,
                n_chars=120,
            )
        ],
    )
    assert validate_table("documents", df) is None
    df.loc[0, "title"] = 1234
    failure = validate_table("documents", df)
    assert failure is not None and "values must be text" in failure.message and "row 0" in failure.message
    assert "on column 'title', value 1234" in failure.message


def test_asean_population_must_be_the_sum_of_the_members_the_same_document_names():
    """The cross-table check: per document, a stated ASEAN population within 3% of the sum of the
    populations of every member that document names; a document missing one member's figure is not
    judged; the first figure of a member counts. A failure names the fact and its document."""
    from schemas.validation import asean_population_frame, validate_cross_table

    def memberships(doc: str, codes: str) -> list[dict]:
        return [{"document_id": doc, "organization": "ASEAN", "status": "member", "member_code": c} for c in codes]

    def population(doc: str, entity: str, value: float) -> dict:
        return {
            "document_id": doc,
            "fact_id": f"{doc}/{entity}/{value:g}",
            "indicator": "population",
            "entity_code": entity,
            "value": value,
        }

    members = pd.DataFrame(
        memberships("ok", "XY")
        + memberships("partial", "XYZ")
        + [{"document_id": "ok", "organization": "OTHER", "status": "member", "member_code": "Q"}]
    )
    indicators = pd.DataFrame(
        [
            population("ok", "X", 10.0),
            population("ok", "X", 999.0),
            population("ok", "Y", 20.0),
            population("ok", "ASEAN", 30.5),
            {**population("ok", "Y", 1.0), "indicator": "gdp_usd"},
            population("partial", "X", 10.0),
            population("partial", "Y", 20.0),
            population("partial", "ASEAN", 99.0),
        ]
    )
    frame = asean_population_frame(indicators, members)
    assert frame.to_dict("records") == [
        {
            "document_id": "ok",
            "fact_id": "ok/ASEAN/30.5",
            "asean_population": 30.5,
            "members_population_sum": 30.0,
            "members": 2,
        }
    ]
    assert validate_cross_table({"indicators": indicators, "memberships": members}) is None

    wrong = pd.concat([indicators, pd.DataFrame([population("ok", "ASEAN", 40.0)])], ignore_index=True)
    failure = validate_cross_table({"indicators": wrong, "memberships": members})
    assert failure is not None and failure.table == "indicators"
    assert "fact_id='ok/ASEAN/40'" in failure.message and "from document 'ok'" in failure.message
    assert "ok/ASEAN/30.5" not in failure.message


def test_gdp_per_capita_must_match_gdp_over_population_unless_the_card_is_flagged():
    """A card is the population, GDP and GDP per capita of one entity, document and reference year.
    A card whose GDP / population differs from its per-capita figure by more than the tolerance fails
    on its three rows, unless they are flagged; a card missing a figure or repeating one is not judged."""
    from schemas.validation import INCONSISTENT_FLAG, PER_CAPITA_TOLERANCE, per_capita_consistent

    def card(
        doc: str, entity: str, year, population: float, gdp: float, per_capita: float, notes: str | None = None
    ) -> list[dict]:
        return [
            {
                "document_id": doc,
                "entity_code": entity,
                "reference_year": year,
                "indicator": name,
                "value": value,
                "notes": notes,
            }
            for name, value in (("population", population), ("gdp_usd", gdp), ("gdp_per_capita_usd", per_capita))
        ]

    off = 1 + 3 * PER_CAPITA_TOLERANCE
    rows = (
        card("a", "XX", 2020, 100.0, 5000.0, 50.0)  # consistent
        + card("a", "YY", 2020, 100.0, 5000.0, 50.0 * off)  # inconsistent: fails
        + card("b", "YY", 2020, 100.0, 5000.0, 50.0 * off, notes=f"an {INCONSISTENT_FLAG}")  # flagged
        + card("b", "XX", 2021, 10.0, 700.0, 70.0 * off)[:2]  # no per-capita figure: not judged
        + card("b", "ZZ", None, 10.0, 700.0, 70.0 * off)  # inconsistent, no year: fails
        + card("c", "XX", 2020, 10.0, 700.0, 70.0 * off)
        + [
            {
                "document_id": "c",
                "entity_code": "XX",
                "reference_year": 2020,
                "indicator": "population",
                "value": 11.0,
                "notes": None,
            },  # a figure stated twice: not judged
            {
                "document_id": "a",
                "entity_code": "YY",
                "reference_year": 2020,
                "indicator": "area_km2",
                "value": 1.0,
                "notes": None,
            },
        ]
        + card("d", "XX", 2020, 0.0, 0.0, 70.0)  # a zero population: the ratio cannot hold, fails
        + card("d", "YY", 2020, 10.0, float("nan"), 70.0 * off)
    )  # a value missing: not judged
    df = pd.DataFrame(rows, index=range(100, 100 + len(rows)))
    df["reference_year"] = df["reference_year"].astype("Int64")
    ok = per_capita_consistent(df)
    assert list(ok.index) == list(df.index)
    assert list(ok[~ok].index) == [103, 104, 105, 111, 112, 113, 119, 120, 121]
    # Rows are told apart by position: a frame whose index repeats a label gets the same answer.
    repeated = per_capita_consistent(df.set_axis([7] * len(df)))
    assert list(repeated.index) == [7] * len(df) and list(repeated) == list(ok)


@pytest.mark.parametrize("workers", [1, 2])
def test_work_is_done_once_each_in_one_or_several_processes_and_every_failure_is_named(workers):
    """map_in_processes: every item is done once, in this process or in spawned ones, results by key;
    a failing item is named with its error and the others still finish; a worker that dies fails
    its item with the reason."""
    import os

    from pool_functions import FAILING, die_on_failing, own_pid, square

    from pipelines.orchestration.pool import map_in_processes

    items = {f"k{n}": n for n in range(8)}
    seen = []
    results, failed = map_in_processes(square, items, workers, lambda: seen.append(1))
    assert failed == {f"k{FAILING}": f"ValueError: no square for {FAILING}"}
    assert results == {k: n * n for k, n in sorted(items.items()) if n != FAILING} and len(seen) == len(items)
    pids = set(map_in_processes(own_pid, items, workers)[0].values())
    assert (pids == {os.getpid()}) if workers == 1 else (os.getpid() not in pids and 1 <= len(pids) <= workers)
    if workers > 1:
        results, failed = map_in_processes(die_on_failing, items, workers)
        assert f"k{FAILING}" in failed and "an extraction process stopped" in failed[f"k{FAILING}"]
        assert set(results) | set(failed) == set(items)


@pytest.mark.slow
def test_extraction_in_several_processes_publishes_the_same_files(tmp_path, monkeypatch, built_release):
    """make release extracts in several processes when there are enough documents: the published
    data files are the same bytes as when every document is extracted in this process."""
    from conftest import dagster_instance, make_project

    from pipelines.orchestration.pool import pool_workers
    from pipelines.orchestration.runner import run_pipeline

    monkeypatch.setenv("JAC_EXTRACT_WORKERS", "2")
    root = make_project(tmp_path / "project")
    with dagster_instance(tmp_path / "home") as inst:
        assert pool_workers(len(list((root / "raw").glob("*.txt"))), 100) == 2
        summary = run_pipeline(root, inst)
        runs = inst.get_run_records()
    assert summary.published and len(summary.extracted) == len(list((root / "raw").glob("*.txt")))
    assert len(runs) == 2  # one extraction run for the whole batch, one release run
    ours, theirs = latest_dir(root) / "data", latest_dir(built_release[0]) / "data"
    assert sorted(p.name for p in ours.iterdir()) == sorted(p.name for p in theirs.iterdir())
    for p in sorted(theirs.iterdir()):
        assert (ours / p.name).read_bytes() == p.read_bytes(), p.name


def test_work_goes_to_several_processes_only_where_it_pays(tmp_path, monkeypatch):
    """One process per usable core, each with at least the given number of items; this process alone
    for a few items; JAC_EXTRACT_WORKERS decides when set."""
    import os

    import pipelines.orchestration.pool
    from pipelines.orchestration.pool import MAX_WORKERS, pool_workers, usable_cores

    monkeypatch.delenv("JAC_EXTRACT_WORKERS", raising=False)
    monkeypatch.setattr(os, "sched_getaffinity", lambda pid: set(range(64)), raising=False)
    quota = tmp_path / "cpu.max"
    for text, cores in (("max 100000\n", 64), ("200000 100000\n", 2), ("250000 100000\n", 3), ("1000 100000", 1)):
        quota.write_text(text)
        assert usable_cores(str(quota)) == cores, text
    assert usable_cores(str(tmp_path / "no-such-file")) == 64
    monkeypatch.setattr(pipelines.orchestration.pool, "usable_cores", lambda: 64)
    assert pool_workers(10_000, 8) == MAX_WORKERS
    monkeypatch.setattr(pipelines.orchestration.pool, "usable_cores", lambda: 3)
    assert pool_workers(7, 8) == 1
    assert pool_workers(16, 8) == 2
    assert pool_workers(800, 8) == 3
    monkeypatch.setenv("JAC_EXTRACT_WORKERS", "1")
    assert pool_workers(800, 8) == 1
    monkeypatch.setenv("JAC_EXTRACT_WORKERS", "4")
    assert pool_workers(3, 8) == 3 and pool_workers(100, 8) == 4
    for wrong in ("0", "two", "-1", "1.5"):
        monkeypatch.setenv("JAC_EXTRACT_WORKERS", wrong)
        with pytest.raises(ValueError, match=f"JAC_EXTRACT_WORKERS must be a whole number.*{wrong!r}"):
            pool_workers(100, 8)
