"""The benchmark's data generators (socialgov.benchmark.registry): at `small` scale each makes
what it promises, running them again on the same database changes nothing, and every page,
PDF, import and job a generator's data serves can be found."""

import pytest

from socialgov.benchmark import registry
from socialgov.benchmark.registry import SCALES, Bench
from socialgov.people.models import TrustMembership

pytestmark = pytest.mark.django_db


@pytest.fixture
def bench():
    registry.discover()
    bench = Bench(SCALES["small"])
    for generator in registry.GENERATORS.entries():
        generator.generate(bench)
    return bench


def counts(bench):
    return {g.name: g.counted(bench) for g in registry.GENERATORS.entries()}


def test_every_core_app_registers_its_data_and_pages():
    registry.discover()
    assert {"people", "notifications", "access log", "policies"} <= {
        g.name for g in registry.GENERATORS.entries()
    }
    assert {
        "dashboard (headteacher)",
        "people list",
        "join invitation",
        "policy list",
        "policy page",
        "coverage page (staff AUP)",
        "to sign (staff)",
        "notifications",
        "access log",
        "history of the school",
    } <= {p.name for p in registry.PAGES.entries()}
    assert "signed staff AUP" in [c.name for c in registry.PDFS.entries()]
    assert registry.IMPORTS.entries() and registry.JOBS.entries()


def test_at_small_scale_every_generator_makes_what_it_promises(bench):
    scale = bench.scale
    made = counts(bench)
    for generator in registry.GENERATORS.entries():
        assert made[generator.name] == generator.promised(scale), generator.name
    assert made["people"]["schools"] == 2
    assert made["people"]["current staff"] == 220
    # The large school is ten times the small one: the query counts at two sizes.
    assert scale.per_school(scale.staff) == [200, 20]
    assert all(n > 0 for c in made.values() for n in c.values())


def test_running_the_generators_again_on_the_same_database_changes_nothing(bench):
    before = counts(bench)
    for generator in registry.GENERATORS.entries():
        generator.generate(bench)
    assert counts(bench) == before


def test_each_page_has_a_person_to_sign_in_as_and_a_url_in_both_schools(bench):
    for page in registry.PAGES.entries():
        for school in (bench.large, bench.small):
            person = bench.person(school, page.as_role)
            if page.as_role == registry.TRUST_EXECUTIVE:  # the trust's, in no school
                assert TrustMembership.objects.filter(user=person, trust=bench.trust).exists()
            else:
                assert person.memberships.filter(school=school).exists()
            assert page.path(bench, school).startswith("/")


def test_the_trust_scale_matches_the_issue_and_shares_it_tenfold():
    trust = SCALES["trust"]
    assert (trust.schools, trust.staff, trust.pupils) == (50, 5000, 20000)
    staff = trust.per_school(trust.staff)
    assert sum(staff) == 5000 and len(staff) == 50
    assert staff[0] == 847 and set(staff[1:]) == {84, 85}
    school = SCALES["school"]
    assert school.per_school(school.staff)[0] == 800
    assert school.per_school(school.pupils)[0] == 2000


def test_a_session_made_directly_opens_pages_that_need_two_factor(bench, client):
    from django.urls import reverse

    from socialgov.benchmark.sessions import session_cookie
    from socialgov.people.roles import Role

    headteacher = bench.person(bench.small, Role.HEADTEACHER)
    client.cookies.load(session_cookie(headteacher, bench.small))
    response = client.get(reverse("people_list"))
    assert response.status_code == 200
    assert response.wsgi_request.school == bench.small


def test_the_join_invitation_page_opens_for_the_invited_member_of_staff_in_both_schools(
    bench, client
):
    from socialgov.benchmark.sessions import session_cookie
    from socialgov.people.roles import Role

    page = next(p for p in registry.PAGES.entries() if p.name == "join invitation")
    for school, other in [(bench.large, bench.small), (bench.small, bench.large)]:
        client.cookies.load(session_cookie(bench.person(school, Role.STAFF), school))
        response = client.get(page.path(bench, school))
        assert response.status_code == 200
        assert other.name in response.content.decode()
