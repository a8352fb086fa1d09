# One command for the main job, one for the tests; both set up everything they need.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
DEVSTAMP := $(VENV)/.dev-installed

.PHONY: report test test-fast setup dev system-deps lab app bench assumptions clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e .
	$(BIN)/python -m ipykernel install --prefix $(VENV) --name python3 >/dev/null
	touch $@

$(DEVSTAMP): $(STAMP) pyproject.toml
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $@

setup: $(STAMP)
dev: $(DEVSTAMP)

system-deps:
	@bash scripts/ensure-system-deps.sh

## The main job: the base scenario's comparison table (printed, and as CSV), then PDF reports
## for the shipped scenarios and their side-by-side comparison, all in reports/
report: $(STAMP) system-deps
	$(BIN)/divaecon quote --scenario data/scenarios/base.yaml --csv reports/quote-base.csv
	$(BIN)/divaecon report --out reports

## The whole test suite: lint, types, tests (browser and slow ones included)
test: $(DEVSTAMP) system-deps
	$(BIN)/ruff check divaecon tests benchmarks
	$(BIN)/mypy
	$(BIN)/python -m pytest -n 2 --dist loadgroup

## Quick local loop: no browser, no slow runs
test-fast: $(DEVSTAMP)
	$(BIN)/python -m pytest -n 2 --dist loadgroup -m "not browser and not slow"

lab: $(STAMP)
	$(BIN)/jupyter lab notebooks

app: $(STAMP)
	$(BIN)/divaecon app

bench: $(DEVSTAMP)
	$(BIN)/python benchmarks/bench_simulate.py
	$(BIN)/python benchmarks/bench_reports.py
	$(BIN)/python benchmarks/bench_risk.py

assumptions: $(STAMP)
	$(BIN)/python -m divaecon.params

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache .hypothesis
