# `make run` and `make test` work on a fresh machine with Python 3.11 and nothing else.
PYTHON ?= python3.11
VENV ?= .venv
BIN := $(VENV)/bin
PORT ?= 8000
DEMO_USER ?= admin
DEMO_PASSWORD ?= smartcity-demo

export DJANGO_SETTINGS_MODULE ?= cms.settings.dev

# Browser tests need Debian's chromium and chromium-driver. CI installs them and sets REQUIRE_BROWSER_TESTS=1;
# on a machine without them `make test` says so and runs everything else.
HAVE_CHROMIUM := $(shell command -v chromium >/dev/null 2>&1 && command -v chromedriver >/dev/null 2>&1 && echo yes)
BROWSER_FILTER := $(if $(HAVE_CHROMIUM)$(REQUIRE_BROWSER_TESTS),,-m "not browser")

.PHONY: run test install migrate demo lint format schema check-schema clean bench-ideas bench-api-cost fuzz

$(BIN)/activate: requirements.txt
	test -d $(VENV) || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -r requirements.txt
	touch $(BIN)/activate

install: $(BIN)/activate

migrate: install
	$(BIN)/python manage.py migrate --noinput

demo: migrate
	$(BIN)/python manage.py load_demo_content --with-admin

run: demo
	@echo ""
	@echo "Admin:    http://localhost:$(PORT)/admin/   login: $(DEMO_USER) / $(DEMO_PASSWORD)"
	@echo "          editors and moderators: kielregion-redaktion, kielregion-freigabe, kassel-redaktion, kassel-freigabe (same password)"
	@echo "GraphQL:  http://kielregion.localhost:$(PORT)/graphql/  and  http://kassel.localhost:$(PORT)/graphql/"
	@echo ""
	$(BIN)/python manage.py runserver 0.0.0.0:$(PORT)

# The whole suite: lint, import layers (.importlinter), Django checks, migrations, schema freshness and pytest.
test: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports
	DJANGO_SETTINGS_MODULE=cms.settings.test $(BIN)/python manage.py check
	DJANGO_SETTINGS_MODULE=cms.settings.test $(BIN)/python manage.py makemigrations --check --dry-run
	$(if $(BROWSER_FILTER),@echo "NOTE: chromium or chromedriver not found: browser tests not run (apt-get install chromium chromium-driver).")
	DJANGO_SETTINGS_MODULE=cms.settings.test $(BIN)/pytest $(BROWSER_FILTER) $(PYTEST_ARGS)

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports

format: install
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

# Regenerates the API contract; tests/test_schema_contract.py fails when it is stale.
schema: install
	DJANGO_SETTINGS_MODULE=cms.settings.test $(BIN)/python manage.py export_schema graphql/schema.graphql

# Load benchmark of idea submissions (gunicorn on PostgreSQL at 127.0.0.1:5432); writes docs/benchmarks/.
bench-ideas: install
	$(BIN)/python tests/benchmarks/idea_submissions.py --redis

# The most expensive queries under the API's limits, and a simple query's latency next to them (gunicorn with the
# production settings, PostgreSQL and Redis at 127.0.0.1); writes docs/benchmarks/api-cost.md, fails on a missed target.
bench-api-cost: install
	$(BIN)/python tests/benchmarks/api_cost.py

# A long fuzz run of /graphql/ (tests/test_fuzz.py; `make test` sends about 1,100 requests): FUZZ_EXAMPLES requests on
# the embedded SQLite, or on PostgreSQL with DATABASE_URL set.
fuzz: install
	FUZZ_EXAMPLES=$${FUZZ_EXAMPLES:-20000} DJANGO_SETTINGS_MODULE=cms.settings.test $(BIN)/pytest -s -p no:cacheprovider tests/test_fuzz.py

clean:
	rm -rf $(VENV) db.sqlite3 media static .pytest_cache .ruff_cache
