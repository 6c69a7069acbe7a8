"""Statements on a date axis, as geometry for an SVG drawn on the server (pure).

`layout()` takes entries (row, date, position, label, url) and returns where each
mark, row, axis tick and legend item goes; templates/claims/timeline_svg.html draws
them. A row is a party on a claim's page and a claim on a speaker's page. Each
position has its own shape as well as its own colour (affirms: circle, denies:
cross, qualifies: diamond), so the chart reads without colour. Statements on the
same day in one row are stacked in lanes (deterministically, in the order given),
so no mark ever hides another completely; statements without a date are kept apart
(`Chart.undated`), never placed at a made-up date.
"""

import datetime
import math
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import NamedTuple

POSITIONS = ("affirms", "denies", "qualifies")
SHAPES = {"affirms": "circle", "denies": "cross", "qualifies": "diamond"}
VERBS = {"affirms": "affirm", "denies": "deny", "qualifies": "qualify"}

WIDTH = 820  # the drawing's own units (the SVG scales to its box)
GUTTER = 190  # room for the row labels on the left
RIGHT = 48  # room for the last axis label
LEGEND = 30  # the legend's band at the top
AXIS = 40  # the axis and its labels at the bottom
LANE = 13  # vertical distance between stacked marks
ROW_PAD = 9  # space above and below a row's marks
MAX_LANES = 10  # a row grows to this many lanes; more are squeezed into the same height
MARK_GAP = 13  # marks closer than this on the axis go to different lanes
RADIUS = 5.5
MAX_ROWS = 12  # the rows with most statements; the rest share one "Others" row
MAX_TICKS = 7
ROW_LABEL_CHARS = 26
OTHERS = "Others"


class Entry(NamedTuple):
    row: str  # the party or claim the statement belongs to
    date: datetime.date | None
    position: str  # affirms, denies, qualifies
    label: str  # what the mark says to a reader: who, what position, when, which words
    url: str  # where the mark links: the quote in its article
    row_url: str = ""  # where the row's label links, if anywhere


@dataclass
class Mark:
    entry: Entry
    x: float
    y: float
    shape: str
    path: str

    @property
    def position(self) -> str:
        return self.entry.position

    @property
    def label(self) -> str:
        return self.entry.label

    @property
    def url(self) -> str:
        return self.entry.url


@dataclass
class Row:
    label: str
    short: str  # the label as drawn (trimmed to fit the gutter)
    url: str
    top: float
    height: float
    count: int = 0

    @property
    def middle(self) -> float:
        return round(self.top + self.height / 2, 2)

    @property
    def bottom(self) -> float:
        return round(self.top + self.height, 2)


@dataclass
class Tick:
    x: float
    date: datetime.date
    label: str


@dataclass
class LegendItem:
    position: str
    shape: str
    path: str
    x: float
    text_x: float
    y: float
    count: int


@dataclass
class Chart:
    width: int
    height: int
    plot_left: int
    plot_right: int
    axis_y: float
    rows: list[Row]
    marks: list[Mark]
    ticks: list[Tick]
    legend: list[LegendItem]
    entries: list[Entry]  # every dated entry, by date then as given: the text version
    undated: list[Entry]
    start: datetime.date | None = None
    end: datetime.date | None = None
    summary: str = ""
    counts: dict = field(default_factory=dict)  # position -> number of statements

    @property
    def empty(self) -> bool:
        return not self.entries and not self.undated

    @property
    def top(self) -> float:
        return float(LEGEND)

    @property
    def tick_end(self) -> float:
        return round(self.axis_y + 5, 2)

    @property
    def label_y(self) -> float:
        return round(self.axis_y + 20, 2)


def _number(value: float) -> str:
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return "0" if text == "-0" else text


def shape_path(shape: str, x: float, y: float, r: float = RADIUS) -> str:
    """The outline of a mark centred on (x, y), as an SVG path."""
    if shape == "circle":
        return (
            f"M{_number(x - r)} {_number(y)}"
            f"a{_number(r)} {_number(r)} 0 1 0 {_number(2 * r)} 0"
            f"a{_number(r)} {_number(r)} 0 1 0 {_number(-2 * r)} 0Z"
        )
    if shape == "diamond":
        d = r * 1.25
        points = [(x, y - d), (x + d, y), (x, y + d), (x - d, y)]
    elif shape == "cross":
        # A plus sign of arms r long and 2w wide, turned 45 degrees: an ✗.
        arm, w = r * 1.25, r * 0.38
        plus = [
            (w, w), (w, arm), (-w, arm), (-w, w), (-arm, w), (-arm, -w),
            (-w, -w), (-w, -arm), (w, -arm), (w, -w), (arm, -w), (arm, w),
        ]  # fmt: skip
        turn = math.sqrt(0.5)
        points = [(x + (px - py) * turn, y + (px + py) * turn) for px, py in plus]
    else:
        raise ValueError(f"unknown shape: {shape}")
    return "M" + "L".join(f"{_number(px)} {_number(py)}" for px, py in points) + "Z"


