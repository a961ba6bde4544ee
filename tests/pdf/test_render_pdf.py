"""render_pdf: letterhead, page numbers and UK date, PDF/A-3b with embedded fonts, no fetching."""

import datetime as dt
import gc
import io
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pikepdf
import pytest
import time_machine
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

from socialgov.pdf import LocalOnlyFetcher, PdfResourceRefused, private_file_url, render_pdf
from tests.pdf.conftest import poppler
from tests.uploads.images import give_school_a_logo, png_bytes

pytestmark = pytest.mark.django_db

PARAGRAPH = (
    "Staff use the school's official accounts for school business only and never share an "
    "image of a pupil whose consent has not been recorded. "
)


def context(**extra):
    return {
        "title": "Staff acceptable use policy",
        "intro": "This is the exact text that was signed.",
        "signer": "Sam Staff",
        "digest": "9f" * 32,
        "sections": [
            {"heading": f"{n}. Using social media", "paragraphs": [PARAGRAPH * 4] * 3}
            for n in range(1, 6)
        ],
        "rows": [(f"Policy {n}", "Hannah Head", n) for n in range(20)],
        **extra,
    }


def image_count(pdf: bytes) -> int:
    """Distinct images in the PDF (pages share one resource dictionary in WeasyPrint's output)."""
    with pikepdf.open(io.BytesIO(pdf)) as document:
        return sum(
            1
            for obj in document.objects
            if isinstance(obj, pikepdf.Stream) and obj.get("/Subtype") == "/Image"
        )


def test_pdf_has_the_school_letterhead_and_the_body_text(school, tmp_path):
    school.address = "12 Willow Lane\nMarch\nPE15 8AB"
    pdf = render_pdf(template="pdf_test/sample.html", context=context(), school=school)
    text = poppler("pdftotext", pdf, tmp_path, "-layout")
    assert "Willow Bank Primary School" in text
    for line in ("12 Willow Lane", "March", "PE15 8AB"):
        assert line in text
    assert "Staff acceptable use policy" in text
    assert "This is the exact text that was signed." in text
    assert "Sam Staff" in text


def test_footer_numbers_pages_and_dates_the_pdf_in_uk_format_london_time(school, tmp_path):
    # 23:30 UTC on 1 July is 00:30 on 2 July in London (BST).
    with time_machine.travel(dt.datetime(2026, 7, 1, 23, 30, tzinfo=dt.UTC), tick=False):
        pdf = render_pdf(template="pdf_test/sample.html", context=context(), school=school)
    with pikepdf.open(io.BytesIO(pdf)) as document:
        pages = len(document.pages)
    assert pages >= 2
    text = poppler("pdftotext", pdf, tmp_path)
    for number in range(1, pages + 1):
        assert f"Page {number} of {pages}" in text
    assert text.count("Generated on 02/07/2026 at 00:30") == pages


def test_logo_from_private_storage_is_on_the_letterhead(school, tmp_path):
    without = render_pdf(template="pdf_test/sample.html", context=context(), school=school)
    give_school_a_logo(school)
    with_logo = render_pdf(template="pdf_test/sample.html", context=context(), school=school)
    assert image_count(without) == 0
    assert image_count(with_logo) == 1


def test_without_a_school_there_is_no_letterhead(school, tmp_path):
    pdf = render_pdf(template="pdf_test/sample.html", context=context())
    text = poppler("pdftotext", pdf, tmp_path)
    assert school.name not in text
    assert "Staff acceptable use policy" in text


def test_archival_pdf_is_pdf_a_3b_with_every_font_embedded(school, tmp_path):
    give_school_a_logo(school)
    pdf = render_pdf(
        template="pdf_test/sample.html", context=context(), school=school, archival=True
    )
    with pikepdf.open(io.BytesIO(pdf)) as document:
        metadata = document.open_metadata()
        assert metadata["pdfaid:part"] == "3"
        assert metadata["pdfaid:conformance"] == "B"
        fonts = [
            font for page in document.pages for font in page.Resources.get("/Font", {}).values()
        ]
        assert fonts
        for font in fonts:
            descriptor = (
                font.DescendantFonts[0].FontDescriptor
                if "/DescendantFonts" in font
                else font.FontDescriptor
            )
            assert any(key in descriptor for key in ("/FontFile", "/FontFile2", "/FontFile3"))

    rows = poppler("pdffonts", pdf, tmp_path).splitlines()[2:]
    assert rows, "pdffonts listed no fonts"
    for row in rows:
        # "name type encoding emb sub uni object-ID": the type may be two words and the
        # object ID is two numbers, so "emb" is the fifth word from the right.
        columns = row.split()
        assert columns[-5] == "yes", f"font not embedded: {row}"


