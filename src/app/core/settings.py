"""Application settings, read once from environment variables.

Every secret comes from the environment; nothing here has a production secret
as a default. `Settings.from_env()` is the only place that reads `os.environ`.
"""

from __future__ import annotations

import base64
import os
import secrets
from collections.abc import Mapping
from typing import Literal

import msgspec

MailBackend = Literal["local", "smtp"]


class SettingsError(ValueError):
    """Raised when the environment holds an invalid configuration."""


class Settings(msgspec.Struct, kw_only=True, frozen=True):
    environment: Literal["development", "test", "production"] = "development"
    app_name: str = "Atelier"
    public_base_url: str = "http://127.0.0.1:8000"
    host: str = "127.0.0.1"
    port: int = 8000
    log_level: str = "INFO"
    log_json: bool = False

    # Postgres. Empty means "start a throwaway local server" (make run only).
    database_url: str = ""
    # Connections kept open per process (no overflow: a connection opened per burst and closed after costs more
    # than waiting a moment for one; requests queue for up to DATABASE_POOL_TIMEOUT_SECONDS).
    database_pool_size: int = 20
    # Bounds that turn a stalled or unreachable database into a 503 instead of a hang.
    database_statement_timeout_seconds: float = 5.0
    database_pool_timeout_seconds: float = 3.0
    database_connect_timeout_seconds: float = 3.0
    # Redis: when set, SAQ queues and rate limits use it and the worker runs as
    # its own process (`app worker`); when empty, everything runs in one process.
    redis_url: str = ""
    run_worker_in_process: bool | None = None

    # HTTP edge
    cors_allow_origins: list[str] = msgspec.field(default_factory=lambda: ["http://localhost:3000"])
    request_max_body_bytes: int = 1_048_576

    # Tokens. A missing secret outside production yields an ephemeral one.
    jwt_secret: str = ""
    jwt_issuer: str = "atelier"
    jwt_audience: str = "atelier-api"
    # A verified access token's session is re-read at most this often per process (revocation reaches every
    # process within it; the process that revokes forgets at once). 0 reads it on every request.
    auth_recheck_seconds: float = 0.5
    access_token_ttl_seconds: int = 900
    refresh_token_ttl_seconds: int = 14 * 24 * 3600
    email_token_ttl_seconds: int = 48 * 3600
    password_reset_ttl_seconds: int = 3600

    # Rate limits (requests per minute per client address, per bucket)
    auth_rate_limit_per_minute: int = 10
    # Failed sign-ins per account before it is throttled (doubling lock-out, capped)
    login_failures_before_backoff: int = 5
    login_backoff_base_seconds: float = 2.0
    login_backoff_max_seconds: float = 900.0
    # Peers whose X-Forwarded-For is believed (comma-separated IPs or CIDRs); none by default.
    trusted_proxies: list[str] = msgspec.field(default_factory=list)
    # argon2id cost (OWASP: m=19 MiB, t=2 minimum; ours is stronger by default). Tests set it cheap.
    argon2_time_cost: int = 3
    argon2_memory_kib: int = 65536
    argon2_parallelism: int = 4

    # Mail
    mail_backend: MailBackend = "local"
    mail_from: str = "Atelier <no-reply@atelier.local>"
    mail_outbox_dir: str = ".var/mail"
    smtp_host: str = "127.0.0.1"
    smtp_port: int = 25
    smtp_username: str = ""
    smtp_password: str = ""
    smtp_starttls: bool = False
    smtp_timeout_seconds: float = 10.0
    frontend_url: str = "http://localhost:3000"

    # Google sign-in (OIDC)
    google_client_id: str = ""
    google_client_secret: str = ""
    google_redirect_uri: str = "http://127.0.0.1:8000/api/auth/oauth/google/callback"
    google_discovery_url: str = "https://accounts.google.com/.well-known/openid-configuration"

    # Websocket rooms: frames buffered per client before a slow client is dropped
    ws_send_queue_limit: int = 1024
    ws_ops_per_second: float = 60.0  # per socket, token bucket
    ws_ops_burst: int = 120
    ws_cursors_per_second: float = 30.0
    ws_sockets_per_user_per_room: int = 10
    ws_recheck_seconds: float = 0.5  # how often open sockets re-check session and access

    # Canvas export bounds (CPU cost of a crafted document)
    export_max_pixels: int = 16_777_216  # width x height x scale^2 of the rendered image
    export_timeout_seconds: float = 5.0
    exports_per_minute: int = 10

    # AI generation. Providers: offline (default, no keys) | openai (any OpenAI-compatible
    # server via OPENAI_BASE_URL) | sagemaker (endpoints by name; SAGEMAKER_ENDPOINT_URL for tests)
    ai_text_provider: Literal["offline", "openai", "sagemaker"] = "offline"
    ai_image_provider: Literal["offline", "openai", "sagemaker"] = "offline"
    ai_quota_per_hour: int = 50
    ad_view_seconds: float = 15.0  # how long a guest's ad must run before results
    openai_api_key: str = ""
    openai_base_url: str = ""
    openai_text_model: str = "gpt-4o-mini"
    openai_image_model: str = "gpt-image-1"
    aws_region: str = "us-east-1"
    sagemaker_text_endpoint: str = ""
    sagemaker_image_endpoint: str = ""
    sagemaker_endpoint_url: str = ""
    generation_timeout_seconds: int = 180

    # Payments (Razorpay). Unset key id = billing endpoints answer 503.
    razorpay_key_id: str = ""
    razorpay_key_secret: str = ""
    razorpay_webhook_secret: str = ""
    razorpay_previous_webhook_secret: str = ""  # still accepted while rotating
    razorpay_base_url: str = ""
    # Fernet keys for data encrypted at rest (payout details), comma-separated: first encrypts,
    # all decrypt (rotation). Unset outside production = an ephemeral key.
    data_encryption_keys: list[str] = msgspec.field(default_factory=list)

    # Object storage: local filesystem (signed URLs served by this app) or S3
    storage_backend: Literal["local", "s3"] = "local"
    media_root: str = ".var/media"
    media_max_bytes: int = 20 * 1024 * 1024
    s3_bucket: str = ""
    s3_region: str = "us-east-1"
    s3_endpoint_url: str = ""  # MinIO, moto, LocalStack...
    s3_create_bucket: bool = False

    # Background jobs
    job_timeout_seconds: int = 60
    job_retries: int = 8
    job_retry_delay_seconds: float = 2.0
    job_max_retry_delay_seconds: float = 300.0
    job_heartbeat_seconds: int = 30
    worker_concurrency: int = 10
    # SAQ waits this long for running jobs at shutdown before cancelling them.
    worker_shutdown_grace_seconds: int = 5
    outbox_poll_seconds: float = 0.5

    @property
    def worker_in_process(self) -> bool:
        if self.run_worker_in_process is not None:
            return self.run_worker_in_process
        return not self.redis_url

    @property
    def google_enabled(self) -> bool:
        return bool(self.google_client_id)

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None, **overrides: object) -> Settings:
        """Build settings from `env` (default: os.environ); field NAME <- env NAME.upper()."""
        env = os.environ if env is None else env
        raw: dict[str, object] = {}
        for name in cls.__struct_fields__:
            value = env.get(name.upper())
            if value is None:
                continue
            if name in {"cors_allow_origins", "data_encryption_keys", "trusted_proxies"}:
                raw[name] = [v.strip() for v in value.split(",") if v.strip()]
            elif name in {"run_worker_in_process", "s3_create_bucket"}:
                raw[name] = value.lower() in {"1", "true", "yes"}
            else:
                raw[name] = value
        raw.update(overrides)
        try:
            settings = msgspec.convert(raw, cls, strict=False)
        except msgspec.ValidationError as exc:
            raise SettingsError(f"invalid environment: {exc}") from exc
        return settings.validated()

    def validated(self) -> Settings:
        secret = self.jwt_secret
        if not secret:
            if self.environment == "production":
                raise SettingsError("JWT_SECRET must be set in production")
            # Ephemeral secret: fine for local runs, tokens die with the process.
            secret = secrets.token_urlsafe(48)
        if len(secret) < 32:
            raise SettingsError("JWT_SECRET must be at least 32 characters")
        if not 0 <= self.auth_recheck_seconds <= 1:
            raise SettingsError(
                "AUTH_RECHECK_SECONDS must be between 0 and 1: revocation must reach every process in 1 s"
            )
        if "openai" in (self.ai_text_provider, self.ai_image_provider) and not (
            self.openai_api_key or self.openai_base_url
        ):
            raise SettingsError(
                "OPENAI_API_KEY (or OPENAI_BASE_URL for a local server) is required for the openai provider"
            )
        keys = self.data_encryption_keys
        if not keys:
            if self.environment == "production":
                raise SettingsError("DATA_ENCRYPTION_KEYS must be set in production")
            keys = [base64.urlsafe_b64encode(secrets.token_bytes(32)).decode()]
        if self.razorpay_key_id and not (self.razorpay_key_secret and self.razorpay_webhook_secret):
            raise SettingsError("RAZORPAY_KEY_SECRET and RAZORPAY_WEBHOOK_SECRET are required with RAZORPAY_KEY_ID")
        if self.storage_backend == "s3" and not self.s3_bucket:
            raise SettingsError("S3_BUCKET is required when STORAGE_BACKEND=s3")
        if self.mail_backend == "smtp" and not self.smtp_host:
            raise SettingsError("SMTP_HOST is required when MAIL_BACKEND=smtp")
        return msgspec.structs.replace(self, jwt_secret=secret, data_encryption_keys=keys)
