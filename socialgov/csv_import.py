"""Importing a CSV file, for every import (staff now, pupils next): read, check, preview, apply.

Schools export lists from Excel or their MIS (SIMS, Arbor, Bromcom): files saved as UTF-8 with or
without a byte-order mark or as Windows-1252, separated by commas, semicolons or tabs, often with
a title row above the header ("Staff list, printed 01/09/2026") and a footer below the data
("Total: 45"). This module turns such a file into numbered rows of cells keyed by column, and
gives each import the same preview → confirm → apply cycle. The app decides what a row means.

1. Describe the file once, as a `CsvFormat` of `Column`s (the heading-mapping table)::

       PUPILS = CsvFormat(
           what="pupils",
           columns=(
               Column("upn", "UPN", headings=("upn", "unique pupil number"), required=True),
               Column("surname", "surname", headings=("legal surname", "surname"), required=True),
               Column("year", "year group", headings=("year", "nc year", "year group")),
           ),
           max_rows=3000,
       )

   Headings are matched by `heading_key()` (only letters and digits count: case, spaces, "_",
   "-", ":" or "*" do not matter), so list each spelling once.

2. Read it: `table = read_csv(data, PUPILS, mapping=...)` returns a `CsvTable`: `rows` is a list
   of `CsvRow(line, cells)` — `line` the row's line number in the file as a spreadsheet shows it,
   `cells` a dict of column key → stripped text ("" for a missing cell). Blank rows, title rows
   above the header and footer rows below the data are left out (`table.skipped_lines`).
   Problems with the file as a whole raise `CsvUnreadable` (a `ValidationError` whose message
   says what to do). When required columns are missing and the file has headings the format does
   not know, `ColumnsUnmapped` (a `CsvUnreadable`) is raised instead: `error.table` holds the
   file's headings, and the page offers the column-mapping step — `ColumnMappingForm(table=...,
   csv_format=..., data=request.POST)` asks, for each unknown heading, which column it is; its
   `mapping()` is passed back to `read_csv(..., mapping=...)` (keep it with the file, e.g. in the
   session).

3. Check each row and preview: the app makes one `RowResult` (or a subclass with its own fields)
   per `CsvRow` — `errors` (the row is not imported), `warnings`, `changes`, and an `outcome`
   from its own `TextChoices` — checking rows in bulk (one query per kind of lookup, never per
   row). `ImportPreview(data=..., table=..., rows=..., outcomes=...)` computes `counts` and a
   `digest` of every row's outcome (`RowResult.digest_parts()`; override it to add what the apply
   depends on). The preview writes nothing.

4. Apply idempotently: inside the apply's transaction (after locking what the apply depends on),
   build the preview again from the same bytes and call `preview_confirm(fresh, digest)` with
   the digest the person confirmed: `PreviewStale` (code "stale") when anything changed in
   between, so a stale or repeated confirm writes nothing; importing the same file again gives
   "unchanged" rows only.

5. Export the rows that were not imported: `rejected_rows_response(preview, filename=...)`
   streams them (line, the file's own cells, the errors) through `socialgov.csv_export`, so
   formula-like cells (`=`, `+`, `-`, `@` ...) are neutralised before a spreadsheet opens them.

Helpers for the cells: `choice_lookup(TextChoices)` (values and labels, any case),
`parse_uk_date("01/09/2026")`, `split_list("Staff; Governor")`.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import json
import re
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from django import forms
from django.core.exceptions import ValidationError
from django.db import models

SAVE_AS_UTF8 = "In Excel, choose File › Save a copy › “CSV UTF-8 (comma delimited)”."
DELIMITERS = (",", ";", "\t")
# Title rows above the header are looked for in the file's first rows only.
HEADER_SEARCH_ROWS = 10
IGNORE = ""  # a mapping value: this heading's column is not imported


class CsvUnreadable(ValidationError):
    """The file as a whole cannot be imported; the message says why and what to do."""


class ColumnsUnmapped(CsvUnreadable):
    """Required columns are missing and the file has headings the format does not know: the
    column-mapping step can fix it. `table` is the file as read so far (headings, no rows)."""

    def __init__(self, message: str, *, table: CsvTable):
        super().__init__(message, code="columns_unmapped")
        self.table = table


class PreviewStale(ValidationError):
    """What the file would do has changed since the person saw the preview."""

    def __init__(self):
        super().__init__(
            "The list has changed since this preview. Check the new preview and confirm again.",
            code="stale",
        )


# --- Describing a file -----------------------------------------------------------------------


def heading_key(text: str) -> str:
    """A heading or a choice as typed, made comparable: letters and digits only, lower case
    ('E_Mail Address:' and 'e-mail address' → 'emailaddress')."""
    return "".join(ch for ch in (text or "").lower() if ch.isalnum())


@dataclass(frozen=True)
class Column:
    """One column the import understands. `headings` are the spellings accepted in a file's
    header row (lower case; matched with `heading_key`); `help` says what to write (upload page)."""

    key: str
    label: str
    headings: tuple[str, ...] = ()
    required: bool = False
    help: str = ""

    def matches(self, heading: str) -> bool:
        key = heading_key(heading)
        return key in {heading_key(h) for h in (self.label, *self.headings)}


@dataclass(frozen=True)
class CsvFormat:
    """The columns of one kind of import file and its limits."""

    what: str  # plural noun for messages: "people", "pupils"
    columns: tuple[Column, ...]
    max_rows: int = 2000
    max_bytes: int = 1024 * 1024

    def column(self, key: str) -> Column:
        return next(c for c in self.columns if c.key == key)

    @property
    def required(self) -> list[Column]:
        return [c for c in self.columns if c.required]

    def expected(self) -> str:
        required = ", ".join(c.label for c in self.required)
        optional = ", ".join(c.label for c in self.columns if not c.required)
        return f"{required}, and optionally {optional}" if optional else required


# --- Reading a file --------------------------------------------------------------------------


@dataclass(frozen=True)
class CsvRow:
    line: int  # the row's first line in the file (as a spreadsheet numbers it)
    cells: dict[str, str]  # column key → the cell's text, stripped; "" when missing


@dataclass
class CsvTable:
    encoding: str  # "UTF-8" or "Windows-1252"
    delimiter: str
    header_line: int
    headings: list[str]  # the header row's cells, as written
    columns: dict[str, int]  # column key → position in the row
    unknown_headings: list[str]  # headings neither the format nor the mapping knows (ignored)
    missing: list[Column]  # required columns not found
    rows: list[CsvRow] = field(default_factory=list)
    skipped_lines: list[int] = field(default_factory=list)  # title and footer rows


def decode(data: bytes, *, max_bytes: int = 1024 * 1024) -> tuple[str, str]:
    """The file's text and the encoding it was read in (UTF-8 with or without a byte-order mark,
    else Windows-1252, Excel's older "CSV" on UK Windows). CsvUnreadable when it is neither."""
    if len(data) > max_bytes:
        raise CsvUnreadable(
            f"The file is larger than {max_bytes // 1024 // 1024} MB. Split it into smaller files."
        )
    if not data.strip():
        raise CsvUnreadable("The file is empty.")
    if data.startswith(b"PK\x03\x04"):
        raise CsvUnreadable(f"This is a spreadsheet workbook, not a CSV file. {SAVE_AS_UTF8}")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")) or b"\x00" in data:
        raise CsvUnreadable(
            f"This file is not saved as UTF-8 text (it may be UTF-16). {SAVE_AS_UTF8}"
        )
    try:
        return data.decode("utf-8-sig"), "UTF-8"
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252"), "Windows-1252"
    except UnicodeDecodeError:
        raise CsvUnreadable(
            f"This file is not saved as UTF-8 text, so names may not read correctly. {SAVE_AS_UTF8}"
        ) from None


