"""`./scripts/benchmark [--scale small|school|trust] [--json FILE]`: the whole site measured as
production serves it, against two reference pages in the same run (README "Benchmark").

1. A fresh, throw-away database: `bench_run_<pid>` on the PostgreSQL server that `DATABASE_URL`
   names, otherwise a SQLite file under `var/`. Migrated, then filled by every registered data
   generator (socialgov.benchmark.registry) with bulk inserts.
2. gunicorn (2 workers) with production settings (`DJANGO_ENV=production`, DEBUG off) and the
   benchmark's settings (the reference pages), on 127.0.0.1 and a free port.
3. Sessions made directly, two-factor verified, for the person each page names.
4. Each page's query count in the large and in the small school (in this process, through
   Django's test client); then `wrk` in interleaved rounds — in every round the bare reference,
   the admin changelist, then each page — for median and 95th-percentile latency, requests per
   second and the ratio to the bare page of the same round.
5. PDFs against a bare WeasyPrint document of as many pages, imports and jobs, timed here.
6. A table with the goals (pages that miss are named), a JSON file, and everything started is
   stopped and the database dropped, whatever happens.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import re
import secrets
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR = BASE_DIR / "var"
SETTINGS = "socialgov.benchmark.settings"
WORKERS = 2
DEFAULTS = {  # rounds, seconds per measurement, connections
    "small": (1, 1.0, 2),
    "school": (3, 5.0, 4),
    "trust": (3, 5.0, 4),
}
# Requests made one after another, after the rounds, for each page's wait for one visitor.
ALONE_REQUESTS = {"small": 3, "school": 7, "trust": 7}
REPORT_LUA = """
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    '\\nWRK {"requests": %d, "duration_us": %d, "p50_us": %d, "p95_us": %d, "mean_us": %.1f, '
    .. '"status_errors": %d, "socket_errors": %d}\\n',
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(95),
    latency.mean, e.status, e.connect + e.read + e.write + e.timeout))
