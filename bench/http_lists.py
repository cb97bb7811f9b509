"""Atelier against its bare twin (bench/twin.py) on the hot HTTP paths, in one run.

    .venv/bin/python bench/http_lists.py [--seconds 10] [--runs 3] [--connections 64]

Starts everything itself: a fresh database on DATABASE_URL's server (or a throwaway PostgreSQL when
DATABASE_URL is unset), the schema, the data set of the performance issue (one member with 1,000
campaigns plus 100 members with 100 each, an admin), Atelier (`app run`, one process) and the twin,
each server pinned to CPU 0 and the load generator (wrk, installed with apt when missing) to CPU 1.
For each case it reports req/s and the server's CPU milliseconds per request (from /proc), Atelier's
figure as a ratio of the twin's, and min / median / max over the runs.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from app.adapters.postgres.embedded import EmbeddedPostgres  # noqa: E402

PASSWORD = "Bench-Passw0rd!-long"
JWT_SECRET = "bench-secret-" + "x" * 40
POST_LUA = """
wrk.method = "POST"
wrk.body = '{"name": "Bench campaign", "description": "made by wrk"}'
wrk.headers["Content-Type"] = "application/json"
"""


def users_sql(prefix: str, count: int) -> str:
    """Insert `count` active, verified members named `<prefix>1..N` (no password: they never sign in)."""
    return f"""
        INSERT INTO users (id, username, email, first_name, last_name, role, is_active, is_guest, email_verified,
                           phone, bio, location, website, github_url, linkedin_url, twitter_url, goals, skills,
                           avatar_url, created_at, updated_at)
        SELECT gen_random_uuid(), '{prefix}' || g, '{prefix}' || g || '@example.com', '', '', 'member', true, false,
               true, '', '', '', '', '', '', '', '', '{{}}', '', now(), now()
        FROM generate_series(1, {count}) AS g ON CONFLICT DO NOTHING;
    """


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def ensure_wrk() -> str:
    found = shutil.which("wrk")
    if found:
        return found
    subprocess.run(["apt-get", "install", "-y", "wrk"], check=True, capture_output=True)
    return shutil.which("wrk") or "wrk"


@contextlib.contextmanager
def database() -> Iterator[str]:
    """A fresh database: on DATABASE_URL's server when set, else a throwaway PostgreSQL."""
    base = os.environ.get("DATABASE_URL")
    with contextlib.ExitStack() as stack:
        if not base:
            base = stack.enter_context(EmbeddedPostgres()).url
        admin = re.sub(r"\+asyncpg", "", base)
        name = f"atelier_bench_{os.getpid()}"
        subprocess.run(["psql", admin, "-qc", f"CREATE DATABASE {name}"], check=True)
        try:
            yield re.sub(r"/[^/]*$", f"/{name}", base)
        finally:
            subprocess.run(["psql", admin, "-qc", f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"], check=False)


def environment(url: str, port: int) -> dict[str, str]:
    return {
        **os.environ,
        "DATABASE_URL": url,
        "JWT_SECRET": JWT_SECRET,
        "PORT": str(port),
        "LOG_LEVEL": "WARNING",
        "ARGON2_TIME_COST": "1",
        "ARGON2_MEMORY_KIB": "8",
        "ARGON2_PARALLELISM": "1",
        "AUTH_RATE_LIMIT_PER_MINUTE": "100000",
    }


@contextlib.contextmanager
def server(command: list[str], env: dict[str, str], port: int) -> Iterator[subprocess.Popen[bytes]]:
    process = subprocess.Popen(["taskset", "-c", "0", *command], env=env, cwd=ROOT)
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            with contextlib.suppress(httpx.HTTPError):
                httpx.get(f"http://127.0.0.1:{port}/api/campaigns", timeout=1)
                break
            time.sleep(0.2)
        else:
            raise RuntimeError(f"{command} did not start")
        yield process
    finally:
        process.terminate()
        with contextlib.suppress(subprocess.TimeoutExpired):
            process.wait(10)
        process.kill()


def cpu_seconds(pid: int) -> float:
    """User + system CPU of the process (all its threads) and its waited-for children."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return sum(int(x) for x in fields[11:15]) / os.sysconf("SC_CLK_TCK")  # utime, stime, cutime, cstime


def seed(url: str, base_url: str) -> dict[str, str]:
    """Users through the API (real password hashes, real sessions); campaigns in bulk with SQL."""
    with httpx.Client(base_url=base_url, timeout=30) as http:
        for username in ["heavy", *(f"member{i}" for i in range(100))]:
            http.post(
                "/api/auth/register",
                json={
                    "username": username,
                    "email": f"{username}@example.com",
                    "password": PASSWORD,
                    "password_confirm": PASSWORD,
                },
            ).raise_for_status()
        tokens = {
            name: http.post("/api/auth/login", json={"login": name, "password": PASSWORD}).json()["access_token"]
            for name in ("heavy", "member0")
        }
    sql = """
        INSERT INTO campaigns (id, owner_id, name, description, status, ai_status, created_at, updated_at)
        SELECT gen_random_uuid(), u.id, 'Campaign number ' || g, 'Lease-up campaign ' || g, 'draft', 'idle',
               now() - g * interval '1 minute', now()
        FROM users u, generate_series(1, CASE WHEN u.username = 'heavy' THEN 1000 ELSE 100 END) AS g;
        ANALYZE;
    """
    subprocess.run(["psql", re.sub(r"\+asyncpg", "", url), "-qc", sql], check=True)
    return tokens


def load(wrk: str, url: str, token: str, seconds: int, connections: int, script: str | None) -> float:
    command = [
        "taskset",
        "-c",
        "1",
        wrk,
        "-t1",
        f"-c{connections}",
        f"-d{seconds}s",
        "-H",
        f"Authorization: Bearer {token}",
    ]
    if script:
        command += ["-s", script]
    output = subprocess.run([*command, url], check=True, capture_output=True, text=True).stdout
    if "Non-2xx" in output:
        raise RuntimeError(f"errors under load:\n{output}")
    return float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))  # type: ignore[union-attr]


def measure(
    wrk: str, process: subprocess.Popen[bytes], url: str, token: str, args: argparse.Namespace, script: str | None
) -> tuple[float, float]:
    before = cpu_seconds(process.pid)
    rate = load(wrk, url, token, args.seconds, args.connections, script)
    used = cpu_seconds(process.pid) - before
    return rate, used * 1000 / (rate * args.seconds)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--connections", type=int, default=64)
    args = parser.parse_args()
    wrk = ensure_wrk()
    with tempfile.TemporaryDirectory() as tmp, database() as url:
        post_lua = Path(tmp, "post.lua")
        post_lua.write_text(POST_LUA)
        subprocess.run(
            [sys.executable, "-m", "app.entrypoints.cli", "db", "upgrade"],
            env=environment(url, 0),
            check=True,
            cwd=ROOT,
        )
        app_port, twin_port = free_port(), free_port()
        results: dict[str, dict[str, list[tuple[float, float]]]] = {}
        with server(
            [str(ROOT / ".venv/bin/app"), "run", "--no-migrate", "--port", str(app_port)],
            environment(url, app_port),
            app_port,
        ) as app:
            tokens = seed(url, f"http://127.0.0.1:{app_port}")
            twin_cmd = [
                sys.executable,
                "-m",
                "uvicorn",
                "bench.twin:app",
                "--port",
                str(twin_port),
                "--log-level",
                "warning",
                "--no-access-log",
            ]
            with server(twin_cmd, environment(url, twin_port), twin_port) as twin:
                # Reads first, by the member with 1,000 campaigns; writes by another member, so the
                # rows they add do not change what the reads measure. Runs alternate the two servers.
                cases = [
                    ("GET /api/campaigns", tokens["heavy"], None),
                    ("POST /api/campaigns", tokens["member0"], str(post_lua)),
                ]
                for case, token, script in cases:
                    for _ in range(args.runs):
                        for name, process, port in (("atelier", app, app_port), ("twin", twin, twin_port)):
                            url_ = f"http://127.0.0.1:{port}/api/campaigns"
                            results.setdefault(case, {}).setdefault(name, []).append(
                                measure(wrk, process, url_, token, args, script)
                            )
    print(f"\n{args.runs} runs of {args.seconds} s, wrk -c{args.connections}, servers on CPU 0, wrk on CPU 1\n")
    print("| case | twin req/s | Atelier req/s | Atelier / twin (min / med / max) | CPU ms/req twin | Atelier |")
    print("|---|---:|---:|---:|---:|---:|")
    for case, by_server in results.items():
        ratios = [a[0] / t[0] for a, t in zip(by_server["atelier"], by_server["twin"], strict=True)]
        med = statistics.median
        twin_rate, app_rate = med(r for r, _ in by_server["twin"]), med(r for r, _ in by_server["atelier"])
        print(
            f"| `{case}` | {twin_rate:,.0f} | {app_rate:,.0f} "
            f"| {min(ratios):.0%} / {med(ratios):.0%} / {max(ratios):.0%} "
            f"| {med(c for _, c in by_server['twin']):.2f} | {med(c for _, c in by_server['atelier']):.2f} |"
        )


if __name__ == "__main__":
    main()
