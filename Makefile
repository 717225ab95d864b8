# Groundwork: `make run` sets everything up and serves the demo; `make test` runs every test.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: run test test-shifted-clock lint format bench migrate demo clean messages messages-check

# Tests use every core: pytest-xdist spreads test files over workers (loadfile keeps a file's
# module fixtures in one worker). TEST_ARGS="" runs them in one process.
TEST_ARGS ?= -n auto --dist loadfile

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
	$(PY) -m pytest $(TEST_ARGS)

# The same suite with the process clock a year ahead, from 23:59 on a Sunday (libfaketime): a test
# that depends on today's real date fails the day it is written, not weeks later.
test-shifted-clock: $(STAMP)
	@command -v faketime >/dev/null || (echo "faketime is needed: apt-get install -y faketime" && exit 1)
	faketime -f "$$($(PY) tools/shifted_clock.py)" $(PY) -m pytest $(TEST_ARGS) -p no:cacheprovider -m "not real_clock"

lint: $(STAMP)
	$(VENV)/bin/ruff check app tests bench tools
	$(VENV)/bin/ruff format --check app tests bench tools

format: $(STAMP)
	$(VENV)/bin/ruff check --fix app tests bench tools
	$(VENV)/bin/ruff format app tests bench tools

bench: $(STAMP)
	@command -v wrk >/dev/null || (echo "wrk is needed: apt-get install -y wrk" && exit 1)
	$(PY) -m bench.run

# Translations (docs/i18n.md): extract every marked string into the template catalog, then bring
# each language's catalog up to date (new strings appear untranslated, marked "fuzzy" when guessed).
# The app reads the .po files at start-up, so there is no .mo to keep in step.
LOCALE := app/locale
BABEL_KEYWORDS := -k lazy_gettext -k N_ -k t -k tn:1,2
messages: $(STAMP)
	$(VENV)/bin/pybabel extract -F babel.cfg $(BABEL_KEYWORDS) --no-wrap --sort-by-file \
	  --project Groundwork --copyright-holder Groundwork -o $(LOCALE)/messages.pot .
	$(VENV)/bin/pybabel update -i $(LOCALE)/messages.pot -d $(LOCALE) --no-wrap --previous
	$(MAKE) messages-check

# Compile every catalog (into a scratch directory) to catch broken placeholders and plural forms.
messages-check: $(STAMP)
	@tmp=$$(mktemp -d) && cp -r $(LOCALE)/. $$tmp && \
	  $(VENV)/bin/pybabel compile -d $$tmp --statistics; status=$$?; rm -rf $$tmp; exit $$status

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache test-artifacts bench/out
