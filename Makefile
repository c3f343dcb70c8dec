# `make build` and `make test` work on a fresh machine with Python 3.11+: they create .venv/ themselves.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
NOTES ?= notes
OUTPUT ?= output

.PHONY: build test lint realnotes bench bench-large clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.app: $(BIN)/python pyproject.toml
	$(BIN)/pip install --quiet -e .
	touch $@

$(VENV)/.test: $(VENV)/.app
	$(BIN)/pip install --quiet -e '.[test]'
	touch $@

build: $(VENV)/.app
	$(BIN)/deckgraph build $(NOTES) -o $(OUTPUT)

# Lint, format, types and the import contract, then every test with a real Anki and a real Chromium
# (found or installed by scripts/ensure-browser).
test: $(VENV)/.test lint
	CHROMIUM="$$(scripts/ensure-browser $(BIN)/python)" $(BIN)/python -m pytest

lint: $(VENV)/.test
	$(BIN)/ruff check generator tests bench
	$(BIN)/ruff format --check generator tests bench
	$(BIN)/mypy
	$(BIN)/lint-imports

# The card and concept-map scores on the labelled real notes beside the repository (../shared).
realnotes: $(VENV)/.app
	scripts/realnotes $(BIN)/python

# deckgraph against ../shared/bench/floor.py on 10,000 cards, side by side in one run; bench-large: 100,000
# cards and check / --merge-duplicates (long; not part of `make test`).
bench: $(VENV)/.test
	$(BIN)/python bench/run.py

bench-large: $(VENV)/.test
	$(BIN)/python bench/run.py --large

clean:
	rm -rf $(OUTPUT) bench/corpus test-artifacts