def day_label(day: datetime.date) -> str:
    return f"{day.day} {day:%b %Y}"


# --- the date axis ------------------------------------------------------------------


def _add_months(day: datetime.date, months: int) -> datetime.date:
    index = day.year * 12 + day.month - 1 + months
    return datetime.date(index // 12, index % 12 + 1, 1)


def _ticks_every(step: tuple[str, int], start: datetime.date, end: datetime.date):
    unit, n = step
    if unit == "day":
        day = start
        if n >= 7:  # weekly steps fall on Mondays
            day += datetime.timedelta(days=(7 - day.weekday()) % 7)
        while day <= end:
            yield day
            if day > datetime.date.max - datetime.timedelta(days=n):
                return
            day += datetime.timedelta(days=n)
    elif unit == "month":
        if start.year >= datetime.MAXYEAR:
            return
        day = _add_months(start, 0 if start.day == 1 else 1)
        while (day.month - 1) % n:
            day = _add_months(day, 1)
        while day <= end:
            yield day
            if day.year >= datetime.MAXYEAR:
                return
            day = _add_months(day, n)
    else:
        year = start.year if (start.month, start.day) == (1, 1) else start.year + 1
        year += -year % n
        while year <= end.year and year <= datetime.MAXYEAR:
            yield datetime.date(year, 1, 1)
            year += n


STEPS = [("day", n) for n in (1, 2, 7, 14)]
STEPS += [("month", n) for n in (1, 2, 3, 6)]
STEPS += [("year", n) for n in (1, 2, 5, 10, 20, 50, 100, 200, 500, 1000)]


def axis_ticks(start: datetime.date, end: datetime.date, most: int = MAX_TICKS) -> list:
    """Evenly spaced, round dates between start and end (at most `most`), with labels as
    precise as the spacing: “14 Oct 2017”, “Oct 2017”, “2017”."""
    for step in STEPS:
        found = []
        for day in _ticks_every(step, start, end):
            found.append(day)
            if len(found) > most:
                break
        if 0 < len(found) <= most:
            unit = step[0]
            labels = {
                "day": day_label,
                "month": lambda d: f"{d:%b} {d.year}",
                "year": lambda d: str(d.year),
            }
            return [(day, labels[unit](day)) for day in found]
    return [(start, day_label(start)), (end, day_label(end))]


def _domain(dates: list[datetime.date]) -> tuple[datetime.date, datetime.date]:
    """The dates shown: every statement's, with a little room on either side (a day at
    least, so a single day sits in the middle of the axis rather than on its edge)."""
    first, last = min(dates), max(dates)
    pad = datetime.timedelta(days=max(1, (last - first).days // 25))
    start = first - pad if first > datetime.date.min + pad else first
    end = last + pad if last < datetime.date.max - pad else last
    return start, end


# --- putting it together -----------------------------------------------------------------


def trim(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _fold_rows(entries: list[Entry], max_rows: int) -> tuple[list[str], dict]:
    """Row order (the busiest first, then as first seen) and each row's link; past
    `max_rows` the quieter rows share one row called “Others”."""
    counts: dict[str, int] = {}
    links: dict[str, str] = {}
    for entry in entries:
        counts[entry.row] = counts.get(entry.row, 0) + 1
        links.setdefault(entry.row, entry.row_url)
    first_seen = {row: index for index, row in enumerate(counts)}
    order = sorted(counts, key=lambda row: (-counts[row], first_seen[row]))
    if len(order) > max_rows:
        order = [*order[: max_rows - 1], OTHERS]
        links[OTHERS] = ""
    return order, links


def _lanes(xs: list[float]) -> tuple[list[int], int]:
    """A lane for each mark (xs in drawing order, sorted by x): the first lane whose last
    mark is at least MARK_GAP to the left, so marks in one lane never overlap."""
    ends: list[float] = []
    chosen = []
    for x in xs:
        for lane, last in enumerate(ends):
            if x - last >= MARK_GAP:
                ends[lane] = x
                chosen.append(lane)
                break
        else:
            ends.append(x)
            chosen.append(len(ends) - 1)
    return chosen, len(ends)


def _summary(counts: dict, rows: int, row_names: tuple[str, str], start, end, undated) -> str:
    dated = sum(counts.values())
    parts = []
    if dated:
        kinds = ", ".join(
            f"{counts[p]} {VERBS[p] if counts[p] != 1 else p}" for p in POSITIONS if counts.get(p)
        )
        span = (
            f"on {day_label(start)}"
            if start == end
            else f"from {day_label(start)} to {day_label(end)}"
        )
        noun = row_names[0] if rows == 1 else row_names[1]
        parts.append(
            f"{dated} dated statement{'s' if dated != 1 else ''} in {rows} {noun}, {span}: {kinds}."
        )
    if undated:
        parts.append(f"{undated} undated statement{'s' if undated != 1 else ''} listed apart.")
    return " ".join(parts) or "No statements."


def layout(
    entries: Iterable[Entry | tuple],
    *,
    row_names: tuple[str, str] = ("party", "parties"),
    max_rows: int = MAX_ROWS,
) -> Chart:
    """Where everything goes. Entries are drawn in the order given within a day."""
    entries = [e if isinstance(e, Entry) else Entry(*e) for e in entries]
    for entry in entries:
        if entry.position not in SHAPES:
            raise ValueError(f"unknown position: {entry.position!r}")
    dated = [e for e in entries if e.date is not None]
    undated = [e for e in entries if e.date is None]
    order, links = _fold_rows(dated, max_rows)
    shown = set(order)
    plot_left, plot_right = GUTTER, WIDTH - RIGHT
    counts = {p: sum(1 for e in dated if e.position == p) for p in POSITIONS}

    start = end = None
    if dated:
        start, end = _domain([e.date for e in dated])
    span = max((end - start).days, 1) if dated else 1

    def x_of(day: datetime.date) -> float:
        return round(plot_left + (day - start).days / span * (plot_right - plot_left), 2)

    by_row: dict[str, list[tuple[float, int, Entry]]] = {row: [] for row in order}
    for index, entry in enumerate(dated):
        row = entry.row if entry.row in shown else OTHERS
        by_row[row].append((x_of(entry.date), index, entry))

    rows, marks = [], []
    top = float(LEGEND)
    for name in order:
        placed = sorted(by_row[name], key=lambda item: (item[0], item[1]))
        lanes, used = _lanes([x for x, _, _ in placed])
        # Past MAX_LANES the lanes are squeezed together (each still its own height),
        # and every other one nudged sideways, so even a crowded day shows every mark.
        pitch = LANE if used <= MAX_LANES else LANE * (MAX_LANES - 1) / (used - 1)
        height = 2 * ROW_PAD + LANE * (min(used, MAX_LANES) - 1) + 2 * RADIUS
        row = Row(
            label=name,
            short=trim(name, ROW_LABEL_CHARS),
            url=links.get(name, ""),
            top=round(top, 2),
            height=round(height, 2),
            count=len(placed),
        )
        rows.append(row)
        first_lane_y = top + ROW_PAD + RADIUS
        for (x, _, entry), lane in zip(placed, lanes, strict=True):
            nudge = 0.0 if used <= MAX_LANES else ((lane % 3) - 1) * RADIUS * 0.6
            mx, my = round(x + nudge, 2), round(first_lane_y + lane * pitch, 2)
            shape = SHAPES[entry.position]
            marks.append(Mark(entry, mx, my, shape, shape_path(shape, mx, my)))
        top += height
    axis_y = round(top + 6, 2)
    height = math.ceil(axis_y + AXIS) if dated else LEGEND

    ticks = [Tick(x_of(day), day, label) for day, label in axis_ticks(start, end)] if dated else []
    legend, x = [], float(plot_left)
    for position in POSITIONS:
        shape = SHAPES[position]
        legend.append(
            LegendItem(
                position, shape, shape_path(shape, x + RADIUS, 14), x, x + 14, 18, counts[position]
            )
        )
        x += 120
    ordered = [entry for _, _, entry in sorted((e.date, i, e) for i, e in enumerate(dated))]
    return Chart(
        width=WIDTH,
        height=height,
        plot_left=plot_left,
        plot_right=plot_right,
        axis_y=axis_y,
        rows=rows,
        marks=marks,
        ticks=ticks,
        legend=legend,
        entries=ordered,
        undated=undated,
        start=start,
        end=end,
        summary=_summary(
            counts,
            len(rows),
            row_names,
            min(e.date for e in dated) if dated else None,
            max(e.date for e in dated) if dated else None,
            len(undated),
        ),
        counts=counts,
    )
