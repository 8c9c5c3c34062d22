# The two commands: `make serve` (install and run on the embedded defaults) and
# `make test` (install and run the whole suite, on SQLite and PostgreSQL).
.PHONY: serve test lint bench install services browser compose-validator

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
