"""`manage.py governors_report`: the same PDF as the page; bad input is a clear message."""

import pytest
from django.core.management import CommandError, call_command

pytestmark = pytest.mark.django_db


def test_the_command_writes_the_report_pdf(school, tmp_path):
    out = tmp_path / "report.pdf"
    call_command(
        "governors_report",
        school=school.urn,
        starts_on="2026-09-01",
        ends_on="2026-12-18",
        out=str(out),
    )
    assert out.read_bytes().startswith(b"%PDF-")


@pytest.mark.parametrize(
    "arguments,message",
    [
        ({"starts_on": "2026-12-01", "ends_on": "2026-09-01"}, "must end on or after"),
        ({"starts_on": "01/09/2026", "ends_on": "2026-12-01"}, "YYYY-MM-DD"),
        ({"starts_on": "2020-01-01", "ends_on": "2026-12-01"}, "at most three years"),
    ],
)
def test_bad_dates_are_a_clear_message(school, tmp_path, arguments, message):
    with pytest.raises(CommandError, match=message):
        call_command(
            "governors_report", school=school.urn, out=str(tmp_path / "x.pdf"), **arguments
        )


def test_an_unknown_school_is_a_clear_message(db, tmp_path):
    with pytest.raises(CommandError, match="No school has the URN"):
        call_command(
            "governors_report",
            school="000000",
            starts_on="2026-09-01",
            ends_on="2026-12-01",
            out=str(tmp_path / "x.pdf"),
        )
