# The README's commands. Each bootstraps a local virtualenv (.venv) when needed.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: demo serve test lint bench bench-full lock clean

$(STAMP): pyproject.toml constraints.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -c constraints.txt -e '.[dev,bench]'
	touch $(STAMP)

demo: $(STAMP)
	$(BIN)/planner demo

serve: $(STAMP)
	$(BIN)/bcci-dispatch serve --demo

lint: $(STAMP)
	$(BIN)/ruff check planner geodata api tests benchmarks
	$(BIN)/mypy
	$(BIN)/lint-imports

test: lint
	$(BIN)/pytest

bench: $(STAMP)
	$(BIN)/python -m benchmarks.run --quick

bench-full: $(STAMP)
	$(BIN)/python -m benchmarks.run --full

lock: $(STAMP)
	( echo '# Pinned versions for every dependency (pip constraints). Regenerate with `make lock`.'; \
	  $(BIN)/python -m pip freeze --exclude-editable ) > constraints.txt

clean:
	rm -rf $(VENV) out bench-results
