# ServiceGap: `make run` opens the app on the demo study, `make test` runs the whole suite.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
RUNTIME := $(VENV)/.runtime-installed
DEV := $(VENV)/.dev-installed

.PHONY: help run test lint demo bench clean browser java fuzz

help:  ## list the targets
	@grep -E '^[a-z]+:.*## ' Makefile | sed 's/:.*## /\t/'

$(RUNTIME): requirements.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.txt
	touch $@

$(DEV): $(RUNTIME) requirements-dev.txt
	$(BIN)/python -m pip install --quiet -r requirements-dev.txt
	touch $@

run: $(RUNTIME)  ## set up and open the app on the demo study (this computer only: 127.0.0.1)
	MALLOC_ARENA_MAX=2 $(BIN)/python -m streamlit run serve.py \
	  --server.address 127.0.0.1

browser:  ## Debian's Chromium and CJK fonts for the browser tests (installed with apt-get when root)
	@if command -v chromium >/dev/null 2>&1 && fc-list 2>/dev/null | grep -q "Noto Sans CJK"; then :; \
	elif [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	  echo "installing chromium, chromium-driver, fonts-noto-cjk (apt-get)"; \
	  apt-get update -qq >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
	    chromium chromium-driver fonts-noto-cjk >/dev/null; \
	else echo "browser tests need: sudo apt-get install chromium chromium-driver fonts-noto-cjk"; fi

java:  ## a Java runtime for the Spark tests (Debian's openjdk-17-jre-headless, installed with apt-get when root)
	@if command -v java >/dev/null 2>&1; then :; \
	elif [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	  echo "installing openjdk-17-jre-headless (apt-get)"; \
	  apt-get update -qq >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
	    openjdk-17-jre-headless >/dev/null; \
	else echo "the Spark tests need: sudo apt-get install openjdk-17-jre-headless"; fi

test: $(DEV) browser java  ## set up and run the whole suite (lint + unit, app, Spark and browser tests)
	$(BIN)/python -m ruff check .
	$(BIN)/python -m pytest

fuzz: $(DEV)  ## the full fuzzing profile: 10,000 new generated and mutated files through loader and analysis
	HYPOTHESIS_PROFILE=explore FUZZ_EXAMPLES=10000 $(BIN)/python -m pytest -p no:cacheprovider tests/test_fuzz.py

lint: $(DEV)  ## ruff only
	$(BIN)/python -m ruff check .

demo: $(RUNTIME)  ## regenerate the demo study in data/ (fixed seed)
	$(BIN)/python data/make_demo.py

bench: $(RUNTIME)  ## run the benchmarks in bench/
	$(BIN)/python bench/load.py
	$(BIN)/python bench/analyze.py
	$(BIN)/python bench/drivers.py
	$(BIN)/python bench/rerun.py
	$(BIN)/python bench/cli.py

clean:  ## remove the virtual environment and caches
	rm -rf $(VENV) .pytest_cache .ruff_cache
