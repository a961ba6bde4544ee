"""Word (.docx) to sanitised HTML, for importing a school's existing policy document.

mammoth reads the document's structure rather than its look: Word's heading styles become h1-h3,
numbered and bulleted paragraphs become ol/ul, tables stay tables. Images, colours and fonts are
dropped (sanitise_html allows structural tags only).
"""

import io
import zipfile

import mammoth

from policies.text import sanitise_html

# Word style names → HTML. mammoth already knows Heading 1-6 and lists with real numbering; these
# lines also cover documents whose lists come from the "List Number"/"List Bullet" styles alone,
# and fold the deeper heading levels into h3 so a policy's outline stays simple.
STYLE_MAP = """
p[style-name='Title'] => h1:fresh
p[style-name='Heading 1'] => h1:fresh
p[style-name='Heading 2'] => h2:fresh
p[style-name='Heading 3'] => h3:fresh
p[style-name='Heading 4'] => h3:fresh
p[style-name='Heading 5'] => h3:fresh
p[style-name='Heading 6'] => h3:fresh
p[style-name='List Number'] => ol > li:fresh
p[style-name='List Number 2'] => ol > li > ol > li:fresh
p[style-name='List Bullet'] => ul > li:fresh
p[style-name='List Bullet 2'] => ul > li > ul > li:fresh
"""


class DocxImportError(ValueError):
    """The document could not be read as a Word document."""


def _ignore_images(image):
    return {}


def docx_to_html(data: bytes) -> str:
    """The document's text as sanitised HTML; DocxImportError when it cannot be read."""
    try:
        result = mammoth.convert_to_html(
            io.BytesIO(data),
            style_map=STYLE_MAP,
            convert_image=mammoth.images.img_element(_ignore_images),
        )
    except (zipfile.BadZipFile, KeyError, ValueError, OSError) as error:
        raise DocxImportError(str(error)) from error
    except Exception as error:  # mammoth raises assorted errors on a malformed document's XML
        raise DocxImportError(type(error).__name__) from error
    html = sanitise_html(result.value)
    if not html:
        raise DocxImportError("empty")
    return html
