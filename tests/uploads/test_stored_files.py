"""stored_file_create: type by content, size limit, metadata removed, nothing left on failure."""

import datetime as dt
import hashlib
import io
import os

import pytest
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import DatabaseError, transaction
from PIL import Image, ImageFile

from socialgov.uploads.inspection import KINDS
from socialgov.uploads.models import StoredFile
from socialgov.uploads.services import stored_file_create, stored_file_orphans_delete
from tests.uploads.images import (
    GPS_IFD,
    docx_bytes,
    exe_bytes,
    png_bytes,
    rotated_jpeg_with_gps,
)

pytestmark = pytest.mark.django_db


def upload(name, content, content_type="application/octet-stream"):
    # The browser's content type is whatever the person's computer says: never trusted.
    return SimpleUploadedFile(name, content, content_type=content_type)


def files_on_disk(root) -> list[str]:
    return [os.path.join(d, f) for d, _, files in os.walk(root) for f in files]


def test_photo_loses_gps_and_all_metadata_and_stays_portrait(school, office):
    stored = stored_file_create(
        school=school,
        uploaded_by=office,
        upload=upload("Trip photo.JPG", rotated_jpeg_with_gps(), "image/jpeg"),
    )
    with stored.file.open("rb") as handle:
        content = handle.read()
    image = Image.open(io.BytesIO(content))
    assert image.format == "JPEG"
    assert len(image.getexif()) == 0
    assert image.getexif().get_ifd(GPS_IFD) == {}
    assert not {"exif", "comment", "xmp", "icc_profile"} & set(image.info)
    assert b"PhoneCo" not in content and b"Willow Lane" not in content
    # Portrait, as the camera showed it: the band stored on top is displayed on the right.
    assert image.size == (300, 400)
    red, green, blue = image.getpixel((290, 200))
    assert red > 200 and blue < 60
    red, green, blue = image.getpixel((10, 200))
    assert blue > 200 and red < 60


def test_stored_file_records_what_was_stored(school, office):
    stored = stored_file_create(
        school=school, uploaded_by=office, upload=upload("Logo.png", png_bytes())
    )
    with stored.file.open("rb") as handle:
        content = handle.read()
    assert stored.content_type == "image/png"
    assert stored.size == len(content)
    assert stored.sha256 == hashlib.sha256(content).hexdigest()
    assert stored.original_name == "Logo.png"
    assert stored.uploaded_by == office
    assert stored.history.get().history_user == office


def test_path_is_random_and_never_the_persons_file_name(school, office):
    stored = stored_file_create(
        school=school,
        uploaded_by=office,
        upload=upload("../../Jane Smith's safeguarding notes.pdf", b"%PDF-1.7\n%%EOF\n"),
    )
    folder, name = stored.file.name.rsplit("/", 1)
    assert folder == f"uploads/{school.pk}"
    assert len(name) == len("0123456789abcdef0123456789abcdef.pdf") and name.endswith(".pdf")
    assert "Jane" not in stored.file.name
    assert stored.original_name == "Jane Smith's safeguarding notes.pdf"
    assert stored.content_type == "application/pdf"


def test_png_passes(school, office):
    stored = stored_file_create(
        school=school, uploaded_by=office, upload=upload("poster.png", png_bytes())
    )
    with stored.file.open("rb") as handle:
        assert Image.open(handle).size == (120, 80)


def test_word_document_passes_unchanged(school, office):
    content = docx_bytes()
    stored = stored_file_create(
        school=school, uploaded_by=office, upload=upload("Policy.docx", content)
    )
    assert stored.content_type == KINDS["docx"].content_type
    assert stored.sha256 == hashlib.sha256(content).hexdigest()


def test_program_renamed_pdf_is_refused_and_leaves_nothing(school, office, private_storage):
    with pytest.raises(ValidationError) as refused:
        stored_file_create(
            school=school,
            uploaded_by=office,
            upload=upload("minutes.pdf", exe_bytes(), "application/pdf"),
        )
    assert refused.value.messages == [
        "This file is not a PDF, PNG, JPEG or Word document, so it cannot be accepted. Check "
        "you chose the right file, or save it as a PDF (.pdf), PNG (.png), JPEG (.jpg) or Word "
        "document (.docx) and try again."
    ]
    assert StoredFile.objects.count() == 0
    assert files_on_disk(private_storage) == []


def test_zip_that_is_not_a_word_document_is_refused(school, office):
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("payload.txt", "not a document")
    with pytest.raises(ValidationError, match="not a PDF, PNG, JPEG or Word document"):
        stored_file_create(
            school=school, uploaded_by=office, upload=upload("policy.docx", buffer.getvalue())
        )


