"""`./scripts/benchmark` on bad input: a clear message, a non-zero exit, nothing left behind
(no database, no server). The full run is CI's smoke test (`--scale small` in .ci/run)."""

import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest

BASE_DIR = Path(__file__).resolve().parent.parent.parent


def benchmark(*args, **env):
    environment = {**os.environ, **env}
    for name, value in env.items():
        if value is None:
            environment.pop(name)
    process = subprocess.Popen(
        [sys.executable, "-m", "socialgov.benchmark.run", *args],
        cwd=BASE_DIR,
        env=environment,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        out, err = process.communicate(timeout=120)
    except subprocess.TimeoutExpired:
        process.terminate()  # it cleans up after itself on SIGTERM
        process.communicate(timeout=60)
        raise
    return process.pid, process.returncode, out + err


def left_behind(pid: int) -> list[Path]:
    return list((BASE_DIR / "var").glob(f"bench_run_{pid}.sqlite3*"))


def test_an_unknown_scale_is_refused_with_the_choices():
    pid, code, output = benchmark("--scale", "huge", DATABASE_URL=None)
    assert code != 0
    assert "unknown scale 'huge': choose one of small, school, trust" in output
    assert left_behind(pid) == []


def test_an_unreachable_database_is_named_and_nothing_is_left():
    pid, code, output = benchmark(
        "--scale", "small", DATABASE_URL="postgres://postgres@127.0.0.1:9/bench"
    )
    assert code == 1
    assert "Cannot reach the PostgreSQL server DATABASE_URL names (127.0.0.1:9)" in output
    assert "Traceback" not in output
    assert left_behind(pid) == []


def test_a_port_in_use_is_named_and_nothing_is_left():
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        pid, code, output = benchmark("--scale", "small", "--port", str(port), DATABASE_URL=None)
    assert code == 1
    assert f"Port {port} on 127.0.0.1 is in use" in output
    assert "Traceback" not in output
    assert left_behind(pid) == []


@pytest.mark.parametrize("value", ["0", "-3"])
def test_nonsense_numbers_are_refused(value):
    _, code, output = benchmark("--rounds", value, DATABASE_URL=None)
    assert code == 2 and "must be positive" in output


def test_only_keeps_the_named_entries_and_every_entry_without_it():
    from types import SimpleNamespace

    from socialgov.benchmark.run import parse_args, selected

    entries = [SimpleNamespace(name=n) for n in ("dashboard (DSL)", "consent lookup", "people")]
    args = parse_args(["--only", "DASHBOARD", "--only", "consent"])
    assert [e.name for e in selected(args, entries)] == ["dashboard (DSL)", "consent lookup"]
    assert len(selected(parse_args([]), entries)) == 3
