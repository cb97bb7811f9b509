"""HS256 JWTs with pyjwt: iss, aud, exp, iat, jti and our token type are all required."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

import jwt

from app.domain.accounts.entities import TokenClaims
from app.domain.accounts.errors import InvalidToken, TokenExpired
from app.domain.kernel import Role

ALGORITHM = "HS256"
_REQUIRED = ["iss", "aud", "exp", "iat", "jti", "sub", "sid", "typ"]


class JwtTokenCodec:
    def __init__(self, *, secret: str, issuer: str, audience: str, leeway_seconds: int = 5) -> None:
        self._secret = secret
        self._issuer = issuer
        self._audience = audience
        self._leeway = leeway_seconds

    def encode(self, claims: TokenClaims) -> str:
        payload: dict[str, object] = {
            "iss": self._issuer,
            "aud": self._audience,
            "sub": str(claims.subject),
            "sid": str(claims.session_id),
            "jti": str(claims.jti),
            "typ": claims.token_type,
            "iat": int(claims.issued_at.timestamp()),
            "nbf": int(claims.issued_at.timestamp()),
            "exp": int(claims.expires_at.timestamp()),
        }
        if claims.role is not None:
            payload["role"] = claims.role.value
        return jwt.encode(payload, self._secret, algorithm=ALGORITHM)

    def decode(self, token: str, *, expected_type: str) -> TokenClaims:
        try:
            # `algorithms` pinned: "none" and algorithm-confusion tokens are rejected.
            payload = jwt.decode(
                token,
                self._secret,
                algorithms=[ALGORITHM],
                audience=self._audience,
                issuer=self._issuer,
                leeway=self._leeway,
                options={"require": _REQUIRED},
            )
        except jwt.ExpiredSignatureError as exc:
            raise TokenExpired("The token has expired.") from exc
        except jwt.PyJWTError as exc:
            raise InvalidToken("The token is invalid.") from exc
        if payload.get("typ") != expected_type:
            raise InvalidToken(f"Expected a {expected_type} token.")
        try:
            role = Role(payload["role"]) if "role" in payload else None
            return TokenClaims(
                subject=uuid.UUID(payload["sub"]),
                session_id=uuid.UUID(payload["sid"]),
                jti=uuid.UUID(payload["jti"]),
                token_type=payload["typ"],
                issued_at=datetime.fromtimestamp(payload["iat"], UTC),
                expires_at=datetime.fromtimestamp(payload["exp"], UTC),
                role=role,
            )
        except (ValueError, TypeError, KeyError) as exc:
            raise InvalidToken("The token is invalid.") from exc
