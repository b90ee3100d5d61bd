# Everything runs from .venv, built with Python 3.12+ (scripts/find-python picks
# it; override with `make PYTHON=/path/to/python3.12 ...`).

VENV := .venv
BIN := $(VENV)/bin
# Reinstalls only when pyproject.toml changes.
STAMP := $(VENV)/.installed
PORT = 8000
PYTEST_ARGS =
# The demo and the local tools run with DEBUG on (the toolbar, the public demo
# key); anything else must set DJANGO_SECRET_KEY (project/settings.py).
LOCAL := DJANGO_DEBUG=1

.DEFAULT_GOAL := help
.PHONY: help install demo test test-postgres test-mariadb test-history test-swapped test-live browser-test chromium lint docs benchmark benchmark-smoke benchmark-full benchmark-mariadb test-extend benchmark-adding benchmark-moving mutants clean FORCE

# An existing .venv whose interpreter is gone or older than 3.12 (say, made by
# hand with the system python3) is rebuilt even when the stamp looks fresh.
VENV_CHECK := $(BIN)/python -c 'import sys; sys.exit(sys.version_info < (3, 12))' \
	>/dev/null 2>&1
VENV_OK := $(shell $(VENV_CHECK) && echo yes)

help: ## List the targets
	@echo "Usage: make TARGET [PORT=8001] [PYTEST_ARGS='-k owner'] [PYTHON=/path/to/python3.12]"
	@echo
	@awk 'BEGIN {FS = ":.*## "} /^[a-z-]+:.*## / {printf "  %-14s %s\n", $$1, $$2}' \
		$(MAKEFILE_LIST)

install: $(STAMP) ## Create .venv and install the project with its dev tools

$(STAMP): pyproject.toml $(if $(VENV_OK),,FORCE)
	@if ! $(VENV_CHECK); then \
		python=$$(scripts/find-python) || exit 1; \
		echo "Creating $(VENV) with $$python"; \
		rm -rf $(VENV) && "$$python" -m venv $(VENV) || exit 1; \
	fi
	$(BIN)/pip install --quiet --disable-pip-version-check -e ".[dev]"
	@touch $@

demo: install ## Migrate, load the demo data, serve on 127.0.0.1:8000 (PORT=...)
	$(LOCAL) $(BIN)/python manage.py migrate --no-input
	$(LOCAL) $(BIN)/python manage.py load_demo
	$(LOCAL) $(BIN)/python manage.py runserver 127.0.0.1:$(PORT)

# One pytest worker per core (pytest-xdist), each with its own database; the
# tests that share the demo server go to one worker (xdist_group).
PARALLEL := -n auto --dist loadgroup
test: install ## Run the tests on SQLite (extra args: PYTEST_ARGS=...)
	$(BIN)/pytest $(PARALLEL) $(PYTEST_ARGS)

test-postgres: install ## Run the tests on a throwaway PostgreSQL cluster
	scripts/with-postgres $(BIN)/pytest $(PARALLEL) $(PYTEST_ARGS)

# mysqlclient compiles against MariaDB's client library: as root with apt-get,
# install its headers when pkg-config can't find them (scripts/with-mariadb
# installs the server the same way). The stamp lives in .venv, so a rebuilt
# venv reinstalls the driver.
MYSQLCLIENT := $(VENV)/.mysqlclient
$(MYSQLCLIENT): $(STAMP)
	@if ! pkg-config --exists libmariadb 2>/dev/null; then \
		if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
			echo "Installing libmariadb-dev, pkg-config and gcc with apt-get"; \
			apt-get update -qq && DEBIAN_FRONTEND=noninteractive \
				apt-get install -y -qq libmariadb-dev pkg-config gcc >/dev/null || exit 1; \
		else \
			echo "mysqlclient needs MariaDB's client headers:" \
				"apt-get install libmariadb-dev pkg-config gcc" >&2; \
			exit 1; \
		fi; \
	fi
	$(BIN)/pip install --quiet --disable-pip-version-check -e ".[dev,mariadb]"
	@touch $@

test-mariadb: $(MYSQLCLIENT) ## Run the tests on a throwaway MariaDB server
	scripts/with-mariadb $(BIN)/pytest $(PARALLEL) $(PYTEST_ARGS)

test-history: install ## Check the Django versions the docs name against those releases (PyPI)
	$(BIN)/pytest -m history tests/test_django_history.py $(PYTEST_ARGS)

test-swapped: install ## Run swappable's tests under project.settings_swapped (SQLite, PostgreSQL)
	$(BIN)/pytest swappable --ds=project.settings_swapped $(PYTEST_ARGS)
	scripts/with-postgres $(BIN)/pytest swappable --ds=project.settings_swapped $(PYTEST_ARGS)

# Each app's add-a-type patch applied to a scratch copy that holds rows, then
# migrated and put through the app's share of the suite (benchmarks/adding.py).
# One app after another: each run starts its own pytest workers.
EXTEND := -m extend tests/test_adding_a_type.py
test-extend: install ## Every add-a-type patch, migrated over data and tested (SQLite, then PostgreSQL)
	$(BIN)/pytest $(EXTEND) $(PYTEST_ARGS)
	scripts/with-postgres $(BIN)/pytest $(EXTEND) $(PYTEST_ARGS)

