"""The other hot reads: server CPU per request (goal: at most 1 ms) and req/s, one Atelier process.

    .venv/bin/python bench/hot_reads.py [--seconds 10] [--runs 3]

Same harness as http_lists.py (fresh database, `app run` on CPU 0, wrk on CPU 1). Data: a reader who
follows 200 creators with 50 posts each (10,000 posts, one in ten tier-only), 1,000 public prompt
templates, 1,000 open jobs, 200 notifications for the reader.
"""

from __future__ import annotations

import argparse
import re
import statistics
import subprocess
import sys
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.http_lists import (  # noqa: E402
    PASSWORD,
    ROOT,
    database,
    ensure_wrk,
    environment,
    free_port,
    measure,
    server,
    users_sql,
)

SEED = (
    users_sql("creator", 200)
    + """
INSERT INTO creator_profiles (user_id, display_name, bio, category, avatar_url, created_at)
SELECT id, 'Creator ' || username, '', 'art', '', now() FROM users WHERE username LIKE 'creator%';
INSERT INTO billing_plans (id, owner_id, name, description, benefits, amount_minor, currency, interval,
                           gateway_plan_id, active, created_at)
SELECT gen_random_uuid(), id, 'Gold', '', '[]', 9900, 'INR', 'monthly', 'plan_' || username, true, now()
FROM users WHERE username LIKE 'creator%';
INSERT INTO posts (id, creator_id, title, body, visibility, media_ids, created_at, updated_at)
SELECT gen_random_uuid(), u.id, 'Post ' || g || ' by ' || u.username, repeat('Words. ', 40),
       CASE WHEN g % 10 = 0 THEN 'tiers' ELSE 'public' END, '{}', now() - random() * interval '365 days', now()
FROM users u, generate_series(1, 50) AS g WHERE u.username LIKE 'creator%';
INSERT INTO post_tiers (post_id, plan_id)
SELECT p.id, pl.id FROM posts p JOIN billing_plans pl ON pl.owner_id = p.creator_id WHERE p.visibility = 'tiers';
INSERT INTO follows (follower_id, creator_id, created_at)
SELECT r.id, c.id, now() FROM users r, users c WHERE r.username = 'reader' AND c.username LIKE 'creator%';
INSERT INTO prompt_templates (id, owner_id, title, description, category, is_public, version, body, created_at,
                              updated_at)
SELECT gen_random_uuid(), c.id, 'Template ' || g || ' for ad copy', 'Writes ad copy', 'marketing', true, 1,
       'Write an ad for {{product}}', now() - g * interval '1 minute', now()
FROM users c, generate_series(1, 5) AS g WHERE c.username LIKE 'creator%';
INSERT INTO jobs (id, poster_id, title, company, job_type, location_type, location, description, salary_min,
                  salary_max, currency, skills, open, created_at)
SELECT gen_random_uuid(), c.id, CASE WHEN g % 2 = 0 THEN 'Python developer ' ELSE 'Designer ' END || g, 'Acme',
       'full_time', 'remote', '', 'Build things', 100000, 200000, 'USD', '{python}', true,
       now() - g * interval '1 minute'
FROM users c, generate_series(1, 5) AS g WHERE c.username LIKE 'creator%';
INSERT INTO notifications (id, user_id, kind, actor_id, target_id, data, created_at)
SELECT gen_random_uuid(), r.id, 'new_post', c.id, NULL, '{"title": "A post"}', now() - g * interval '1 minute'
FROM users r, users c, generate_series(1, 1) AS g WHERE r.username = 'reader' AND c.username LIKE 'creator%';
ANALYZE;
"""
)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--connections", type=int, default=64)
    args = parser.parse_args()
    wrk = ensure_wrk()
    with database() as url:
        subprocess.run(
            [sys.executable, "-m", "app.entrypoints.cli", "db", "upgrade"],
            env=environment(url, 0),
            check=True,
            cwd=ROOT,
        )
        port = free_port()
        command = [str(ROOT / ".venv/bin/app"), "run", "--no-migrate", "--port", str(port)]
        with server(command, environment(url, port), port) as app:
            base = f"http://127.0.0.1:{port}"
            with httpx.Client(base_url=base, timeout=30) as http:
                http.post(
                    "/api/auth/register",
                    json={
                        "username": "reader",
                        "email": "reader@example.com",
                        "password": PASSWORD,
                        "password_confirm": PASSWORD,
                    },
                ).raise_for_status()
                subprocess.run(["psql", re.sub(r"\+asyncpg", "", url), "-qc", SEED], check=True)
                token = http.post("/api/auth/login", json={"login": "reader", "password": PASSWORD}).json()[
                    "access_token"
                ]
                headers = {"Authorization": f"Bearer {token}"}
                feed = http.get("/api/feed?limit=20", headers=headers).json()["items"]
                public = next(p for p in feed if not p["locked"])
                gated = http.get("/api/search?q=Post%2010%20by", headers=headers).json()["posts"]
                locked = next((p for p in gated if p["locked"]), public)
            cases = [
                ("feed page (`GET /api/feed`)", "/api/feed?limit=20"),
                ("a public post", f"/api/posts/{public['id']}"),
                ("a tier-only post, locked for the reader", f"/api/posts/{locked['id']}"),
                ("template search (`q=ad copy`)", "/api/prompt-templates?q=ad%20copy"),
                ("job search (`q=python`)", "/api/jobs?q=python"),
                ("notifications list", "/api/notifications"),
            ]
            results: dict[str, list[tuple[float, float]]] = {}
            for label, path in cases:
                for _ in range(args.runs):
                    results.setdefault(label, []).append(measure(wrk, app, base + path, token, args, None))
    print(f"\n{args.runs} runs of {args.seconds} s, wrk -c{args.connections}, server on CPU 0, wrk on CPU 1\n")
    print("| read | req/s (median) | CPU ms/req (min / median / max) |")
    print("|---|---:|---:|")
    for label, runs in results.items():
        cpu = [c for _, c in runs]
        print(
            f"| {label} | {statistics.median(r for r, _ in runs):,.0f} "
            f"| {min(cpu):.2f} / {statistics.median(cpu):.2f} / {max(cpu):.2f} |"
        )


if __name__ == "__main__":
    main()
