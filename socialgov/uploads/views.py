from django.core.files.storage import default_storage
from django.http import Http404

from socialgov.access import SignedInRequest, require_signed_in
from socialgov.uploads.access import school_logo_get_for_user
from socialgov.uploads.inspection import IMAGE_KINDS, sniff
from socialgov.uploads.serving import serve_file


@require_signed_in
def school_logo(request: SignedInRequest, pk: int):
    """The school's logo, for anyone who may see the school; 404 when it has none."""
    logo = school_logo_get_for_user(request.user, pk)
    # No use_school() here: loading an image must not switch the person's current school.
    with default_storage.open(logo.name, "rb") as handle:
        kind = sniff(handle.read(16))
    if kind is None or kind.code not in IMAGE_KINDS:
        raise Http404  # not an image we checked: never send it inline
    return serve_file(
        file=logo,
        content_type=kind.content_type,
        filename=f"{logo.instance.name} logo",
        as_attachment=False,
    )
