# sharedsvc: two commands on a fresh machine (only python3 and make needed).
#   make run   set up, cross-check and validate every shipped design, build the docs site
#   make test  set up and run the whole test suite (lint, types, schema drift, pytest)

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp

.PHONY: run test setup lint typecheck schemas docs serve bench clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --upgrade pip
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[dev]'
	touch $(STAMP)

setup: $(STAMP)

run: $(STAMP)
	$(BIN)/sharedsvc check
	@for dir in designs/*/*/; do \
	  id=$${dir#designs/}; id=$${id%/}; \
	  $(BIN)/sharedsvc validate "$$id" "$$dir"examples/valid/*.json || exit 1; \
	done
	DISABLE_MKDOCS_2_WARNING=true NO_MKDOCS_2_WARNING=1 $(BIN)/mkdocs build --strict
	@echo
	@echo "Docs site built: open file://$(CURDIR)/site/index.html (or run 'make serve' for search)"

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: $(STAMP)
	$(BIN)/mypy

schemas: $(STAMP)
	$(BIN)/sharedsvc export

test: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/mypy
	$(BIN)/sharedsvc export --check
	$(BIN)/pytest

serve: $(STAMP)
	$(BIN)/mkdocs serve -a 127.0.0.1:8000

bench: $(STAMP)
	$(BIN)/python benchmarks/bench_validation.py

clean:
	rm -rf $(VENV) site build dist .pytest_cache .mypy_cache .ruff_cache .hypothesis artefacts
