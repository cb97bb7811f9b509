"""Budgets that track spend (CRE Studio): spend entries against a campaign's budget, a summary (planned total
for the flight, monthly equivalent, spent to date, remaining), and one notification per threshold (80 %,
100 %) to the owner and the managers when spend passes it."""

from __future__ import annotations

import uuid
from datetime import date

from app.core.clock import Clock
from app.core.errors import FieldError, ValidationFailed
from app.core.ids import new_id
from app.domain.campaigns.entities import BUDGET_ALERT_THRESHOLDS, BudgetSummary, Campaign, SpendEntry
from app.domain.campaigns.errors import BudgetNotSet, SpendNotFound
from app.domain.campaigns.ports import CampaignsUnitOfWork, CampaignsUnitOfWorkFactory
from app.domain.campaigns.services import campaign_for
from app.domain.kernel import Page, Principal, Role
from app.domain.notifications.entities import NotificationKind
from app.domain.notifications.services import notify

MAX_SPEND_MINOR = 10**13


class BudgetService:
    def __init__(self, *, uow: CampaignsUnitOfWorkFactory, clock: Clock) -> None:
        self._uow = uow
        self._clock = clock

    async def _campaign(
        self, uow: CampaignsUnitOfWork, principal: Principal, campaign_id: uuid.UUID, *, edit: bool = False
    ) -> Campaign:
        # Locked when spending: two entries at once cannot both miss (or both announce) a threshold.
        return await campaign_for(uow.campaigns, principal, campaign_id, edit=edit, lock=edit)

    async def summary(self, principal: Principal, campaign_id: uuid.UUID) -> BudgetSummary:
        async with self._uow() as uow:
            campaign = await self._campaign(uow, principal, campaign_id)
            if campaign.budget is None:
                raise BudgetNotSet()
            spent, entries = await uow.spend.totals(campaign_id)
        return BudgetSummary(budget=campaign.budget, spent_minor=spent, entries=entries)

    async def entries(
        self, principal: Principal, campaign_id: uuid.UUID, *, page: int, page_size: int
    ) -> Page[SpendEntry]:
        async with self._uow() as uow:
            await self._campaign(uow, principal, campaign_id)
            return await uow.spend.list(campaign_id, page=page, page_size=page_size)

    async def record(
        self, principal: Principal, campaign_id: uuid.UUID, *, amount_minor: int, spent_on: date | None, note: str
    ) -> SpendEntry:
        if not 0 < amount_minor <= MAX_SPEND_MINOR:
            raise ValidationFailed(
                "The amount is not valid.", errors=[FieldError("amount_minor", f"must be 1 to {MAX_SPEND_MINOR}")]
            )
        now = self._clock.now()
        async with self._uow() as uow:
            campaign = await self._campaign(uow, principal, campaign_id, edit=True)
            if campaign.budget is None:
                raise BudgetNotSet()
            entry = SpendEntry(
                id=new_id(),
                campaign_id=campaign_id,
                amount_minor=amount_minor,
                spent_on=spent_on or now.date(),
                note=note.strip(),
                created_by=principal.user_id,
                created_at=now,
            )
            await uow.spend.add(entry)
            spent, entries = await uow.spend.totals(campaign_id)
            summary = BudgetSummary(budget=campaign.budget, spent_minor=spent, entries=entries)
            await self._announce(uow, campaign, summary)
            await uow.commit()
        return entry

    async def _announce(self, uow: CampaignsUnitOfWork, campaign: Campaign, summary: BudgetSummary) -> None:
        announced = await uow.spend.announced(campaign.id)
        passed = [t for t in BUDGET_ALERT_THRESHOLDS if summary.percent_spent >= t and t not in announced]
        if not passed:
            return
        managers = await uow.user_emails.with_role(Role.MANAGER)
        recipients = list(dict.fromkeys([campaign.owner_id, *managers]))
        for threshold in passed:
            await uow.spend.mark_announced(campaign.id, threshold)
        notify(
            uow.outbox,
            NotificationKind.BUDGET_ALERT,
            at=self._clock.now(),
            actor_id=None,  # the budget speaks, so the person who recorded the spend hears it too
            target_id=campaign.id,
            recipients=recipients,
            data={
                "campaign": campaign.name,
                "threshold": f"{max(passed)}%",
                "spent": f"{summary.spent_minor} of {summary.budget.planned_total_minor} {summary.budget.currency}",
            },
        )

    async def remove(self, principal: Principal, campaign_id: uuid.UUID, entry_id: uuid.UUID) -> None:
        async with self._uow() as uow:
            await self._campaign(uow, principal, campaign_id, edit=True)
            entry = await uow.spend.get(entry_id)
            if entry is None or entry.campaign_id != campaign_id or not await uow.spend.delete(entry_id):
                raise SpendNotFound()
            await uow.commit()
