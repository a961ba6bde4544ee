"""Importing a school's Word document as a policy's draft, and downloading the original."""

import io

import docx
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from policies.docx_import import docx_to_html
from policies.models import PolicyVersion, VersionStatus
from socialgov.uploads.models import StoredFile
from tests.policies.factories import policy_for, published_version_for

DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def word_document() -> bytes:
    """A document as a school might have written it: headings, both kinds of list, a table."""
    document = docx.Document()
    document.add_heading("Staff acceptable use policy", level=1)
    document.add_heading("Using school devices", level=2)
    document.add_paragraph("Staff agree to the following.")
    document.add_paragraph("Lock the screen when leaving a device.", style="List Number")
    document.add_paragraph("Report a lost device the same day.", style="List Number")
    document.add_paragraph("Class laptops", style="List Bullet")
    document.add_paragraph("Staff tablets", style="List Bullet")
    table = document.add_table(rows=2, cols=3)
    cells = [["Device", "Who", "Where"], ["Laptop", "Teachers", "Classroom"]]
    for row, texts in enumerate(cells):
        for column, text in enumerate(texts):
            table.cell(row, column).text = text
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def upload(content: bytes, name="Staff AUP.docx", content_type=DOCX_TYPE):
    return SimpleUploadedFile(name, content, content_type=content_type)


def test_headings_lists_and_table_survive_the_conversion():
    html = docx_to_html(word_document())
    assert "<h1>Staff acceptable use policy</h1>" in html
    assert "<h2>Using school devices</h2>" in html
    assert (
        "<ol><li>Lock the screen when leaving a device.</li>"
        "<li>Report a lost device the same day.</li></ol>"
    ) in html
    assert "<ul><li>Class laptops</li><li>Staff tablets</li></ul>" in html
    assert html.count("<table>") == 1 and html.count("<tr>") == 2 and html.count("<td>") == 6
    for text in ("Device", "Who", "Where", "Laptop", "Teachers", "Classroom"):
        assert f"<p>{text}</p>" in html


@pytest.mark.django_db
def test_editor_imports_a_word_document_as_a_draft_and_keeps_the_original(
    client_for, school, headteacher
):
    policy = policy_for(school, headteacher)
    response = client_for(headteacher).post(
        reverse("policy_import", args=[policy.pk]),
        {"document": upload(word_document()), "change": "major", "change_summary": ""},
    )
    version = PolicyVersion.objects.get(policy=policy)
    assert response.status_code == 302
    assert response["Location"] == reverse("policy_import_result", args=[version.pk])
    assert version.status == VersionStatus.DRAFT
    assert version.body_markdown.startswith("# Staff acceptable use policy\n")  # to edit
    assert "<h2>Using school devices</h2>" in version.body_html
    assert version.source_document.original_name == "Staff AUP.docx"

    page = client_for(headteacher).get(response["Location"])
    assert b"Report a lost device the same day." in page.content
    download = client_for(headteacher).get(reverse("policy_version_source", args=[version.pk]))
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == word_document_bytes(version)
    assert "attachment" in download["Content-Disposition"]


def word_document_bytes(version) -> bytes:
    with version.source_document.file.open("rb") as handle:
        return handle.read()


@pytest.mark.django_db
def test_importing_again_replaces_the_drafts_text(client_for, school, headteacher):
    policy = policy_for(school, headteacher)
    client = client_for(headteacher)
    url = reverse("policy_import", args=[policy.pk])
    client.post(url, {"document": upload(word_document()), "change": "major"})
    second = docx.Document()
    second.add_heading("A shorter policy", level=1)
    buffer = io.BytesIO()
    second.save(buffer)
    client.post(url, {"document": upload(buffer.getvalue()), "change": "major"})
    version = PolicyVersion.objects.get(policy=policy)
    assert version.body_html == "<h1>A shorter policy</h1>"
    assert StoredFile.objects.count() == 2  # both originals kept (history shows the first)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("content", "name", "content_type"),
    [
        (
            b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF",
            "policy.pdf",
            "application/pdf",
        ),
        (b"PK\x03\x04 this is not really a zip", "policy.docx", DOCX_TYPE),
    ],
    ids=["pdf", "corrupt-docx"],
)
def test_a_file_that_is_not_a_readable_word_document_is_refused_and_nothing_is_written(
    client_for, school, headteacher, content, name, content_type
):
    policy = policy_for(school, headteacher)
    response = client_for(headteacher).post(
        reverse("policy_import", args=[policy.pk]),
        {"document": upload(content, name, content_type), "change": "major"},
    )
    assert response.status_code == 200
    assert response.context["form"].errors["document"]
    assert not PolicyVersion.objects.filter(policy=policy).exists()
    assert not StoredFile.objects.exists()


