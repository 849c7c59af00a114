"""Rules across fields and across records. Each finding names its rule code (codes.py).

Field formats are the schema's job; these rules need two fields, two records or today's date.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from ..errors import Problem
from ..schema import Claim, Collection, MetricSeries, Paradigm, Predictor, PublisherRegistry, VerbalScale
from .codes import RULES
from .data_resolution import resolve_from_data
from .publishers import Registry, host_of, raw_host, url_problems
from .load import LoadedRecord, RecordSet
from .validate import format_loc
from .yaml_io import PositionIndex, decode


@dataclass(frozen=True)
class Finding:
    code: str
    loc: tuple
    message: str
    fix: str | None = None


@dataclass
class Context:
    today: dt.date
    records: RecordSet

    def __post_init__(self) -> None:
        rs = self.records
        self.predictors = {r.record.id: r for r in rs["predictor"]}
        self.claims = {r.record.id: r for r in rs["claim"]}
        self.series = {r.record.id: r for r in rs["series"]}
        self.paradigms = {r.record.id: r for r in rs["paradigm"]}
        self.collections = {r.record.id: r for r in rs["collection"]}
        registries = rs["publishers"]
        self.publishers = Registry(registries[0].record if registries else None)
        self.has_publishers = bool(registries)
        self.phrases = phrase_index(scale.record for scale in rs["verbal_scale"])


def normalise_phrase(text: str) -> str:
    """How a hedge is matched to the verbal-probability scale: case and spacing do not count. The
    one rule for check and for the build, which stores the matched phrase (rec_claims.confidence_scale_phrase)."""
    return re.sub(r"\s+", " ", text.strip().casefold())


def phrase_index(scales) -> dict[str, object]:
    """Every phrase and alias of the scales, normalised, to its phrase entry (the first scale wins)."""
    index: dict[str, object] = {}
    for scale in scales:
        for p in scale.phrases:
            for name in (p.phrase, *p.aliases):
                index.setdefault(normalise_phrase(name), p)
    return index


def scale_phrase(phrase: str | None, index: dict[str, object]) -> str | None:
    """The scale's phrase a claim's hedge is, or is an alias of; None when it is none of them."""
    entry = index.get(normalise_phrase(phrase)) if phrase else None
    return entry.phrase if entry is not None else None


def source_key(source) -> str:
    """The address a source is known by: the original's URL, or the copy's when no original was seen."""
    return source.url or source.read_at or ""


def add_years(day: dt.date, years: int) -> dt.date:
    year = day.year + years
    return day.replace(year=year, day=min(day.day, calendar.monthrange(year, day.month)[1]))


# --- one record at a time -------------------------------------------------------------------


def check_identity(item: LoadedRecord) -> Iterator[Finding]:
    rec = item.record
    if item.path.stem != rec.id:
        yield Finding("ID002", ("id",), f"file is named {item.path.name!r} but the id is {rec.id!r}")
    if isinstance(rec, Claim):
        parts = item.relpath.split("/")
        if len(parts) == 3 and parts[0] == "claims" and parts[1] != str(rec.made_date.year):
            yield Finding("ID003", ("made_date",), f"made in {rec.made_date.year} but filed under claims/{parts[1]}/")
        # Ids are never changed, so a made_date later known to the day may refine the date the id
        # was minted with: the first of its month, or of its year.
        made = rec.made_date
        minted = {made, made.replace(day=1), made.replace(month=1, day=1)}
        prefixes = [f"{d.isoformat()}-{rec.predictor_id}-" for d in sorted(minted, reverse=True)]
        if not any(rec.id.startswith(p) and len(rec.id) > len(p) for p in prefixes):
            yield Finding("ID004", ("id",), f"the id should start with {prefixes[0]!r} and end with a short slug")


def check_claim(rec: Claim, ctx: Context) -> Iterator[Finding]:
    made, deadline, res = rec.made_date, rec.deadline.date, rec.resolution
    if deadline < made:
        yield Finding("CLM001", ("deadline", "date"), f"deadline {deadline} is before made_date {made}")
    if made > ctx.today:
        yield Finding("CLM002", ("made_date",), f"made_date {made} is after today ({ctx.today})")
    if rec.is_paraphrase != (rec.paraphrase_reason is not None):
        where = ("paraphrase_reason",) if rec.paraphrase_reason is not None else ("is_paraphrase",)
        yield Finding("CLM004", where, "is_paraphrase and paraphrase_reason must be given together")
    yield from _check_confidence(rec, ctx)
    yield from _check_deadline_rule(rec)
    yield from _check_resolution(rec, ctx)
    yield from _check_source(rec, ctx)
    yield from _check_urls(rec)


def _check_source(rec: Claim, ctx: Context) -> Iterator[Finding]:
    s = rec.source
    if s.url is None and s.read_at is None:
        yield Finding("SRC002", ("source", "title"), "the source has neither url nor read_at")
    if (s.read_at is None) != (s.copy_reason is None):
        where = ("source", "read_at") if s.read_at is not None else ("source", "copy_reason")
        yield Finding("SRC003", where, "read_at and copy_reason must be given together")
    for key in ("url", "read_at"):
        url = getattr(s, key)
        if url is None:
            continue
        entry = ctx.publishers.lookup(url)
        if entry is not None and entry.kind == "archive":
            yield Finding("SRC007", ("source", key), f"{host_of(url)} is a web archive ({entry.name})")
        if key == "url" and entry is not None and entry.kind in ("aggregator", "mirror"):
            yield Finding("SRC006", ("source", "url"), f"{host_of(url)} is {'an aggregator' if entry.kind == 'aggregator' else 'a mirror'} ({entry.name}), not the original")
    if ctx.has_publishers:
        for key in ("url", "read_at", "archive_url"):
            url = getattr(s, key)
            if url is not None and "://TODO." not in url and ctx.publishers.lookup(url) is None:  # a template's placeholder is TPL001's
                yield Finding("SRC005", ("source", key), f"the publishers registry does not know {host_of(url)!r}")


def _urls(value: object, loc: tuple) -> Iterator[tuple[tuple, str]]:
    if isinstance(value, str):
        if value.startswith(("http://", "https://")):
            yield loc, value
    elif isinstance(value, list):
        for i, v in enumerate(value):
            yield from _urls(v, (*loc, i))
    elif hasattr(type(value), "model_fields"):
        for name in type(value).model_fields:
            yield from _urls(getattr(value, name), (*loc, name))


def _check_urls(rec: Claim) -> Iterator[Finding]:
    for loc, url in _urls(rec, ()):
        problems = url_problems(url)
        if problems:
            yield Finding("SRC004", loc, f"{'; '.join(problems)}")


def _check_confidence(rec: Claim, ctx: Context) -> Iterator[Finding]:
    c = rec.confidence
    if c.basis in ("stated", "editorial"):
        if c.stated_prob is None:
            yield Finding("CLM005", ("confidence", "basis"), f"basis {c.basis} needs stated_prob")
        if c.basis == "editorial" and c.note is None:
            yield Finding("CLM005", ("confidence", "basis"), "an editorial probability needs a note saying why")
        return
    if c.stated_prob is not None:
        yield Finding("CLM005", ("confidence", "stated_prob"), f"basis {c.basis} takes a phrase, not stated_prob")
    if c.phrase is None:
        yield Finding("CLM005", ("confidence", "basis"), f"basis {c.basis} needs the phrase as said")
        return
    entry = ctx.phrases.get(normalise_phrase(c.phrase))
    if entry is None:
        yield Finding("CLM008", ("confidence", "phrase"), f"phrase {c.phrase!r} is not in the verbal-probability scale")
    elif entry.is_scorable != (c.basis == "verbal"):
        want = "verbal" if entry.is_scorable else "unscorable"
        yield Finding("CLM008", ("confidence", "basis"), f"the scale marks {c.phrase!r} as {'scorable' if entry.is_scorable else 'unscorable'}", f"set basis: {want}")


def _check_deadline_rule(rec: Claim) -> Iterator[Finding]:
    d, made = rec.deadline, rec.made_date
    expected: dt.date | None = None
    if d.rule == "by_year_end":
        expected = dt.date(d.date.year, 12, 31)
    elif d.rule == "end_of_next_year":
        expected = dt.date(made.year + 1, 12, 31)
    elif d.rule == "within_years":
        if d.years is None:
            yield Finding("CLM009", ("deadline", "rule"), "rule within_years needs deadline.years")
            return
        whole = int(d.years)
        expected = add_years(made, whole) if whole == d.years else made + dt.timedelta(days=round(d.years * 365.25))
    elif d.rule in ("within_days", "lifetime", "editorial") and d.note is None:
        yield Finding("CLM009", ("deadline", "rule"), f"rule {d.rule} needs a note saying how the date was derived")
    if expected is not None and expected != d.date:
        yield Finding("CLM009", ("deadline", "date"), f"rule {d.rule} gives {expected}, not {d.date}", f"set deadline.date: {expected}, or choose the rule that matches the words")


def _check_resolution(rec: Claim, ctx: Context) -> Iterator[Finding]:
    res, made, deadline = rec.resolution, rec.made_date, rec.deadline.date
    if res.status == "pending":
        if deadline < ctx.today:
            yield Finding("CLM010", ("resolution", "status"), f"pending, but the deadline {deadline} has passed")
        if res.resolved_date is not None or res.came_true_date is not None:
            yield Finding("CLM003", ("resolution", "status"), "a pending claim has no resolved_date or came_true_date", "set the status, or remove the dates")
        return
    missing = [name for name, value in (("resolved_date", res.resolved_date), ("note", res.note)) if value is None]
    if not res.evidence:
        missing.append("evidence")
    if missing:
        yield Finding("CLM003", ("resolution", "status"), f"status {res.status} but no {', '.join(missing)}")
    if res.resolved_date is not None and not (made <= res.resolved_date <= ctx.today):
        yield Finding("CLM006", ("resolution", "resolved_date"), f"resolved_date {res.resolved_date} is not between made_date {made} and today {ctx.today}")
    if res.came_true_date is not None:
        if res.status not in ("false", "partly"):
            yield Finding("CLM007", ("resolution", "came_true_date"), f"came_true_date with status {res.status}")
        elif res.came_true_date <= deadline or res.came_true_date > ctx.today:
            yield Finding("CLM007", ("resolution", "came_true_date"), f"came_true_date {res.came_true_date} must be after the deadline {deadline} and not after today")
    early = res.resolved_date is not None and res.resolved_date < deadline
    cannot_know_yet = (rec.direction == "at_least" and res.status == "false") or (rec.direction == "at_most" and res.status == "true")
    if early and cannot_know_yet:
        yield Finding("CLM012", ("resolution", "status"), f"resolved {res.status} on {res.resolved_date}, before the deadline {deadline}")


def check_predictor(rec: Predictor, ctx: Context) -> Iterator[Finding]:
    for i, a in enumerate(rec.affiliations):
        start = a.start_date or a.attested_date
        if start is None:
            yield Finding("PRD003", ("affiliations", i, "start_date"), "neither start_date nor attested_date is given")
            continue
        if a.end_date is not None and a.end_date < start:
            yield Finding("PRD001", ("affiliations", i, "end_date"), f"ends {a.end_date}, before it starts {start}")
        if start > ctx.today:
            yield Finding("PRD001", ("affiliations", i, "start_date" if a.start_date else "attested_date"), f"starts {start}, after today {ctx.today}")
        if a.end_date is None and a.end_date_precision is not None:
            yield Finding("PRD002", ("affiliations", i, "end_date_precision"), "end_date_precision without end_date")


def check_series(rec: MetricSeries, ctx: Context) -> Iterator[Finding]:
    bounded = rec.scale == "bounded"
    if bounded and (rec.floor is None or rec.ceiling is None or rec.floor >= rec.ceiling):
        yield Finding("SER001", ("scale",), f"scale is bounded but floor={rec.floor} and ceiling={rec.ceiling}")
        bounded = False
    elif not bounded and (rec.floor is not None or rec.ceiling is not None):
        yield Finding("SER001", ("floor",) if rec.floor is not None else ("ceiling",), f"a {rec.scale} series has no floor or ceiling")
    seen: set[tuple] = set()
    for i, p in enumerate(rec.points):
        if bounded and not (rec.floor <= p.value <= rec.ceiling):
            # Below chance happens (a bad model on a multiple-choice test), above the ceiling never.
            if p.value > rec.ceiling:
                yield Finding("SER002", ("points", i, "value"), f"{p.value} is above the ceiling {rec.ceiling}")
        if rec.scale == "log" and p.value <= 0:
            yield Finding("SER003", ("points", i, "value"), f"{p.value} is not positive")
        if (p.lower is not None and p.lower > p.value) or (p.upper is not None and p.upper < p.value):
            yield Finding("SER004", ("points", i, "value"), f"{p.value} is outside its interval [{p.lower}, {p.upper}]")
        if p.date > ctx.today:
            yield Finding("SER005", ("points", i, "date"), f"{p.date} is after today {ctx.today}")
        key = (p.system, p.date)
        if key in seen:
            yield Finding("SER006", ("points", i, "system"), f"{p.system!r} on {p.date} appears twice")
        seen.add(key)
        if p.paradigm_id is not None and p.paradigm_id not in ctx.paradigms:
            yield Finding("REF003", ("points", i, "paradigm_id"), f"no paradigm {p.paradigm_id!r}")
    if rec.paradigm_id not in ctx.paradigms:
        yield Finding("REF003", ("paradigm_id",), f"no paradigm {rec.paradigm_id!r}")


def check_paradigm(rec: Paradigm, ctx: Context) -> Iterator[Finding]:
    for i, sid in enumerate(rec.series_ids):
        series = ctx.series.get(sid)
        if series is None:
            yield Finding("REF002", ("series_ids", i), f"no series {sid!r}")
        elif series.record.paradigm_id != rec.id:
            yield Finding("PAR001", ("series_ids", i), f"series {sid!r} names paradigm {series.record.paradigm_id!r}")
    for family in rec.priors:
        if family not in rec.families:
            yield Finding("PAR002", ("priors", family), f"priors for {family!r}, which is not among families")
    for i, t in enumerate(rec.thresholds):
        if t.series_id not in ctx.series:
            yield Finding("REF002", ("thresholds", i, "series_id"), f"no series {t.series_id!r}")
    for sid in rec.series_priors:
        if sid not in rec.series_ids:
            yield Finding("REF002", ("series_priors", sid), f"series {sid!r} is not among series_ids")
    yield from check_priors(rec, ctx)


def _value(member: object) -> str:
    return getattr(member, "value", member)  # enums arrive as members or, from JSON, as plain str


def check_priors(rec: Paradigm, ctx: Context) -> Iterator[Finding]:
    """Every parameter of every structure that will be fitted has a prior that suits it."""
    from ..schema.families import DISTRIBUTION_ARGUMENTS, family_spec

    def check_block(block: dict, structure, path: tuple) -> Iterator[Finding]:
        by_name = {p.name: p for p in structure.parameters}
        for name, prior in block.items():
            param = by_name.get(name)
            if param is None:
                continue  # unknown names are reported once per family, below
            dist = _value(prior.dist)
            if dist not in param.distributions:
                yield Finding("PAR005", (*path, name, "dist"), f"{name} is {param.support}-valued; use {' or '.join(param.distributions)}, not {dist}")
                continue
            wanted = DISTRIBUTION_ARGUMENTS[dist]
            given = tuple(k for k in ("mu", "sigma", "lam", "alpha", "beta", "lower", "upper") if getattr(prior, k) is not None)
            if set(given) != set(wanted):
                yield Finding("PAR006", (*path, name, "dist"), f"{dist} takes {', '.join(wanted)}; got {', '.join(given) or 'none'}")

    scales = {_value(ctx.series[sid].record.scale) for sid in rec.series_ids if sid in ctx.series}
    for family in rec.families:
        structures = [s for s in (family_spec(scale, _value(family)) for scale in sorted(scales)) if s is not None]
        block = rec.priors.get(family, {})
        known = {p for s in structures for p in s.parameter_names}
        for name in block:
            if structures and name not in known:
                yield Finding("PAR004", ("priors", _value(family), name), f"{_value(family)} has no parameter {name!r} (it has {', '.join(sorted(known))})")
        for structure in structures:
            yield from check_block(block, structure, ("priors", _value(family)))
    for sid, families in rec.series_priors.items():
        series = ctx.series.get(sid)
        if series is None:
            continue
        for family, block in families.items():
            structure = family_spec(_value(series.record.scale), _value(family))
            if structure is None or family not in rec.families:
                yield Finding("PAR002", ("series_priors", sid, _value(family)), f"{_value(family)} is not fitted to {sid}")
                continue
            for name in block:
                if name not in structure.parameter_names:
                    yield Finding("PAR004", ("series_priors", sid, _value(family), name), f"{_value(family)} on {sid} has no parameter {name!r}")
            yield from check_block(block, structure, ("series_priors", sid, _value(family)))
    missing_by_family: dict[tuple[str, tuple[str, ...]], list[str]] = {}
    for sid in rec.series_ids:
        series = ctx.series.get(sid)
        if series is None:
            continue
        for family in rec.families:
            structure = family_spec(_value(series.record.scale), _value(family))
            if structure is None:
                continue
            merged = {**rec.priors.get(family, {}), **rec.series_priors.get(sid, {}).get(family, {})}
            missing = tuple(n for n in structure.parameter_names if n not in merged)
            if missing:
                missing_by_family.setdefault((_value(family), missing), []).append(sid)
    for (family, missing), series_ids in missing_by_family.items():
        yield Finding("PAR003", ("families",), f"{family} needs priors for {', '.join(missing)} (fitted to {', '.join(series_ids)})")


def check_publishers(rec: PublisherRegistry, ctx: Context) -> Iterator[Finding]:
    seen: set[str] = set()
    for i, p in enumerate(rec.publishers):
        normal = p.domain.strip().lower().rstrip(".").removeprefix("www.")
        if normal != p.domain or normal in seen:
            yield Finding("PUB001", ("publishers", i, "domain"), f"{p.domain!r} is listed twice or not in normal form ({normal!r})")
        seen.add(normal)


def check_collection(rec: Collection, ctx: Context) -> Iterator[Finding]:
    return iter(())  # a collection's rules need its member claims: check_collections, across records


def check_scale(rec: VerbalScale, ctx: Context) -> Iterator[Finding]:
    source_ids = {s.id for s in rec.sources}
    seen: set[str] = set()
    for i, p in enumerate(rec.phrases):
        probs = (p.low_prob, p.default_prob, p.high_prob)
        if p.is_scorable and (None in probs or not (p.low_prob <= p.default_prob <= p.high_prob)):
            yield Finding("VRB001", ("phrases", i, "default_prob"), f"{p.phrase!r}: need low_prob <= default_prob <= high_prob")
        if not p.is_scorable and any(v is not None for v in probs):
            yield Finding("VRB001", ("phrases", i, "is_scorable"), f"{p.phrase!r} is unscorable but has probabilities")
        for name in (p.phrase, *p.aliases):
            key = normalise_phrase(name)
            if key in seen:
                yield Finding("VRB002", ("phrases", i, "phrase"), f"{name!r} appears twice")
            seen.add(key)
        for j, sid in enumerate(p.source_ids):
            if sid not in source_ids:
                yield Finding("REF006", ("phrases", i, "source_ids", j), f"no source {sid!r}")


_PER_KIND = {
    "claim": check_claim,
    "predictor": check_predictor,
    "series": check_series,
    "paradigm": check_paradigm,
    "verbal_scale": check_scale,
    "publishers": check_publishers,
    "collection": check_collection,
}


# --- across records ---------------------------------------------------------------------------


def check_references(ctx: Context) -> Iterator[tuple[LoadedRecord, Finding]]:
    for item in ctx.records["claim"]:
        rec: Claim = item.record
        if rec.predictor_id not in ctx.predictors:
            yield item, Finding("REF001", ("predictor_id",), f"no predictor {rec.predictor_id!r}")
        for i, pid in enumerate(rec.co_predictor_ids):
            if pid not in ctx.predictors:
                yield item, Finding("REF001", ("co_predictor_ids", i), f"no predictor {pid!r}")
        if rec.operationalisation and rec.operationalisation.series_id not in ctx.series:
            yield item, Finding("REF002", ("operationalisation", "series_id"), f"no series {rec.operationalisation.series_id!r}")
        if rec.paradigm_id and rec.paradigm_id not in ctx.paradigms:
            yield item, Finding("REF003", ("paradigm_id",), f"no paradigm {rec.paradigm_id!r}")
        for key in ("restates_claim_id", "retracts_claim_id"):
            other_id = getattr(rec, key)
            if other_id is None:
                continue
            other = ctx.claims.get(other_id)
            if other is None:
                yield item, Finding("REF004", (key,), f"no claim {other_id!r}")
            elif other.record.predictor_id != rec.predictor_id or other.record.made_date > rec.made_date or other_id == rec.id:
                yield item, Finding("REF005", (key,), f"{other_id!r} is not an earlier claim by {rec.predictor_id!r}")


def check_collections(ctx: Context) -> Iterator[tuple[LoadedRecord, Finding]]:
    """Every membership names a collection; each collection's completeness adds up."""
    members: dict[str, dict[str, LoadedRecord]] = defaultdict(dict)
    for item in sorted(ctx.records["claim"], key=lambda r: r.relpath):
        rec: Claim = item.record
        for i, m in enumerate(rec.collections):
            if m.collection_id not in ctx.collections:
                yield item, Finding("REF007", ("collections", i, "collection_id"), f"no collection {m.collection_id!r}")
                continue
            key = normalise_phrase(m.item)
            other = members[m.collection_id].get(key)
            if other is not None:
                yield item, Finding("COL002", ("collections", i, "item"), f"item {m.item!r} of {m.collection_id} is also recorded by {other.relpath}")
            else:
                members[m.collection_id][key] = item
    for cid, item in ctx.collections.items():
        rec: Collection = item.record
        recorded, left = len(members.get(cid, {})), len(rec.left_out)
        if recorded + left != rec.items_in_source:
            yield item, Finding("COL001", ("items_in_source",), f"items_in_source is {rec.items_in_source}, but {recorded} claims are members and {left} items are left out ({recorded + left})")


