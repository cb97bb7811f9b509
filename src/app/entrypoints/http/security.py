"""Authentication middleware, role guards and rate limits for the HTTP/WS edge."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from litestar.connection import ASGIConnection
from litestar.handlers.base import BaseRouteHandler
from litestar.middleware import AbstractAuthenticationMiddleware, AuthenticationResult, DefineMiddleware

from app.core.errors import NotAuthenticated
from app.domain.accounts.errors import RoleRequired
from app.domain.accounts.services import AuthService, ClientInfo
from app.domain.kernel import Principal, Role
from app.entrypoints.http.rate_limits import client_address

# Anchored: an unanchored "/docs" would also exempt "/docsomething".
PUBLIC_PATHS = [r"^/docs(/.*)?$", r"^/health$", r"^/ready$"]
BEARER_SECURITY = [{"BearerAuth": []}]
# For the few public operations that also read an optional token (OpenAPI's "{}" alternative = anonymous).
OPTIONAL_BEARER_SECURITY = [{}, {"BearerAuth": []}]


def bearer_token(connection: ASGIConnection[Any, Any, Any, Any]) -> str | None:
    header = connection.headers.get("authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() == "bearer" and token.strip():
        return token.strip()
    return None


class JWTAuthenticationMiddleware(AbstractAuthenticationMiddleware):
    """Validates the bearer access token and that its session and user are live."""

    async def authenticate_request(self, connection: ASGIConnection[Any, Any, Any, Any]) -> AuthenticationResult:
        token = bearer_token(connection)
        if token is None:
            raise NotAuthenticated("Send an access token: 'Authorization: Bearer <token>'.")
        auth: AuthService = connection.app.state.services.auth
        principal, claims = await auth.authenticate(token)
        return AuthenticationResult(user=principal, auth=claims)


def authentication_middleware() -> DefineMiddleware:
    return DefineMiddleware(
        JWTAuthenticationMiddleware, exclude=PUBLIC_PATHS, exclude_from_auth_key="exclude_from_auth"
    )


def principal_of(connection: ASGIConnection[Any, Any, Any, Any]) -> Principal:
    return connection.user  # type: ignore[no-any-return]


def requires_role(*roles: Role) -> Callable[[ASGIConnection[Any, Any, Any, Any], BaseRouteHandler], None]:
    allowed = frozenset(roles)
    names = ", ".join(sorted(r.value for r in allowed))

    def guard(connection: ASGIConnection[Any, Any, Any, Any], _: BaseRouteHandler) -> None:
        if principal_of(connection).role not in allowed:
            raise RoleRequired(f"This needs one of these roles: {names}.")

    guard.__name__ = f"requires_role_{'_'.join(sorted(r.value for r in allowed))}"
    return guard


def client_info(connection: ASGIConnection[Any, Any, Any, Any]) -> ClientInfo:
    return ClientInfo(user_agent=connection.headers.get("user-agent", "")[:300], ip_address=client_address(connection))
