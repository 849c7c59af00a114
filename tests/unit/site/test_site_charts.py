"""The site's charts: deterministic SVG, plain-text record strings in every output, axes and skipped values,
the one-line HTML fragment, and the vendored assets. Charts are generated here; no browser is involved."""

from __future__ import annotations

import datetime as dt
import html
import json
import math
import os
import re
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from html.parser import HTMLParser
from importlib import resources
from pathlib import Path

import pytest

from trackrecord.site import charts
from trackrecord.site.charts import PALETTE, Axis, Band, Chart, ChartError, Line, Points, Rule, chart_html, plotly_spec, render_static_svg

SRC = Path(charts.__file__).resolve().parents[2]
SVG_NS = "{http://www.w3.org/2000/svg}"
# Short enough that no renderer wraps it (rule labels wrap at 30 characters): each must come out whole, as text.
# Each has an even number of '$', which matplotlib would typeset as maths.
HOSTILE = [
    "<script>alert($1$)</script>",
    "]]><![CDATA[ &amp; &lt; $b$",
    "say \"hi\" & 'bye' <b>$c$</b>",
    "$x^2$ is $y$ %{y}",
]
HOSTILE_HOVER = [
    '<a href="javascript:alert(document.cookie)">click</a>',
    '<img src=x onerror="alert(1)">',
    "</script><script>alert(2)</script>",
    "line one\nline two & <br> \u2028 end",
]


def trend_chart(chart_id: str = "trend", *, shift_days: int = 0) -> Chart:
    """A chart shaped like the site's trend charts: dated points, fitted bands and lines, two rules."""
    days = [dt.date(2019, 1, 1) + dt.timedelta(days=40 * i + shift_days) for i in range(24)]
    measured = [2 ** (i / 4) * (1.2 if i % 3 else 0.8) for i in range(24)]
    exponential = [2 ** (i / 2) for i in range(12)]
    logistic = [64 / (1 + 63 * 2 ** (-i / 1.5)) for i in range(12)]
    return Chart(chart_id, "Task length at 50% success", Axis("Release date", "date"), Axis("Minutes", "log"), [
        Band("exponential 90%", days[::2], [v / 2 for v in exponential], [v * 2 for v in exponential], color="exponential"),
        Line("exponential", days[::2], exponential, color="exponential"),
        Band("logistic 90%", days[::2], [v / 2 for v in logistic], [v * 2 for v in logistic], color="logistic"),
        Line("logistic", days[::2], logistic, color="logistic", dash=True),
        Line("succession", days[::4], logistic[::2], color="succession"),
        Points("frontier", days[::2], measured[::2], hover=[f"model {i}" for i in range(12)], color="frontier"),
        Points("other", days[1::2], measured[1::2], color="other", marker="open"),
        Rule("x", dt.date(2025, 6, 1), "today"),
        Rule("y", 100.0, "threshold", color="false"),
    ], caption="Fits with 90% bands.")


def hostile_chart() -> Chart:
    a, b, c, d = HOSTILE
    return Chart(
        "hostile", a, Axis(b), Axis(c, "log"),
        [Points(d, [1, 2, 3, 4], [1, 10, 100, 1000], hover=HOSTILE_HOVER),
         Line(a, [1, 4], [1, 1000], color="exponential"),
         Band(b, [1, 4], [1, 100], [10, 1000], color="logistic"),
         Rule("x", 2.5, c), Rule("y", 50, d)],
        caption="\n\n".join(HOSTILE), alt=" ".join(HOSTILE),
    )


def svg_texts(svg: str) -> list[str]:
    root = ET.fromstring(svg.encode("utf-8"))
    return ["".join(element.itertext()) for element in root.iter(f"{SVG_NS}text")]


# --- the static SVG ------------------------------------------------------------------------------


def test_svg_is_byte_identical_for_the_same_chart_even_after_other_charts_and_in_another_process():
    first = render_static_svg(trend_chart())
    render_static_svg(trend_chart("other", shift_days=5))
    assert render_static_svg(trend_chart()) == first
    code = ("import sys; sys.path.insert(0, sys.argv[1]); sys.path.insert(0, sys.argv[2]);"
            "from test_site_charts import trend_chart; from trackrecord.site.charts import render_static_svg;"
            "sys.stdout.write(render_static_svg(trend_chart()))")
    other = subprocess.run([sys.executable, "-c", code, str(SRC), str(Path(__file__).parent)], capture_output=True, text=True,
                           check=True, env={**os.environ, "PYTHONHASHSEED": "12345"}).stdout
    assert other == first
    assert render_static_svg(trend_chart("other", shift_days=5)) != first  # the bytes depend on the chart


