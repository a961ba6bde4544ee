"""Each PDF's own goal (socialgov.benchmark.registry.PDF_GOALS, with the issue it comes from):
the verdict, what the table prints and what the JSON holds. A PDF whose issue sets no goal
gets "—" and no verdict, never the signed AUP's ratio."""

import json

import pytest

from socialgov.benchmark import registry
from socialgov.benchmark.registry import PDF_GOALS, PdfCase, PdfGoal
from socialgov.benchmark.run import missed, pdf_line, pdf_result


def result(name, *, seconds, bare=1.0, pages=3, size=20480):
    goal = PdfCase(name=name, render=lambda bench: b"").goal
    return pdf_result(name, goal, pages=pages, size=size, seconds=seconds, bare=bare)


def test_the_goals_are_the_issues_own():
    assert {
        "signed staff AUP": PdfGoal(issue=10, ratio=1.5),
        "consent class sheet (30 pupils)": PdfGoal(issue=11, seconds=1.0),
        "governors' report PDF": PdfGoal(issue=16, seconds=3.0),
        "trust roll-up PDF": PdfGoal(issue=16, seconds=30.0),
    } == PDF_GOALS


def test_every_goal_names_a_registered_pdf():
    # A renamed PdfCase would otherwise silently lose its goal.
    registry.discover()
    assert set(PDF_GOALS) <= {case.name for case in registry.PDFS.entries()}


def test_a_goal_is_a_ratio_or_a_time_not_both_nor_neither():
    with pytest.raises(ValueError):
        PdfGoal(issue=1)
    with pytest.raises(ValueError):
        PdfGoal(issue=1, ratio=1.5, seconds=1.0)


def test_the_signed_aup_is_judged_by_its_ratio_to_the_bare_document():
    met = result("signed staff AUP", seconds=0.30, bare=0.20)  # 1.5×: within
    assert met["meets_goal"] is True
    assert met["goal"] == {"text": "≤1.5× bare", "issue": 10, "ratio": 1.5, "seconds": None}
    slow = result("signed staff AUP", seconds=0.31, bare=0.20)
    assert slow["meets_goal"] is False
    assert missed([], [slow], [], []) == [
        "signed staff AUP: 1.55× a bare 3-page document (goal ≤1.5× bare, issue 10)"
    ]


def test_a_time_goal_ignores_the_ratio():
    # The class sheet at 5× a bare document but in 0.9 s meets its goal (under 1 s).
    sheet = result("consent class sheet (30 pupils)", seconds=0.9, bare=0.18)
    assert sheet["meets_goal"] is True
    assert sheet["goal"]["text"] == "<1 s" and sheet["goal"]["issue"] == 11
    late = result("consent class sheet (30 pupils)", seconds=1.0, bare=0.9)  # "under 1 s"
    assert late["meets_goal"] is False
    assert missed([], [late], [], []) == [
        "consent class sheet (30 pupils): 1.00 s (goal <1 s, issue 11)"
    ]
    assert result("governors' report PDF", seconds=2.9)["meets_goal"] is True
    assert result("governors' report PDF", seconds=3.1)["meets_goal"] is False
    assert result("trust roll-up PDF", seconds=29.0, bare=0.4)["meets_goal"] is True
    assert result("trust roll-up PDF", seconds=31.0)["meets_goal"] is False


def test_a_pdf_without_a_goal_is_reported_without_a_verdict():
    chronology = result("incident chronology PDF", seconds=9.0, bare=0.1, pages=2, size=51200)
    assert chronology["goal"] is None and chronology["meets_goal"] is None
    assert missed([], [chronology], [], []) == []
    line = pdf_line(chronology)
    assert line.startswith("incident chronology PDF")
    assert "50kB" in line and "9000ms" in line and "90.00" in line
    assert line.split()[-2:] == ["—", "—"]
    assert "MISS" not in line and " ok" not in line
    assert json.loads(json.dumps(chronology))["goal"] is None


def test_the_table_prints_each_goal_its_issue_and_verdict():
    assert pdf_line(result("signed staff AUP", seconds=0.2, bare=0.2)).split()[-4:] == [
        "≤1.5×",
        "bare",
        "10",
        "ok",
    ]
    assert pdf_line(result("trust roll-up PDF", seconds=40.0)).split()[-4:] == [
        "<30",
        "s",
        "16",
        "MISS",
    ]
