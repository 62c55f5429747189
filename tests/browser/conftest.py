"""The real back-office for browser tests: `reviewer run --demo` and a headless Chromium.

`desk_server` starts `reviewer run --demo --workers 2` (web server, two RQ workers, the
sweeper, an embedded Redis, SQLite) in a process group of its own under tmp_path, waits
until the log-in page answers and every demo application has been inspected, and at the
end stops it with Ctrl-C (SIGINT to the group) and checks that no redis-server, worker
or sweeper process outlives it. `browser` is Debian's Chromium driven by Playwright.
"""
from __future__ import annotations

import contextlib
import os
import signal
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
REVIEWER = str(Path(sys.executable).with_name("reviewer"))
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking"]
DEMO_COUNT = 12  # reviewer.cli.demo.load_demo's default
START_TIMEOUT = 420.0  # ~3.5 min measured on 2 busy cores: demo photos, then OCR
STOP_TIMEOUT = 30.0
UNSET = ("DATABASE_URL", "REDIS_URL", "STORAGE_DIR", "STORAGE_KEY", "AUDIT_KEYS",
         "AUDIT_CHECKPOINT_PATH", "REVIEWER_ENV",
         "SECRET_KEY", "OCR_ENGINE", "LOGIN_RATE_LIMIT")


@dataclass
class DeskServer:
    url: str
    instance: Path
    process: subprocess.Popen
    log: Path

    def query(self, sql: str, *params) -> list[tuple]:
        """Read the server's SQLite database (read-only; its WAL lets both run)."""
        database = self.instance / "reviewer.db"
        if not database.exists():
            return []
        with contextlib.closing(sqlite3.connect(f"file:{database}?mode=ro", uri=True,
                                                timeout=5)) as conn:
            try:
                return conn.execute(sql, params).fetchall()
            except sqlite3.OperationalError:  # the schema is not there yet
                return []

    def stop(self) -> set[int]:
        """Ctrl-C the process group; returns the processes that outlived it (then killed).
        Stopping twice is harmless."""
        spawned = _descendants(self.process.pid)
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGINT)
            try:
                self.process.wait(timeout=STOP_TIMEOUT)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()
        deadline = time.monotonic() + 5
        while time.monotonic() < deadline and any(_alive(pid) for pid in spawned):
            time.sleep(0.1)
        left = {pid for pid in spawned if _alive(pid)}
        for pid in left:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
        return left

    def log_tail(self, lines: int = 40) -> str:
        return "\n".join(self.log.read_text(errors="replace").splitlines()[-lines:])


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=2) as response:
            return response.status == 200
    except (urllib.error.URLError, OSError):
        return False


def _uninspected(server: DeskServer) -> int | None:
    """Demo applications not yet through inspection; None until all were taken in."""
    rows = server.query("SELECT status FROM applications WHERE external_id LIKE 'DEMO-%'")
    if len(rows) < DEMO_COUNT:
        return None
    return sum(status in ("submitted", "inspecting") for (status,) in rows)


def _wait_until_ready(server: DeskServer) -> None:
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            pytest.fail(f"reviewer run exited ({server.process.returncode}):\n"
                        f"{server.log_tail()}")
        if _answers(f"{server.url}/login"):
            if not _workers_alive(server.process.pid):
                pytest.fail(f"the workers of reviewer run are gone:\n{server.log_tail()}")
            if _uninspected(server) == 0:
                return
        time.sleep(1)
    states = server.query("SELECT external_id, status FROM applications ORDER BY external_id")
    pytest.fail(f"demo applications not inspected within {START_TIMEOUT:.0f} s: {states}\n"
                f"{server.log_tail()}")


def _descendants(pid: int) -> set[int]:
    """Every live process below pid (children of children too), read from /proc."""
    parents: dict[int, int] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            parents[int(entry.name)] = int(stat.rsplit(")", 1)[1].split()[1])
    found, frontier = set(), {pid}
    while frontier:
        frontier = {child for child, parent in parents.items() if parent in frontier} - found
        found |= frontier
    return found


def _workers_alive(pid: int) -> bool:
    """Whether a `reviewer worker` process still runs under pid."""
    for child in _descendants(pid):
        try:
            command = Path(f"/proc/{child}/cmdline").read_bytes().split(b"\0")
        except OSError:
            continue
        if b"worker" in command and _alive(child):
            return True
    return False


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def _keep_ctrl_c() -> None:
    """A background shell ignores SIGINT and children inherit that; Ctrl-C must stop us."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)


@contextlib.contextmanager
def running_server(folder: Path):
    """`reviewer run --demo --workers 2` under folder, ready; stopped on leaving."""
    instance = folder / "instance"
    env = {k: v for k, v in os.environ.items() if k not in UNSET}
    env.update({"INSTANCE_DIR": str(instance), "OMP_NUM_THREADS": "1",
                "PYTHONUNBUFFERED": "1"})
    port = _free_port()
    log = folder / "server.log"
    with open(log, "wb") as out:
        process = subprocess.Popen(
            [REVIEWER, "run", "--demo", "--workers", "2", "--port", str(port)], cwd=folder,
            env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True,
            preexec_fn=_keep_ctrl_c)
    server = DeskServer(f"http://127.0.0.1:{port}", instance, process, log)
    try:
        _wait_until_ready(server)
        yield server
    finally:
        server.stop()


@pytest.fixture
def desk_server(tmp_path):
    with running_server(tmp_path) as server:
        yield server


@pytest.fixture(scope="module")
def shared_desk_server(tmp_path_factory):
    """One demo server for every test of a module (its start takes minutes)."""
    with running_server(tmp_path_factory.mktemp("desk")) as server:
        yield server


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: install Debian's chromium (./dev test does)")
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, headless=True,
                                              args=CHROMIUM_ARGS)
        try:
            yield chromium
        finally:
            chromium.close()


@pytest.fixture
def screenshots() -> Path:
    folder = ROOT / "artifacts" / "browser"
    folder.mkdir(parents=True, exist_ok=True)
    for old in folder.glob("*.png"):  # numbered anew on every run
        old.unlink()
    return folder


@pytest.fixture(scope="session")
def desk_screenshots() -> Path:
    """artifacts/screenshots/: the review desk's pages at 1366x768, named by test."""
    folder = ROOT / "artifacts" / "screenshots"
    folder.mkdir(parents=True, exist_ok=True)
    return folder
