# The two commands: `make serve` (install and run on the embedded defaults) and
# `make test` (install and run the whole suite, on SQLite and PostgreSQL).
.PHONY: serve test lint bench chaos install services browser compose-validator

install:
	./scripts/bootstrap

serve: install
	.venv/bin/wfv serve

services:
	./scripts/services

browser:
	./scripts/browser

compose-validator:
	./scripts/compose-validator

test: install services browser compose-validator
	.venv/bin/ruff check .
	.venv/bin/ruff format --check .
	.venv/bin/mypy .
	.venv/bin/pytest

lint: install
	.venv/bin/ruff check . && .venv/bin/ruff format --check . && .venv/bin/mypy .

bench: install
	.venv/bin/python -m bench.core

# The standing chaos run (bench/chaos.py, docs/chaos.md): about 2.5 minutes; needs the
# PostgreSQL server binaries (initdb, pg_ctl) and redis-server, but not their services.
chaos: install
	.venv/bin/python -m bench.chaos
