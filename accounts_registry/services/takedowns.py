"""Takedown tasks: a published post shows a pupil who may no longer appear for its account's
purpose. Created by consent's withdrawal listener (a withdrawal, a restriction, a pupil leaving)
and by the daily sweep (expiry and re-confirmation lapses); one per post and pupil, ever (a
database constraint). Worked by the account's administrators until closed with what was done."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from accounts_registry import access as accounts_access
from accounts_registry.models import (
    PostPupil,
    PostStatus,
    TakedownCause,
    TakedownOutcome,
    TakedownTask,
)
from accounts_registry.services.common import clean_text, require
from consent import check as consent_check_module
from consent.listeners import ConsentWithdrawal

LISTENER_NAME = "accounts_registry.takedowns"
# Posts that are out there: published (a post taken down is closed, not swept again).
LIVE_POST_STATUSES = (PostStatus.PUBLISHED,)


def _create_tasks(rows: list[tuple], *, cause: str, due_on: dt.date) -> list[TakedownTask]:
    """Tasks for (post_id, school_id, pupil_id, reason) rows that have none yet; the others
    are left alone. Returns the new tasks, with their posts and accounts."""
    if not rows:
        return []
    existing = set(
        TakedownTask.objects.filter(post_id__in={post_id for post_id, _, _, _ in rows}).values_list(
            "post_id", "pupil_id"
        )
    )
    wanted = [
        TakedownTask(
            school_id=school_id,
            post_id=post_id,
            pupil_id=pupil_id,
            cause=cause,
            reason=str(reason)[:40],
            due_on=due_on,
        )
        for post_id, school_id, pupil_id, reason in rows
        if (post_id, pupil_id) not in existing
    ]
    if not wanted:
        return []
    # ignore_conflicts: a task made at the same moment by another transaction wins quietly.
    TakedownTask.objects.bulk_create(wanted, ignore_conflicts=True)
    created = list(
        TakedownTask.objects.filter(
            post_id__in={task.post_id for task in wanted},
            created_at__gte=min(task.created_at for task in wanted),
        )
        .select_related("post", "post__account", "post__account__school")
        .order_by("pk")
    )
    keys = {(task.post_id, task.pupil_id) for task in wanted}
    return [task for task in created if (task.post_id, task.pupil_id) in keys]


def _notify(tasks: list[TakedownTask]) -> None:
    """Each account's administrators hear once per account, however many tasks it got."""
    from accounts_registry.services import notify

    by_account: dict[int, list[TakedownTask]] = defaultdict(list)
    for task in tasks:
        by_account[task.post.account_id].append(task)
    for account_tasks in by_account.values():
        notify.takedowns_created(account_tasks, account_tasks[0].post.account)


def on_withdrawal(change: ConsentWithdrawal) -> None:
    """Consent's withdrawal listener (inside the withdrawal's transaction): one task for each
    published post showing the pupil on an account checked against that purpose."""
    shown = (
        PostPupil.objects.filter(
            pupil_id=change.pupil.pk,
            post__status__in=LIVE_POST_STATUSES,
            post__account__consent_purpose_id=change.purpose.pk,
        )
        .values_list("post_id", "post__school_id")
        .order_by("post_id")
    )
    reason = {"decision": "withdrawn", "restriction": "restricted", "left": "left"}.get(
        change.cause, change.cause
    )
    rows = [(post_id, school_id, change.pupil.pk, reason) for post_id, school_id in shown]
    cause = {
        "decision": TakedownCause.DECISION,
        "restriction": TakedownCause.RESTRICTION,
        "left": TakedownCause.LEFT,
    }.get(change.cause, TakedownCause.DECISION)
    _notify(_create_tasks(rows, cause=cause, due_on=max(change.on, timezone.localdate())))


@dataclass(frozen=True)
class SweepResult:
    posts_checked: int
    created: int


