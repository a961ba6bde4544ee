"""The school-wide reads (gaps, counts, the dashboard) read settled states from four small
columns and only the changing ones in full: they must give exactly what the full reading gives."""

import datetime as dt
from collections import Counter

import pytest

from consent import selectors, services
from consent.models import Outcome
from consent.rules import Status
from tests.consent.factories import default_purposes, pupil_for, record

pytestmark = pytest.mark.django_db
D = dt.date


@pytest.mark.parametrize("presume", [False, True])
def test_school_cells_agree_with_reading_each_timeline_in_full(
    school, office, dsl, headteacher, presume
):
    services.consent_settings_update(school=school, actor=headteacher, presume_competence=presume)
    purposes = list(default_purposes(school).values())
    website, social, press, displays = (
        next(p for p in purposes if p.kind == kind)
        for kind in ("website", "social_media", "press", "displays")
    )
    services.purpose_update(purpose=press, actor=headteacher, valid_for_years=1)
    press.refresh_from_db()
    pupils = [pupil_for(school, office, date_of_birth=D(2012, 5, 1)) for _ in range(6)]
    record(pupils[0], website, office, received_on=D(2025, 9, 1))
    record(pupils[0], social, office, received_on=D(2025, 9, 1), expires_on=D(2026, 12, 20))
    record(pupils[1], website, office, received_on=D(2025, 9, 1))
    record(pupils[1], website, office, Outcome.WITHDRAWN, received_on=D(2026, 11, 30),
           effective_on=D(2026, 12, 10))  # fmt: skip
    record(pupils[2], press, office, received_on=D(2025, 9, 3))
    record(pupils[3], website, office, received_on=D(2025, 9, 1))
    record(pupils[3], website, office, Outcome.REFUSED, received_on=D(2025, 9, 9), by_pupil=True)
    record(pupils[4], displays, office, Outcome.OBJECTED, received_on=D(2025, 9, 1))
    services.photo_restriction_set(pupil=pupils[5], actor=dsl, reason="Court order")
    rule = selectors.competence_rule(type(school).objects.get(pk=school.pk))
    for on in (D(2025, 8, 31), D(2025, 9, 5), D(2026, 9, 1), D(2026, 12, 1), D(2026, 12, 15)):
        facts = selectors.pupil_facts(school, on)
        fast = selectors.school_cells(type(school).objects.get(pk=school.pk), purposes, on, facts)
        states = selectors.states_for(pupils, purposes)
        for pupil in facts:
            for purpose in purposes:
                full = selectors.cell_for(
                    pupil=pupil, purpose=purpose, state=states.get((pupil.pk, purpose.pk)),
                    on=on, restricted=pupil.restricted_now, rule=rule,
                )  # fmt: skip
                assert fast[(pupil.pk, purpose.pk)].status == full.status, (on, pupil, purpose)