def test_rendering_leaves_matplotlibs_global_settings_alone():
    import matplotlib

    before = dict(matplotlib.rcParams)
    render_static_svg(trend_chart())
    assert dict(matplotlib.rcParams) == before


def test_importing_the_module_does_not_import_matplotlib_or_plotly():
    code = "import sys, trackrecord.site.charts; print(sorted(m for m in ('matplotlib', 'plotly') if m in sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                         env={**os.environ, "PYTHONPATH": str(SRC)}).stdout
    assert out.strip() == "[]"


def test_svg_shows_hostile_record_text_only_as_text():
    svg = render_static_svg(hostile_chart())
    texts = svg_texts(svg)  # parses: the SVG is well-formed XML
    for text in HOSTILE:  # each is used twice: a title or axis label, and a legend entry or rule label
        assert texts.count(text) == 2, f"{text!r} not drawn twice as one text element each"
    root = ET.fromstring(svg.encode("utf-8"))
    tags = {element.tag.removeprefix(SVG_NS) for element in root.iter()}
    assert tags.isdisjoint({"script", "foreignObject", "image", "a", "b", "img"})
    attributes = " ".join(value for element in root.iter() for value in element.attrib.values())
    assert "alert" not in attributes and "script" not in attributes
    assert not [name for element in root.iter() for name in element.attrib if name.lower().startswith("on")]


def test_svg_replaces_characters_xml_forbids():
    chart = Chart("c", "bell\x07 and escape\x1b and surrogate \ud800", Axis("x"), Axis("y"), [Line("nul\x00", [0, 1], [0, 1])])
    texts = svg_texts(render_static_svg(chart))
    assert "bell\ufffd and escape\ufffd and surrogate \ufffd" in texts
    assert "nul\ufffd" in texts


def test_svg_keeps_text_its_font_cannot_draw_and_says_nothing_about_it():
    import warnings

    chart = Chart("cjk", "予測 (forecast)", Axis("x"), Axis("y"), [Line("名前", [0, 1], [0, 1])])
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        texts = svg_texts(render_static_svg(chart))
    assert "予測 (forecast)" in texts and "名前" in texts  # the browser draws them with its own fonts
    assert [str(w.message) for w in caught] == []


def test_svg_refers_to_nothing_outside_itself():
    svg = render_static_svg(hostile_chart()) + render_static_svg(trend_chart())
    assert set(re.findall(r"https?://[^\s\"'<>)]+", svg)) <= {"http://www.w3.org/2000/svg", "http://www.w3.org/1999/xlink"}
    assert "<!DOCTYPE" not in svg
    root = ET.fromstring(render_static_svg(trend_chart()).encode("utf-8"))
    hrefs = [value for element in root.iter() for name, value in element.attrib.items() if name.endswith("href")]
    assert hrefs and all(href.startswith("#") for href in hrefs)
    assert set(re.findall(r"url\(([^)]*)\)", svg)) == {m for m in re.findall(r"url\(([^)]*)\)", svg) if m.startswith("#")}


def test_svg_uses_the_palette_for_each_layer():
    svg = render_static_svg(trend_chart()).lower()
    for key in ("exponential", "logistic", "succession", "other", "false"):  # (black, frontier's, is SVG's default fill)
        assert PALETTE[key].lower() in svg


# --- the Plotly spec -------------------------------------------------------------------------------


def all_strings(value):
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from all_strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from all_strings(item)


def test_spec_escapes_record_text_that_plotly_would_read_as_html():
    spec = plotly_spec(hostile_chart())
    for text in all_strings(spec):
        # Plotly reads tags and entities in labels: the only tag left is the line break the module adds,
        # and every '&' starts one of the entities html.escape writes.
        assert "<" not in text.replace("<br>", ""), text
        assert re.fullmatch(r"([^&]|&(amp|lt|gt);)*", text), text
    hover = spec["data"][0]["hovertext"]
    assert hover[0] == "&lt;a href=\"javascript:alert(document.cookie)\"&gt;click&lt;/a&gt;"
    assert hover[1] == "&lt;img src=x onerror=\"alert(1)\"&gt;"
    assert hover[3] == "line one<br>line two &amp; &lt;br&gt; \u2028 end"
    assert spec["layout"]["title"]["text"] == html.escape(HOSTILE[0], quote=False)
    assert [trace["name"] for trace in spec["data"]] == [html.escape(t, quote=False) for t in (HOSTILE[3], HOSTILE[0], HOSTILE[1])]
    assert [a["text"] for a in spec["layout"]["annotations"]] == [html.escape(t, quote=False) for t in (HOSTILE[2], HOSTILE[3])]
    # Record text never reaches a template, where %{...} would be evaluated.
    assert "hovertemplate" not in json.dumps(spec) and "texttemplate" not in json.dumps(spec)


