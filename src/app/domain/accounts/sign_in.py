"""Sign-in through an external identity provider (Google OIDC): link by verified email, or create the user."""

from __future__ import annotations

import re
from datetime import timedelta

from app.core.clock import Clock
from app.core.ids import new_id, random_token
from app.domain.accounts.entities import ExternalIdentity, OAuthAuthorization, TokenPair, User, VerifiedIdentity
from app.domain.accounts.errors import (
    AccountInactive,
    OauthEmailUnverified,
    OauthInvalidState,
)
from app.domain.accounts.ports import (
    AccountsUnitOfWork,
    AccountsUnitOfWorkFactory,
    IdentityProvider,
)
from app.domain.accounts.services import AuthService, ClientInfo, _get_user


class ExternalSignIn:
    """Sign-in through an OpenID Connect provider (authorization code + PKCE, or id_token)."""

    STATE_TTL = timedelta(minutes=10)

    def __init__(
        self, *, uow: AccountsUnitOfWorkFactory, provider: IdentityProvider, auth: AuthService, clock: Clock
    ) -> None:
        self._uow = uow
        self._provider = provider
        self._auth = auth
        self._clock = clock

    async def start(self) -> str:
        """Record state/nonce/PKCE verifier server-side and return the provider URL."""
        authorization = OAuthAuthorization(
            state=random_token(24),
            nonce=random_token(24),
            code_verifier=random_token(48),
            expires_at=self._clock.now() + self.STATE_TTL,
        )
        async with self._uow() as uow:
            await uow.oauth_states.add(authorization)
            await uow.commit()
        return await self._provider.authorization_url(
            state=authorization.state, nonce=authorization.nonce, code_verifier=authorization.code_verifier
        )

    async def complete(self, *, state: str, code: str, client: ClientInfo) -> TokenPair:
        async with self._uow() as uow:
            authorization = await uow.oauth_states.pop(state)
            await uow.commit()
        if authorization is None or authorization.expires_at <= self._clock.now():
            raise OauthInvalidState("Unknown or expired sign-in state. Start again.")
        identity = await self._provider.complete_authorization(
            code=code, code_verifier=authorization.code_verifier, nonce=authorization.nonce
        )
        return await self._sign_in(identity, client)

    async def with_id_token(self, *, id_token: str, nonce: str | None, client: ClientInfo) -> TokenPair:
        identity = await self._provider.verify_id_token(id_token, nonce=nonce)
        return await self._sign_in(identity, client)

    async def _sign_in(self, identity: VerifiedIdentity, client: ClientInfo) -> TokenPair:
        async with self._uow() as uow:
            link = await uow.identities.get(identity.provider, identity.subject)
            if link is not None:
                user = await _get_user(uow, link.user_id, for_update=True)
            else:
                if not identity.email_verified:
                    # Linking on an unverified address would let anyone claim that account.
                    raise OauthEmailUnverified("The provider has not verified this email address.")
                existing = await uow.users.get_by_email(identity.email)
                if existing is None:
                    user = await self._create_user(uow, identity)
                else:
                    user = await _get_user(uow, existing.id, for_update=True)
                await uow.identities.add(
                    ExternalIdentity(
                        provider=identity.provider, subject=identity.subject, user_id=user.id, email=identity.email
                    )
                )
            if not user.is_active:
                raise AccountInactive()
            now = self._clock.now()
            if identity.email_verified and user.email.lower() == identity.email.lower():
                user.email_verified = True
            user.is_guest = False  # the provider vouched for the address: a full account now
            user.last_login_at = now
            await uow.users.update(user)
            pair = await self._auth.open_session(uow, user, client)
            await uow.commit()
            return pair

    async def _create_user(self, uow: AccountsUnitOfWork, identity: VerifiedIdentity) -> User:
        base = re.sub(r"[^A-Za-z0-9_.-]", "", identity.email.split("@")[0])[:20] or "user"
        base = base if len(base) >= 3 else f"{base}-user"
        username = base
        while await uow.users.username_exists(username):
            username = f"{base}-{random_token(3).lower().replace('_', '').replace('-', '')[:4]}"
        now = self._clock.now()
        user = User(
            id=new_id(),
            username=username,
            email=identity.email,
            first_name=identity.given_name,
            last_name=identity.family_name,
            avatar_url=identity.picture,
            email_verified=True,
            created_at=now,
            updated_at=now,
        )
        await uow.users.add(user)
        return user
