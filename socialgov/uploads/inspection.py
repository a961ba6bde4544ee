"""Checking an upload before it is kept: size, type by content, images re-encoded without metadata.

`upload_inspect()` is the one check every upload goes through (the `PrivateFileField` form field
and the `stored_file_create` service both use it). It returns a `CheckedUpload`: the bytes to
store (for images, re-encoded with EXIF, GPS and every other metadata removed), the detected
kind, a random file name that never contains the person's own file name, and its SHA-256.
"""

from __future__ import annotations

import hashlib
import io
import uuid
import warnings
import zipfile
from dataclasses import dataclass
from pathlib import PurePath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile, UploadedFile
from PIL import Image, ImageCms, ImageFile, ImageOps, UnidentifiedImageError

# Larger than any phone photo in common use; anything bigger is refused before it is decoded.
# Checked from the header, before any pixel is decoded: a 25-megapixel photo (a good camera's)
# costs a few hundred MB to re-encode; beyond that an image is refused.
MAX_IMAGE_PIXELS = 25_000_000


@dataclass(frozen=True)
class FileKind:
    code: str
    label: str
    content_type: str
    extension: str
    extensions: frozenset[str]


KINDS = {
    kind.code: kind
    for kind in (
        FileKind("pdf", "PDF", "application/pdf", "pdf", frozenset({"pdf"})),
        FileKind("png", "PNG", "image/png", "png", frozenset({"png"})),
        FileKind("jpeg", "JPEG", "image/jpeg", "jpg", frozenset({"jpg", "jpeg", "jpe", "jfif"})),
        FileKind(
            "docx",
            "Word document",
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            "docx",
            frozenset({"docx"}),
        ),
    )
}
DEFAULT_ALLOWED = frozenset({"pdf", "png", "jpeg", "docx"})
IMAGE_KINDS = frozenset({"png", "jpeg"})

_PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
_JPEG_SIGNATURE = b"\xff\xd8\xff"
_PDF_SIGNATURE = b"%PDF-"
_ZIP_SIGNATURE = b"PK\x03\x04"


class CheckedUpload(SimpleUploadedFile):
    """An upload that passed `upload_inspect`: safe bytes, detected kind, random name."""

    def __init__(self, *, content: bytes, kind: FileKind, original_name: str):
        super().__init__(f"{uuid.uuid4().hex}.{kind.extension}", content, kind.content_type)
        self.content = content
        self.kind = kind
        self.original_name = original_name
        self.sha256 = hashlib.sha256(content).hexdigest()


def describe_size(size: int) -> str:
    """A size as people read it: "12.3 MB", "10 MB", "850 KB"."""
    if size >= 1024 * 1024:
        value, unit = size / (1024 * 1024), "MB"
    else:
        value, unit = max(size / 1024, 0.1), "KB"
    text = f"{value:.1f}".removesuffix(".0")
    return f"{text} {unit}"


def allowed_labels(allowed) -> str:
    """ "a PDF, PNG, JPEG or Word document" style list of the kinds allowed."""
    labels = [KINDS[code].label for code in KINDS if code in allowed]
    if len(labels) == 1:
        return labels[0]
    return ", ".join(labels[:-1]) + " or " + labels[-1]


def sniff(content: bytes) -> FileKind | None:
    """The kind of file the bytes are, judged by their content alone (never by the name)."""
    if content.startswith(_PDF_SIGNATURE):
        return KINDS["pdf"]
    if content.startswith(_PNG_SIGNATURE):
        return KINDS["png"]
    if content.startswith(_JPEG_SIGNATURE):
        return KINDS["jpeg"]
    if content.startswith(_ZIP_SIGNATURE) and _is_docx(content):
        return KINDS["docx"]
    return None


def _is_docx(content: bytes) -> bool:
    # Only the zip's directory is read; nothing is extracted, so a zip bomb costs nothing here.
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            names = set(archive.namelist())
    except (zipfile.BadZipFile, ValueError, OSError):
        return False
    return "[Content_Types].xml" in names and "word/document.xml" in names


def _has_macros(content: bytes) -> bool:
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        if any(name.lower().endswith("vbaproject.bin") for name in archive.namelist()):
            return True
        content_types = archive.read("[Content_Types].xml")[:200_000]
    return b"macroEnabled" in content_types


def upload_inspect(
    upload: UploadedFile, *, allowed=DEFAULT_ALLOWED, max_side: int | None = None
) -> CheckedUpload:
    """Check an upload and return what may be stored; ValidationError with a clear message if not.

    An upload already checked (a `CheckedUpload`) is not re-encoded again, only re-checked
    against `allowed`.
    """
    allowed = frozenset(allowed)
    unknown = allowed - set(KINDS)
    if unknown:
        raise ValueError(f"unknown file kinds: {sorted(unknown)}")
    if isinstance(upload, CheckedUpload):
        _check_allowed(upload.kind, allowed)
        return upload

    original_name = _display_name(getattr(upload, "name", "") or "")
    limit = settings.UPLOAD_MAX_BYTES
    size = upload.size or 0
    if size > limit:
        raise ValidationError(
            "The file is %(size)s; the limit is %(limit)s.",
            code="too_large",
            params={"size": describe_size(size), "limit": describe_size(limit)},
        )
    upload.seek(0)
    content = upload.read(limit + 1)
    if len(content) > limit:  # the declared size was wrong
        raise ValidationError(
            "The file is over the limit of %(limit)s.",
            code="too_large",
            params={"limit": describe_size(limit)},
        )
    if not content:
        raise ValidationError("The file is empty.", code="empty")

    kind = sniff(content)
    _check_allowed(kind, allowed)
    _check_name_matches(kind, original_name)
    if kind.code == "docx" and _has_macros(content):
        raise ValidationError(
            "Word documents with macros cannot be accepted. Save it as an ordinary Word "
            "document (.docx) and try again.",
            code="macros",
        )
    if kind.code in IMAGE_KINDS:
        content = _reencode_image(content, kind, max_side=max_side)
    return CheckedUpload(content=content, kind=kind, original_name=original_name)


