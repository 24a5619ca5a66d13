# The commands a person runs. `make run` and `make test` work on a fresh clone
# with only Python 3.11 and make.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV ?= .venv
BIN = $(VENV)/bin
PYTEST_ARGS ?= -n auto
# Production-like values for the deploy check (never used to serve anything).
DEPLOY_ENV = DJANGO_DEBUG=false DJANGO_ALLOWED_HOSTS=club.example.org \
	DJANGO_SECRET_KEY=deploy-check-only-0123456789abcdefghijklmnopqrstuvwxyzABCDEFGH

.PHONY: run test lint format ci check-deploy test-entrypoint bench scale-test lock clean messages

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(VENV)/.installed: requirements.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.installed-test: requirements.txt requirements-test.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements-test.txt
	touch $(VENV)/.installed $@

# `make run PORT=8001` serves on another port; links in emails (SITE_URL) follow it.
PORT ?= 8000
RUN_ENV = DJANGO_DEBUG=true SITE_URL=$${SITE_URL:-http://127.0.0.1:$(PORT)}

# The translations (.mo) are compiled from locale/*/LC_MESSAGES/*.po, never committed;
# msgfmt comes from Debian's gettext, installed when missing (as .ci/run does for chromium).
messages: $(VENV)/.installed
	@command -v msgfmt >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq gettext; } \
	  || { echo "compiling translations needs msgfmt (apt-get install gettext)"; exit 1; }
	DJANGO_DEBUG=true $(BIN)/python manage.py compilemessages --ignore=.venv --ignore=node_modules -v 0

run: $(VENV)/.installed messages
	$(RUN_ENV) $(BIN)/python manage.py migrate --no-input
	$(RUN_ENV) $(BIN)/python manage.py createcachetable
	$(RUN_ENV) $(BIN)/python manage.py seed_demo
	@echo "Serving on http://127.0.0.1:$(PORT) (emails are printed here, readably, by the mail queue)."
	$(RUN_ENV) $(BIN)/python manage.py run_mail_queue & \
	  trap 'kill $$!' EXIT; \
	  $(RUN_ENV) $(BIN)/python manage.py runserver 127.0.0.1:$(PORT)

# axe-core (npm) is injected into pages by the accessibility audit.
node_modules/.installed: package.json package-lock.json
	npm ci --silent --no-audit --no-fund
	touch $@

test: $(VENV)/.installed-test node_modules/.installed messages
	$(BIN)/python -m pytest $(PYTEST_ARGS)

lint: $(VENV)/.installed-test
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/hadolint Dockerfile

format: $(VENV)/.installed-test
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

check-deploy: $(VENV)/.installed
	$(DEPLOY_ENV) $(BIN)/python manage.py check --deploy --fail-level WARNING

test-entrypoint: $(VENV)/.installed
	bash docker/test-entrypoint.sh

# What CI runs (.ci/run adds the system packages and services first).
ci: lint test check-deploy test-entrypoint
	DATABASE_URL=$${POSTGRES_TEST_URL:-postgres://root@127.0.0.1:5432/solidarityclub} $(MAKE) test

# Not part of `make test`: seeds a large club into its own PostgreSQL database and
# drives gunicorn with wrk (installed from Debian's packages when missing). See docs/performance.md.
bench: $(VENV)/.installed-test
	@command -v wrk >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk; } \
	  || { echo "make bench needs wrk (apt-get install wrk)"; exit 1; }
	$(BIN)/python -m tests.bench.run

# Not part of `make test`: 3 web processes behind HAProxy, its own PostgreSQL cluster and
# Redis, 2 mailers and 2 schedulers, faults under load (wrk). See docs/scaling.md.
scale-test: $(VENV)/.installed-test
	@command -v wrk >/dev/null && command -v haproxy >/dev/null || { apt-get update -qq \
	  && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk haproxy; } \
	  || { echo "make scale-test needs wrk and haproxy (apt-get install wrk haproxy)"; exit 1; }
	$(BIN)/python -m tests.scale.run

lock:
	rm -rf .lock-venv && $(PYTHON) -m venv .lock-venv
	.lock-venv/bin/pip install --quiet .
	.lock-venv/bin/pip uninstall --quiet -y solidarityclub
	{ echo "# Exact versions for production; regenerate with 'make lock' after changing pyproject.toml."; \
	  .lock-venv/bin/pip freeze; } > requirements.txt
	.lock-venv/bin/pip install --quiet ".[test,dev]"
	.lock-venv/bin/pip uninstall --quiet -y solidarityclub
	{ echo "# Exact versions for tests and development, on top of requirements.txt ('make lock')."; \
	  echo "-r requirements.txt"; .lock-venv/bin/pip freeze | grep -vxFf requirements.txt; } > requirements-test.txt
	rm -rf .lock-venv

clean:
	rm -rf $(VENV) node_modules staticfiles .pytest_cache .ruff_cache
