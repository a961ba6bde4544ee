"""Test files made on the spot: images with metadata, Word documents, programs in disguise."""

import io

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from PIL import Image, ImageDraw

# EXIF tags
ORIENTATION = 0x0112
MAKE = 0x010F
GPS_IFD = 0x8825


def png_bytes(size=(120, 80), colour="#1f4e79") -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, colour).save(buffer, format="PNG")
    return buffer.getvalue()


def rotated_jpeg_with_gps() -> bytes:
    """A 400×300 landscape JPEG whose EXIF says "rotate 90° clockwise to display" (Orientation 6).

    Displayed, it is a 300×400 portrait. The stored top band is red: displayed, that band is
    on the right. It carries GPS coordinates, a camera make and a comment.
    """
    image = Image.new("RGB", (400, 300), (0, 0, 255))
    ImageDraw.Draw(image).rectangle((0, 0, 399, 59), fill=(255, 0, 0))
    exif = Image.Exif()
    exif[ORIENTATION] = 6
    exif[MAKE] = "PhoneCo"
    exif[GPS_IFD] = {1: "N", 2: (52.0, 33.0, 10.0), 3: "E", 4: (0.0, 5.0, 30.0)}
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", exif=exif, comment=b"Taken at 12 Willow Lane", quality=95)
    return buffer.getvalue()


def docx_bytes(text="Our school's social media policy.") -> bytes:
    import docx

    document = docx.Document()
    document.add_paragraph(text)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def exe_bytes() -> bytes:
    """The start of a Windows program (an "MZ" header and the DOS stub message)."""
    return (
        b"MZ\x90\x00\x03\x00\x00\x00\x04\x00"
        + b"\x00" * 50
        + b"This program cannot be run in DOS mode.\r\n"
        + b"\x00" * 200
    )


def give_school_a_logo(school) -> str:
    """Put a PNG logo in private storage for `school` and return its storage name."""
    name = default_storage.save(f"school-logos/test-{school.pk}.png", ContentFile(png_bytes()))
    school.logo.name = name
    school.save(update_fields=["logo"])
    return name