@pytest.mark.parametrize("presume", [False, True])
def test_pupils_missing_consent_agrees_with_reading_each_timeline_in_full(
    school, office, dsl, headteacher, presume
):
    """The summary strip's count (settled pupils counted by the database, changing ones cell
    by cell) equals the count from every pupil's full timelines, on days before, during and
    after changes: no decision, an expired yes, a withdrawal to come, a pupil's own refusal,
    a restriction, a leaver."""
    services.consent_settings_update(school=school, actor=headteacher, presume_competence=presume)
    purposes = list(default_purposes(school).values())
    website, social, press = (
        next(p for p in purposes if p.kind == kind) for kind in ("website", "social_media", "press")
    )
    services.purpose_update(purpose=press, actor=headteacher, valid_for_years=1)
    purposes = list(default_purposes(school).values())
    pupils = [pupil_for(school, office, date_of_birth=D(2012, 5, 1)) for _ in range(7)]
    for pupil in pupils[:5]:  # every purpose granted for the first five
        for purpose in purposes:
            if purpose.needs_consent:
                record(pupil, purpose, office, received_on=D(2025, 9, 1))
    record(pupils[0], social, office, received_on=D(2025, 9, 1), expires_on=D(2026, 12, 20))
    record(pupils[1], website, office, Outcome.WITHDRAWN, received_on=D(2026, 11, 30),
           effective_on=D(2026, 12, 10))  # fmt: skip
    record(pupils[2], website, office, Outcome.REFUSED, received_on=D(2025, 9, 9), by_pupil=True)
    services.photo_restriction_set(pupil=pupils[3], actor=dsl, reason="Court order")
    record(pupils[5], website, office, received_on=D(2025, 9, 1))  # the rest: no decision
    type(pupils[4]).objects.filter(pk=pupils[4].pk).update(leaving_date=D(2026, 12, 5))

    fresh = type(school).objects.get(pk=school.pk)
    rule = selectors.competence_rule(fresh)
    needing = [p for p in purposes if p.needs_consent]
    counts = []
    for on in (D(2025, 8, 31), D(2025, 9, 5), D(2026, 9, 1), D(2026, 12, 1), D(2026, 12, 15),
               D(2027, 1, 1)):  # fmt: skip
        facts = selectors.pupil_facts(fresh, on)
        states = selectors.states_for(pupils, purposes)
        full = sum(
            not pupil.restricted_now
            and any(
                selectors.cell_for(
                    pupil=pupil,
                    purpose=purpose,
                    state=states.get((pupil.pk, purpose.pk)),
                    on=on,
                    restricted=False,
                    rule=rule,
                ).status
                in selectors.MISSING_OR_EXPIRED  # fmt: skip
                for purpose in needing
            )
            for pupil in facts
        )
        assert selectors.pupils_missing_consent(type(school).objects.get(pk=school.pk), on) == full
        counts.append(full)
    assert max(counts) >= 3 and len(set(counts)) > 1, counts  # the fixture tells days apart


def _mixed_register(school, office, dsl, headteacher, presume):
    """Two classes in two year groups whose statuses change over the days read: yeses for
    every purpose, an expiring yes, a withdrawal to come, a yes not yet in force, a pupil's own
    refusal (counted or not by the presumption of competence), an objection to a public-task
    purpose, restrictions (one from 01/09/2026), leavers, and pupils with some or no
    decisions."""
    services.consent_settings_update(school=school, actor=headteacher, presume_competence=presume)
    purposes = list(default_purposes(school).values())
    website, social, press, displays = (
        next(p for p in purposes if p.kind == kind)
        for kind in ("website", "social_media", "press", "displays")
    )
    services.purpose_update(purpose=press, actor=headteacher, valid_for_years=1)
    purposes = list(default_purposes(school).values())
    older = [
        pupil_for(school, office, date_of_birth=D(2012, 5, 1), year_group=7,
                  registration_group="7A")
        for _ in range(6)
    ]  # fmt: skip
    younger = [pupil_for(school, office) for _ in range(4)]  # year 3, class 3B
    for pupil in older[:5] + younger[:2]:  # every consent purpose granted
        for purpose in purposes:
            if purpose.needs_consent:
                record(pupil, purpose, office, received_on=D(2025, 9, 1))
    record(older[0], social, office, received_on=D(2025, 9, 1), expires_on=D(2026, 12, 20))
    record(older[1], website, office, Outcome.WITHDRAWN, received_on=D(2026, 11, 30),
           effective_on=D(2026, 12, 10))  # fmt: skip
    record(older[2], website, office, Outcome.REFUSED, received_on=D(2025, 9, 9), by_pupil=True)
    services.photo_restriction_set(pupil=older[3], actor=dsl, reason="Court order")
    type(older[4]).objects.filter(pk=older[4].pk).update(leaving_date=D(2026, 12, 5))
    record(older[5], website, office, received_on=D(2025, 9, 1))  # the rest: no decision
    record(younger[0], displays, office, Outcome.OBJECTED, received_on=D(2025, 9, 1))
    record(younger[1], press, office, received_on=D(2026, 11, 20), effective_on=D(2026, 12, 8))
    record(younger[2], website, office, received_on=D(2026, 9, 1))
    type(younger[3]).objects.filter(pk=younger[3].pk).update(leaving_date=D(2026, 12, 5))
    later = pupil_for(school, office, date_of_birth=D(2012, 5, 1), year_group=7,
                      registration_group="7A")  # fmt: skip
    services.photo_restriction_set(pupil=later, actor=dsl, reason="Court order",
                                   starts_on=D(2026, 9, 1))  # fmt: skip
    fresh = type(school).objects.get(pk=school.pk)
    return fresh, [*older, *younger, later], purposes


