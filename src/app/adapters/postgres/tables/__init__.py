"""SQLAlchemy table models, one module per bounded context. Only adapters see these; the domain sees
dataclasses. Importing this package registers every table on `Base.metadata` (migrations rely on it)."""

from app.adapters.postgres.tables.accounts import (
    AuthSessionRow,
    OAuthStateRow,
    OneTimeTokenRow,
    RefreshTokenRow,
    UserIdentityRow,
    UserRow,
)
from app.adapters.postgres.tables.analytics import UsageEventRow
from app.adapters.postgres.tables.base import NAMING_CONVENTION, Base
from app.adapters.postgres.tables.billing import (
    AdViewRow,
    LedgerRow,
    OrderRow,
    PayoutAccountRow,
    PlanRow,
    SubscriptionRow,
    WebhookEventRow,
)
from app.adapters.postgres.tables.campaigns import (
    CampaignBudgetAlertRow,
    CampaignCollaboratorRow,
    CampaignInviteRow,
    CampaignRow,
    CampaignSpendRow,
    CanvasDocumentRow,
    CanvasEditRow,
    CanvasNamedVersionRow,
    CommentRow,
)
from app.adapters.postgres.tables.creators import (
    CommissionOfferRow,
    CommissionRow,
    CreatorProfileRow,
    FollowRow,
    PostCommentRow,
    PostLikeRow,
    PostRow,
    PostTierRow,
)
from app.adapters.postgres.tables.gamification import AchievementRow, CreditAccountRow, CreditEntryRow
from app.adapters.postgres.tables.generation import BrandKitRow, CampaignAdAssetsRow, GenerationRow
from app.adapters.postgres.tables.jobs import FailedJobRow, IdempotencyKeyRow, OutboxRow
from app.adapters.postgres.tables.media import MediaRow
from app.adapters.postgres.tables.notifications import NotificationRow
from app.adapters.postgres.tables.prompts import (
    PromptFavouriteRow,
    PromptRatingRow,
    PromptRunRow,
    PromptTemplateRow,
    PromptTemplateVersionRow,
)
from app.adapters.postgres.tables.properties import PropertyRow
from app.adapters.postgres.tables.talent import ApplicationRow, ExperienceRow, JobRow, ProjectParticipantRow, ProjectRow

__all__ = [
    "NAMING_CONVENTION",
    "Base",
    "UserRow",
    "CampaignCollaboratorRow",
    "CampaignInviteRow",
    "CampaignAdAssetsRow",
    "PromptFavouriteRow",
    "PromptRatingRow",
    "BrandKitRow",
    "CampaignSpendRow",
    "CampaignBudgetAlertRow",
    "CanvasNamedVersionRow",
    "AuthSessionRow",
    "RefreshTokenRow",
    "OneTimeTokenRow",
    "UserIdentityRow",
    "OAuthStateRow",
    "OutboxRow",
    "FailedJobRow",
    "IdempotencyKeyRow",
    "CampaignRow",
    "CommentRow",
    "CanvasDocumentRow",
    "CanvasEditRow",
    "GenerationRow",
    "MediaRow",
    "PromptTemplateRow",
    "PromptTemplateVersionRow",
    "PromptRunRow",
    "PlanRow",
    "SubscriptionRow",
    "OrderRow",
    "LedgerRow",
    "WebhookEventRow",
    "PayoutAccountRow",
    "AdViewRow",
    "CreatorProfileRow",
    "PostRow",
    "PostTierRow",
    "PostLikeRow",
    "FollowRow",
    "PostCommentRow",
    "CommissionOfferRow",
    "CommissionRow",
    "NotificationRow",
    "CreditAccountRow",
    "CreditEntryRow",
    "AchievementRow",
    "UsageEventRow",
    "PropertyRow",
    "ExperienceRow",
    "ProjectRow",
    "ProjectParticipantRow",
    "JobRow",
    "ApplicationRow",
]