def test_spec_is_a_valid_plotly_figure():
    import plotly.graph_objects as go

    for chart in (trend_chart(), hostile_chart()):
        spec = plotly_spec(chart)
        go.Figure(data=spec["data"], layout=spec["layout"])  # raises on any unknown property or bad value


def test_spec_maps_log_axes_with_ranges_in_log10_and_rules_at_their_values():
    chart = Chart("log", "t", Axis("x", "log", range=(1, 1000)), Axis("y", "log", range=(0.01, 100)),
                  [Line("l", [1, 10, 100], [0.1, 1, 10]), Rule("y", 10, "ten"), Rule("x", 100, "hundred")])
    layout = plotly_spec(chart)["layout"]
    assert (layout["xaxis"]["type"], layout["yaxis"]["type"]) == ("log", "log")
    assert layout["xaxis"]["range"] == pytest.approx([0, 3])
    assert layout["yaxis"]["range"] == pytest.approx([-2, 2])
    y_rule, x_rule = layout["shapes"]
    # Plotly places shapes by data value and annotations by log10 of it on a log axis.
    assert (y_rule["yref"], y_rule["y0"], y_rule["y1"]) == ("y", 10, 10)
    assert (x_rule["xref"], x_rule["x0"], x_rule["x1"]) == ("x", 100, 100)
    y_label, x_label = layout["annotations"]
    assert y_label["y"] == pytest.approx(1) and x_label["x"] == pytest.approx(2)


def test_spec_maps_date_axes_to_iso_strings():
    utc_evening = dt.datetime(2024, 3, 1, 23, 30, tzinfo=dt.timezone(dt.timedelta(hours=-2)))
    chart = Chart("dates", "t", Axis("when", "date", range=(dt.date(2020, 1, 1), dt.date(2027, 1, 1))), Axis("share", percent=True),
                  [Points("p", [dt.date(2021, 5, 4), dt.datetime(2022, 1, 2, 3, 4, 5), utc_evening], [0.1, 0.2, 0.3]),
                   Rule("x", dt.date(2026, 11, 23), "today")])
    spec = plotly_spec(chart)
    assert spec["data"][0]["x"] == ["2021-05-04", "2022-01-02 03:04:05", "2024-03-02 01:30:00"]
    assert spec["layout"]["xaxis"]["type"] == "date"
    assert spec["layout"]["xaxis"]["range"] == ["2020-01-01", "2027-01-01"]
    assert spec["layout"]["shapes"][0]["x0"] == "2026-11-23" and spec["layout"]["annotations"][0]["x"] == "2026-11-23"
    assert spec["layout"]["yaxis"]["tickformat"] == ".0%"


def test_spec_turns_off_everything_that_would_reach_another_host():
    config = plotly_spec(trend_chart())["config"]
    assert config["displaylogo"] is False and config["showSendToCloud"] is False and config["typesetMath"] is False
    assert config["plotlyServerURL"] == "" and config["responsive"] is True
    assert not re.search(r"https?://", json.dumps(plotly_spec(trend_chart())))


