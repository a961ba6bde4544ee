"""The Word conversion's child process (run by policies/docx_import.py; not imported).

Reads a .docx on standard input and writes mammoth's HTML on standard output, after limiting
its own processor time and memory (arguments: CPU seconds, memory bytes) so that no document
can hold a web worker or the machine. It imports no Django and reads no settings.
"""

import io
import resource
import sys

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


def _limit(cpu_seconds: int, memory_bytes: int) -> None:
    resource.setrlimit(resource.RLIMIT_CPU, (cpu_seconds, cpu_seconds))
    resource.setrlimit(resource.RLIMIT_AS, (memory_bytes, memory_bytes))
    resource.setrlimit(resource.RLIMIT_FSIZE, (0, 0))  # writes no files
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))


def _ignore_images(image):
    return {}


def main() -> int:
    _limit(int(sys.argv[1]), int(sys.argv[2]))
    data = sys.stdin.buffer.read()
    import mammoth  # after the limits: parsing the document is what they are for

    result = mammoth.convert_to_html(
        io.BytesIO(data),
        style_map=STYLE_MAP,
        convert_image=mammoth.images.img_element(_ignore_images),
    )
    sys.stdout.buffer.write(result.value.encode("utf-8"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
