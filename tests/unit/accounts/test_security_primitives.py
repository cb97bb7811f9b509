"""Password rule, JWT codec, argon2 hasher and settings parsing."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

import jwt
import pytest

from app.adapters.security.jwt_tokens import JwtTokenCodec
from app.adapters.security.passwords import Argon2PasswordHasher
from app.core.settings import Settings, SettingsError
from app.domain.accounts.entities import TokenClaims
from app.domain.accounts.errors import InvalidToken
from app.domain.accounts.passwords import password_problems
from app.domain.kernel import Role

SECRET = "k" * 40


@pytest.mark.parametrize(
    ("password", "ok"),
    [
        ("Sturdy-Passw0rd!", True),
        ("correct horse Battery 9", True),
        ("short1A!", False),
        ("alllowercaseletters", False),
        ("ALLUPPER1234567", False),  # two classes only
        ("UPPER-and-1234567", True),
        ("Password1234", False),  # too common
        ("ada_lovelace-2024X", False),  # contains the username
    ],
)
def test_password_rule(password, ok):
    assert (password_problems(password, username="ada_lovelace", email="ada@example.com") == []) is ok


def _claims(**overrides):
    now = datetime.now(UTC)
    base = dict(
        subject=uuid.uuid4(),
        session_id=uuid.uuid4(),
        jti=uuid.uuid4(),
        token_type="access",
        issued_at=now,
        expires_at=now + timedelta(minutes=5),
        role=Role.MEMBER,
    )
    base.update(overrides)
    return TokenClaims(**base)


def test_jwt_round_trip_carries_every_registered_claim():
    codec = JwtTokenCodec(secret=SECRET, issuer="iss", audience="aud")
    claims = _claims()
    token = codec.encode(claims)
    payload = jwt.decode(token, options={"verify_signature": False})
    assert {"iss", "aud", "exp", "iat", "jti", "sub", "sid", "typ"} <= set(payload)
    decoded = codec.decode(token, expected_type="access")
    assert decoded.subject == claims.subject and decoded.jti == claims.jti and decoded.role is Role.MEMBER


def test_jwt_rejects_wrong_type_expiry_issuer_and_algorithm():
    codec = JwtTokenCodec(secret=SECRET, issuer="iss", audience="aud", leeway_seconds=0)
    with pytest.raises(InvalidToken):
        codec.decode(codec.encode(_claims(token_type="refresh")), expected_type="access")
    past = datetime.now(UTC) - timedelta(hours=1)
    with pytest.raises(InvalidToken, match="expired"):
        codec.decode(
            codec.encode(_claims(issued_at=past, expires_at=past + timedelta(minutes=1))), expected_type="access"
        )
    other_issuer = JwtTokenCodec(secret=SECRET, issuer="other", audience="aud")
    with pytest.raises(InvalidToken):
        codec.decode(other_issuer.encode(_claims()), expected_type="access")
    payload = jwt.decode(codec.encode(_claims()), options={"verify_signature": False})
    hs512 = jwt.encode(payload, SECRET + "x" * 30, algorithm="HS512")
    with pytest.raises(InvalidToken):
        codec.decode(hs512, expected_type="access")


async def test_argon2id_hashes_verify_and_reject():
    hasher = Argon2PasswordHasher(time_cost=1, memory_cost=8192, parallelism=1)
    digest = await hasher.hash("Sturdy-Passw0rd!")
    assert digest.startswith("$argon2id$")
    assert await hasher.verify(digest, "Sturdy-Passw0rd!")
    assert not await hasher.verify(digest, "wrong")
    assert not await hasher.verify("not-a-hash", "wrong")


def test_settings_from_env_parses_types_and_refuses_bad_values():
    settings = Settings.from_env(
        {"PORT": "9000", "CORS_ALLOW_ORIGINS": "https://a.example, https://b.example", "JWT_SECRET": SECRET}
    )
    assert settings.port == 9000
    assert settings.cors_allow_origins == ["https://a.example", "https://b.example"]
    with pytest.raises(SettingsError):
        Settings.from_env({"PORT": "eighty"})
    with pytest.raises(SettingsError):
        Settings.from_env({"ENVIRONMENT": "production"})  # no JWT_SECRET
    with pytest.raises(SettingsError):
        Settings.from_env({"JWT_SECRET": "short"})
    assert len(Settings.from_env({}).jwt_secret) >= 32  # ephemeral dev secret
