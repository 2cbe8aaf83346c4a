# Project Office: `make run` starts the office with the demo portfolio; `make test` runs the
# whole suite. Both create the virtual environment in .venv on first use.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
export PMO_DATA_DIR ?= $(CURDIR)/data
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test install install-dev system-packages lint typecheck check benchmark clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

install: $(BIN)/python
	$(BIN)/python -m pip install --quiet -e .

install-dev: $(BIN)/python system-packages
	$(BIN)/python -m pip install --quiet -e '.[dev]'

# Debian packages the tests need: Chromium for browser tests, Java for the MPXJ oracle,
# the PostgreSQL client for backups.
system-packages:
	@sh scripts/system-packages.sh

run: install
	$(BIN)/pmo demo --fresh --quiet
	$(BIN)/pmo serve --host $(HOST) --port $(PORT)

# Two workers: the suite is mostly database and browser waits.
test: install-dev
	$(BIN)/python -m pytest -n 2

lint: install-dev
	$(BIN)/ruff check .
	PYTHONPATH=. $(BIN)/lint-imports

typecheck: install-dev
	$(BIN)/mypy projectoffice

check: lint typecheck test

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
