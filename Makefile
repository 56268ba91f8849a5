# The two commands of the README's Quick start: `make demo` and `make test`. Both set up from scratch.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
DEMO_DB ?= demo.db
export SITREP_HOME ?= $(CURDIR)/.sitrep-home

SHARED ?= ../shared
UA_DUMP ?= $(SHARED)/data/gazetteer/UA.zip
EVAL ?= $(SHARED)/data/eval

.PHONY: setup demo test bench eval schema clean

$(BIN)/python:
	@command -v $(PYTHON) >/dev/null 2>&1 || { echo "make: $(PYTHON) not found; install Python 3.11 or run make PYTHON=/path/to/python3.11"; exit 2; }
	$(PYTHON) -m venv $(VENV)

# Reinstall whenever the project's dependencies change.
$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

setup: $(STAMP)

demo: setup
	rm -f $(DEMO_DB) $(DEMO_DB)-wal $(DEMO_DB)-shm
	@if [ -f $(UA_DUMP) ]; then $(BIN)/sitrep gazetteer add UA --from $(UA_DUMP); \
	else echo "demo: no $(UA_DUMP); using the built-in gazetteer (villages under 500 people are missing)"; fi
	$(BIN)/sitrep ingest samples/reports --db $(DEMO_DB)
	$(BIN)/sitrep claims --db $(DEMO_DB) --limit 40
	$(BIN)/sitrep events --db $(DEMO_DB) --limit 15
	$(BIN)/sitrep contradictions --db $(DEMO_DB)
	@echo "More: $(BIN)/sitrep events|contradictions|claims --db $(DEMO_DB) --help, $(BIN)/sitrep control PLACE --db $(DEMO_DB), $(BIN)/sitrep show DOC_ID --db $(DEMO_DB)"

test: setup
	$(BIN)/python -m pytest -q

bench: setup
	$(BIN)/python bench/throughput.py
	$(BIN)/python bench/gazetteer.py
	$(BIN)/python bench/geoparse.py
	$(BIN)/python bench/cluster.py

# Accuracy on the external gold sets (measuring only) and on the team's own claims gold set.
eval: setup
	$(BIN)/sitrep eval geoparse --corpus gwn $(EVAL)/geoparsing_gritta
	$(BIN)/sitrep eval geoparse --corpus lgl $(EVAL)/geoparsing_gritta/Corpora/lgl.xml
	$(BIN)/sitrep eval events --corpus case2021 $(EVAL)/case2021
	$(BIN)/sitrep eval claims
	$(BIN)/sitrep eval scenario tests/scenario

# Regenerate the committed JSON Schema after a deliberate change to models.py (review the diff).
schema: setup
	$(BIN)/sitrep schema --output docs/extract-v1.schema.json

clean:
	rm -rf $(VENV) $(DEMO_DB) $(DEMO_DB)-wal $(DEMO_DB)-shm .sitrep-home .pytest_cache