def test_both_renderers_skip_the_same_missing_values():
    chart = Chart("gaps", "t", Axis("x"), Axis("y", "log"), [
        Points("p", [1, None, 3, math.nan, 5, 6, 7], [1, 2, None, 4, 5, -1, 0.5], hover=list("abcdefg"),
               y_low=[0.5, 0, 0, 0, None, 0, 0.25], y_high=[2, 0, 0, 0, 9, 0, 1], size=[4, 5, 6, 7, 8, 9, 10]),
        Line("l", [1, 2, float("inf"), 4], [1, None, 3, 4]),
        Band("b", [1, 2, 3], [1, math.nan, 1], [2, 2, 2]),
    ])
    points, line, band = plotly_spec(chart)["data"]
    # None, NaN, infinity and (on the log axis) values <= 0 are skipped with their whole point.
    assert (points["x"], points["y"], points["hovertext"]) == ([1, 5, 7], [1, 5, 0.5], ["a", "e", "g"])
    assert points["marker"]["size"] == [4, 8, 10]
    assert points["error_y"]["array"] == [1, 0, 0.5] and points["error_y"]["arrayminus"] == [0.5, 0, 0.25]
    assert (line["x"], line["y"]) == ([1, 4], [1, 4])
    assert (band["x"], band["y"]) == ([1, 3, 3, 1], [2, 2, 1, 1])  # high along, low back
    root = ET.fromstring(render_static_svg(chart).encode("utf-8"))
    markers = next(g for g in root.iter(f"{SVG_NS}g") if g.get("id", "").startswith("PathCollection"))
    assert len([child for child in markers if child.tag in (f"{SVG_NS}path", f"{SVG_NS}use")]) == 3


def test_both_renderers_use_the_same_palette_colour():
    spec = plotly_spec(trend_chart())
    colors = {trace["name"]: trace.get("line", {}).get("color") or trace["marker"]["color"] for trace in spec["data"]}
    assert colors["exponential"] == colors["exponential 90%"] == PALETTE["exponential"]
    assert colors["frontier"] == PALETTE["frontier"]
    assert spec["data"][0]["fillcolor"] == "rgba(230,159,0,0.2)"  # exponential orange, the band's opacity


# --- the HTML fragment -----------------------------------------------------------------------------


