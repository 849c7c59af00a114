"""The site's charts, described once and drawn twice.

A `Chart` (axes plus layers: `Points`, `Line`, `Band`, `Rule`) becomes
- a static SVG (`render_static_svg`, matplotlib), which every reader gets, with or without JavaScript;
- a Plotly figure spec (`plotly_spec`), which `assets/charts.js` turns into a chart with hover and zoom;
- the HTML fragment a page embeds (`chart_html`): the SVG as an <img>, a caption, and the spec as JSON.

Every string in a chart (names, labels, hover text, titles, captions) comes from records anyone can
edit, so it is treated as plain text everywhere: characters XML forbids are replaced, matplotlib's
mathtext is off for it, Plotly's HTML-like labels get it entity-escaped, and the JSON inside the
page's <script> has `<`, `>` and `&` as \\u escapes. Nothing refers to another host: the SVG is
self-contained and `vendor_assets` copies plotly.js from the installed `plotly` package.

Colours are semantic keys of one colour-blind-safe palette (Okabe & Ito), the same in both drawings.
Missing values (None, NaN, and non-positive values on a log axis) are skipped, in both drawings.
"""

from __future__ import annotations

import datetime as dt
import html
import io
import json
import math
import re
import textwrap
import warnings
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from importlib import resources
from pathlib import Path, PurePosixPath
from typing import Literal, Union
from urllib.parse import urlsplit

# Okabe, M. & Ito, K. (2008), "Color Universal Design": distinguishable with every common colour-vision
# deficiency. Yellow (#F0E442) is left out: it is unreadable on white.
PALETTE: dict[str, str] = {
    "default": "#0072B2",  # blue
    "frontier": "#000000",
    "other": "#999999",
    "exponential": "#E69F00",  # orange
    "logistic": "#0072B2",  # blue
    "succession": "#009E73",  # bluish green
    "stacked": "#CC79A7",  # reddish purple
    "baseline": "#56B4E9",  # sky blue
    "muted": "#777777",
    "true": "#009E73",  # bluish green
    "false": "#D55E00",  # vermillion
    "insiders": "#0072B2",  # blue
    "outsiders": "#E69F00",  # orange
}
TEXT_COLOR = "#222222"
GRID_COLOR = "#E5E5E5"
AXIS_COLOR = "#444444"
# The interactive charts follow the site's colour scheme (MkDocs Material's light "default" and dark
# "slate"); the static SVG stays light. In the dark scheme the chart is transparent over the page's own
# background, and the palette's black (the frontier) turns light; every other palette colour reads on both.
SCHEMES: dict[str, dict[str, str]] = {
    "light": {"text": TEXT_COLOR, "grid": GRID_COLOR, "axis": AXIS_COLOR, "background": "white",
              "legend": "rgba(255,255,255,0.9)", "marker_edge": "white"},
    "dark": {"text": "#E2E4E9", "grid": "#3A3F52", "axis": "#A0A4B0", "background": "rgba(0,0,0,0)",
             "legend": "rgba(30,33,41,0.9)", "marker_edge": "#1E2129"},
}
DARK_PALETTE: dict[str, str] = {"frontier": "#F0F0F0"}
# The browser's own fonts: nothing is fetched for the interactive charts.
SYSTEM_FONTS = 'system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif'

AXIS_KINDS = ("linear", "log", "date")
MARKERS = ("circle", "open", "diamond")
# "below": under the plot, for charts whose data may fill any corner (a reliability diagram).
LEGEND_PLACES = ("upper left", "upper right", "lower left", "lower right", "below", "none")

# Where vendor_assets puts the scripts, relative to the folder it is given (a docs or site dir).
ASSET_DIR = PurePosixPath("assets/charts")
PLOTLY_ASSET = ASSET_DIR / "plotly.min.js"
CHARTS_ASSET = ASSET_DIR / "charts.js"

DEFAULT_MARKER_PX = 8.0
LEGEND_WRAP = 40  # characters per line of a legend entry
RULE_WRAP = 30
# Rule labels on the x axis are stacked in rows when they would overlap (a claim made shortly before
# its deadline). Both renderers share the estimate: about 6.5 px per character of an 11 px label,
# a plot area of the chart's width less about 90 px of margins, and a row of about 14 px.
RULE_LABEL_PX_PER_CHAR = 6.5
RULE_LABEL_ROW_PX = 14
PLOT_MARGINS_PX = 90
LINE_WIDTH_PX = 2.0
CSS_PX_PER_PT = 4 / 3  # matplotlib writes SVG in points; browsers draw a point as 4/3 px

_CHART_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]*")
# XML 1.0 forbids these code points (and lone surrogates cannot be encoded at all).
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")
_SCRIPT_ESCAPES = str.maketrans({"<": "\\u003c", ">": "\\u003e", "&": "\\u0026", "\u2028": "\\u2028", "\u2029": "\\u2029"})


class ChartError(ValueError):
    """A chart description that cannot be drawn; the message names the problem and the fix."""


# ---------------------------------------------------------------------------------------------
# The description


