"""The composition root: settings -> adapters -> services (`build_services`). The one place that picks adapters."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from sqlalchemy import text

from app.adapters.ai.offline_provider import OfflineProvider
from app.adapters.ai.openai_provider import OpenAIProvider
from app.adapters.ai.sagemaker_provider import SageMakerProvider
from app.adapters.google.oidc import OidcIdentityProvider
from app.adapters.local_storage.files import LocalObjectStorage
from app.adapters.mail.local import FileMailer
from app.adapters.mail.smtp import SmtpMailer
from app.adapters.postgres.accounts import PgAccountsUnitOfWork
from app.adapters.postgres.analytics import PgAnalyticsQueries, PgUsageRecorder
from app.adapters.postgres.billing import PgBillingQueries, PgBillingUnitOfWork
from app.adapters.postgres.campaigns import PgCampaignQueries, PgCampaignsUnitOfWork
from app.adapters.postgres.creator_queries import PgCreatorQueries
from app.adapters.postgres.creators import PgCreatorsUnitOfWork
from app.adapters.postgres.database import create_engine, create_session_factory
from app.adapters.postgres.gamification import PgGamificationUnitOfWork
from app.adapters.postgres.generations import PgGenerationUnitOfWork
from app.adapters.postgres.idempotency import PgIdempotencyStore
from app.adapters.postgres.media import PgMediaUnitOfWork
from app.adapters.postgres.notifications import PgNotificationQueries, PgNotificationsUnitOfWork
from app.adapters.postgres.prompts import PgPromptQueries, PgPromptsUnitOfWork
from app.adapters.postgres.properties import PgPropertiesUnitOfWork, PgPropertyQueries
from app.adapters.postgres.talent import PgTalentQueries, PgTalentUnitOfWork
from app.adapters.queue.saq_queue import FailedJobLog, JobPolicy, OutboxRelay, create_queue
from app.adapters.razorpay.gateway import RazorpayGateway
from app.adapters.realtime.brokers import MemoryBroker, RedisBroker
from app.adapters.rendering.canvas_png import PillowCanvasRenderer
from app.adapters.rendering.images import PillowImageProcessor
from app.adapters.s3.storage import S3ObjectStorage
from app.adapters.security.encryption import FernetCipher
from app.adapters.security.jwt_tokens import JwtTokenCodec
from app.adapters.security.passwords import Argon2PasswordHasher
from app.core.clock import Clock, SystemClock
from app.core.settings import Settings, SettingsError
from app.domain.accounts.ports import PasswordHasher
from app.domain.accounts.services import AuthService, TokenPolicy
from app.domain.accounts.sign_in import ExternalSignIn
from app.domain.accounts.users import AccountService
from app.domain.analytics.services import AnalyticsService
from app.domain.billing.entitlements import PlanEntitlements
from app.domain.billing.gateway_events import GatewayEvents
from app.domain.billing.guest_checkout import GuestCheckout
from app.domain.billing.ports import PaymentGateway
from app.domain.billing.services import BillingService
from app.domain.campaigns.budgets import BudgetService
from app.domain.campaigns.collaborators import CollaboratorService
from app.domain.campaigns.services import CampaignService
from app.domain.canvas.services import CanvasService
from app.domain.creators.services import CreatorService
from app.domain.gamification.services import GamificationService
from app.domain.generation.ad_assets import AdAssetService
from app.domain.generation.brand import BrandService
from app.domain.generation.ports import ImageGenerator, TextGenerator
from app.domain.generation.services import GenerationPolicy, GenerationService
from app.domain.media.ports import ObjectStorage
from app.domain.media.services import MediaPolicy, MediaService
from app.domain.notifications.ports import Mailer
from app.domain.notifications.services import NotificationService
from app.domain.outbox import RunGeneration, RunPrompt
from app.domain.prompts.community import CommunityService
from app.domain.prompts.services import PromptService
from app.domain.properties.services import PropertyMarketing, PropertyService
from app.domain.talent.services import TalentService
from app.entrypoints.container import Services


def build_mailer(settings: Settings) -> Mailer:
    if settings.mail_backend == "smtp":
        return SmtpMailer(
            host=settings.smtp_host,
            port=settings.smtp_port,
            sender=settings.mail_from,
            username=settings.smtp_username,
            password=settings.smtp_password,
            starttls=settings.smtp_starttls,
            timeout=settings.smtp_timeout_seconds,
        )
    return FileMailer(settings.mail_outbox_dir, sender=settings.mail_from)


def build_storage(settings: Settings) -> ObjectStorage:
    if settings.storage_backend == "s3":
        return S3ObjectStorage(
            bucket=settings.s3_bucket, region=settings.s3_region, endpoint_url=settings.s3_endpoint_url
        )
    return LocalObjectStorage(
        settings.media_root, signing_key=settings.jwt_secret, public_base_url=settings.public_base_url
    )


def build_ai_provider(settings: Settings, name: str) -> Any:
    """One object serves both ports (TextGenerator, ImageGenerator) per provider."""
    if name == "openai":
        return OpenAIProvider(
            api_key=settings.openai_api_key,
            base_url=settings.openai_base_url,
            text_model=settings.openai_text_model,
            image_model=settings.openai_image_model,
        )
    if name == "sagemaker":
        return SageMakerProvider(
            region=settings.aws_region,
            text_endpoint=settings.sagemaker_text_endpoint,
            image_endpoint=settings.sagemaker_image_endpoint,
            endpoint_url=settings.sagemaker_endpoint_url,
        )
    return OfflineProvider()


@dataclass(frozen=True, slots=True)
class Overrides:
    """Adapters to use instead of the ones the settings pick (tests hand in fakes; nothing else changes)."""

    clock: Clock | None = None
    hasher: PasswordHasher | None = None
    mailer: Mailer | None = None
    storage: ObjectStorage | None = None
    text: TextGenerator | None = None
    images: ImageGenerator | None = None
    gateway: PaymentGateway | None = None


def build_services(settings: Settings, overrides: Overrides | None = None) -> Services:
    given = overrides or Overrides()
    if not settings.database_url:
        raise SettingsError("DATABASE_URL is not set (use `app run` to start a throwaway local Postgres)")
    engine = create_engine(
        settings.database_url,
        pool_size=settings.database_pool_size,
        statement_timeout=settings.database_statement_timeout_seconds,
        pool_timeout=settings.database_pool_timeout_seconds,
        connect_timeout=settings.database_connect_timeout_seconds,
    )
    session_factory = create_session_factory(engine)
    clock = given.clock or SystemClock()
    hasher = given.hasher or Argon2PasswordHasher(
        time_cost=settings.argon2_time_cost,
        memory_cost=settings.argon2_memory_kib,
        parallelism=settings.argon2_parallelism,
    )
    mailer = given.mailer or build_mailer(settings)

    def uow() -> PgAccountsUnitOfWork:
        return PgAccountsUnitOfWork(session_factory)

    auth = AuthService(
        uow=uow,
        hasher=hasher,
        tokens=JwtTokenCodec(secret=settings.jwt_secret, issuer=settings.jwt_issuer, audience=settings.jwt_audience),
        mailer=mailer,
        clock=clock,
        policy=TokenPolicy(
            access_ttl=timedelta(seconds=settings.access_token_ttl_seconds),
            refresh_ttl=timedelta(seconds=settings.refresh_token_ttl_seconds),
            email_token_ttl=timedelta(seconds=settings.email_token_ttl_seconds),
            password_reset_ttl=timedelta(seconds=settings.password_reset_ttl_seconds),
            frontend_url=settings.frontend_url,
            app_name=settings.app_name,
            recheck_after=timedelta(seconds=settings.auth_recheck_seconds),
        ),
    )
    accounts_service = AccountService(uow=uow, hasher=hasher, auth=auth, clock=clock)
    google = None
    if settings.google_enabled:
        google = ExternalSignIn(
            uow=uow,
            provider=OidcIdentityProvider(
                name="google",
                discovery_url=settings.google_discovery_url,
                client_id=settings.google_client_id,
                client_secret=settings.google_client_secret,
                redirect_uri=settings.google_redirect_uri,
            ),
            auth=auth,
            clock=clock,
        )

    def campaigns_uow() -> PgCampaignsUnitOfWork:
        return PgCampaignsUnitOfWork(session_factory)

    cipher = FernetCipher(settings.data_encryption_keys)

    def billing_uow() -> PgBillingUnitOfWork:
        return PgBillingUnitOfWork(session_factory, cipher)

    entitlements = PlanEntitlements(uow=billing_uow, clock=clock, ad_seconds=settings.ad_view_seconds)
    broker = RedisBroker(settings.redis_url) if settings.redis_url else MemoryBroker()
    storage = given.storage or build_storage(settings)
    campaign_service = CampaignService(uow=campaigns_uow, queries=PgCampaignQueries(session_factory), clock=clock)
    canvas_service = CanvasService(
        uow=campaigns_uow,
        events=broker,
        clock=clock,
        renderer=PillowCanvasRenderer(
            max_pixels=settings.export_max_pixels, time_limit=settings.export_timeout_seconds
        ),
        storage=storage,
        entitlements=entitlements,
        usage=PgUsageRecorder(session_factory),
    )
    text_generator = given.text or build_ai_provider(settings, settings.ai_text_provider)
    generation_service = GenerationService(
        uow=lambda: PgGenerationUnitOfWork(session_factory),
        text=text_generator,
        images=given.images or build_ai_provider(settings, settings.ai_image_provider),
        canvas=canvas_service,
        storage=storage,
        events=broker,
        clock=clock,
        policy=GenerationPolicy(quota_per_hour=settings.ai_quota_per_hour),
        entitlements=entitlements,
    )
    media_service = MediaService(
        uow=lambda: PgMediaUnitOfWork(session_factory),
        storage=storage,
        images=PillowImageProcessor(),
        clock=clock,
        policy=MediaPolicy(max_bytes=settings.media_max_bytes),
    )
    prompt_service = PromptService(
        uow=lambda: PgPromptsUnitOfWork(session_factory),
        queries=PgPromptQueries(session_factory),
        text=text_generator,
        clock=clock,
        quota_per_hour=settings.ai_quota_per_hour,
    )
    property_service = PropertyService(
        uow=lambda: PgPropertiesUnitOfWork(session_factory), queries=PgPropertyQueries(session_factory), clock=clock
    )
    analytics_service = AnalyticsService(queries=PgAnalyticsQueries(session_factory), prompts=prompt_service)
    billing_service = gateway_events = None
    if settings.razorpay_key_id or given.gateway:
        gateway = given.gateway or RazorpayGateway(
            key_id=settings.razorpay_key_id,
            key_secret=settings.razorpay_key_secret,
            webhook_secret=settings.razorpay_webhook_secret,
            previous_webhook_secret=settings.razorpay_previous_webhook_secret,
            base_url=settings.razorpay_base_url,
        )
        billing_queries = PgBillingQueries(session_factory)
        billing_service = BillingService(uow=billing_uow, queries=billing_queries, gateway=gateway, clock=clock)
        gateway_events = GatewayEvents(uow=billing_uow, queries=billing_queries, gateway=gateway, clock=clock)
    queue = create_queue(redis_url=settings.redis_url, database_url=settings.database_url)
    policy = JobPolicy(
        timeout=settings.job_timeout_seconds,
        retries=settings.job_retries,
        retry_delay=settings.job_retry_delay_seconds,
        heartbeat=settings.job_heartbeat_seconds,
        retry_backoff=settings.job_max_retry_delay_seconds,
    )

    async def database_ready() -> None:
        async with engine.connect() as conn:
            await conn.execute(text("SELECT 1"))

    return Services(
        settings=settings,
        engine=engine,
        session_factory=session_factory,
        mailer=mailer,
        auth=auth,
        accounts=accounts_service,
        google_sign_in=google,
        campaigns=campaign_service,
        budgets=BudgetService(uow=campaigns_uow, clock=clock),
        ad_assets=AdAssetService(uow=lambda: PgGenerationUnitOfWork(session_factory), clock=clock),
        brand=BrandService(uow=lambda: PgGenerationUnitOfWork(session_factory), clock=clock),
        community=CommunityService(uow=lambda: PgPromptsUnitOfWork(session_factory)),
        collaborators=CollaboratorService(
            uow=campaigns_uow,
            clock=clock,
            mailer=mailer,
            frontend_url=settings.frontend_url,
            app_name=settings.app_name,
        ),
        canvas=canvas_service,
        generations=generation_service,
        storage=storage,
        media=media_service,
        prompts=prompt_service,
        creators=CreatorService(
            uow=lambda: PgCreatorsUnitOfWork(session_factory), queries=PgCreatorQueries(session_factory), clock=clock
        ),
        analytics=analytics_service,
        properties=property_service,
        talent=TalentService(
            uow=lambda: PgTalentUnitOfWork(session_factory), queries=PgTalentQueries(session_factory), clock=clock
        ),
        property_marketing=PropertyMarketing(
            properties=property_service, campaigns=campaign_service, generations=generation_service
        ),
        gamification=GamificationService(uow=lambda: PgGamificationUnitOfWork(session_factory)),
        notifications=NotificationService(
            uow=lambda: PgNotificationsUnitOfWork(session_factory),
            queries=PgNotificationQueries(session_factory),
            mailer=mailer,
            clock=clock,
        ),
        billing=billing_service,
        entitlements=entitlements,
        gateway_events=gateway_events,
        guest_checkout=GuestCheckout(accounts=accounts_service, billing=billing_service) if billing_service else None,
        broker=broker,
        queue=queue,
        job_policy=policy,
        relay=OutboxRelay(
            session_factory=session_factory,
            queue=queue,
            policy=policy,
            poll_seconds=settings.outbox_poll_seconds,
            timeouts={
                RunGeneration.task: settings.generation_timeout_seconds,
                RunPrompt.task: settings.generation_timeout_seconds,
            },
        ),
        failed_jobs=FailedJobLog(session_factory),
        idempotency=PgIdempotencyStore(session_factory, cipher),
        readiness_checks={"database": database_ready, **({"redis": broker.ping} if settings.redis_url else {})},
    )
