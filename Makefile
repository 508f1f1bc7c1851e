# Two commands for a fresh machine: `make run` and `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
RUN_STAMP  := $(VENV)/.installed-run
STAMP      := $(VENV)/.installed-test

.PHONY: run test test-fast lint typecheck bench dist dist-check clean

# `make run` installs only what Briefer needs to run; the test tools come with `make test`.
$(RUN_STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e .
	touch $(RUN_STAMP)

$(STAMP): $(RUN_STAMP)
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

## Open Briefer on the bundled library.
run: $(RUN_STAMP)
	$(BIN)/briefer

## Lint, type check and the whole suite, offscreen.
test: $(STAMP) lint typecheck
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m pytest -q

## The suite without the slow tests (kill loops, fuzzing, the wheel install): about a minute.
test-fast: $(STAMP)
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m pytest -q -m "not slow"

lint: $(STAMP)
	$(BIN)/ruff check briefer tests benchmarks packaging
	$(BIN)/ruff format --check briefer tests benchmarks packaging

typecheck: $(STAMP)
	$(BIN)/mypy

## Speed and memory figures (not part of `make test`).
# Bytecode on, as in a user's install (a shell with PYTHONDONTWRITEBYTECODE set would make
# every start compile Briefer's sources again: +80 ms).
bench: $(STAMP)
	env -u PYTHONDONTWRITEBYTECODE QT_QPA_PLATFORM=offscreen $(BIN)/python -m benchmarks

## The frozen one-folder app in dist/briefer (not part of `make test`).
dist: $(STAMP)
	$(BIN)/python -m pip install --quiet -e '.[test,dist]'
	$(BIN)/python packaging/make_icons.py
	$(BIN)/pyinstaller --noconfirm --clean --log-level WARN \
		--distpath dist --workpath build/pyinstaller packaging/briefer.spec

## Build if needed, then check the built app: validate, export and read back, start the GUI.
dist-check: $(STAMP)
	test -x dist/briefer/briefer || $(MAKE) dist
	$(BIN)/python packaging/dist_check.py

clean:
	rm -rf $(VENV) build dist packaging/build .pytest_cache .mypy_cache .ruff_cache \
		.hypothesis briefer.egg-info
