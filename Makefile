# Groundwork: `make run` sets everything up and serves the demo; `make test` runs every test.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: run test lint format bench migrate demo clean

$(STAMP): pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	@echo "Installing Groundwork and its dependencies into $(VENV) (log: $(VENV)/install.log)"
	@$(PY) -m pip install --upgrade pip > $(VENV)/install.log 2>&1 && \
	  $(PY) -m pip install -e ".[dev]" >> $(VENV)/install.log 2>&1 || \
	  (tail -40 $(VENV)/install.log; exit 1)
	@touch $(STAMP)

run: $(STAMP)
	$(PY) -m app migrate
	$(PY) -m app demo
	$(PY) -m app serve

migrate: $(STAMP)
	$(PY) -m app migrate

demo: $(STAMP)
	$(PY) -m app demo

test: $(STAMP)
	$(PY) -m pytest

lint: $(STAMP)
	$(VENV)/bin/ruff check app tests bench tools
	$(VENV)/bin/ruff format --check app tests bench tools

format: $(STAMP)
	$(VENV)/bin/ruff check --fix app tests bench tools
	$(VENV)/bin/ruff format app tests bench tools

bench: $(STAMP)
	@command -v wrk >/dev/null || (echo "wrk is needed: apt-get install -y wrk" && exit 1)
	$(PY) -m bench.run

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache test-artifacts bench/out
