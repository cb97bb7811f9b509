"""The wired object graph the composition root builds; entrypoints read it from app state."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

from saq import Queue
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from app.adapters.postgres.idempotency import PgIdempotencyStore
from app.adapters.queue.saq_queue import FailedJobLog, JobPolicy, OutboxRelay
from app.core.settings import Settings
from app.domain.accounts.services import AuthService
from app.domain.accounts.sign_in import ExternalSignIn
from app.domain.accounts.users import AccountService
from app.domain.analytics.services import AnalyticsService
from app.domain.billing.entitlements import PlanEntitlements
from app.domain.billing.gateway_events import GatewayEvents
from app.domain.billing.guest_checkout import GuestCheckout
from app.domain.billing.services import BillingService
from app.domain.campaigns.budgets import BudgetService
from app.domain.campaigns.collaborators import CollaboratorService
from app.domain.campaigns.services import CampaignService
from app.domain.canvas.services import CanvasService
from app.domain.creators.services import CreatorService
from app.domain.gamification.services import GamificationService
from app.domain.generation.ad_assets import AdAssetService
from app.domain.generation.brand import BrandService
from app.domain.generation.services import GenerationService
from app.domain.media.ports import ObjectStorage
from app.domain.media.services import MediaService
from app.domain.notifications.ports import Mailer
from app.domain.notifications.services import NotificationService
from app.domain.prompts.community import CommunityService
from app.domain.prompts.services import PromptService
from app.domain.properties.services import PropertyMarketing, PropertyService
from app.domain.talent.services import TalentService


@dataclass
class Services:
    settings: Settings
    engine: AsyncEngine
    session_factory: async_sessionmaker[AsyncSession]
    mailer: Mailer
    auth: AuthService
    accounts: AccountService
    google_sign_in: ExternalSignIn | None
    campaigns: CampaignService
    collaborators: CollaboratorService
    budgets: BudgetService
    ad_assets: AdAssetService
    brand: BrandService
    community: CommunityService
    canvas: CanvasService
    generations: GenerationService
    storage: ObjectStorage
    media: MediaService
    prompts: PromptService
    creators: CreatorService
    notifications: NotificationService
    gamification: GamificationService
    analytics: AnalyticsService
    properties: PropertyService
    property_marketing: PropertyMarketing
    talent: TalentService
    billing: BillingService | None  # None when no payment gateway is configured
    entitlements: PlanEntitlements
    gateway_events: GatewayEvents | None  # webhooks and reconciliation; None without a gateway
    guest_checkout: GuestCheckout | None
    broker: Any  # MemoryBroker | RedisBroker: channel fan-out for websocket rooms
    queue: Queue
    job_policy: JobPolicy
    relay: OutboxRelay
    failed_jobs: FailedJobLog
    idempotency: PgIdempotencyStore
    readiness_checks: dict[str, Callable[[], Awaitable[None]]] = field(default_factory=dict)
