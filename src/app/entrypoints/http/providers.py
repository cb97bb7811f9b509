"""Services injected into handlers by type through Litestar DI: a handler declares
`talent: NamedDependency[TalentService]` and receives the wired service (one provider each, app-level).
Optional services (payments, guest checkout, Google sign-in) raise their "not configured" problem here,
so handlers never test for None."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from litestar.datastructures import State
from litestar.di import Provide

from app.core.errors import AppError
from app.domain.accounts.errors import OAuthNotConfigured
from app.domain.billing.errors import BillingNotConfigured

SERVICES = (
    "accounts",
    "ad_assets",
    "analytics",
    "auth",
    "brand",
    "budgets",
    "campaigns",
    "canvas",
    "collaborators",
    "community",
    "creators",
    "entitlements",
    "gamification",
    "generations",
    "media",
    "notifications",
    "prompts",
    "properties",
    "property_marketing",
    "storage",
    "talent",
)
# Configured only when their vendor is: the problem a request gets when it is not.
OPTIONAL_SERVICES: dict[str, Callable[[], AppError]] = {
    "billing": BillingNotConfigured,
    "gateway_events": BillingNotConfigured,
    "guest_checkout": BillingNotConfigured,
    "google_sign_in": lambda: OAuthNotConfigured("Google sign-in is not configured on this server."),
}


def _provider(name: str) -> Provide:
    def provide(state: State) -> Any:
        return getattr(state.services, name)

    return Provide(provide, sync_to_thread=False)


def _optional_provider(name: str, not_configured: Callable[[], AppError]) -> Provide:
    def provide(state: State) -> Any:
        service = getattr(state.services, name)
        if service is None:
            raise not_configured()
        return service

    return Provide(provide, sync_to_thread=False)


def service_dependencies() -> dict[str, Provide]:
    """Each service under its own name, and as `<name>_service` where a handler has a local of that name
    (Litestar wants one Provide per key)."""
    providers: dict[str, Provide] = {}
    for name in SERVICES:
        providers[name] = _provider(name)
        providers[f"{name}_service"] = _provider(name)
    for name, not_configured in OPTIONAL_SERVICES.items():
        providers[name] = _optional_provider(name, not_configured)
        providers[f"{name}_service"] = _optional_provider(name, not_configured)
    return providers
