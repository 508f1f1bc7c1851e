# Two commands for a fresh machine: `make run` and `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: run test lint typecheck bench dist dist-check clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

## Open Briefer on the bundled library.
run: $(STAMP)
	$(BIN)/briefer

## Lint, type check and the whole suite, offscreen.
test: $(STAMP) lint typecheck
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m pytest -q

lint: $(STAMP)
	$(BIN)/ruff check briefer tests benchmarks packaging
	$(BIN)/ruff format --check briefer tests benchmarks packaging

typecheck: $(STAMP)
	$(BIN)/mypy

## Speed and memory figures (not part of `make test`).
bench: $(STAMP)
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m benchmarks

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
	rm -rf $(VENV) build dist packaging/build .pytest_cache .mypy_cache .ruff_cache
