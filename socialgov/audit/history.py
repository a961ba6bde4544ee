"""Per-object history pages from django-simple-history (DESIGN §5: Audit).

`history_rows(obj)` turns an object's historical records into rows a person can read: who, when,
created / changed / deleted, and "field: old → new" with choice labels and related objects' names.
A list (a JSON field such as the staff groups who must sign) reads as its items' labels joined by
commas, with `value_labels` naming the label of each stored value.
`render_history(request, obj, ...)` renders them; an app's history view is its own gateway call
followed by `render_history`, so history is shown exactly to those allowed to see the object.

Queries are constant in the number of records: one for the object's records (with who made them),
one per related history (`also`), and at most one per kind of related object named in a change.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from django.core.paginator import Paginator
from django.db import models
from django.db.models import QuerySet
from django.forms.models import model_to_dict
from django.shortcuts import render
from django.utils import dateformat, timezone

# Never shown, whatever the model: secrets and sign-in bookkeeping.
ALWAYS_HIDDEN = frozenset({"password", "last_login"})
EMPTY = "(empty)"
LONG_TEXT = 300
PAGE_SIZE = 50

_ACTIONS = {"+": "created", "~": "changed", "-": "deleted"}
_RELATED_WORDS = {"created": "added", "changed": "changed", "deleted": "removed"}


@dataclass(frozen=True)
class FieldChange:
    label: str
    old: str | None  # None: the record was created, there is no old value
    new: str


@dataclass
class HistoryRow:
    when: dt.datetime
    who: str
    action: str  # "created", "changed" or "deleted"
    summary: str  # e.g. "Created", "Membership role removed"
    changes: list[FieldChange] = field(default_factory=list)
    reason: str = ""
    order: tuple = ()


def history_rows(
    obj: models.Model,
    *,
    also: Iterable[QuerySet] = (),
    hidden_fields: Iterable[str] = (),
    value_labels: Mapping[str, Mapping[str, str]] | None = None,
) -> list[HistoryRow]:
    """Rows for `obj`'s history, newest first.

    `also` adds the history of related records, e.g. a membership's roles:
    `MembershipRole.history.filter(membership_id=membership.pk)`; their link back to `obj` is
    not shown. `hidden_fields` names further fields never to show (sensitive ones).
    `value_labels` maps a field's name to the labels of its stored values, e.g.
    `{"signer_groups": dict(StaffGroup.choices)}`: shown instead of the stored codes.
    """
    labels = value_labels or {}
    hidden = ALWAYS_HIDDEN | set(hidden_fields)
    groups: list[tuple[list, str | None, set[str]]] = [
        (
            list(obj.history.select_related("history_user").order_by("history_date", "history_id")),
            None,
            hidden,
        ),
    ]
    for queryset in also:
        model = queryset.model.instance_type
        parent_links = {
            f.name
            for f in model._meta.concrete_fields
            if f.is_relation and f.related_model is type(obj)
        }
        subject = str(model._meta.verbose_name).capitalize()
        groups.append(
            (
                list(
                    queryset.select_related("history_user").order_by("history_date", "history_id")
                ),
                subject,
                hidden | parent_links,
            )
        )

    pending: list[tuple[object, HistoryRow, list[tuple[str, object, object]]]] = []
    for records, subject, group_hidden in groups:
        previous_by_object: dict = {}
        for record in records:
            model = record.instance_type
            object_id = getattr(record, model._meta.pk.attname)
            previous = previous_by_object.get(object_id)
            previous_by_object[object_id] = record
            action = _ACTIONS.get(record.history_type, "changed")
            raw: list[tuple[str, object, object]] = []
            if action == "created":
                names = _shown_fields(model, group_hidden)
                raw = [(n, _NO_OLD, v) for n, v in model_to_dict(record, fields=names).items()]
            elif action == "changed" and previous is not None:
                delta = record.diff_against(previous, excluded_fields=group_hidden)
                raw = [(c.field, c.old, c.new) for c in delta.changes]
            # A deletion, or a first record that is a change (history began later): no fields.
            if subject is None:
                summary = action.capitalize()
            else:
                summary = f"{subject} {_RELATED_WORDS[action]}"
            row = HistoryRow(
                when=record.history_date,
                who=_who(record),
                action=action,
                summary=summary,
                reason=record.history_change_reason or "",
                order=(record.history_date, subject is None, record.history_id),
            )
            pending.append((model, row, raw))

    related = _load_related(pending)
    rows = []
    for model, row, raw in pending:
        for name, old, new in raw:
            model_field = model._meta.get_field(name)
            if old is _NO_OLD and new in (None, "", [], {}):
                continue
            row.changes.append(
                FieldChange(
                    label=str(model_field.verbose_name).capitalize(),
                    old=None
                    if old is _NO_OLD
                    else _display(model_field, old, related, labels.get(name)),
                    new=_display(model_field, new, related, labels.get(name)),
                )
            )
        rows.append(row)
    rows.sort(key=lambda r: r.order, reverse=True)
    return rows


_NO_OLD = object()


def _shown_fields(model, hidden: set[str]) -> list[str]:
    return [
        f.name
        for f in model._meta.concrete_fields
        if f.editable and not f.primary_key and f.name not in hidden
    ]


def _who(record) -> str:
    if record.history_user_id is None:
        return "System"
    if record.history_user is None:
        return "A person no longer registered"
    return record.history_user.get_full_name() or str(record.history_user)


def _load_related(pending) -> dict:
    """Names of every related object named in a change: one query per related model."""
    wanted: dict[type, set] = defaultdict(set)
    for model, _row, raw in pending:
        for name, old, new in raw:
            model_field = model._meta.get_field(name)
            if model_field.many_to_one or model_field.one_to_one:
                for value in (old, new):
                    if value is not None and value is not _NO_OLD:
                        wanted[model_field.related_model].add(value)
    return {
        related_model: related_model._base_manager.in_bulk(list(ids))
        for related_model, ids in wanted.items()
    }


def _display(model_field, value, related: dict, labels: Mapping[str, str] | None = None) -> str:
    if value is None or value == "" or value == [] or value == {}:
        return EMPTY
    if isinstance(value, list | tuple):
        # A list of codes (a JSON field): their labels, never the Python list.
        return ", ".join(str((labels or {}).get(item, item)) for item in value)
    if model_field.many_to_one or model_field.one_to_one:
        found = related.get(model_field.related_model, {}).get(value)
        return str(found) if found is not None else f"#{value} (no longer exists)"
    if model_field.choices:
        return str(dict(model_field.flatchoices).get(value, value))
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, dt.datetime):
        return dateformat.format(timezone.localtime(value), "d/m/Y H:i")
    if isinstance(value, dt.date):
        return dateformat.format(value, "d/m/Y")
    if isinstance(model_field, models.FileField):
        return getattr(value, "name", str(value)) or EMPTY
    text = str(value)
    return text if len(text) <= LONG_TEXT else text[: LONG_TEXT - 1] + "…"


def render_history(
    request,
    obj: models.Model,
    *,
    title: str,
    back_url: str,
    also: Iterable[QuerySet] = (),
    hidden_fields: Iterable[str] = (),
    value_labels: Mapping[str, Mapping[str, str]] | None = None,
):
    """The history page of `obj`. Call the app's gateway first: this shows whatever it is given."""
    rows = history_rows(obj, also=also, hidden_fields=hidden_fields, value_labels=value_labels)
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "audit/object_history.html",
        {"object": obj, "title": title, "back_url": back_url, "page": page},
    )
