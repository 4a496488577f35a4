# Songkeeper: `make run` serves the demo archive, `make test` runs the suite (`make test-fast`: no
# browser, no live worker), `make bench` the benchmarks. `make install` installs the development set
# from requirements-dev.lock; `make install-prod` only what the web and the worker need
# (requirements.lock); `make lock` re-resolves both locks after a pin changes in requirements*.txt.
VENV   ?= .venv
PY     := $(VENV)/bin/python
PIP    := $(VENV)/bin/pip
PYTHON ?= python3

.PHONY: install install-prod lock run test test-fast bench lint browser pgvector clean

$(VENV)/.installed: requirements-dev.lock
	$(PYTHON) -m venv $(VENV)
	$(PIP) install -q --upgrade pip
	$(PIP) install -q -r requirements-dev.lock
	touch $@

install: $(VENV)/.installed

install-prod:
	$(PYTHON) -m venv $(VENV)
	$(PIP) install -q --upgrade pip
	$(PIP) install -q -r requirements.lock

# Each lock is what pip resolves for its requirements file in a fresh environment (torch stays the
# CPU build the pin names).
lock:
	bash scripts/lock_requirements.sh

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

# The inner loop: everything but the browser tests and those that start a live worker or server
# processes (markers in pyproject.toml).
test-fast: install
	SONGKEEPER_VAR=$${SONGKEEPER_VAR:-var/test-fast} $(PY) -m pytest -m "not browser and not live" $(PYTEST_ARGS)

bench: install
	SONGKEEPER_VAR=$${SONGKEEPER_VAR:-var/bench} $(PY) -m bench.run

lint: install
	$(VENV)/bin/ruff check .

clean:
	rm -rf var .pytest_cache
