# One-command set-up: every target installs the locked environment in .venv/ first.
SHELL := /bin/bash
PYTHON_BOOT ?= python3
UV_VERSION := 0.13.9
TOOLS := .tools
UV := $(TOOLS)/bin/uv
VENV := .venv
PY := $(VENV)/bin/python
export PAPERS_LANDING_DIR ?= $(CURDIR)/data/landing
export PAPERS_WAREHOUSE_DIR ?= $(CURDIR)/warehouse
export DAGSTER_HOME ?= $(PAPERS_WAREHOUSE_DIR)/dagster_home
export UV_PROJECT_ENVIRONMENT := $(CURDIR)/$(VENV)
DEV_PORT ?= 3000

.PHONY: setup run test dev launch automation-on automation-off duckdb-cli bench bench-small eval-claims eval-topics check-defs clean

$(UV):
	$(PYTHON_BOOT) -m venv $(TOOLS)
	$(TOOLS)/bin/pip install --quiet --disable-pip-version-check uv==$(UV_VERSION)

$(VENV)/.synced: $(UV) uv.lock pyproject.toml
	$(UV) sync --frozen --compile-bytecode --python $(PYTHON_BOOT)  # bytecode at install: with PYTHONDONTWRITEBYTECODE set, every run compiled ~10k modules
	touch $@

setup: $(VENV)/.synced

run: setup  ## ingest the landing folder, validate, derive topics and metrics, publish, build papers.duckdb
	$(PY) -m workflows.cli run

test: setup  ## the whole test suite (builds its own temporary warehouses)
	$(PY) -m pytest -q -n auto --dist loadfile  # one worker per core; a test file stays on one worker (module fixtures)

dev: setup  ## Dagster UI on http://127.0.0.1:3000, on the instance make run uses (schedule and sensor start off)
	$(PY) -m workflows.launch dev --port $(DEV_PORT)

launch: setup  ## dg launch on that instance: make launch JOB=refresh_corpus, or JOB=ingest_landing_file PARTITION=<file>
	$(PY) -m workflows.launch launch $(JOB) $(PARTITION)

automation-on: setup  ## dagster sensor start landing_sensor + schedule start daily_refresh (they tick while make dev runs)
	$(PY) -m workflows.launch automation on

automation-off: setup
	$(PY) -m workflows.launch automation off

duckdb-cli: $(UV)  ## DuckDB's command-line client (duckdb-cli 1.5.6 from PyPI) as .tools/bin/duckdb
	$(TOOLS)/bin/pip install --quiet --disable-pip-version-check duckdb-cli==1.5.6

check-defs: setup  ## dg check defs (with the project's instance, so nothing lands in ~/.dagster)
	$(PY) -m workflows.launch check

bench: setup  ## the users' command at 100k and 1M papers, each then +210 papers, 5,000 landing files
	$(PY) -m tools.bench --papers 100000 1000000 --landing-files 5000

bench-small: setup
	$(PY) -m tools.bench --papers 10000

eval-claims: setup
	$(PY) -m tools.evaluate_claims

eval-topics: setup
	$(PY) -m tools.evaluate_topics

clean:
	rm -rf $(PAPERS_WAREHOUSE_DIR)/tables $(PAPERS_WAREHOUSE_DIR)/ingest $(PAPERS_WAREHOUSE_DIR)/papers.duckdb