def _records(text: str, delimiter: str, limit: int | None = None) -> list[tuple[int, list[str]]]:
    """(first line, cells) of each record; `limit` stops early (header search)."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    records: list[tuple[int, list[str]]] = []
    line = 1
    try:
        for cells in reader:
            records.append((line, cells))
            line = reader.line_num + 1
            if limit is not None and len(records) >= limit:
                break
    except csv.Error as error:
        raise CsvUnreadable(
            f"The file could not be read as CSV near line {reader.line_num}: {error}."
        ) from None
    return records


def _filled(cells: Sequence[str]) -> int:
    return sum(1 for cell in cells if cell.strip())


def _column_for(heading: str, csv_format: CsvFormat, mapping: Mapping[str, str]) -> str | None:
    """The column key a heading stands for: the mapping first, then the format's table."""
    key = heading_key(heading)
    if key in mapping:
        return mapping[key] or IGNORE
    for column in csv_format.columns:
        if column.matches(heading):
            return column.key
    return None


def _score(cells: Sequence[str], csv_format: CsvFormat, mapping: Mapping[str, str]) -> int:
    return sum(1 for cell in cells if cell.strip() and _column_for(cell, csv_format, mapping))


def _find_header(
    text: str, csv_format: CsvFormat, mapping: Mapping[str, str]
) -> tuple[str, int, list[str]]:
    """(delimiter, index of the header record, its cells): the record among the first few that
    names the most known columns, under the delimiter that lets it name the most."""
    best: tuple[int, int, str, int, list[str]] | None = None
    for delimiter in DELIMITERS:
        records = _records(text, delimiter, limit=HEADER_SEARCH_ROWS)
        for index, (_, cells) in enumerate(records):
            if not _filled(cells):
                continue
            candidate = (
                _score(cells, csv_format, mapping),
                _filled(cells),
                delimiter,
                index,
                cells,
            )
            if best is None or candidate[:2] > best[:2]:
                best = candidate
    if best is None:
        raise CsvUnreadable("The file is empty.")
    score, _, delimiter, index, cells = best
    if score == 0:
        # No heading is known: take the first row with the most cells as the header, so the
        # mapping step can name its columns.
        records = [(i, c) for i, (_, c) in enumerate(_records(text, delimiter, HEADER_SEARCH_ROWS))]
        most = max(_filled(c) for _, c in records)
        index, cells = next((i, c) for i, c in records if _filled(c) == most)
    return delimiter, index, cells