@dataclass(frozen=True)
class Axis:
    label: str
    kind: Literal["linear", "log", "date"] = "linear"
    range: tuple | None = None  # (low, high) in data units: dates on a date axis
    percent: bool = False  # values are fractions, labelled as percentages

    def __post_init__(self):
        if self.kind not in AXIS_KINDS:
            raise ChartError(f"axis {self.label!r}: kind {self.kind!r} is unknown; use one of {', '.join(AXIS_KINDS)}")
        if self.percent and self.kind == "date":
            raise ChartError(f"axis {self.label!r}: a date axis cannot be a percentage; drop percent=True")
        if self.range is not None:
            if len(tuple(self.range)) != 2:
                raise ChartError(f"axis {self.label!r}: range must be (low, high), got {self.range!r}")
            object.__setattr__(self, "range", tuple(self.range))


@dataclass(frozen=True)
class Points:
    name: str
    x: Sequence
    y: Sequence
    hover: Sequence[str] | None = None  # one plain-text line (or lines) per point
    y_low: Sequence | None = None  # error bars; a missing end leaves that point without a bar
    y_high: Sequence | None = None
    color: str = "default"
    marker: Literal["circle", "open", "diamond"] = "circle"
    size: Sequence[float] | None = None  # marker diameters in CSS pixels; default DEFAULT_MARKER_PX

    def __post_init__(self):
        _freeze_columns(self, ("x", "y", "hover", "y_low", "y_high", "size"))
        _check_color(self)
        if self.marker not in MARKERS:
            raise ChartError(f"points {self.name!r}: marker {self.marker!r} is unknown; use one of {', '.join(MARKERS)}")


@dataclass(frozen=True)
class Line:
    name: str
    x: Sequence
    y: Sequence
    color: str = "default"
    dash: bool = False

    def __post_init__(self):
        _freeze_columns(self, ("x", "y"))
        _check_color(self)


@dataclass(frozen=True)
class Band:
    name: str
    x: Sequence
    low: Sequence
    high: Sequence
    color: str = "default"
    opacity: float = 0.2

    def __post_init__(self):
        _freeze_columns(self, ("x", "low", "high"))
        _check_color(self)
        if not 0 <= self.opacity <= 1:
            raise ChartError(f"band {self.name!r}: opacity {self.opacity!r} must be between 0 and 1")


@dataclass(frozen=True)
class Rule:
    """A line across the whole plot at one value: a threshold, a deadline, today."""

    axis: Literal["x", "y"]
    value: object
    label: str
    color: str = "muted"

    def __post_init__(self):
        if self.axis not in ("x", "y"):
            raise ChartError(f"rule {self.label!r}: axis {self.axis!r} must be 'x' or 'y'")
        _check_color(self)

    @property
    def name(self) -> str:
        return self.label


Layer = Union[Points, Line, Band, Rule]


@dataclass(frozen=True)
class Chart:
    chart_id: str  # letters, digits, '_', '-', '.'; names the HTML element ("chart-<id>")
    title: str
    x: Axis
    y: Axis
    layers: list
    caption: str = ""
    alt: str = ""  # the static image's text alternative; the title when empty
    width_px: int = 720
    height_px: int = 420
    legend: Literal["upper left", "upper right", "lower left", "lower right", "below", "none"] = "upper left"

    def __post_init__(self):
        if not isinstance(self.chart_id, str) or not _CHART_ID.fullmatch(self.chart_id):
            raise ChartError(f"chart id {self.chart_id!r} must be letters, digits, '_', '-' or '.', starting with a letter or digit")
        if self.legend not in LEGEND_PLACES:
            raise ChartError(f"chart {self.chart_id}: legend {self.legend!r} is unknown; use one of {', '.join(LEGEND_PLACES)}")
        if not (100 <= self.width_px <= 4000 and 100 <= self.height_px <= 4000):
            raise ChartError(f"chart {self.chart_id}: size {self.width_px}x{self.height_px} px is out of 100..4000")
        object.__setattr__(self, "layers", tuple(self.layers))
        for layer in self.layers:
            if not isinstance(layer, (Points, Line, Band, Rule)):
                raise ChartError(f"chart {self.chart_id}: layer {layer!r} is not a Points, Line, Band or Rule")
        for axis in (self.x, self.y):
            if axis.range is not None:
                low, high = (_coordinate(v, axis, f"chart {self.chart_id}: axis {axis.label!r} range") for v in axis.range)
                if low is None or high is None or not low < high:
                    raise ChartError(f"chart {self.chart_id}: axis {axis.label!r} range {axis.range!r} must be two values, low < high"
                                     + (", both above 0 on a log axis" if axis.kind == "log" else ""))
        # Converting once here reports a wrong value type (a float on a date axis, text as a number)
        # when the chart is made, naming the layer, not later inside a renderer.
        object.__setattr__(self, "_columns", tuple(_layer_columns(self, layer) for layer in self.layers))

    def columns(self, index: int) -> dict[str, list]:
        """Layer `index`'s values as drawn: converted, with skipped points removed."""
        return self._columns[index]