end
"""


def statistics_refresh() -> str:
    """Leave PostgreSQL's tables as autovacuum keeps them on a running server: planner
    statistics of the data just built, and the visibility map that lets an index answer a
    query alone (bulk inserts leave neither; a server may run with autovacuum off, as the test
    server here does). SQLite keeps none unless told to, so it is left as it runs."""
    from django.db import connection

    if connection.vendor != "postgresql":
        return ""
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")  # outside a transaction: Django runs in autocommit
    return "vacuumed, planner statistics (VACUUM ANALYZE)"


class BenchmarkError(Exception):
    """Bad input or an environment the benchmark cannot run in: a clear message, exit 1."""


# --- Arguments -------------------------------------------------------------------------------


def parse_args(argv: list[str] | None):
    from socialgov.benchmark.registry import SCALES

    parser = argparse.ArgumentParser(
        prog="./scripts/benchmark",
        description="Measure every page, PDF, import and job against a bare Django page and the "
        "admin in the same run, on a fresh throw-away database.",
    )
    parser.add_argument(
        "--scale",
        default="small",
        help="small (CI's smoke test), school (one school of 800 staff) or trust (50 schools, "
        "5,000 staff); default: small",
    )
    parser.add_argument("--json", metavar="FILE", help="also write the results to FILE as JSON")
    parser.add_argument(
        "--port", type=int, help="port for gunicorn on 127.0.0.1 (default: a free one)"
    )
    parser.add_argument("--rounds", type=int, help="interleaved measurement rounds")
    parser.add_argument("--duration", type=float, help="seconds of load per page and round")
    parser.add_argument("--connections", type=int, help="concurrent connections of wrk")
    parser.add_argument(
        "--keep-database", action="store_true", help="do not drop the database at the end"
    )
    parser.add_argument(
        "--only",
        action="append",
        metavar="TEXT",
        help="measure only the pages, PDFs, imports and jobs whose name contains TEXT (any case; "
        "repeat for several); the two reference pages are always measured",
    )
    args = parser.parse_args(argv)
    if args.scale not in SCALES:
        parser.error(
            f"unknown scale {args.scale!r}: choose one of {', '.join(SCALES)} "
            f"({'; '.join(f'{s.name}: {s.description}' for s in SCALES.values())})"
        )
    rounds, duration, connections = DEFAULTS[args.scale]
    args.rounds = rounds if args.rounds is None else args.rounds
    args.duration = duration if args.duration is None else args.duration
    args.connections = connections if args.connections is None else args.connections
    if args.rounds < 1 or args.duration <= 0 or args.connections < 1:
        parser.error("--rounds, --duration and --connections must be positive")
    if args.port is not None and not 1 <= args.port <= 65535:
        parser.error(f"--port must be between 1 and 65535, not {args.port}")
    return args


def selected(args, entries):
    """The entries `--only` names (all of them without it)."""
    only = [text.lower() for text in (getattr(args, "only", None) or [])]
    return [e for e in entries if not only or any(text in e.name.lower() for text in only)]


# --- The throw-away database -----------------------------------------------------------------


@dataclass
class Database:
    vendor: str  # "postgresql" or "sqlite"
    name: str
    env: dict[str, str]
    server_url: str = ""  # PostgreSQL: the URL with the maintenance database
    path: Path | None = None  # SQLite: the file

    @property
    def label(self) -> str:
        return (
            f"PostgreSQL ({self.name})" if self.vendor == "postgresql" else f"SQLite ({self.path})"
        )


def database_create(database_url: str | None) -> Database:
    """`bench_run_<pid>` on the server `database_url` names, or a SQLite file under var/."""
    name = f"bench_run_{os.getpid()}"
    if database_url and not database_url.startswith("sqlite"):
        parts = urlsplit(database_url)
        if parts.scheme not in ("postgres", "postgresql", "pgsql"):
            raise BenchmarkError(
                f"DATABASE_URL names a {parts.scheme!r} server; the benchmark runs on PostgreSQL "
                "or, with DATABASE_URL unset, on SQLite."
            )
        server = urlunsplit(parts._replace(path="/postgres"))
        try:
            _postgres(server, f'CREATE DATABASE "{name}"')
        except Exception as error:  # psycopg's errors: the message is what the person needs
            where = parts.hostname or "localhost"
            raise BenchmarkError(
                f"Cannot reach the PostgreSQL server DATABASE_URL names ({where}:"
                f"{parts.port or 5432}): {str(error).strip().splitlines()[0]}. Start it, fix "
                "DATABASE_URL, or unset DATABASE_URL to benchmark on SQLite."
            ) from None
        url = urlunsplit(parts._replace(path=f"/{name}"))
        return Database("postgresql", name, {"DATABASE_URL": url}, server_url=server)
    VAR.mkdir(exist_ok=True)
    path = VAR / f"{name}.sqlite3"
    for stale in (path, *path.parent.glob(f"{path.name}-*")):
        stale.unlink(missing_ok=True)
    return Database("sqlite", name, {"SQLITE_PATH": str(path)}, path=path)


def _postgres(server_url: str, statement: str) -> None:
    import psycopg

    with psycopg.connect(server_url, autocommit=True, connect_timeout=5) as connection:
        connection.execute(statement)


def database_drop(database: Database) -> None:
    if database.vendor == "postgresql":
        _postgres(database.server_url, f'DROP DATABASE IF EXISTS "{database.name}" WITH (FORCE)')
    elif database.path is not None:
        for path in (database.path, *database.path.parent.glob(f"{database.path.name}-*")):
            path.unlink(missing_ok=True)


# --- Environment, gunicorn -------------------------------------------------------------------


def free_port(port: int | None) -> int:
    with socket.socket() as probe:
        try:
            probe.bind(("127.0.0.1", port or 0))
        except OSError:
            raise BenchmarkError(
                f"Port {port} on 127.0.0.1 is in use. Choose another with --port, or leave "
                "--port out to use a free one."
            ) from None
        return probe.getsockname()[1]


def run_environment(database: Database, port: int, workdir: Path) -> dict[str, str]:
    """Production settings, as `./scripts/benchmark` runs them (for this process and gunicorn)."""
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DATABASE_URL", "SQLITE_PATH", "REDIS_URL", "DEBUG", "EMAIL_HOST"}
    }
    env.update(database.env)
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": SETTINGS,
            "DJANGO_ENV": "production",
            "SECRET_KEY": secrets.token_urlsafe(50),
            "ALLOWED_HOSTS": "127.0.0.1,localhost,testserver",
            "SITE_URL": f"http://127.0.0.1:{port}",
            "PRIVATE_MEDIA_ROOT": str(workdir / "private"),
            # One machine, no Redis, no mail server: tasks run in process, mail is dropped.
            "SOCIALGOV_EMBEDDED": "1",
        }
    )
    return env


class Gunicorn:
    def __init__(self, *, port: int, env: dict[str, str], workdir: Path):
        self.port = port
        self.log = workdir / "gunicorn.log"
        self.process: subprocess.Popen | None = None
        self.env = env
        self.workdir = workdir

    def start(self) -> None:
        gunicorn = Path(sys.executable).with_name("gunicorn")
        command = [
            str(gunicorn if gunicorn.exists() else "gunicorn"),
            "socialgov.wsgi",
            "--workers",
            str(WORKERS),
            "--bind",
            f"127.0.0.1:{self.port}",
            "--timeout",
            "120",
            "--graceful-timeout",
            "5",
            "--pid",
            str(self.workdir / "gunicorn.pid"),
            "--error-logfile",
            str(self.log),
        ]
        with self.log.open("ab") as log:
            self.process = subprocess.Popen(  # noqa: S603 (a fixed command)
                command,
                cwd=BASE_DIR,
                env=self.env,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                text = self.log.read_text(errors="replace")
                if "Address already in use" in text or "Connection in use" in text:
                    raise BenchmarkError(
                        f"Port {self.port} on 127.0.0.1 is in use. Choose another with --port."
                    )
                raise BenchmarkError(f"gunicorn stopped at start; its log:\n{text[-3000:]}")
            status, _ = http_get(self.port, "/healthz")
            if status == 200:
                return
            time.sleep(0.3)
        raise BenchmarkError(f"gunicorn did not answer /healthz within 90 s (log: {self.log})")

    def stop(self) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        try:
            os.killpg(self.process.pid, signal.SIGTERM)
            self.process.wait(timeout=15)
        except (ProcessLookupError, subprocess.TimeoutExpired):
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=5)


def http_get(port: int, path: str, cookie: str = "") -> tuple[int, bytes]:
    """One GET through the proxy's headers (X-Forwarded-Proto: https), no redirects followed."""
    import http.client

    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    try:
        headers = {"X-Forwarded-Proto": "https"}
        if cookie:
            headers["Cookie"] = cookie
        connection.request("GET", path, headers=headers)
        response = connection.getresponse()
        return response.status, response.read()
    except OSError:
        return 0, b""
    finally:
        connection.close()


