"""The password and username rules (NIST SP 800-63B style: length, no common or personal passwords)."""

from __future__ import annotations

import re

from app.core.errors import FieldError
from app.domain.accounts.errors import (
    InvalidUsername,
    PasswordMismatch,
    WeakPassword,
)

USERNAME_RE = re.compile(r"^[A-Za-z0-9_.-]{3,30}$")


PASSWORD_MIN_LENGTH = 10


PASSWORD_MAX_LENGTH = 128


_COMMON_PASSWORDS = frozenset(
    {
        "password123",
        "password1234",
        "qwerty12345",
        "1234567890",
        "letmein123",
        "welcome123",
        "iloveyou123",
        "administrator",
        "passw0rd123",
        "changeme123",
        "qwertyuiop",
        "1q2w3e4r5t",
    }
)


def password_problems(password: str, *, username: str = "", email: str = "") -> list[str]:
    """The strong-password rule: every way `password` falls short (empty = strong)."""
    problems: list[str] = []
    if len(password) < PASSWORD_MIN_LENGTH:
        problems.append(f"must be at least {PASSWORD_MIN_LENGTH} characters")
    if len(password) > PASSWORD_MAX_LENGTH:
        problems.append(f"must be at most {PASSWORD_MAX_LENGTH} characters")
    classes = sum(
        (
            any(c.islower() for c in password),
            any(c.isupper() for c in password),
            any(c.isdigit() for c in password),
            any(not c.isalnum() for c in password),
        )
    )
    if classes < 3:
        problems.append("must mix at least three of: lowercase, uppercase, digits, symbols")
    lowered = password.lower()
    if lowered in _COMMON_PASSWORDS:
        problems.append("is too common")
    for personal in (username.lower(), email.split("@")[0].lower()):
        if len(personal) >= 3 and personal in lowered:
            problems.append("must not contain your username or email")
            break
    return problems


def _require_strong(password: str, confirm: str, *, field: str, username: str, email: str) -> None:
    if password != confirm:
        raise PasswordMismatch("The passwords do not match.", errors=[FieldError(f"{field}_confirm", "does not match")])
    problems = password_problems(password, username=username, email=email)
    if problems:
        raise WeakPassword(
            "The password is too weak: " + "; ".join(problems) + ".",
            errors=[FieldError(field, p) for p in problems],
        )


def _validate_username(username: str) -> None:
    if not USERNAME_RE.fullmatch(username):
        raise InvalidUsername(
            "Usernames are 3-30 letters, digits, '.', '_' or '-'.",
            errors=[FieldError("username", "3-30 letters, digits, '.', '_' or '-'")],
        )
