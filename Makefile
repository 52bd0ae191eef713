# Two commands do all the set-up from a fresh clone: `make run` and `make test`.
# Each creates .venv if it is missing and installs what it needs (again when pyproject.toml changes).

PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin

.PHONY: run test lint catalogues check-python clean

run: $(VENV)/.installed-run
	$(BIN)/claimwatch run

# pytest -n auto: one worker a CPU (pytest-xdist); most of the suite waits on processes and sockets.
test: $(VENV)/.installed-test
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	$(BIN)/pytest -n auto

lint: $(VENV)/.installed-test
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

# After changing the bot's wording: refresh the template from the code, merge it into the Russian
# and Ukrainian catalogues (translate what is new or marked fuzzy), then compile the .mo files.
LOCALES := bot/locales
VERSION = $(shell sed -n 's/^version = "\(.*\)"/\1/p' pyproject.toml)
catalogues: $(VENV)/.installed-test
	$(BIN)/pybabel extract -F babel.cfg --no-location --sort-output --project=claimwatch \
		--version="$(VERSION)" --copyright-holder="claimwatch" -o $(LOCALES)/claimwatch.pot .
	$(BIN)/pybabel update -i $(LOCALES)/claimwatch.pot -d $(LOCALES) -D claimwatch --ignore-obsolete
	$(BIN)/pybabel compile -d $(LOCALES) -D claimwatch --statistics

check-python:
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "claimwatch needs Python 3.11 or newer; set PYTHON=/path/to/python3.11")'

$(BIN)/python: | check-python
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed-run: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e .
	@touch $@

$(VENV)/.installed-test: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e ".[test]"
	@touch $@ $(VENV)/.installed-run

clean:
	rm -rf $(VENV) .mypy_cache .ruff_cache .pytest_cache .hypothesis
