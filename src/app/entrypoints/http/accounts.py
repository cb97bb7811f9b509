"""Accounts HTTP API: /api/auth/*, /api/users/me*, /api/admin/users*."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated, Any

import msgspec
from email_validator import EmailNotValidError, validate_email
from litestar import Request, Router, get, post
from litestar.datastructures import State
from litestar.di import NamedDependency
from litestar.params import JSONBody, QueryParameter
from litestar.response import Redirect
from litestar.status_codes import HTTP_200_OK, HTTP_202_ACCEPTED, HTTP_204_NO_CONTENT

from app.core.errors import FieldError, ValidationFailed
from app.core.settings import Settings
from app.domain.accounts.entities import TokenPair, User
from app.domain.accounts.errors import InvalidCredentials, OAuthNotCompleted
from app.domain.accounts.services import AuthService, Registration
from app.domain.accounts.sign_in import ExternalSignIn
from app.domain.accounts.users import AccountService
from app.domain.kernel import Principal, Role
from app.entrypoints.http.problems import problem_responses
from app.entrypoints.http.rate_limits import LoginThrottle, rate_limit_guard
from app.entrypoints.http.security import client_info

# -- DTOs ---------------------------------------------------------------------
Username = Annotated[str, msgspec.Meta(min_length=3, max_length=30, pattern=r"^[A-Za-z0-9_.-]+$", examples=["ada_l"])]
EmailStr = Annotated[str, msgspec.Meta(min_length=3, max_length=320, examples=["ada@example.com"])]
Password = Annotated[str, msgspec.Meta(min_length=1, max_length=128, examples=["Analytical-Engine-1843"])]
Name = Annotated[str, msgspec.Meta(max_length=150, examples=["Ada"])]
Url = Annotated[str, msgspec.Meta(max_length=300, pattern=r"^(https?://\S+)?$", examples=["https://github.com/ada"])]
OpaqueToken = Annotated[str, msgspec.Meta(min_length=1, max_length=4096)]


class RegisterIn(msgspec.Struct, forbid_unknown_fields=True):
    username: Username
    email: EmailStr
    password: Password
    password_confirm: Password
    first_name: Name = ""
    last_name: Name = ""


class LoginIn(msgspec.Struct, forbid_unknown_fields=True):
    login: Annotated[
        str, msgspec.Meta(min_length=1, max_length=320, description="Username or email", examples=["ada_l"])
    ]
    password: Password


class RefreshIn(msgspec.Struct, forbid_unknown_fields=True):
    refresh_token: OpaqueToken


class VerifyTokenIn(msgspec.Struct, forbid_unknown_fields=True):
    token: OpaqueToken


class TokenOut(msgspec.Struct):
    access_token: str
    refresh_token: str
    token_type: str
    expires_in: Annotated[int, msgspec.Meta(description="Access token lifetime in seconds", examples=[900])]
    refresh_expires_in: int


class TokenInfoOut(msgspec.Struct):
    valid: bool
    token_type: str
    user_id: uuid.UUID
    session_id: uuid.UUID
    expires_at: datetime


class EmailTokenIn(msgspec.Struct, forbid_unknown_fields=True):
    token: OpaqueToken


class PasswordResetIn(msgspec.Struct, forbid_unknown_fields=True):
    email: EmailStr


class PasswordResetConfirmIn(msgspec.Struct, forbid_unknown_fields=True):
    token: OpaqueToken
    new_password: Password
    new_password_confirm: Password


class PasswordChangeIn(msgspec.Struct, forbid_unknown_fields=True):
    old_password: Password
    new_password: Password
    new_password_confirm: Password


class GuestIn(msgspec.Struct, forbid_unknown_fields=True):
    email: EmailStr | None = None
    phone: (
        Annotated[str, msgspec.Meta(max_length=20, pattern=r"^\+?[0-9 ()-]{6,20}$", examples=["+91 98765 43210"])]
        | None
    ) = None


class DetailOut(msgspec.Struct):
    detail: str


class UserOut(msgspec.Struct):
    id: uuid.UUID
    username: str
    email: str
    first_name: str
    last_name: str
    role: Role
    is_active: bool
    is_guest: bool
    email_verified: bool
    has_password: bool
    bio: str
    location: str
    website: str
    github_url: str
    linkedin_url: str
    twitter_url: str
    phone: str
    goals: str
    skills: list[str]
    avatar_url: str
    created_at: datetime | None
    last_login_at: datetime | None


class GuestOut(msgspec.Struct):
    user: UserOut
    tokens: TokenOut


# -- mapping --------------------------------------------------------------------
def user_out(user: User) -> UserOut:
    return msgspec.convert(user, UserOut, from_attributes=True)


def token_out(pair: TokenPair) -> TokenOut:
    return TokenOut(
        access_token=pair.access_token,
        refresh_token=pair.refresh_token,
        token_type=pair.token_type,
        expires_in=pair.access_expires_in,
        refresh_expires_in=pair.refresh_expires_in,
    )


def checked_email(value: str, field: str = "email") -> str:
    try:
        return validate_email(value, check_deliverability=False).normalized
    except EmailNotValidError as exc:
        raise ValidationFailed("The email address is not valid.", errors=[FieldError(field, str(exc))]) from exc


def registration_of(data: RegisterIn) -> Registration:
    return Registration(
        username=data.username,
        email=checked_email(data.email),
        password=data.password,
        password_confirm=data.password_confirm,
        first_name=data.first_name,
        last_name=data.last_name,
    )


PUBLIC = {"exclude_from_auth": True}
AUTH_TAG = ["auth"]


# -- /api/auth ------------------------------------------------------------------
@post(
    "/register",
    summary="Register a new account",
    description="Creates an account and emails a verification link. Emails and usernames are unique "
    "case-insensitively. Passwords: at least 10 characters mixing three of lowercase, uppercase, digits, symbols.",
    responses=problem_responses(409, 429),
)
async def register(data: JSONBody[RegisterIn], accounts: NamedDependency[AccountService]) -> UserOut:
    user = await accounts.register(registration_of(data))
    return user_out(user)


@post(
    "/login",
    summary="Sign in with username or email",
    description="Returns an access token (short-lived) and a refresh token. Wrong credentials always give the same "
    "401, whether or not the account exists.",
    status_code=HTTP_200_OK,
    responses=problem_responses(401, 429),
)
async def login(
    data: JSONBody[LoginIn], request: Request[Any, Any, Any], state: State, auth: NamedDependency[AuthService]
) -> TokenOut:
    throttle: LoginThrottle = state.login_throttle
    await throttle.check(data.login)
    try:
        pair = await auth.login(data.login, data.password, client_info(request))
    except InvalidCredentials:
        await throttle.failed(data.login)
        raise
    await throttle.succeeded(data.login)
    return token_out(pair)


@post(
    "/token/refresh",
    summary="Rotate a refresh token",
    description="Spends the refresh token and returns a new pair. Presenting an already-spent refresh token "
    "revokes the whole session (reuse detection).",
    status_code=HTTP_200_OK,
    responses=problem_responses(401),
)
async def refresh(data: JSONBody[RefreshIn], auth: NamedDependency[AuthService]) -> TokenOut:
    return token_out(await auth.refresh(data.refresh_token))


@post(
    "/token/verify",
    summary="Check an access token",
    description="200 with the token's subject when the access token is valid and its session live; 401 otherwise.",
    status_code=HTTP_200_OK,
    responses=problem_responses(401),
)
async def verify_token(data: JSONBody[VerifyTokenIn], auth: NamedDependency[AuthService]) -> TokenInfoOut:
    principal, claims = await auth.authenticate(data.token)
    return TokenInfoOut(
        valid=True,
        token_type=claims.token_type,
        user_id=principal.user_id,
        session_id=principal.session_id,
        expires_at=claims.expires_at,
    )


@post(
    "/logout",
    summary="Sign out",
    description="Revokes this session: its refresh token and every access token issued in it stop working.",
    status_code=HTTP_204_NO_CONTENT,
)
async def logout(request: Request[Principal, Any, Any], auth: NamedDependency[AuthService]) -> None:
    await auth.logout(request.user)


@post(
    "/email/verify",
    summary="Confirm an email address",
    description="Redeems the single-use token from the verification email.",
    status_code=HTTP_200_OK,
)
async def confirm_email(data: JSONBody[EmailTokenIn], auth: NamedDependency[AuthService]) -> DetailOut:
    await auth.confirm_email(data.token)
    return DetailOut(detail="Email address confirmed.")


@post(
    "/email/verification",
    summary="Resend the verification email",
    status_code=HTTP_202_ACCEPTED,
)
async def resend_verification(request: Request[Principal, Any, Any], auth: NamedDependency[AuthService]) -> DetailOut:
    await auth.request_email_verification(request.user)
    return DetailOut(detail="If your address is not yet confirmed, a new link is on its way.")


@post(
    "/password/reset",
    summary="Ask for a password reset email",
    description="Always 202 with the same body, so the response never reveals whether an account exists.",
    status_code=HTTP_202_ACCEPTED,
    responses=problem_responses(429),
)
async def request_password_reset(data: JSONBody[PasswordResetIn], auth: NamedDependency[AuthService]) -> DetailOut:
    await auth.request_password_reset(data.email)
    return DetailOut(detail="If an account uses this address, a reset link is on its way.")


@post(
    "/password/reset/confirm",
    summary="Set a new password with a reset token",
    description="Redeems the single-use token and signs out every session of the account.",
    status_code=HTTP_200_OK,
    responses=problem_responses(429),
)
async def confirm_password_reset(
    data: JSONBody[PasswordResetConfirmIn], auth: NamedDependency[AuthService]
) -> DetailOut:
    await auth.confirm_password_reset(data.token, data.new_password, data.new_password_confirm)
    return DetailOut(detail="Password changed. Sign in with the new password.")


@post(
    "/password/change",
    summary="Change password",
    description="Needs the current password. Other sessions are signed out; this one stays.",
    status_code=HTTP_200_OK,
)
async def change_password(
    data: JSONBody[PasswordChangeIn], request: Request[Principal, Any, Any], auth: NamedDependency[AuthService]
) -> DetailOut:
    await auth.change_password(request.user, data.old_password, data.new_password, data.new_password_confirm)
    return DetailOut(detail="Password changed.")


@post(
    "/guests",
    summary="Create a guest (checkout) account",
    description="A password-less account from an email and/or phone, signed in at once; upgrade it later with "
    "POST /api/users/me/upgrade.",
    responses=problem_responses(409, 429),
)
async def create_guest(
    data: JSONBody[GuestIn], request: Request[Any, Any, Any], accounts: NamedDependency[AccountService]
) -> GuestOut:
    email = checked_email(data.email) if data.email else None
    user, pair = await accounts.create_guest(email=email, phone=data.phone, client=client_info(request))
    return GuestOut(user=user_out(user), tokens=token_out(pair))


# -- /api/auth/oauth/google -------------------------------------------------------
class IdTokenIn(msgspec.Struct, forbid_unknown_fields=True):
    id_token: OpaqueToken
    nonce: Annotated[
        str, msgspec.Meta(min_length=8, max_length=256, description="The nonce the client put in the request")
    ]


@get(
    "/authorize",
    summary="Start Google sign-in",
    description="Redirects (302) to Google with state, nonce and a PKCE S256 challenge; Google returns to /callback.",
    status_code=302,
)
async def google_authorize(google_sign_in: NamedDependency[ExternalSignIn]) -> Redirect:
    return Redirect(path=await google_sign_in.start(), status_code=302)


@get(
    "/callback",
    summary="Finish Google sign-in",
    description="Exchanges the authorization code (with the PKCE verifier), validates the id_token and signs in, "
    "linking an existing account by verified email.",
)
async def google_callback(
    request: Request[Any, Any, Any],
    google_sign_in: NamedDependency[ExternalSignIn],
    oauth_state: Annotated[str, QueryParameter(name="state", max_length=256)],
    code: Annotated[str | None, QueryParameter(max_length=2048)] = None,
    error: Annotated[str | None, QueryParameter(max_length=256)] = None,
) -> TokenOut:
    if error or not code:
        raise OAuthNotCompleted(f"Google sign-in was not completed: {error or 'no code'}.")
    pair = await google_sign_in.complete(state=oauth_state, code=code, client=client_info(request))
    return token_out(pair)


@post(
    "/id-token",
    summary="Sign in with a Google id_token",
    description="For SPA/mobile clients that obtained an id_token themselves (with the given nonce).",
    status_code=HTTP_200_OK,
)
async def google_id_token(
    data: JSONBody[IdTokenIn], request: Request[Any, Any, Any], google_sign_in: NamedDependency[ExternalSignIn]
) -> TokenOut:
    pair = await google_sign_in.with_id_token(id_token=data.id_token, nonce=data.nonce, client=client_info(request))
    return token_out(pair)


def create_router(settings: Settings) -> Router:
    limit = settings.auth_rate_limit_per_minute

    def limited(bucket: str, *handlers: Any) -> Router:
        return Router(path="/", route_handlers=list(handlers), guards=[rate_limit_guard(bucket, limit)])

    # Signing in, tokens and the emailed links work without a session; the rest of /api/auth needs one.
    public = Router(
        path="/",
        opt=PUBLIC,
        route_handlers=[
            limited("register", register),
            limited("login", login),
            limited("password-reset", request_password_reset, confirm_password_reset),
            limited("guest", create_guest),
            refresh,
            verify_token,
            confirm_email,
            Router(path="/oauth/google", route_handlers=[google_authorize, google_callback, google_id_token]),
        ],
    )
    auth = Router(
        path="/api/auth", tags=AUTH_TAG, route_handlers=[public, logout, resend_verification, change_password]
    )
    return auth


__all__ = ["create_router"]
