"""Accounts errors; each carries the stable `code` clients switch on."""

from __future__ import annotations

from app.core.errors import (
    AppError,
    Conflict,
    NotAuthenticated,
    NotFound,
    PermissionDenied,
    ServiceUnavailable,
    ValidationFailed,
)


class InvalidCredentials(NotAuthenticated):
    # One message for unknown user, wrong password and password-less accounts:
    # the response never reveals whether an account exists.
    code = "invalid-credentials"

    def __init__(self) -> None:
        super().__init__("The username/email or password is incorrect.")


class InvalidToken(NotAuthenticated):
    code = "invalid-token"


class TokenReuseDetected(NotAuthenticated):
    code = "refresh-token-reuse"

    def __init__(self) -> None:
        super().__init__("This refresh token was already used; the session has been revoked. Sign in again.")


class AccountInactive(NotAuthenticated):
    code = "account-inactive"

    def __init__(self) -> None:
        super().__init__("This account is disabled.")


class EmailTaken(Conflict):
    code = "email-taken"

    def __init__(self) -> None:
        super().__init__("An account with this email already exists.")


class UsernameTaken(Conflict):
    code = "username-taken"

    def __init__(self) -> None:
        super().__init__("This username is already taken.")


class WeakPassword(ValidationFailed):
    code = "weak-password"


class InvalidOneTimeToken(AppError):
    status = 400
    code = "invalid-or-expired-token"
    title = "Invalid or expired token"

    def __init__(self) -> None:
        super().__init__("This link is invalid, expired or was already used.")


class OAuthFailed(AppError):
    status = 400
    code = "oauth-failed"
    title = "Sign-in with the identity provider failed"


class RoleRequired(PermissionDenied):
    code = "role-required"


class PasswordMismatch(ValidationFailed):
    code = "password-mismatch"


class UserNotFound(NotFound):
    code = "user-not-found"


class InvalidUsername(ValidationFailed):
    code = "invalid-username"


class NotAGuest(ValidationFailed):
    code = "not-a-guest"


class SelfDemotion(PermissionDenied):
    code = "self-demotion"


class SelfDeletion(PermissionDenied):
    code = "self-deletion"


class OauthInvalidState(OAuthFailed):
    code = "oauth-invalid-state"


class WrongPassword(ValidationFailed):
    code = "wrong-password"


class OauthEmailUnverified(OAuthFailed):
    code = "oauth-email-unverified"


class OAuthNotConfigured(ServiceUnavailable):
    code = "oauth-not-configured"


class OAuthProviderUnavailable(ServiceUnavailable):
    code = "oauth-provider-unavailable"


class OAuthInvalidIdToken(OAuthFailed):
    code = "oauth-invalid-id-token"


class TokenExpired(InvalidToken):
    code = "token-expired"


class OAuthNotCompleted(ValidationFailed):
    """The provider sent the user back without a code (denied, cancelled): the same code as OAuthFailed, a 422."""

    code = "oauth-failed"
