"""Writes of policy content: importing a Word document, trust templates and their adoption."""

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from policies import access as policy_access
from policies.docx_import import DocxImportError, DocxTooLarge, docx_to_html
from policies.markdown_source import html_to_markdown, same_words
from policies.models import (
    DUPLICATE_TEMPLATE,
    OPEN_STATUSES,
    Policy,
    PolicyTemplate,
    PolicyVersion,
    VersionStatus,
)
from policies.selectors.reviews import role_holders_by_school
from policies.services.reviews import default_next_review_on
from policies.services.versions import policy_create, version_create_draft
from policies.text import markdown_to_html
from socialgov.people.models import School, Trust
from socialgov.people.roles import Role
from socialgov.uploads.inspection import upload_inspect
from socialgov.uploads.services import stored_file_create

__all__ = [
    "PLACEHOLDERS",
    "official_channels_text",
    "template_adopt",
    "template_fill",
    "template_save",
    "version_import_docx",
]

IMPORT_FAILED = (
    "This Word document could not be read. Open it in Word, save it again as a Word document "
    "(.docx) and try again."
)


def version_import_docx(
    *, policy: Policy, actor, upload, change: str | None = None, change_summary: str = ""
) -> PolicyVersion:
    """Import a Word document as the policy's draft text, keeping the original for download.

    With no open version a new draft is started; an existing draft has its text replaced.
    The text is kept as Markdown too, to edit in the browser (policies.markdown_source); when
    that Markdown reads back to the same words, the draft's text is exactly what it reads back
    to, so the editor, its preview and the reading page agree. Nothing is written when the
    document cannot be read.

    The conversion (slow, bounded: policies.docx_import) and the original's file are done
    outside any transaction, so no row lock or SQLite write lock is held meanwhile; only then is
    the draft written, under the policy's row lock.
    """
    if not policy_access.can_edit(actor, policy.school):
        raise PermissionDenied("Your role does not allow you to edit policies.")
    _check_importable(policy)  # before the slow part; checked again under the lock
    checked = upload_inspect(upload, allowed={"docx"})
    try:
        html = docx_to_html(checked.content)
    except DocxTooLarge as refusal:
        raise ValidationError({"document": str(refusal)}) from None
    except DocxImportError:
        raise ValidationError({"document": IMPORT_FAILED}) from None
    markdown = html_to_markdown(html)
    read_back = markdown_to_html(markdown)
    if same_words(html, read_back):
        html = read_back
    # An unused file (the draft below refused) is deleted by the orphaned-uploads job.
    stored = stored_file_create(
        school=policy.school, uploaded_by=actor, upload=checked, allowed={"docx"}
    )
    return _version_import_save(
        policy=policy,
        actor=actor,
        html=html,
        markdown=markdown,
        stored=stored,
        change=change,
        change_summary=change_summary,
    )


NOT_IMPORTABLE = (
    "The version being written is awaiting approval. Send it back to draft before importing a "
    "new document."
)


def _check_importable(policy: Policy, *, lock: bool = False) -> PolicyVersion | None:
    """The policy's open version, refusing one that is no longer a draft."""
    versions = policy.versions.filter(status__in=OPEN_STATUSES)
    if lock:
        versions = versions.select_for_update()
    open_version = versions.first()
    if open_version is not None and open_version.status != VersionStatus.DRAFT:
        raise ValidationError(NOT_IMPORTABLE)
    return open_version


@transaction.atomic
def _version_import_save(
    *, policy, actor, html, markdown, stored, change, change_summary
) -> PolicyVersion:
    policy = Policy.objects.select_for_update().select_related("school").get(pk=policy.pk)
    open_version = _check_importable(policy, lock=True)
    if open_version is None:
        version = version_create_draft(
            policy=policy,
            actor=actor,
            body_markdown="",
            change=change or "major",
            change_summary=change_summary,
            body_html=html,
        )
    else:
        version = open_version
        version.body_html = html
        if change and version.number > 1:
            version.change = change
        if change_summary:
            version.change_summary = change_summary
    version.body_markdown = markdown
    version.source_document = stored
    version._history_user = actor
    version.full_clean()
    version.save()
    return version


# --- Templates -------------------------------------------------------------------------------

PLACEHOLDERS = (
    "school_name",
    "headteacher",
    "dsl",
    "deputy_dsls",
    "official_channels",
    "review_date",
)
NONE_RECORDED = "none recorded"


def official_channels_text(school) -> str:
    """The school's official channels, for a template's {{ official_channels }}.

    Hook for the accounts register (accounts_registry): until it lists accounts, a sentence
    pointing readers to SocialGov.
    """
    return "the school's official accounts listed in SocialGov"


def _names(users) -> str:
    return ", ".join(user.full_name for user in users)