def _with_article(labels: str) -> str:
    return ("an " if labels[:1] in "AEIOU" else "a ") + labels


def allowed_formats(allowed) -> str:
    """ "a PDF (.pdf), PNG (.png) or Word document (.docx)": the kinds with the ending to save
    each as, so a refusal says exactly which formats would be accepted."""
    named = [f"{KINDS[code].label} (.{KINDS[code].extension})" for code in KINDS if code in allowed]
    listed = named[0] if len(named) == 1 else ", ".join(named[:-1]) + " or " + named[-1]
    return _with_article(listed)


def _check_allowed(kind: FileKind | None, allowed: frozenset[str]) -> None:
    if kind is None or kind.code not in allowed:
        raise ValidationError(
            "This file is not %(kinds)s, so it cannot be accepted. "
            "Check you chose the right file, or save it as %(formats)s and try again.",
            code="wrong_type",
            params={
                "kinds": _with_article(allowed_labels(allowed)),
                "formats": allowed_formats(allowed),
            },
        )


def _check_name_matches(kind: FileKind, name: str) -> None:
    """The name's extension must agree with the content: a program renamed .pdf is refused."""
    extension = PurePath(name).suffix.lower().lstrip(".")
    if extension not in kind.extensions:
        raise ValidationError(
            "The file's name ends in %(extension)s but it contains a %(label)s. Check you chose "
            "the right file; if it is right, rename it to end in .%(expected)s and try again.",
            code="name_mismatch",
            params={
                "extension": f".{extension}" if extension else "no file type",
                "label": kind.label,
                "expected": kind.extension,
            },
        )


def _display_name(name: str) -> str:
    """The person's file name, for display and downloads only: no folders, no control characters."""
    name = name.replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(ch for ch in name if ch.isprintable()).strip()
    return name[:200] or "file"


def _reencode_image(content: bytes, kind: FileKind, *, max_side: int | None = None) -> bytes:
    """Decode and save the pixels afresh: EXIF, GPS, XMP, comments and profiles are left behind.

    The EXIF orientation is applied to the pixels first, so a portrait photo stays portrait.
    `max_side`: scaled down (never up) so neither side is longer (a logo drawn into every PDF).
    """
    # WeasyPrint turns this process-wide switch on when imported, and Pillow then pads a cut-off
    # image with grey instead of failing. Uploads must be whole, and SocialGov renders only
    # checked images into PDFs, so it is kept off.
    ImageFile.LOAD_TRUNCATED_IMAGES = False
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(content)) as image:
                if image.width * image.height > MAX_IMAGE_PIXELS:
                    raise _too_many_pixels()
                image.load()
                upright = ImageOps.exif_transpose(image)
                if max_side and max(upright.size) > max_side:
                    upright.thumbnail((max_side, max_side), Image.Resampling.LANCZOS)
                pixels = _to_srgb(upright, image.info.get("icc_profile"))
                mode = _output_mode(pixels, kind)
                pixels = pixels.convert(mode)
                # A new image made from the raw pixels has no `info` at all: nothing leaks.
                clean = Image.frombytes(mode, pixels.size, pixels.tobytes())
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise _too_many_pixels() from None
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, EOFError):
        raise ValidationError(
            "This image is damaged or incomplete and cannot be read. Try saving it again.",
            code="bad_image",
        ) from None
    output = io.BytesIO()
    if kind.code == "jpeg":
        clean.save(output, format="JPEG", quality=90, optimize=True)
    else:
        clean.save(output, format="PNG", optimize=True)
    return output.getvalue()


def _output_mode(image: Image.Image, kind: FileKind) -> str:
    grey = image.mode in ("L", "1")
    if kind.code == "jpeg":
        return "L" if grey else "RGB"
    has_alpha = image.mode in ("RGBA", "LA", "PA") or "transparency" in image.info
    return "RGBA" if has_alpha else ("L" if grey else "RGB")


def _to_srgb(image: Image.Image, icc_profile: bytes | None) -> Image.Image:
    """Convert colours from an embedded profile to sRGB, as the profile itself is not kept."""
    if not icc_profile or image.mode not in ("RGB", "RGBA"):
        return image
    try:
        source = ImageCms.ImageCmsProfile(io.BytesIO(icc_profile))
        return ImageCms.profileToProfile(
            image, source, ImageCms.createProfile("sRGB"), outputMode=image.mode
        )
    except (ImageCms.PyCMSError, OSError):
        # An unreadable profile: keep the pixels as they are (they are nearly always sRGB).
        return image


def _too_many_pixels() -> ValidationError:
    return ValidationError(
        "This image is too large to process (more than %(megapixels)s megapixels). "
        "Make it smaller and try again.",
        code="too_many_pixels",
        params={"megapixels": MAX_IMAGE_PIXELS // 1_000_000},
    )