@pytest.mark.django_db
def test_a_zip_that_looks_like_word_but_cannot_be_converted_is_refused(
    client_for, school, headteacher
):
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<not-word-xml")
    policy = policy_for(school, headteacher)
    response = client_for(headteacher).post(
        reverse("policy_import", args=[policy.pk]),
        {"document": upload(buffer.getvalue()), "change": "major"},
    )
    assert response.status_code == 200
    assert "could not be read" in str(response.context["form"].errors["document"])
    assert not PolicyVersion.objects.filter(policy=policy).exists()
    assert not StoredFile.objects.exists()


@pytest.mark.django_db
def test_who_may_import_and_download(client_for, school, headteacher, staff, outsider):
    policy = policy_for(school, headteacher)
    url = reverse("policy_import", args=[policy.pk])
    assert client_for(staff).get(url).status_code == 403
    assert client_for(outsider).get(url).status_code == 404
    assert client_for(headteacher).get(url).status_code == 200

    client_for(headteacher).post(url, {"document": upload(word_document()), "change": "major"})
    draft = PolicyVersion.objects.get(policy=policy)
    source = reverse("policy_version_source", args=[draft.pk])
    # A draft is for editors only; staff read (and download) it once it is published.
    assert client_for(staff).get(source).status_code == 404
    assert client_for(outsider).get(source).status_code == 404


@pytest.mark.django_db
def test_staff_can_download_the_original_of_a_published_version(
    client_for, school, headteacher, staff, outsider
):
    from policies import services

    policy = policy_for(school, headteacher)
    version = services.version_import_docx(
        policy=policy, actor=headteacher, upload=upload(word_document())
    )
    services.version_submit(version=version, actor=headteacher)
    services.version_approve(version=version, actor=headteacher)
    services.version_publish(version=version, actor=headteacher)
    source = reverse("policy_version_source", args=[version.pk])
    assert client_for(staff).get(source).status_code == 200
    assert client_for(outsider).get(source).status_code == 404


@pytest.mark.django_db
def test_a_version_typed_in_the_browser_has_no_original_to_download(
    client_for, school, headteacher
):
    version = published_version_for(policy_for(school, headteacher), headteacher)
    response = client_for(headteacher).get(reverse("policy_version_source", args=[version.pk]))
    assert response.status_code == 404


def test_an_emptied_editor_asks_before_removing_an_imported_text(client_for, school, headteacher):
    from django.core.exceptions import ValidationError

    from policies import services

    policy = policy_for(school, headteacher)
    client_for(headteacher).post(
        reverse("policy_import", args=[policy.pk]),
        {"document": upload(word_document()), "change": "major", "change_summary": ""},
    )
    version = PolicyVersion.objects.get(policy=policy)
    imported = version.body_html
    with pytest.raises(ValidationError, match="36 words will be removed"):
        services.version_update_draft(
            version=version, actor=headteacher, body_markdown="", change_summary="Checked"
        )
    version.refresh_from_db()
    assert version.body_html == imported and version.change_summary == ""
    services.version_update_draft(
        version=version, actor=headteacher, body_markdown="# Rewritten", confirm_removal=True
    )
    version.refresh_from_db()
    assert version.body_html == "<h1>Rewritten</h1>"