DAYS = (D(2025, 8, 31), D(2025, 9, 5), D(2026, 9, 1), D(2026, 12, 1), D(2026, 12, 9),
        D(2026, 12, 15), D(2027, 1, 1))  # fmt: skip


def _full_cells(school, pupils, purposes, on):
    """(pupil facts, purpose, status) of every current pupil, from their timelines in full."""
    rule = selectors.competence_rule(school)
    states = selectors.states_for(pupils, purposes)
    for pupil in selectors.pupil_facts(school, on):
        for purpose in purposes:
            yield pupil, purpose, selectors.cell_for(
                pupil=pupil, purpose=purpose, state=states.get((pupil.pk, purpose.pk)), on=on,
                restricted=pupil.restricted_now, rule=rule,
            ).status  # fmt: skip


@pytest.mark.parametrize("presume", [False, True])
def test_gaps_agree_with_reading_each_timeline_in_full(school, office, dsl, headteacher, presume):
    """The gaps page's list (the pupils who may have a gap picked by the database, their
    settled purposes read as flags, the changing ones cell by cell) and the report's count of
    pupils with a gap equal the full reading, school-wide and for one class, on days before,
    during and after changes."""
    fresh, pupils, purposes = _mixed_register(school, office, dsl, headteacher, presume)
    needing = [p for p in purposes if p.needs_consent]
    found = []
    for on in DAYS:
        for group in (None, "7A"):
            missing: dict[int, list[int]] = {}
            for pupil, purpose, status in _full_cells(fresh, pupils, needing, on):
                if status == Status.NO_DECISION and group in (None, pupils_by_pk(pupils, pupil)):
                    missing.setdefault(pupil.pk, []).append(purpose.pk)
            fast = selectors.gaps(type(school).objects.get(pk=school.pk), on, group=group)
            assert [(gap.pupil_id, [p.pk for p in gap.purposes]) for gap in fast] == list(
                missing.items()
            ), (on, group)
            if group is None:
                fresh_school = type(school).objects.get(pk=school.pk)
                assert selectors.pupils_with_gap(fresh_school, purposes, on) == len(missing), on
                found.append(len(missing))
    assert max(found) >= 3 and len(set(found)) >= 3, found  # the fixture tells days apart


def pupils_by_pk(pupils, facts) -> str:
    return next(p.registration_group for p in pupils if p.pk == facts.pk)


@pytest.mark.parametrize("presume", [False, True])
def test_status_counts_agree_with_reading_each_timeline_in_full(
    school, office, dsl, headteacher, presume
):
    """The governors' counts and the report's counts by year group (restricted pupils and
    settled states counted by the database, changing ones cell by cell) equal the full
    reading, for every purpose, status and year group, on days before, during and after
    changes."""
    fresh, pupils, purposes = _mixed_register(school, office, dsl, headteacher, presume)
    seen = set()
    for on in DAYS:
        for by_year in (False, True):
            full: Counter = Counter()
            on_roll: Counter = Counter()
            for pupil, purpose, status in _full_cells(fresh, pupils, purposes, on):
                year = pupil.year_group if by_year else None
                full[(purpose.pk, year, status)] += 1
                on_roll[year] += purpose is purposes[0]
            fast = selectors.status_counts(
                type(school).objects.get(pk=school.pk), purposes, on, by_year=by_year
            )
            assert fast.cells == +full, (on, by_year)
            assert fast.pupils == +on_roll, (on, by_year)
            seen.add(tuple(sorted(full.items())))
        counts = selectors.consent_counts(type(school).objects.get(pk=school.pk), on)
        for count in counts:
            statuses = Counter(s for _, p, s in _full_cells(fresh, pupils, [count.purpose], on))
            assert (count.pupils, count.allowed) == (sum(statuses.values()),
                                                     statuses[Status.ALLOWED]), on  # fmt: skip
    statuses = {status for cells in seen for (_, _, status), _ in cells}
    assert {Status.RESTRICTED, Status.NO_DECISION, Status.ALLOWED, Status.OBJECTED} <= statuses
    assert len(seen) >= 8, len(seen)  # the fixture tells days apart