def read_csv(
    data: bytes, csv_format: CsvFormat, *, mapping: Mapping[str, str] | None = None
) -> CsvTable:
    """Read a whole file into numbered rows (see the module docstring). `mapping` maps
    `heading_key(heading)` → column key (or `IGNORE`) for headings the format does not know."""
    mapping = {heading_key(k): v for k, v in (mapping or {}).items()}
    text, encoding = decode(data, max_bytes=csv_format.max_bytes)
    delimiter, header_index, headings = _find_header(text, csv_format, mapping)
    records = _records(text, delimiter)
    header_line = records[header_index][0]
    columns: dict[str, int] = {}
    unknown: list[str] = []
    for position, heading in enumerate(headings):
        if not heading.strip():
            continue
        key = _column_for(heading, csv_format, mapping)
        if key is None:
            unknown.append(heading.strip())
        elif key != IGNORE:
            if key in columns:
                raise CsvUnreadable(
                    f"The header row has two “{csv_format.column(key).label}” columns."
                )
            columns[key] = position
    table = CsvTable(
        encoding=encoding,
        delimiter=delimiter,
        header_line=header_line,
        headings=[h.strip() for h in headings],
        columns=columns,
        unknown_headings=unknown,
        missing=[c for c in csv_format.required if c.key not in columns],
        skipped_lines=[line for line, cells in records[:header_index] if _filled(cells)],
    )
    if table.missing:
        message = (
            "The header row must name the columns. Missing: "
            f"{', '.join(c.label for c in table.missing)}. Expected: {csv_format.expected()}."
        )
        if unknown:
            raise ColumnsUnmapped(message, table=table)
        raise CsvUnreadable(message)

    body = [(line, cells) for line, cells in records[header_index + 1 :] if _filled(cells)]
    # Footer rows ("Total: 45", "Printed by SIMS on …"): one filled cell at the end of a file
    # whose rows have several.
    if len(columns) > 1:
        while body and _filled(body[-1][1]) == 1:
            table.skipped_lines.insert(len(table.skipped_lines), body.pop()[0])
    if len(body) > csv_format.max_rows:
        raise CsvUnreadable(
            f"The file has more than {csv_format.max_rows:,} {csv_format.what}. "
            "Split it into smaller files."
        )
    if not body:
        raise CsvUnreadable(f"The file has a header row but no {csv_format.what} in it.")
    table.skipped_lines.sort()
    table.rows = [
        CsvRow(
            line=line,
            cells={
                key: cells[position].strip() if position < len(cells) else ""
                for key, position in columns.items()
            },
        )
        for line, cells in body
    ]
    return table


# --- The column-mapping step -----------------------------------------------------------------