def _freeze_columns(layer, names: Iterable[str]) -> None:
    kind = type(layer).__name__.lower()
    if not isinstance(layer.name, str):
        raise ChartError(f"{kind} {layer.name!r}: the name must be text")
    lengths = {}
    for name in names:
        value = getattr(layer, name)
        if value is None:
            continue
        if isinstance(value, (str, bytes)):
            raise ChartError(f"{kind} {layer.name!r}: {name} must be a sequence of values, not text")
        value = tuple(value)
        object.__setattr__(layer, name, value)
        lengths[name] = len(value)
    if len(set(lengths.values())) > 1:
        sizes = ", ".join(f"{n} has {k}" for n, k in lengths.items())
        raise ChartError(f"{kind} {layer.name!r}: the columns differ in length ({sizes}); give one value per point")


def _check_color(layer) -> None:
    if layer.color not in PALETTE:
        raise ChartError(f"{type(layer).__name__.lower()} {layer.name!r}: colour {layer.color!r} is not in the palette; "
                         f"use one of {', '.join(PALETTE)}")


# ---------------------------------------------------------------------------------------------
# Values: one conversion, shared by both renderers, so both skip the same points


def _coordinate(value, axis: Axis, where: str):
    """A float (linear, log) or a date/naive datetime (date); None when the value is missing or unplottable."""
    if value is None or value != value:  # None, NaN, pandas' NaT
        return None
    if axis.kind == "date":
        if isinstance(value, dt.datetime):
            if value.tzinfo is not None:
                value = value.astimezone(dt.timezone.utc).replace(tzinfo=None)
            return value
        if isinstance(value, dt.date):
            return value
        raise ChartError(f"{where}: {value!r} is not a date, but axis {axis.label!r} is a date axis; give datetime.date values")
    if isinstance(value, (bool, str, bytes, dt.date)):
        raise ChartError(f"{where}: {value!r} is not a number, but axis {axis.label!r} is {axis.kind}; "
                         "give numbers (or make the axis kind 'date' for dates)")
    try:
        number = float(value)
    except (TypeError, ValueError):
        raise ChartError(f"{where}: {value!r} is not a number; give numbers on axis {axis.label!r}") from None
    if not math.isfinite(number) or (axis.kind == "log" and number <= 0):
        return None
    return number


def _layer_columns(chart: Chart, layer) -> dict[str, list]:
    where = f"chart {chart.chart_id}: {type(layer).__name__.lower()} {layer.name!r}"
    if isinstance(layer, Rule):
        axis = chart.x if layer.axis == "x" else chart.y
        value = _coordinate(layer.value, axis, where)
        return {"value": [] if value is None else [value]}
    if isinstance(layer, Band):
        required = {"x": chart.x, "low": chart.y, "high": chart.y}
        optional = {}
    elif isinstance(layer, Points):
        required = {"x": chart.x, "y": chart.y}
        optional = {"y_low": chart.y, "y_high": chart.y}
        if chart.y.kind == "date" and (layer.y_low is not None or layer.y_high is not None):
            raise ChartError(f"{where}: error bars (y_low, y_high) need a numeric y axis, not a date axis")
    else:
        required = {"x": chart.x, "y": chart.y}
        optional = {}
    converted = {name: [_coordinate(v, axis, f"{where} {name}[{i}]") for i, v in enumerate(getattr(layer, name))]
                 for name, axis in required.items()}
    for name, axis in optional.items():
        values = getattr(layer, name)
        if values is not None:
            converted[name] = [_coordinate(v, axis, f"{where} {name}[{i}]") for i, v in enumerate(values)]
    kept = [i for i in range(len(layer.x)) if all(column[i] is not None for column in (converted[n] for n in required))]
    columns = {name: [values[i] for i in kept] for name, values in converted.items()}
    if isinstance(layer, Points):
        columns["hover"] = [clean_text(layer.hover[i]) for i in kept] if layer.hover is not None else None
        columns["size"] = [_size(layer.size[i], where) for i in kept] if layer.size is not None else None
    return columns


def _size(value, where: str) -> float:
    if value is None:
        return DEFAULT_MARKER_PX
    try:
        size = float(value)
    except (TypeError, ValueError):
        size = math.nan
    if not (math.isfinite(size) and size > 0):
        raise ChartError(f"{where}: marker size {value!r} must be a positive number of pixels")
    return size


def clean_text(text) -> str:
    """Record text made safe for XML: forbidden control characters and lone surrogates become U+FFFD."""
    if text is None:
        return ""
    return _NOT_XML.sub("\ufffd", str(text))


def _wrap(text, width: int) -> str:
    """Long record text broken into lines ('\\n'): neither renderer wraps titles, legends or labels by itself."""
    return "\n".join(textwrap.wrap(clean_text(text), width=width))