def check_data_resolutions(ctx: Context) -> Iterator[tuple[LoadedRecord, Finding]]:
    """An operationalised claim's recorded outcome must be what its series' points say."""
    for item in ctx.records["claim"]:
        rec: Claim = item.record
        op = rec.operationalisation
        if op is None or op.series_id not in ctx.series:
            continue
        data = resolve_from_data(rec, ctx.series[op.series_id].record, ctx.today)
        recorded = getattr(rec.resolution.status, "value", rec.resolution.status)
        if recorded in ("true", "false") and data.status != "pending" and data.status != recorded:
            yield item, Finding("CLM013", ("resolution", "status"), f"recorded {recorded}, but the data say {data.status}: {data.explanation}")
        elif recorded == "pending" and data.status != "pending":
            yield item, Finding("CLM014", ("resolution", "status"), f"pending, but the data say {data.status}: {data.explanation}")


def check_duplicates(ctx: Context) -> Iterator[tuple[LoadedRecord, Finding]]:
    for kind, items in ctx.records.by_kind.items():
        first: dict[str, LoadedRecord] = {}
        for item in sorted(items, key=lambda r: r.relpath):
            if item.record.id in first:
                yield item, Finding("ID001", ("id",), f"id {item.record.id!r} is also used by {first[item.record.id].relpath}")
            else:
                first[item.record.id] = item
    quotes: dict[tuple, LoadedRecord] = {}
    sources: dict[str, LoadedRecord] = {}
    for item in sorted(ctx.records["claim"], key=lambda r: r.relpath):
        rec: Claim = item.record
        # One statement giving several horizons ("10% by 2030, 50% by 2050") is several claims;
        # the same quote with the same deadline is a duplicate.
        key = (rec.predictor_id, normalise_phrase(rec.quote), rec.deadline.date)
        if key in quotes:
            yield item, Finding("CLM011", ("quote",), f"the same quote by {rec.predictor_id!r} is in {quotes[key].relpath}")
        else:
            quotes[key] = item
        s = rec.source
        key = source_key(s)
        earlier = sources.setdefault(key, item)
        if earlier is not item:
            e = earlier.record.source
            differs = [n for n in ("title", "publisher", "kind", "format", "published_date") if getattr(s, n) != getattr(e, n)]
            if differs:
                yield item, Finding("SRC001", ("source", differs[0]), f"{key} is described differently in {earlier.relpath} ({', '.join(differs)})")


# --- running them ----------------------------------------------------------------------------


def run_rules(records: RecordSet, today: dt.date) -> list[Problem]:
    ctx = Context(today, records)
    found: list[tuple[LoadedRecord, Finding]] = []
    for kind, items in records.by_kind.items():
        for item in items:
            found.extend((item, f) for f in check_identity(item))
            found.extend((item, f) for f in _PER_KIND[kind](item.record, ctx))
    found.extend(check_references(ctx))
    found.extend(check_collections(ctx))
    found.extend(check_data_resolutions(ctx))
    found.extend(check_duplicates(ctx))
    return to_problems(found)


def to_problems(found: list[tuple[LoadedRecord, Finding]]) -> list[Problem]:
    indexes: dict[Path, PositionIndex] = {}
    problems = []
    for item, f in found:
        if item.path not in indexes:
            indexes[item.path] = PositionIndex(decode(item.path.read_bytes()))
        pos = indexes[item.path].find(f.loc)
        rule = RULES[f.code]
        problems.append(
            Problem(item.relpath, pos.line, pos.col, f.code, format_loc(f.loc), f.message, f.fix or rule.fix, rule.severity)
        )
    return problems
