"""The site's formatting helpers: links between pages, which URLs become links, escaping, and the
words a verdict is given in."""

from __future__ import annotations

import datetime as dt

import markdown
import pytest

from trackrecord.site.generate import decade, decimal_year, legend_corner, verdict_sentence
from trackrecord.site.render import Renderer, collapse_blank_lines, external_link, number, page_url, paragraphs, relative, safe_url, title_text


@pytest.mark.parametrize(("source", "target", "expected"), [
    ("index.md", "claims/index.md", "claims/"),
    ("index.md", "leaderboard.md", "leaderboard/"),
    ("claims/index.md", "claims/a.md", "a/"),
    ("claims/a.md", "predictors/p.md", "../../predictors/p/"),
    ("claims/a.md", "claims/index.md", "../"),
    ("trends/series/s.md", "trends/p.md", "../../p/"),
    ("trends/series/s.md", "charts/x.svg", "../../../charts/x.svg"),
    ("index.md", "index.md", "./"),
    ("data.md", "download/trackrecord.duckdb", "../download/trackrecord.duckdb"),
])
def test_relative_links_follow_mkdocs_directory_urls(source, target, expected):
    assert relative(source, target) == expected


def test_page_urls():
    assert page_url("index.md") == "" and page_url("a/index.md") == "a/" and page_url("a/b.md") == "a/b/"


@pytest.mark.parametrize("url", ["javascript:alert(1)", "JAVASCRIPT:alert(1)", " javascript:alert(1)", "data:text/html,<b>",
                                 "vbscript:x", "//evil.example/x", "/relative", "https://", "https://a.example/x y",
                                 'https://a.example/"onmouseover=x', None, 42, ""])
def test_only_absolute_http_urls_become_links(url):
    assert safe_url(url) is None
    html = str(external_link(url, "text"))
    assert "<a " not in html and "tr-unsafe-url" in html


def test_a_safe_url_is_linked_and_its_text_escaped():
    html = str(external_link("https://example.org/a?b=1&c=2", "<b>title</b>"))
    assert html == '<a href="https://example.org/a?b=1&amp;c=2" rel="nofollow noopener noreferrer">&lt;b&gt;title&lt;/b&gt;</a>'


def test_paragraphs_escape_and_split_on_blank_lines():
    assert str(paragraphs("one <i>\nline\n\n  two & three  ")) == "<p>one &lt;i&gt; line</p><p>two &amp; three</p>"
    assert str(paragraphs(None)) == ""


def test_titles_are_escaped_once_for_material_which_does_not_escape_them():
    assert title_text("</title><script>x</script>  A\nB") == "&lt;/title&gt;&lt;script&gt;x&lt;/script&gt; A B"


def test_a_generated_page_survives_markdown_untouched():
    """Record text with Markdown, blank lines and indentation stays inside the raw-HTML block."""
    renderer = Renderer()
    hostile = "**bold**\n\n    code\n\n# heading <script>x</script>"
    page = renderer.env.from_string('<div class="x">\n<p>{{ text | paragraphs }}</p>\n\n<blockquote>{{ text }}</blockquote>\n</div>').render(text=hostile, paragraphs=paragraphs)
    body = collapse_blank_lines(page)
    assert "\n\n" not in body
    html = markdown.markdown(body)
    assert "<strong>" not in html and "<h1>" not in html and "<pre>" not in html and "<script>" not in html
    assert "&lt;script&gt;" in html


def test_numbers_and_missing_values():
    assert number(None) == "–" and number(float("nan")) == "–" and number(1234) == "1,234" and number(0.12345) == "0.123"


def test_decade_decimal_year_and_legend():
    assert decade(dt.date(2019, 12, 31)) == "2010s" and decade(None) == ""
    assert decimal_year(2023.0) == "2023-01" and decimal_year(2023.99) == "2023-12" and decimal_year(None) == "–"
    assert legend_corner({"better": "lower"}) == "upper right" and legend_corner({"better": "higher"}) == "lower right"


