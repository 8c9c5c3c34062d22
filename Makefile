# The two commands: `make serve` (install what serving needs and run on the embedded
# defaults) and `make test` (install the dev tools too and run the whole suite, on SQLite
# and PostgreSQL).
.PHONY: serve test lint bench chaos install install-serve services browser compose-validator load-driver typescript clients web

# The runtime dependencies only (no test toolchain): what `make serve` waits for.
install-serve:
	./scripts/bootstrap serve

# Everything, the test, lint and benchmark tools included.
install:
	./scripts/bootstrap dev

# The web UI is built from web/ first (./scripts/web: again only when web/ changed).
serve: install-serve web
	.venv/bin/wfv serve

services:
	./scripts/services

browser:
	./scripts/browser

compose-validator:
	./scripts/compose-validator

# wrk drives HTTP in the benchmarks (bench/wrk.py), and in the journeys benchmark's test.
load-driver:
	./scripts/debian-tool wrk wrk "the benchmarks' HTTP load (bench/wrk.py)"

# The TypeScript client's pinned tools (npm ci in clients/typescript, when its lock changed).
typescript:
	./scripts/typescript

# The web package's pinned tools (npm ci in web/, when its lock changed) and the app /ui
# serves, built into service/api/ui/app/ (when web/ changed): docs/web.md.
web:
	./scripts/web

# Regenerate the typed clients (clients/) from the app's OpenAPI document: after any change
# to a route or a model, then commit what changed (the suite fails while they are stale).
clients: install typescript
	./scripts/clients

test: install services browser compose-validator load-driver typescript web
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
