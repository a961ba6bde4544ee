"""serve_stored_file and the school logo view: safe headers, permission-checked."""

import io
from urllib.parse import unquote

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import RequestFactory
from django.urls import reverse
from PIL import Image

from socialgov.uploads.services import stored_file_create
from socialgov.uploads.serving import safe_filename, serve_stored_file
from tests.uploads.images import GPS_IFD, give_school_a_logo, png_bytes, rotated_jpeg_with_gps

pytestmark = pytest.mark.django_db


def test_stored_file_is_served_as_a_download_with_safe_headers(school, office):
    stored = stored_file_create(
        school=school,
        uploaded_by=office,
        upload=SimpleUploadedFile('Minutes "final"; Jürgen.pdf', b"%PDF-1.7\n%%EOF\n"),
    )
    response = serve_stored_file(RequestFactory().get("/"), stored)
    assert b"".join(response.streaming_content) == b"%PDF-1.7\n%%EOF\n"
    assert response["Content-Type"] == "application/pdf"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Cache-Control"] == "private, no-store"
    assert response["Content-Security-Policy"] == "default-src 'none'; sandbox"
    disposition = response["Content-Disposition"]
    assert disposition.startswith('attachment; filename="Minutes _final__ Jurgen.pdf"; ')
    encoded = disposition.split("filename*=UTF-8''", 1)[1]
    assert unquote(encoded) == "Minutes _final__ Jürgen.pdf"
    assert all(ch not in encoded for ch in ' ";')


def test_inline_serving_says_inline(school, office):
    stored = stored_file_create(
        school=school, uploaded_by=office, upload=SimpleUploadedFile("a.png", png_bytes())
    )
    response = serve_stored_file(RequestFactory().get("/"), stored, as_attachment=False)
    assert response["Content-Disposition"].startswith("inline; ")
    assert response["Content-Type"] == "image/png"


@pytest.mark.parametrize(
    "name,content_type,expected",
    [
        ("../../etc/passwd", "application/pdf", "passwd.pdf"),
        ("C:\\Users\\jane\\photo.jpeg", "image/jpeg", "photo.jpeg"),
        ("report\r\nSet-Cookie: x", "application/pdf", "report__Set-Cookie_ x.pdf"),
        ("", "image/png", "file.png"),
        ("x" * 300 + ".pdf", "application/pdf", "x" * 146 + ".pdf"),
    ],
)
def test_download_names_are_sanitised(name, content_type, expected):
    assert safe_filename(name, content_type=content_type) == expected


def test_member_of_the_school_sees_the_logo(client_for, staff, school):
    give_school_a_logo(school)
    response = client_for(staff).get(reverse("school_logo", args=[school.pk]))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == png_bytes()
    assert response["Content-Type"] == "image/png"
    assert response["Content-Disposition"].startswith("inline; ")
    assert response["Content-Security-Policy"] == "default-src 'none'; sandbox"
    assert response["Cache-Control"] == "private, no-store"


def test_outsider_gets_404_for_the_logo(client_for, outsider, school):
    give_school_a_logo(school)
    assert client_for(outsider).get(reverse("school_logo", args=[school.pk])).status_code == 404


def test_anonymous_visitor_is_sent_to_sign_in_for_the_logo(client, school):
    give_school_a_logo(school)
    response = client.get(reverse("school_logo", args=[school.pk]))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_school_without_a_logo_gives_404(client_for, staff, school):
    assert client_for(staff).get(reverse("school_logo", args=[school.pk])).status_code == 404


def test_school_page_shows_the_logo_only_when_there_is_one(client_for, staff, school):
    url = reverse("school_detail", args=[school.pk])
    logo_url = reverse("school_logo", args=[school.pk])
    assert logo_url not in client_for(staff).get(url).content.decode()
    give_school_a_logo(school)
    assert f'src="{logo_url}"' in client_for(staff).get(url).content.decode()


def test_headteacher_uploads_a_logo_that_is_checked_and_stripped(client_for, headteacher, school):
    form = {
        "name": school.name,
        "urn": school.urn,
        "address": school.address,
        "email_domains": school.email_domains,
        "pupil_competence_age": school.pupil_competence_age,
        "logo": SimpleUploadedFile("Our Logo by Jane.jpg", rotated_jpeg_with_gps()),
    }
    response = client_for(headteacher).post(reverse("school_edit", args=[school.pk]), form)
    assert response.status_code == 302, response.content.decode()[:2000]
    school.refresh_from_db()
    assert school.logo.name.startswith("school-logos/")
    assert "Jane" not in school.logo.name and school.logo.name.endswith(".jpg")
    with school.logo.open("rb") as handle:
        image = Image.open(io.BytesIO(handle.read()))
    assert image.size == (300, 400)
    assert len(image.getexif()) == 0 and image.getexif().get_ifd(GPS_IFD) == {}


def test_logo_that_is_not_an_image_is_a_field_error(client_for, headteacher, school):
    form = {
        "name": school.name,
        "urn": school.urn,
        "address": school.address,
        "email_domains": school.email_domains,
        "pupil_competence_age": school.pupil_competence_age,
        "logo": SimpleUploadedFile("logo.png", b"%PDF-1.7\n%%EOF\n"),
    }
    response = client_for(headteacher).post(reverse("school_edit", args=[school.pk]), form)
    assert response.status_code == 200
    assert response.context["form"].errors["logo"] == [
        "This file is not a PNG or JPEG, so it cannot be accepted. Check you chose the right "
        "file, or save it as a PNG (.png) or JPEG (.jpg) and try again."
    ]
    school.refresh_from_db()
    assert not school.logo


def test_headteacher_can_remove_the_logo(client_for, headteacher, school):
    give_school_a_logo(school)
    form = {
        "name": school.name,
        "urn": school.urn,
        "address": school.address,
        "email_domains": school.email_domains,
        "pupil_competence_age": school.pupil_competence_age,
        "logo-clear": "on",
    }
    response = client_for(headteacher).post(reverse("school_edit", args=[school.pk]), form)
    assert response.status_code == 302
    school.refresh_from_db()
    assert not school.logo


def test_saving_other_details_keeps_the_logo(client_for, headteacher, school):
    name = give_school_a_logo(school)
    form = {
        "name": "Willow Bank Primary",
        "urn": school.urn,
        "address": school.address,
        "email_domains": school.email_domains,
        "pupil_competence_age": school.pupil_competence_age,
    }
    response = client_for(headteacher).post(reverse("school_edit", args=[school.pk]), form)
    assert response.status_code == 302
    school.refresh_from_db()
    assert (school.name, school.logo.name) == ("Willow Bank Primary", name)


def test_edit_page_links_the_current_logo_to_its_checked_view(client_for, headteacher, school):
    give_school_a_logo(school)
    html = client_for(headteacher).get(reverse("school_edit", args=[school.pk])).content.decode()
    assert f'<a href="{reverse("school_logo", args=[school.pk])}">' in html
