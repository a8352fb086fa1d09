# One command for the main job, one for the tests; both set up everything they need.
# Both install the exact versions of requirements/constraints.txt (`make lock` refreshes it).
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
DEVSTAMP := $(VENV)/.dev-installed
LOCK   := requirements/constraints.txt
# The oldest versions pyproject.toml's ranges allow (`make lock` writes both files), in a venv of its own.
OLDEST := requirements/constraints-oldest.txt
OLD_VENV  := .venv-oldest
OLD_STAMP := $(OLD_VENV)/.installed
PIP    := $(BIN)/python -m pip
# --build-constraint pins the build backend (setuptools) of the editable install, too.
PIP_LOCKED := $(PIP) install --quiet --constraint $(LOCK) --build-constraint $(LOCK)
# What `make test-fast` leaves out (the markers are described in pyproject.toml).
FAST   := not slow and not kernel and not browser and not dask and not batch

.PHONY: report test test-fast test-oldest setup dev system-deps lab app bench assumptions lock clean

$(STAMP): pyproject.toml setup.py $(LOCK)
	$(PYTHON) -m venv $(VENV)
	$(PIP) install --quiet --upgrade --constraint $(LOCK) pip
	$(PIP_LOCKED) -e .
	$(BIN)/python -m ipykernel install --prefix $(VENV) --name python3 >/dev/null
	@echo "Compiling the simulation's day loop and the risk model's batch solve (numba; once per install) ..."
	$(BIN)/python -c "from divaecon.simulate import warm_up; warm_up(); from divaecon.risk.batch import warm_up; warm_up()"
	touch $@

$(DEVSTAMP): $(STAMP) pyproject.toml setup.py $(LOCK)
	$(PIP_LOCKED) -e '.[dev]'
	touch $@

$(OLD_STAMP): pyproject.toml setup.py $(OLDEST)
	$(PYTHON) -m venv $(OLD_VENV)
	$(OLD_VENV)/bin/python -m pip install --quiet --upgrade pip
	$(OLD_VENV)/bin/python -m pip install --quiet --constraint $(OLDEST) --build-constraint $(OLDEST) -e '.[dev]'
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

## The whole test suite: lint, formatting, types, tests (browser, kernel, dask, batch and slow ones included)
test: $(DEVSTAMP) system-deps
	$(BIN)/ruff check divaecon tests benchmarks scripts setup.py
	$(BIN)/ruff format --check divaecon tests benchmarks scripts setup.py
	$(BIN)/mypy
	$(BIN)/python -m pytest -n 2 --dist loadgroup

## Quick local loop (< 1 minute): no kernel, browser, dask cluster, report batch or slow run
test-fast: $(DEVSTAMP)
	$(BIN)/python -m pytest -n 2 --dist loadgroup -m "$(FAST)" --hypothesis-profile=fast

## The fast suite on the oldest versions the ranges allow (so the lower bounds are true); CI runs it
test-oldest: $(OLD_STAMP)
	$(OLD_VENV)/bin/python -m pytest -n 2 --dist loadgroup -m "$(FAST)" --hypothesis-profile=fast -p no:cacheprovider

## Refresh the lock from pyproject.toml's ranges (newest versions that fit) and the oldest-versions
## file (each direct dependency at its lower bound); then `make dev test test-oldest`
lock:
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python scripts/lock.py
	$(BIN)/python scripts/lock.py --oldest

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
	rm -rf $(VENV) $(OLD_VENV) .pytest_cache .mypy_cache .ruff_cache .hypothesis
