# Two commands do everything on a fresh machine: `make run` and `make test`.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
NB ?=
OUT ?=
WORKERS ?= 2
THREADS ?= 1

.PHONY: help install run run-fast notebooks test lint format assignments release grade book lab classifier headers clean

help:
	@echo "make run [NB=03]   execute notebooks at their defaults (papermill) into runs/<time>/"
	@echo "make test          lint, unit tests and every notebook in fast mode (nbval)"
	@echo "make notebooks     re-execute notebooks at their defaults and commit-ready outputs in place"
	@echo "make assignments   student versions without solutions into release/"
	@echo "make release [REMOTE=URL]  publish the student repository (utils/config.py STUDENT_REPO)"
	@echo "make grade SUBMISSIONS=DIR [NB='00 04'] [OUT=grades]  grade a class (resumes): grades.csv, feedback/"
	@echo "make grade MERGE=EDITED.csv [OUT=grades]  merge hand-graded points of open questions"
	@echo "make book [STUDENT=1]  the course website (STUDENT=1: without solutions) into _build/html"
	@echo "make lab           install the course with JupyterLab only (no nbgrader) and open it"
	@echo "make classifier    retrain the evaluation digit classifier (data/eval_classifier.pt)"
	@echo "make headers       regenerate notebook headers, set-up cells, kernelspecs, README Colab table"
	@echo "make lint | format"

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -e ".[dev,dask,grade]"
	@touch $(STAMP)

install: $(STAMP)

run: $(STAMP)
	$(BIN)/python -m utils.run $(NB) $(if $(OUT),--out $(OUT))

notebooks: $(STAMP)
	$(BIN)/python -m utils.run $(NB) --inplace --out runs/inplace

run-fast: $(STAMP)
	$(BIN)/python -m utils.run $(NB) --fast $(if $(OUT),--out $(OUT))

lint: $(STAMP)
	$(BIN)/ruff check utils tests conftest.py
	$(BIN)/ruff format --check utils tests conftest.py
	$(BIN)/nbqa ruff notebooks
	$(BIN)/ruff format --check notebooks

format: $(STAMP)
	$(BIN)/ruff check --fix utils tests conftest.py
	$(BIN)/ruff format utils tests conftest.py notebooks
	$(BIN)/nbqa ruff --fix notebooks

# One thread per test worker (and per notebook kernel it starts) by default: WORKERS processes with
# torch's default thread count oversubscribe the cores and run several times slower. The tests
# compare floats with tolerances, so other thread counts must pass too: on 2 cores check with
# `make test THREADS=2 WORKERS=1` (THREADS=2 with 2 workers oversubscribes and crawls).
test: lint
	GDL_FAST=1 OMP_NUM_THREADS=$(THREADS) MKL_NUM_THREADS=$(THREADS) OPENBLAS_NUM_THREADS=$(THREADS) \
		$(BIN)/python -m pytest -n $(WORKERS) --dist loadscope --durations=20 \
		--cov=utils --cov-report=term-missing:skip-covered --cov-fail-under=90 \
		--nbval-lax tests notebooks

assignments: $(STAMP)
	$(BIN)/python -m utils.assignments

# The student repository: tracked files less tests and grading tools, notebooks as student versions,
# pushed to STUDENT_BRANCH of STUDENT_REPO (utils/config.py), or to REMOTE (or $GDL_STUDENT_REMOTE).
REMOTE ?=
release: $(STAMP)
	$(BIN)/python -m utils.assignments --publish $(if $(REMOTE),--remote $(REMOTE))

# A student's Lab: the package and the lab extra only (no dev extra, so no nbgrader authoring UI).
lab:
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q -e ".[lab]"
	$(BIN)/jupyter lab notebooks/00_introduction.ipynb

book: $(STAMP)
	$(BIN)/python -m utils.book --out _build $(if $(STUDENT),--student)

SUBMISSIONS ?=
# A class (NB="00 04": the notebooks due), or MERGE=EDITED.csv: hand-graded points back in.
grade: $(STAMP)
	@test -n "$(SUBMISSIONS)$(MERGE)" || (echo "make grade: give SUBMISSIONS=DIR (one folder of notebooks per student) or MERGE=EDITED.csv" && exit 2)
	$(BIN)/python -m utils.grade $(if $(MERGE),merge $(MERGE),$(SUBMISSIONS) $(if $(NB),--notebooks $(NB))) --out $(if $(OUT),$(OUT),grades)

classifier: $(STAMP)
	$(BIN)/python -m utils.classifier

headers: $(STAMP)
	$(BIN)/python -m utils.headers

clean:
	rm -rf release .cache .coverage htmlcov
