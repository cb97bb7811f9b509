"""The OpenAPI document: title, offline Swagger UI, security scheme and tag descriptions."""

from __future__ import annotations

from litestar.openapi.config import OpenAPIConfig
from litestar.openapi.plugins import SwaggerRenderPlugin
from litestar.openapi.spec import Components, SecurityScheme, Tag

from app.core.settings import Settings


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