def _axis_label(axis: Axis, length_px: int) -> str:
    return _wrap(axis.label, max(20, length_px // 10))


def _title(chart: Chart) -> str:
    return _wrap(chart.title, max(20, chart.width_px // 9))  # about 9 px per character at the title's size


def _position(value, axis: Axis) -> float:
    """A converted value as a number proportional to its distance along the axis."""
    if axis.kind == "date":
        return _days(value)
    return math.log10(value) if axis.kind == "log" else value


def _days(value) -> float:
    if isinstance(value, dt.datetime):
        return value.toordinal() + (value - dt.datetime.combine(value.date(), dt.time())).total_seconds() / 86400
    return float(value.toordinal())


def rule_label_rows(chart: Chart) -> dict[int, int]:
    """For each x-axis Rule layer (by index), how many label lines its label sits below the top of the plot:
    0 unless an earlier label (left to right) would overlap it. The axis extent is the range, or the data's."""
    x_rules = [(index, layer) for index, layer in enumerate(chart.layers) if isinstance(layer, Rule) and layer.axis == "x"
               and chart.columns(index)["value"]]
    if len(x_rules) < 2:
        return {}
    if chart.x.range is not None:
        low, high = (_position(_coordinate(v, chart.x, "range"), chart.x) for v in chart.x.range)
    else:
        values = []
        for index, layer in enumerate(chart.layers):
            if not isinstance(layer, Rule):
                values += chart.columns(index)["x"]
            elif layer.axis == "x":
                values += chart.columns(index)["value"]
        low, high = min(_position(v, chart.x) for v in values), max(_position(v, chart.x) for v in values)
    px_per_unit = max(chart.width_px - PLOT_MARGINS_PX, 100) / ((high - low) or 1)
    ends: list[float] = []  # per row, the right end (px) of its last label
    rows: dict[int, int] = {}
    for index, layer in sorted(x_rules, key=lambda item: _position(chart.columns(item[0])["value"][0], chart.x)):
        left = (_position(chart.columns(index)["value"][0], chart.x) - low) * px_per_unit
        width = 3 + RULE_LABEL_PX_PER_CHAR * max(len(line) for line in _wrap(layer.label, RULE_WRAP).split("\n"))
        row = next((r for r, end in enumerate(ends) if end < left), len(ends))
        if row == len(ends):
            ends.append(0.0)
        ends[row] = left + width
        rows[index] = row
    # A row is as tall as the tallest label (labels wrap at RULE_WRAP characters).
    lines = max(_wrap(layer.label, RULE_WRAP).count("\n") + 1 for _, layer in x_rules)
    return {index: row * lines for index, row in rows.items()}


# ---------------------------------------------------------------------------------------------
# Static SVG (matplotlib)

# Applied around each drawing with rc_context, so the process's global rcParams stay as they were.
_MPL_RC = {
    "svg.fonttype": "none",  # real <text>: small, searchable, selectable
    "svg.hashsalt": "trackrecord-charts",  # fixed ids for clip paths and markers: identical bytes each time
    "font.family": "sans-serif",
    # matplotlib's bundled font measures the text everywhere the same way; the browser falls back to its sans-serif.
    "font.sans-serif": ["DejaVu Sans"],
    "font.size": 10,
    "text.color": TEXT_COLOR,
    "axes.labelcolor": TEXT_COLOR,
    "axes.edgecolor": AXIS_COLOR,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.grid": True,
    "axes.axisbelow": True,
    "grid.color": GRID_COLOR,
    "grid.linewidth": 0.8,
    "xtick.color": AXIS_COLOR,
    "ytick.color": AXIS_COLOR,
    "legend.fontsize": 8.5,
    "legend.frameon": True,
    "legend.framealpha": 0.9,
    "legend.edgecolor": GRID_COLOR,
    "figure.facecolor": "white",
    "savefig.facecolor": "white",
}
_SVG_METADATA = {"Date": None, "Creator": None, "Format": None, "Type": None}


def render_static_svg(chart: Chart) -> str:
    """The chart as SVG text: identical bytes for an identical chart, no reference to any other file or host."""
    import matplotlib
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    with matplotlib.rc_context(_MPL_RC), warnings.catch_warnings():
        # The reader's browser draws text with its own fonts (svg.fonttype 'none'), so a glyph matplotlib's
        # font lacks (an emoji, CJK) costs only a slightly wrong width estimate here.
        warnings.filterwarnings("ignore", message=r"Glyph \d+ .* missing from font", category=UserWarning)
        # 72 dpi is the SVG backend's own, so measuring and writing agree; 96 CSS px per inch.
        figure = Figure(figsize=(chart.width_px / 96, chart.height_px / 96), dpi=72)
        # Margins are fitted once here, with Agg's cheap text measurer. A layout engine would instead
        # make savefig draw the whole figure an extra time.
        FigureCanvasAgg(figure)
        axes = figure.add_subplot()
        _draw(chart, axes)
        figure.tight_layout(pad=0.5)
        figure.set_layout_engine(None)  # tight_layout leaves a placeholder engine, which also costs a draw
        out = io.BytesIO()
        figure.savefig(out, format="svg", metadata=_SVG_METADATA)
    return _compact_svg(out.getvalue().decode("utf-8"))


# Outside text, '<' only ever starts a tag: matplotlib escapes it in text and attribute values.
_SVG_TAG = re.compile(r"<[^>]*>")
_SVG_COORDINATES = re.compile(r' (d|x|y|transform)="([^"]*)"')
_SVG_NUMBER = re.compile(r"-?\d+\.\d{2,}")
_SVG_DOCTYPE = re.compile(r"<!DOCTYPE[^>]*>\s*")


def _compact_svg(svg: str) -> str:
    """matplotlib writes coordinates to 1/1,000,000 pt; 1/10 pt (0.13 px) is a third smaller and looks the same.

    The DOCTYPE goes too: it names a DTD on w3.org, which nothing needs.
    """
    def round_number(match: re.Match) -> str:
        text = f"{float(match.group()):.1f}"
        return "0" if text in ("0.0", "-0.0") else text.removesuffix(".0")

    def round_attribute(match: re.Match) -> str:
        return f' {match.group(1)}="{_SVG_NUMBER.sub(round_number, match.group(2))}"'

    svg = _SVG_DOCTYPE.sub("", svg, count=1)
    return _SVG_TAG.sub(lambda tag: _SVG_COORDINATES.sub(round_attribute, tag.group()), svg)


def _draw(chart: Chart, axes) -> None:
    def x_of(values):
        return _mpl_values(values, chart.x)

    def y_of(values):
        return _mpl_values(values, chart.y)

    handles, labels = [], []
    rule_rows = rule_label_rows(chart)
    for index, layer in enumerate(chart.layers):
        columns = chart.columns(index)
        color = PALETTE[layer.color]
        zorder = 2 + index / 100  # layers stack in the order given
        handle = None
        if isinstance(layer, Band):
            handle = axes.fill_between(x_of(columns["x"]), y_of(columns["low"]), y_of(columns["high"]), color=color,
                                       alpha=layer.opacity, linewidth=0, zorder=zorder)
        elif isinstance(layer, Line):
            (handle,) = axes.plot(x_of(columns["x"]), y_of(columns["y"]), color=color, linewidth=LINE_WIDTH_PX / CSS_PX_PER_PT,
                                  linestyle=(0, (4, 2.5)) if layer.dash else "-", zorder=zorder)
        elif isinstance(layer, Points):
            xs = x_of(columns["x"])
            bars = [(x, low, high) for x, low, high in zip(xs, columns.get("y_low") or [None] * len(xs),
                                                          columns.get("y_high") or [None] * len(xs))
                    if low is not None and high is not None]
            if bars:
                axes.vlines([b[0] for b in bars], y_of([b[1] for b in bars]), y_of([b[2] for b in bars]), colors=color,
                            linewidth=1, alpha=0.7, zorder=zorder)
            sizes = columns["size"] or [DEFAULT_MARKER_PX] * len(xs)
            handle = axes.scatter(xs, y_of(columns["y"]), s=[(s / CSS_PX_PER_PT) ** 2 for s in sizes],
                                  marker="D" if layer.marker == "diamond" else "o",
                                  facecolors="none" if layer.marker == "open" else color,
                                  edgecolors=color if layer.marker == "open" else "white",
                                  linewidths=1.2 if layer.marker == "open" else 0.4, zorder=zorder + 0.005)
        elif isinstance(layer, Rule):
            for value in columns["value"]:
                _draw_rule(axes, layer, _mpl_values([value], chart.x if layer.axis == "x" else chart.y)[0], color,
                           rule_rows.get(index, 0))
            continue
        if layer.name and handle is not None:
            handles.append(handle)
            labels.append(_wrap(layer.name, LEGEND_WRAP))

    _style_axis(axes.xaxis, chart.x, axes.set_xlim, axes.set_xscale)
    _style_axis(axes.yaxis, chart.y, axes.set_ylim, axes.set_yscale)
    axes.set_xlabel(_axis_label(chart.x, chart.width_px), parse_math=False)
    axes.set_ylabel(_axis_label(chart.y, chart.height_px), parse_math=False)
    axes.set_title(_title(chart), loc="left", fontsize=12, parse_math=False)
    if handles and chart.legend != "none":
        if chart.legend == "below":
            # Under the axis label; tight_layout makes room for it.
            legend = axes.legend(handles, labels, loc="upper left", bbox_to_anchor=(0, -0.16), ncols=2, borderaxespad=0)
        else:
            legend = axes.legend(handles, labels, loc=chart.legend)
        for text in legend.get_texts():
            text.set_parse_math(False)


def _mpl_values(values: list, axis: Axis) -> list:
    if axis.kind != "date":
        return values
    from matplotlib import dates as mdates

    return mdates.date2num(values).tolist() if values else []


def _draw_rule(axes, rule: Rule, value: float, color: str, row: int = 0) -> None:
    style = {"color": color, "linewidth": 1, "linestyle": (0, (3, 3)), "zorder": 1.5}
    label_style = {"color": color, "fontsize": 8, "parse_math": False, "textcoords": "offset points"}
    label = _wrap(rule.label, RULE_WRAP)
    if rule.axis == "x":
        axes.axvline(value, **style)
        down = 3 + row * RULE_LABEL_ROW_PX / CSS_PX_PER_PT
        axes.annotate(label, xy=(value, 1), xycoords=("data", "axes fraction"), xytext=(3, -down), ha="left", va="top", **label_style)
    else:
        axes.axhline(value, **style)
        axes.annotate(label, xy=(1, value), xycoords=("axes fraction", "data"), xytext=(-3, 3), ha="right", va="bottom", **label_style)


def _style_axis(axis_artist, axis: Axis, set_limits, set_scale) -> None:
    from matplotlib import dates as mdates, ticker

    if axis.kind == "log":
        set_scale("log")
        # Plotly shows no minor ticks either, and on a log axis they are most of the drawing time.
        axis_artist.set_minor_locator(ticker.NullLocator())
    if axis.kind == "date":
        locator = mdates.AutoDateLocator()
        axis_artist.set_major_locator(locator)
        axis_artist.set_major_formatter(mdates.ConciseDateFormatter(locator))
    elif axis.percent:
        axis_artist.set_major_formatter(ticker.PercentFormatter(xmax=1.0))
    else:
        axis_artist.set_major_formatter(ticker.FuncFormatter(lambda value, _pos: compact_number(value)))
    if axis.range is not None:
        set_limits(*_mpl_values([_coordinate(v, axis, "range") for v in axis.range], axis))


def compact_number(value: float) -> str:
    """Tick labels as Plotly writes them by default: 1.5k, 20M, 3B, 0.25."""
    if abs(value) >= 1e15:
        return f"{value:.3g}"
    for factor, suffix in ((1e12, "T"), (1e9, "B"), (1e6, "M"), (1e3, "k")):
        if abs(value) >= factor:
            return f"{value / factor:g}{suffix}"
    return f"{value:g}"


# ---------------------------------------------------------------------------------------------
# Plotly spec

PLOTLY_CONFIG = {
    "displaylogo": False,
    "responsive": True,
    "showSendToCloud": False,  # no "edit in Chart Studio" button: it would post the data to plotly.com
    "plotlyServerURL": "",
    "typesetMath": False,  # '$...$' in a record stays text (and MathJax is never looked for)
    "showTips": False,
    "modeBarButtonsToRemove": ["select2d", "lasso2d"],
    # The page shows the chart; these only set the PNG a reader downloads from the mode bar.
    "toImageButtonOptions": {"format": "png", "scale": 2},
}
_PLOTLY_AXIS_TYPES = {"linear": "linear", "log": "log", "date": "date"}
_PLOTLY_SYMBOLS = {"circle": "circle", "open": "circle-open", "diamond": "diamond"}
_PLOTLY_LEGENDS = {
    "upper left": {"x": 0.01, "y": 0.99, "xanchor": "left", "yanchor": "top"},
    # At the bottom of the whole figure, under the axis title; Plotly widens the bottom margin for it.
    "below": {"orientation": "h", "x": 0, "xanchor": "left", "yref": "container", "y": 0, "yanchor": "bottom"},
    "upper right": {"x": 0.99, "y": 0.99, "xanchor": "right", "yanchor": "top"},
    "lower left": {"x": 0.01, "y": 0.01, "xanchor": "left", "yanchor": "bottom"},
    "lower right": {"x": 0.99, "y": 0.01, "xanchor": "right", "yanchor": "bottom"},
}


def plain_text_for_plotly(text) -> str:
    """Record text for a Plotly label: Plotly reads <b>, <a href>, <br> and entities in labels, so escape <, > and &."""
    return html.escape(clean_text(text), quote=False).replace("\n", "<br>")


def plotly_spec(chart: Chart) -> dict:
    """A Plotly figure as a plain dict: {"data": [...], "layout": {...}, "config": {...}, "dark": [...]} for
    Plotly.newPlot. "dark" lists the changes for the dark colour scheme as [path, value] pairs (a path is
    the keys and list indices down to the value), so the page carries the data once; charts.js applies them."""
    light = _plotly_spec(chart, "light")
    light["dark"] = _differences(light, _plotly_spec(chart, "dark"))
    return light


def _differences(old, new, path: tuple = ()) -> list:
    """[path, value] for every value of `new` that differs from `old`, which has the same shape."""
    if old == new:
        return []
    if isinstance(old, dict) and isinstance(new, dict) and old.keys() == new.keys():
        return [change for key in old for change in _differences(old[key], new[key], (*path, key))]
    if isinstance(old, list) and isinstance(new, list) and len(old) == len(new):
        return [change for i, (a, b) in enumerate(zip(old, new)) for change in _differences(a, b, (*path, i))]
    return [[list(path), new]]


def _plotly_spec(chart: Chart, scheme: str) -> dict:
    colors = SCHEMES[scheme]
    palette = {**PALETTE, **DARK_PALETTE} if scheme == "dark" else PALETTE
    rule_rows = rule_label_rows(chart)
    data, shapes, annotations = [], [], []
    for index, layer in enumerate(chart.layers):
        columns = chart.columns(index)
        color = palette[layer.color]
        if isinstance(layer, Rule):
            for value in columns["value"]:
                shape, annotation = _plotly_rule(chart, layer, value, color, rule_rows.get(index, 0))
                shapes.append(shape)
                annotations.append(annotation)
            continue
        name = plain_text_for_plotly(_wrap(layer.name, LEGEND_WRAP))
        trace = {"name": name, "showlegend": bool(layer.name), "x": _plotly_values(columns["x"], chart.x)}
        if isinstance(layer, Band):
            xs = trace["x"]
            trace.update(type="scatter", mode="lines", x=xs + xs[::-1],
                         y=_plotly_values(columns["high"], chart.y) + _plotly_values(columns["low"], chart.y)[::-1],
                         fill="toself", fillcolor=_rgba(color, layer.opacity), line={"width": 0, "color": color},
                         hoverinfo="skip")
        elif isinstance(layer, Line):
            trace.update(type="scatter", mode="lines", y=_plotly_values(columns["y"], chart.y),
                         line={"color": color, "width": LINE_WIDTH_PX, "dash": "dash" if layer.dash else "solid"},
                         hoverinfo="x+y+name")
        else:
            trace.update(_plotly_points(chart, layer, columns, color, colors["marker_edge"]))
        data.append(trace)

    layout = {
        "title": {"text": plain_text_for_plotly(_title(chart)), "x": 0, "xref": "paper", "xanchor": "left",
                  "y": 1, "yref": "paper", "yanchor": "bottom", "pad": {"b": 12}, "automargin": True, "font": {"size": 16}},
        "font": {"family": SYSTEM_FONTS, "size": 13, "color": colors["text"]},
        "hoverlabel": {"font": {"family": SYSTEM_FONTS}},
        "height": chart.height_px,
        "autosize": True,
        "margin": {"l": 60, "r": 20, "t": 20, "b": 50, "autoexpand": True},
        "paper_bgcolor": colors["background"],
        "plot_bgcolor": colors["background"],
        "hovermode": "closest",
        "dragmode": "zoom",
        "xaxis": _plotly_axis(chart.x, chart.width_px, colors),
        "yaxis": _plotly_axis(chart.y, chart.height_px, colors),
        "showlegend": chart.legend != "none" and any(trace["showlegend"] for trace in data),
        "legend": {**_PLOTLY_LEGENDS.get(chart.legend, _PLOTLY_LEGENDS["upper left"]), "bgcolor": colors["legend"],
                   "bordercolor": colors["grid"], "borderwidth": 1, "font": {"size": 12}},
        "shapes": shapes,
        "annotations": annotations,
        "modebar": {"bgcolor": "rgba(0,0,0,0)", "color": colors["axis"], "activecolor": colors["text"]},
    }
    return {"data": data, "layout": layout, "config": dict(PLOTLY_CONFIG)}


def _plotly_points(chart: Chart, layer: Points, columns: dict, color: str, edge: str) -> dict:
    marker = {"color": color, "size": columns["size"] or DEFAULT_MARKER_PX, "symbol": _PLOTLY_SYMBOLS[layer.marker]}
    marker["line"] = {"color": color, "width": 1.5} if layer.marker == "open" else {"color": edge, "width": 0.5}
    trace = {"type": "scatter", "mode": "markers", "y": _plotly_values(columns["y"], chart.y), "marker": marker}
    if columns["hover"] is not None:
        trace["hovertext"] = [plain_text_for_plotly(text) for text in columns["hover"]]
        trace["hoverinfo"] = "text+name"
    else:
        trace["hoverinfo"] = "x+y+name"
    lows, highs = columns.get("y_low"), columns.get("y_high")
    if lows is not None or highs is not None:
        ys = columns["y"]
        lows, highs = lows or [None] * len(ys), highs or [None] * len(ys)
        # A point without both ends gets a zero-length bar, as the SVG draws none for it.
        whole = [low is not None and high is not None for low, high in zip(lows, highs)]
        trace["error_y"] = {
            "type": "data", "symmetric": False, "color": color, "thickness": 1, "width": 0,
            "array": [_significant(high - y) if ok else 0 for y, high, ok in zip(ys, highs, whole)],
            "arrayminus": [_significant(y - low) if ok else 0 for y, low, ok in zip(ys, lows, whole)],
        }
    return trace


def _plotly_values(values: list, axis: Axis) -> list:
    if axis.kind != "date":
        return [_significant(v) for v in values]
    return [v.isoformat(sep=" ") if isinstance(v, dt.datetime) else v.isoformat() for v in values]


def _significant(value: float) -> float:
    # Six significant digits are finer than a pixel and keep the page's JSON short (0.15, not 0.15000000000000002).
    return float(f"{value:.6g}")


def _plotly_position(value, axis: Axis):
    """A position in Plotly's axis coordinates, as annotations and ranges use: log10 on a log axis."""
    if axis.kind == "log":
        return math.log10(value)
    return _plotly_values([value], axis)[0]


def _plotly_axis(axis: Axis, length_px: int, colors: dict) -> dict:
    spec = {
        "title": {"text": plain_text_for_plotly(_axis_label(axis, length_px))},
        "type": _PLOTLY_AXIS_TYPES[axis.kind],
        "automargin": True,
        "showgrid": True,
        "gridcolor": colors["grid"],
        "zeroline": False,
        "showline": True,
        "linecolor": colors["axis"],
        "ticks": "outside",
    }
    if axis.percent:
        spec.update(tickformat=".0%", hoverformat=".1%")
    if axis.range is not None:
        low, high = (_coordinate(v, axis, "range") for v in axis.range)
        spec["range"] = [_plotly_position(low, axis), _plotly_position(high, axis)]
        spec["autorange"] = False
    return spec


def _plotly_rule(chart: Chart, rule: Rule, value, color: str, row: int = 0) -> tuple[dict, dict]:
    line = {"color": color, "width": 1, "dash": "dot"}
    label = plain_text_for_plotly(_wrap(rule.label, RULE_WRAP))
    font = {"size": 11, "color": color}
    if rule.axis == "x":
        # Shapes take data values on a log axis; annotations take log10 of them (Plotly's convention).
        shape = {"type": "line", "xref": "x", "yref": "paper", "x0": _plotly_values([value], chart.x)[0],
                 "x1": _plotly_values([value], chart.x)[0], "y0": 0, "y1": 1, "line": line, "layer": "below"}
        annotation = {"x": _plotly_position(value, chart.x), "xref": "x", "y": 1, "yref": "paper", "text": label,
                      "showarrow": False, "xanchor": "left", "yanchor": "top", "align": "left", "xshift": 3,
                      "yshift": -row * RULE_LABEL_ROW_PX, "font": font}
    else:
        shape = {"type": "line", "xref": "paper", "yref": "y", "x0": 0, "x1": 1, "y0": _plotly_values([value], chart.y)[0],
                 "y1": _plotly_values([value], chart.y)[0], "line": line, "layer": "below"}
        annotation = {"x": 1, "xref": "paper", "y": _plotly_position(value, chart.y), "yref": "y", "text": label,
                      "showarrow": False, "xanchor": "right", "yanchor": "bottom", "align": "right", "font": font}
    return shape, annotation


def _rgba(hex_color: str, opacity: float) -> str:
    red, green, blue = (int(hex_color[i:i + 2], 16) for i in (1, 3, 5))
    return f"rgba({red},{green},{blue},{opacity:g})"


# ---------------------------------------------------------------------------------------------
# The page fragment and the assets


def script_json(value) -> str:
    """JSON safe inside a <script> element: no record string can close it or start a comment."""
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    return text.translate(_SCRIPT_ESCAPES)


def chart_html(chart: Chart, svg_url: str, plotly_url: str | None = None) -> str:
    """The <figure> a Markdown page embeds, on one line (a blank line would end Markdown's raw-HTML block).

    `svg_url` is the static SVG's URL relative to the page. With `plotly_url` (plotly.min.js relative to the
    page) charts.js loads Plotly only on pages that have charts; without it, the page must load Plotly itself.
    The script element holds a one-element JSON array: [plotly_spec(chart)].
    """
    for what, url in (("svg_url", svg_url), ("plotly_url", plotly_url)):
        if url is not None and (urlsplit(url).scheme or url.startswith("//")):
            raise ChartError(f"chart {chart.chart_id}: {what} {url!r} points at another site; give a path relative to the page")
    alt = _one_line(chart.alt or chart.title)
    caption = _one_line(chart.caption or chart.title)
    plotly_attribute = f' data-plotly-src="{html.escape(plotly_url)}"' if plotly_url else ""
    return (
        f'<figure class="tr-chart" id="chart-{html.escape(chart.chart_id)}"{plotly_attribute}>'
        f'<img src="{html.escape(svg_url)}" alt="{html.escape(alt)}" width="{chart.width_px}" height="{chart.height_px}"'
        ' loading="lazy" decoding="async">'
        f"<figcaption>{html.escape(caption)}</figcaption>"
        # [spec], not spec: Material's instant navigation re-runs every inline <script> of the new page as
        # JavaScript, dropping its type; an array literal runs harmlessly, where an object is a syntax error.
        f'<script type="application/json" class="tr-chart-spec">{script_json([plotly_spec(chart)])}</script>'
        "</figure>"
    )


def _one_line(text) -> str:
    return " ".join(clean_text(text).split())


def vendor_assets(dest_dir: Path) -> list[Path]:
    """Copy plotly.min.js (from the installed plotly package) and charts.js under dest_dir/assets/charts/.

    Files already identical are left alone, so `mkdocs serve` watching dest_dir sees no change.
    Returns the two paths, plotly first.
    """
    from ..atomic import write_atomically

    sources = {
        PLOTLY_ASSET: resources.files("plotly") / "package_data" / "plotly.min.js",
        CHARTS_ASSET: resources.files("trackrecord.site") / "assets" / "charts.js",
    }
    written = []
    for relative, source in sources.items():
        text = source.read_text(encoding="utf-8")
        target = Path(dest_dir) / relative
        if not (target.is_file() and target.read_text(encoding="utf-8") == text):
            target.parent.mkdir(parents=True, exist_ok=True)
            write_atomically(target, text)
        written.append(target)
    return written


__all__ = [
    "Axis", "Band", "Chart", "ChartError", "Line", "Points", "Rule", "PALETTE", "PLOTLY_ASSET", "CHARTS_ASSET",
    "chart_html", "clean_text", "plotly_spec", "render_static_svg", "script_json", "vendor_assets",
]
