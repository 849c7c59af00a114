"""Every generated page of the site, from build/trackrecord.duckdb.

`generate(database, out, dataset=...)` writes Markdown pages (front matter + one raw-HTML block),
chart SVGs, the Atom feeds and downloads through `out`, a `Writer` (build.GenFilesWriter:
mkdocs-gen-files' files in the MkDocs build). Static pages (methods, reference) live in site/ and
are not touched here. Feeds are built in feeds.py and citations in citations.py.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

from . import charts as C
from . import feeds
from .api import INDEX_PATH as API_INDEX_PATH, KINDS as API_KINDS, schema_path, write_api
from .citations import Dataset, formats, page_citation
from .data import SiteData
from .downloads import export_downloads
from markupsafe import Markup

from .render import Renderer, page_url, relative

CHART_CACHE_VERSION = "1"  # bump when render_static_svg's output changes for the same chart
SLICE_KINDS = (("role_class", "Role on the day"), ("topic", "Topic"), ("decade", "Decade made"))
VERDICT_WORDS = {
    "not_distinguishable": "Not distinguishable yet",
    "bending": "Bending: a curve that slows fits better",
    "steady": "Steady: the exponential fits better",
    "speeding_up": "Speeding up: growth became faster",
    "undetermined": "Undetermined: the sampler did not converge",
    None: "Not fitted",
}
FAMILY_COLORS = {"exponential": "exponential", "logistic": "logistic", "succession": "succession"}


class Writer(Protocol):
    def text(self, path: str, content: str) -> None: ...

    def binary(self, path: str, content: bytes) -> None: ...


@dataclass
class Progress:
    """One line per stage on stderr, so a long build shows where it is."""

    quiet: bool = False
    started: float = field(default_factory=time.perf_counter)

    def say(self, message: str) -> None:
        if not self.quiet:
            print(f"site: {message} ({time.perf_counter() - self.started:.1f}s)", file=sys.stderr, flush=True)


def svg_path(chart_id: str) -> str:
    """Where a chart's static SVG is written in the site (pages embed it; sharing metadata names it)."""
    return f"charts/{chart_id}.svg"


class ChartMaker:
    """Writes each chart's static SVG (cached by content hash: matplotlib is the slow part) and
    returns the HTML a page embeds."""

    def __init__(self, out: Writer, cache_dir: Path | None) -> None:
        self.out = out
        self.cache_dir = cache_dir
        self.count = 0
        self.rendered = 0

    def html(self, chart: C.Chart, page_path: str) -> Markup:
        spec = C.plotly_spec(chart)
        key = hashlib.sha256((CHART_CACHE_VERSION + json.dumps(spec, sort_keys=True, default=str)).encode()).hexdigest()
        svg = None
        cached = self.cache_dir / f"{key}.svg" if self.cache_dir else None
        if cached and cached.is_file():
            svg = cached.read_text(encoding="utf-8")
        if svg is None:
            svg = C.render_static_svg(chart)
            self.rendered += 1
            if cached:
                cached.parent.mkdir(parents=True, exist_ok=True)
                tmp = cached.with_suffix(".tmp")
                tmp.write_text(svg, encoding="utf-8")
                tmp.replace(cached)
        path = svg_path(chart.chart_id)
        self.out.text(path, svg)
        self.count += 1
        # chart_html escapes every string it embeds (charts.py), so its fragment goes in as markup.
        return Markup(C.chart_html(chart, relative(page_path, path), relative(page_path, str(C.PLOTLY_ASSET))))


def decade(d: dt.date | None) -> str:
    return f"{10 * (d.year // 10)}s" if d else ""


