# Two commands do everything on a fresh machine: `make release` and `make test`.
PYTHON ?= python3.11
VENV := .venv
PY := $(VENV)/bin/python
export DAGSTER_HOME := $(CURDIR)/.dagster
export JAC_PROJECT_ROOT := $(CURDIR)
export PYTHONPATH := $(CURDIR)

.PHONY: install release test check quality shell dev readme bench clean

$(VENV)/.installed: requirements.lock pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements.lock
	touch $@

install: $(VENV)/.installed

# The instance: one publishing run at a time; run monitoring on, so that the daemon fails the runs it
# launched that never start or outlive 6 hours (runs of a killed `make release` are failed by the next
# one: runner.recover_dead_runs).
$(DAGSTER_HOME)/dagster.yaml:
	mkdir -p $(DAGSTER_HOME)
	printf 'telemetry:\n  enabled: false\nconcurrency:\n  runs:\n    tag_concurrency_limits:\n      - key: jac/publishes\n        limit: 1\nrun_monitoring:\n  enabled: true\n  start_timeout_seconds: 180\n  cancel_timeout_seconds: 180\n  max_runtime_seconds: 21600\n  poll_interval_seconds: 60\n' > $@

## Run the whole Dagster job in-process and publish releases/<version>/ when the data changed.
release: install $(DAGSTER_HOME)/dagster.yaml
	$(PY) -m pipelines.cli release

## The whole test suite: the fast unit tests and the integration tests marked slow (release, browser).
test: install
	$(PY) -m pytest -q

## Before a commit: format, lint, types, the import contracts (layers, no cycles), the fast tests.
check: install
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/ruff check .
	$(VENV)/bin/mypy
	$(VENV)/bin/lint-imports
	$(PY) -m pytest -q -m "not slow"

## Score the extractors on the annotated real pages (tests/corpus/real): writes QUALITY.md and quality.json.
quality: install
	$(PY) -m pipelines.cli quality

## Open the latest release in the DuckDB shell, read-only.
shell: install
	$(VENV)/bin/duckdb -readonly releases/$$($(PY) -c "import json;print(json.load(open('releases/index.json'))['latest'])")/japan-asean-cooperation.duckdb

## The Dagster UI and daemon (schedule, sensor) on the same definitions.
dev: install $(DAGSTER_HOME)/dagster.yaml
	$(VENV)/bin/dagster dev -w workspace.yaml

## Regenerate the README's derived sections (data dictionary).
readme: install
	$(PY) -m pipelines.cli readme

## Benchmarks (not tests; not run in CI). `make bench SCALES=1000` adds the 1000x corpus (5,000 documents).
bench: install
	$(PY) -m bench.bench $(if $(SCALES),--scales 1,10,100,$(SCALES))

clean:
	rm -rf $(VENV) .dagster warehouse .pytest_cache
