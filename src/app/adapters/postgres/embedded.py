"""A throwaway PostgreSQL server started from the machine's own binaries.

Used by `make run` when DATABASE_URL is unset and by the tests when no server is
configured. initdb refuses to run as root, so as root the cluster is owned by
and run as `nobody`.
"""

from __future__ import annotations

import glob
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
from pathlib import Path


class EmbeddedPostgresError(RuntimeError):
    pass


def find_pg_bin() -> Path:
    candidates: list[str] = []
    if os.environ.get("PG_BIN"):
        candidates.append(os.environ["PG_BIN"])
    candidates += sorted(glob.glob("/usr/lib/postgresql/*/bin"), key=lambda p: int(Path(p).parent.name), reverse=True)
    candidates += sorted(glob.glob("/usr/local/pgsql/bin")) + sorted(glob.glob("/opt/homebrew/opt/postgresql*/bin"))
    on_path = shutil.which("initdb")
    if on_path:
        candidates.append(str(Path(on_path).parent))
    for directory in candidates:
        if (Path(directory) / "initdb").exists() and (Path(directory) / "pg_ctl").exists():
            return Path(directory)
    raise EmbeddedPostgresError(
        "No PostgreSQL server binaries found (looked for initdb/pg_ctl). Install PostgreSQL "
        "(e.g. `apt-get install postgresql`), set PG_BIN, or set DATABASE_URL."
    )


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


PREFIX = "atelier-pg-"
OWNER_FILE = "owner.pid"


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def sweep_orphans(tmp_root: str | None = None) -> int:
    """Stop and delete throwaway clusters whose owning process died without cleaning up
    (SIGKILL, power loss). Returns how many were removed."""
    removed = 0
    for root in Path(tmp_root or tempfile.gettempdir()).glob(f"{PREFIX}*"):
        owner = root / OWNER_FILE
        try:
            pid = int(owner.read_text())
        except (OSError, ValueError):
            continue
        if _alive(pid):
            continue
        if (root / "data" / "postmaster.pid").exists():
            subprocess.run(
                [str(find_pg_bin() / "pg_ctl"), "-D", str(root / "data"), "-m", "immediate", "-w", "stop"],
                capture_output=True,
                check=False,
                preexec_fn=_demote_to_owner(root),
            )
        shutil.rmtree(root, ignore_errors=True)
        removed += 1
    return removed


def _demote_to_owner(root: Path):  # noqa: ANN202 - preexec callable
    stat = root.stat()

    def preexec() -> None:  # pragma: no cover - runs in the child
        if os.geteuid() == 0 and stat.st_uid != 0:
            os.setgid(stat.st_gid)
            os.setuid(stat.st_uid)

    return preexec


class EmbeddedPostgres:
    def __init__(self, *, port: int | None = None, keep: bool = False) -> None:
        sweep_orphans()
        self.bin = find_pg_bin()
        self.port = port or _free_port()
        self.keep = keep
        self.root = Path(tempfile.mkdtemp(prefix=PREFIX))
        (self.root / OWNER_FILE).write_text(str(os.getpid()))
        self.data = self.root / "data"
        self.log = self.root / "postgres.log"
        self._demote: tuple[int, int] | None = None
        if os.geteuid() == 0:
            nobody = pwd.getpwnam("nobody")
            self._demote = (nobody.pw_uid, nobody.pw_gid)
            os.chown(self.root, *self._demote)

    @property
    def url(self) -> str:
        return f"postgresql://postgres@127.0.0.1:{self.port}/postgres"

    def _run(self, *args: str) -> None:
        demote = self._demote

        def preexec() -> None:  # pragma: no cover - runs in the child
            if demote is not None:
                os.setgid(demote[1])
                os.setuid(demote[0])

        result = subprocess.run(
            [str(self.bin / args[0]), *args[1:]],
            preexec_fn=preexec,
            cwd=self.root,
            capture_output=True,
            text=True,
            check=False,
        )
        if result.returncode != 0:
            tail = self.log.read_text()[-2000:] if self.log.exists() else ""
            raise EmbeddedPostgresError(f"{args[0]} failed: {result.stderr.strip()}\n{tail}")

    def start(self) -> str:
        self._run(
            "initdb",
            "-D",
            str(self.data),
            "-U",
            "postgres",
            "-A",
            "trust",
            "-E",
            "UTF8",
            "--no-sync",
            "--no-instructions",
        )
        return self.start_server()

    def start_server(self) -> str:
        """Start (or restart after `stop_server`) the server on the existing data directory."""
        options = (
            f"-p {self.port} -k {self.root} -c listen_addresses=127.0.0.1 "
            "-c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200"
        )
        self._run("pg_ctl", "-D", str(self.data), "-o", options, "-l", str(self.log), "-w", "-t", "30", "start")
        return self.url

    def stop_server(self) -> None:
        """Stop the server but keep its data (fault tests; `start_server` brings it back)."""
        self._run("pg_ctl", "-D", str(self.data), "-m", "fast", "-w", "stop")

    def server_pids(self) -> list[int]:
        """The postmaster and every backend it forked (to freeze the whole server with SIGSTOP)."""
        postmaster = int((self.data / "postmaster.pid").read_text().split()[0])
        pids = [postmaster]
        for stat in Path("/proc").glob("[0-9]*/stat"):
            try:
                fields = stat.read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == postmaster:
                pids.append(int(stat.parent.name))
        return pids

    def stop(self) -> None:
        try:
            if (self.data / "postmaster.pid").exists():
                self._run("pg_ctl", "-D", str(self.data), "-m", "immediate", "-w", "stop")
        finally:
            if not self.keep:
                shutil.rmtree(self.root, ignore_errors=True)

    def __enter__(self) -> EmbeddedPostgres:
        self.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.stop()
