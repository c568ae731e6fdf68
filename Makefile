# The two commands of the README: `make demo` and `make test`. Everything
# else here is what they build on.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PY := $(BIN)/python
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: demo test setup migrate serve worker lint format bench check-deploy clean

$(PY):
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip

# Reinstall only when requirements.txt changes.
$(STAMP): requirements.txt | $(PY)
	$(PY) -m pip install --quiet -r requirements.txt
	touch $(STAMP)

setup: $(STAMP)

migrate: setup
	@mkdir -p var
	$(PY) manage.py migrate --noinput

demo: migrate
	$(PY) manage.py load_demo
	@echo "Serving the workbench on http://$(HOST):$(PORT)/  (Ctrl-C to stop)"
	@exec $(PY) manage.py runserver $(HOST):$(PORT)

test: setup
	$(BIN)/pytest

worker: setup
	$(BIN)/celery -A workbench worker --beat --loglevel=INFO --concurrency=2

lint: setup
	$(BIN)/ruff format --check .
	$(BIN)/ruff check .

format: setup
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

check-deploy: setup
	DEBUG=0 SECRET_KEY=$$(head -c 48 /dev/urandom | base64) ALLOWED_HOSTS=claims.example.org \
		AUDIT_SIGNING_KEY=$$(head -c 32 /dev/urandom | base64) \
		CSRF_TRUSTED_ORIGINS=https://claims.example.org $(PY) manage.py check --deploy --fail-level WARNING

# Pages at 1k/10k/100k claims on PostgreSQL (BENCH_DATABASE_URL), CSV over
# HTTP and a 50-user locust run, then export times and peak memory per format
# on the same workspaces; not part of `make test`. See bench/run_pages.py.
BENCH_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/workbench_bench
bench: setup
	$(BIN)/pip install --quiet -r bench/requirements.txt
	BENCH_DATABASE_URL=$(BENCH_DATABASE_URL) $(PY) bench/run_pages.py --exports --locust
	$(PY) bench/run_exports.py --database-url $(BENCH_DATABASE_URL) --sizes 1000 10000 100000 --formats csv json annotation

clean:
	rm -rf $(VENV) var/staticfiles