def template_fill(*, template: PolicyTemplate, school, next_review_on: dt.date) -> str:
    """The template's text with the school's details in place of the known placeholders.

    Plain string replacement of the known placeholders only: the text is never rendered through
    a template engine, so a template cannot run template code or read anything else.
    """
    holders = role_holders_by_school([school.pk], [Role.HEADTEACHER])[school.pk]
    dsls = role_holders_by_school([school.pk], [Role.DSL])[school.pk]
    deputies = role_holders_by_school([school.pk], [Role.DEPUTY_DSL])[school.pk]
    values = {
        "school_name": school.name,
        "headteacher": " and ".join(user.full_name for user in holders) or NONE_RECORDED,
        "dsl": _names(dsls) or NONE_RECORDED,
        "deputy_dsls": _names(deputies) or NONE_RECORDED,
        "official_channels": official_channels_text(school),
        "review_date": next_review_on.strftime("%d/%m/%Y"),
    }
    text = template.body_markdown
    for name, value in values.items():
        for spelling in ("{{ %s }}" % name, "{{%s}}" % name):  # noqa: UP031
            text = text.replace(spelling, value)
    return text


def template_adopt(
    *, template: PolicyTemplate, school, actor, owner, today: dt.date | None = None
) -> Policy:
    """A school adopts a published template: a new policy with a first draft, filled in.

    Two identical submits give one policy: the school's row is locked before the check for an
    existing title, and a race lost anyway ends in the same message."""
    try:
        with transaction.atomic():
            return _template_adopt(
                template=template, school=school, actor=actor, owner=owner, today=today
            )
    except IntegrityError:
        if Policy.objects.filter(school=school, title__iexact=template.title).exists():
            raise ValidationError(_already_adopted(template)) from None
        raise


def _already_adopted(template) -> str:
    return (
        f"Your school already has a policy called “{template.title}”. Open that policy, or "
        "rename it before adopting the template again."
    )


def _template_adopt(*, template, school, actor, owner, today) -> Policy:
    if not policy_access.can_edit(actor, school):
        raise PermissionDenied("Your role does not allow you to add policies.")
    if not policy_access.can_adopt_template(actor, template, school):
        raise ValidationError("This template is not offered to your school.")
    School.objects.select_for_update().get(pk=school.pk)  # one adoption at a time per school
    if Policy.objects.filter(school=school, title__iexact=template.title).exists():
        raise ValidationError(_already_adopted(template))
    today = today or timezone.localdate()
    policy = policy_create(
        school=school,
        actor=actor,
        kind=template.kind,
        title=template.title,
        owner=owner,
        review_cycle_months=template.review_cycle_months,
        statutory=template.statutory,
        signer_groups=list(template.signer_groups),
        signer_roles=list(template.signer_roles),
    )
    policy.next_review_on = default_next_review_on(policy, today)
    policy.adopted_from = template
    policy._history_user = actor
    policy.full_clean()
    policy.save()
    version_create_draft(
        policy=policy,
        actor=actor,
        body_markdown=template_fill(
            template=template, school=school, next_review_on=policy.next_review_on
        ),
        change_summary=f"Adopted from “{template.title}” ({template.issuer}).",
    )
    return policy


TEMPLATE_WRITERS_ONLY = "Only the trust's executives can write its templates."


def template_save(
    *, actor, trust, template: PolicyTemplate | None = None, **fields
) -> PolicyTemplate:
    """Create or change a trust's template (trust executives of that trust only).

    Two identical submits give one template: the trust's row is locked before the check for
    the title, and a race lost anyway ends in the same form error."""
    try:
        with transaction.atomic():
            return _template_save(actor=actor, trust=trust, template=template, **fields)
    except IntegrityError:
        title = " ".join(str(fields.get("title", "")).split())
        if PolicyTemplate.objects.filter(trust=trust, title__iexact=title).exists():
            raise ValidationError({"title": DUPLICATE_TEMPLATE}) from None
        raise


def _template_save(*, actor, trust, template, **fields) -> PolicyTemplate:
    if not policy_access.can_write_template_for(actor, trust):
        raise PermissionDenied(TEMPLATE_WRITERS_ONLY)
    Trust.objects.select_for_update().get(pk=trust.pk)  # one save at a time per trust
    if template is None:
        template = PolicyTemplate(created_by=actor)
    else:
        template = PolicyTemplate.objects.select_for_update().get(pk=template.pk)
        if template.trust_id != trust.pk:
            raise PermissionDenied(TEMPLATE_WRITERS_ONLY)
    template.trust = trust
    for name, value in fields.items():
        setattr(template, name, value)
    template.title = " ".join(template.title.split())
    markdown_to_html(template.body_markdown)  # refuses a text too long or too deeply nested
    duplicate = PolicyTemplate.objects.filter(trust=trust, title__iexact=template.title)
    if template.pk:
        duplicate = duplicate.exclude(pk=template.pk)
    if duplicate.exists():
        raise ValidationError({"title": DUPLICATE_TEMPLATE})
    template._history_user = actor
    template.full_clean()
    template.save()
    return template
