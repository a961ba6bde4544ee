"""Evidence files are checked and written before any row lock is taken (issue 8: slow work is
not done under a lock), for a new report and for evidence added later (PostgreSQL: SQLite has no
row locks to see)."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from incidents.reports import services
from incidents.reports.models import Category
from tests.incidents.helpers import evidence_upload, report, triage

pytestmark = pytest.mark.integration

STORED_FILE_INSERT = re.compile(r'INSERT INTO "uploads_storedfile"', re.I)


@pytest.fixture(autouse=True)
def _postgresql_only(db):
    if connection.vendor != "postgresql":
        pytest.skip("row locks are PostgreSQL's: set DATABASE_URL (CI does)")


def _order(captured) -> tuple[int, int]:
    sqls = [q["sql"] for q in captured.captured_queries]
    first_lock = next(i for i, sql in enumerate(sqls) if "FOR UPDATE" in sql)
    last_file = max(i for i, sql in enumerate(sqls) if STORED_FILE_INSERT.search(sql))
    return last_file, first_lock


def test_a_reports_files_are_written_before_the_school_is_locked(school, dsl, staff):
    with CaptureQueriesContext(connection) as captured:
        report(
            school, staff, Category.CYBERBULLYING, evidence=[evidence_upload(), evidence_upload()]
        )
    last_file, first_lock = _order(captured)
    assert last_file < first_lock


def test_evidence_added_later_is_written_before_the_incident_is_locked(school, dsl, staff):
    incident = triage(report(school, staff, Category.CYBERBULLYING), dsl)
    with CaptureQueriesContext(connection) as captured:
        services.incident_evidence_add(incident=incident, actor=dsl, upload=evidence_upload())
    last_file, first_lock = _order(captured)
    assert last_file < first_lock
    assert incident.evidence.count() == 1
