"""`PrivateFileField`: the form field feature apps use for uploads.

It runs the same check as `stored_file_create` (size, type by content, image metadata removed),
so a refused file shows as an error on the field. `cleaned_data[name]` is then a `CheckedUpload`
to pass to `stored_file_create(upload=...)` (not checked twice), or to assign to a model
`FileField`/`ImageField` (it has a random name, never the person's own file name).
"""

from django import forms
from django.conf import settings
from django.db.models.fields.files import FieldFile

from socialgov.uploads.inspection import DEFAULT_ALLOWED, KINDS, describe_size, upload_inspect


class PrivateFileField(forms.FileField):
    def __init__(self, *, allowed=DEFAULT_ALLOWED, max_side: int | None = None, **kwargs):
        self.allowed = frozenset(allowed)
        self.max_side = max_side  # images scaled down to this many pixels a side
        unknown = self.allowed - set(KINDS)
        if unknown:
            raise ValueError(f"unknown file kinds: {sorted(unknown)}")
        kwargs.setdefault("help_text", self.default_help_text())
        super().__init__(**kwargs)

    def default_help_text(self) -> str:
        kinds = ", ".join(KINDS[code].label for code in KINDS if code in self.allowed)
        return f"{kinds}; up to {describe_size(settings.UPLOAD_MAX_BYTES)}."

    def widget_attrs(self, widget):
        attrs = super().widget_attrs(widget)
        if isinstance(widget, forms.FileInput):
            # A hint for the browser's file picker only; the content check is what counts.
            attrs["accept"] = ",".join(
                f".{ext}" for code in sorted(self.allowed) for ext in sorted(KINDS[code].extensions)
            )
        return attrs

    def to_python(self, data):
        upload = super().to_python(data)
        if upload is None:
            return None
        return upload_inspect(upload, allowed=self.allowed, max_side=self.max_side)


class _LinkedFieldFile(FieldFile):
    """The current file of a model form, linking to the view that serves it."""

    def __init__(self, current: FieldFile, url: str):
        super().__init__(current.instance, current.field, current.name)
        self._served_at = url

    @property
    def url(self) -> str:
        return self._served_at


def link_current_file(form: forms.ModelForm, name: str, url: str) -> None:
    """Make the "Currently: …" link of a file field point at its permission-checked view.

    Private storage has no public URL, so the default link leads nowhere.
    """
    current = form.get_initial_for_field(form.fields[name], name)
    if isinstance(current, FieldFile) and current:
        form.initial[name] = _LinkedFieldFile(current, url)