@transaction.atomic
def takedowns_sweep(*, on: dt.date | None = None) -> SweepResult:
    """Re-check every published post of every school against current consent (expiry and
    re-confirmation lapses are not announced by consent). A fixed number of queries whatever the
    number of posts: the posts' pupils, the pupils, their states, the schools' competence rules,
    the tasks that exist; then one insert (and a notification per new task)."""
    on = on or timezone.localdate()
    shown = list(
        PostPupil.objects.filter(post__status__in=LIVE_POST_STATUSES).values_list(
            "post_id", "post__school_id", "pupil_id", "post__account__consent_purpose_id"
        )
    )
    if not shown:
        return SweepResult(0, 0)
    from consent.models import Purpose
    from socialgov.people.models import School

    purposes = {p.pk: p for p in Purpose.objects.filter(pk__in={row[3] for row in shown})}
    schools = {
        s.pk: s
        for s in School.objects.filter(
            pk__in={p.school_id for p in purposes.values()}
        ).select_related("consent_settings")
    }
    rules = {}
    for school in schools.values():
        settings = getattr(school, "consent_settings", None)
        rules[school.pk] = consent_check_module.CompetenceRule(
            presume=bool(settings and settings.presume_competence),
            age=school.pupil_competence_age,
        )
    pupils = {p.pk: p for p in consent_check_module.pupils_for_check({r[2] for r in shown}, on)}
    states = consent_check_module.load_states(pupils, purposes)
    rows = []
    for post_id, school_id, pupil_id, purpose_id in shown:
        pupil, purpose = pupils[pupil_id], purposes[purpose_id]
        status = consent_check_module.status_from_state(
            pupil=pupil,
            purpose=purpose,
            state=states.get((pupil_id, purpose_id)),
            on=on,
            restricted=pupil.restricted_now,
            rule=rules[purpose.school_id],
        )
        if status != consent_check_module.Status.ALLOWED:
            rows.append((post_id, school_id, pupil_id, status.value))
    created = _create_tasks(rows, cause=TakedownCause.SWEEP, due_on=on)
    _notify(created)
    return SweepResult(len({row[0] for row in shown}), len(created))


@transaction.atomic
def takedown_close(
    *, task: TakedownTask, actor, outcome: str, note: str = "", done_on: dt.date | None = None
) -> TakedownTask:
    """Close a task with what was done and when; "removed" takes the post down."""
    task = (
        TakedownTask.objects.select_for_update(of=("self",))
        .select_related("post", "post__account", "school")
        .get(pk=task.pk)
    )
    if not task.is_open:
        raise ValidationError("This takedown task is already closed.")
    require(
        accounts_access.can_close_takedown(actor, task),
        "Only the account's administrators, the headteacher and deputy close a takedown.",
    )
    note = clean_text(note)
    errors: dict[str, list[str]] = {}
    if outcome not in TakedownOutcome.values:
        errors["outcome"] = ["Choose what was done."]
    if outcome == TakedownOutcome.COULD_NOT_REMOVE and not note:
        errors["note"] = ["Say why it could not be removed, and what happens next."]
    if not isinstance(done_on, dt.date):
        errors["done_on"] = ["Enter when it was done, like 01/09/2026."]
    elif done_on > timezone.localdate():
        errors["done_on"] = ["The date cannot be in the future."]
    if errors:
        raise ValidationError(errors)
    task.outcome, task.outcome_note, task.done_on = outcome, note, done_on
    task.closed_at, task.closed_by = timezone.now(), actor
    task._history_user = actor
    task.full_clean()
    task.save()
    if outcome == TakedownOutcome.REMOVED:
        from accounts_registry.services.posts import post_take_down

        post_take_down(post=task.post, actor=actor)
    return task


def open_tasks_by_school() -> dict[int, list[TakedownTask]]:
    grouped: dict[int, list[TakedownTask]] = defaultdict(list)
    for task in TakedownTask.objects.filter(closed_at__isnull=True).select_related(
        "school", "post", "post__account"
    ):
        grouped[task.school_id].append(task)
    return grouped