def test_verdicts_in_words_say_not_distinguishable_when_that_is_the_truth():
    series = {"verdict": "not_distinguishable", "elpd_diff": 1.5, "elpd_diff_se": 2.0, "diagnostics_ok": True}
    text = verdict_sentence(series)
    assert "about equally well" in text and "+1.5 ± 2.0" in text and "read it with care" not in text
    bent = verdict_sentence({"verdict": "logistic_better", "elpd_diff": 9.0, "elpd_diff_se": 2.0, "diagnostics_ok": False,
                             "logistic_prior_driven": True, "logistic_prior_driven_parameters": ["ceiling_share"]})
    assert "levels off" in bent and "ceiling share come mostly from its prior" in bent and "read it with care" in bent
    assert verdict_sentence({"verdict": None}) == "Too few points for the models."
    stuck = verdict_sentence({"verdict": "undetermined", "elpd_diff": 9.0, "elpd_diff_se": 2.0, "diagnostics_ok": False,
                              "verdict_note": "The sampler did not converge for the logistic fit (11 divergent transitions)."})
    assert stuck.startswith("The sampler did not converge for the logistic fit (11 divergent transitions).")
    assert "no verdict is given" in stuck and "levels off" not in stuck and "+9.0" not in stuck
    faster = verdict_sentence({"verdict": "not_distinguishable", "trend_verdict": "speeding_up", "scale": "log", "elpd_diff": 0.5,
                               "elpd_diff_se": 1.0, "succession_verdict": "succession_better", "succession_elpd_diff": 12.0,
                               "succession_elpd_diff_se": 3.0, "p_speeding_up": 1.0})
    assert "changed once, to faster growth" in faster and "+12.0 ± 3.0" in faster and "1.00" in faster


def _history(*verdicts):
    import datetime as dt

    return [{"cutoff_date": dt.date(2020 + i, 1, 1), "n_points": 10 + i, "trend_verdict": v} for i, v in enumerate(verdicts)]


def test_history_sentence_names_when_the_answer_first_held():
    from trackrecord.site.generate import history_sentence

    assert history_sentence(_history("not_distinguishable", "bending", "bending")) == (
        "This answer has held since the points before 2021-01-01 (11 points).")
    assert history_sentence(_history("bending", "bending")) == "This answer has held since the points before 2020-01-01 (10 points)."
    assert history_sentence(_history("not_distinguishable", "speeding_up")).startswith("Only the full series supports this answer")
    assert "At no cutoff" in history_sentence(_history("not_distinguishable", "undetermined", "not_distinguishable"))
    assert history_sentence(_history("bending", "not_distinguishable")) == (
        "Earlier cutoffs answered bending, but the full series can no longer tell the curves apart.")
    assert history_sentence([]) == ""


def test_stable_prints_no_digit_its_monte_carlo_error_cannot_hold():
    from trackrecord.site.render import MCSE_MARGIN, stable, stable_unit, stable_year

    assert MCSE_MARGIN == 2.0
    assert stable_unit(0.2) == 1.0  # half of 1 exceeds two standard errors (0.4)
    assert stable_unit(0.3) == 2.0 and stable_unit(1.0) == 5.0 and stable_unit(2.0) == 10.0
    assert stable(318.32, 0.2) == "318" and stable(318.32, 1.86) == "320" and stable(318.32, 4.0) == "320"  # unit 20
    assert stable(0.0858, 0.0067, scale=100, suffix="%") == "10%" and stable(0.0858, 0.002, scale=100, suffix="%") == "9%"
    assert stable(2.2152, 0.001) == "2.215" and stable(1234567.0, 30000.0) == "1,200,000"
    assert stable(5.0, None) == "5" and stable(None, 1.0) == "–"  # no MCSE (the baseline): as metric prints it
    assert stable_year(2028.33, 0.01) == "2028-04" and stable_year(2028.33, 0.1) == "2028" and stable_year(2028.33, 0.5) == "2020s"


def test_leaderboard_groups_name_an_unknown_role_class_apart_from_an_unknown_insider_status():
    from trackrecord.site.generate import leaderboard_groups

    scores = {
        "all": {"all": {"n_scored": 30}},
        "insider_status": {"insider": {"n_scored": 10}, "outsider": {"n_scored": 12}, "unknown": {"n_scored": 8}},
        "role_class": {"critic": {"n_scored": 5}, "unknown": {"n_scored": 8}, "lab_researcher": {"n_scored": 0}},
    }
    rows = leaderboard_groups(lambda kind: scores[kind])
    assert [(r["label"], r["query"]) for r in rows] == [
        ("Everyone", ""), ("Insiders", "insider=insider"), ("Outsiders", "insider=outsider"),
        ("Insider status unknown", "insider=unknown"), ("critic", "role=critic"), ("Role class unknown", "role=unknown"),
    ]


def test_stable_may_print_fewer_digits_never_more():
    from trackrecord.site.render import stable

    assert stable(115.04, 0.1) == "115.0" and stable(115.04, 0.1, max_digits=0) == "115"
    assert stable(318.32, 1.86, max_digits=0) == "320"  # the cap never adds digits
