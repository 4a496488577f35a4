# Songkeeper: `make run` serves the demo archive, `make test` runs the suite, `make bench` the benchmarks.
VENV   ?= .venv
PY     := $(VENV)/bin/python
PIP    := $(VENV)/bin/pip
PYTHON ?= python3

.PHONY: install run test bench lint browser pgvector clean

$(VENV)/.installed: requirements.txt
	$(PYTHON) -m venv $(VENV)
	$(PIP) install -q --upgrade pip
	$(PIP) install -q -r requirements.txt
	touch $@

install: $(VENV)/.installed

# Debian's chromium drives the browser tests (Playwright never downloads a browser here).
browser:
	@command -v chromium >/dev/null 2>&1 || { \
	  echo "installing Debian's chromium for the browser tests"; \
	  if [ "$$(id -u)" = 0 ]; then SUDO=; else SUDO=sudo; fi; \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq chromium >/dev/null; }

# pgvector for the machine's PostgreSQL, built from Debian's source of it (scripts/install_pgvector.sh).
pgvector:
	bash scripts/install_pgvector.sh

run: install
	$(PY) manage.py runstack

test: install browser
	SONGKEEPER_VAR=$${SONGKEEPER_VAR:-var/test} $(PY) -m pytest $(PYTEST_ARGS)

bench: install
	SONGKEEPER_VAR=$${SONGKEEPER_VAR:-var/bench} $(PY) -m bench.run

lint: install
	$(VENV)/bin/ruff check .

clean:
	rm -rf var .pytest_cache