# --- Measuring -------------------------------------------------------------------------------


@dataclass
class Target:
    """One URL to load: a page, or one of the two references."""

    name: str
    path: str
    as_role: str
    kind: str  # "reference" or a PageKind
    goal: float | None
    cookie: str
    queries: dict[str, int] = field(default_factory=dict)  # "large"/"small" → count
    rounds: list[dict] = field(default_factory=list)  # wrk's figures per round
    warm_ms: float = 0.0  # the last warm-up request
    alone_goal_ms: float | None = None  # registry.ALONE_GOALS_MS
    alone_ms: list[float] = field(default_factory=list)  # one visitor's requests, in turn

    def alone(self) -> dict:
        """One visitor's wait: the median of requests made one after another on an otherwise
        idle server (wrk's latencies include the queue of its concurrent connections)."""
        alone = statistics.median(self.alone_ms) if self.alone_ms else None
        return {
            "alone_ms": alone,
            "alone_goal_ms": self.alone_goal_ms,
            "meets_alone_goal": (
                None if self.alone_goal_ms is None or alone is None else alone < self.alone_goal_ms
            ),
        }

    def summary(self, bare: Target) -> dict:
        if any(r["requests"] == 0 for r in self.rounds):
            return self._too_slow()
        rps = [r["requests"] / (r["duration_us"] / 1e6) for r in self.rounds]
        # A round in which not even the bare page finished a request (an overloaded machine)
        # gives no ratio; the other rounds still do.
        ratios = [
            mine / (theirs["requests"] / (theirs["duration_us"] / 1e6))
            for mine, theirs in zip(rps, bare.rounds, strict=True)
            if theirs["requests"]
        ] or [0.0]
        ratio = statistics.median(ratios)
        query_counts = list(self.queries.values())
        queries_equal = len(set(query_counts)) <= 1
        return {
            "name": self.name,
            "path": self.path,
            "as": self.as_role,
            "kind": self.kind,
            "median_ms": statistics.median(r["p50_us"] for r in self.rounds) / 1000,
            "p95_ms": statistics.median(r["p95_us"] for r in self.rounds) / 1000,
            "requests_per_second": statistics.median(rps),
            "ratio_to_bare": ratio,
            "goal_ratio": self.goal,
            "meets_goal": None if self.goal is None else ratio >= self.goal,
            "queries": self.queries,
            "queries_equal": queries_equal,
            "errors": sum(r["status_errors"] + r["socket_errors"] for r in self.rounds),
            **self.alone(),
        }

    def _too_slow(self) -> dict:
        """A page of which no request finished within a round: its one warm-up request's time
        stands for its latency, and its throughput counts as nothing."""
        return {
            "name": self.name,
            "path": self.path,
            "as": self.as_role,
            "kind": self.kind,
            "median_ms": self.warm_ms,
            "p95_ms": self.warm_ms,
            "requests_per_second": 0.0,
            "ratio_to_bare": 0.0,
            "goal_ratio": self.goal,
            "meets_goal": None if self.goal is None else False,
            "queries": self.queries,
            "queries_equal": len(set(self.queries.values())) <= 1,
            "errors": sum(r["status_errors"] + r["socket_errors"] for r in self.rounds),
            "too_slow": True,
            **self.alone(),
        }


