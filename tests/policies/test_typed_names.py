"""Typed names match as people type them (issue 9.4): NFKC, every apostrophe and quote variant as
one, case and spacing ignored, accents optional; the stored name is what the person typed."""

import pytest
from django.urls import reverse

from policies.models import Signature
from policies.typed_names import typed_name_matches
from socialgov.people.roles import Role, StaffGroup
from tests.factories import person_in
from tests.policies.factories import policy_for, published_version_for

RECORDED = "Siobhán O’Neill"  # noqa: RUF001 (the curly apostrophe is the point)

SIGNS = [
    "Siobhán O’Neill",  # noqa: RUF001 exactly as recorded
    "Siobhan O'Neill",  # no accent, straight apostrophe: what most keyboards give
    "Siobhán O'Neill",
    "Siobhan O‘Neill",  # noqa: RUF001 left single quote
    "Siobhan OʼNeill",  # modifier letter apostrophe
    "Siobhan O´Neill",  # acute accent typed as an apostrophe
    "Siobhan O`Neill",  # grave accent
    "Siobhan O＇Neill",  # noqa: RUF001 full-width apostrophe (some phone keyboards)
    "siobhan o'neill",  # case
    "SIOBHÁN O’NEILL",  # noqa: RUF001
    "  Siobhan   O'Neill  ",  # spacing
    "Siobhan\u00a0O'Neill",  # a no-break space
    "Siobhan O' Neill",
    "Siobha\u0301n O'Neill",  # the accent as a combining mark (NFD input)
    "Siobhan O\u200b'Neill",  # a zero-width space pasted in
]

DOES_NOT_SIGN = [
    "",
    "   ",
    "Siobhan",  # first name only
    "O'Neill",
    "Siobhan O'Neil",  # a letter missing
    "Siobhan ONeill",  # the apostrophe missing
    "Siobhan O-Neill",
    "Neill O'Siobhan",
    "Siobhan O'Neill-Smith",
    "Sam Staff",  # someone else
]


@pytest.mark.parametrize("typed", SIGNS)
def test_these_typed_names_sign(typed):
    assert typed_name_matches(typed, RECORDED)


@pytest.mark.parametrize("typed", DOES_NOT_SIGN)
def test_these_typed_names_do_not_sign(typed):
    assert not typed_name_matches(typed, RECORDED)


@pytest.mark.parametrize(
    "recorded,typed",
    [
        ("Zoë Brontë", "Zoe Bronte"),
        ("Søren Kierkegaard", "Soren Kierkegaard"),
        ("Łukasz Wałęsa", "Lukasz Walesa"),
        ("Dorothea Groß", "Dorothea Gross"),
        ("Aoife Ní Bhriain", "aoife ni bhriain"),
        ("Mary-Jane D’Arcy", "mary-jane d'arcy"),  # noqa: RUF001
    ],
)
def test_accents_are_optional_in_other_names_too(recorded, typed):
    assert typed_name_matches(typed, recorded)
    assert typed_name_matches(recorded, recorded)


@pytest.fixture
def siobhan(school):
    return person_in(school, Role.STAFF, group=StaffGroup.TEACHER, full_name=RECORDED)


@pytest.mark.django_db
def test_a_member_of_staff_signs_with_a_straight_apostrophe_and_no_accent(
    client_for, school, headteacher, siobhan
):
    version = published_version_for(policy_for(school, headteacher), headteacher)
    url = reverse("version_sign", kwargs={"pk": version.pk})
    page = client_for(siobhan).get(url).content.decode()
    assert "Siobhán O’Neill" in page  # noqa: RUF001 the page shows the name it expects
    response = client_for(siobhan).post(url, {"agreed": "on", "typed_name": "Siobhan O'Neill"})
    assert response.status_code == 302
    signature = Signature.objects.get(version=version, signer=siobhan)
    assert signature.typed_name == "Siobhan O'Neill"  # what she typed, not the recorded name


@pytest.mark.django_db
def test_a_name_that_does_not_match_is_refused_with_the_expected_name(
    client_for, school, headteacher, siobhan
):
    version = published_version_for(policy_for(school, headteacher), headteacher)
    url = reverse("version_sign", kwargs={"pk": version.pk})
    response = client_for(siobhan).post(url, {"agreed": "on", "typed_name": "Siobhan O'Neil"})
    assert response.status_code == 200
    assert "Type your full name exactly as it is recorded: Siobhán O’Neill" in (  # noqa: RUF001
        response.content.decode()
    )
    assert not Signature.objects.filter(version=version).exists()
