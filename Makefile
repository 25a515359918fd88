# Two commands do all set-up on a fresh machine:
#   make run    -> venv + runtime deps + store from data/ + streamlit on 127.0.0.1
#   make test   -> venv + runtime and test deps + Debian chromium + the whole suite
PYTHON ?= python3.11
VENV   ?= .venv
PY     := $(VENV)/bin/python
PIP    := $(PY) -m pip
DB     ?= data/timeline.duckdb
PORT   ?= 8501
PYTEST_ARGS ?=

.PHONY: run test store bench fuzz chromium chromium-optional clean

$(PY):
	@command -v $(PYTHON) >/dev/null 2>&1 || { echo "error: $(PYTHON) not found (set PYTHON=python3)"; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(PIP) install --quiet --upgrade pip

$(VENV)/.stamp-runtime: requirements.txt | $(PY)
	$(PIP) install --quiet -r requirements.txt
	@touch $@

$(VENV)/.stamp-test: requirements.txt requirements-test.txt | $(PY)
	$(PIP) install --quiet -r requirements-test.txt
	@touch $@ $(VENV)/.stamp-runtime

# The sample store is (re)built whenever it is missing or holds no article: an earlier
# `streamlit run app.py` (or a test) leaves an empty store file behind.
HAS_DOCS = $(PY) -c "import sys; from timeline.store import holds_documents; sys.exit(0 if holds_documents(sys.argv[1]) else 1)"

store: $(VENV)/.stamp-runtime
	@if $(HAS_DOCS) $(DB); then echo "$(DB) already holds articles (make clean, then make store, to rebuild)"; \
	else \
	  if [ -e $(DB) ] && [ ! -s $(DB) ]; then rm -f $(DB) $(DB).wal; fi; \
	  mkdir -p $(dir $(DB)) && \
	  $(PY) -m timeline ingest data/samples --db $(DB) && $(PY) -m timeline extract --db $(DB); \
	fi

run: $(VENV)/.stamp-runtime chromium-optional store
	TIMELINE_DB=$(DB) $(PY) -m streamlit run app.py --server.address 127.0.0.1 --server.port $(PORT)

# Image export needs Debian's chromium; the app runs without it (HTML/data export still work).
chromium-optional:
	@$(MAKE) --no-print-directory chromium || echo "warning: no chromium, PNG/SVG/PDF export disabled"

chromium:
	@if command -v chromium >/dev/null 2>&1; then :; \
	elif [ "$$(id -u)" = "0" ]; then \
	  echo "installing Debian chromium (apt-get)"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-dejavu-core >/dev/null; \
	else \
	  echo "error: chromium is missing. Install it with:"; \
	  echo "  sudo apt-get update && sudo apt-get install -y chromium fonts-dejavu-core"; \
	  exit 1; \
	fi

test: $(VENV)/.stamp-test chromium
	$(PY) -m pytest $(PYTEST_ARGS)

# Every benchmark, each against its baseline in the same run (about 30-60 min on 2 cores).
BENCHES ?= ingest actors temporal extract dashboard export first_paint
bench: $(VENV)/.stamp-test chromium
	@for b in $(BENCHES); do echo "== bench/$$b.py"; $(PY) bench/$$b.py || exit 1; done

# 20,000+ generated hostile/careless inputs through ingest and extract (issue 12); ~20 min.
FUZZ_INPUTS ?= 20000
fuzz: $(VENV)/.stamp-test
	$(PY) bench/fuzz.py --inputs $(FUZZ_INPUTS)

clean:
	rm -rf $(VENV) $(DB) $(DB).wal test-artifacts .pytest_cache