def decimal_year(value: float | None) -> str:
    """2023.42 -> '2023-06' (the month the decimal year falls in)."""
    if value is None:
        return "–"
    year = int(value // 1)
    month = min(12, int((value - year) * 12) + 1)
    return f"{year}-{month:02d}"


def verdict_sentence(s: dict) -> str:
    """The series' answer explained, in words (its name is shown beside it: VERDICT_WORDS)."""
    verdict = s.get("verdict")
    if verdict is None:
        return "Too few points for the models."
    diff, se = s.get("elpd_diff"), s.get("elpd_diff_se")
    if verdict == "undetermined" or s.get("trend_verdict") == "undetermined":
        return (
            f"{s.get('trend_verdict_note') or s.get('verdict_note') or 'The sampler did not converge.'} A fit whose sampler did "
            "not converge cannot say whether the curve bends or speeds up, so no verdict is given; its numbers are shown "
            "below for inspection only."
        )
    if s.get("trend_verdict") in ("speeding_up", "bending") and s.get("succession_verdict") == "succession_better" and s.get("scale") == "log":
        sdiff, sse = s.get("succession_elpd_diff"), s.get("succession_elpd_diff_se")
        way = "faster" if s["trend_verdict"] == "speeding_up" else "slower"
        return (
            f"An exponential whose growth rate changed once, to {way} growth, predicts left-out points better than "
            f"either a single exponential or an S-curve (difference in expected log predictive density: {sdiff:+.1f} ± {sse:.1f}; "
            f"probability that the rate rose: {s.get('p_speeding_up', 0):.2f})."
        )
    detail = f"difference in expected log predictive density, logistic − exponential: {diff:+.1f} ± {se:.1f}" if diff is not None else ""
    if verdict == "not_distinguishable":
        text = f"The exponential and the S-curve (logistic) predict left-out points about equally well ({detail}); a verdict needs a difference above 4 and above two standard errors."
    elif verdict == "logistic_better":
        text = f"An S-curve that levels off predicts left-out points better than a pure exponential ({detail})."
    else:
        text = f"A pure exponential predicts left-out points better than an S-curve ({detail})."
    if s.get("logistic_prior_driven"):
        text += " The S-curve's " + ", ".join(p.replace("_", " ") for p in s.get("logistic_prior_driven_parameters") or []) + " come mostly from its prior, not the data."
    if s.get("diagnostics_ok") is False:
        text += " The sampler's diagnostics flagged this fit (divergences, R-hat or effective sample size): read it with care."
    return text


def history_sentence(history: list[dict]) -> str:
    """When could we have known? The answer the verdict history gives, in words."""
    if not history:
        return ""
    now = history[-1]["trend_verdict"]
    earlier = history[:-1]
    if now in ("bending", "speeding_up", "steady"):
        first = len(history) - 1
        while first > 0 and history[first - 1]["trend_verdict"] == now:
            first -= 1
        if first == len(history) - 1:
            return f"Only the full series supports this answer: with the points before {history[-2]['cutoff_date']:%Y-%m-%d} it was {VERDICT_WORDS.get(history[-2]['trend_verdict'], 'not fitted').lower()}." if earlier else ""
        return f"This answer has held since the points before {history[first]['cutoff_date']:%Y-%m-%d} ({history[first]['n_points']} points)."
    seen = sorted({r["trend_verdict"] for r in earlier if r["trend_verdict"] in ("bending", "speeding_up", "steady")})
    if now == "not_distinguishable":
        if not seen:
            return "At no cutoff could the data tell the curves apart: the beginning of an S-curve still looks like an exponential here."
        return "Earlier cutoffs answered " + " and ".join(VERDICT_WORDS[v].split(":")[0].lower() for v in seen) + ", but the full series can no longer tell the curves apart."
    return ""


# --- charts -------------------------------------------------------------------------------------


def legend_corner(series: dict) -> str:
    """The corner the data leave empty: rising series fill the upper left, falling ones the lower left."""
    return "upper right" if series.get("better") == "lower" else "lower right"


def series_axis(series: dict) -> C.Axis:
    label = f"{series['name']} ({series['unit']})" if series.get("unit") else series["name"]
    return C.Axis(label, kind="log" if series.get("scale") == "log" else "linear")


def trend_chart(chart_id: str, series: dict, points: list[dict], projections: list[dict], *, today: dt.date,
                families: tuple[str, ...] = ("exponential", "logistic", "succession"), rules: tuple = ()) -> C.Chart:
    layers: list = []
    by_curve: dict[str, list[dict]] = defaultdict(list)
    for p in projections:
        by_curve[p["curve"]].append(p)
    for family in families:
        rows = by_curve.get(family)
        if not rows:
            continue
        xs = [r["date"] for r in rows]
        color = FAMILY_COLORS.get(family, "default")
        layers.append(C.Band(f"{family} 90% band", xs, [r["q05"] for r in rows], [r["q95"] for r in rows], color=color))
        layers.append(C.Line(f"{family} median", xs, [r["q50"] for r in rows], color=color))
    for frontier, name, color, marker in ((False, "other points", "other", "open"), (True, "frontier", "frontier", "circle")):
        pts = [p for p in points if bool(p["is_frontier"]) == frontier]
        if pts:
            layers.append(C.Points(
                name, [p["date"] for p in pts], [p["value"] for p in pts],
                hover=[f"{p['system'] or 'unnamed'} · {p['date']} · {p['value']:.4g}" for p in pts],
                color=color, marker=marker))
    layers.append(C.Rule("x", today, "today"))
    layers.extend(rules)
    return C.Chart(chart_id, series["name"], C.Axis("date", kind="date"), series_axis(series), layers,
                   caption="Points: the series (filled: the frontier, the running best). Lines and bands: fitted medians and 90% credible bands.",
                   alt=f"{series['name']} over time with the fitted curves", legend=legend_corner(series))


def prior_chart(chart_id: str, series: dict, points: list[dict], prior: list[dict]) -> C.Chart:
    layers: list = []
    by_family: dict[str, list[dict]] = defaultdict(list)
    for r in prior:
        by_family[r["family"]].append(r)
    for family, rows in sorted(by_family.items()):
        xs = [r["date"] for r in rows]
        color = FAMILY_COLORS.get(family, "default")
        layers.append(C.Band(f"{family} prior 90% band", xs, [r["q05"] for r in rows], [r["q95"] for r in rows], color=color))
        layers.append(C.Line(f"{family} prior median", xs, [r["q50"] for r in rows], color=color, dash=True))
    frontier = [p for p in points if p["is_frontier"]]
    layers.append(C.Points("frontier", [p["date"] for p in frontier], [p["value"] for p in frontier], color="frontier"))
    return C.Chart(chart_id, f"{series['name']}: what the priors allow", C.Axis("date", kind="date"), series_axis(series), layers,
                   caption="Prior predictive check: bands the priors alone predict, before seeing the data, with the frontier points.",
                   alt=f"Prior predictive bands for {series['name']}", legend=legend_corner(series))


def reliability_chart(chart_id: str, title: str, bins: list[dict]) -> C.Chart:
    xs = [b["forecast"] for b in bins]
    layers = [
        C.Line("perfect calibration", [0.0, 1.0], [0.0, 1.0], color="muted", dash=True),
        C.Band("consistency band (if calibrated)", xs, [b["consistency_low"] for b in bins], [b["consistency_high"] for b in bins], color="muted"),
        C.Line("recalibrated (CORP)", xs, [b["corp_recalibrated"] for b in bins], color="stacked"),
        C.Points("claims at this probability", xs, [b["hit_rate"] for b in bins],
                 hover=[f"said {b['forecast']:.2f}: {b['n_true']} of {b['n']} came true" for b in bins],
                 y_low=[b["hit_rate_low"] for b in bins], y_high=[b["hit_rate_high"] for b in bins],
                 size=[float(b["n"]) for b in bins], color="default"),
    ]
    return C.Chart(chart_id, title, C.Axis("stated probability", range=(0, 1)), C.Axis("share that came true", range=(0, 1)), layers,
                   caption="Each point: the claims given one probability, and the share that came true, with a 90% interval. On the dashed line, a predictor is calibrated; the grey band is where a calibrated predictor's points would fall by chance.",
                   alt=f"Reliability diagram: {title}",
                   # Points may fall in any corner (over- and underconfidence), so the legend goes under the plot.
                   legend="below")


# The leaderboard's groups, by kind. "unknown" is a value of both insider status and role class, and an
# unknown role class is not an unknown insider status, so each kind names its own.
GROUP_LABELS: dict[str, dict[str, str]] = {
    "all": {"all": "Everyone"},
    "insider_status": {"all": "Everyone", "insider": "Insiders", "outsider": "Outsiders", "unknown": "Insider status unknown"},
    "role_class": {"unknown": "Role class unknown"},
}
GROUP_QUERIES = {"all": "", "insider_status": "insider={}", "role_class": "role={}"}


def leaderboard_groups(group_scores: Callable[[str], dict[str, dict]]) -> list[dict]:
    """The groups table's rows: each kind's groups with scored claims, labelled, with their claims-list filter."""
    groups = []
    for kind, query in GROUP_QUERIES.items():
        for gid, g in sorted(group_scores(kind).items()):
            if g["n_scored"]:
                label = GROUP_LABELS[kind].get(gid, gid.replace("_", " "))
                groups.append({**g, "label": label, "query": query.format(gid)})
    return groups


# --- pages --------------------------------------------------------------------------------------


class SiteBuilder:
    def __init__(self, data: SiteData, out: Writer, *, dataset: Dataset, site_url: str | None, cache_dir: Path | None,
                 progress: Progress) -> None:
        self.data = data
        self.dataset = dataset
        self.site_url = site_url  # the public site's address when the project declares one; None: relative metadata only
        self.out = out
        self.r = Renderer()
        self.charts = ChartMaker(out, cache_dir)
        self.progress = progress
        build = data.build_info()
        self.today: dt.date = build.get("as_of_date") or dt.date.today()
        self.build = build

    def page(self, path: str, template: str, *, title: str, hide: tuple[str, ...] = (), **context) -> None:
        self.out.text(path, self.r.page(path, template, title=title, hide=hide, build=self.build, **context))

    def citation(self, path: str, title: str) -> list[dict]:
        """The "Cite this" formats of the page at `path`."""
        return formats(page_citation(self.dataset, self.build, page=path, title=title, site_url=self.site_url))

    def social(self, path: str, *, title: str, description: str, chart: C.Chart | None) -> dict:
        """OpenGraph / Twitter-card values of a page (render.Renderer.page puts them in its front matter).
        The chart's static SVG is the image, named by its path from the site root; absolute only under
        a declared site URL."""
        url = self.site_url.rstrip("/") + "/" if self.site_url else None
        image = svg_path(chart.chart_id) if chart else None
        return {"title": " ".join(title.split()), "description": " ".join(description.split()), "type": "article",
                "image": image, "image_alt": (chart.alt or chart.title) if chart else None,
                "image_url": url + image if url and image else None, "url": url + page_url(path) if url else None}

    def run(self) -> None:
        d = self.data
        self.claims = d.claims()
        for c in self.claims:
            c["decade"] = decade(c["made_date"])
        self.claim_by_id = {c["id"]: c for c in self.claims}
        self.predictors = d.predictors()
        self.predictor_by_id = {p["id"]: p for p in self.predictors}
        self.series = d.series()
        self.series_by_id = {s["id"]: s for s in self.series}
        self.points = d.points()
        self.projections = d.projections()
        self.progress.say(f"read {len(self.claims)} claims, {len(self.predictors)} predictors, {len(self.series)} series")
        self.claim_pages()
        self.progress.say(f"{len(self.claims)} claim pages")
        self.predictor_pages()
        self.progress.say(f"{len(self.predictors)} predictor pages")
        self.leaderboard_page()
        self.trend_pages()
        self.progress.say(f"{len(self.series)} series pages")
        self.home_page()
        self.api_counts = write_api(self.data.con, self.out, as_of_date=self.build.get("as_of_date"))
        self.progress.say("JSON documents: " + ", ".join(f"{n} {kind}" for kind, n in self.api_counts.items()))
        self.data_page()
        self.coming_due_page()
        self.feed_files()
        self.progress.say(f"{self.charts.count} charts ({self.charts.rendered} rendered, the rest from the cache)")

    # claims ---------------------------------------------------------------------------------

    def claim_pages(self) -> None:
        evidence = self.data.evidence()
        verifications = self.data.verifications("claim")
        baselines = self.data.trend_baselines()
        thresholds = self.data.claim_thresholds()
        data_resolutions = self.data.data_resolutions()
        memberships = self.data.claim_collections()
        for c in self.claims:
            mine = memberships.get(c["id"], [])
            systematic = any(k["kind"] == "systematic" for k in mine)
            c["collection_tags"] = " ".join([k["collection_id"] for k in mine] + ["systematic" if systematic else "curated"])
            path = f"claims/{c['id']}.md"
            series = self.series_by_id.get(c["operationalisation_series_id"] or "")
            chart = chart_html = None
            if series:
                rules = [C.Rule("y", c["operationalisation_threshold_value"], f"threshold {c['operationalisation_comparator']} {c['operationalisation_threshold_value']:.4g}", color="false"),
                         C.Rule("x", c["deadline_date"], "deadline", color="true"),
                         C.Rule("x", c["made_date"], "claim made")]
                chart = trend_chart(f"claim-{c['id']}", series, self.points.get(series["id"], []), self.projections.get(series["id"], []),
                                    today=self.today, families=("exponential", "logistic"), rules=tuple(rules))
                chart_html = self.charts.html(chart, path)
            title = f"{c['predictor_name']}, {c['made_date']}: {c['statement']}"
            self.page(path, "claim.html", title=title,
                      social=self.social(path, title=title, description=c["statement"], chart=chart), citation=self.citation(path, title),
                      c=c, evidence=evidence.get(c["id"], []), verifications=verifications.get(c["id"], []),
                      co_predictors=[self.predictor_by_id[p] for p in c["co_predictor_ids"] or [] if p in self.predictor_by_id],
                      restates=self.claim_by_id.get(c["restates_claim_id"] or ""), retracts=self.claim_by_id.get(c["retracts_claim_id"] or ""),
                      series_name=series["name"] if series else None, series_unit=series["unit"] if series else None,
                      chart=chart_html, baseline=baselines.get(c["id"]), threshold=thresholds.get(c["id"]),
                      data_resolution=data_resolutions.get(c["id"]), collections=memberships.get(c["id"], []))
        topics = sorted({t for c in self.claims for t in c["topics"] or []})
        self.page("claims/index.md", "claims_index.html", title="Claims", hide=("navigation", "toc"),
                  claims=self.claims, n_predictors=len({c["predictor_id"] for c in self.claims}),
                  statuses=sorted({c["resolution_status"] for c in self.claims}),
                  roles=sorted({c["role_class_at_made"] for c in self.claims if c["role_class_at_made"]}),
                  topics=topics, decades=sorted({c["decade"] for c in self.claims if c["decade"]}),
                  feeds=self.feed_links("claims/index.md"),
                  predictor_options=sorted(({"id": p["id"], "name": p["name"]} for p in self.predictors if p["n_claims"]), key=lambda p: p["name"]),
                  collection_options=self.data.collections())

    # predictors -----------------------------------------------------------------------------

    def predictor_pages(self) -> None:
        from ..score.tables import LEADERBOARD_MIN_SCORED

        affiliations = self.data.affiliations()
        scores = self.data.group_scores("predictor")
        bins = self.data.calibration_bins("predictor")
        lateness = self.data.lateness("predictor")
        leaders = {r["predictor_id"]: r for r in self.data.leaderboard()}
        claims_by: dict[str, list[dict]] = defaultdict(list)
        for c in self.claims:
            claims_by[c["predictor_id"]].append(c)
            for co in c["co_predictor_ids"] or []:
                claims_by[co].append(c)
        for p in self.predictors:
            path = f"predictors/{p['id']}.md"
            chart = None
            if bins.get(p["id"]):
                chart = self.charts.html(reliability_chart(f"calibration-{p['id']}", f"Calibration of {p['name']}", bins[p["id"]]), path)
            self.page(path, "predictor.html", title=p["name"], citation=self.citation(path, p["name"]), p=p, affiliations=affiliations.get(p["id"], []),
                      score=scores.get(p["id"]), leader=leaders.get(p["id"]), n_ranked=len(leaders),
                      lateness=lateness.get(p["id"]), claims=claims_by.get(p["id"], []), chart=chart)
            p["n_scored"] = (scores.get(p["id"]) or {}).get("n_scored")
            p["brier"] = (scores.get(p["id"]) or {}).get("brier")
        self.page("predictors/index.md", "predictors_index.html", title="Predictors", hide=("navigation", "toc"),
                  predictors=self.predictors, min_scored=LEADERBOARD_MIN_SCORED)

    def leaderboard_page(self) -> None:
        from ..score.tables import LEADERBOARD_MIN_SCORED

        slices: dict[tuple[str, str], list[dict]] = defaultdict(list)
        for r in self.data.predictor_slices():
            if r["slice_kind"] != "all" and r["is_ranked"]:
                slices[(r["slice_kind"], r["slice_value"])].append(r)
        slice_values = {kind: sorted({v for (k, v) in slices if k == kind}) for kind, _ in SLICE_KINDS}
        groups = leaderboard_groups(self.data.group_scores)
        charts = []
        calibration = {**self.data.calibration_bins("all"), **self.data.calibration_bins("insider_status")}
        for gid, rows in sorted(calibration.items()):
            title = f"Calibration: {GROUP_LABELS['insider_status'].get(gid, gid)}"
            charts.append(self.charts.html(reliability_chart(f"calibration-group-{gid}", title, rows), "leaderboard.md"))
        self.page("leaderboard.md", "leaderboard.html", title="Leaderboard", hide=("navigation", "toc"),
                  leaders=self.data.leaderboard(), min_scored=LEADERBOARD_MIN_SCORED, slice_kinds=SLICE_KINDS,
                  slice_values=slice_values, slices=slices, groups=groups, charts=charts, selection=self.selection_rows())

    # trends ---------------------------------------------------------------------------------

    def trend_pages(self) -> None:
        posteriors = self.data.posteriors()
        backtests = self.data.backtests()
        history = self.data.verdict_history()
        thresholds = self.data.thresholds()
        prior = self.data.prior_predictive()
        paradigms = self.data.paradigms()
        claims_on: dict[str, list[dict]] = defaultdict(list)
        for c in self.claims:
            if c["operationalisation_series_id"]:
                claims_on[c["operationalisation_series_id"]].append(c)
        for s in self.series:
            s["verdict_sentence"] = verdict_sentence(s)
            s["verdict_words"] = VERDICT_WORDS.get(s.get("trend_verdict"), str(s.get("trend_verdict")))
        for s in self.series:
            path = f"trends/series/{s['id']}.md"
            pts = self.points.get(s["id"], [])
            chart = trend_chart(f"series-{s['id']}", s, pts, self.projections.get(s["id"], []), today=self.today) if pts else None
            chart_html = self.charts.html(chart, path) if chart else None
            prior_html = self.charts.html(prior_chart(f"prior-{s['id']}", s, pts, prior[s["id"]]), path) if prior.get(s["id"]) else None
            post = posteriors.get(s["id"], [])
            inflection = next((r for r in post if r["family"] == "logistic" and r["parameter"] == "inflection_year" and r["method"] == "bayesian"), None)
            inflection_past = next((r for r in post if r["family"] == "logistic" and r["parameter"] == "inflection_past" and r["method"] == "bayesian"), None)
            self.page(path, "series.html", title=s["name"], s=s, citation=self.citation(path, s["name"]),
                      social=self.social(path, title=s["name"], description=s["name"], chart=chart), points=pts, chart=chart_html, prior_chart=prior_html,
                      posteriors=post, backtests=backtests.get(s["id"], []), thresholds=thresholds.get(s["id"], []),
                      history=history.get(s["id"], []), history_sentence=history_sentence(history.get(s["id"], [])), verdict_words=VERDICT_WORDS,
                      inflection=inflection, inflection_past=inflection_past, decimal_year=decimal_year,
                      claims=claims_on.get(s["id"], []), paradigm=next((p for p in paradigms if p["id"] == s["paradigm_id"]), None))
        for p in paradigms:
            members = [s for s in self.series if s["paradigm_id"] == p["id"]]
            self.page(f"trends/{p['id']}.md", "paradigm.html", title=p["name"], p=p, series=members)
        self.page("trends/index.md", "trends_index.html", title="Trends", hide=("navigation", "toc"), paradigms=paradigms, series=self.series)

    # home and data --------------------------------------------------------------------------

    def selection_rows(self) -> list[dict]:
        """Scores of the whole record, of the systematic collections alone, of the curated rest, and
        of each collection: how much the answers depend on which claims were chosen."""
        d = self.data
        selection, collections = d.group_scores("selection"), d.group_scores("collection")
        status, systematic_status = d.group_scores("insider_status"), d.group_scores("systematic_insider_status")
        names = {k["id"]: k["name"] for k in d.collections()}
        rows = []
        everyone = d.group_scores("all").get("all")
        if everyone and everyone["n_scored"]:
            rows.append({"key": "", "label": "The whole record", "g": everyone, "insider": status.get("insider"), "outsider": status.get("outsider")})
        for key, label in (("systematic", "Systematic collections only"), ("curated", "Curated only (no systematic collection)")):
            g = selection.get(key)
            if g and g["n_scored"]:
                extra = {"insider": systematic_status.get("insider"), "outsider": systematic_status.get("outsider")} if key == "systematic" else {"insider": None, "outsider": None}
                rows.append({"key": key, "label": label, "g": g, **extra})
        for cid, g in sorted(collections.items()):
            if g["n_scored"]:
                rows.append({"key": cid, "label": names.get(cid, cid), "g": g, "insider": None, "outsider": None})
        return rows

    def home_page(self) -> None:
        d = self.data
        sens = d.sensitivity()
        comparisons = d.comparisons()

        def metric(name: str, scenario: str = "default") -> dict:
            return sens.get((scenario, name), {})

        def comparison(name: str, metric_: str, method: str) -> dict:
            return next((r for r in comparisons if r["comparison"] == name and r["metric"] == metric_ and r["method"] == method), {})

        status = d.group_scores("insider_status")
        counts = d.counts()
        counts["scored"] = int(metric("n_scored").get("value") or 0)
        verdicts: dict[str, list[dict]] = defaultdict(list)
        for s in self.series:
            verdicts[s.get("trend_verdict") or "not_fitted"].append(s)
        self.page("index.md", "home.html", title="Track Record", hide=("navigation", "toc"), counts=counts,
                  metric=metric, insider=status.get("insider"), outsider=status.get("outsider"),
                  everyone=d.group_scores("all").get("all"), baseline=d.group_scores("trend_baseline").get("trend-baseline"),
                  diff_model=comparison("insider_vs_outsider", "expected_brier", "posterior"),
                  diff_raw=comparison("insider_vs_outsider", "brier", "bootstrap"),
                  critics=d.group_scores("role_class").get("critic"),
                  verdicts=verdicts, n_series=len(self.series), leaders=d.leaderboard()[:5],
                  selection=self.selection_rows(), systematic_diff=comparison("systematic_insider_vs_outsider", "expected_brier", "posterior"))

    def data_page(self) -> None:
        from .examples import EXAMPLE_QUERIES

        catalogue = self.data.table_catalogue()
        downloads = export_downloads(self.data.con, self.data.database, [t["name"] for t in catalogue], self.out)
        self.page("data.md", "data.html", title="Data", catalogue=catalogue, downloads=downloads, examples=EXAMPLE_QUERIES,
                  api_kinds=API_KINDS, api_counts=self.api_counts, api_index=API_INDEX_PATH, api_schema=schema_path,
                  numbers=self.data.record_numbers(), source_quality=self.data.source_quality(), collections=self.data.collections(),
                  collection_scores=self.data.group_scores("collection"))

    # coming due and the feeds ------------------------------------------------------------------

    def feed_links(self, from_page: str) -> list[dict]:
        return [{"title": "Claims newly resolved", "href": relative(from_page, "feeds/resolved.xml")},
                {"title": "Claims coming due", "href": relative(from_page, "feeds/coming-due.xml")}]

    def coming_due_page(self) -> None:
        self.page("coming-due.md", "coming_due.html", title="Coming due", hide=("navigation", "toc"),
                  days=feeds.COMING_DUE_DAYS, as_of=self.today, window_end=self.today + dt.timedelta(days=feeds.COMING_DUE_DAYS), coming=self.data.coming_due(self.today, feeds.COMING_DUE_DAYS),
                  overdue=self.data.overdue(self.today), feeds=self.feed_links("coming-due.md"))

    def feed_files(self) -> None:
        authors = [a.display for a in self.dataset.authors]
        for feed in (feeds.resolved_feed(self.data.recently_resolved(feeds.RESOLVED_LIMIT), self.today),
                     feeds.coming_due_feed(self.data.coming_due(self.today, feeds.COMING_DUE_DAYS), self.today)):
            self.out.binary(feed.path, feeds.atom(feed, authors=authors, site_url=self.site_url,
                                                  generator_version=self.build.get("trackrecord_version")))
        self.out.binary(feeds.FEEDS_SITEMAP_PATH, feeds.FEEDS_SITEMAP)


def write_chart_assets(out: Writer) -> None:
    """plotly.min.js and charts.js into the site, through the writer (C.vendor_assets copies them into a folder)."""
    with tempfile.TemporaryDirectory() as tmp:
        for path in C.vendor_assets(Path(tmp)):
            out.binary(path.relative_to(tmp).as_posix(), path.read_bytes())


def generate(database: Path, out: Writer, *, dataset: Dataset, site_url: str | None = None, cache_dir: Path | None = None,
             quiet: bool = False) -> None:
    """`dataset`: CITATION.cff as citations.read_dataset reads it; `site_url`: the public site's
    address if the project declares one (build.declared_site_url), else None."""
    write_chart_assets(out)
    data = SiteData(database)
    try:
        SiteBuilder(data, out, dataset=dataset, site_url=site_url, cache_dir=cache_dir, progress=Progress(quiet=quiet)).run()
    finally:
        data.close()
