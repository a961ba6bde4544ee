from django import template

from socialgov.audit.access import school_history_allowed

register = template.Library()


@register.simple_tag(takes_context=True)
def can_see_school_history(context, school) -> bool:
    """The same rule the school history page applies, for showing its link."""
    return school_history_allowed(context["request"].user, school)
