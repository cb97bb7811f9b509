"""argon2id password hashing (argon2-cffi defaults follow RFC 9106's recommendations)."""

from __future__ import annotations

from argon2 import PasswordHasher as _Argon2
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError


class Argon2PasswordHasher:
    def __init__(self, *, time_cost: int | None = None, memory_cost: int | None = None) -> None:
        kwargs = {}
        if time_cost is not None:
            kwargs["time_cost"] = time_cost
        if memory_cost is not None:
            kwargs["memory_cost"] = memory_cost
        self._argon2 = _Argon2(**kwargs)

    def hash(self, password: str) -> str:
        return self._argon2.hash(password)

    def verify(self, password_hash: str, password: str) -> bool:
        try:
            return self._argon2.verify(password_hash, password)
        except (VerifyMismatchError, VerificationError, InvalidHashError):
            return False

    def needs_rehash(self, password_hash: str) -> bool:
        try:
            return self._argon2.check_needs_rehash(password_hash)
        except InvalidHashError:
            return True
