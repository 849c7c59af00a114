"""Benchmark: drawing the site's charts — static SVG, Plotly spec and page fragment — per chart.

Two generated chart shapes: a trend chart (60 dated points, 3 bands and 3 lines over 200 dates, 2 rules,
log y axis) and a small reliability chart (10 points with error bars and sizes, a diagonal, percent axes).
It also times creating a bare matplotlib Figure with one Axes, the part a renderer could reuse.

    .venv/bin/python benchmarks/bench_charts.py [--charts 40]

This is a benchmark, not a test: nothing here asserts a time.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import statistics
import time

from trackrecord.site.charts import Axis, Band, Chart, Line, Points, Rule, chart_html, plotly_spec, render_static_svg


def trend_chart(seed: int) -> Chart:
    rng = random.Random(seed)
    start = dt.date(2019, 1, 1)
    days = [start + dt.timedelta(days=35 * i + rng.randrange(20)) for i in range(60)]
    minutes = [2 ** (i / 8) * rng.uniform(0.7, 1.3) for i in range(60)]
    grid = [start + dt.timedelta(days=15 * i) for i in range(200)]
    layers = []
    for k, family in enumerate(("exponential", "logistic", "succession")):
        centre = [2 ** (i * 15 / 35 / 8 / (1 + 0.1 * k)) for i in range(200)]
        layers.append(Band(f"{family} 90%", grid, [c * 0.6 for c in centre], [c * 1.6 for c in centre], color=family))
        layers.append(Line(family, grid, centre, color=family, dash=k == 2))
    layers.append(Points("frontier", days[::2], minutes[::2], hover=[f"model {i}" for i in range(30)], color="frontier"))
    layers.append(Points("other", days[1::2], minutes[1::2], color="other", marker="open"))
    layers.append(Rule("x", dt.date(2026, 11, 23), "today"))
    layers.append(Rule("y", 480.0, "a working day", color="false"))
    return Chart(f"trend-{seed}", "Task length at 50% success", Axis("Release date", "date"), Axis("Minutes", "log"), layers)


def reliability_chart(seed: int) -> Chart:
    rng = random.Random(seed)
    stated = [0.05 + 0.1 * i for i in range(10)]
    observed = [min(1.0, max(0.0, p + rng.uniform(-0.1, 0.1))) for p in stated]
    return Chart(
        f"reliability-{seed}", "Calibration", Axis("Stated probability", percent=True, range=(0, 1)),
        Axis("Share that came true", percent=True, range=(0, 1)),
        [Line("perfect", [0, 1], [0, 1], color="muted", dash=True),
         Points("claims", stated, observed, y_low=[max(0, o - 0.1) for o in observed], y_high=[min(1, o + 0.1) for o in observed],
                size=[4 + i for i in range(10)], hover=[f"{i + 1} claims" for i in range(10)], color="insiders")],
        width_px=420, height_px=420, legend="lower right")


def per_chart_ms(function, charts) -> list[float]:
    times = []
    for chart in charts:
        start = time.perf_counter()
        function(chart)
        times.append((time.perf_counter() - start) * 1000)
    return times


def bare_figure_ms(repeat: int) -> list[float]:
    import matplotlib
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        with matplotlib.rc_context({"svg.fonttype": "none"}):
            figure = Figure(figsize=(7.5, 4.375), dpi=72)
            FigureCanvasAgg(figure)
            figure.add_subplot()
        times.append((time.perf_counter() - start) * 1000)
    return times


def summary(times: list[float]) -> str:
    return f"median {statistics.median(times):7.1f} ms   min {min(times):7.1f} ms"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--charts", type=int, default=40, help="charts of each shape (default 40)")
    args = parser.parse_args()

    start = time.perf_counter()
    render_static_svg(trend_chart(-1))  # imports matplotlib and warms its font cache
    print(f"first SVG, with matplotlib's import: {(time.perf_counter() - start) * 1000:.0f} ms")
    for name, make in (("trend", trend_chart), ("reliability", reliability_chart)):
        charts = [make(seed) for seed in range(args.charts)]
        svg_times = per_chart_ms(render_static_svg, charts)
        sizes = [len(render_static_svg(chart).encode()) for chart in charts[:5]]
        print(f"{name:12s} SVG          {summary(svg_times)}   ~{statistics.mean(sizes) / 1000:.0f} kB")
        print(f"{name:12s} Plotly spec  {summary(per_chart_ms(plotly_spec, charts))}")
        print(f"{name:12s} chart_html   {summary(per_chart_ms(lambda c: chart_html(c, 'c.svg'), charts))}")
    print(f"bare Figure + Axes        {summary(bare_figure_ms(args.charts))}")


if __name__ == "__main__":
    main()
