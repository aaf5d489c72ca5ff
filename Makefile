# kzanalysis — two commands: `make reports` and `make test`.
# Both bootstrap .venv from requirements.lock on first use (and only when the lock changed).

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.kzanalysis-installed
RAW ?= ../shared/data
JOBS ?=
# Project-local Jupyter/IPython/matplotlib state keeps runs self-contained.
export JUPYTER_CONFIG_DIR := $(CURDIR)/.jupyter/config
export JUPYTER_DATA_DIR := $(CURDIR)/.jupyter/data
export JUPYTER_RUNTIME_DIR := $(CURDIR)/.jupyter/runtime
export IPYTHONDIR := $(CURDIR)/.jupyter/ipython
export MPLCONFIGDIR := $(CURDIR)/.jupyter/matplotlib
export PYDEVD_DISABLE_FILE_VALIDATION := 1

.PHONY: venv pyc reports test test-fast lab pair update data data-check verify lint format lock bench clean help

help:
	@echo "make reports   build every HTML report in reports/ from the bundled data"
	@echo "make test      run all tests (unit, integration, nbval)"
	@echo "make test-fast the contributor's loop: the tests not marked integration (no nbval)"
	@echo "make lab       start JupyterLab with the project kernel"
	@echo "make pair      pair notebooks with their jupytext scripts (PAIR_ARGS=--check)"
	@echo "make data      re-curate data/ from $(RAW)"
	@echo "make lint      ruff check + format check"
	@echo "make lock      re-resolve requirements.lock from pyproject.toml"

venv: $(STAMP)

$(STAMP): requirements.lock pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	@mkdir -p $(JUPYTER_CONFIG_DIR) $(JUPYTER_DATA_DIR) $(JUPYTER_RUNTIME_DIR) $(IPYTHONDIR) $(MPLCONFIGDIR)
	$(BIN)/python -m pip install --quiet --upgrade "pip>=24"
	$(BIN)/python -m pip install --quiet --no-deps --require-hashes -r requirements.lock
	$(BIN)/python -m pip install --quiet --no-deps -e .
	$(BIN)/python -m ipykernel install --sys-prefix --name python3 --display-name "Python 3 (kzanalysis)" >/dev/null
	@touch $(STAMP)

# The package's bytecode, compiled ahead (in src/kzanalysis/__pycache__, ignored by git).
# Python still reads it when PYTHONDONTWRITEBYTECODE=1 (set on some CI machines), which
# otherwise made every kernel, worker and CLI process compile the ~60 modules again:
# about 0.5 s each. Up to date, this step takes 0.1 s.
pyc: $(STAMP)
	@$(BIN)/python -m compileall -q src/kzanalysis

reports: $(STAMP) pyc
	$(BIN)/kzanalysis build $(if $(JOBS),--jobs $(JOBS),)

test: $(STAMP) pyc
	$(BIN)/python -m pytest -n 2 --dist loadfile tests notebooks --nbval --nbval-sanitize-with tests/nbval_sanitize.cfg

# A contributor's loop (about a minute on 2 cores): unit and reliability tests, without the
# ones marked ``integration`` (real builds, browsers, re-curation) and without nbval.
# `make test` stays the gate (CI runs it).
test-fast: $(STAMP) pyc
	$(BIN)/python -m pytest -n 2 --dist loadfile -m "not integration" tests

# JupyterLab on 127.0.0.1 in notebooks/, with the project kernel "Python 3 (kzanalysis)"
# (registered again if it was removed). Extra options: make lab LAB_PORT=8899 LAB_ARGS=--no-browser
LAB_PORT ?= 8888
LAB_ARGS ?=
lab: $(STAMP)
	@test -f $(VENV)/share/jupyter/kernels/python3/kernel.json || $(BIN)/python -m ipykernel \
		install --sys-prefix --name python3 --display-name "Python 3 (kzanalysis)" >/dev/null
	exec $(BIN)/jupyter lab --ip 127.0.0.1 --port $(LAB_PORT) --allow-root \
		--ServerApp.root_dir=$(CURDIR)/notebooks $(LAB_ARGS)

# Pair every notebook with its jupytext percent script (notebooks/*.py; rules in
# notebooks/jupytext.toml). PAIR_ARGS="--check" only checks.
pair: $(STAMP)
	$(BIN)/python -m kzanalysis.pairing $(PAIR_ARGS)

# Scheduled job: pull new upstream editions, re-curate safely, rebuild what changed
# (README "Scheduled builds"). Extra options: make update UPDATE_ARGS="--source brent".
update: $(STAMP) pyc
	$(BIN)/kzanalysis update --raw $(RAW) --plain $(if $(JOBS),--jobs $(JOBS),) \
		--summary-json reports/update-summary.json --log-file reports/.build/update.log \
		$(UPDATE_ARGS)

data: $(STAMP)
	$(BIN)/kzanalysis data curate --raw $(RAW)

data-check: $(STAMP)
	$(BIN)/kzanalysis data curate --raw $(RAW) --check

verify: $(STAMP)
	$(BIN)/kzanalysis data verify

# The library, the tests, the benchmarks and the notebooks' percent scripts (notebooks/*.py;
# the .ipynb are excluded in pyproject.toml). After `make format`, run `make pair` so the
# notebooks take the new cell sources (their outputs stay).
LINT_PATHS := src tests benchmarks notebooks

lint: $(STAMP)
	$(BIN)/ruff check $(LINT_PATHS)
	$(BIN)/ruff format --check $(LINT_PATHS)

format: $(STAMP)
	$(BIN)/ruff format $(LINT_PATHS)
	$(BIN)/ruff check --fix $(LINT_PATHS)

lock: $(STAMP)
	$(BIN)/uv pip compile pyproject.toml --extra dev --python-version 3.11 --generate-hashes \
		--no-emit-package rfc3987-syntax -o requirements.lock

bench: $(STAMP) pyc
	$(BIN)/python benchmarks/bench.py

clean:
	rm -rf $(VENV) .jupyter .pytest_cache
