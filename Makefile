# Two commands set up everything on a fresh machine: `make lab` and `make test`.
# Every other target is for instructors (release, grade, feedback, export, report) or
# contributors (lint, clean-notebooks, bench). All of them create .venv when it is missing.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
PORT ?= 8888
WORKERS ?= 2
START_PAGE := notebooks/00_start.ipynb
# jupyter refuses to run as root without this flag; only add it when we are root.
ROOT_FLAG := $(if $(filter 0,$(shell id -u)),--allow-root,)

.PHONY: install lab app test test-fast lint clean-notebooks check-notebooks release grade feedback export report bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

# Reinstall when the project's metadata changes; the stamp keeps later runs fast.
$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[test]"
	@touch $@

install: $(STAMP)

lab: install
	@echo "Starting JupyterLab on the start page: http://localhost:$(PORT)/lab/tree/$(START_PAGE)"
	@echo "(JupyterLab prints the same address with its access token below; open that one.)"
	$(BIN)/jupyter lab --port=$(PORT) $(ROOT_FLAG) \
		--LabApp.default_url=/lab/tree/$(START_PAGE) --ServerApp.root_dir=$(CURDIR)

test: install
	$(BIN)/ruff check .
	$(BIN)/python -m netcourse.notebook_hygiene --check notebooks source release
	$(BIN)/python -m pytest tests notebooks --nbval-lax --nbval-cell-timeout=120

# The unit tests alone, for a quick loop while editing.
test-fast: install
	$(BIN)/python -m pytest tests -m "not slow"

lint: install
	$(BIN)/ruff check .

clean-notebooks: install
	$(BIN)/python -m netcourse.notebook_hygiene --fix notebooks source release

check-notebooks: install
	$(BIN)/python -m netcourse.notebook_hygiene --check notebooks source release

clean:
	rm -rf $(VENV) .pytest_cache
