# The two commands of the README's Quick start: `make demo` and `make test`. Both set up from scratch.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
DEMO_DB ?= demo.db
DEMO_PORT ?= 8000
export SITREP_HOME ?= $(CURDIR)/.sitrep-home

SHARED ?= ../shared
UA_DUMP ?= $(SHARED)/data/gazetteer/UA.zip
EVAL ?= $(SHARED)/data/eval

.PHONY: setup demo test bench eval schema fuzz clean

$(BIN)/python:
	@command -v $(PYTHON) >/dev/null 2>&1 || { echo "make: $(PYTHON) not found; install Python 3.11 or run make PYTHON=/path/to/python3.11"; exit 2; }
	$(PYTHON) -m venv $(VENV)

# Reinstall whenever the project's dependencies change.
$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

# Debian packages (PostgreSQL server, Chromium) and the web map's npm assets, built into
# src/sitrep/web/vendor (git-ignored). Each step is skipped when already done.
SYSTEM_STAMP := $(VENV)/.system
WEB_STAMP := src/sitrep/web/vendor/.built

$(SYSTEM_STAMP): scripts/setup-system.sh | $(BIN)/python
	scripts/setup-system.sh
	touch $(SYSTEM_STAMP)

$(WEB_STAMP): web/package.json web/package-lock.json scripts/build-web.sh
	scripts/build-web.sh

setup: $(STAMP) $(SYSTEM_STAMP) $(WEB_STAMP)

demo: setup
	rm -f $(DEMO_DB) $(DEMO_DB)-wal $(DEMO_DB)-shm
	@if [ -f $(UA_DUMP) ]; then $(BIN)/sitrep gazetteer add UA --from $(UA_DUMP); \
	else echo "demo: no $(UA_DUMP); using the built-in gazetteer (villages under 500 people are missing)"; fi
	$(BIN)/sitrep ingest samples/reports --db $(DEMO_DB)
	$(BIN)/sitrep claims --db $(DEMO_DB) --limit 40
	$(BIN)/sitrep events --db $(DEMO_DB) --limit 15
	$(BIN)/sitrep contradictions --db $(DEMO_DB)
	@echo "More: $(BIN)/sitrep events|contradictions|claims --db $(DEMO_DB) --help, $(BIN)/sitrep control PLACE --db $(DEMO_DB), $(BIN)/sitrep show DOC_ID --db $(DEMO_DB)"
	@echo "Serving the map over $(DEMO_DB); stop with Ctrl-C (DEMO_PORT=$(DEMO_PORT) to change the port)."
	$(BIN)/sitrep serve --db $(DEMO_DB) --host 127.0.0.1 --port $(DEMO_PORT)

# The PostgreSQL and browser tests must run here, not skip: setup installed their Debian packages.
# Two pytest-xdist workers use both cores of the CI machine (each starts its own PostgreSQL server and
# loads its own pipeline); TEST_WORKERS=0 runs in one process.
TEST_WORKERS ?= 2
test: setup
	SITREP_REQUIRE_PG=1 SITREP_REQUIRE_BROWSER=1 $(BIN)/python -m pytest -q -n $(TEST_WORKERS) --durations=10

bench: setup
	$(BIN)/python bench/throughput.py
	$(BIN)/python bench/gazetteer.py
	$(BIN)/python bench/geoparse.py
	$(BIN)/python bench/cluster.py
	$(BIN)/python bench/api.py
	$(BIN)/python bench/batch.py
	$(BIN)/python bench/stream.py
	$(BIN)/python bench/store_size.py
	$(BIN)/python bench/load.py

# Accuracy on the external gold sets (measuring only) and on the team's own claims gold set.
eval: setup
	$(BIN)/sitrep eval geoparse --corpus gwn $(EVAL)/geoparsing_gritta
	$(BIN)/sitrep eval geoparse --corpus lgl $(EVAL)/geoparsing_gritta/Corpora/lgl.xml
	$(BIN)/sitrep eval events --corpus case2021 $(EVAL)/case2021
	$(BIN)/sitrep eval claims
	$(BIN)/sitrep eval notes
	$(BIN)/sitrep eval realtext --split test
	$(BIN)/sitrep eval languages --split test
	$(BIN)/sitrep eval languages --team tests/gold/uk_ru/blind.jsonl --split test
	$(BIN)/sitrep eval scenario tests/scenario
	$(BIN)/sitrep eval control
	$(BIN)/python scripts/ru_nonwar_rate.py --corpus $(SHARED)/data/corpora/telegram-ru-2024/posts.jsonl.gz --show 0

# Coverage-guided fuzzing of the readers for longer than the test's 30 s (make fuzz FUZZ_SECONDS=600).
# The corpus grows across runs; a crashing input is written to FUZZ_CRASHES and stops the run.
FUZZ_SECONDS ?= 600
FUZZ_CORPUS ?= $(SITREP_HOME)/fuzz-corpus
FUZZ_CRASHES ?= $(SITREP_HOME)/fuzz-crashes

fuzz: $(STAMP)
	mkdir -p $(FUZZ_CRASHES)
	$(BIN)/python fuzz/fuzz_readers.py --make-corpus $(FUZZ_CORPUS)
	$(BIN)/python fuzz/fuzz_readers.py $(FUZZ_CORPUS) -max_total_time=$(FUZZ_SECONDS) -timeout=120 \
		-dict=fuzz/readers.dict -artifact_prefix=$(FUZZ_CRASHES)/ -print_final_stats=1

# Regenerate the committed JSON Schema after a deliberate change to models.py (review the diff).
schema: setup
	$(BIN)/sitrep schema --output docs/extract-v1.schema.json

clean:
	rm -rf $(VENV) $(DEMO_DB) $(DEMO_DB)-wal $(DEMO_DB)-shm .sitrep-home .pytest_cache
