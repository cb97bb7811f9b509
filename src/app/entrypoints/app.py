"""The Litestar application: routes, middleware, hooks, stores and lifespan around the wired services
(`wiring.build_services`)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

from litestar import Litestar
from litestar.config.cors import CORSConfig
from litestar.datastructures import State
from litestar.di import Provide
from litestar.static_files import create_static_files_router
from litestar.stores.memory import MemoryStore
from litestar.stores.redis import RedisStore

from app.adapters.realtime.rooms import RoomHub, RoomLimits
from app.core.logging import configure_logging
from app.core.settings import Settings
from app.entrypoints.container import Services
from app.entrypoints.http import (
    accounts,
    ad_views,
    billing,
    brand,
    campaigns,
    collaborators,
    commissions,
    creators,
    gamification,
    generations,
    jobs,
    media,
    notifications,
    payouts,
    posts,
    prompt_community,
    prompts,
    properties,
    system,
    talent,
    users,
)
from app.entrypoints.http.dto import paging
from app.entrypoints.http.edge_hooks import request_logging, response_hook
from app.entrypoints.http.input_guard import input_guard
from app.entrypoints.http.openapi import OperationContractPlugin, openapi_config
from app.entrypoints.http.problems import EXCEPTION_HANDLERS
from app.entrypoints.http.providers import service_dependencies
from app.entrypoints.http.rate_limits import LoginThrottle, parse_networks
from app.entrypoints.http.security import authentication_middleware
from app.entrypoints.jobs.worker import JobRunner
from app.entrypoints.wiring import build_services
from app.entrypoints.ws.canvas import canvas_room

STATIC_DIR = Path(__file__).parent / "http" / "static"


def create_app(settings: Settings | None = None, services: Services | None = None) -> Litestar:
    settings = settings or Settings.from_env()
    configure_logging(settings.log_level, json=settings.log_json)
    services = services or build_services(settings)
    rooms = RoomHub(
        canvas=services.canvas,
        broker=services.broker,
        send_queue_limit=settings.ws_send_queue_limit,
        limits=RoomLimits(
            ops_per_second=settings.ws_ops_per_second,
            ops_burst=settings.ws_ops_burst,
            cursors_per_second=settings.ws_cursors_per_second,
            sockets_per_user=settings.ws_sockets_per_user_per_room,
            recheck_seconds=settings.ws_recheck_seconds,
        ),
    )

    @asynccontextmanager
    async def lifespan(_: Litestar) -> AsyncIterator[None]:
        runner = JobRunner(services) if settings.worker_in_process else None
        await services.broker.start()
        if settings.storage_backend == "s3" and settings.s3_create_bucket:
            await services.storage.ensure_bucket()  # type: ignore[attr-defined]
        if runner is not None:
            await runner.start()
        try:
            yield
        finally:
            await rooms.stop()
            if runner is not None:
                await runner.stop()
            await services.broker.stop()
            await services.engine.dispose()

    rate_limit_store: Any = (
        RedisStore.with_client(url=settings.redis_url, namespace="atelier-rate-limit")
        if settings.redis_url
        else MemoryStore()
    )
    return Litestar(
        route_handlers=[
            system.create_router(),
            accounts.create_router(settings),
            users.create_router(),
            brand.create_router(),
            campaigns.create_router(),
            collaborators.create_router(),
            generations.create_router(),
            media.create_router(),
            prompts.create_router(),
            prompt_community.create_router(),
            billing.create_router(),
            payouts.create_router(),
            ad_views.create_router(),
            creators.create_router(),
            posts.create_router(),
            commissions.create_router(),
            notifications.create_router(),
            gamification.create_router(),
            gamification.analytics_router(),
            properties.create_router(),
            talent.create_router(),
            jobs.create_router(),
            canvas_room,
            create_static_files_router(
                path="/docs/static", directories=[STATIC_DIR], opt={"exclude_from_auth": True}, include_in_schema=False
            ),
        ],
        state=State(
            {
                "services": services,
                "rooms": rooms,
                "trusted_proxies": parse_networks(settings.trusted_proxies),
                "login_throttle": LoginThrottle(
                    rate_limit_store,
                    free_failures=settings.login_failures_before_backoff,
                    base_seconds=settings.login_backoff_base_seconds,
                    max_seconds=settings.login_backoff_max_seconds,
                ),
            }
        ),
        lifespan=[lifespan],
        middleware=[request_logging, input_guard(settings.request_max_body_bytes), authentication_middleware()],
        before_send=[response_hook(production=settings.environment == "production")],
        exception_handlers=EXCEPTION_HANDLERS,  # type: ignore[arg-type]
        cors_config=CORSConfig(allow_origins=settings.cors_allow_origins, allow_credentials=False),
        openapi_config=openapi_config(settings),
        plugins=[OperationContractPlugin()],
        dependencies={"paging": Provide(paging), **service_dependencies()},
        stores={"rate_limit": rate_limit_store},
        request_max_body_size=settings.request_max_body_bytes,
        debug=False,
    )
