"""django-stubs' mypy plugin, taught django-simple-history's `obj._history_user = actor` (how
services record who made a change, STYLE): every model class that keeps
`history = HistoricalRecords()` gets a typed `_history_user` attribute, so the assignment
type-checks on those models (and only on those).

It extends the django-stubs plugin rather than sitting beside it because mypy calls only one
plugin's hook for a class's base class.
"""

from __future__ import annotations

from collections.abc import Callable

from mypy.nodes import AssignmentStmt, NameExpr
from mypy.plugin import ClassDefContext, Plugin
from mypy.plugins.common import add_attribute_to_class
from mypy_django_plugin import main as django_plugin


def _keeps_history(ctx: ClassDefContext) -> bool:
    return any(
        isinstance(statement, AssignmentStmt)
        and any(isinstance(t, NameExpr) and t.name == "history" for t in statement.lvalues)
        for statement in ctx.cls.defs.body
    )


def _add_history_user(ctx: ClassDefContext) -> None:
    if "_history_user" in ctx.cls.info.names or not _keeps_history(ctx):
        return
    # Who made the change: a person (socialgov.people.models.User), or None for the system.
    user = ctx.api.named_type_or_none("socialgov.people.models.User") or ctx.api.named_type(
        "builtins.object"
    )
    add_attribute_to_class(ctx.api, ctx.cls, "_history_user", user)


class DjangoWithHistoryPlugin(django_plugin.NewSemanalDjangoPlugin):
    def get_base_class_hook(self, fullname: str) -> Callable[[ClassDefContext], None] | None:
        django_hook = super().get_base_class_hook(fullname)
        info = self._get_typeinfo_or_none(fullname)
        if django_hook is None or info is None or not django_plugin.helpers.is_model_type(info):
            return django_hook

        def hook(ctx: ClassDefContext) -> None:
            django_hook(ctx)
            _add_history_user(ctx)

        return hook


def plugin(version: str) -> type[Plugin]:
    return DjangoWithHistoryPlugin
