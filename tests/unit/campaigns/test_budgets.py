"""Budgets that track spend, against in-memory ports: the derived figures, who may record spend, and the 80 %
and 100 % notifications sent once each."""

from __future__ import annotations

from datetime import date

import pytest

from app.core.errors import ValidationFailed
from app.domain.campaigns.budgets import BudgetService
from app.domain.campaigns.entities import Budget, BudgetPeriod, BudgetSummary
from app.domain.campaigns.errors import BudgetNotSet, CampaignNotFound, CampaignReadOnly, SpendNotFound
from app.domain.campaigns.services import CampaignService, NewCampaign, validate_budget
from app.domain.kernel import Role
from app.domain.notifications.entities import NotificationKind
from app.domain.outbox import DeliverNotification
from tests.unit.campaigns.fakes import Account, MemoryCampaignQueries, MemoryCampaignsUnitOfWork, campaigns_database
from tests.unit.fakes import StepClock, member


def test_monthly_equivalent_and_flight_totals() -> None:
    weekly = Budget(amount_minor=7_000, currency="USD", period=BudgetPeriod.WEEKLY)
    assert weekly.monthly_equivalent_minor == 30_438  # 1,000 a day over an average month (30.4375 days)
    assert weekly.planned_total_minor == 7_000  # no dates: one period
    flight = Budget(
        amount_minor=7_000,
        currency="USD",
        period=BudgetPeriod.WEEKLY,
        starts_on=date(2026, 12, 1),
        ends_on=date(2026, 12, 14),
    )
    assert flight.planned_total_minor == 14_000  # two weeks, both days included
    assert Budget(amount_minor=1_200, currency="EUR", period=BudgetPeriod.ANNUAL).monthly_equivalent_minor == 100
    summary = BudgetSummary(budget=flight, spent_minor=15_000, entries=3)
    assert (summary.remaining_minor, summary.percent_spent) == (-1_000, 107.1)
    with pytest.raises(ValidationFailed):
        validate_budget(100, "USD", BudgetPeriod.DAILY, date(2026, 12, 2), date(2026, 12, 1))
    with pytest.raises(ValidationFailed):
        validate_budget(100, "USD", BudgetPeriod.DAILY, date(2026, 12, 2), None)


async def test_spend_is_recorded_by_editors_and_thresholds_are_announced_once() -> None:
    db, clock = campaigns_database(), StepClock()
    campaigns = CampaignService(
        uow=lambda: MemoryCampaignsUnitOfWork(db), queries=MemoryCampaignQueries(db), clock=clock
    )
    budgets = BudgetService(uow=lambda: MemoryCampaignsUnitOfWork(db), clock=clock)
    owner, boss, viewer, stranger = member(), member(Role.MANAGER), member(Role.VIEWER), member()
    for who, name in ((owner, "owner"), (boss, "boss"), (viewer, "viewer"), (stranger, "stranger")):
        db.tables["users"][who.user_id] = Account(username=name, email=f"{name}@example.com", role=who.role)
    bare = await campaigns.create(owner, NewCampaign(name="No budget"))
    with pytest.raises(BudgetNotSet):
        await budgets.record(owner, bare.id, amount_minor=100, spent_on=None, note="")
    budget = Budget(amount_minor=10_000, currency="USD", period=BudgetPeriod.MONTHLY)
    campaign = await campaigns.create(owner, NewCampaign(name="Budgeted", budget=budget))
    with pytest.raises(CampaignReadOnly):
        await budgets.record(viewer, campaign.id, amount_minor=100, spent_on=None, note="")
    with pytest.raises(CampaignNotFound):
        await budgets.record(stranger, campaign.id, amount_minor=100, spent_on=None, note="")
    with pytest.raises(ValidationFailed):
        await budgets.record(owner, campaign.id, amount_minor=0, spent_on=None, note="")

    def alerts() -> list[DeliverNotification]:
        return [m for m in db.outbox if isinstance(m, DeliverNotification) and m.kind == NotificationKind.BUDGET_ALERT]

    first = await budgets.record(owner, campaign.id, amount_minor=7_900, spent_on=date(2026, 11, 30), note=" ads ")
    assert first.note == "ads" and alerts() == []
    await budgets.record(boss, campaign.id, amount_minor=200, spent_on=None, note="")  # 81 %
    assert [a.data["threshold"] for a in alerts()] == ["80%"]
    assert set(alerts()[0].recipients) == {owner.user_id, boss.user_id}
    await budgets.record(owner, campaign.id, amount_minor=100, spent_on=None, note="")  # 82 %: nothing new
    assert len(alerts()) == 1
    await budgets.remove(owner, campaign.id, first.id)
    await budgets.record(owner, campaign.id, amount_minor=9_800, spent_on=None, note="")  # 101 %
    assert [a.data["threshold"] for a in alerts()] == ["80%", "100%"]
    summary = await budgets.summary(viewer, campaign.id)
    assert (summary.spent_minor, summary.entries, summary.remaining_minor) == (10_100, 3, -100)
    assert [e.amount_minor for e in (await budgets.entries(viewer, campaign.id, page=1, page_size=10)).items][0] > 0
    with pytest.raises(SpendNotFound):
        await budgets.remove(owner, bare.id, first.id)
