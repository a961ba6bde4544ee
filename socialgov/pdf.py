"""PDF rendering for every app: `render_pdf(template=..., context=..., school=..., archival=...)`.

Templates extend `pdf/base.html` (A4, the school's letterhead, "Page 1 of 3" and the generation
date in the footer). The print stylesheet is `static/pdf/document.css`: parsed once per process
(and thread) with one font configuration, both reused by every render; templates link their own
stylesheets on top of it.

Nothing is fetched from the network. Relative URLs resolve against an internal base URL on the
reserved `.invalid` domain, and the URL fetcher serves only:
- static files (`static/...` or `{% static %}` URLs), read through Django's static finders;
- files in private storage that the render was explicitly given (the school's logo, and any names
  passed in `private_files`), so text a person wrote cannot pull another school's file into a PDF;
- `data:` URLs (no fetch involved).
Everything else (http(s), file:, ftp:, other private files) is refused and left out of the PDF.

Archival mode writes PDF/A-3b (every font embedded): the signed-AUP records are archival.
Rendering is slow I/O: call it outside database transactions (STYLE: services).

Python's cyclic garbage collector is paused while WeasyPrint renders and the render's garbage is
collected once at the end (`_cyclic_collector_paused`): the box tree of a long document lives
for the whole render, and with the collector running it is moved through every generation and
walked again by each full collection (about a tenth of the governors' report PDF's time).
"""

from __future__ import annotations

import gc
import logging
import mimetypes
import threading
from collections.abc import Collection, Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import quote, unquote, urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders
from django.contrib.staticfiles.storage import staticfiles_storage
from django.core.files.storage import default_storage
from django.template.loader import render_to_string
from django.utils import timezone
from weasyprint import CSS, HTML
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import URLFetcher, URLFetcherResponse

logger = logging.getLogger(__name__)

# Never resolvable (RFC 2606): a URL the fetcher fails to recognise can never reach a network.
BASE_URL = "https://pdf.socialgov.invalid/"
_ORIGIN = urlsplit(BASE_URL).netloc
_PRIVATE_PREFIX = "/private/"


class PdfResourceRefused(ValueError):
    """A template asked for something the PDF fetcher does not serve."""


def private_file_url(name: str) -> str:
    """The URL a PDF template uses for a file in private storage (it must be allowed too)."""
    return f"{BASE_URL}{_PRIVATE_PREFIX.strip('/')}/{quote(name)}"


class LocalOnlyFetcher(URLFetcher):
    """Serves static files, allowed private files and data: URLs; refuses everything else."""

    def __init__(self, *, private_files: Collection[str] = ()):
        # Only data: URLs reach urllib; every other URL is answered (or refused) below.
        super().__init__(allowed_protocols=("data",), allow_redirects=False)
        self.private_files = frozenset(private_files)

    def fetch(self, url, headers=None):
        if url.startswith("data:"):
            return super().fetch(url, headers)
        parts = urlsplit(url)
        if parts.scheme != "https" or parts.netloc != _ORIGIN:
            raise self._refuse(url)
        path = unquote(parts.path)
        static_prefix = urlsplit(settings.STATIC_URL).path or "/static/"
        if path.startswith(static_prefix):
            return self._static(url, path.removeprefix(static_prefix))
        if path.startswith(_PRIVATE_PREFIX):
            return self._private(url, path.removeprefix(_PRIVATE_PREFIX))
        raise self._refuse(url)

    def _refuse(self, url: str) -> PdfResourceRefused:
        logger.warning("PDF rendering refused to fetch %s", url[:200])
        return PdfResourceRefused(f"not served to PDFs: {url[:200]}")

    def _static(self, url: str, name: str) -> URLFetcherResponse:
        if ".." in Path(name).parts:
            raise self._refuse(url)
        found = finders.find(name)
        if not found and staticfiles_storage.exists(name):
            found = staticfiles_storage.path(name)  # collected static files (production)
        if not found:
            raise self._refuse(url)
        return _response(url, name, Path(found).read_bytes())

    def _private(self, url: str, name: str) -> URLFetcherResponse:
        if name not in self.private_files:
            raise self._refuse(url)
        with default_storage.open(name, "rb") as handle:
            return _response(url, name, handle.read())


def _response(url: str, name: str, body: bytes) -> URLFetcherResponse:
    content_type = mimetypes.guess_type(name)[0] or "application/octet-stream"
    return URLFetcherResponse(url, body, {"Content-Type": content_type})


DOCUMENT_CSS = "pdf/document.css"
_shared = threading.local()


def _document_style() -> tuple[CSS, FontConfiguration]:
    """The parsed print stylesheet and the font configuration, made once per thread (fonts are
    looked up once, not on every render; Pango's font map is not shared between threads). The
    stylesheet is applied as a user stylesheet: templates' own (author) stylesheets override it,
    as they did when it was linked first."""
    if getattr(_shared, "style", None) is None:
        fonts = FontConfiguration()
        fetcher = LocalOnlyFetcher()
        url = (
            f"{BASE_URL}{urlsplit(settings.STATIC_URL).path.strip('/') or 'static'}/{DOCUMENT_CSS}"
        )
        _shared.style = (CSS(url=url, url_fetcher=fetcher, font_config=fonts), fonts)
    return _shared.style


_collector_lock = threading.Lock()
_collector_pauses = 0  # renders under way in this process (threads)
_collector_was_enabled = False


@contextmanager
def _cyclic_collector_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector for a render; when the last render under way ends,
    turn it back on (if it was on) and collect the young generation, which holds everything
    allocated meanwhile: the renders' garbage is freed here, not left for a later request."""
    global _collector_pauses, _collector_was_enabled
    with _collector_lock:
        if _collector_pauses == 0:
            _collector_was_enabled = gc.isenabled()
            gc.disable()
        _collector_pauses += 1
    try:
        yield
    finally:
        with _collector_lock:
            _collector_pauses -= 1
            last = _collector_pauses == 0
            if last and _collector_was_enabled:
                gc.enable()
        if last:
            gc.collect(0)


def render_pdf(
    *,
    template: str,
    context: dict,
    school=None,
    archival: bool = False,
    private_files: Collection[str] = (),
) -> bytes:
    """Render a template extending `pdf/base.html` to PDF bytes (PDF/A-3b when `archival`).

    `school` adds its letterhead (name, address, logo). `private_files` names further files in
    private storage that the template may embed with `private_file_url(name)`.
    """
    allowed = set(private_files)
    logo_url = None
    if school is not None and school.logo and default_storage.exists(school.logo.name):
        allowed.add(school.logo.name)
        logo_url = private_file_url(school.logo.name)
    generated_at = timezone.localtime()
    html = render_to_string(
        template,
        {
            **context,
            "pdf_school": school,
            "pdf_school_logo_url": logo_url,
            "pdf_generated_at": generated_at,
            "pdf_archival": archival,
        },
    )
    stylesheet, fonts = _document_style()
    options = {"pdf_variant": "pdf/a-3b"} if archival else {}
    with _cyclic_collector_paused():
        document = HTML(
            string=html, base_url=BASE_URL, url_fetcher=LocalOnlyFetcher(private_files=allowed)
        )
        return document.write_pdf(stylesheets=[stylesheet], font_config=fonts, **options)