def wrk(port: int, target: Target, *, duration: float, connections: int, script: Path) -> dict:
    command = [
        "wrk",
        "--threads",
        "1",
        "--connections",
        str(connections),
        "--duration",
        f"{max(1, round(duration))}s",
        "--timeout",
        "30s",
        "--script",
        str(script),
        "--header",
        "X-Forwarded-Proto: https",
        "--header",
        f"Cookie: {target.cookie}",
        f"http://127.0.0.1:{port}{target.path}",
    ]
    done = subprocess.run(  # noqa: S603 (a fixed command)
        command, capture_output=True, text=True, timeout=duration + 120
    )
    line = next((x for x in done.stdout.splitlines() if x.startswith("WRK ")), None)
    if done.returncode != 0 or line is None:
        raise BenchmarkError(f"wrk failed on {target.path}: {done.stderr.strip() or done.stdout}")
    # No request finished within the round (a page slower than the round's length): recorded
    # as such and named among the misses, not the end of the whole run.
    return json.loads(line[4:])


def count_pages(pdf: bytes) -> int:
    """The number of pages of a PDF, read by poppler's pdfinfo (the PDF tests need it too)."""
    if shutil.which("pdfinfo") is None:
        raise BenchmarkError(
            "pdfinfo is not installed (it counts a PDF's pages). On Debian: sudo apt-get "
            "install poppler-utils"
        )
    done = subprocess.run(  # noqa: S603 (a fixed command)
        ["pdfinfo", "-"],  # noqa: S607 (found on PATH above)
        input=pdf,
        capture_output=True,
        timeout=60,
    )
    match = re.search(rb"^Pages:\s+(\d+)", done.stdout, re.M)
    if done.returncode != 0 or match is None:
        raise BenchmarkError(f"pdfinfo could not read a PDF: {done.stderr.decode()[:200]}")
    return int(match.group(1))


BARE_PAGE = """
<section style="page-break-after: always">
<h1>Page {n}</h1>
{paragraphs}
</section>
"""
BARE_PARAGRAPH = (
    "<p>A bare document for comparison: plain text in the default style, about as much on a page "
    "as a policy has, so that what remains is what the document's own layout costs.</p>"
)


def bare_pdf(pages: int) -> bytes:
    """A plain WeasyPrint document of `pages` pages (no templates, stylesheets or fonts)."""
    from weasyprint import HTML

    body = "".join(BARE_PAGE.format(n=n + 1, paragraphs=BARE_PARAGRAPH * 14) for n in range(pages))
    return HTML(string=f"<html><body>{body}</body></html>").write_pdf()


def pdf_result(name: str, goal, *, pages: int, size: int, seconds: float, bare: float) -> dict:
    """One PDF's figures and its verdict against its own goal (`registry.PDF_GOALS`; `None`:
    the PDF has no goal, and no verdict)."""
    ratio = seconds / bare
    return {
        "name": name,
        "pages": pages,
        "bytes": size,
        "seconds": seconds,
        "bare_seconds": bare,
        "ratio_to_bare": ratio,
        "goal": None
        if goal is None
        else {"text": goal.text, "issue": goal.issue, "ratio": goal.ratio, "seconds": goal.seconds},
        "meets_goal": None if goal is None else goal.met(seconds=seconds, ratio=ratio),
    }