def test_ordinary_pdf_is_not_marked_pdf_a(school):
    pdf = render_pdf(template="pdf_test/sample.html", context=context(), school=school)
    with pikepdf.open(io.BytesIO(pdf)) as document:
        assert "pdfaid:part" not in document.open_metadata()


class _Recorder(BaseHTTPRequestHandler):
    requests: list[str] = []

    def do_GET(self):  # noqa: N802 (the http.server API)
        _Recorder.requests.append(self.path)
        self.send_response(200)
        self.send_header("Content-Type", "image/png")
        self.end_headers()
        self.wfile.write(png_bytes())

    def log_message(self, *args):
        pass


@pytest.fixture
def web_server():
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Recorder)
    _Recorder.requests = []
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def test_nothing_is_fetched_from_the_network_or_the_file_system(school, web_server, tmp_path):
    secret = tmp_path / "secret.png"
    secret.write_bytes(png_bytes())
    extra = (
        f'<img src="{web_server}/tracker.png">'
        f'<link rel="stylesheet" href="{web_server}/evil.css">'
        f'<img src="file://{secret}">'
        f'<p style="background: url({web_server}/bg.png)">Written by a person.</p>'
    )
    pdf = render_pdf(template="pdf_test/sample.html", context=context(extra_html=extra))
    assert _Recorder.requests == []
    assert image_count(pdf) == 0


def test_only_private_files_given_to_the_render_are_embedded(school, other_school):
    other_logo = give_school_a_logo(other_school)
    extra = f'<img src="{private_file_url(other_logo)}">'
    refused = render_pdf(template="pdf_test/sample.html", context=context(extra_html=extra))
    allowed = render_pdf(
        template="pdf_test/sample.html",
        context=context(extra_html=extra),
        private_files=[other_logo],
    )
    assert image_count(refused) == 0
    assert image_count(allowed) == 1


def test_fetcher_serves_static_files_and_refuses_the_rest():
    fetcher = LocalOnlyFetcher(private_files=["uploads/1/a.png"])
    css = fetcher.fetch("https://pdf.socialgov.invalid/static/pdf/document.css")
    assert b"@page" in css.read()
    default_storage.save("uploads/1/b.png", ContentFile(png_bytes()))
    for url in (
        "https://pdf.socialgov.invalid/static/../settings.py",
        "https://pdf.socialgov.invalid/static/pdf/missing.css",
        "https://pdf.socialgov.invalid/private/uploads/1/b.png",
        "https://pdf.socialgov.invalid/elsewhere",
        "https://example.org/static/pdf/document.css",
        "file:///etc/passwd",
        "ftp://example.org/x",
    ):
        with pytest.raises(PdfResourceRefused):
            fetcher.fetch(url)


def test_render_time_is_reasonable(school):
    """Not a benchmark: a guard against a pathological slowdown (a 3-4 page PDF/A)."""
    give_school_a_logo(school)
    render_pdf(template="pdf_test/sample.html", context=context(), school=school)  # warm fonts
    started = time.perf_counter()
    render_pdf(template="pdf_test/sample.html", context=context(), school=school, archival=True)
    assert time.perf_counter() - started < 10


def test_logo_stored_under_a_name_with_spaces_is_still_embedded(school):
    school.logo.name = default_storage.save("school-logos/Our logo é.png", ContentFile(png_bytes()))
    school.save()
    pdf = render_pdf(template="pdf_test/sample.html", context=context(), school=school)
    assert image_count(pdf) == 1


def test_render_turns_the_garbage_collector_back_on_and_frees_its_garbage(school):
    collected = []

    def note(phase, info):
        if phase == "stop":
            collected.append(info["generation"])

    gc.callbacks.append(note)
    try:
        render_pdf(template="pdf_test/sample.html", context=context(), school=school)
    finally:
        gc.callbacks.remove(note)
    assert gc.isenabled()
    assert collected[-1] == 0  # the young generation, collected as the render ended


def test_a_failed_render_turns_the_garbage_collector_back_on(school, monkeypatch):
    def fail(*args, **kwargs):
        assert not gc.isenabled()  # paused while WeasyPrint works
        raise RuntimeError("WeasyPrint failed")

    monkeypatch.setattr("socialgov.pdf.HTML.write_pdf", fail)
    with pytest.raises(RuntimeError, match="WeasyPrint failed"):
        render_pdf(template="pdf_test/sample.html", context=context(), school=school)
    assert gc.isenabled()


def test_render_leaves_a_collector_that_was_off_off(school):
    gc.disable()
    try:
        render_pdf(template="pdf_test/sample.html", context=context(), school=school)
        assert not gc.isenabled()
    finally:
        gc.enable()
