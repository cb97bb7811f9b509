"""Pay without an account: a guest account is created (or linked by email), then the payment starts."""

from __future__ import annotations

import uuid
from typing import Any

from app.core.errors import FieldError, ValidationFailed
from app.domain.accounts.entities import TokenPair, User
from app.domain.accounts.services import ClientInfo
from app.domain.accounts.users import AccountService
from app.domain.billing.services import BillingService, Checkout
from app.domain.kernel import Principal


class GuestCheckout:
    """Pay without an account: creates (or links) a guest account, then starts the payment."""

    def __init__(self, *, accounts: AccountService, billing: BillingService) -> None:
        self._accounts = accounts
        self._billing = billing

    async def start(
        self,
        *,
        email: str | None,
        phone: str | None,
        client: ClientInfo,
        plan_id: uuid.UUID | None,
        recurring: bool,
        order: dict[str, Any] | None = None,
    ) -> tuple[User, TokenPair | None, Checkout]:
        user, tokens = await self._accounts.guest_for_checkout(email=email, phone=phone, client=client)
        payer = Principal(
            user_id=user.id,
            session_id=uuid.UUID(int=0),
            role=user.role,
            is_guest=True,
            email_verified=user.email_verified,
            username=user.username,
        )
        if recurring:
            if plan_id is None:
                raise ValidationFailed("A plan is required.", errors=[FieldError("plan_id", "is required")])
            checkout = await self._billing.subscribe(payer, plan_id)
        else:
            checkout = await self._billing.create_order(payer, plan_id=plan_id, **(order or {}))
        return user, tokens, checkout