def timed(action, times: int) -> tuple[float, object]:
    """Median seconds of `times` runs after one warm-up run; the last result."""
    result = action()
    seconds = []
    for _ in range(times):
        started = time.perf_counter()
        result = action()
        seconds.append(time.perf_counter() - started)
    return statistics.median(seconds), result


# --- The run ---------------------------------------------------------------------------------


class Run:
    def __init__(self, args):
        self.args = args
        self.results: dict = {}

    def build(self, bench) -> None:
        from django.core.management import call_command

        from socialgov.benchmark import registry

        started = time.perf_counter()
        call_command("migrate", interactive=False, verbosity=0)
        migrated = time.perf_counter() - started
        print(f"  migrations: {migrated:.1f} s", flush=True)
        began = time.perf_counter()
        call_command("collectstatic", interactive=False, verbosity=0)
        print(f"  static files: {time.perf_counter() - began:.1f} s", flush=True)
        generators = []
        for generator in registry.GENERATORS.entries():
            began = time.perf_counter()
            generator.generate(bench)
            seconds = time.perf_counter() - began
            promised = generator.promised(bench.scale)
            counted = generator.counted(bench)
            generators.append(
                {
                    "name": generator.name,
                    "seconds": seconds,
                    "promised": promised,
                    "counted": counted,
                    "as_promised": promised == counted,
                }
            )
            made = ", ".join(f"{n:,} {label}" for label, n in counted.items())
            flag = "" if promised == counted else f"  (PROMISED {promised})"
            print(f"  {generator.name}: {made} in {seconds:.1f} s{flag}", flush=True)
        began = time.perf_counter()
        analysed = statistics_refresh()
        if analysed:
            print(f"  {analysed}: {time.perf_counter() - began:.1f} s", flush=True)
        self.results["data"] = {
            "migrate_seconds": migrated,
            "build_seconds": time.perf_counter() - started,
            "generators": generators,
        }

    def targets(self, bench) -> list[Target]:
        from django.contrib.auth import get_user_model
        from django.urls import reverse

        from socialgov.benchmark import registry
        from socialgov.benchmark.sessions import session_cookie
        from socialgov.people.roles import Role

        User = get_user_model()
        admin = User.objects.get(email=ADMIN_EMAIL)
        targets = [
            Target(
                "bare reference (100 rows)",
                reverse("benchmark_reference"),
                Role.HEADTEACHER,
                "reference",
                None,
                session_cookie(bench.person(bench.large, Role.HEADTEACHER), bench.large),
            ),
            Target(
                "admin changelist (100 rows)",
                reverse("benchmark_admin:people_membership_changelist"),
                "superuser",
                "reference",
                None,
                session_cookie(admin, None),
            ),
        ]
        for page in selected(self.args, registry.PAGES.entries()):
            person = bench.person(bench.large, page.as_role)
            targets.append(
                Target(
                    page.name,
                    page.path(bench, bench.large),
                    page.as_role,
                    page.kind,
                    page.goal,
                    session_cookie(person, bench.large),
                    alone_goal_ms=page.alone_goal_ms,
                )
            )
        return targets

    def count_queries(self, bench, targets: list[Target]) -> None:
        from django.db import connection
        from django.test import Client
        from django.test.utils import CaptureQueriesContext

        from socialgov.benchmark import registry
        from socialgov.benchmark.sessions import session_cookie

        pages = {p.name: p for p in registry.PAGES.entries()}

        def count(path: str, cookie: str) -> int:
            client = Client()
            client.cookies.load(cookie)
            client.get(path, secure=True)  # warm caches (content types, templates)
            with CaptureQueriesContext(connection) as captured:
                response = client.get(path, secure=True)
            if response.status_code != 200:
                where = response.get("Location", "")
                raise BenchmarkError(f"{path} answered {response.status_code} {where}, not 200")
            return len(captured.captured_queries)

        for target in targets:
            target.queries["large"] = count(target.path, target.cookie)
            page = pages.get(target.name)
            if page is not None:
                small = bench.small
                cookie = session_cookie(bench.person(small, page.as_role), small)
                target.queries["small"] = count(page.path(bench, small), cookie)

    def load(self, port: int, targets: list[Target], workdir: Path) -> None:
        script = workdir / "report.lua"
        script.write_text(REPORT_LUA)
        for target in targets:
            # Every worker's first request of a page loads its templates: not what is measured.
            for _ in range(2 * WORKERS):
                started = time.perf_counter()
                status, _ = http_get(port, target.path, target.cookie)
                if status != 200:
                    raise BenchmarkError(
                        f"{target.name} ({target.path}) answered {status} under gunicorn, not 200"
                    )
            target.warm_ms = (time.perf_counter() - started) * 1000
        for number in range(1, self.args.rounds + 1):
            print(f"  round {number} of {self.args.rounds}", flush=True)
            for target in targets:
                target.rounds.append(
                    wrk(
                        port,
                        target,
                        duration=self.args.duration,
                        connections=self.args.connections,
                        script=script,
                    )
                )
        print("  one visitor: each page's requests in turn", flush=True)
        for target in targets:
            for _ in range(ALONE_REQUESTS[self.args.scale]):
                started = time.perf_counter()
                status, _ = http_get(port, target.path, target.cookie)
                if status != 200:
                    raise BenchmarkError(
                        f"{target.name} ({target.path}) answered {status} under gunicorn, not 200"
                    )
                target.alone_ms.append((time.perf_counter() - started) * 1000)

    def pdfs(self, bench) -> list[dict]:
        from socialgov.benchmark import registry

        times = 1 if self.args.scale == "small" else 5
        one_page, _ = timed(lambda: bare_pdf(1), times)
        results = [
            {"name": "bare one-page document", "pages": 1, "seconds": one_page, "reference": True}
        ]
        for case in selected(self.args, registry.PDFS.entries()):
            seconds, pdf = timed(lambda case=case: case.render(bench), times)
            pages = count_pages(pdf)
            bare, _ = timed(lambda pages=pages: bare_pdf(pages), times)
            results.append(
                pdf_result(
                    case.name, case.goal, pages=pages, size=len(pdf), seconds=seconds, bare=bare
                )
            )
        return results

    def timed_cases(self, bench, cases) -> list[dict]:
        results = []
        for case in cases:
            with QueryCounter() as queries:
                started = time.perf_counter()
                summary = case.run(bench)
                seconds = time.perf_counter() - started
            results.append(
                {
                    "name": case.name,
                    "summary": summary,
                    "seconds": seconds,
                    "queries": queries.count,
                    "goal_seconds": case.goal_seconds,
                    "meets_goal": None
                    if case.goal_seconds is None
                    else seconds <= case.goal_seconds,
                }
            )
        return results


