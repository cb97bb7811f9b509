"""Freemium rules (AdVenture): guests watch an ad before results; free users export
watermarked and low-res; platform subscribers export full resolution and skip ads."""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta

from app.core.clock import Clock
from app.core.ids import new_id
from app.domain.billing.entities import AdView, ExportPolicy, ResultsLock
from app.domain.billing.errors import AdNotFinished, AdViewNotFound, AdViewRequired
from app.domain.billing.ports import BillingUnitOfWorkFactory
from app.domain.kernel import Principal

FREE_EXPORT = ExportPolicy(scale=0.5, watermark="Made with AdVenture · upgrade for full resolution")
PREMIUM_EXPORT = ExportPolicy(scale=1.0, watermark=None)
AD_VIEW_VALID_FOR = timedelta(hours=1)


class PlanEntitlements:
    def __init__(self, *, uow: BillingUnitOfWorkFactory, clock: Clock, ad_seconds: float) -> None:
        self._uow = uow
        self._clock = clock
        self._ad_seconds = ad_seconds

    async def _premium(self, principal: Principal) -> bool:
        async with self._uow() as uow:
            return await uow.parties.has_active_platform_subscription(principal.user_id)

    async def export_policy(self, principal: Principal) -> ExportPolicy:
        return PREMIUM_EXPORT if await self._premium(principal) else FREE_EXPORT

    async def results_lock(self, principal: Principal) -> ResultsLock:
        if not principal.is_guest:
            return ResultsLock(applies=False)
        async with self._uow() as uow:
            latest = await uow.ad_views.latest_completed(principal.user_id)
        return ResultsLock(applies=True, latest_view=latest, valid_after=self._clock.now() - AD_VIEW_VALID_FOR)

    async def require_ad_view(self, principal: Principal, *, since: datetime) -> None:
        if not principal.is_guest:
            return
        since = max(since, self._clock.now() - AD_VIEW_VALID_FOR)
        async with self._uow() as uow:
            if await uow.ad_views.completed_since(principal.user_id, since):
                return
        raise AdViewRequired()

    async def start_ad_view(self, principal: Principal) -> tuple[AdView, float]:
        view = AdView(id=new_id(), user_id=principal.user_id, started_at=self._clock.now())
        async with self._uow() as uow:
            await uow.ad_views.add(view)
            await uow.commit()
        return view, self._ad_seconds

    async def complete_ad_view(self, principal: Principal, view_id: uuid.UUID) -> AdView:
        async with self._uow() as uow:
            view = await uow.ad_views.get(view_id, for_update=True)
            if view is None or view.user_id != principal.user_id:
                raise AdViewNotFound("Ad view not found.")
            if view.completed_at is None:
                watched = (self._clock.now() - view.started_at).total_seconds()
                if watched < self._ad_seconds:
                    raise AdNotFinished(
                        f"The ad runs {self._ad_seconds:g} s; {self._ad_seconds - watched:.0f} s to go."
                    )
                view.completed_at = self._clock.now()
                await uow.ad_views.save(view)
                await uow.commit()
            return view
