"""The signed AUP PDF: archival PDF/A, rendered once after the signature commits, stored with its
own SHA-256, showing the name, version, hash and code; unchanged when the branding changes."""

import hashlib
import io

import pikepdf
import pytest

from policies import services
from policies.models import Signature
from tests.pdf.conftest import poppler
from tests.policies.factories import policy_for, published_version_for
from tests.policies.signing_helpers import sign

pytestmark = pytest.mark.django_db


@pytest.fixture
def version(school, headteacher):
    return published_version_for(policy_for(school, headteacher), headteacher)


@pytest.fixture
def signed(version, staff, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        signature = sign(version, staff)
    return Signature.objects.select_related("pdf").get(pk=signature.pk)


def stored_bytes(signature) -> bytes:
    with signature.pdf.file.open("rb") as handle:
        return handle.read()


def test_the_pdf_is_rendered_by_the_task_queued_after_the_signature_commits(signed):
    assert signed.pdf is not None
    assert signed.pdf.content_type == "application/pdf"
    assert signed.pdf.school_id == signed.school_id


def test_the_stored_pdfs_own_hash_matches_its_bytes(signed):
    content = stored_bytes(signed)
    assert content.startswith(b"%PDF")
    assert signed.pdf_sha256 == hashlib.sha256(content).hexdigest() == signed.pdf.sha256


def test_pdftotext_shows_name_version_hash_code_and_school(signed, tmp_path):
    text = poppler("pdftotext", stored_bytes(signed), tmp_path)
    assert "Sam Staff" in text
    assert "Version 1" in text
    assert signed.text_sha256 in text
    assert signed.display_code in text
    assert "Willow Bank Primary School" in text
    assert "Keep passwords private." in text  # the exact text signed


def test_the_pdf_is_archival_pdf_a(signed):
    with pikepdf.open(io.BytesIO(stored_bytes(signed))) as document:
        metadata = document.open_metadata()
        assert metadata["pdfaid:part"] == "3"
        assert metadata["pdfaid:conformance"] == "B"


def test_rendering_again_returns_the_stored_file_unchanged(signed):
    content = stored_bytes(signed)
    again = services.signature_pdf_render(signature=signed)
    assert again.pk == signed.pdf_id
    assert stored_bytes(Signature.objects.get(pk=signed.pk)) == content


def test_the_archival_record_does_not_change_when_the_branding_does(signed, school):
    content = stored_bytes(signed)
    school.name = "Willow Bank Academy"
    school.save()
    services.signature_pdf_render(signature=signed)
    assert stored_bytes(Signature.objects.get(pk=signed.pk)) == content


def test_a_signature_has_no_history_entry_for_attaching_its_pdf(signed):
    assert signed.history.count() == 1