class QueryCounter:
    """Counts every query on the default connection, however many (Django's own log keeps only
    the last 9,000)."""

    def __init__(self):
        self.count = 0

    def __call__(self, execute, sql, params, many, context):
        self.count += 1
        return execute(sql, params, many, context)

    def __enter__(self):
        from django.db import connection

        self._wrapper = connection.execute_wrapper(self)
        self._wrapper.__enter__()
        return self

    def __exit__(self, *exc):
        self._wrapper.__exit__(*exc)


ADMIN_EMAIL = "benchmark-admin@benchmark.example.org.uk"


def reference_admin() -> None:
    """The superuser who opens the admin changelist (with an authenticator)."""
    from django.contrib.auth import get_user_model
    from django_otp.plugins.otp_totp.models import TOTPDevice

    User = get_user_model()
    admin, created = User.objects.get_or_create(
        email=ADMIN_EMAIL,
        defaults={"full_name": "Benchmark Administrator", "is_staff": True, "is_superuser": True},
    )
    if created:
        admin.set_unusable_password()
        admin.save()
        TOTPDevice.objects.create(user=admin, name="Benchmark authenticator", confirmed=True)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    workdir = Path(tempfile.mkdtemp(prefix="socialgov-benchmark-"))
    database = None
    previous = signal.signal(signal.SIGTERM, _raise_interrupt)
    try:
        port = free_port(args.port)
        database = database_create(os.environ.get("DATABASE_URL"))
        if shutil.which("wrk") is None:
            raise BenchmarkError(
                "wrk is not installed. On Debian: sudo apt-get install wrk (./scripts/benchmark "
                "installs it itself when run as root)."
            )
        env = run_environment(database, port, workdir)
        os.environ.clear()
        os.environ.update(env)
        results = measure(args, database, port, workdir, env)
        report(results, args)
        return 0
    except BenchmarkError as error:
        print(f"benchmark: {error}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print(
            "benchmark: interrupted; stopping gunicorn and dropping the database", file=sys.stderr
        )
        return 130
    finally:
        for server in _SERVERS:
            server.stop()
        _close_connections()
        if database is not None and not args.keep_database:
            database_drop(database)
        elif database is not None:
            print(f"benchmark: kept the database {database.label}")
        shutil.rmtree(workdir, ignore_errors=True)
        signal.signal(signal.SIGTERM, previous)


