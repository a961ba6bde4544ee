"""Database lookups the core adds to Django's, so hostile input never reaches a driver error.

Django (5.0+) already answers `pk=10**25` with "no such row" instead of passing a number no
integer column can hold to the database; `pk__in=[10**25]` it still passes on, and SQLite's
driver raises OverflowError (a 500 from any ModelMultipleChoiceField given a 25-digit id).
`IntegerFieldIn` drops such values from an `__in` list the same way: they can match no row.
"""

from django.core.exceptions import EmptyResultSet
from django.db.models import IntegerField
from django.db.models.lookups import In


class IntegerFieldIn(In):
    def process_rhs(self, compiler, connection):
        if self.rhs_is_direct_value():
            internal_type = self.lhs.output_field.get_internal_type()
            low, high = connection.ops.integer_field_range(internal_type)
            kept = [
                value
                for value in self.rhs
                if not isinstance(value, int)
                or ((low is None or value >= low) and (high is None or value <= high))
            ]
            if not kept:
                raise EmptyResultSet
            self.rhs = kept
        return super().process_rhs(compiler, connection)


def register() -> None:
    IntegerField.register_lookup(IntegerFieldIn)
