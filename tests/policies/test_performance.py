"""Quick regression guards for signing and coverage (DESIGN §6): small and quick, failing only on
gross regressions. `./scripts/benchmark` measures these pages and the signed PDF at full size."""

import io
import statistics
import time
import zipfile

import pytest
from django.urls import reverse

from policies import services
from policies.models import Signature
from socialgov.uploads.services import stored_file_create_from_bytes
from tests.policies.factories import policy_for, published_version_for
from tests.policies.signing_helpers import sign
from tests.policies.test_coverage_queries import add_signed_staff

pytestmark = pytest.mark.django_db

STAFF = 80
PDFS = 20
RUNS = 3
# Only gross regressions fail here (the benchmark reports the real figures against its goals).
COVERAGE_LIMIT = 2.0
PDF_LIMIT = 5.0
ZIP_LIMIT = 20.0


def report(what: str, seconds: float) -> None:
    print(f"\nBENCHMARK {what}: {seconds * 1000:.0f} ms")


@pytest.fixture
def version(school, headteacher):
    return published_version_for(policy_for(school, headteacher), headteacher)


def timed(action) -> float:
    started = time.perf_counter()
    action()
    return time.perf_counter() - started


def test_coverage_page_for_many_staff(client_for, school, headteacher, version):
    add_signed_staff(school, version, STAFF)
    client = client_for(headteacher)
    url = reverse("version_coverage", kwargs={"pk": version.pk})

    def load():
        response = client.get(url)
        assert response.status_code == 200
        assert f"of {STAFF + 1}</strong>" in response.content.decode()

    load()  # warm templates and the session
    median = statistics.median(timed(load) for _ in range(RUNS))
    report(f"coverage page, {STAFF} staff (median of {RUNS})", median)
    assert median < COVERAGE_LIMIT


def test_one_signed_pdf(version, staff):
    signature = sign(version, staff)
    services.signature_pdf_bytes(signature=signature)  # warm fonts
    seconds = timed(lambda: services.signature_pdf_render(signature=signature))
    report("one signed PDF rendered and stored", seconds)
    assert seconds < PDF_LIMIT


def test_zip_of_stored_pdfs(client_for, school, headteacher, version, staff):
    # One real PDF, stored once per signature (a zip's time depends on bytes, not on content).
    add_signed_staff(school, version, 2 * PDFS - 2)  # every other one signs: PDFS in all
    first = sign(version, staff)
    stored = services.signature_pdf_render(signature=first)
    with stored.file.open("rb") as handle:
        content = handle.read()
    for signature in Signature.objects.filter(version=version, pdf__isnull=True):
        copy = stored_file_create_from_bytes(
            school=school,
            created_by=signature.signer,
            content=content,
            name="signed.pdf",
            content_type="application/pdf",
        )
        Signature.objects.filter(pk=signature.pk).update(pdf=copy, pdf_sha256=copy.sha256)
    count = Signature.objects.filter(version=version).count()
    client = client_for(headteacher)
    url = reverse("version_signatures_zip", kwargs={"pk": version.pk})

    def download():
        body = b"".join(client.get(url).streaming_content)
        assert len(zipfile.ZipFile(io.BytesIO(body)).namelist()) == count + 1

    seconds = timed(download)
    report(f"zip of {count} stored signed PDFs", seconds)
    assert seconds < ZIP_LIMIT
