"""The OpenAPI document: title, offline Swagger UI, security scheme, tag descriptions, and the plugin that
completes each operation's security and problem responses."""

from __future__ import annotations

from litestar.openapi.config import OpenAPIConfig
from litestar.openapi.plugins import SwaggerRenderPlugin
from litestar.openapi.spec import Components, SecurityScheme, Tag
from litestar.plugins import ReceiveRoutePlugin
from litestar.routes import BaseRoute, HTTPRoute

from app.core.settings import Settings
from app.entrypoints.http.problems import problem_responses
from app.entrypoints.http.security import BEARER_SECURITY


def openapi_config(settings: Settings) -> OpenAPIConfig:
    return OpenAPIConfig(
        title=f"{settings.app_name} API",
        version="0.1.0",
        description="One backend for AdVenture, PromptCraft, CRE Studio, DiceyTech and Oasis. "
        "Errors are RFC 9457 problem details (application/problem+json) with a stable `code`.",
        path="/docs",
        # Assets are served by this app so the docs render with no internet access.
        render_plugins=[
            SwaggerRenderPlugin(
                js_url="/docs/static/swagger/swagger-ui-bundle.js",
                css_url="/docs/static/swagger/swagger-ui.css",
                standalone_preset_js_url="/docs/static/swagger/swagger-ui-standalone-preset.js",
                path="/",
                favicon="<link rel='icon' type='image/png' href='/docs/static/swagger/favicon-32x32.png'>",
            )
        ],
        components=Components(
            security_schemes={
                "BearerAuth": SecurityScheme(
                    type="http", scheme="bearer", bearer_format="JWT", description="Access token from /api/auth/login"
                )
            }
        ),
        tags=[
            Tag(name="auth", description="Registration, sign-in, tokens, email and password flows, Google sign-in"),
            Tag(name="users", description="The signed-in user's own account"),
            Tag(name="admin: users", description="User administration (admins; managers read)"),
            Tag(name="campaigns", description="Campaigns (AdVenture, CRE Studio): owner-scoped, role-aware"),
            Tag(name="campaign comments", description="Threaded comments on campaigns"),
            Tag(
                name="canvas",
                description="Canvas documents, history, restore and PNG export; live editing at /ws/campaigns/{id}",
            ),
            Tag(name="generations", description="AI ad copy and images: queued jobs with status, quota per user"),
            Tag(name="media", description="Uploads (presigned, validated, private by default) and signed downloads"),
            Tag(name="prompt templates", description="PromptCraft: {{variable}} templates, versions, runs"),
            Tag(
                name="billing",
                description="Razorpay plans/tiers, subscriptions, orders, tips, webhooks; "
                "a ledger credits each payment once",
            ),
            Tag(name="creators", description="Oasis creator profiles and follows"),
            Tag(name="posts & feed", description="Tier-gated posts, likes, feed and search"),
            Tag(name="commissions", description="Creator commission offers and requests with a status workflow"),
            Tag(name="notifications", description="In-app notifications (emails for the important ones)"),
            Tag(
                name="gamification",
                description="PromptCraft credits ledger, XP, levels, ranks, achievements, leaderboard",
            ),
            Tag(name="analytics", description="Usage dashboards: generations, template runs, exports"),
            Tag(
                name="properties",
                description="CRE Studio properties: search, galleries, custom attributes, marketing campaigns",
            ),
            Tag(name="talent", description="DiceyTech: experience, projects & hackathons, jobs & applications"),
            Tag(name="system", description="Probes"),
        ],
    )


# Problems any operation can answer, whatever its handler says: documented once, here, for all of them.
_ANY_OPERATION = (400, 422, 503)  # malformed/too deep JSON; bad field or parameter (NUL, bounds); database away
_WITH_BODY = (413,)
_WITH_PATH_PARAMS = (404,)
_SIGNED_IN = (401, 403)


class OperationContractPlugin(ReceiveRoutePlugin):
    """Completes every operation's OpenAPI entry from what the app actually enforces, so that no handler
    repeats it and the document cannot drift from the behaviour:

    - security: the bearer scheme on every operation the authentication middleware guards (all but those
      whose layer sets `exclude_from_auth`; a public operation may declare an optional token itself);
    - the problem responses every operation of its kind can return (bad input, auth, rate limits, ...).

    Runs as each route is registered, with the handler's layers (router guards, opts) resolved."""

    def receive_route(self, route: BaseRoute) -> None:
        if not isinstance(route, HTTPRoute):
            return
        for handler in route.route_handlers:
            signed_in = not handler.opt.get("exclude_from_auth")
            if signed_in:
                handler.security = BEARER_SECURITY
            statuses = set(_ANY_OPERATION)
            if handler.http_methods & {"POST", "PUT", "PATCH"}:
                statuses.update(_WITH_BODY)
            if "{" in route.path_format:
                statuses.update(_WITH_PATH_PARAMS)
            if signed_in:
                statuses.update(_SIGNED_IN)
            if any(getattr(guard, "__name__", "").startswith("rate_limit_") for guard in handler.resolve_guards()):
                statuses.add(429)
            missing = statuses - set(handler.responses or {})
            handler.responses = {**(handler.responses or {}), **problem_responses(*sorted(missing))}