_SERVERS: list[Gunicorn] = []


def _raise_interrupt(signum, frame):
    raise KeyboardInterrupt


def _close_connections() -> None:
    if "django" in sys.modules:
        from django.db import connections

        connections.close_all()


def measure(args, database: Database, port: int, workdir: Path, env: dict) -> dict:
    import django

    django.setup()
    from django.db import connection

    from socialgov.benchmark import registry

    registry.discover()
    scale = registry.SCALES[args.scale]
    bench = registry.Bench(scale)
    run = Run(args)
    print(f"Building the {scale.name} scale ({scale.description}) on {database.label}", flush=True)
    run.build(bench)
    reference_admin()
    targets = run.targets(bench)
    print("Counting queries in the large and the small school", flush=True)
    run.count_queries(bench, targets)
    _close_connections()
    server = Gunicorn(port=port, env=env, workdir=workdir)
    _SERVERS.append(server)
    print(f"Serving with gunicorn ({WORKERS} workers) on 127.0.0.1:{port}", flush=True)
    server.start()
    print(
        f"Loading each page with wrk: {args.rounds} round(s) of {args.duration:g} s, "
        f"{args.connections} connections",
        flush=True,
    )
    run.load(port, targets, workdir)
    server.stop()
    bare = targets[0]
    pages = [t.summary(bare) for t in targets]
    print("Timing PDFs, imports and jobs", flush=True)
    pdfs = run.pdfs(bench)
    # Jobs first: the sweep then covers the generated data, not the people the import adds.
    jobs = run.timed_cases(bench, selected(args, registry.JOBS.entries()))
    imports = run.timed_cases(bench, selected(args, registry.IMPORTS.entries()))
    return {
        "scale": asdict(scale),
        "database": {"vendor": connection.vendor, "label": database.label},
        "server": {"workers": WORKERS, "debug": False, "settings": SETTINGS},
        "load": {
            "tool": "wrk",
            "rounds": args.rounds,
            "seconds_per_page_and_round": args.duration,
            "connections": args.connections,
            "alone_requests": ALONE_REQUESTS[args.scale],
        },
        **run.results,
        "pages": pages,
        "pdfs": pdfs,
        "imports": imports,
        "jobs": jobs,
        "missed": missed(pages, pdfs, imports, jobs),
    }


def missed(pages, pdfs, imports, jobs) -> list[str]:
    found = []
    for page in pages:
        if page.get("too_slow"):
            found.append(
                f"{page['name']}: no request finished within a round; one took "
                f"{page['median_ms'] / 1000:.1f} s alone"
            )
        elif page["meets_goal"] is False:
            found.append(
                f"{page['name']}: {page['ratio_to_bare']:.2f}× the bare page's throughput "
                f"(goal ≥ {page['goal_ratio']}×)"
            )
        if page.get("meets_alone_goal") is False:
            found.append(
                f"{page['name']}: {page['alone_ms']:.0f} ms for one visitor "
                f"(goal under {page['alone_goal_ms']:.0f} ms)"
            )
        if not page["queries_equal"]:
            counts = ", ".join(f"{k} {v}" for k, v in page["queries"].items())
            found.append(f"{page['name']}: query count differs with the data's size ({counts})")
    for pdf in pdfs:
        if pdf.get("meets_goal") is False:
            goal = pdf["goal"]
            figure = (
                f"{pdf['ratio_to_bare']:.2f}× a bare {pdf['pages']}-page document"
                if goal["ratio"] is not None
                else f"{pdf['seconds']:.2f} s"
            )
            found.append(f"{pdf['name']}: {figure} (goal {goal['text']}, issue {goal['issue']})")
    for case in (*imports, *jobs):
        if case["meets_goal"] is False:
            found.append(
                f"{case['name']}: {case['seconds']:.1f} s (goal ≤ {case['goal_seconds']} s)"
            )
    return found


def report(results: dict, args) -> None:
    print(table(results))
    if args.json:
        path = Path(args.json)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(results, indent=2, default=str) + "\n")
        print(f"\nResults written to {path}")


