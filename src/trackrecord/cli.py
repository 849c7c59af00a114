"""The `trackrecord` command. Verbs mirror the stages: check, build (then fit, score, site)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from . import __version__, clock
from .paths import Layout, find_root


def main(argv: list[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    if args.as_of:
        try:
            clock.set_today(clock.parse_date(args.as_of))
        except ValueError as err:
            parser.error(f"--as-of: {err}")
    try:
        clock.today()
    except ValueError as err:
        parser.error(f"{clock.ENV_VAR}: {err}")
    layout = Layout(Path(args.root).resolve() if args.root else find_root())
    from .db.lock import Busy, writer_lock
    from .quiet import silence_library_warnings

    silence_library_warnings()

    try:
        if args.command in WRITING_COMMANDS and not getattr(args, "serve", False):
            with writer_lock(layout.build_dir, args.command):
                return args.run(args, layout)
        return args.run(args, layout)
    except Busy as err:
        print(f"trackrecord {args.command}: {err}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
    finally:
        clock.set_today(None)


# The stages that write into build/: one at a time (db/lock.py).
WRITING_COMMANDS = frozenset({"build", "fit", "score", "site"})


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="trackrecord", description=__doc__)
    p.add_argument("--version", action="version", version=f"trackrecord {__version__}")
    p.add_argument("--root", help="repository root (default: the nearest folder with claims/ and pyproject.toml)")
    p.add_argument("--as-of", metavar="DATE", help=f"treat DATE (YYYY-MM-DD) as today; also ${clock.ENV_VAR}")
    sub = p.add_subparsers(dest="command", required=True, metavar="COMMAND")

    c = sub.add_parser("check", help="validate records and report every problem with file:line:col")
    c.add_argument("paths", nargs="*", type=Path, help="files or folders to report on (default: everything)")
    c.add_argument("--format", choices=("text", "github", "json"), default="text", help="github: Actions annotations")
    c.add_argument("--fix", action="store_true", help="first rewrite the files into canonical form (key order, quoting, dates, indentation); meaning is kept")
    c.set_defaults(run=_run_check)

    b = sub.add_parser("build", help="check, then load all records into build/trackrecord.duckdb and Parquet")
    b.set_defaults(run=_run_build)

    n = sub.add_parser("new", help="write a new record from a template")
    n.add_argument("kind", choices=("claim", "predictor", "series"))
    n.add_argument("--predictor", help="claim: predictor id")
    n.add_argument("--date", help="claim: date made, YYYY-MM-DD (default: today)")
    n.add_argument("--slug", help="claim: a few words, kebab-case")
    n.add_argument("--name", help="predictor: full name; series: name")
    n.add_argument("--id", dest="record_id", help="series: id (kebab-case, unit in it)")
    n.set_defaults(run=_run_new)

    q = sub.add_parser("sql", help="query build/trackrecord.duckdb (no query: an interactive prompt)")
    q.add_argument("query", nargs="?", help="SQL to run")
    q.add_argument("--format", choices=("table", "csv", "json"), default="table")
    q.set_defaults(run=_run_sql)

    s = sub.add_parser("schemas", help="write the JSON Schemas and reference pages generated from the record models")
    s.add_argument("--check", action="store_true", help="only report whether the committed schemas are current")
    s.set_defaults(run=_run_schemas)

    i = sub.add_parser(
        "ingest",
        help="write curated series under data/series/ from upstream datasets",
        description=(
            "Read an upstream dataset from a local snapshot folder (--from DIR), a base URL (--from URL), or its "
            "pinned upstream URLs (no --from; downloads are cached under build/cache/http), and write curated "
            "series YAML under data/series/. With --snapshots DIR, every source named (or all) reads DIR/<snapshot>/."
        ),
    )
    i.add_argument("sources", nargs="*", metavar="SOURCE", help="upstream datasets, e.g. metr-horizons (see --list)")
    i.add_argument("--from", dest="location", help="a snapshot folder or a base URL holding the upstream files")
    i.add_argument("--snapshots", type=Path, help="a folder of snapshot folders, e.g. ../shared/data/external")
    i.add_argument("--all", action="store_true", help="every source")
    i.add_argument("--list", action="store_true", help="list the sources and their snapshot folders")
    i.set_defaults(run=_run_ingest)

    m = sub.add_parser(
        "import-claims",
        help="write claims and predictors from an upstream dataset of predictions",
        description=(
            "Import an upstream dataset of predictions from its snapshot folder into claims/: the MIRI/AI Impacts "
            "AI timeline predictions (miri-ai-predictions), or the AI questions of ForecastBench's market question "
            "sets with their crowd forecasts and outcomes (forecastbench-ai-questions)."
        ),
    )
    m.add_argument("dataset", choices=("miri-ai-predictions", "forecastbench-ai-questions"))
    m.add_argument(
        "--from", dest="location", type=Path, required=True,
        help="the snapshot folder, e.g. ../shared/data/external/miri-aiimpacts-ai-predictions or ../shared/data/external/forecastbench-datasets",
    )
    m.set_defaults(run=_run_import_claims)

    f = sub.add_parser(
        "fit",
        help="fit the trend models to every curated series and write the fit_* tables",
        description="Fit exponential, logistic (and succession) curves to each series of the given paradigms "
        "(default: all), compare them by PSIS-LOO and leave-future-out backtests, project to 2035, and write "
        "the fit_* tables into build/trackrecord.duckdb. Unchanged series come from the cache in build/cache/.",
    )
    f.add_argument("paradigms", nargs="*", metavar="PARADIGM", help="paradigm ids (models/<id>.yaml); default: all")
    f.add_argument("--series", action="append", metavar="ID", help="only this series (repeatable)")
    f.add_argument("--no-cache", action="store_true", help="refit everything, ignoring cached fits")
    f.add_argument("--draws", type=int, default=None, help="draws (and tuning steps) per chain (default 1500, at target_accept 0.98: what the trend models need to converge)")
    f.add_argument("--chains", type=int, default=4, help="chains per fit (default 4)")
    f.set_defaults(run=_run_fit)

    sc = sub.add_parser(
        "score",
        help="score the resolved claims and write the score_* tables and v_leaderboard",
        description="Score every resolved claim (Brier, log score, Murphy and CORP decompositions), fit the hierarchical "
        "calibration model, compare insiders with outsiders, measure lateness, and score the trend baseline (trend models "
        "refitted on the points before each operationalised claim). Writes the score_* tables and v_leaderboard into "
        "build/trackrecord.duckdb. Run after `trackrecord fit`; sampled work is cached in build/cache/.",
    )
    sc.add_argument("--draws", type=int, default=None, help="draws (and tuning steps) per chain for the calibration model and the trend-baseline refits (default: 1000 for the calibration model, and `fit`'s settings for the refits, so they share its cache)")
    sc.add_argument("--chains", type=int, default=4, help="chains (default 4)")
    sc.set_defaults(run=_run_score)

    lk = sub.add_parser(
        "links",
        help="check that every URL the records cite still answers (or, with --archive, add Wayback snapshots)",
        description="Ask every URL cited by the records (sources, evidence, affiliations, origins) whether it still "
        "answers, and list the dead and broken ones with the files and fields that cite them. Results are cached in "
        "build/cache/links/ and rechecked after --max-age-days. Exit status 1 when a link is dead (404/410); links "
        "that are blocked (401/403/429, often bot protection), unreachable or erroring are listed but do not fail. "
        "With --archive, nothing is checked: each claim source without source.archive_url is looked up in the Wayback "
        "Machine and the snapshot it returns is written into the record.",
    )
    lk.add_argument("paths", nargs="*", type=Path, help="files or folders whose records to check (default: everything)")
    lk.add_argument("--max-age-days", type=_non_negative_int, default=7, metavar="N", help="recheck results older than N days (default 7)")
    lk.add_argument("--refresh", action="store_true", help="recheck every URL, ignoring the cache")
    lk.add_argument("--verbose", action="store_true", help="also list redirected links and where they end")
    lk.add_argument("--timeout", type=float, default=15.0, metavar="SECONDS", help="per connect/read timeout (default 15)")
    lk.add_argument("--concurrency", type=_positive_int, default=16, metavar="N", help="requests in flight in all (default 16)")
    lk.add_argument("--per-host", type=_positive_int, default=2, metavar="N", help="requests in flight per host (default 2)")
    lk.add_argument("--archive", action="store_true", help="write Wayback Machine snapshots into source.archive_url where it is missing")
    lk.add_argument("--wayback-api", default=None, metavar="URL", help="the availability API (default https://archive.org/wayback/available)")
    lk.set_defaults(run=_run_links)

    st = sub.add_parser(
        "site",
        help="build the website into build/site/ (or preview it with --serve)",
        description="Generate the site's pages from build/trackrecord.duckdb (home, leaderboard, a page per predictor, "
        "claim and series, the data downloads) and build build/site/ with MkDocs and Material. The site formats what "
        "`build`, `fit` and `score` wrote; it computes nothing. Chart images are cached in build/cache/site/.",
    )
    st.add_argument("--serve", action="store_true", help="preview with `mkdocs serve` instead of building (reloads on edits)")
    st.add_argument("--dev-addr", default="127.0.0.1:8000", metavar="HOST:PORT", help="where --serve listens (default 127.0.0.1:8000)")
    st.add_argument("--quiet", action="store_true", help="no progress lines")
    st.set_defaults(run=_run_site)

    r = sub.add_parser("rules", help="list every rule code check applies")
    r.set_defaults(run=_run_rules)
    return p


def _run_check(args: argparse.Namespace, layout: Layout) -> int:
    from .records.check import check_repository

    result = check_repository(layout.root, clock.today(), args.paths or None, fix=args.fix)
    for rel in result.fixed:
        print(f"fixed {rel}", file=sys.stderr)
    for problem in result.problems:
        if args.format == "github":
            print(problem.format_github())
        elif args.format == "json":
            print(problem.format_json())
        else:
            print(problem.format_text())
    counts = {k: len(v) for k, v in result.records.by_kind.items()}
    summary = ", ".join(f"{k.replace('_', ' ')} {n}" for k, n in counts.items())
    nerr, nwarn = len(result.errors), len(result.warnings)
    status = "ok" if not nerr else f"{nerr} error{'s' if nerr != 1 else ''}"
    fixed = f"; {len(result.fixed)} file{'s' if len(result.fixed) != 1 else ''} rewritten by --fix" if args.fix else ""
    print(f"trackrecord check: {status}, {nwarn} warning{'s' if nwarn != 1 else ''} ({result.records.files_read} files: {summary}){fixed}", file=sys.stderr)
    return 1 if nerr else 0


def _run_build(args: argparse.Namespace, layout: Layout) -> int:
    from .db.build import BuildRefused, build_database

    try:
        summary = build_database(layout, clock.today(), progress=lambda msg: print(msg, file=sys.stderr))
    except BuildRefused as refused:
        for problem in refused.problems:
            print(problem.format_text())
        print(f"trackrecord build: refused, {len(refused.problems)} errors; nothing was written", file=sys.stderr)
        return 1
    print(summary, file=sys.stderr)
    return 0


def _run_new(args: argparse.Namespace, layout: Layout) -> int:
    from .records.new import NewRecordError, new_record

    try:
        path = new_record(layout, args.kind, predictor=args.predictor, date=args.date, slug=args.slug, name=args.name, record_id=args.record_id, today=clock.today())
    except NewRecordError as err:
        print(f"trackrecord new: {err}", file=sys.stderr)
        return 2
    print(path.relative_to(layout.root))
    return 0


def _run_sql(args: argparse.Namespace, layout: Layout) -> int:
    from .db.query import run_query, run_shell

    if not layout.database.exists():
        print(f"trackrecord sql: {layout.database} does not exist yet; run `trackrecord build` (or `make`) first", file=sys.stderr)
        return 2
    if args.query:
        return run_query(layout.database, args.query, args.format)
    return run_shell(layout.database)


def _run_schemas(args: argparse.Namespace, layout: Layout) -> int:
    from .reference_docs import PAGES
    from .schema import RECORD_KINDS, json_schema_text

    generated = {spec.schema_file: (lambda kind=kind: json_schema_text(kind)) for kind, spec in RECORD_KINDS.items()}
    generated.update(PAGES)
    stale = []
    for rel, make_text in generated.items():
        path = layout.root / rel
        text = make_text()
        current = path.read_text(encoding="utf-8") if path.exists() else None
        if current != text:
            stale.append(rel)
            if not args.check:
                path.parent.mkdir(parents=True, exist_ok=True)
                path.write_text(text, encoding="utf-8")
    if args.check and stale:
        print("stale generated files (run `trackrecord schemas`): " + ", ".join(stale), file=sys.stderr)
        return 1
    print(("updated: " + ", ".join(stale)) if stale else "JSON Schemas and reference pages are current", file=sys.stderr)
    return 0


def _run_ingest(args: argparse.Namespace, layout: Layout) -> int:
    from .ingest import SOURCES, IngestError, run_ingest
    from .ingest.fetch import Fetcher

    if args.list:
        for spec in SOURCES.values():
            print(f"{spec.name}\t{spec.snapshot}\t{spec.description}")
        return 0
    names = sorted(SOURCES) if args.all else args.sources
    if not names:
        print("trackrecord ingest: name a SOURCE or --all (see --list)", file=sys.stderr)
        return 2
    if args.location and len(names) > 1:
        print("trackrecord ingest: --from names one source's files; use --snapshots for several", file=sys.stderr)
        return 2
    unknown = [name for name in names if name not in SOURCES]
    if unknown:
        print(f"trackrecord ingest: unknown source(s) {', '.join(unknown)}; known: {', '.join(sorted(SOURCES))}", file=sys.stderr)
        return 2
    status = 0
    for name in names:
        location = args.location or (args.snapshots / SOURCES[name].snapshot if args.snapshots else None)
        print(f"ingest {name} from {location or 'pinned upstream URLs'}", file=sys.stderr)
        try:
            written = run_ingest(
                name, location, layout.series_dir, today=clock.today(),
                fetcher_factory=lambda: Fetcher(layout.build_dir / "cache" / "http"),
            )
        except IngestError as err:
            print(f"trackrecord ingest {name}: {err}", file=sys.stderr)
            status = 2
            continue
        for path in written:
            print(path.relative_to(layout.root))
    return status


def _run_import_claims(args: argparse.Namespace, layout: Layout) -> int:
    from .ingest import IngestError

    if args.dataset == "forecastbench-ai-questions":
        from .importers.forecastbench import run_import
    else:
        from .importers.miri import run_import
    try:
        written = run_import(args.location, layout.root, today=clock.today())
    except IngestError as err:
        print(f"trackrecord import-claims: {err}", file=sys.stderr)
        return 2
    print(f"{len(written)} files written or already current", file=sys.stderr)
    return 0


def _run_fit(args: argparse.Namespace, layout: Layout) -> int:
    from .fit.run import fit_all
    from .fit.sampler import SamplerSettings

    if not layout.database.exists():
        print("trackrecord fit: no database; run `trackrecord build` first", file=sys.stderr)
        return 1
    settings = SamplerSettings(chains=args.chains) if args.draws is None else SamplerSettings(chains=args.chains, tune=args.draws, draws=args.draws)
    with _progress_line() as progress:
        try:
            report = fit_all(layout.database, layout.build_dir, args.paradigms or None, settings=settings,
                             use_cache=not args.no_cache, progress=progress, series_ids=args.series)
        except ValueError as err:
            print(f"trackrecord fit: {err}", file=sys.stderr)
            return 2
    for skipped in report.series_skipped:
        print(f"skipped {skipped}", file=sys.stderr)
    rows = ", ".join(f"{name} {n}" for name, n in report.rows.items())
    print(
        f"fitted {report.series_fitted} series ({report.fits_sampled} fits sampled, compile {report.compile_seconds:.1f}s), "
        f"{report.series_cached} unchanged from cache, in {report.seconds:.1f}s: {rows}",
        file=sys.stderr,
    )
    return 0


def _run_score(args: argparse.Namespace, layout: Layout) -> int:
    from .fit.sampler import SamplerSettings
    from .score.run import score_all

    if not layout.database.exists():
        print("trackrecord score: no database; run `trackrecord build` and `trackrecord fit` first", file=sys.stderr)
        return 1
    if args.draws is None:
        settings = SamplerSettings(chains=args.chains, tune=1000, draws=1000, target_accept=0.95)
        fit_settings = SamplerSettings(chains=args.chains)
    else:
        settings = fit_settings = SamplerSettings(chains=args.chains, tune=args.draws, draws=args.draws)
    with _progress_line() as progress:
        report = score_all(layout.database, layout.build_dir, clock.today(), settings=settings,
                           fit_settings=fit_settings, progress=progress)
    excluded = ", ".join(f"{n} {reason}" for reason, n in sorted(report.claims_excluded.items())) or "none"
    rows = ", ".join(f"{name} {n}" for name, n in report.rows.items())
    print(
        f"scored {report.claims_scored} claims (excluded: {excluded}); {report.models_sampled} calibration models and "
        f"{report.baseline_fits_sampled} trend-baseline fits sampled, in {report.seconds:.1f}s: {rows}",
        file=sys.stderr,
    )
    return 0


def _run_site(args: argparse.Namespace, layout: Layout) -> int:
    from .site.build import SiteError, build_site, serve_site

    try:
        if args.serve:
            return serve_site(layout, address=args.dev_addr)
        target = build_site(layout, quiet=args.quiet)
    except SiteError as err:
        print(f"trackrecord site: {err}", file=sys.stderr)
        return 1
    pages = sum(1 for _ in target.rglob("index.html"))
    print(f"site: {pages} pages in {target}", file=sys.stderr)
    return 0


class _progress_line:
    """One updating status line on a terminal; plain lines (one per series) in logs and CI."""

    def __enter__(self):
        if sys.stderr.isatty():
            from rich.console import Console

            self._status = Console(stderr=True).status("starting")
            self._status.__enter__()
            return lambda msg: self._status.update(msg)
        self._status = None

        def per_series(msg: str) -> None:
            if msg.startswith("["):  # "[i/n] series": one line per series; per-fit messages only on a terminal
                print(msg, file=sys.stderr, flush=True)

        return per_series

    def __exit__(self, *exc):
        if self._status is not None:
            self._status.__exit__(*exc)


def _positive_int(text: str) -> int:
    value = _non_negative_int(text)
    if value == 0:
        raise argparse.ArgumentTypeError("must be at least 1")
    return value


def _non_negative_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
    if value < 0:
        raise argparse.ArgumentTypeError("must not be negative")
    return value


def _run_links(args: argparse.Namespace, layout: Layout) -> int:
    from .links.archive import WAYBACK_AVAILABILITY_API
    from .links.checker import CheckSettings
    from .links.run import Options, archive_sources, check_links

    if args.timeout <= 0:
        print("trackrecord links: --timeout must be more than 0 seconds", file=sys.stderr)
        return 2
    settings = CheckSettings(
        timeout_seconds=args.timeout, request_deadline_seconds=max(45.0, 3 * args.timeout),
        global_limit=args.concurrency, per_host_limit=args.per_host,
    )
    options = Options(
        today=clock.today(), max_age_days=args.max_age_days, refresh=args.refresh, verbose=args.verbose,
        settings=settings, wayback_api=args.wayback_api or WAYBACK_AVAILABILITY_API,
    )
    out = print

    def err(line: str) -> None:
        print(line, file=sys.stderr)

    if args.archive:
        status, _ = archive_sources(layout.root, args.paths or None, options, out, err)
    else:
        status, _ = check_links(layout.root, args.paths or None, options, layout.build_dir / "cache" / "links", out, err)
    return status


def _run_rules(args: argparse.Namespace, layout: Layout) -> int:
    from .records.codes import RULES

    for rule in RULES.values():
        print(f"{rule.code}\t{rule.severity}\t{rule.name}\t{rule.fix}")
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
