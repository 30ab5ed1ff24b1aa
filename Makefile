# The two commands of the contract: `make lab` and `make test`. Both install what they need and are
# idempotent: stamps in .stamps/ (and the built bundle's timestamp) make a second run skip finished work.
SHELL := /bin/bash
VENV := .venv
BIN := $(VENV)/bin
STAMPS := .stamps
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
# Jupyter refuses to start as root unless told; containers and CI machines often are root
LAB_ROOT_FLAG := $(shell [ "$$(id -u)" = 0 ] && echo --allow-root)
JS_SOURCES := $(shell find js/src -type f) js/build.mjs package.json tsconfig.json
PYTEST_ARGS ?=

.PHONY: install lab test lint typecheck test-js test-py bench clean

install: $(STAMPS)/python $(STAMPS)/system labelnb/static/widget.js

$(STAMPS):
	mkdir -p $(STAMPS)

# label-studio-ml pins Flask 1.1.2 / Werkzeug 2.0.2: its server (tests/integration/test_ml_backend.py) gets a
# venv of its own
MLB_VENV := .venv-mlb
$(STAMPS)/mlb: tests/fixtures/ml_backend/requirements.txt | $(STAMPS)
	python3 -m venv $(MLB_VENV)
	$(MLB_VENV)/bin/pip install -q -r tests/fixtures/ml_backend/requirements.txt
	touch $@

# Debian packages: chromium for the browser tests, postgresql for the team store tests.
$(STAMPS)/system: | $(STAMPS)
	@if [ ! -x /usr/bin/chromium ] || [ ! -x /usr/bin/pg_ctlcluster ]; then \
	  $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get update -qq && \
	  $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium postgresql < /dev/null; \
	fi
	touch $@

# npm ci installs exactly what package-lock.json says and never rewrites it (npm install would)
$(STAMPS)/npm: package.json package-lock.json | $(STAMPS)
	npm ci --no-audit --no-fund
	touch $@

labelnb/static/widget.js: $(STAMPS)/npm $(JS_SOURCES)
	npm run build

$(BIN)/python:
	python3 -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip

# pip copies the shared data (server config, Voila template) at install time, so a change reinstalls.
SHARED_DATA := $(shell find jupyter-config labelnb/voila_templates -type f)

# The bundle is built above; hatch-jupyter-builder ignores skip-if-exists for editable installs and
# would run its own `npm install` (rewriting package-lock.json) and build, so it is told to skip.
$(STAMPS)/python: pyproject.toml $(SHARED_DATA) $(BIN)/python | labelnb/static/widget.js $(STAMPS)
	SKIP_JUPYTER_BUILDER=1 $(BIN)/pip install -q -e '.[dev]'
	touch $@

# Voila's preview inside JupyterLab uses labelnb's template too: no stylesheets from a CDN
lab: install
	$(BIN)/jupyter lab --ServerApp.root_dir=notebooks --VoilaConfiguration.template=labelnb $(LAB_ROOT_FLAG)

lint: install
	$(BIN)/ruff check labelnb tests benchmarks
	$(BIN)/ruff format --check labelnb tests benchmarks

typecheck: install
	$(BIN)/mypy
	npx tsc --noEmit -p .

test-js: install
	npx vitest run

test-py: install $(STAMPS)/mlb
	$(BIN)/pytest $(PYTEST_ARGS)

test: lint typecheck test-js test-py

# The figures of the README's performance table (about ten minutes on 2 cores).
BENCH_TASKS ?= 1000000
bench: install
	rm -rf benchmarks/out && mkdir -p benchmarks/out
	cd benchmarks && ../$(BIN)/python bench_import.py --tasks $(BENCH_TASKS) --keep out/project
	cd benchmarks && ../$(BIN)/python bench_next_task.py out/project
	cd benchmarks && ../$(BIN)/python bench_next_task.py out/project --overlap 3
	cd benchmarks && ../$(BIN)/python bench_memory.py --tasks $(BENCH_TASKS)
	cd benchmarks && ../$(BIN)/python bench_export.py --annotations $(BENCH_TASKS)
	cd benchmarks && ../$(BIN)/python bench_export_memory.py --annotations $(BENCH_TASKS)
	cd benchmarks && ../$(BIN)/python bench_export_speed.py --annotations 100000
	cd benchmarks && ../$(BIN)/python bench_sync.py --objects 100000
	cd benchmarks && ../$(BIN)/python bench_agreement.py --annotations 100000 --store
	cd benchmarks && ../$(BIN)/python bench_dashboard.py --annotations 100000
	cd benchmarks && ../$(BIN)/python bench_postgres.py --tasks 100000 --calls 500
	cd benchmarks && ../$(BIN)/python bench_team.py --annotators 20 --each 100
	cd benchmarks && ../$(BIN)/python bench_browser.py --tasks 50
	cd benchmarks && ../$(BIN)/python bench_editor.py --cycles 3
	cd benchmarks && ../$(BIN)/python bench_text.py --cycles 3
	cd benchmarks && ../$(BIN)/python bench_strategies.py --tasks $(BENCH_TASKS) --project out/strategies-project
	cd benchmarks && ../$(BIN)/python bench_learning.py --seeds 5 --budget 300 --n 200
	cd benchmarks && ../$(BIN)/python bench_retraining.py --tasks 60
	cd benchmarks && ../$(BIN)/python bench_retraining.py --tasks 60 --executor threads
	cd benchmarks && ../$(BIN)/python bench_jobs.py
	cd benchmarks && ../$(BIN)/python report.py

clean:
	rm -rf $(STAMPS) labelnb/static node_modules $(VENV) $(MLB_VENV)
