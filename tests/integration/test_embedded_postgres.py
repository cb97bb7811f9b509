"""The throwaway PostgreSQL is cleaned up even when its owner died without stopping it."""

from __future__ import annotations

import subprocess
import sys

import psycopg

from app.adapters.postgres.embedded import OWNER_FILE, EmbeddedPostgres, sweep_orphans


def test_orphaned_cluster_of_a_dead_owner_is_swept():
    pg = EmbeddedPostgres()
    pg.start()
    dead = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True, check=True
    )
    (pg.root / OWNER_FILE).write_text(dead.stdout.strip())  # as if the owner had been SIGKILLed
    with psycopg.connect(pg.url) as conn:
        assert conn.execute("SELECT 1").fetchone() == (1,)
    assert sweep_orphans() >= 1
    assert not pg.root.exists()


def test_live_owners_clusters_are_left_alone():
    with EmbeddedPostgres() as pg:
        sweep_orphans()
        with psycopg.connect(pg.url) as conn:
            assert conn.execute("SELECT 1").fetchone() == (1,)
