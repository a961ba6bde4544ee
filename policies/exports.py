"""Bulk export of a version's signatures: a zip of the stored PDFs and an index, streamed."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterable, Iterator

from django.utils import timezone

from policies.models import Signature
from socialgov.csv_export import csv_lines
from socialgov.people.roles import StaffGroup
from socialgov.uploads.serving import safe_filename

CHUNK = 256 * 1024
INDEX_HEADER = [
    "Name",
    "Staff group",
    "Version signed",
    "Signed at",
    "Verification code",
    "Text SHA-256",
    "PDF SHA-256",
    "File",
]


class _Chunks(io.RawIOBase):
    """A write-only stream whose bytes are taken out as they are written (not seekable, so
    zipfile writes data descriptors instead of going back)."""

    def __init__(self):
        self._parts: list[bytes] = []

    def writable(self) -> bool:
        return True

    def write(self, data) -> int:
        self._parts.append(bytes(data))
        return len(data)

    def take(self) -> bytes:
        data = b"".join(self._parts)
        self._parts.clear()
        return data


def signature_pdf_name(signature: Signature) -> str:
    return safe_filename(
        f"{signature.signer.full_name} {signature.display_code}.pdf",
        content_type="application/pdf",
    )


def zip_chunks(signatures: Iterable[Signature], groups: dict[int, str]) -> Iterator[bytes]:
    """The zip's bytes in chunks: every signature's stored PDF, then index.csv (which version
    each person signed: an earlier minor version's signature counts too)."""
    stream = _Chunks()
    index_rows = []
    with zipfile.ZipFile(stream, mode="w", compression=zipfile.ZIP_STORED) as archive:
        for signature in signatures:
            name = signature_pdf_name(signature)
            when = timezone.localtime(signature.signed_at)
            info = zipfile.ZipInfo(name, date_time=when.timetuple()[:6])
            with signature.pdf.file.open("rb") as source, archive.open(info, "w") as target:
                while block := source.read(CHUNK):
                    target.write(block)
                    yield stream.take()
            index_rows.append(
                [
                    signature.signer.full_name,
                    groups.get(signature.signer_id, ""),
                    signature.version.number,
                    signature.signed_at,
                    signature.display_code,
                    signature.text_sha256,
                    signature.pdf_sha256,
                    name,
                ]
            )
            yield stream.take()
        archive.writestr("index.csv", "".join(csv_lines(INDEX_HEADER, index_rows)).encode("utf-8"))
    yield stream.take()


GROUP_LABELS = dict(StaffGroup.choices)