class FragmentReader(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.elements: list[tuple[str, dict]] = []
        self.text: dict[str, str] = {}
        self._open: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.elements.append((tag, dict(attrs)))
        if tag != "img":  # a void element: it has no end tag
            self._open.append(tag)

    def handle_endtag(self, tag):
        assert self._open.pop() == tag

    def handle_data(self, data):
        self.text[self._open[-1]] = self.text.get(self._open[-1], "") + data


def script_content(fragment: str) -> str:
    start = fragment.index('<script type="application/json" class="tr-chart-spec">') + len('<script type="application/json" class="tr-chart-spec">')
    return fragment[start:fragment.index("</script>", start)]


def test_chart_html_is_one_line_with_escaped_attributes_and_a_json_script_no_record_can_close():
    chart = hostile_chart()
    fragment = chart_html(chart, "charts/hostile.svg?v=1&x=\"y\"")
    assert "\n" not in fragment and "\r" not in fragment  # a blank line would end Markdown's raw-HTML block
    assert fragment.lower().count("</script") == 1 and fragment.lower().count("<script") == 1
    content = script_content(fragment)
    assert not set(content) & {"<", ">", "&", "\u2028", "\u2029"}
    assert json.loads(content) == [plotly_spec(chart)]

    reader = FragmentReader()
    reader.feed(fragment)
    reader.close()
    assert not reader._open  # every element closed
    assert [tag for tag, _ in reader.elements] == ["figure", "img", "figcaption", "script"]
    figure, image = reader.elements[0][1], reader.elements[1][1]
    assert figure == {"class": "tr-chart", "id": "chart-hostile"}
    assert image["src"] == "charts/hostile.svg?v=1&x=\"y\""
    assert image["alt"] == " ".join(HOSTILE)
    assert reader.text["figcaption"] == " ".join(HOSTILE)  # blank lines in a caption become spaces


def test_chart_html_spec_also_runs_harmlessly_as_javascript():
    # MkDocs Material's instant navigation re-runs the page's inline scripts as JavaScript, without their type.
    node = shutil.which("node")
    if node is None:
        pytest.skip("node is not installed")
    content = script_content(chart_html(hostile_chart(), "c.svg"))
    check = "const vm = require('vm'); const v = vm.runInNewContext(require('fs').readFileSync(0, 'utf8')); console.log(v[0].layout.title.text)"
    ran = subprocess.run([node, "-e", check], input=content, capture_output=True, text=True, timeout=60)
    assert ran.returncode == 0, ran.stderr
    assert ran.stdout.strip() == html.escape(HOSTILE[0], quote=False)


def test_chart_html_passes_through_markdown_unchanged():
    markdown = pytest.importorskip("markdown")
    marked_up = Chart("marked-up", "*not emphasis* :smile: https://example.org/x --> ==mark==", Axis("x"), Axis("y"),
                      [Line("_underscore_ [link](https://example.org)", [0, 1], [0, 1])], caption="(c) 1/2 ++ins++ *[HTML]: x")
    extensions = ["md_in_html", "attr_list", "abbr", "toc", "pymdownx.emoji", "pymdownx.magiclink", "pymdownx.smartsymbols",
                  "pymdownx.superfences"]
    for chart in (hostile_chart(), marked_up):
        fragment = chart_html(chart, "c.svg")
        page = f"# Page\n\nA paragraph.\n\n{fragment}\n\nAnother *paragraph*.\n\n*[HTML]: Hypertext Markup Language\n"
        assert fragment in markdown.markdown(page, extensions=extensions)


def test_chart_html_names_plotlys_local_url_and_refuses_other_hosts():
    fragment = chart_html(trend_chart(), "../svg/trend.svg", plotly_url="../assets/charts/plotly.min.js")
    assert 'data-plotly-src="../assets/charts/plotly.min.js"' in fragment
    for url in ("https://cdn.example.org/trend.svg", "//cdn.example.org/trend.svg", "javascript:alert(1)"):
        with pytest.raises(ChartError, match="relative to the page"):
            chart_html(trend_chart(), url)
    with pytest.raises(ChartError, match="plotly_url"):
        chart_html(trend_chart(), "trend.svg", plotly_url="https://cdn.plot.ly/plotly.min.js")


# --- bad descriptions -------------------------------------------------------------------------------


@pytest.mark.parametrize(("make", "message"), [
    (lambda: Line("fit", [1, 2], [1, 2], color="red"), r"colour 'red' is not in the palette; use one of default, frontier"),
    (lambda: Points("p", [1, 2, 3], [1, 2], hover=["a"]), r"columns differ in length \(x has 3, y has 2, hover has 1\)"),
    (lambda: Chart("c", "t", Axis("when", "date"), Axis("y"), [Line("l", [2024.5], [1])]),
     r"line 'l' x\[0\]: 2024.5 is not a date, but axis 'when' is a date axis"),
    (lambda: Chart("c", "t", Axis("x"), Axis("y"), [Line("l", [dt.date(2024, 1, 1)], [1])]), r"is not a number"),
    (lambda: Chart("c", "t", Axis("x", "log", range=(0, 10)), Axis("y"), []), r"both above 0 on a log axis"),
    (lambda: Chart("../evil", "t", Axis("x"), Axis("y"), []), r"chart id '../evil' must be letters"),
    (lambda: Axis("x", "logit"), r"kind 'logit' is unknown; use one of linear, log, date"),
    (lambda: Points("p", [1], [1], size=[-2]), None),
])
def test_bad_descriptions_are_refused_with_the_fix(make, message):
    if message is None:  # sizes are checked when the chart is made
        with pytest.raises(ChartError, match="marker size -2 must be a positive number"):
            Chart("c", "t", Axis("x"), Axis("y"), [make()])
        return
    with pytest.raises(ChartError, match=message):
        make()


# --- the assets -------------------------------------------------------------------------------------


def test_vendor_assets_copies_plotly_and_charts_js_and_leaves_identical_files_alone(tmp_path):
    plotly_js, charts_js = charts.vendor_assets(tmp_path)
    assert plotly_js == tmp_path / "assets/charts/plotly.min.js" and charts_js == tmp_path / "assets/charts/charts.js"
    assert plotly_js.read_bytes() == (resources.files("plotly") / "package_data" / "plotly.min.js").read_bytes()
    assert charts_js.read_bytes() == (resources.files("trackrecord.site") / "assets" / "charts.js").read_bytes()
    inode = plotly_js.stat().st_ino
    charts_js.write_text("stale")
    charts.vendor_assets(tmp_path)
    assert plotly_js.stat().st_ino == inode  # unchanged, so not rewritten: `mkdocs serve` sees no change
    assert charts_js.read_bytes() == (resources.files("trackrecord.site") / "assets" / "charts.js").read_bytes()
    assert sorted(p.name for p in charts_js.parent.iterdir()) == ["charts.js", "plotly.min.js"]  # no temporary files left


def test_charts_js_fetches_nothing_from_other_hosts():
    script = (resources.files("trackrecord.site") / "assets" / "charts.js").read_text(encoding="utf-8")
    assert not re.search(r"https?:|//[a-z0-9.-]+\.[a-z]{2,}/", script)
    assert "Plotly.newPlot" in script and "document$" in script


# ---------------------------------------------------------------------------------------------
# Rule labels, the legend under the plot, and the dark scheme


def claim_chart(made: dt.date, deadline: dt.date) -> Chart:
    return Chart("claim", "t", Axis("date", "date"), Axis("y"),
                 [Points("p", [dt.date(2020, 1, 1), dt.date(2030, 1, 1)], [1, 2]),
                  Rule("x", made, "claim made"), Rule("x", deadline, "deadline"), Rule("y", 1.5, "threshold")])


def svg_label_y(svg: str, label: str) -> float:
    return float(re.search(rf'<text [^>]*y="([-\d.]+)"[^>]*>{label}</text>', svg).group(1))


def test_close_rule_labels_are_stacked_in_both_renderers_and_far_ones_are_not():
    close = claim_chart(dt.date(2024, 3, 1), dt.date(2024, 6, 1))  # three months on a ten-year axis: ~15 px apart
    assert charts.rule_label_rows(close) == {1: 0, 2: 1}
    annotations = {a["text"]: a for a in plotly_spec(close)["layout"]["annotations"]}
    assert annotations["claim made"]["yshift"] == 0 and annotations["deadline"]["yshift"] == -charts.RULE_LABEL_ROW_PX
    svg = render_static_svg(close)
    assert svg_label_y(svg, "deadline") - svg_label_y(svg, "claim made") == pytest.approx(charts.RULE_LABEL_ROW_PX / charts.CSS_PX_PER_PT, abs=0.2)

    far = claim_chart(dt.date(2021, 1, 1), dt.date(2028, 1, 1))
    assert charts.rule_label_rows(far) == {1: 0, 2: 0}
    assert {a["text"]: a.get("yshift") for a in plotly_spec(far)["layout"]["annotations"]}["deadline"] == 0
    svg = render_static_svg(far)
    assert svg_label_y(svg, "deadline") == svg_label_y(svg, "claim made")


def test_rule_label_rows_follow_the_left_to_right_order_and_a_freed_row_is_reused():
    chart = Chart("rows", "t", Axis("x", range=(0, 100)), Axis("y"),
                  [Rule("x", 52, "b"), Rule("x", 50, "a label"), Rule("x", 90, "c")])
    assert charts.rule_label_rows(chart) == {1: 0, 0: 1, 2: 0}  # "a label" is leftmost; "c" is far enough for row 0


def test_legend_below_the_plot():
    chart = Chart("below", "t", Axis("x"), Axis("y"), [Line("a line", [0, 1], [0, 1])], legend="below")
    legend = plotly_spec(chart)["layout"]["legend"]
    assert (legend["orientation"], legend["yref"], legend["y"], legend["yanchor"]) == ("h", "container", 0, "bottom")
    import plotly.graph_objects as go

    go.Figure(layout=plotly_spec(chart)["layout"])  # a valid Plotly layout


def apply_changes(spec: dict) -> dict:
    themed = json.loads(json.dumps({"data": spec["data"], "layout": spec["layout"]}))
    for path, value in spec["dark"]:
        target = themed
        for key in path[:-1]:
            target = target[key]
        target[path[-1]] = value
    return themed


def test_dark_scheme_changes_only_colours_and_applied_they_give_the_dark_spec():
    spec = plotly_spec(trend_chart())
    dark = charts._plotly_spec(trend_chart(), "dark")
    assert apply_changes(spec) == {"data": dark["data"], "layout": dark["layout"]}
    changed_keys = {path[-1] if isinstance(path[-1], str) else path[-2] for path, _ in spec["dark"]}
    assert changed_keys and all("color" in key for key in changed_keys), changed_keys
    assert dark["layout"]["font"]["color"] == charts.SCHEMES["dark"]["text"]
    assert dark["layout"]["paper_bgcolor"] == charts.SCHEMES["dark"]["background"]
    # The changes are few: colours, never the data.
    assert len(json.dumps(spec["dark"])) < len(json.dumps(spec)) / 4


def test_dark_scheme_turns_the_frontiers_black_light():
    chart = Chart("f", "t", Axis("x"), Axis("y"), [Points("frontier", [0, 1], [0, 1], color="frontier")])
    spec = plotly_spec(chart)
    assert spec["data"][0]["marker"]["color"] == PALETTE["frontier"]
    assert apply_changes(spec)["data"][0]["marker"]["color"] == charts.DARK_PALETTE["frontier"]
