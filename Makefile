# Quotetrail: every task has one entry point here. `make help` lists them.
SHELL := /bin/bash
.DEFAULT_GOAL := help
.PHONY: help run test lint format lock train eval bench outage cluster fuzz clean

VENV := .venv
EVAL_DATA ?= ../shared/eval/polnear-dev
TRAIN_DATA ?= ../shared/eval/polnear-train
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-$(shell cat requirements.lock .python-version | cksum | cut -d' ' -f1)

help: ## list the tasks
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F ':.*## ' '{printf "  make %-8s %s\n", $$1, $$2}'

$(STAMP): requirements.lock .python-version
	@scripts/bootstrap
	@touch $@

run: $(STAMP) ## set up everything (venv, deps, migrations, seed, demo accounts) and serve on http://127.0.0.1:8000 with the task worker
	@$(PY) manage.py migrate --noinput -v 0
	@$(PY) manage.py seed
	@$(PY) manage.py demo_accounts
	@echo "Quotetrail is starting on http://127.0.0.1:8000 with its task worker (Ctrl-C stops both)."
	@PY=$(PY) scripts/serve

test: $(STAMP) ## lint and run the whole test suite (SQLite, or PostgreSQL when DATABASE_URL is set)
	@scripts/ensure-chromium
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(PY) -m pytest $(PYTEST_ARGS)

train: $(STAMP) ## train the extractor's model on the PolNeAR training split only; rewrites apps/quotes/extraction/model.json
	$(PY) manage.py train_extractor $(TRAIN_DATA)

eval: $(STAMP) ## score the extractor on the PolNeAR dev split: current and strict figures, per outlet, speed
	$(PY) manage.py evaluate_extraction $(EVAL_DATA)

bench: $(STAMP) ## load (or reuse) a 10,000-article archive in PostgreSQL and benchmark the production server
	$(PY) bench/run.py $(BENCH_ARGS)

outage: $(STAMP) ## database outage drill: restart PostgreSQL under load; report failures, recovery time, lost writes
	$(PY) bench/outage.py $(OUTAGE_ARGS)

cluster: $(STAMP) ## cluster drill: 2 app instances, worker, HAProxy, Redis; kill, restart and roll them under load
	$(PY) bench/cluster.py $(CLUSTER_ARGS)

fuzz: $(STAMP) ## fuzz every endpoint: 10,000+ requests (FUZZ_EXAMPLES=400 per endpoint), prints requests and 500s
	FUZZ_EXAMPLES=$${FUZZ_EXAMPLES:-400} $(PY) -m pytest tests/security -m "not browser" -q $(PYTEST_ARGS)

lint: $(STAMP) ## ruff lint and format check only
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: $(STAMP) ## apply ruff's fixes and formatting
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

lock: ## re-resolve requirements.lock from pyproject.toml (needs network access to PyPI)
	@test -x $(VENV)/bin/uv || $(VENV)/bin/pip install -q uv
	$(VENV)/bin/uv pip compile pyproject.toml --group dev --generate-hashes --universal \
		--python-version 3.12 -o requirements.lock

clean: ## remove the virtual environment and local data (var/)
	rm -rf $(VENV) var
