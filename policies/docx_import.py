"""Word (.docx) to sanitised HTML, for importing a school's existing policy document.

mammoth reads the document's structure rather than its look: Word's heading styles become h1-h3,
numbered and bulleted paragraphs become ol/ul, tables stay tables. Images, colours and fonts are
dropped (sanitise_html allows structural tags only).

A .docx is a zip of XML, and mammoth's time and memory grow with the XML (a 31 KB file holding
10 MB of XML took 85 s and 800 MB). So, before converting:
- the zip is checked without decompressing anything: at most MAX_MEMBERS files, at most
  MAX_UNCOMPRESSED_BYTES in all once uncompressed, no file compressed more than MAX_RATIO times;
- the XML parts mammoth reads are streamed through expat counting elements (at most
  MAX_XML_NODES; no DTDs or entities, so no entity expansion);
and the conversion itself runs in a child process (policies/docx_convert.py) limited to
CPU_SECONDS of processor time, MEMORY_BYTES of memory and WALL_SECONDS in all. The caller runs
it outside any database transaction.
"""

from __future__ import annotations

import io
import logging
import subprocess
import sys
import time
import zipfile
from pathlib import Path
from xml.parsers import expat

from policies.text import TextRefused, sanitise_html

logger = logging.getLogger(__name__)

MAX_MEMBERS = 500
MAX_UNCOMPRESSED_BYTES = 25 * 1024 * 1024
MAX_RATIO = 100  # real documents: up to about 35 (Word's style sheets)
MAX_XML_NODES = 40_000  # a 45,000-character policy: 10,000-30,000 (Word splits text into runs)
CPU_SECONDS = 15
WALL_SECONDS = 20
MEMORY_BYTES = 1024 * 1024 * 1024
# The parts mammoth reads (the rest of the zip is never parsed).
CONVERTED_PARTS = (
    "[Content_Types].xml",
    "_rels/.rels",
    "word/_rels/document.xml.rels",
    "word/document.xml",
    "word/styles.xml",
    "word/numbering.xml",
    "word/footnotes.xml",
    "word/endnotes.xml",
    "word/comments.xml",
)
CONVERTER = Path(__file__).with_name("docx_convert.py")


class DocxImportError(ValueError):
    """The document could not be read as a Word document."""


class DocxTooLarge(DocxImportError):
    """The document is bigger or more complex than an import allows; str() is the message."""


TOO_LARGE = (
    "This Word document is too large or too complex to import. Save a copy without pictures "
    "or tracked changes, or split it into smaller documents, and try again."
)


def _count_xml_nodes(archive: zipfile.ZipFile, info: zipfile.ZipInfo, budget: int) -> int:
    """Elements in one XML part, streamed (never held in memory); stops past `budget`."""
    count = 0

    def start(name, attributes):
        nonlocal count
        count += 1
        if count > budget:
            raise DocxTooLarge(TOO_LARGE)

    def refuse_dtd(*args):
        raise DocxImportError("a DTD or entity declaration in the document's XML")

    parser = expat.ParserCreate()
    parser.StartElementHandler = start
    parser.StartDoctypeDeclHandler = refuse_dtd
    parser.EntityDeclHandler = refuse_dtd
    read = 0
    with archive.open(info) as part:
        while block := part.read(64 * 1024):
            read += len(block)
            if read > info.file_size:  # more than the zip declared: a crafted file
                raise DocxTooLarge(TOO_LARGE)
            parser.Parse(block, False)
        parser.Parse(b"", True)
    return count


def docx_check(data: bytes) -> None:
    """Refuse a document whose conversion could take long or much memory (see the module)."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, ValueError, OSError) as error:
        raise DocxImportError(str(error)) from error
    with archive:
        members = archive.infolist()
        if len(members) > MAX_MEMBERS:
            raise DocxTooLarge(TOO_LARGE)
        if sum(info.file_size for info in members) > MAX_UNCOMPRESSED_BYTES:
            raise DocxTooLarge(TOO_LARGE)
        for info in members:
            if info.file_size > MAX_RATIO * max(info.compress_size, 1) and info.file_size > 4096:
                raise DocxTooLarge(TOO_LARGE)
        names = {info.filename: info for info in members}
        if "word/document.xml" not in names:
            raise DocxImportError("no word/document.xml")
        budget = MAX_XML_NODES
        for name in CONVERTED_PARTS:
            if name in names:
                try:
                    budget -= _count_xml_nodes(archive, names[name], budget)
                except expat.ExpatError as error:
                    raise DocxImportError(f"{name}: {error}") from error
                except (
                    zipfile.BadZipFile,
                    zipfile.LargeZipFile,
                    OSError,
                    EOFError,
                    RuntimeError,
                    NotImplementedError,
                ) as error:
                    raise DocxImportError(f"{name}: {error}") from error


def _convert_in_child(data: bytes) -> str:
    """mammoth in a child process with limits on processor time, memory and duration."""
    command = [
        sys.executable,
        "-I",  # isolated: no environment variables, no user site, no current directory
        str(CONVERTER),
        str(CPU_SECONDS),
        str(MEMORY_BYTES),
    ]
    try:
        finished = subprocess.run(  # noqa: S603 (our own script, no shell, no user input)
            command, input=data, capture_output=True, timeout=WALL_SECONDS, env={}
        )
    except subprocess.TimeoutExpired as error:
        raise DocxTooLarge(TOO_LARGE) from error
    if finished.returncode != 0:
        reason = finished.stderr.decode("utf-8", "replace").strip().splitlines()[-1:] or [""]
        logger.warning("Word conversion failed (exit %s): %s", finished.returncode, reason[0])
        if finished.returncode < 0 or "MemoryError" in reason[0]:  # killed by a limit
            raise DocxTooLarge(TOO_LARGE)
        raise DocxImportError(reason[0] or "conversion failed")
    return finished.stdout.decode("utf-8")


def docx_to_html(data: bytes) -> str:
    """The document's text as sanitised HTML; DocxImportError when it cannot be read
    (DocxTooLarge when it is over the limits). Slow: call outside transactions."""
    started = time.perf_counter()
    docx_check(data)
    html = _convert_in_child(data)
    try:
        html = sanitise_html(html)
    except TextRefused as refusal:
        raise DocxTooLarge(str(refusal)) from refusal
    if not html:
        raise DocxImportError("empty")
    logger.info("Converted a Word document in %.2f s", time.perf_counter() - started)
    return html