@pytest.mark.parametrize("presume", [False, True])
def test_the_reports_consent_tables_agree_with_reading_each_timeline_in_full(
    school, office, dsl, headteacher, presume
):
    """The governors' report's consent section (its counts from `status_counts` by year group
    and `pupils_with_gap`) gives, by purpose and by year group, what the full reading gives."""
    from consent.governors import consent_section
    from socialgov.reports.registry import Period

    fresh, pupils, purposes = _mixed_register(school, office, dsl, headteacher, presume)
    in_use = list(selectors.active_purposes(fresh))
    for on in (D(2025, 9, 5), D(2026, 9, 1), D(2026, 12, 1)):  # days past (a report's end)
        by_year: Counter = Counter()
        gap_pupils = set()
        for pupil, purpose, status in _full_cells(fresh, pupils, in_use, on):
            key = (purpose.name, pupil.year_group)
            by_year[(*key, "pupils")] += 1
            by_year[(*key, "allowed")] += status == Status.ALLOWED
            if status == Status.NO_DECISION and purpose.needs_consent:
                by_year[(*key, "gap")] += 1
                gap_pupils.add(pupil.pk)
        content = consent_section(
            type(school).objects.get(pk=school.pk), Period(starts_on=on, ends_on=on, label="A day")
        )
        years = next(t for t in content.tables if t.slug == "year-groups")
        assert len(years.rows) == len({(p, y) for p, y, _ in by_year}), on
        for name, year_label, on_roll, allowed, _, gap in years.rows:
            year = next(y for p, y, _ in by_year if selectors.year_group_label(y) == year_label)
            assert (on_roll, allowed, gap) == (
                by_year[(name, year, "pupils")], by_year[(name, year, "allowed")],
                by_year[(name, year, "gap")],
            ), (on, name, year_label)  # fmt: skip
        figures = {f.label: f.value for f in content.figures}
        assert figures["Pupils with a consent gap"] == len(gap_pupils), on


@pytest.mark.parametrize("presume", [False, True])
def test_the_roll_ups_consent_gaps_agree_with_each_schools_own_count(
    school, sister_school, office, dsl, headteacher, sister_head, presume
):
    """The trust roll-up counts every school's pupils with a gap at once (by school, schools
    grouped by how many purposes they use): each school's figure is the count of its own
    gaps (`pupils_with_gap`, itself checked against the full reading above), on days before,
    during and after changes, with the presumption of competence on in one school only."""
    from consent.governors import consent_gaps_by_school
    from tests.factories import person_in

    fresh, _pupils, purposes = _mixed_register(school, office, dsl, headteacher, presume)
    sister_office = person_in(sister_school, "office", full_name="Sister Office")
    sister_purposes = list(default_purposes(sister_school).values())
    needing = [p for p in sister_purposes if p.needs_consent]
    services.purpose_update(purpose=needing[-1], actor=sister_head, is_active=False)
    everything, nothing, later = (pupil_for(sister_school, sister_office) for _ in range(3))
    for purpose in needing:
        record(everything, purpose, sister_office, received_on=D(2025, 9, 1))
        record(later, purpose, sister_office, received_on=D(2026, 11, 20),
               effective_on=D(2026, 12, 8))  # fmt: skip
    assert nothing
    found = []
    for on in DAYS:
        schools = [type(school).objects.get(pk=s.pk) for s in (school, sister_school)]
        expected = {
            s.pk: selectors.pupils_with_gap(s, selectors.active_purposes(s), on) for s in schools
        }
        assert consent_gaps_by_school(schools, on) == expected, on
        found.append(tuple(expected.values()))
    assert len(set(found)) >= 3, found  # the fixture tells days apart