class ColumnMappingForm(forms.Form):
    """For each heading the format does not know: which column it is, or "Not imported".
    `mapping()` (after `is_valid()`) is what `read_csv(..., mapping=...)` takes."""

    def __init__(self, *args, table: CsvTable, csv_format: CsvFormat, **kwargs):
        super().__init__(*args, **kwargs)
        self.csv_format = csv_format
        self.headings = table.unknown_headings
        choices = [(IGNORE, "Not imported")] + [
            (c.key, f"{c.label} (required)" if c.required else c.label)
            for c in csv_format.columns
            if c.key not in table.columns
        ]
        self.found = dict(table.columns)
        for index, heading in enumerate(self.headings):
            self.fields[f"heading_{index}"] = forms.ChoiceField(
                label=f"“{heading}”", choices=choices, required=False
            )

    def clean(self):
        cleaned = super().clean()
        chosen = Counter(v for k, v in cleaned.items() if k.startswith("heading_") and v)
        twice = [self.csv_format.column(k).label for k, n in chosen.items() if n > 1]
        if twice:
            raise forms.ValidationError(
                f"Each column can be chosen once: {', '.join(twice)} is chosen more than once."
            )
        missing = [
            c.label
            for c in self.csv_format.required
            if c.key not in chosen and c.key not in self.found
        ]
        if missing:
            raise forms.ValidationError(f"Choose a heading for: {', '.join(missing)}.")
        return cleaned

    def mapping(self) -> dict[str, str]:
        return {
            heading_key(heading): self.cleaned_data.get(f"heading_{index}") or IGNORE
            for index, heading in enumerate(self.headings)
        }


# --- Rows, preview, apply --------------------------------------------------------------------


@dataclass
class RowResult:
    """What one row would do. Apps subclass it with their own fields (and `digest_parts`)."""

    line: int
    cells: dict[str, str]
    outcome: str = "error"
    errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    changes: list[str] = field(default_factory=list)

    def digest_parts(self) -> list:
        """Everything the apply depends on, as JSON values: two previews with equal parts for
        every row apply the same way."""
        return [self.line, self.outcome, self.errors]


@dataclass
class ImportPreview:
    """What applying a file would do now; `digest` changes whenever any row's outcome would."""

    data: bytes
    table: CsvTable
    rows: list
    outcomes: type[models.TextChoices]
    mapping: dict[str, str] = field(default_factory=dict)
    error_outcome: str = "error"
    unchanged_outcome: str = "unchanged"
    digest: str = field(init=False)

    def __post_init__(self):
        payload = json.dumps(
            [
                hashlib.sha256(self.data).hexdigest(),
                sorted(self.mapping.items()),
                [row.digest_parts() for row in self.rows],
            ],
            default=str,
        )
        self.digest = hashlib.sha256(payload.encode()).hexdigest()

    @property
    def encoding(self) -> str:
        return self.table.encoding

    @property
    def counts(self) -> dict[str, int]:
        counts = dict.fromkeys(self.outcomes.values, 0)
        counts.update(Counter(row.outcome for row in self.rows))
        return counts

    @property
    def changes_anything(self) -> bool:
        """True when applying would write something (some row neither unchanged nor an error)."""
        idle = {self.error_outcome, self.unchanged_outcome}
        return any(row.outcome not in idle for row in self.rows)

    @property
    def rejected(self) -> list:
        return [row for row in self.rows if row.outcome == self.error_outcome]


def preview_confirm(fresh: ImportPreview, digest: str) -> None:
    """Call inside the apply's transaction with a preview built there: PreviewStale unless it is
    the preview the person confirmed."""
    if fresh.digest != digest:
        raise PreviewStale()


def rejected_rows_response(preview: ImportPreview, *, csv_format: CsvFormat, filename: str):
    """The rows that would not be imported, as a CSV download (cells neutralised)."""
    from socialgov.csv_export import csv_response

    keys = [c.key for c in csv_format.columns if c.key in preview.table.columns]
    header = ["Line", *(csv_format.column(k).label for k in keys), "Problem"]
    rows = (
        [row.line, *(row.cells.get(k, "") for k in keys), " ".join(row.errors)]
        for row in preview.rejected
    )
    return csv_response(filename=filename, header=header, rows=rows)


# --- Cells -----------------------------------------------------------------------------------


def choice_lookup(choices: type[models.TextChoices], **extra: str) -> dict[str, str]:
    """heading_key(value or label) → value, for reading a choice typed in a cell."""
    lookup: dict[str, str] = {}
    for value, label in choices.choices:
        lookup[heading_key(value)] = value
        lookup[heading_key(str(label))] = value
    lookup.update({heading_key(k): v for k, v in extra.items()})
    return lookup


def split_list(value: str) -> list[str]:
    """'Staff; Governor' (or commas, or |) → ['Staff', 'Governor']."""
    return [part.strip() for part in re.split(r"[;,|]", value or "") if part.strip()]


def parse_uk_date(value: str) -> dt.date | None:
    """31/01/2026 (or 2026-01-31, as MIS exports sometimes write); None when not a date."""
    for pattern in ("%d/%m/%Y", "%Y-%m-%d"):
        try:
            return dt.datetime.strptime(value.strip(), pattern).date()
        except ValueError:
            continue
    return None
