"""A small OpenID Connect provider speaking the real protocol over HTTP:
discovery, authorization endpoint (auto-consents), token endpoint with PKCE
and client authentication, JWKS. Stands in for Google in tests."""

from __future__ import annotations

import base64
import hashlib
import secrets
import time
from dataclasses import dataclass, field
from typing import Annotated, Any
from urllib.parse import urlencode

from joserfc import jwt
from joserfc.jwk import KeySet, RSAKey
from litestar import Litestar, Request, get, post
from litestar.enums import RequestEncodingType
from litestar.params import Body
from litestar.response import Redirect, Response

CLIENT_ID = "atelier-test-client.apps.example"
CLIENT_SECRET = "test-client-secret"


@dataclass
class FakeOidcProvider:
    base_url: str = ""
    key: RSAKey = field(default_factory=lambda: RSAKey.generate_key(2048, parameters={"kid": "key-1"}))
    user: dict[str, Any] = field(
        default_factory=lambda: {
            "sub": "google-sub-123",
            "email": "oauth.user@example.com",
            "email_verified": True,
            "given_name": "Oauth",
            "family_name": "User",
        }
    )
    # Knobs for negative tests
    nonce_override: str | None = None
    audience_override: str | None = None
    codes: dict[str, dict[str, Any]] = field(default_factory=dict)
    token_requests: list[dict[str, Any]] = field(default_factory=list)

    def id_token(self, nonce: str | None, *, key: RSAKey | None = None, **overrides: Any) -> str:
        now = int(time.time())
        claims = {
            "iss": self.base_url,
            "aud": self.audience_override or CLIENT_ID,
            "iat": now,
            "exp": now + 600,
            **self.user,
            **overrides,
        }
        if nonce is not None:
            claims["nonce"] = self.nonce_override or nonce
        signing_key = key or self.key
        return jwt.encode({"alg": "RS256", "kid": signing_key.kid}, claims, signing_key)

    def app(self) -> Litestar:
        provider = self

        @get("/.well-known/openid-configuration")
        async def discovery() -> dict[str, Any]:
            return {
                "issuer": provider.base_url,
                "authorization_endpoint": f"{provider.base_url}/o/oauth2/v2/auth",
                "token_endpoint": f"{provider.base_url}/token",
                "jwks_uri": f"{provider.base_url}/oauth2/v3/certs",
                "response_types_supported": ["code"],
                "subject_types_supported": ["public"],
                "id_token_signing_alg_values_supported": ["RS256"],
                "code_challenge_methods_supported": ["S256"],
            }

        @get("/oauth2/v3/certs")
        async def jwks() -> dict[str, Any]:
            return KeySet([provider.key]).as_dict(private=False)

        @get("/o/oauth2/v2/auth")
        async def authorize(request: Request[Any, Any, Any]) -> Response[Any]:
            q = request.query_params
            if q.get("client_id") != CLIENT_ID or q.get("response_type") != "code":
                return Response({"error": "invalid_request"}, status_code=400)
            if q.get("code_challenge_method") != "S256" or not q.get("code_challenge"):
                return Response({"error": "invalid_request", "error_description": "PKCE required"}, status_code=400)
            code = secrets.token_urlsafe(16)
            provider.codes[code] = {
                "nonce": q.get("nonce"),
                "challenge": q["code_challenge"],
                "redirect_uri": q["redirect_uri"],
                "scope": q.get("scope", ""),
            }
            return Redirect(
                f"{q['redirect_uri']}?{urlencode({'code': code, 'state': q.get('state', '')})}", status_code=302
            )

        @post("/token", status_code=200)
        async def token(
            request: Request[Any, Any, Any],
            data: Annotated[dict[str, str], Body(media_type=RequestEncodingType.URL_ENCODED)],
        ) -> Response[Any]:
            provider.token_requests.append(dict(data))
            client_id, client_secret = data.get("client_id"), data.get("client_secret")
            auth = request.headers.get("authorization", "")
            if auth.lower().startswith("basic "):
                client_id, _, client_secret = base64.b64decode(auth[6:]).decode().partition(":")
            if client_id != CLIENT_ID or client_secret != CLIENT_SECRET:
                return Response({"error": "invalid_client"}, status_code=401)
            grant = provider.codes.pop(data.get("code", ""), None)
            if data.get("grant_type") != "authorization_code" or grant is None:
                return Response({"error": "invalid_grant"}, status_code=400)
            if data.get("redirect_uri") != grant["redirect_uri"]:
                return Response({"error": "invalid_grant", "error_description": "redirect_uri"}, status_code=400)
            verifier = data.get("code_verifier", "")
            challenge = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()
            if challenge != grant["challenge"]:
                return Response(
                    {"error": "invalid_grant", "error_description": "PKCE verification failed"}, status_code=400
                )
            return Response(
                {
                    "access_token": secrets.token_urlsafe(16),
                    "token_type": "Bearer",
                    "expires_in": 3600,
                    "scope": grant["scope"],
                    "id_token": provider.id_token(grant["nonce"]),
                }
            )

        return Litestar(route_handlers=[discovery, jwks, authorize, token], debug=False)