def test_word_document_with_macros_is_refused(school, office):
    import zipfile

    source = zipfile.ZipFile(io.BytesIO(docx_bytes()))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for item in source.infolist():
            archive.writestr(item, source.read(item))
        archive.writestr("word/vbaProject.bin", b"\xd0\xcf\x11\xe0 macro")
    with pytest.raises(ValidationError, match="macros"):
        stored_file_create(
            school=school, uploaded_by=office, upload=upload("policy.docx", buffer.getvalue())
        )


def test_name_that_disagrees_with_the_content_is_refused(school, office):
    with pytest.raises(ValidationError) as refused:
        stored_file_create(
            school=school, uploaded_by=office, upload=upload("report.pdf", png_bytes())
        )
    assert refused.value.messages == [
        "The file's name ends in .pdf but it contains a PNG. Check you chose the right file; "
        "if it is right, rename it to end in .png and try again."
    ]


def test_kind_outside_the_allowed_set_is_refused(school, office):
    with pytest.raises(ValidationError, match="This file is not a PNG or JPEG"):
        stored_file_create(
            school=school,
            uploaded_by=office,
            upload=upload("policy.docx", docx_bytes()),
            allowed={"png", "jpeg"},
        )


def test_file_over_the_limit_is_refused_with_sizes(school, office, settings, private_storage):
    settings.UPLOAD_MAX_BYTES = 10 * 1024 * 1024
    big = b"%PDF-1.7\n" + b"0" * int(12.3 * 1024 * 1024)
    with pytest.raises(ValidationError) as refused:
        stored_file_create(school=school, uploaded_by=office, upload=upload("big.pdf", big))
    assert refused.value.messages == ["The file is 12.3 MB; the limit is 10 MB."]
    assert StoredFile.objects.count() == 0
    assert files_on_disk(private_storage) == []


def test_small_limit_from_settings_applies(school, office, settings):
    settings.UPLOAD_MAX_BYTES = 1024
    with pytest.raises(ValidationError, match="the limit is 1 KB"):
        stored_file_create(
            school=school, uploaded_by=office, upload=upload("a.pdf", b"%PDF-" + b"x" * 2000)
        )


def test_empty_file_is_refused(school, office):
    with pytest.raises(ValidationError, match="The file is empty."):
        stored_file_create(school=school, uploaded_by=office, upload=upload("a.pdf", b""))


def test_decompression_bomb_is_refused_without_decoding(school, office):
    """A PNG header claiming 50,000 × 50,000 pixels (2.5 gigapixels) in a few bytes."""
    import struct
    import zlib

    def chunk(kind, data):
        return (
            struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
        )

    bomb = (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", struct.pack(">IIBBBBB", 50_000, 50_000, 8, 2, 0, 0, 0))
        + chunk(b"IDAT", zlib.compress(b"\x00" * 1000))
        + chunk(b"IEND", b"")
    )
    with pytest.raises(ValidationError, match="too large to process"):
        stored_file_create(school=school, uploaded_by=office, upload=upload("bomb.png", bomb))
    assert StoredFile.objects.count() == 0


@pytest.mark.parametrize("name,make", [("x.png", png_bytes), ("x.jpg", rotated_jpeg_with_gps)])
def test_cut_off_image_is_refused_clearly(school, office, monkeypatch, name, make):
    # As after `import weasyprint`, which makes Pillow pad cut-off images instead of failing.
    monkeypatch.setattr(ImageFile, "LOAD_TRUNCATED_IMAGES", True)
    content = make()
    broken = content[: len(content) * 2 // 3]
    with pytest.raises(ValidationError, match="damaged or incomplete"):
        stored_file_create(school=school, uploaded_by=office, upload=upload(name, broken))
    assert StoredFile.objects.count() == 0


def test_database_error_after_writing_removes_the_file(
    school, office, private_storage, monkeypatch
):
    def fail(*args, **kwargs):
        raise DatabaseError("the database went away")

    monkeypatch.setattr(StoredFile, "save", fail)
    with pytest.raises(DatabaseError):
        stored_file_create(school=school, uploaded_by=office, upload=upload("a.png", png_bytes()))
    assert files_on_disk(private_storage) == []


def test_file_left_by_a_rolled_back_caller_is_swept(school, office, private_storage):
    kept = stored_file_create(
        school=school, uploaded_by=office, upload=upload("a.png", png_bytes())
    )

    class CallerFailed(Exception):
        pass

    with pytest.raises(CallerFailed), transaction.atomic():
        stored_file_create(school=school, uploaded_by=office, upload=upload("b.png", png_bytes()))
        raise CallerFailed
    assert len(files_on_disk(private_storage)) == 2  # the orphan is still there

    assert stored_file_orphans_delete(older_than=dt.timedelta(hours=1)) == []
    deleted = stored_file_orphans_delete(older_than=dt.timedelta(0))
    assert len(deleted) == 1
    assert files_on_disk(private_storage) == [os.path.join(private_storage, kept.file.name)]
    assert default_storage.exists(kept.file.name)
