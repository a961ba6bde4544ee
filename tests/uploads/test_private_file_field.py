"""PrivateFileField: the upload check as field errors, and a checked file for the service."""

import pytest
from django import forms
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from socialgov.uploads.forms import PrivateFileField
from socialgov.uploads.inspection import CheckedUpload
from socialgov.uploads.services import stored_file_create
from tests.uploads.images import exe_bytes, rotated_jpeg_with_gps


class EvidenceForm(forms.Form):
    evidence = PrivateFileField(allowed={"pdf", "png", "jpeg"})


def test_refused_file_is_an_error_on_the_field():
    form = EvidenceForm(files={"evidence": SimpleUploadedFile("screenshot.pdf", exe_bytes())})
    assert not form.is_valid()
    assert form.errors["evidence"] == [
        "This file is not a PDF, PNG or JPEG, so it cannot be accepted. Check you chose the "
        "right file, or save it as a PDF (.pdf), PNG (.png) or JPEG (.jpg) and try again."
    ]


def test_file_over_the_limit_is_an_error_on_the_field(settings):
    settings.UPLOAD_MAX_BYTES = 1024 * 1024
    big = SimpleUploadedFile("a.pdf", b"%PDF-" + b"0" * (3 * 1024 * 1024))
    form = EvidenceForm(files={"evidence": big})
    assert not form.is_valid()
    assert form.errors["evidence"] == ["The file is 3 MB; the limit is 1 MB."]


def test_missing_required_file_is_an_error():
    form = EvidenceForm(files={})
    assert not form.is_valid()
    assert "evidence" in form.errors


@pytest.mark.django_db
def test_checked_file_is_stored_without_being_encoded_twice(school, staff):
    form = EvidenceForm(files={"evidence": SimpleUploadedFile("p.jpg", rotated_jpeg_with_gps())})
    assert form.is_valid(), form.errors
    checked = form.cleaned_data["evidence"]
    assert isinstance(checked, CheckedUpload)
    stored = stored_file_create(school=school, uploaded_by=staff, upload=checked)
    assert stored.sha256 == checked.sha256
    assert stored.original_name == "p.jpg"


@pytest.mark.django_db
def test_checked_file_still_has_to_be_an_allowed_kind(school, staff):
    form = EvidenceForm(files={"evidence": SimpleUploadedFile("p.jpg", rotated_jpeg_with_gps())})
    assert form.is_valid()
    with pytest.raises(ValidationError, match="not a PDF"):
        stored_file_create(
            school=school, uploaded_by=staff, upload=form.cleaned_data["evidence"], allowed={"pdf"}
        )


def test_file_picker_offers_the_allowed_types():
    html = str(EvidenceForm()["evidence"])
    assert 'accept=".jfif,.jpe,.jpeg,.jpg,.pdf,.png"' in html
