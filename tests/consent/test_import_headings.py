"""Issue 11, deliverable 1: one mapping table recognises the common headings of SIMS reports,
Arbor and Bromcom exports, every one the issue names, whatever their case and punctuation."""

import pytest

from consent.pupil_import import PUPIL_CSV

NAMED_IN_THE_ISSUE = {
    "legal_surname": ["Legal Surname", "Last Name"],
    "legal_forename": ["Legal Forename", "First Name"],
    "preferred_forename": ["Preferred Forename"],
    "date_of_birth": ["DOB", "Date of Birth"],
    "year_group": ["Year", "Year Group"],
    "registration_group": ["Reg", "Reg Group", "Registration Form", "Tutor Group"],
    "upn": ["UPN"],
    "admission_number": ["Adno", "Admission Number"],
    "admission_date": ["Admission Date", "Date of Admission"],
    "leaving_date": ["Leaving Date"],
}
CASES = [(key, heading) for key, headings in NAMED_IN_THE_ISSUE.items() for heading in headings]


@pytest.mark.parametrize("key,heading", CASES, ids=[h for _, h in CASES])
def test_each_named_heading_is_recognised_as_its_column_only(key, heading):
    for spelling in (heading, heading.upper(), f" {heading.lower()}: ", heading.replace(" ", "_")):
        matched = [c.key for c in PUPIL_CSV.columns if c.matches(spelling)]
        assert matched == [key], (spelling, matched)
