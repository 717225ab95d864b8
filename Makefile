# Groundwork: `make run` sets everything up and serves the demo; `make test` runs every test.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: run test test-shifted-clock lint format lock bench migrate demo clean messages messages-check

# Tests use every core: pytest-xdist spreads test files over workers (loadfile keeps a file's
# module fixtures in one worker). TEST_ARGS="" runs them in one process.
TEST_ARGS ?= -n auto --dist loadfile

# Installs the versions pinned in constraints.txt (ranges stay in pyproject.toml); `make lock` updates them.
$(STAMP): pyproject.toml constraints.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	@echo "Installing Groundwork and its dependencies into $(VENV) (log: $(VENV)/install.log)"
	@$(PY) -m pip install --upgrade pip > $(VENV)/install.log 2>&1 && \
	  $(PY) -m pip install -c constraints.txt -e ".[dev]" >> $(VENV)/install.log 2>&1 || \
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

# What CI enforces before the tests: lint rules, formatting, and mypy strict (pyproject.toml) on
# app, bench and tools (tests are checked where those import them).
lint: $(STAMP)
	$(VENV)/bin/ruff check app tests bench tools
	$(VENV)/bin/ruff format --check app tests bench tools
	$(VENV)/bin/mypy app bench tools

format: $(STAMP)
	$(VENV)/bin/ruff check --fix app tests bench tools
	$(VENV)/bin/ruff format app tests bench tools

# Re-pin deliberately: resolve the newest versions pyproject.toml allows in a throwaway virtualenv and
# write them to constraints.txt. Then `make lint test` (which reinstall from it) and commit the diff.
LOCK_VENV := .lock-venv
lock:
	rm -rf $(LOCK_VENV)
	$(PYTHON) -m venv $(LOCK_VENV)
	$(LOCK_VENV)/bin/python -m pip install -q --upgrade pip
	$(LOCK_VENV)/bin/python -m pip install -q ".[dev]"
	sed -n '/^#/p' constraints.txt > constraints.new
	$(LOCK_VENV)/bin/python -m pip freeze --exclude groundwork >> constraints.new
	mv constraints.new constraints.txt
	rm -rf $(LOCK_VENV) build
	git diff --stat constraints.txt || true

# The scenario benchmark (bench.run), then the concurrency curve (bench.curve, issue #15), which
# rewrites only its own section of bench/RESULTS.md. The curve runs even if the scenarios report a
# failure; make fails if either did. CURVE_ARGS=--quick for a short curve (into bench/out/curve.md).
CURVE_ARGS ?=
bench: $(STAMP)
	@command -v wrk >/dev/null || (echo "wrk is needed: apt-get install -y wrk" && exit 1)
	@status=0; \
	  $(PY) -m bench.run || status=$$?; \
	  $(PY) -m bench.curve $(CURVE_ARGS) || status=$$?; \
	  exit $$status

# Translations (docs/i18n.md): extract every marked string into the template catalog, then bring
# each language's catalog up to date (new strings appear untranslated, marked "fuzzy" when guessed).
# The app reads the .po files at start-up, so there is no .mo to keep in step.
LOCALE := app/locale
BABEL_KEYWORDS := -k lazy_gettext -k lazy_text -k lazy_ntext:1,2 -k N_ -k t -k tn:1,2
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
	rm -rf $(VENV) $(LOCK_VENV) .pytest_cache .ruff_cache .mypy_cache test-artifacts bench/out
