# Two commands set up everything on a fresh machine: `make lab` and `make test`.
# Every other target is for instructors (release, grade, feedback, export, report) or
# contributors (lint, clean-notebooks, bench). All of them create .venv when it is missing.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
STUDENT_STAMP := $(VENV)/.student-stamp
# JupyterLab for students: nbgrader's menu, Validate button and instructor pages switched off
# (labconfig/page_config.json and jupyter_server_config.json in this folder), even in a .venv
# that `make test` filled with the instructor tools.
STUDENT_CONFIG := $(CURDIR)/jupyter-student
PORT ?= 8888
WORKERS ?= 2
START_PAGE := notebooks/00_start.ipynb
# jupyter refuses to run as root without this flag; only add it when we are root.
ROOT_FLAG := $(if $(filter 0,$(shell id -u)),--allow-root,)

.PHONY: install install-student hub-deps lab app test test-fast lint clean-notebooks record-outputs check-notebooks release grade grade-sequential feedback export report bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

# Reinstall when the project's metadata changes; the stamps keep later runs fast.
# Students (make lab, make app): the course and what it runs on, nothing for grading or testing.
$(STUDENT_STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e .
	@touch $@

# Everyone else (make test, instructors' targets): the student install plus the instructor and test extras.
$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[test]"
	@touch $@ $(STUDENT_STAMP)

install-student: $(STUDENT_STAMP)

install: $(STAMP)

# The course hub's one node dependency, configurable-http-proxy (exact version pinned in
# autograder/hub/package.json), for tests/test_hub_e2e.py and for running the hub. Needs npm.
HUB_PROXY := autograder/hub/node_modules/.bin/configurable-http-proxy
$(HUB_PROXY): autograder/hub/package.json
	@if command -v npm >/dev/null 2>&1; then \
		cd autograder/hub && npm install --no-audit --no-fund --no-package-lock --loglevel=error && touch $(CURDIR)/$@; \
	else \
		echo "npm not found: the JupyterHub end-to-end test will be skipped (install Node.js and npm to run it)."; \
	fi

hub-deps: $(HUB_PROXY)

lab: install-student
	@echo "Starting JupyterLab on the start page: http://localhost:$(PORT)/lab/tree/$(START_PAGE)"
	@echo "(JupyterLab prints the same address with its access token below; open that one.)"
	JUPYTER_CONFIG_PATH="$(STUDENT_CONFIG)$${JUPYTER_CONFIG_PATH:+:$$JUPYTER_CONFIG_PATH}" $(BIN)/jupyter lab --port=$(PORT) $(ROOT_FLAG) \
		--LabApp.default_url=/lab/tree/$(START_PAGE) --ServerApp.root_dir=$(CURDIR)

# The tools as standalone pages (Voila runs each notebook in notebooks/apps/ and shows only its
# widgets). Saved work goes to notebooks/my-networking/, the same folder the lessons use.
APP_PORT ?= 8866
app: install-student
	@echo "Starting Voila on the tools: http://localhost:$(APP_PORT)/  (Ctrl+C stops it)"
	@for page in notebooks/apps/*.ipynb; do echo "  http://localhost:$(APP_PORT)/voila/render/$${page#notebooks/apps/}"; done
	NETCOURSE_WORK_DIR="$${NETCOURSE_WORK_DIR:-$(CURDIR)/notebooks/my-networking}" \
		JUPYTER_CONFIG_PATH="$(STUDENT_CONFIG)$${JUPYTER_CONFIG_PATH:+:$$JUPYTER_CONFIG_PATH}" $(BIN)/voila notebooks/apps --port=$(APP_PORT) --no-browser

test: install hub-deps
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

# Store the expected output of cells tagged nbval-check-output (nbval compares against it).
record-outputs: install
	$(BIN)/python -m netcourse.notebook_hygiene --record notebooks

check-notebooks: install
	$(BIN)/python -m netcourse.notebook_hygiene --check notebooks source release

# ---- Instructors: the nbgrader course (walk-through in autograder/README.md) ----
# nbgrader reads autograder/nbgrader_config.py through JUPYTER_CONFIG_PATH; the course root is
# this folder unless NETCOURSE_COURSE_ROOT names another (the tests grade a sample class that way).
# (.venv/bin goes on PATH too: nbgrader runs the `alembic` command when it creates a gradebook.)
NBGRADER_ENV := JUPYTER_CONFIG_PATH=$(CURDIR)/autograder PATH=$(CURDIR)/$(BIN):$$PATH
NBGRADER := $(NBGRADER_ENV) $(BIN)/nbgrader
ASSIGNMENT := networking-workbook

# Student version of the workbook: release/ from source/ (commit it; CI checks it is current).
release: install
	$(NBGRADER) generate_assignment $(ASSIGNMENT) --force
	$(BIN)/python -m netcourse.notebook_hygiene --fix $${NETCOURSE_COURSE_ROOT:-.}/release

# Autograde every submission in submitted/<student>/networking-workbook/ with WORKERS processes
# (nbgrader's own autograde steps and gradebook; each student's code isolated and limited).
# A progress bar while it runs; a summary at the end (also autograded/grading-summary.csv).
grade: install
	$(NBGRADER_ENV) $(BIN)/netcourse-grade $(ASSIGNMENT) --force --workers=$(WORKERS)

# The same, one submission after another with plain nbgrader (for comparison).
grade-sequential: install
	$(NBGRADER) autograde $(ASSIGNMENT) --force

# Class report after grading: reports/networking-workbook-report.html (+ scores and questions CSV),
# after the grade exports (make export).
report: install export
	$(NBGRADER_ENV) $(BIN)/netcourse-grade report $(ASSIGNMENT)

# Benchmark: K copies of the sample class graded by sequential nbgrader and by `make grade` (BENCH_K=100).
BENCH_K ?= 100
bench: install
	$(NBGRADER_ENV) $(BIN)/python benchmarks/bench_grading.py --students $(BENCH_K) --workers $(WORKERS)

# Feedback HTML in feedback/<student>/networking-workbook/ (no hidden tests, solutions or marking guides).
feedback: install
	$(NBGRADER) generate_feedback $(ASSIGNMENT) --force

# exports/grades.csv (every score) and exports/canvas-grades.csv (Canvas gradebook import).
export: install
	$(NBGRADER_ENV) $(BIN)/python -m netcourse.grading.export

clean:
	rm -rf $(VENV) .pytest_cache
