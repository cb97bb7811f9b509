"""Accounts use cases against in-memory ports (no I/O)."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest

from app.adapters.security.jwt_tokens import JwtTokenCodec
from app.core.errors import ValidationFailed
from app.domain.accounts.errors import (
    EmailTaken,
    InvalidCredentials,
    InvalidOneTimeToken,
    InvalidToken,
    TokenReuseDetected,
    WeakPassword,
)
from app.domain.accounts.services import (
    AuthService,
    ClientInfo,
    Registration,
    TokenPolicy,
)
from app.domain.accounts.users import AccountService
from app.domain.outbox import SendPasswordResetEmail, SendVerificationEmail
from tests.unit.accounts.fakes import MemoryStore, MemoryUnitOfWork, PlainHasher
from tests.unit.fakes import RecordingMailer, StepClock

PASSWORD = "Sturdy-Passw0rd!"


class World:
    def __init__(self) -> None:
        self.store = MemoryStore()
        self.clock = StepClock(datetime(2026, 1, 1, tzinfo=UTC))
        self.mailer = RecordingMailer()
        # The real codec: JWT times come from the frozen clock, so keep it near "now".
        self.auth = AuthService(
            uow=lambda: MemoryUnitOfWork(self.store),
            hasher=PlainHasher(),
            tokens=JwtTokenCodec(secret="s" * 40, issuer="test", audience="test-api", leeway_seconds=10**9),
            mailer=self.mailer,
            clock=self.clock,
            policy=TokenPolicy(
                access_ttl=timedelta(minutes=15),
                refresh_ttl=timedelta(days=14),
                email_token_ttl=timedelta(hours=48),
                password_reset_ttl=timedelta(hours=1),
                frontend_url="https://app.example",
            ),
        )
        self.accounts = AccountService(
            uow=lambda: MemoryUnitOfWork(self.store), hasher=PlainHasher(), auth=self.auth, clock=self.clock
        )

    async def register(self, username: str = "ada", email: str = "ada@example.com"):
        return await self.accounts.register(Registration(username, email, PASSWORD, PASSWORD))


@pytest.fixture
def world() -> World:
    return World()


async def test_registration_queues_a_verification_email_in_the_same_transaction(world):
    user = await world.register()
    assert world.store.outbox == [SendVerificationEmail(user.id)]


async def test_failed_registration_leaves_nothing_behind(world):
    await world.register()
    with pytest.raises(EmailTaken):
        await world.register("other", "ADA@example.com")
    assert len(world.store.users) == 1
    assert len(world.store.outbox) == 1


async def test_weak_password_is_refused_before_storage(world):
    with pytest.raises(WeakPassword):
        await world.accounts.register(Registration("bob", "bob@example.com", "bobbobbob", "bobbobbob"))
    assert world.store.users == {}


async def test_refresh_reuse_revokes_the_family(world):
    await world.register()
    pair = await world.auth.login("ada", PASSWORD, ClientInfo())
    rotated = await world.auth.refresh(pair.refresh_token)
    with pytest.raises(TokenReuseDetected):
        await world.auth.refresh(pair.refresh_token)
    with pytest.raises(InvalidToken):
        await world.auth.refresh(rotated.refresh_token)
    (session,) = world.store.sessions.values()
    assert session.revoked_reason == "refresh-token-reuse"


async def test_wrong_password_and_unknown_user_raise_the_same_error(world):
    await world.register()
    with pytest.raises(InvalidCredentials) as wrong:
        await world.auth.login("ada", "nope", ClientInfo())
    with pytest.raises(InvalidCredentials) as unknown:
        await world.auth.login("nobody", "nope", ClientInfo())
    assert wrong.value.detail == unknown.value.detail


async def test_verification_token_is_single_use_and_expires(world):
    user = await world.register()
    assert await world.auth.send_verification_email(user.id)
    token = re.search(r"token=(\S+)", world.mailer.sent[-1].text).group(1)
    await world.auth.confirm_email(token)
    with pytest.raises(InvalidOneTimeToken):
        await world.auth.confirm_email(token)

    other = await world.register("bob", "bob@example.com")
    await world.auth.send_verification_email(other.id)
    late = re.search(r"token=(\S+)", world.mailer.sent[-1].text).group(1)
    world.clock.advance(hours=49)
    with pytest.raises(InvalidOneTimeToken):
        await world.auth.confirm_email(late)


async def test_password_reset_request_for_unknown_email_queues_nothing(world):
    await world.auth.request_password_reset("ghost@example.com")
    assert world.store.outbox == []
    user = await world.register()
    await world.auth.request_password_reset("ADA@example.com")
    assert world.store.outbox[-1] == SendPasswordResetEmail(user.id)


async def test_profile_update_rejects_non_profile_fields(world):
    user = await world.register()
    pair = await world.auth.login("ada", PASSWORD, ClientInfo())
    principal, _ = await world.auth.authenticate(pair.access_token)
    with pytest.raises(ValidationFailed):
        await world.accounts.update_profile(principal, {"role": "admin"})
    assert world.store.users[user.id].role.value == "member"
