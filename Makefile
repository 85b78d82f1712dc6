# hrss-platform: `make run` brings the platform up, `make test` runs every test tier.
SHELL := /bin/bash
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
PACKAGES := libs/contracts libs/servicekit services/enterprise services/identity services/authorization services/business gateway tools/hrssctl
STAMP := $(VENV)/.installed
export PYTHONWARNINGS := ignore

.PHONY: run test lint unit integration e2e browser browser-deps bench faults lock clean coverage

$(STAMP): requirements.lock requirements-dev.lock $(foreach p,$(PACKAGES),$(p)/pyproject.toml)
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --require-virtualenv -r requirements-dev.lock
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps --no-build-isolation $(foreach p,$(PACKAGES),-e $(p))
	touch $(STAMP)

## the whole platform in the foreground: migrations, services, gateway on 127.0.0.1:8000, demo data
run: $(STAMP)
	$(BIN)/hrssctl platform run --root $(CURDIR)

## every test tier (unit, integration, end-to-end) on databases and a vhost of their own, then
## the browser tests (tests/browser: Playwright and Debian's Chromium) in a pytest of their own
test: $(STAMP) lint browser-deps
	$(BIN)/python -m pytest
	HRSS_BROWSER_TESTS=1 $(BIN)/python -m pytest tests/browser

## the web pages in Chromium only
browser: $(STAMP) browser-deps
	HRSS_BROWSER_TESTS=1 $(BIN)/python -m pytest tests/browser

## Debian's Chromium for Playwright (its own browser download does not work here) and the CJK
## fonts without which Chinese renders as boxes
browser-deps:
	@test -x /usr/bin/chromium && fc-list 2>/dev/null | grep -qi "Noto Sans CJK" || { \
	  DEBIAN_FRONTEND=noninteractive apt-get install -y -q chromium fonts-noto-cjk >/dev/null 2>&1 || \
	  { apt-get update -q >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -q chromium fonts-noto-cjk >/dev/null; }; }

unit: $(STAMP)
	$(BIN)/python -m pytest -m unit
integration: $(STAMP)
	$(BIN)/python -m pytest -m integration
e2e: $(STAMP)
	$(BIN)/python -m pytest -m e2e

## the tests with line coverage of our packages (the services started by e2e tests are not traced)
coverage: $(STAMP)
	$(BIN)/python -m pytest --cov --cov-report=term

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/mypy

## benchmarks of the issue's targets; prints figures (needs the local broker, not the platform)
bench: $(STAMP)
	@command -v wrk >/dev/null || apt-get install -y -q wrk
	$(BIN)/python bench/run_all.py

## faults injected under a steady flow of registrations, and their cost (bench/README.md, "Faults").
## Restarts the machine's RabbitMQ, Redis and Postgres (each is running again at the end, even
## on failure); FAULTS=short for a shorter run, FAULTS_ONLY=name,... for some faults.
faults: $(STAMP)
	@trap '.ci/services up >&2' EXIT; trap 'exit 130' INT TERM; status=0; \
	HRSS_RESTART_SHARED_SERVERS=1 $(BIN)/python -m pytest tests/e2e/test_broker_restart.py || status=1; \
	PYTHONPATH=bench $(BIN)/python -m faults $(if $(filter short,$(FAULTS)),--short) || status=1; \
	exit $$status

## re-pin every third-party package after changing a pyproject's dependencies
lock: $(STAMP)
	PYTHON=$(PYTHON) tools/lock.sh

clean:
	rm -rf $(VENV) var