def pdf_line(pdf: dict) -> str:
    """A PDF's row of the printed table: its figures, its goal and issue ("—" for none), its
    verdict."""
    goal = pdf["goal"]
    verdict = "" if pdf["meets_goal"] is None else (" ok" if pdf["meets_goal"] else " MISS")
    return (
        f"{pdf['name'][:32]:<32} {pdf['pages']:>5} {pdf['bytes'] / 1024:>6.0f}kB "
        f"{pdf['seconds'] * 1000:>7.0f}ms {pdf['bare_seconds'] * 1000:>15.0f}ms "
        f"{pdf['ratio_to_bare']:>7.2f} {'—' if goal is None else goal['text']:>10} "
        f"{'—' if goal is None else goal['issue']:>5}{verdict}"
    )


def table(results: dict) -> str:
    scale = results["scale"]
    load = results["load"]
    lines = [
        "",
        f"SocialGov benchmark — scale {scale['name']}: {scale['description']}",
        f"{results['database']['label']}; gunicorn {results['server']['workers']} workers, "
        f"production settings, DEBUG off; wrk, {load['connections']} connections, "
        f"{load['rounds']} round(s) × {load['seconds_per_page_and_round']:g} s per page; "
        f"alone: one visitor, the median of {load.get('alone_requests', 0)} requests in turn",
        f"Data built in {results['data']['build_seconds']:.0f} s "
        f"(migrations {results['data']['migrate_seconds']:.0f} s)",
        "",
        f"{'Page':<30} {'as':<20} {'median':>8} {'p95':>8} {'req/s':>7} {'× bare':>7} "
        f"{'goal':>6}      {'alone':>7} {'goal':>6}      {'queries (large/small)':<22}",
    ]
    for page in results["pages"]:
        goal = "—" if page["goal_ratio"] is None else f"≥{page['goal_ratio']}"
        verdict = "" if page["meets_goal"] is None else (" ok" if page["meets_goal"] else " MISS")
        queries = "/".join(
            str(page["queries"][k]) for k in ("large", "small") if k in page["queries"]
        )
        if not page["queries_equal"]:
            queries += "  DIFFERS"
        alone = page.get("alone_ms")
        alone_goal = page.get("alone_goal_ms")
        alone_verdict = {None: "", True: " ok", False: " MISS"}[page.get("meets_alone_goal")]
        lines.append(
            f"{page['name'][:30]:<30} {page['as'][:20]:<20} {page['median_ms']:>6.1f}ms "
            f"{page['p95_ms']:>6.1f}ms {page['requests_per_second']:>7.1f} "
            f"{page['ratio_to_bare']:>7.2f} {goal:>6}{verdict:<5} "
            f"{'—' if alone is None else f'{alone:.0f}ms':>7} "
            f"{'—' if alone_goal is None else f'<{alone_goal:.0f}ms':>6}{alone_verdict:<5} "
            f"{queries:<22}"
        )
    lines += [
        "",
        f"{'PDF':<32} {'pages':>5} {'size':>8} {'time':>9} {'bare, same pages':>17} {'× bare':>7} "
        f"{'goal':>10} {'issue':>5}",
    ]
    for pdf in results["pdfs"]:
        if pdf.get("reference"):
            lines.append(
                f"{pdf['name'][:32]:<32} {pdf['pages']:>5} {'':>8} {pdf['seconds'] * 1000:>7.0f}ms"
            )
            continue
        lines.append(pdf_line(pdf))
    for title, cases in (("Import", results["imports"]), ("Job", results["jobs"])):
        lines += ["", f"{title:<38} {'time':>8} {'queries':>8} {'goal':>7}  result"]
        for case in cases:
            goal = "—" if case["goal_seconds"] is None else f"≤{case['goal_seconds']}s"
            verdict = (
                "" if case["meets_goal"] is None else (" ok" if case["meets_goal"] else " MISS")
            )
            lines.append(
                f"{case['name'][:38]:<38} {case['seconds']:>7.2f}s {case['queries']:>8} "
                f"{goal:>7}{verdict:<5} {case['summary']}"
            )
    lines.append("")
    if results["missed"]:
        lines.append("Missed:")
        lines += [f"  - {line}" for line in results["missed"]]
    else:
        lines.append("Every page, PDF, import and job meets its goal.")
    return "\n".join(lines)


if __name__ == "__main__":
    sys.exit(main())
