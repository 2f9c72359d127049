# Two commands work on a fresh machine with Python >= 3.10 and make:
#   make run    set up .venv and run the default benchmark (hibo_core + tfidf_lr)
#   make test   set up .venv with the dev extra and run the test suite
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
OFFLINE := HF_HUB_OFFLINE=1 HF_DATASETS_OFFLINE=1 MLFLOW_DISABLE_TELEMETRY=true

.PHONY: run test lint typecheck embeddings clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e .
	touch $@

$(VENV)/.installed-dev: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	touch $@ $(VENV)/.installed

run: $(VENV)/.installed
	$(OFFLINE) $(BIN)/hibobench run

test: $(VENV)/.installed-dev
	$(OFFLINE) $(BIN)/python -m pytest

# Optional: sentence-transformers baselines. CPU torch first, or pip pulls a CUDA build.
embeddings: $(VENV)/.installed
	$(BIN)/python -m pip install --quiet torch==2.13.0
	$(BIN)/python -m pip install --quiet -e ".[embeddings]"

lint: $(VENV)/.installed-dev
	$(BIN)/ruff check benchmark baselines tests data_build
	$(BIN)/ruff format --check benchmark baselines tests data_build

typecheck: $(VENV)/.installed-dev
	$(BIN)/mypy

clean:
	rm -rf $(VENV) outputs multirun mlruns mlflow.db