# The tests that need the demo server running (tests/live.py): real
# simultaneous requests, the toolbar as each visitor sees it, and the walk in
# a browser. tests/browser/ drives Debian's Chromium: as root with apt-get,
# installed when missing; Playwright never downloads a browser of its own.
# No -n: they share one demo server.
CHROMIUM := /usr/bin/chromium
LIVE := -m "live or browser"
test-live: chromium ## Concurrency, toolbar and browser tests on the demo server (SQLite, then PostgreSQL)
	$(BIN)/pytest $(LIVE) $(PYTEST_ARGS)
	scripts/with-postgres $(BIN)/pytest $(LIVE) $(PYTEST_ARGS)

browser-test: chromium ## Only the walk through the site in Chromium (SQLite, then PostgreSQL)
	$(BIN)/pytest -m browser tests/browser $(PYTEST_ARGS)
	scripts/with-postgres $(BIN)/pytest -m browser tests/browser $(PYTEST_ARGS)

chromium: install
	@if [ ! -x $(CHROMIUM) ]; then \
		if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
			echo "Installing chromium with apt-get"; \
			apt-get update -qq && DEBIAN_FRONTEND=noninteractive \
				apt-get install -y -qq chromium >/dev/null || exit 1; \
		else \
			echo "The browser tests need Debian's Chromium: apt-get install chromium" >&2; \
			exit 1; \
		fi; \
	fi

# Every plausible one-line regression scripts/mutants.py lists must fail a
# check: on SQLite, then those only PostgreSQL can tell. It edits the checkout
# in place, one mutant at a time, and puts every file back.
mutants: chromium $(MYSQLCLIENT) ## Every regression scripts/mutants.py lists, caught (SQLite, then PostgreSQL and MariaDB)
	$(BIN)/python scripts/mutants.py
	scripts/with-postgres $(BIN)/python scripts/mutants.py --only-on postgresql
	scripts/with-mariadb $(BIN)/python scripts/mutants.py --only-on mysql

# All three checks run, so one pass shows every problem.
lint: install ## ruff check, ruff format --check, makemigrations --check
	@status=0; \
	echo "ruff check ."; $(BIN)/ruff check . || status=1; \
	echo "ruff format --check ."; $(BIN)/ruff format --check . || status=1; \
	echo "manage.py makemigrations --check --dry-run"; \
	$(LOCAL) $(BIN)/python manage.py makemigrations --check --dry-run || status=1; \
	exit $$status

docs: install ## Re-render the declared tables into the READMEs and docs/
	$(LOCAL) $(BIN)/python manage.py render_docs

BENCH_ARGS =
benchmark: install ## A first look: SQLite, 1,000 and 10,000 tasks (BENCH_ARGS=...)
	$(BIN)/python -m benchmarks.run $(BENCH_ARGS)

# Records a new run at benchmarks/adding.py's TASKS, then renders its page.
benchmark-adding: install ## Record adding a type per pattern (SQLite, PostgreSQL); docs/adding-a-type.md
	@dir=benchmarks/results/$$(date -u +%Y-%m-%dT%H%M%SZ)-adding; \
	$(BIN)/python -m benchmarks.adding --into $$dir \
	&& scripts/with-postgres $(BIN)/python -m benchmarks.adding --into $$dir \
	&& $(BIN)/python -m benchmarks.adding --render $$dir/results.json > docs/adding-a-type.md

# Records a new run at benchmarks/moving.py's SIZES, then renders its page.
benchmark-moving: install ## Time the move off a GFK at its two sizes (SQLite, PostgreSQL); docs/moving-off-a-gfk.md
	@dir=benchmarks/results/$$(date -u +%Y-%m-%dT%H%M%SZ)-moving; \
	$(BIN)/python -m benchmarks.moving --into $$dir \
	&& scripts/with-postgres $(BIN)/python -m benchmarks.moving --into $$dir \
	&& scripts/with-postgres $(BIN)/python -m benchmarks.moving_in_place --into $$dir \
	&& $(BIN)/python -m benchmarks.moving --render $$dir/results.json > docs/moving-off-a-gfk.md

benchmark-smoke: install ## The benchmark commands end to end on a tiny grid, their results checked (CI)
	$(BIN)/pytest -m benchmark tests/test_benchmarks.py tests/test_moving_off_gfk.py $(PYTEST_ARGS)

benchmark-full: install ## The whole grid, 10k to 1M tasks, SQLite and PostgreSQL (its time: docs/performance.md)
	scripts/with-postgres $(BIN)/python -m benchmarks.run --full $(BENCH_ARGS)

# Added to the newest recorded full grid, so one results file (one page of
# docs/performance.md, one set of charts) holds all three databases; a run
# of its own when none is recorded yet.
FULL_RUN = $(lastword $(sort $(wildcard benchmarks/results/*-full)))
benchmark-mariadb: $(MYSQLCLIENT) ## The same grid on a throwaway MariaDB, added to the newest full run
	scripts/with-mariadb $(BIN)/python -m benchmarks.run --full --databases mariadb \
		$(if $(FULL_RUN),--into $(FULL_RUN)) $(BENCH_ARGS)

clean: ## Remove .venv, db.sqlite3 and caches
	rm -rf $(VENV) db.sqlite3 .pytest_cache .ruff_cache build *.egg-info
	find . -path ./.git -prune -o -name __pycache__ -type d -prune -exec rm -rf {} +

FORCE:
