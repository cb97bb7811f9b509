from __future__ import annotations

import secrets
import uuid


def new_id() -> uuid.UUID:
    return uuid.uuid4()


def random_token(nbytes: int = 32) -> str:
    """URL-safe random secret for one-time links, OAuth state and the like."""
    return secrets.token_urlsafe(nbytes)
