"""Small helpers that build policies and versions through the services (shared by the policies
tests and tests/url_cases.py). Everything stays in the policy's school."""

from policies import services
from policies.access import version_approvers
from policies.models import ChangeSize, PolicyKind
from socialgov.people.roles import StaffGroup

POLICY_TEXT = (
    "# Staff acceptable use policy\n\n"
    "Staff use school accounts for school work.\n\n"
    "1. Keep passwords private.\n"
    "2. Report concerns to the DSL.\n"
)


def policy_for(school, actor, **kw):
    """A policy of `school` added by `actor` (an editor); `owner` defaults to the actor."""
    fields = {
        "kind": PolicyKind.STAFF_AUP,
        "title": "Staff acceptable use policy",
        "owner": actor,
        "signer_groups": [StaffGroup.TEACHER, StaffGroup.SUPPORT],
    }
    fields.update(kw)
    return services.policy_create(school=school, actor=actor, **fields)


def draft_version_for(policy, actor, text=POLICY_TEXT, change=ChangeSize.MAJOR, summary=""):
    return services.version_create_draft(
        policy=policy, actor=actor, body_markdown=text, change=change, change_summary=summary
    )


def approved_version_for(policy, headteacher, text=POLICY_TEXT, change=ChangeSize.MAJOR):
    """Written by the headteacher and approved by them, or, when the school has a deputy head
    or a chair (the author does not approve their own version), by one of those."""
    version = draft_version_for(policy, headteacher, text=text, change=change)
    services.version_submit(version=version, actor=headteacher)
    approver = version_approvers(version)[0]
    return services.version_approve(version=version, actor=approver)


def published_version_for(policy, headteacher, text=POLICY_TEXT, change=ChangeSize.MAJOR):
    """A version taken through draft → submitted → approved → published by the headteacher."""
    version = approved_version_for(policy, headteacher, text=text, change=change)
    return services.version_publish(version=version, actor=headteacher)
