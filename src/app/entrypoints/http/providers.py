"""Services injected into handlers by type through Litestar DI: a handler declares
`talent: NamedDependency[TalentService]` and receives the wired service (one provider each, app-level)."""

from __future__ import annotations

from typing import Any

from litestar.datastructures import State
from litestar.di import Provide

from app.domain.billing.errors import BillingNotConfigured

SERVICES = (
    "campaigns",
    "canvas",
    "creators",
    "gamification",
    "generations",
    "media",
    "notifications",
    "prompts",
    "properties",
    "talent",
)


def _provider(name: str) -> Provide:
    def provide(state: State) -> Any:
        return getattr(state.services, name)

    return Provide(provide, sync_to_thread=False)


def _billing(state: State) -> Any:
    billing = state.services.billing
    if billing is None:
        raise BillingNotConfigured()
    return billing


def service_dependencies() -> dict[str, Provide]:
    """Each service under its own name, and as `<name>_service` where a handler has a local of that name
    (Litestar wants one Provide per key)."""
    providers: dict[str, Provide] = {"billing": Provide(_billing, sync_to_thread=False)}
    for name in SERVICES:
        providers[name] = _provider(name)
        providers[f"{name}_service"] = _provider(name)
    return providers
