"""Sending private files to the browser with headers that stop them being run as a page.

Feature apps fetch the object through their own access gateway, then call `serve_stored_file`.
"""

from __future__ import annotations

import unicodedata
from pathlib import PurePath
from urllib.parse import quote

from django.http import FileResponse, Http404

from socialgov.uploads.inspection import KINDS
from socialgov.uploads.models import StoredFile

_CONTENT_TYPES = {kind.content_type: kind for kind in KINDS.values()}


def safe_filename(name: str, *, content_type: str) -> str:
    """A download name with no folders, control or quoting characters, ending in the right type."""
    name = name.replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(
        "_" if ch in '"\\;:*?<>|' or not ch.isprintable() else ch
        for ch in unicodedata.normalize("NFC", name)
    )
    name = " ".join(name.split()).strip(" .") or "file"
    kind = _CONTENT_TYPES.get(content_type)
    if kind and PurePath(name).suffix.lower().lstrip(".") not in kind.extensions:
        name = f"{name}.{kind.extension}"
    if len(name) > 150:
        stem, suffix = PurePath(name).stem, PurePath(name).suffix
        name = stem[: 150 - len(suffix)] + suffix
    return name


def content_disposition(filename: str, *, as_attachment: bool) -> str:
    """RFC 6266: an ASCII fallback `filename` and the exact name in `filename*`."""
    ascii_name = (
        unicodedata.normalize("NFKD", filename).encode("ascii", "ignore").decode("ascii") or "file"
    )
    disposition = "attachment" if as_attachment else "inline"
    return f"{disposition}; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(filename, safe='')}"


def serve_file(
    *, file, content_type: str, filename: str, as_attachment: bool = True
) -> FileResponse:
    """A response for a file in private storage (a FieldFile), with safe headers."""
    try:
        handle = file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    response = FileResponse(handle, content_type=content_type)
    response["Content-Disposition"] = content_disposition(
        safe_filename(filename, content_type=content_type), as_attachment=as_attachment
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    # Opened directly, the file can run nothing and load nothing.
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Cross-Origin-Resource-Policy"] = "same-origin"
    return response


def serve_stored_file(request, stored_file: StoredFile, *, as_attachment: bool = True):
    """Send a stored file the caller has already checked access to (through its gateway)."""
    return serve_file(
        file=stored_file.file,
        content_type=stored_file.content_type,
        filename=stored_file.original_name,
        as_attachment=as_attachment,
    )
