"""OpenID Connect client (Google by default) on authlib + joserfc.

Discovery and JWKS are fetched over HTTP and cached; an id_token signed by an
unknown key triggers one JWKS refresh (key rotation).
"""

from __future__ import annotations

import asyncio
import time
from typing import Any

import httpx
from authlib.integrations.base_client.errors import OAuthError
from authlib.integrations.httpx_client import AsyncOAuth2Client
from joserfc import jwt
from joserfc.errors import JoseError
from joserfc.jwk import KeySet
from joserfc.jwt import JWTClaimsRegistry

from app.domain.accounts.entities import VerifiedIdentity
from app.domain.accounts.errors import OAuthFailed, OAuthInvalidIdToken, OAuthProviderUnavailable

_CACHE_SECONDS = 3600


class OidcIdentityProvider:
    def __init__(
        self,
        *,
        name: str,
        discovery_url: str,
        client_id: str,
        client_secret: str,
        redirect_uri: str,
        scope: str = "openid email profile",
        timeout: float = 10.0,
        leeway_seconds: int = 60,
    ) -> None:
        self.name = name
        self._discovery_url = discovery_url
        self._client_id = client_id
        self._client_secret = client_secret
        self._redirect_uri = redirect_uri
        self._scope = scope
        self._timeout = timeout
        self._leeway = leeway_seconds
        self._metadata: dict[str, Any] | None = None
        self._metadata_at = 0.0
        self._keys: KeySet | None = None
        self._lock = asyncio.Lock()

    async def _get_json(self, url: str) -> dict[str, Any]:
        try:
            async with httpx.AsyncClient(timeout=self._timeout) as client:
                response = await client.get(url)
                response.raise_for_status()
                return response.json()
        except (httpx.HTTPError, ValueError) as exc:
            raise OAuthProviderUnavailable(f"The {self.name} sign-in service is unreachable.") from exc

    async def metadata(self) -> dict[str, Any]:
        async with self._lock:
            if self._metadata is None or time.monotonic() - self._metadata_at > _CACHE_SECONDS:
                self._metadata = await self._get_json(self._discovery_url)
                self._metadata_at = time.monotonic()
                self._keys = None
            return self._metadata

    async def _key_set(self, *, refresh: bool = False) -> KeySet:
        metadata = await self.metadata()
        if self._keys is None or refresh:
            self._keys = KeySet.import_key_set(await self._get_json(metadata["jwks_uri"]))
        return self._keys

    def _oauth_client(self) -> AsyncOAuth2Client:
        return AsyncOAuth2Client(
            client_id=self._client_id,
            client_secret=self._client_secret,
            redirect_uri=self._redirect_uri,
            scope=self._scope,
            code_challenge_method="S256",
            timeout=self._timeout,
        )

    async def authorization_url(self, *, state: str, nonce: str, code_verifier: str) -> str:
        metadata = await self.metadata()
        async with self._oauth_client() as client:
            url, _ = client.create_authorization_url(
                metadata["authorization_endpoint"], state=state, nonce=nonce, code_verifier=code_verifier
            )
        return url

    async def complete_authorization(self, *, code: str, code_verifier: str, nonce: str) -> VerifiedIdentity:
        metadata = await self.metadata()
        try:
            async with self._oauth_client() as client:
                token = await client.fetch_token(
                    metadata["token_endpoint"], code=code, code_verifier=code_verifier, grant_type="authorization_code"
                )
        except OAuthError as exc:
            raise OAuthFailed(f"The provider rejected the authorization code ({exc.error}).") from exc
        except httpx.HTTPError as exc:
            raise OAuthProviderUnavailable(f"The {self.name} sign-in service is unreachable.") from exc
        id_token = token.get("id_token")
        if not id_token:
            raise OAuthFailed("The provider returned no id_token.")
        return await self.verify_id_token(id_token, nonce=nonce)

    async def verify_id_token(self, id_token: str, *, nonce: str | None) -> VerifiedIdentity:
        metadata = await self.metadata()
        try:
            try:
                decoded = jwt.decode(id_token, await self._key_set(), algorithms=["RS256", "ES256"])
            except JoseError:
                # Possibly a rotated signing key: refresh JWKS once and retry.
                decoded = jwt.decode(id_token, await self._key_set(refresh=True), algorithms=["RS256", "ES256"])
        except (JoseError, ValueError) as exc:
            raise OAuthInvalidIdToken("The id_token signature is invalid.") from exc
        issuer = metadata["issuer"]
        issuers = [issuer, issuer.removeprefix("https://")]  # Google issues both forms
        claims_options: dict[str, Any] = {
            "iss": {"essential": True, "values": issuers},
            "aud": {"essential": True, "value": self._client_id},
            "exp": {"essential": True},
            "iat": {"essential": True},
            "sub": {"essential": True},
        }
        if nonce is not None:
            claims_options["nonce"] = {"essential": True, "value": nonce}
        try:
            JWTClaimsRegistry(leeway=self._leeway, **claims_options).validate(decoded.claims)
        except JoseError as exc:
            raise OAuthInvalidIdToken(f"The id_token is not valid here: {exc.description or exc.error}.") from exc
        claims = decoded.claims
        email = claims.get("email")
        if not isinstance(email, str) or "@" not in email:
            raise OAuthInvalidIdToken("The id_token carries no email address.")
        verified = claims.get("email_verified")
        return VerifiedIdentity(
            provider=self.name,
            subject=str(claims["sub"]),
            email=email,
            email_verified=verified is True or verified == "true",
            given_name=str(claims.get("given_name", ""))[:150],
            family_name=str(claims.get("family_name", ""))[:150],
            picture=str(claims.get("picture", ""))[:500],
        )
