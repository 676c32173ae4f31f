# KM Portal: `make run` sets up and serves the demo; `make test` sets up and runs every check.
# Both need only Python 3.11+ and the package index: no root, no system packages.

PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8000
MANAGE := $(PY) manage.py
# The suite runs in two pytest-xdist workers, each with its own test database and data folder,
# tests handed out one by one (module fixtures are made once per worker): 308 s instead of 487 s
# on two cores. `make test PYTEST_WORKERS=0` runs it in one process (to debug a test).
PYTEST_WORKERS ?= 2
PYTEST_WORKERS_ARGS := $(if $(filter 0,$(PYTEST_WORKERS)),-p no:xdist,-n $(PYTEST_WORKERS) --dist load)

.PHONY: run test lint format install install-dev migrate demo messages clean help

help:
	@echo "make run    - install, migrate, load the demo data, serve on http://127.0.0.1:$(PORT) with the worker"
	@echo "make test   - install the dev requirements, run ruff and the whole pytest suite"
	@echo "make lint   - ruff only;  make format - ruff format;  make messages - update translations"

$(PY):
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "KM Portal needs Python 3.11 or newer")'
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip

# Stamp files re-run pip only when a requirements file changes.
$(VENV)/.installed: requirements.txt | $(PY)
	$(PY) -m pip install --quiet -r requirements.txt
	@touch $@

$(VENV)/.installed-dev: requirements.txt requirements-dev.txt | $(PY)
	$(PY) -m pip install --quiet -r requirements-dev.txt
	@touch $@ $(VENV)/.installed

install: $(VENV)/.installed
install-dev: $(VENV)/.installed-dev

migrate: install
	$(MANAGE) migrate --noinput

demo: migrate
	$(MANAGE) seed_demo
	@$(MANAGE) demo_logins

# The web server and the background worker (text extraction, index updates, schedules) side by
# side under honcho (Procfile.dev): one Ctrl+C stops both.
run: demo
	@echo "Serving KM Portal on http://127.0.0.1:$(PORT)/ with its background worker (Ctrl+C stops both)"
	$(VENV)/bin/honcho -f Procfile.dev start -p $(PORT)

lint: install-dev
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: install-dev
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

test: lint
	@if [ -x "$${KM_CHROMIUM:-/usr/bin/chromium}" ]; then \
		echo "Browser tests: using $${KM_CHROMIUM:-/usr/bin/chromium}"; \
	else \
		echo "Browser tests: SKIPPED - no Chromium at $${KM_CHROMIUM:-/usr/bin/chromium} (apt-get install chromium, or set KM_CHROMIUM)"; \
	fi
	$(VENV)/bin/pytest $(PYTEST_WORKERS_ARGS) $(PYTEST_ARGS)

messages: install-dev
	$(MANAGE) makemessages -l th --add-location=file --ignore=.venv --ignore=var --ignore=tests --ignore=locale_overrides
	$(MANAGE) compile_translations

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache
