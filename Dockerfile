# The wfv service image: the API (`wfv serve`), the worker (`wfv worker`) and the one-shot
# migration job (`wfv db upgrade`) all run it; docker-compose.yml says which is which.
#
# Pinned: the base image by its exact Python and Debian release (add `@sha256:<digest>`
# from `docker buildx imagetools inspect python:3.11.14-slim-bookworm` to pin the very
# build), the Python packages by requirements.lock. Debian's git comes from the release's
# security updates.

# The web UI (web/, docs/web.md) is built in a stage of its own, from web/package-lock.json:
# the image carries the built files (service/api/ui/app/), not Node.js.
FROM node:20.20.2-bookworm-slim AS web
WORKDIR /src/web
COPY web/package.json web/package-lock.json ./
RUN npm ci --no-audit --no-fund --loglevel=error
COPY web ./
RUN npm run build

FROM python:3.11.14-slim-bookworm

# git itself: clones are answered by `git http-backend`, pushes are unpacked by
# `git index-pack`, the upkeep task runs `git gc`.
RUN apt-get update \
    && apt-get install -y --no-install-recommends git \
    && rm -rf /var/lib/apt/lists/*

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

WORKDIR /build
# The locked dependencies first, in their own layer: a change of wfv's code reuses it.
COPY requirements.lock ./
RUN pip install --no-deps -r requirements.lock
COPY pyproject.toml README.md ./
COPY schemas ./schemas
COPY repo_store ./repo_store
COPY indexer ./indexer
COPY service ./service
COPY --from=web /src/service/api/ui/app ./service/api/ui/app
COPY tasks ./tasks
# --no-deps: nothing beyond the lock; `pip check` fails the build if the lock lacks one.
RUN pip install --no-deps . && pip check && cd / && rm -rf /build

# Not root. The repositories folder exists (owned by wfv) before a volume is mounted on
# it, so a new named volume starts out writable by the service.
RUN useradd --system --uid 10001 --user-group --home-dir /srv/wfv --shell /usr/sbin/nologin wfv \
    && mkdir -p /srv/wfv/repos \
    && chown -R wfv:wfv /srv/wfv \
    && chmod 0700 /srv/wfv
USER wfv
WORKDIR /srv/wfv

# Production unless told otherwise: on 0.0.0.0 the service starts only with its secrets
# (token keys, database URL, draft keys, public URL, metrics token) given by the
# environment, and exits with a one-line reason without them. Development mode (generated
# secrets, open /metrics and /docs) is an explicit WFV_ENVIRONMENT=development.
ENV WFV_ENVIRONMENT=production \
    WFV_DATA_DIR=/srv/wfv \
    WFV_HOST=0.0.0.0 \
    WFV_PORT=8000 \
    WFV_LOG_FORMAT=json
EXPOSE 8000
CMD ["wfv", "serve", "--processes", "2", "--no-embedded-worker"]
