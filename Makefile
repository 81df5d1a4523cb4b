# The two commands in the README do all set-up on a fresh machine:
#   make report   bootstrap .venv, run the 2022/23 Q2 quarterly and six-monthly reports
#   make test     bootstrap .venv and the test tools, run the tests
# Any Python from 3.11 to 3.13: python3 first (the system's own), then the versioned names.
PYTHON ?= $(shell for p in python3 python3.13 python3.12 python3.11; do \
	  command -v $$p >/dev/null 2>&1 && $$p -c 'import sys; sys.exit(not (3, 11) <= sys.version_info[:2] <= (3, 13))' 2>/dev/null \
	  && { command -v $$p; break; }; done)
VENV := .venv
BIN := $(VENV)/bin
# Prefect keeps its database and settings inside the project, never in the user's home.
export PREFECT_HOME := $(CURDIR)/.prefect
export PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS := 120

.PHONY: report test bench plan returns clean scale-out

$(BIN)/.installed: pyproject.toml scripts/ensure-system-packages.sh
	bash scripts/ensure-system-packages.sh
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test,bench]'
	touch $@

report: $(BIN)/.installed
	$(BIN)/reporting run --period 2022/23-Q2 --cadence quarterly
	$(BIN)/reporting run --period 2022/23-Q2 --cadence six-monthly

test: $(BIN)/.installed
	bash scripts/ensure-system-packages.sh --test
	$(BIN)/python -m pytest -q

# Rebuild the bundled inputs from the scripts that write them.
plan: $(BIN)/.installed
	$(BIN)/python scripts/build_plan_workbook.py

returns: $(BIN)/.installed
	$(BIN)/python scripts/build_bundled_returns.py

# The benchmark of issue 6: synthetic plans of 25 to 5,000 actions, each stage timed against
# the floor (WeasyPrint and python-docx alone); writes benchmarks/results/<date>.md.
# `make bench QUICK=1` runs only the two smallest sizes; `make bench CHECK=1` only times
# `reporting check` (median of 10 fresh processes; writes benchmarks/results/<date>-check.md);
# `make bench PAGES=1` only checks the 1,000-action paper is within 150 pages (fails if not);
# `make bench SHAPES=1` the PDF's time against the shape of one update (benchmarks/text_shapes.py).
bench: $(BIN)/.installed
	$(if $(PAGES),$(BIN)/python -m benchmarks.pages,$(if $(SHAPES),$(BIN)/python -m benchmarks.text_shapes,$(if $(CHECK),$(BIN)/python -m benchmarks.check,$(BIN)/python -m benchmarks.run $(if $(QUICK),--quick)))))

# Prefect's distributed set-up, run for real on this machine (issue 13; not part of make test):
# PostgreSQL, a Prefect server, a process work pool and workers, all in a temporary folder;
# the six-monthly report of six plans by one worker, then by two; every paper checked. The
# last line is `plans=6 workers=2 wall_s=<s> papers_ok=<n>`. See docs/operations.md.
scale-out: $(BIN)/.installed
	bash scripts/ensure-system-packages.sh --scale-out
	$(BIN)/python scripts/scale_out.py

clean:
	rm -rf $(VENV) .prefect outputs/2*
