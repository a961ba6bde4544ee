"""The fuzz net's tools (tests/test_fuzz_net.py): hostile values, the forms on a page, and which
request parameters a view reads.

Nothing here knows any app: fields are found by reading a page's HTML forms and by recording
which keys a view asks `request.GET`, `request.POST` and `request.FILES` for, so a new app's
pages are fuzzed without anyone writing a case for them.
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass, field
from html.parser import HTMLParser

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils.datastructures import MultiValueDict

ONE_MB = 1024 * 1024

# Hostile values for a form field. Each is sent to every field of a form once (see `rotations`),
# so the list stays short: each entry stands for a class of input.
HOSTILE = [
    "",
    "x" * ONE_MB,
    "a\x00b",
    "\u202e\ufeffgnp.exe\u200f",  # RTL override, BOM, RTL mark
    "9" * 25,
    "-1",
    "1e309",
    "31/02/2026",
    "00/00/0000",
    "{{ request }}{% debug %}${7*7}",
    "'\"--;<script>alert(1)</script>",
    "../../../../etc/passwd",
    "//evil.example/path",
]

# The same for query parameters (a URL is never a megabyte long).
HOSTILE_QUERY = [
    "",
    "x" * 5000,
    "a\x00b",
    "\u202e\ufeff",
    "9" * 25,
    "-1",
    "31/02/2026",
    "{{ request }}'\"<x>",
    "//evil.example/path",
    "/\r\nSet-Cookie: x=1",
    "ab",  # a bare word: redirect() would look it up as a URL name
]

# Values a field may accept as valid, which then reach the service and the database (dates at the
# ends of the calendar overflow date arithmetic; numbers past any column): sent one field at a
# time with every other field plausible, so the others' validation does not stop them. Choices
# are left to the rotations: a value not offered is refused by the field itself.
DEEP = {
    "hidden": ["9" * 25],
    "number": ["9" * 25, "-9223372036854775809"],
    "date": ["31/12/9999", "01/01/0001"],
    "text": ["x" * 5000, "\u202e\ufeff😀 Fuzz"],
}

# Query strings no browser sends: invalid UTF-8, broken percent escapes, empty names, brackets.
RAW_QUERY = "%ff%fe=%ff&a=%zz&b=%&page=%00&=&&=x&a[]=1&a[x]=2"


@dataclass
class Form:
    method: str
    action: str | None
    enctype: str
    # name -> (input type, list of plausible values)
    fields: dict[str, tuple[str, list[str]]] = field(default_factory=dict)

    @property
    def multipart(self) -> bool:
        return "multipart" in self.enctype


class _FormParser(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.forms: list[Form] = []
        self._form: Form | None = None
        self._select: str | None = None
        self._options: list[str] = []
        self._selected: list[str] = []
        self._textarea: str | None = None
        self._text = ""

    def _add(self, name: str, kind: str, value: str | None):
        if self._form is None or not name:
            return
        kind_now, values = self._form.fields.setdefault(name, (kind, []))
        if value is not None and value not in values:
            values.append(value)

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form":
            self._form = Form(
                method=(a.get("method") or "get").lower(),
                action=a.get("action"),
                enctype=a.get("enctype") or "",
            )
            self.forms.append(self._form)
        elif tag == "input" and self._form is not None:
            kind = (a.get("type") or "text").lower()
            if kind in ("submit", "reset", "image") and not a.get("name"):
                return
            value = a.get("value")
            if kind in ("checkbox", "radio"):
                value = value or "on"
            self._add(a.get("name") or "", kind, value)
        elif tag == "button" and self._form is not None and a.get("name"):
            self._add(a["name"], "button", a.get("value") or "")
        elif tag == "select" and self._form is not None:
            self._select = a.get("name") or ""
            self._options, self._selected = [], []
            self._add(self._select, "select-multiple" if "multiple" in a else "select", None)
        elif tag == "option" and self._select is not None:
            value = a.get("value")
            if value is not None:
                self._options.append(value)
                if "selected" in a:
                    self._selected.append(value)
        elif tag == "textarea" and self._form is not None:
            self._textarea = a.get("name") or ""
            self._text = ""

    def handle_data(self, data):
        if self._textarea is not None:
            self._text += data

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None
        elif tag == "select" and self._select is not None:
            choices = self._selected + [o for o in self._options if o and o not in self._selected]
            for value in choices[:3]:
                self._add(self._select, "", value)
            self._select = None
        elif tag == "textarea" and self._textarea is not None:
            self._add(self._textarea, "textarea", self._text.strip("\n"))
            self._textarea = None


def forms_in(html: str) -> list[Form]:
    parser = _FormParser()
    parser.feed(html)
    return parser.forms


# A plausible value for each input type, so "one hostile field, the rest valid" reaches the view.
PLAUSIBLE = {
    "email": "fuzz@willow.test",
    "date": "01/09/2026",
    "number": "1",
    "url": "https://example.org/",
    "tel": "01234 567890",
    "password": "a-long-fuzz-passphrase-42",
    "checkbox": "on",
}


def plausible(kind: str, values: list[str], name: str) -> str:
    """A value for a field that would pass its own validation, if the page offers one."""
    offered = [v for v in values if v]
    if offered:
        return offered[0]
    if kind in PLAUSIBLE:
        return PLAUSIBLE[kind]
    lowered = name.lower()
    if "date" in lowered or lowered.endswith("_on"):
        return "01/09/2026"
    if "email" in lowered:
        return "fuzz@willow.test"
    return "Fuzz value"


def deep_kind(kind: str, name: str) -> str | None:
    """Which DEEP values suit a field of this input type and name (None: none)."""
    if kind in ("select", "select-multiple", "radio", "checkbox", "button", "file"):
        return None
    if kind == "hidden":
        return "hidden"
    if kind == "number":
        return "number"
    if kind == "date" or "date" in name or name.endswith("_on"):
        return "date"
    return "text"


def rotations(names: list[str], values: list[str] = HOSTILE):
    """Payloads in which every field takes every value once: payload r gives field i the value
    (i + r) mod len(values). len(values) payloads in all, whatever the number of fields (one,
    empty, when there are none)."""
    if not names:
        yield {}
        return
    for shift in range(len(values)):
        yield {name: values[(i + shift) % len(values)] for i, name in enumerate(names)}


def garbage_files():
    """Uploads no honest browser sends: empty; a lying PNG with a path and a NUL in its name; a
    CSV whose text holds NUL bytes, formulas and broken UTF-8 (text parsed out of a file is
    never seen by the NUL guard at the door)."""
    return [
        SimpleUploadedFile("empty.png", b"", content_type="image/png"),
        SimpleUploadedFile(
            "../../etc/\x00fake.png", b"\x89PNG\r\n\x1a\nnot really", content_type="image/png"
        ),
        SimpleUploadedFile(
            "fuzz.csv",
            b"full_name,email,staff_group,roles\nA\x00B,a\x00@b.test,=1+1,\xff\xfe\n" * 3,
            content_type="text/csv",
        ),
    ]


BROKEN_BODIES = [
    # (content type, body): a multipart body cut off mid-header, and a urlencoded one that is not
    ("multipart/form-data; boundary=xyz", b'--xyz\r\nContent-Disposition: form-data; name="'),
    ("application/x-www-form-urlencoded", b"%ff%fe=%ff&a=%zz&\x00=\x00"),
]


class ParameterRecorder:
    """Records which keys are read from any MultiValueDict (QueryDict is one) while active.

    After a request, `keys_of(response.wsgi_request.GET)` gives the keys the view asked GET for
    (including keys that were not in the request: a view that reads `?page=` is found even when
    the page was opened without it).
    """

    def __init__(self):
        self.reads: list[tuple[int, str]] = []

    def keys_of(self, data) -> set[str]:
        wanted = id(data)
        return {key for owner, key in self.reads if owner == wanted and isinstance(key, str)}

    @contextlib.contextmanager
    def active(self):
        reads = self.reads
        originals = {
            name: getattr(MultiValueDict, name)
            for name in ("__getitem__", "get", "getlist", "__contains__")
        }
        originals["__contains__"] = dict.__contains__

        def wrap(name):
            original = originals[name]

            def recorder(self, key, *args, **kwargs):
                reads.append((id(self), key))
                return original(self, key, *args, **kwargs)

            return recorder

        for name in originals:
            setattr(MultiValueDict, name, wrap(name))
        try:
            yield self
        finally:
            for name, original in originals.items():
                if name == "__contains__":
                    delattr(MultiValueDict, "__contains__")
                else:
                    setattr(MultiValueDict, name, original)
