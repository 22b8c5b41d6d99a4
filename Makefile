# The README's commands. Each bootstraps a local virtualenv (.venv) when needed.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: demo serve test lint bench bench-portfolio bench-full lock clean

# `make demo LANG=en` (or vi) picks the language of the run; any other LANG (a locale such as
# en_US.UTF-8) leaves the default, Vietnamese. The planner itself then runs with a real locale.
DEMO_LANG := $(if $(filter en vi,$(LANG)),$(LANG),vi)

$(STAMP): pyproject.toml constraints.txt
	@echo ">> First run (or pyproject.toml/constraints.txt changed): creating $(VENV) and installing"
	@echo ">> OR-Tools, geopandas, folium, reportlab and the test tools. This takes a few minutes,"
	@echo ">> once; later runs start at once."
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	@echo ">> [1/2] upgrading pip"
	$(BIN)/python -m pip install -q --upgrade pip
	@echo ">> [2/2] installing the planner and its pinned dependencies (constraints.txt)"
	$(BIN)/python -m pip install -q --progress-bar on -c constraints.txt -e '.[dev,bench]'
	touch $(STAMP)
	@echo ">> $(VENV) is ready"

demo: $(STAMP)
	$(if $(filter en vi,$(LANG)),LANG=C.UTF-8 )$(BIN)/planner demo --lang $(DEMO_LANG)

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

bench-portfolio: $(STAMP)
	$(BIN)/python -m benchmarks.run --portfolio

bench-full: $(STAMP)
	$(BIN)/python -m benchmarks.run --full

lock: $(STAMP)
	( echo '# Pinned versions for every dependency (pip constraints). Regenerate with `make lock`.'; \
	  $(BIN)/python -m pip freeze --exclude-editable ) > constraints.txt

clean:
	rm -rf $(VENV) out bench-results
