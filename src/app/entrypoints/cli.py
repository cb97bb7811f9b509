"""`app` command: run, worker, db upgrade/downgrade/revision, create-admin."""

from __future__ import annotations

import asyncio
import signal
import sys
from contextlib import ExitStack

import click

from app.core.settings import Settings, SettingsError


def _settings(**overrides: object) -> Settings:
    try:
        return Settings.from_env(**overrides)
    except SettingsError as exc:
        raise click.ClickException(str(exc)) from exc


def _require_database(settings: Settings) -> None:
    if not settings.database_url:
        raise click.ClickException("DATABASE_URL is not set.")


@click.group(help="Atelier backend.")
def main() -> None:
    pass


@main.command(help="Serve the API (and, without REDIS_URL, the job worker) on HOST:PORT.")
@click.option("--host", default=None, help="Bind address (default: HOST or 127.0.0.1)")
@click.option("--port", type=int, default=None, help="Port (default: PORT or 8000)")
@click.option("--no-migrate", is_flag=True, help="Skip applying migrations at start")
def run(host: str | None, port: int | None, no_migrate: bool) -> None:
    import uvicorn

    from app.adapters.postgres import migrate
    from app.adapters.postgres.embedded import EmbeddedPostgres, EmbeddedPostgresError
    from app.entrypoints.app import create_app

    settings = _settings()
    # uvicorn re-raises the SIGTERM it handled once it has shut down; with the default
    # handler that kills us before the throwaway Postgres is stopped. Exit cleanly instead.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    with ExitStack() as stack:
        if not settings.database_url:
            click.echo("DATABASE_URL is unset: starting a throwaway local PostgreSQL ...", err=True)
            try:
                pg = stack.enter_context(EmbeddedPostgres())
            except EmbeddedPostgresError as exc:
                raise click.ClickException(str(exc)) from exc
            click.echo(f"  PostgreSQL ready at {pg.url} (data is discarded on exit)", err=True)
            settings = _settings(database_url=pg.url)
        if not no_migrate:
            click.echo("Applying migrations ...", err=True)
            migrate.upgrade(settings.database_url)
        worker = "in-process worker" if settings.worker_in_process else "jobs go to `app worker`"
        click.echo(
            f"Serving http://{host or settings.host}:{port or settings.port} (docs at /docs, {worker})", err=True
        )
        uvicorn.run(
            create_app(settings),
            host=host or settings.host,
            port=port or settings.port,
            log_level=settings.log_level.lower(),
            access_log=False,
            # The app decides whose X-Forwarded-For to believe (TRUSTED_PROXIES); uvicorn must not rewrite the peer.
            proxy_headers=False,
            # Canvas rooms fan out many small frames; per-message deflate costs more CPU than it saves here.
            ws_per_message_deflate=False,
            ws_max_size=1024 * 1024,
        )


@main.command(help="Run the job worker (SAQ) and outbox relay until SIGTERM/SIGINT.")
def worker() -> None:
    from app.core.logging import configure_logging
    from app.entrypoints.app import build_services
    from app.entrypoints.jobs.worker import JobRunner

    settings = _settings()
    _require_database(settings)
    configure_logging(settings.log_level, json=settings.log_json)

    async def _main() -> None:
        services = build_services(settings)
        task = asyncio.ensure_future(JobRunner(services).run_until_cancelled())
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGTERM, signal.SIGINT):
            loop.add_signal_handler(sig, task.cancel)
        try:
            await task
        except asyncio.CancelledError:
            pass
        finally:
            await services.engine.dispose()

    asyncio.run(_main())


@main.group(help="Database schema migrations.")
def db() -> None:
    pass


@db.command("upgrade", help="Apply migrations up to REVISION (default: head).")
@click.argument("revision", default="head")
def db_upgrade(revision: str) -> None:
    from app.adapters.postgres import migrate

    settings = _settings()
    _require_database(settings)
    migrate.upgrade(settings.database_url, revision)
    click.echo(f"Database upgraded to {revision}.")


@db.command("downgrade", help="Revert migrations down to REVISION (e.g. -1 or base).")
@click.argument("revision")
def db_downgrade(revision: str) -> None:
    from app.adapters.postgres import migrate

    settings = _settings()
    _require_database(settings)
    migrate.downgrade(settings.database_url, revision)
    click.echo(f"Database downgraded to {revision}.")


@db.command("revision", help="Autogenerate a new migration from the table models.")
@click.option("-m", "--message", required=True)
def db_revision(message: str) -> None:
    from app.adapters.postgres import migrate

    settings = _settings()
    _require_database(settings)
    migrate.alembic_commands(settings.database_url).revision(message=message, autogenerate=True)


@main.command("create-admin", help="Create an administrator account.")
@click.option("--username", required=True)
@click.option("--email", required=True)
@click.option(
    "--password",
    envvar="ADMIN_PASSWORD",
    prompt=True,
    hide_input=True,
    confirmation_prompt=True,
    help="Prompted for when not given (or set ADMIN_PASSWORD).",
)
def create_admin(username: str, email: str, password: str) -> None:
    from app.core.errors import AppError
    from app.entrypoints.app import build_services

    settings = _settings()
    _require_database(settings)

    async def _main() -> None:
        services = build_services(settings)
        try:
            user = await services.accounts.create_admin(username=username, email=email, password=password)
            click.echo(f"Admin {user.username} created (id {user.id}).")
        finally:
            await services.engine.dispose()

    try:
        asyncio.run(_main())
    except AppError as exc:
        details = "; ".join(f"{e.field}: {e.message}" for e in exc.errors)
        raise click.ClickException(f"{exc.detail} {details}".strip()) from exc


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
