"""The report sections each app registers (DESIGN §5 "Reports"), and what a section returns.

An app registers a `ReportSection` in `AppConfig.ready()` (`REPORT_SECTIONS.register(...)`):

- `build(school, period)` returns a `SectionContent` for one school: key figures, tables and
  charts, counts only. It runs a fixed number of queries whatever the size of the data.
- `rollup(schools, period)` (optional) returns `{school id: [Figure, ...]}` for the trust
  roll-up: the same few figures for every school, in a fixed number of queries whatever the
  number of schools.

Governor-safe means: no names of pupils, parents or staff, no descriptions, no references; and
small numbers that could identify a child or a colleague are shown as "fewer than 3" (`Count`
with `sensitive=True`), also in any total from which they could be worked out (`total_of`).
The core renders the sections in `order`, with a contents list, as HTML, PDF and CSV.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from socialgov.registry import Registry

if TYPE_CHECKING:
    from socialgov.people.models import School

SUPPRESS_BELOW = 3
FEWER_THAN = f"fewer than {SUPPRESS_BELOW}"


@dataclass(frozen=True)
class Period:
    """What a report covers: first and last day (both included), and how it is named."""

    starts_on: dt.date
    ends_on: dt.date
    label: str  # "Autumn term 2026/27", "School year 2026/27", "01/09/2026 to 31/10/2026"
    key: str = ""  # how the period was asked for: "term-12", "year-2026", "range"

    @property
    def days(self) -> int:
        return (self.ends_on - self.starts_on).days + 1

    def as_of(self, today: dt.date) -> dt.date:
        """The day a snapshot figure is read on: the period's last day, or today if sooner."""
        return min(self.ends_on, today)


@dataclass(frozen=True)
class Count:
    """A count as governors see it: under 3 in a sensitive category reads "fewer than 3"."""

    value: int
    sensitive: bool = False

    @property
    def suppressed(self) -> bool:
        return self.sensitive and 0 < self.value < SUPPRESS_BELOW

    @property
    def chart_value(self) -> int:
        """What a chart may draw: a suppressed count is drawn at the threshold's height."""
        return SUPPRESS_BELOW if self.suppressed else self.value

    def __str__(self) -> str:
        return FEWER_THAN if self.suppressed else str(self.value)


@dataclass(frozen=True)
class Total:
    """A total of counts. When any part is suppressed the exact total would give it away, so it
    reads "at least N", N being what the shown parts add up to (each hidden part counted as 1)."""

    value: int
    hidden_parts: int = 0
    lower_bound: int = 0

    @property
    def suppressed(self) -> bool:
        return self.hidden_parts > 0

    @property
    def chart_value(self) -> int:
        return self.lower_bound if self.suppressed else self.value

    def __str__(self) -> str:
        if not self.suppressed:
            return str(self.value)
        if self.hidden_parts == 1 and self.lower_bound == 1:
            return FEWER_THAN  # one hidden count and nothing else: no more than the part says
        return f"at least {self.lower_bound}"


def total_of(counts: Iterable[Count | Total]) -> Total:
    """The total of `counts`, suppressed as `Total` says when any of them is."""
    value = hidden = lower = 0
    for count in counts:
        value += count.value
        if isinstance(count, Total):
            hidden += count.hidden_parts
            lower += count.lower_bound if count.suppressed else count.value
        elif count.suppressed:
            hidden += 1
            lower += 1
        else:
            lower += count.value
    return Total(value=value, hidden_parts=hidden, lower_bound=lower)


def percent(part: int, whole: int) -> str:
    return f"{round(100 * part / whole)}%" if whole else "–"


Cell = str | int | Count | Total


@dataclass(frozen=True)
class Figure:
    """One headline figure: "Policies overdue for review: 2"."""

    label: str
    value: Cell
    # "alert" when the figure needs the board's attention (overdue, gaps); "" otherwise.
    tone: str = ""
    detail: str = ""  # a short explanation under the value
    # A percentage to draw in the trust roll-up's small multiples (None: not drawn).
    chart_percent: int | None = None


@dataclass(frozen=True)
class Table:
    """A table of the report (also offered as CSV: `slug` names the file)."""

    slug: str  # unique within its section: "schedule"
    caption: str
    columns: Sequence[str]
    rows: Sequence[Sequence[Cell]]
    numeric: frozenset[int] = frozenset()  # indexes of columns aligned right
    empty: str = "Nothing to show for this period."
    note: str = ""


@dataclass(frozen=True)
class Bar:
    label: str
    value: Count | Total | int

    @property
    def height(self) -> int:
        value = self.value
        return value if isinstance(value, int) else value.chart_value

    @property
    def shown(self) -> str:
        return str(self.value)

    @property
    def suppressed(self) -> bool:
        return bool(getattr(self.value, "suppressed", False))


@dataclass(frozen=True)
class Chart:
    """A bar chart, drawn on the server as SVG (socialgov.reports.charts); its text equivalent
    is read out to screen readers and printed under it."""

    title: str
    bars: Sequence[Bar]
    unit: str = ""  # "incidents", "%"
    maximum: int | None = None  # a fixed scale (100 for percentages); else the largest bar
    compact: bool = False  # a narrower drawing (the roll-up's small multiples)


@dataclass
class SectionContent:
    figures: list[Figure] = field(default_factory=list)
    charts: list[Chart] = field(default_factory=list)
    tables: list[Table] = field(default_factory=list)
    paragraphs: list[str] = field(default_factory=list)  # e.g. handlers' governor-safe summaries
    paragraphs_heading: str = ""
    intro: str = ""


@dataclass(frozen=True)
class ReportSection:
    name: str  # stable key, also the anchor and CSV prefix: "policies"
    title: str  # "Policies and their reviews"
    build: Callable[[School, Period], SectionContent]
    order: int = 100
    rollup: Callable[[Sequence[School], Period], dict[int, list[Figure]]] | None = None


REPORT_SECTIONS: Registry[ReportSection] = Registry("report section")
