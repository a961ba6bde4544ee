"""The term dates gateway (socialgov.terms.access), tested directly."""

from socialgov.terms.access import term_dates_editable_by


def test_term_dates_are_kept_by_the_headteacher_and_office_of_the_school(
    school, headteacher, office, colleague, dsl, outsider, sister_head, trust_executive
):
    assert term_dates_editable_by(headteacher, school)
    assert term_dates_editable_by(office, school)
    for other in (colleague, dsl, outsider, sister_head, trust_executive):
        assert not term_dates_editable_by(other, school)
