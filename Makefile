# `make build` and `make test` work on a fresh machine with Python 3.11+: they create .venv/ themselves.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
NOTES ?= notes
OUTPUT ?= output

.PHONY: build test bench clean

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

test: $(VENV)/.test
	$(BIN)/python -m pytest

bench: $(VENV)/.test
	$(BIN)/python bench/run.py

clean:
	rm -rf $(OUTPUT) bench/corpus test-artifacts
