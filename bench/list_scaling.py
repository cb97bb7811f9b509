"""Does a list's cost grow with the data? The campaigns list at 11,000 and at 1,000,000 rows, per role.

    .venv/bin/python bench/list_scaling.py [--big 1000000] [--repeat 30]

Starts Atelier on a fresh database (DATABASE_URL's server, or a throwaway PostgreSQL), registers a member
and an admin, loads the small data set (11,000 campaigns: the member's 1,000 and 100 others' 100 each),
times each request one at a time on the otherwise idle server (median of `--repeat`), then grows the
table to `--big` rows (the member keeps 1,000; the rest belong to 1,000 other users) and times the same
requests again. The goal is every case within 1.5x of its small-table time.
"""

from __future__ import annotations

import argparse
import re
import statistics
import subprocess
import sys
import time
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.http_lists import PASSWORD, ROOT, database, environment, free_port, server, users_sql  # noqa: E402

CASES = [
    ("member: first page", "heavy", "/api/campaigns"),
    ("member: page 40", "heavy", "/api/campaigns?page=40"),
    ("member: q=number 77", "heavy", "/api/campaigns?q=number%2077"),
    ("admin: first page", "boss", "/api/campaigns"),
    ("admin: page 40", "boss", "/api/campaigns?page=40"),
    ("admin: q=number 77", "boss", "/api/campaigns?q=number%2077"),
    ("admin: status=active", "boss", "/api/campaigns?status=active"),
]


def psql(url: str, sql: str) -> None:
    subprocess.run(["psql", re.sub(r"\+asyncpg", "", url), "-qc", sql], check=True)


def grow(url: str, owners: int, per_owner: int) -> None:
    psql(
        url,
        users_sql("filler", owners)
        + f"""
        INSERT INTO campaigns (id, owner_id, name, description, status, ai_status, created_at, updated_at)
        SELECT gen_random_uuid(), u.id, 'Campaign number ' || g, 'Lease-up campaign ' || g,
               CASE WHEN g % 10 = 0 THEN 'active' ELSE 'draft' END, 'idle',
               now() - random() * interval '365 days', now()
        FROM users u, generate_series(1, {per_owner}) AS g WHERE u.username LIKE 'filler%';
        ANALYZE campaigns;
        """,
    )


def time_cases(base_url: str, tokens: dict[str, str], repeat: int) -> dict[str, float]:
    timings: dict[str, float] = {}
    with httpx.Client(base_url=base_url, timeout=60) as http:
        for label, who, path in CASES:
            headers = {"Authorization": f"Bearer {tokens[who]}"}
            http.get(path, headers=headers).raise_for_status()  # warm the plan and the cache
            samples = []
            for _ in range(repeat):
                started = time.perf_counter()
                http.get(path, headers=headers).raise_for_status()
                samples.append((time.perf_counter() - started) * 1000)
            timings[label] = statistics.median(samples)
    return timings


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--big", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=30)
    args = parser.parse_args()
    with database() as url:
        env = environment(url, 0)
        subprocess.run([sys.executable, "-m", "app.entrypoints.cli", "db", "upgrade"], env=env, check=True, cwd=ROOT)
        port = free_port()
        command = [str(ROOT / ".venv/bin/app"), "run", "--no-migrate", "--port", str(port)]
        with server(command, environment(url, port), port):
            base_url = f"http://127.0.0.1:{port}"
            with httpx.Client(base_url=base_url, timeout=30) as http:
                for name in ("heavy", "boss"):
                    http.post(
                        "/api/auth/register",
                        json={
                            "username": name,
                            "email": f"{name}@x.example",
                            "password": PASSWORD,
                            "password_confirm": PASSWORD,
                        },
                    ).raise_for_status()
                psql(url, "UPDATE users SET role = 'admin' WHERE username = 'boss'")
                tokens = {
                    n: http.post("/api/auth/login", json={"login": n, "password": PASSWORD}).json()["access_token"]
                    for n in ("heavy", "boss")
                }
            psql(
                url,
                """INSERT INTO campaigns (id, owner_id, name, description, status, ai_status, created_at, updated_at)
                   SELECT gen_random_uuid(), u.id, 'Campaign number ' || g, 'Lease-up campaign ' || g,
                          CASE WHEN g % 10 = 0 THEN 'active' ELSE 'draft' END, 'idle',
                          now() - random() * interval '365 days', now()
                   FROM users u, generate_series(1, 1000) AS g WHERE u.username = 'heavy'; ANALYZE campaigns;""",
            )
            grow(url, 100, 100)
            small = time_cases(base_url, tokens, args.repeat)
            grow(url, 1000, (args.big - 11_000) // 1000)
            big = time_cases(base_url, tokens, args.repeat)
    print(f"\nmedian of {args.repeat} sequential requests, ms (11,000 rows -> {args.big:,} rows)\n")
    print("| case | 11,000 rows | big | ratio |")
    print("|---|---:|---:|---:|")
    for label, _, _ in CASES:
        print(f"| {label} | {small[label]:.1f} | {big[label]:.1f} | {big[label] / small[label]:.2f}x |")


if __name__ == "__main__":
    main()
