"""Load one canvas room: N editors, R ops/s in total for D seconds.

Starts the app (`app run`) on loopback against DATABASE_URL, or a throwaway
PostgreSQL when unset, then connects N websocket editors to one campaign and
spreads ops round-robin across them at a steady rate. Reports how many op
messages were delivered (every editor must see every op: its own as an ack,
the others' as ops) and the send -> receive latency percentiles.

    .venv/bin/python bench/canvas_room.py --editors 50 --rate 200 --seconds 10
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import statistics
import subprocess
import sys
import time
from contextlib import ExitStack, suppress
from pathlib import Path

import httpx
from websockets.asyncio.client import connect

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from app.adapters.postgres.embedded import EmbeddedPostgres  # noqa: E402


def free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


async def run(args: argparse.Namespace, base_urls: list[str]) -> dict[str, object]:
    base_url = base_urls[0]
    async with httpx.AsyncClient(base_url=base_url, timeout=30) as http:
        password = "Load-Test-Passw0rd!"
        await http.post(
            "/api/auth/register",
            json={
                "username": "bench",
                "email": "bench@example.com",
                "password": password,
                "password_confirm": password,
            },
        )
        token = (await http.post("/api/auth/login", json={"login": "bench", "password": password})).json()[
            "access_token"
        ]
        headers = {"Authorization": f"Bearer {token}"}
        campaign = (await http.post("/api/campaigns", headers=headers, json={"name": "bench"})).json()

    # Editors alternate between the app processes (with Redis carrying the room between them).
    ws_urls = [f"{url.replace('http', 'ws', 1)}/ws/campaigns/{campaign['id']}?token={token}" for url in base_urls]
    sockets = [await connect(ws_urls[n % len(ws_urls)], max_size=2**24) for n in range(args.editors)]
    for ws in sockets:
        while json.loads(await ws.recv())["type"] != "snapshot":
            pass

    total_ops = args.rate * args.seconds
    sent_at: dict[str, float] = {}
    latencies: list[float] = []
    delivered = 0
    expected = total_ops * args.editors
    done = asyncio.Event()

    orders: dict[int, list[int]] = {n: [] for n in range(len(sockets))}

    async def reader(n: int, ws) -> None:
        nonlocal delivered
        async for raw in ws:
            message = json.loads(raw)
            if message["type"] in ("op", "ack"):
                delivered += 1
                orders[n].append(message["version"])
                latencies.append(time.perf_counter() - sent_at[message["client_op_id"]])
                if delivered >= expected:
                    done.set()
            elif message["type"] == "error":
                print("server error:", message, file=sys.stderr)

    readers = [asyncio.create_task(reader(n, ws)) for n, ws in enumerate(sockets)]
    started = time.perf_counter()
    for n in range(total_ops):
        target = started + n / args.rate
        delay = target - time.perf_counter()
        if delay > 0:
            await asyncio.sleep(delay)
        op_id = f"op-{n}"
        sent_at[op_id] = time.perf_counter()
        layer = {"id": f"l{n % 200}", "type": "rect", "props": {"x": n, "y": n}}
        op = (
            {"kind": "add_layer", "layer": layer}
            if n < 200
            else {"kind": "update_layer", "layer_id": layer["id"], "props": {"x": n}}
        )
        await sockets[n % args.editors].send(json.dumps({"type": "op", "client_op_id": op_id, "op": op}))
    send_seconds = time.perf_counter() - started
    with suppress(TimeoutError):
        await asyncio.wait_for(done.wait(), timeout=args.drain_timeout)
    elapsed = time.perf_counter() - started
    for task in readers:
        task.cancel()
    for ws in sockets:
        await ws.close()
    ordered = sorted(latencies)

    def pct(p: float) -> float:
        return round(ordered[min(len(ordered) - 1, int(p * len(ordered)))] * 1000, 1) if ordered else float("nan")

    versions_in_order = all(order == orders[0] for order in orders.values()) and orders[0] == sorted(orders[0])
    return {
        "processes": len(base_urls),
        "editors": args.editors,
        "same_version_order_everywhere": versions_in_order,
        "ops_sent": total_ops,
        "target_rate_ops_s": args.rate,
        "achieved_send_rate_ops_s": round(total_ops / send_seconds, 1),
        "deliveries_expected": expected,
        "deliveries": delivered,
        "all_delivered": delivered == expected,
        "latency_ms_p50": pct(0.50),
        "latency_ms_p99": pct(0.99),
        "latency_ms_max": pct(1.0),
        "latency_ms_mean": round(statistics.fmean(latencies) * 1000, 1) if latencies else None,
        "elapsed_s": round(elapsed, 2),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--editors", type=int, default=50)
    parser.add_argument("--rate", type=int, default=200, help="ops per second, all editors together")
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--drain-timeout", type=float, default=30.0)
    parser.add_argument(
        "--processes", type=int, default=1, help="app processes sharing the room through Redis (REDIS_URL or local)"
    )
    args = parser.parse_args()

    with ExitStack() as stack:
        database_url = os.environ.get("DATABASE_URL")
        if not database_url:
            print("starting a throwaway PostgreSQL ...", file=sys.stderr)
            database_url = stack.enter_context(EmbeddedPostgres()).url
        env = {
            **os.environ,
            "DATABASE_URL": database_url,
            "LOG_LEVEL": "WARNING",
            "AUTH_RATE_LIMIT_PER_MINUTE": "1000",
            "MAIL_OUTBOX_DIR": str(ROOT / ".var" / "bench-mail"),
            # One bench user opens every socket: lift the per-user cap of a room (a product quota, not load).
            "WS_SOCKETS_PER_USER_PER_ROOM": str(max(args.editors, 10)),
        }
        if args.processes > 1:
            env["REDIS_URL"] = os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/15")
            env["JWT_SECRET"] = "bench-shared-secret-" + "x" * 32  # every process accepts the same tokens
        base_urls = []
        for n in range(args.processes):
            port = free_port()
            command = [sys.executable, "-m", "app.entrypoints.cli", "run", "--port", str(port)]
            if n > 0:
                command.append("--no-migrate")
                time.sleep(3)  # the first process migrates the database
            server = subprocess.Popen(command, env=env, cwd=ROOT)
            stack.callback(server.wait, 30)
            stack.callback(server.terminate)
            base_urls.append(f"http://127.0.0.1:{port}")
        for base_url in base_urls:
            deadline = time.monotonic() + 60
            while True:
                try:
                    if httpx.get(f"{base_url}/health", timeout=1).status_code == 200:
                        break
                except httpx.HTTPError:
                    pass
                if time.monotonic() > deadline:
                    raise SystemExit("server did not start")
                time.sleep(0.2)
        print(f"running: {args.editors} editors, {args.rate} ops/s for {args.seconds} s ...", file=sys.stderr)
        result = asyncio.run(run(args, base_urls))
        print(json.dumps(result, indent=2))
        if not result["all_delivered"] or not result["same_version_order_everywhere"]:
            raise SystemExit(1)


if __name__ == "__main__":
    main()
