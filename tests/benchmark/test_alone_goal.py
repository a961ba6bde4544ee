"""One visitor's wait (issue 16: "dashboards under 200 ms"): the median of requests made one
after another, judged for dashboards only, named among the misses and printed in the table."""

from socialgov.benchmark.registry import ALONE_GOALS_MS, Page, PageKind
from socialgov.benchmark.run import Target, missed, table

ROUND = {
    "requests": 100,
    "duration_us": 2_000_000,
    "p50_us": 80_000,
    "p95_us": 120_000,
    "mean_us": 81_000.0,
    "status_errors": 0,
    "socket_errors": 0,
}


def target(name, kind, alone_ms, goal_ms):
    return Target(
        name, "/x/", "headteacher", kind, 0.3, "", queries={"large": 5, "small": 5},
        rounds=[dict(ROUND)], alone_ms=alone_ms, alone_goal_ms=goal_ms,
    )  # fmt: skip


def test_dashboards_have_the_issue_goal_and_other_pages_none():
    assert ALONE_GOALS_MS == {PageKind.DASHBOARD: 200.0}
    page = Page("dashboard (x)", lambda bench, school: "/", "headteacher", PageKind.DASHBOARD)
    assert page.alone_goal_ms == 200.0
    assert Page("list", lambda b, s: "/", "headteacher", PageKind.LIST).alone_goal_ms is None


def test_the_median_is_judged_and_a_miss_named():
    bare = target("bare", "reference", [30.0, 31.0, 29.0], None)
    fast = target("dashboard (a)", PageKind.DASHBOARD, [150.0, 199.0, 120.0], 200.0).summary(bare)
    assert fast["alone_ms"] == 150.0 and fast["meets_alone_goal"] is True
    slow = target("dashboard (b)", PageKind.DASHBOARD, [150.0, 200.0, 260.0], 200.0).summary(bare)
    assert slow["alone_ms"] == 200.0 and slow["meets_alone_goal"] is False  # "under" 200
    listed = target("people list", PageKind.LIST, [400.0], None).summary(bare)
    assert listed["meets_alone_goal"] is None
    assert missed([fast, slow, listed], [], [], []) == [
        "dashboard (b): 200 ms for one visitor (goal under 200 ms)"
    ]
    results = {
        "scale": {"name": "small", "description": "tiny"},
        "load": {
            "connections": 2, "rounds": 1, "seconds_per_page_and_round": 1, "alone_requests": 3
        },
        "database": {"label": "SQLite"},
        "server": {"workers": 2},
        "data": {"build_seconds": 1, "migrate_seconds": 1},
        "pages": [bare.summary(bare), fast, slow, listed],
        "pdfs": [], "imports": [], "jobs": [],
        "missed": missed([fast, slow, listed], [], [], []),
    }  # fmt: skip
    printed = table(results)
    assert "the median of 3 requests in turn" in printed
    rows = {line[:30].strip(): line for line in printed.splitlines()}
    assert "150ms <200ms ok" in rows["dashboard (a)"]
    assert "200ms <200ms MISS" in rows["dashboard (b)"]
    assert "400ms      —" in rows["people list"]
