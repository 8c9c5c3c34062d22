"""All configuration, from ``WFV_*`` environment variables (or a ``.env`` file)."""

import base64
import binascii
import contextlib
import os
import secrets
from functools import cached_property
from pathlib import Path
from typing import Annotated, Literal
from urllib.parse import urlsplit

from cryptography.fernet import Fernet
from pydantic import Field, PrivateAttr, ValidationInfo, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from schemas.catalogue import ActionTypes
from service.crashpoints import CrashPoint
from service.ops.data_dir import prepare_data_dir

_PLACEHOLDERS = {"", "changeme", "change-me", "secret", "dev", "development"}
_MIN_METRICS_TOKEN = 24


def _weak_webhook_secret(secret: str) -> bool:
    if secret.startswith("whsec_"):
        return len(base64.b64decode(secret.removeprefix("whsec_"))) < 24
    return secret.lower() in _PLACEHOLDERS or len(secret) < 32


GcThreshold = Annotated[int, Field(ge=1, le=10_000_000)]


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="WFV_", env_file=".env", extra="ignore")

    environment: Literal["development", "production"] = "development"
    data_dir: Path = Path("./var")
    database_url: str | None = None
    # The schema owner, for migrations; the service itself connects as ``database_url``
    # (on PostgreSQL, the ``wfv_app`` role that row-level security binds).
    migration_database_url: str | None = None
    redis_url: str | None = None
    queue: Literal["sqlite", "redis", "memory"] | None = None
    jwt_secret: str | None = Field(default=None, repr=False)
    jwt_leeway_seconds: int = Field(default=30, ge=0, le=300)
    # A real identity provider (RS256/ES256): a JWKS URL, or one PEM public key.
    jwks_url: str | None = None
    jwks_cache_seconds: float = 300
    jwks_refresh_cooldown_seconds: float = 30
    jwt_public_key: str | None = Field(default=None, repr=False)
    # What binds the provider's tokens to this service (production needs the issuer and
    # the audience, or the issuer and a list of authorised parties, the ``azp`` claim as a
    # JSON list): without them a token the provider issued for another application works here.
    jwt_issuer: str | None = None
    jwt_audience: str | None = None
    jwt_authorized_parties: list[Annotated[str, Field(min_length=1, max_length=2048)]] = Field(
        default=[], max_length=100
    )
    jwt_algorithms: list[str] = ["RS256", "ES256"]
    # Organisation roles (Clerk-style ``org_role``) to the permissions they grant.
    role_permissions: dict[str, list[str]] = {
        "org:admin": ["workflows:admin"],
        "org:member": ["workflows:edit"],
        "org:viewer": ["workflows:read"],
    }
    max_versions_per_workflow: int = Field(default=1000, ge=1)
    max_body_bytes: int = Field(default=1024 * 1024, ge=1024)
    # The engine's batches of 10,000 (enrolment, position reports): room for 10,000 moves
    # that name their base with the longest ids (about 5.5 MB), bounded by the batch's size.
    max_batch_body_bytes: int = Field(default=8 * 1024 * 1024, ge=1024)
    # A request's head (request line and headers) and how many headers it may carry:
    # beyond either, 431 (service/api/header_limits.py). Room for a large identity token.
    max_header_bytes: int = Field(default=32 * 1024, ge=4 * 1024, le=1024 * 1024)
    max_header_count: int = Field(default=100, ge=16, le=10_000)
    reconcile_interval_minutes: int = Field(default=5, ge=1)
    # git over HTTP (``/git/<workflow_id>.git``): the largest push or fetch request body;
    # how often repositories are looked after, which ones get packed (loose objects, packs),
    # and when a ``*.lock`` file counts as left behind by a killed process.
    git_max_push_bytes: int = Field(default=64 * 1024 * 1024, ge=1024)
    # A fetch's request (wants, haves and options; a clone's is a few KiB, a long
    # negotiation's some hundreds): kept small, since anyone with read access may send one.
    git_max_fetch_bytes: int = Field(default=1024 * 1024, ge=1024, le=64 * 1024 * 1024)
    # The work one push may cause: new commits, and bytes once its objects are inflated.
    git_push_max_commits: int = Field(default=100, ge=1, le=10_000)
    git_push_max_inflated_bytes: int = Field(default=16 * 1024 * 1024, ge=1024, le=1024 * 1024 * 1024)
    git_upkeep_interval_minutes: int = Field(default=30, ge=1, le=60)
    git_repack_loose_objects: int = Field(default=256, ge=1)
    git_repack_max_packs: int = Field(default=16, ge=1)
    git_stale_lock_seconds: int = Field(default=600, ge=1)
    # The service's address as clients reach it (clone URLs). Required in production; in
    # development, else taken from each request (its Host header, which anyone can set).
    public_url: str | None = None
    # The OpenAPI document and its pages (/openapi.json, /docs, /redoc): on by default in
    # development, off in production unless asked for.
    docs_enabled: bool | None = None
    # Draft auto-save: Fernet keys (comma-separated; the first encrypts, all decrypt), how
    # long an unsaved draft lives, how often Redis drafts reach the database, how many past
    # revisions are kept for three-way merges, and how long Redis is left alone after it failed.
    draft_keys: str | None = Field(default=None, repr=False)
    draft_retention_days: int = Field(default=7, ge=1, le=365)
    draft_flush_seconds: float = Field(default=2.0, ge=0.5, le=60)
    draft_history: int = Field(default=10, ge=2, le=100)
    draft_redis_timeout_seconds: float = Field(default=0.5, gt=0, le=10)
    draft_redis_retry_seconds: float = Field(default=5.0, ge=0, le=300)
    # What an acknowledged save survives (service/drafts/durability.py). By default a save
    # is acknowledged once Redis holds it; WFV_DRAFT_ACK_AFTER_DATABASE waits for its copy in
    # the database too (slower, survives anything the database does). Production refuses a
    # Redis without an append-only file for drafts unless WFV_DRAFT_ACCEPT_VOLATILE_REDIS says
    # losing the last seconds of saves to a Redis restart is acceptable.
    draft_ack_after_database: bool = False
    draft_accept_volatile_redis: bool = False
    # How long a compare may reuse the live counts it read (service/compare/cache.py): every
    # enrolment, report, migration or revert batch, pin and unpin invalidates them at once;
    # this bounds staleness only when that is lost (several processes without Redis).
    # 0: count on every compare.
    compare_live_ttl_seconds: float = Field(default=5.0, ge=0, le=300)
    # Server-sent event streams one user may hold open at once, in each server process.
    stream_max_per_user: int = Field(default=4, ge=1, le=100)
    # The longest a change-feed long-poll waits, whatever its ``wait`` asks (up to 30):
    # lower it below an idle timeout of a proxy in front of the API.
    changes_max_wait_seconds: float = Field(default=30.0, ge=0, le=30)
    # A fair share per tenant (service/api/budgets.py): requests each tenant may make per
    # window, one budget for reads, one for writes, one for draft auto-saves; shared by every
    # API process through Redis when WFV_REDIS_URL is set, per process otherwise. The
    # defaults are far above what one tenant's people and integrations send (the README
    # tour and the benchmarks never meet them): they stop a runaway client, not a busy one.
    tenant_budgets_enabled: bool = True
    tenant_budget_reads: int = Field(default=300_000, ge=1, le=100_000_000)
    tenant_budget_reads_seconds: int = Field(default=60, ge=1, le=86_400)
    tenant_budget_writes: int = Field(default=60_000, ge=1, le=100_000_000)
    tenant_budget_writes_seconds: int = Field(default=60, ge=1, le=86_400)
    tenant_budget_draft_saves: int = Field(default=120_000, ge=1, le=100_000_000)
    tenant_budget_draft_saves_seconds: int = Field(default=60, ge=1, le=86_400)
    # How long a refusal (429) waits before it is sent (never longer than its Retry-After): a
    # client that retries at once on N connections then sends at most N requests a second,
    # instead of a flood of cheap 429s that takes the CPU other tenants need.
    tenant_budget_refusal_delay_seconds: float = Field(default=1.0, ge=0, le=10)
    # Per API process: how many authenticated requests do their work at once; beyond it the
    # waiting ones are admitted tenant by tenant in turn (service/api/turns.py). 0: no turns.
    request_slots: int = Field(default=4, ge=0, le=1000)
    # Called when a migration completes, signed by the Standard Webhooks specification with
    # webhook_secret (``whsec_<base64>``, or any string used as its UTF-8 bytes); a URL
    # without a secret is refused, so no webhook is ever sent unsigned.
    migration_webhook_url: str | None = None
    webhook_secret: str | None = Field(default=None, repr=False)
    # Event webhooks (docs/webhooks.md): tenants' endpoints must be https and reach public
    # addresses unless these allow otherwise (development, tests, a private deployment);
    # each attempt's timeout (each of connect, send and every read), the first retry's
    # delay (doubling, with jitter, up to an hour apart), for how long an event is retried
    # before its delivery is given up, and when the sweep picks up due deliveries whose
    # queued job was lost (a 5-field cron, UTC).
    webhook_allow_http: bool = False
    webhook_allow_private_networks: bool = False
    webhook_timeout_seconds: float = Field(default=10.0, gt=0, le=60)
    webhook_retry_base_seconds: float = Field(default=5.0, gt=0, le=3600)
    webhook_retry_hours: float = Field(default=24.0, gt=0, le=168)
    webhook_sweep_cron: str = "* * * * *"
    # Guarded rollouts (tasks/rollouts.py): when the workers look for rollouts whose next
    # step is due (5-field cron, UTC); each step change also queues a job for its moment.
    rollout_schedule_cron: str = "* * * * *"
    migration_watchdog_seconds: float = Field(default=15, ge=1)
    # A migration batch (or the enqueueing of its successor) that fails because the database
    # or the queue is away is tried again in place, with backoff capped at a second, for up
    # to this long; past it the watchdog resumes the migration.
    migration_retry_seconds: float = Field(default=600, ge=0, le=86400)
    # Scheduled archival (``tasks/archival.py``): when it runs (a 5-field cron, UTC), how
    # long a version must have been idle, how many newest published versions per workflow
    # are always kept, and how many workflows one batch (one transaction) covers.
    archival_cron: str = "0 3 * * *"
    # Every execution's journey (indexer/journey.py): how many days of it are kept (the
    # daily task drops what is older; 0 keeps none, and with it no as-of answers and no
    # reverts), and when that task runs (``tasks/journeys.py``, 5-field cron, UTC).
    journey_retention_days: int = Field(default=90, ge=0, le=36500)
    journey_expiry_cron: str = "30 3 * * *"
    archive_after_days: int = Field(default=90, ge=1, le=36500)
    keep_versions: int = Field(default=10, ge=1, le=10000)
    archival_batch_workflows: int = Field(default=500, ge=1, le=10000)
    # Idempotency-Key on the POSTs that create or act (service/idempotency.py): how long a
    # key's first answer is replayed, how long a claimed key stays claimed by a request that
    # may have died (a retry meanwhile is answered 409; after it, the retry does the work),
    # the largest answer kept whole, and when expired keys are deleted (5-field cron, UTC).
    idempotency_ttl_seconds: int = Field(default=86400, ge=1, le=30 * 86400)
    idempotency_lease_seconds: int = Field(default=60, ge=1, le=3600)
    idempotency_max_answer_bytes: int = Field(default=4 * 1024 * 1024, ge=1024, le=64 * 1024 * 1024)
    idempotency_sweep_cron: str = "*/10 * * * *"
    host: str = "127.0.0.1"
    port: int = 8000
    # Operations: log lines as JSON objects (default in production) or plain text (default
    # in development); a bearer token /metrics asks for when set; where ``wfv worker`` serves
    # its own metrics (off unless a port is given); how long one readiness check may take.
    log_format: Literal["json", "text"] | None = None
    log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR"] = "INFO"
    metrics_token: str | None = Field(default=None, repr=False)
    worker_metrics_port: int | None = Field(default=None, ge=1, le=65535)
    worker_metrics_host: str = "127.0.0.1"
    readiness_timeout_seconds: float = Field(default=2.0, gt=0, le=30)
    # Traces (service/ops/tracing.py): off unless this names an OpenTelemetry collector's
    # OTLP/HTTP endpoint (``http://collector:4318``; spans go to its ``/v1/traces``).
    otlp_endpoint: str | None = None
    # The garbage collector's thresholds in server processes (service/ops/gc_tuning.py), as
    # WFV_GC_THRESHOLDS='[50000, 50, 100]'; CPython's own are 700, 10, 10.
    gc_thresholds: tuple[GcThreshold, GcThreshold, GcThreshold] = (50_000, 50, 100)
    # A folder of ``<type>.json`` files, each a JSON Schema (Draft 2020-12) of the config of
    # an action type: the operator's types, added to the shipped ones (replacing a shipped
    # type of the same name). Read and compiled once, here: a bad file refuses start-up.
    action_types_dir: Path | None = None
    _action_types: ActionTypes = PrivateAttr()
    # Fault tests only (service/crashpoints.py): the write-path points where a process
    # SIGKILLs itself, as WFV_TEST_CRASH_POINTS='["refs-moved"]'. Refused in production.
    test_crash_points: frozenset[CrashPoint] = Field(default=frozenset(), max_length=3)

    @model_validator(mode="after")
    def _production_needs_real_secrets(self) -> "Settings":
        if self.environment == "production":
            has_idp = bool(self.jwks_url or self.jwt_public_key)
            if self.jwt_secret is None and not has_idp:
                raise ValueError("production needs WFV_JWKS_URL, WFV_JWT_PUBLIC_KEY or WFV_JWT_SECRET")
            if self.jwt_secret is not None and (
                self.jwt_secret.lower() in _PLACEHOLDERS or len(self.jwt_secret) < 32
            ):
                raise ValueError("WFV_JWT_SECRET must be a real secret of at least 32 characters")
            if self.database_url is None:
                raise ValueError("WFV_DATABASE_URL must be set in production")
            self._production_needs_operations_settings()
        return self

    @model_validator(mode="after")
    def _no_crash_points_in_production(self) -> "Settings":
        """A crash point kills the process on every write that reaches it: a test's tool
        that a production node must never run with, whatever its environment says."""
        if self.environment == "production" and self.test_crash_points:
            raise ValueError("WFV_TEST_CRASH_POINTS is for fault tests only: production refuses it")
        return self

    @model_validator(mode="after")
    def _webhooks_are_signed(self) -> "Settings":
        """Always (not only in production): a receiver cannot tell our unsigned call from
        anyone's, and in production the secret must be a real one."""
        if self.migration_webhook_url and not self.webhook_secret:
            raise ValueError("WFV_MIGRATION_WEBHOOK_URL needs WFV_WEBHOOK_SECRET: webhooks are always signed")
        if (
            self.webhook_secret
            and self.environment == "production"
            and _weak_webhook_secret(self.webhook_secret)
        ):
            raise ValueError(
                "WFV_WEBHOOK_SECRET must be a real secret: whsec_ with at least 24 base64 bytes, "
                "or at least 32 characters"
            )
        return self

    @field_validator("webhook_secret")
    @classmethod
    def _webhook_secret_decodes(cls, value: str | None) -> str | None:
        if value and value.startswith("whsec_"):
            try:
                key = base64.b64decode(value.removeprefix("whsec_"), validate=True)
            except binascii.Error as exc:
                raise ValueError("WFV_WEBHOOK_SECRET: what follows whsec_ must be base64") from exc
            if not key:
                raise ValueError("WFV_WEBHOOK_SECRET: whsec_ must be followed by the key in base64")
        return value

    @model_validator(mode="after")
    def _production_binds_tokens_to_this_service(self) -> "Settings":
        """An identity provider signs tokens for all its applications with the same keys:
        only ``iss`` (this provider, this tenant of it) and ``aud`` or ``azp`` (this
        application) say a token is meant for wfv."""
        if self.environment == "production" and (self.jwks_url or self.jwt_public_key):
            if not self.jwt_issuer or not (self.jwt_audience or self.jwt_authorized_parties):
                raise ValueError(
                    "production needs WFV_JWT_ISSUER and WFV_JWT_AUDIENCE (or WFV_JWT_AUTHORIZED_PARTIES) "
                    "with an identity provider, else tokens it issued for other applications are accepted"
                )
        return self

    @field_validator("jwt_issuer", "jwt_audience")
    @classmethod
    def _blank_is_unset(cls, value: str | None) -> str | None:
        """``WFV_JWT_AUDIENCE=`` (compose passes an unset variable through as empty) is
        no audience, not an audience nobody has."""
        return value if value and value.strip() else None

    def _production_needs_operations_settings(self) -> None:
        """What development takes from the request, generates or leaves open, production is
        told: clone URLs come from WFV_PUBLIC_URL, never a Host header; draft keys are
        shared, not generated per node; /metrics needs a token."""
        if self.public_url is None:
            raise ValueError("WFV_PUBLIC_URL must be set in production (clone URLs are built from it)")
        if self.draft_keys is None:
            # A key generated into one node's data dir is unknown to the others, and lost
            # with the container: every draft it encrypted with it.
            raise ValueError("WFV_DRAFT_KEYS must be set in production (keys shared by every node)")
        token = self.metrics_token
        if token is None or token.lower() in _PLACEHOLDERS or len(token) < _MIN_METRICS_TOKEN:
            raise ValueError(
                f"production needs WFV_METRICS_TOKEN, a real secret of at least {_MIN_METRICS_TOKEN} "
                "characters (/metrics answers only a scraper that sends it)"
            )

    @field_validator("public_url")
    @classmethod
    def _public_url_is_an_origin(cls, value: str | None) -> str | None:
        if value is None:
            return None
        parsed = urlsplit(value)
        if parsed.scheme not in ("http", "https") or not parsed.hostname:
            raise ValueError("WFV_PUBLIC_URL is an http(s) URL with a host, e.g. https://wfv.example.com")
        if parsed.username or parsed.password or parsed.query or parsed.fragment:
            raise ValueError("WFV_PUBLIC_URL holds no credentials, query or fragment")
        return value.rstrip("/")

    @field_validator("otlp_endpoint")
    @classmethod
    def _otlp_endpoint_is_a_collector(cls, value: str | None) -> str | None:
        if value is None or not value.strip():
            return None
        parsed = urlsplit(value.strip())
        try:
            parsed.port  # noqa: B018  (raises on a port that is not a number in range)
        except ValueError:
            parsed = parsed._replace(netloc="")
        if parsed.scheme not in ("http", "https") or not parsed.hostname:
            raise ValueError(
                "WFV_OTLP_ENDPOINT is the http(s) URL of an OTLP/HTTP collector, e.g. http://127.0.0.1:4318"
            )
        if parsed.username or parsed.password or parsed.query or parsed.fragment:
            raise ValueError(
                "WFV_OTLP_ENDPOINT holds no credentials, query or fragment "
                "(a collector's credentials go in OTEL_EXPORTER_OTLP_HEADERS)"
            )
        return value.strip().rstrip("/")

    @field_validator("database_url", "migration_database_url")
    @classmethod
    def _database_url_names_its_driver(cls, value: str | None) -> str | None:
        """``postgres://`` (what hosting providers hand out) is no dialect SQLAlchemy knows,
        and a bare ``postgresql://`` asks for psycopg2, which wfv does not install: both
        would fail later with "Can't load plugin" or a missing module, far from the setting."""
        if value is None:
            return None
        scheme, found, rest = value.partition("://")
        if found and scheme in ("postgres", "postgresql"):
            # The user's own URL with the driver named, its password left out of the message.
            parts = urlsplit(value)
            shown = rest if parts.password is None else rest.replace(f":{parts.password}@", ":***@", 1)
            raise ValueError(f"{scheme}:// is not a driver wfv has: write postgresql+psycopg://{shown}")
        return value

    @field_validator("data_dir")
    @classmethod
    def _data_dir_is_absolute(cls, value: Path) -> Path:
        """Resolved once, here, against the directory the process starts in: every path
        derived from it (repositories, SQLite, secrets) is then absolute, so a child
        process given another working directory (``git index-pack`` runs in the
        repository) still finds it. ``./var`` is the default ``make serve`` relies on."""
        return value.expanduser().resolve()

    @field_validator("action_types_dir")
    @classmethod
    def _action_types_dir_is_absolute(cls, value: Path | None) -> Path | None:
        return value.expanduser().resolve() if value is not None else None

    @model_validator(mode="after")
    def _action_types_compile(self) -> "Settings":
        """The catalogue is compiled when the settings are read (process start), once:
        a document is then checked without reading or compiling anything."""
        self._action_types = ActionTypes.from_folder(self.action_types_dir)
        return self

    @property
    def action_types(self) -> ActionTypes:
        """The catalogue publishing checks documents with (``schemas/catalogue.py``)."""
        return self._action_types

    @field_validator(
        "archival_cron",
        "webhook_sweep_cron",
        "idempotency_sweep_cron",
        "rollout_schedule_cron",
        "journey_expiry_cron",
    )
    @classmethod
    def _cron_parses(cls, value: str, info: ValidationInfo) -> str:
        from huey import crontab

        fields = value.split()
        if len(fields) != 5:
            name = f"WFV_{(info.field_name or '').upper()}"
            raise ValueError(f"{name} needs 5 fields: minute hour day month day-of-week")
        crontab(*fields)  # raises ValueError on a field huey cannot schedule
        return " ".join(fields)

    @field_validator("draft_keys")
    @classmethod
    def _draft_keys_are_fernet_keys(cls, value: str | None) -> str | None:
        if value is None:
            return None
        keys = [key.strip() for key in value.split(",") if key.strip()]
        if not keys:
            raise ValueError("WFV_DRAFT_KEYS is empty: give at least one Fernet key")
        for index, key in enumerate(keys):
            try:
                Fernet(key)
            except ValueError as exc:
                raise ValueError(
                    f"WFV_DRAFT_KEYS key #{index + 1} is not a Fernet key (32 url-safe base64 bytes)"
                ) from exc
        return ",".join(keys)

    @cached_property
    def repos_dir(self) -> Path:
        return self.data_dir / "repos"

    @cached_property
    def resolved_database_url(self) -> str:
        return self.database_url or f"sqlite:///{self.data_dir / 'wfv.db'}"

    @cached_property
    def resolved_migration_url(self) -> str:
        return self.migration_database_url or self.resolved_database_url

    @cached_property
    def resolved_log_format(self) -> str:
        if self.log_format is not None:
            return self.log_format
        return "json" if self.environment == "production" else "text"

    @cached_property
    def resolved_docs_enabled(self) -> bool:
        if self.docs_enabled is not None:
            return self.docs_enabled
        return self.environment == "development"

    @cached_property
    def resolved_queue(self) -> str:
        if self.queue is not None:
            return self.queue
        return "redis" if self.redis_url else "sqlite"

    def hmac_secret(self) -> str | None:
        """The HS256 secret development tokens are checked with, or None where they are
        refused: in production, only an explicitly configured secret is accepted."""
        if self.environment == "production" and not self.jwt_secret:
            return None
        return self.signing_secret()

    @cached_property
    def signing_secret_path(self) -> Path:
        """Where the generated HS256 secret is kept (``WFV_JWT_SECRET`` unset)."""
        return self.data_dir / "jwt-secret"

    def existing_signing_secret(self) -> str | None:
        """The HS256 secret if it is configured or already generated, else None.

        What ``wfv token`` signs with: a secret it generated itself, in a folder no server
        uses, would sign tokens every server refuses (401) with no hint why.
        """
        if self.jwt_secret:
            return self.jwt_secret
        try:
            return self.signing_secret_path.read_text(encoding="utf-8").strip() or None
        except FileNotFoundError:
            return None

    def signing_secret(self) -> str:
        """The HS256 secret: configured, or generated once and kept in the data dir.

        Generating it on first start lets ``wfv serve`` and ``wfv token`` agree with no
        configuration, and no secret ever lives in code.
        """
        if self.jwt_secret:
            return self.jwt_secret
        path = self.signing_secret_path
        if not path.exists():
            prepare_data_dir(self.data_dir)
            fresh = secrets.token_urlsafe(48)
            # Another process may win the race to create it: then we read theirs below.
            with contextlib.suppress(FileExistsError), path.open("x", encoding="utf-8") as handle:
                path.chmod(0o600)
                handle.write(fresh)
        return path.read_text(encoding="utf-8").strip()

    def draft_key_list(self) -> list[str]:
        """The draft encryption keys: configured, or one generated once into the data dir
        (0600), as the development token secret is, so no key ever lives in code."""
        if self.draft_keys:
            return self.draft_keys.split(",")
        path = self.data_dir / "draft-keys"
        if not path.exists():
            prepare_data_dir(self.data_dir)
            draft = path.with_name(f".draft-keys.{secrets.token_hex(8)}")
            draft.touch(mode=0o600)
            draft.write_text(Fernet.generate_key().decode("ascii"), encoding="utf-8")
            # A link appears whole or not at all; a process that lost the race reads the winner's.
            with contextlib.suppress(FileExistsError):
                os.link(draft, path)
            draft.unlink()
        return [key.strip() for key in path.read_text(encoding="utf-8").split(",") if key.strip()]
