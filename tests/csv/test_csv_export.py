"""csv_response: Excel-friendly, UK dates, London times, spreadsheet formulas neutralised."""

import csv
import datetime as dt
import io
from decimal import Decimal

import pytest

from socialgov.csv_export import BOM, csv_response, neutralise


def read_back(response) -> tuple[bytes, list[list[str]]]:
    body = b"".join(response.streaming_content)
    return body, list(csv.reader(io.StringIO(body.decode("utf-8-sig"), newline="")))


@pytest.mark.parametrize(
    "planted",
    ['=HYPERLINK("http://evil","x")', "+1", "-2", "@SUM(A1:A2)", "\tx", "\rx", "=1+1"],
)
def test_formula_starts_get_an_apostrophe(planted):
    assert neutralise(planted) == "'" + planted
    _, rows = read_back(csv_response(filename="x.csv", header=["Value"], rows=[[planted]]))
    assert rows[1] == ["'" + planted]


@pytest.mark.parametrize(
    "plain", ["Hannah Head", "head@willow.test", "a=b", "1-2", "", "Zoë O'Brien", "£12"]
)
def test_plain_values_are_untouched(plain):
    assert neutralise(plain) == plain
    _, rows = read_back(csv_response(filename="x.csv", header=["Value"], rows=[[plain]]))
    assert rows[1] == [plain]


def test_header_is_neutralised_too():
    _, rows = read_back(csv_response(filename="x.csv", header=["=cmd"], rows=[]))
    assert rows == [["'=cmd"]]


def test_file_has_a_bom_and_parses_back():
    response = csv_response(
        filename="people.csv",
        header=["Name", "Notes"],
        rows=[["Zoë", 'says "hello", then\nleaves'], ["Sam", None]],
    )
    body, rows = read_back(response)
    assert body.startswith(BOM.encode("utf-8"))
    assert rows == [["Name", "Notes"], ["Zoë", 'says "hello", then\nleaves'], ["Sam", ""]]


def test_dates_are_uk_style_and_times_are_london_time():
    summer = dt.datetime(2026, 7, 1, 23, 30, tzinfo=dt.UTC)  # 00:30 on 2 July in London (BST)
    winter = dt.datetime(2026, 1, 15, 9, 5, tzinfo=dt.UTC)  # GMT
    _, rows = read_back(
        csv_response(
            filename="x.csv",
            header=["Date", "Summer", "Winter", "Flag", "Count", "Amount", "Negative"],
            rows=[[dt.date(2026, 9, 1), summer, winter, True, 3, Decimal("2.50"), -2]],
        )
    )
    assert rows[1] == [
        "01/09/2026",
        "02/07/2026 00:30",
        "15/01/2026 09:05",
        "Yes",
        "3",
        "2.50",
        "-2",
    ]


def test_response_is_a_streamed_attachment():
    response = csv_response(filename="People at Willow Bank.csv", header=["A"], rows=iter([[1]]))
    assert response.streaming
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="People-at-Willow-Bank.csv"'
    assert response["Cache-Control"] == "private, no-store"


def test_unsafe_filename_is_cleaned():
    response = csv_response(filename='../evil"\r\n.csv', header=["A"], rows=[])
    assert response["Content-Disposition"] == 'attachment; filename="evil.csv"'


def test_rows_are_produced_lazily():
    produced = []

    def rows():
        for n in range(3):
            produced.append(n)
            yield [n]

    response = csv_response(filename="x.csv", header=["N"], rows=rows())
    assert produced == []  # nothing read before the response is sent
    read_back(response)
    assert produced == [0, 1, 2]
