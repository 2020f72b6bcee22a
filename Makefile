# The two set-up commands are `make run` and `make test`; the rest are their parts.
VENV ?= .venv
PY := $(VENV)/bin/python
FLASK := $(VENV)/bin/flask --app wsgi
# The suite runs on SQLite and on PostgreSQL at this URL; when nothing answers there, `make test` starts a throwaway
# cluster (scripts/with-test-postgres.sh). Empty (`make test PORTAL_TEST_DATABASE_URL=`): SQLite only.
PORTAL_TEST_DATABASE_URL ?= postgresql+psycopg://postgres@127.0.0.1:5432/portal_test
export PORTAL_TEST_DATABASE_URL
export VENV
# The edit-and-test loop: no browser, no PostgreSQL, no benchmark smoke runs (markers in pyproject.toml).
FAST_MARKERS := not browser and not postgres and not bench

# Benchmarks at national scale (README, Performance): the datasets are built once, then every benchmark runs on both.
BENCH_SQLITE ?= sqlite:///$(CURDIR)/bench/data/national.sqlite3
BENCH_PG ?= postgresql+psycopg://postgres@127.0.0.1:5432/portal_bench
BENCH := $(PY) -m bench

.PHONY: run test test-fast system-run system-test system-fast install db translations translations-update lint clean bench bench-data mutation

$(VENV)/.installed: requirements.txt bench/requirements.txt
	test -x $(PY) || python3 -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.txt -r bench/requirements.txt
	touch $@

install: $(VENV)/.installed

# System packages first, so a machine that cannot have them stops at once with one line (scripts/ensure-system.sh).
system-run:
	@scripts/ensure-system.sh run

system-test:
	@scripts/ensure-system.sh test

system-fast:
	@scripts/ensure-system.sh fast

translations: install
	$(VENV)/bin/pybabel compile -d portal/translations

# After changing user-visible text: extract msgids, merge them into the catalogues, then translate the zh entries.
translations-update: install
	$(VENV)/bin/pybabel extract -F babel.cfg -k _l -k N_ --no-location --sort-output -o portal/translations/messages.pot .
	$(VENV)/bin/pybabel update -N -i portal/translations/messages.pot -d portal/translations

db: system-run install translations
	$(FLASK) init-db
	$(FLASK) load-govlist
	$(FLASK) seed-demo

run: db
	$(FLASK) run --host 127.0.0.1 --port 5000

# pytest's own exit status decides: 5 (no test collected) fails like any other non-zero status.
test: system-test install translations
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	@scripts/with-test-postgres.sh $(VENV)/bin/pytest

test-fast: system-fast install translations
	$(VENV)/bin/ruff check .
	PORTAL_TEST_DATABASE_URL= $(VENV)/bin/pytest -q -n auto --dist loadfile -m "$(FAST_MARKERS)"

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

# Mutation testing of the pure packages ([tool.mutmut] in pyproject.toml; docs/mutation-survivors.md). Slow: results
# are kept in mutants/, so a second run only tries mutants whose code or tests changed.
MUTATION_CHILDREN ?= 2
mutation: install
	$(VENV)/bin/mutmut run --max-children $(MUTATION_CHILDREN)
	$(VENV)/bin/mutmut export-cicd-stats
	$(PY) tools/mutation_summary.py

clean:
	rm -rf instance exports/*.pdf exports/*.xlsx exports/*.json exports/*.csv

bench/data/national.sqlite3: bench/make_data.py
	$(BENCH).make_data --database-url $(BENCH_SQLITE)

bench/data/postgresql.stamp: bench/make_data.py
	$(BENCH).make_data --database-url $(BENCH_PG)
	touch $@

bench-data: install translations bench/data/national.sqlite3 bench/data/postgresql.stamp

bench: bench-data
	$(BENCH).workbook
	$(BENCH).pdf
	$(BENCH).search --database-url $(BENCH_SQLITE)
	$(BENCH).search --database-url $(BENCH_PG)
	$(BENCH).export --database-url $(BENCH_SQLITE)
	$(BENCH).export --database-url $(BENCH_PG)
	$(BENCH).dates --database-url $(BENCH_SQLITE)
	$(BENCH).dates --database-url $(BENCH_PG)
	$(BENCH).load
	$(BENCH).load --database-url postgresql+psycopg://postgres@127.0.0.1:5432/portal_bench_load
