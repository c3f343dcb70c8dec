# `make build` and `make test` work on a fresh machine with Python 3.11+: they create .venv/ themselves.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
NOTES ?= notes
OUTPUT ?= output

.PHONY: build test bench clean realnotes

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

# The labelled samples of other people's notes beside the clone (../shared): each built, then scored.
SAMPLES ?= real-notes real-notes-intl real-notes-syntax
realnotes: $(VENV)/.app
	@for s in $(SAMPLES); do \
	  rm -rf /tmp/deckgraph-$$s && mkdir -p /tmp/deckgraph-$$s && cp -r ../shared/$$s/notes /tmp/deckgraph-$$s/notes && \
	  $(BIN)/deckgraph build /tmp/deckgraph-$$s/notes -o /tmp/deckgraph-$$s/out >/dev/null && \
	  printf '%-18s ' "$$s:" && $(BIN)/python ../shared/real-notes/score.py ../shared/$$s/labels.json /tmp/deckgraph-$$s/out | tail -1; \
	done

bench: $(VENV)/.test
	$(BIN)/python bench/run.py

clean:
	rm -rf $(OUTPUT) bench/corpus test-artifacts
