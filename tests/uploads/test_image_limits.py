"""Images (issue 7, item 10): a pixel limit checked before decoding, logos scaled down at upload,
and a replaced logo deleted from storage."""

import io
import time

import pytest
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from socialgov.people.forms import LOGO_MAX_SIDE
from socialgov.people.services import school_update
from socialgov.uploads.forms import PrivateFileField
from socialgov.uploads.inspection import upload_inspect
from tests.uploads.images import give_school_a_logo, png_bytes


def _bomb_png(side: int) -> bytes:
    """A small file whose header declares side×side pixels (one colour, 1 bit: it compresses)."""
    buffer = io.BytesIO()
    Image.new("1", (side, side), 1).save(buffer, format="PNG", optimize=True)
    return buffer.getvalue()


def test_a_79_megapixel_png_is_refused_from_its_header_without_decoding(monkeypatch):
    content = _bomb_png(8_900)  # 79 megapixels, a few hundred KB
    assert len(content) < 2_000_000

    def no_decoding(self, *args, **kwargs):
        raise AssertionError("pixels were decoded")

    monkeypatch.setattr(Image.Image, "load", no_decoding)
    started = time.monotonic()
    with pytest.raises(ValidationError) as error:
        upload_inspect(SimpleUploadedFile("logo.png", content), allowed={"png"})
    assert error.value.code == "too_many_pixels"
    assert time.monotonic() - started < 1


def test_an_ordinary_photo_size_is_still_accepted():
    checked = upload_inspect(SimpleUploadedFile("p.png", png_bytes((4000, 3000))), allowed={"png"})
    assert Image.open(io.BytesIO(checked.content)).size == (4000, 3000)


def test_a_logo_is_scaled_down_at_upload_keeping_its_shape():
    field = PrivateFileField(allowed={"png", "jpeg"}, max_side=LOGO_MAX_SIDE)
    checked = field.clean(SimpleUploadedFile("logo.png", png_bytes((3000, 1500))))
    assert Image.open(io.BytesIO(checked.content)).size == (LOGO_MAX_SIDE, LOGO_MAX_SIDE // 2)
    small = field.clean(SimpleUploadedFile("logo.png", png_bytes((120, 80))))
    assert Image.open(io.BytesIO(small.content)).size == (120, 80)  # never scaled up


def test_the_school_form_scales_the_logo(school, headteacher):
    from socialgov.people.forms import SchoolForm

    assert SchoolForm.base_fields["logo"].max_side == LOGO_MAX_SIDE


def test_a_replaced_logo_is_deleted_from_storage(
    school, headteacher, django_capture_on_commit_callbacks
):
    old = give_school_a_logo(school)
    new = upload_inspect(SimpleUploadedFile("new.png", png_bytes()), allowed={"png"})
    with django_capture_on_commit_callbacks(execute=True):
        school = school_update(school=school, actor=headteacher, data={"logo": new})
    assert school.logo.name and school.logo.name != old
    assert default_storage.exists(school.logo.name)
    assert not default_storage.exists(old)


def test_a_cleared_logo_is_deleted_from_storage(
    school, headteacher, django_capture_on_commit_callbacks
):
    old = give_school_a_logo(school)
    with django_capture_on_commit_callbacks(execute=True):
        school_update(school=school, actor=headteacher, data={"logo": ""})
    assert not default_storage.exists(old)
