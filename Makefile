# The two commands: `make run` and `make test`. Each sets up what it needs on a fresh machine.
PYTHON ?= $(shell command -v python3.11 2>/dev/null || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
FLASK := $(BIN)/flask --app factcheck
HOST ?= 127.0.0.1
PORT ?= 5000

.PHONY: run test lint install install-dev migrate demo screenshots bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.runtime: requirements.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.dev: requirements.txt requirements-dev.txt $(VENV)/.runtime
	$(BIN)/pip install --quiet -r requirements-dev.txt
	touch $@

install: $(VENV)/.runtime
install-dev: $(VENV)/.dev

migrate: install
	$(FLASK) db upgrade

## Serve the app with the demo newsroom on http://127.0.0.1:5000
run: migrate
	$(FLASK) demo load --if-empty
	@echo "factcheck is at http://$(HOST):$(PORT)/"
	$(FLASK) run --host $(HOST) --port $(PORT)

## The whole test suite (SQLite always; PostgreSQL too when FACTCHECK_TEST_DATABASE_URL is set),
## one worker per core; each worker has its own databases.
PYTEST_ARGS ?= -n auto --dist loadfile
test: install-dev
	$(BIN)/python -m pytest $(PYTEST_ARGS)

## Lint (ruff, with import order) and types (mypy); CI runs this before the tests
lint: install-dev
	$(BIN)/ruff check .
	$(BIN)/mypy

## PNGs of the main pages (1280 px, the article page also at 360 px) into docs/screenshots/; needs Chromium
screenshots: install-dev
	$(BIN)/python -m tests.browser.screenshots docs/screenshots

## Pages against "the limit" at 1x/4x/16x data, throughput, audit verify and export (docs/performance.md).
## BENCH_SCALE=small finishes in under five minutes; BENCH_DATABASE_URL=postgresql://... benches PostgreSQL
## (that database's public schema is dropped). The last line printed is the result as JSON.
BENCH_SCALE ?= full
bench: install-dev
	$(BIN)/python bench/run.py --scale $(BENCH_SCALE)

clean:
	rm -rf $(VENV) .pytest_cache

## Quality figures on labelled data (the shared seed article, our wire stories, PolNeAR dev,
## CheckThat! dev-test): recall, precision, claimant accuracy (strict), via accuracy
.PHONY: eval
eval: install-dev
	$(BIN)/python -m tools.evaluate

## Re-fit the shipped models: check-worthiness weights on CheckThat! train, the attribution CRF,
## the subject verbs and the stance reader on PolNeAR train (all seeded; choices on dev only; no test split is read). Needs python-crfsuite.
.PHONY: train
train: install-dev
	$(BIN)/python -m tools.train_checkworthiness
	$(BIN)/python -m tools.train_attribution_crf
	$(BIN)/python -m tools.count_subject_verbs
	$(BIN)/python -m tools.train_stance
