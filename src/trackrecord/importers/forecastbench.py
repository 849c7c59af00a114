"""Import the AI questions of ForecastBench's market question sets (Forecasting Research Institute)
into claims: one claim per question, the crowd's probability at the question's first freeze.

ForecastBench samples questions from forecasting platforms (Manifold, Metaculus, Polymarket, INFER)
every two weeks and records each question's crowd forecast at a freeze time, then the question's
outcome in later resolution sets. That makes a systematic set with stated probabilities: every
question whose title names AI, an AI company or an AI product (the rule below) is one item; the first
question set a question appears in gives its forecast (later appearances of the same question are the
same crowd a few weeks on, and would weigh one question many times). Outcomes come from the latest
resolution set that marks the question resolved; a question not yet resolved is pending.

The importer also writes the collection record, so the count of items and the reason for every item
left out are computed, not typed. Files it wrote carry a header line; a file whose header a curator
removed is theirs and is never overwritten.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from ..ingest import IngestError, retrieved_date
from .files import render, write_imported

SOURCE_NAME = "forecastbench-ai-questions"
COLLECTION_ID = "forecastbench-ai-market-questions"
REPOSITORY = "forecastingresearch/forecastbench-datasets"
HEADER = "# Written by `trackrecord import-claims {name}` from the ForecastBench datasets; delete this line to take the file over by hand.\n"
LICENCE = "CC BY-SA 4.0 (Forecasting Research Institute, ForecastBench datasets)"

# The inclusion rule, as a pattern on the question's title. It names AI, the companies that build
# frontier models and their products; "Z.ai" and "xAI" are matched by the first alternatives.
AI_TITLE = re.compile(
    r"\bAI\b|artificial intelligence|OpenAI|GPT|\bLLM|machine learning|Anthropic|DeepMind|Gemini|Claude|"
    r"Grok|xAI|Nvidia|superintelligen|\bAGI\b|chatbot",
    re.IGNORECASE,
)
INCLUSION_RULE = (
    "Every question from a forecasting platform (Manifold, Metaculus, Polymarket, INFER) in a ForecastBench "
    "question set held by the snapshot whose title matches, case-insensitively, one of: the word 'AI', "
    "'artificial intelligence', 'OpenAI', 'GPT', the word-start 'LLM', 'machine learning', 'Anthropic', "
    "'DeepMind', 'Gemini', 'Claude', 'Grok', 'xAI', 'Nvidia', 'superintelligen', the word 'AGI', 'chatbot'. "
    "One item per question, at the first question set it appears in."
)
# Questions the title rule admits that are not predictions about AI: bands of a share price.
SHARE_PRICE_BAND = re.compile(r"\bclose at \$[\d,.]+\s*[–-]\s*\$?[\d,.]+", re.IGNORECASE)


@dataclass(frozen=True)
class Platform:
    predictor_id: str
    name: str
    organisation: str
    forecast_is: str  # what the frozen value is, in the dataset's words


PLATFORMS = {
    "manifold": Platform("manifold-community", "Manifold market (crowd forecast)", "Manifold", "the market value"),
    "metaculus": Platform("metaculus-community", "Metaculus community forecast", "Metaculus", "the community prediction"),
    "polymarket": Platform("polymarket-market", "Polymarket market (market price)", "Polymarket", "the market price"),
    "infer": Platform("infer-community", "INFER crowd forecast", "INFER Public", "the crowd forecast"),
}

def _threshold(series_id: str, value: float, note: str) -> dict:
    return {"series_id": series_id, "comparator": ">=", "threshold_value": value, "note": note}


_FRONTIERMATH = "read as Epoch AI's own FrontierMath runs reaching {share}; the market may also have counted scores reported by the labs{tiers}."
_HORIZON_80 = (
    "A 3-hour time horizon at 80% reliability, read as METR's 80% horizon reaching 180 minutes; the series is "
    "METR's Time Horizon 1.0 and the question may resolve on a later METR suite."
)
# Questions whose outcome is a threshold on one of the curated series, so that the data and the trend
# baseline can be set beside the crowd (editorial: each note says how the question maps to the series).
OPERATIONALISATIONS: dict[tuple[str, str], dict] = {
    ("manifold", "Lc2SQtQQCg"): _threshold(
        "frontiermath-accuracy-fraction", 0.8, "An AI scoring over 80% on FrontierMath in 2025, " + _FRONTIERMATH.format(share="0.80", tiers="")),
    ("manifold", "dI5U6ps6IP"): _threshold(
        "frontiermath-accuracy-fraction", 0.85, "Over 85% on FrontierMath before 2028, " + _FRONTIERMATH.format(share="0.85", tiers=" or a subset of tiers")),
    ("manifold", "92gdnLROgN"): _threshold(
        "frontiermath-accuracy-fraction", 0.85, "Over 85% on FrontierMath before 2027, " + _FRONTIERMATH.format(share="0.85", tiers=" or a subset of tiers")),
    ("metaculus", "41140"): _threshold("metr-horizon-p80-minutes", 180.0, _HORIZON_80),
    ("manifold", "UdsLNSc2OE"): _threshold("metr-horizon-p80-minutes", 180.0, _HORIZON_80),
}

TOPIC_WORDS: tuple[tuple[str, str], ...] = (
    (r"\b(top|best|second best) AI model\b|#1|arena", "frontier-models"),
    (r"\bAGI\b|superintelligen|general intelligence", "agi"),
    (r"\bIPO\b|S-1|for-profit|purchase|acquir|valuation|revenue|subscription|stock|\bNVDA\b", "ai-business"),
    (r"law\b|legislat|regulat|export|court|licen[cs]e|\bban\b|FDA|govern|Congress|EU\b|executive order", "ai-policy"),
    (r"FrontierMath|Olympiad|\bIMO\b|Millennium Prize|math", "mathematics"),
    (r"time horizon|METR", "time-horizon"),
    (r"unemploy|jobs?\b|labor|labour|workers", "jobs"),
    (r"movie|film|anime|music|song|Billboard|entertainment|art\b|artistic|novel|book", "creativity"),
    (r"conscious|sentien|personhood|rights", "ai-consciousness"),
    (r"cyber|disaster|deaths|malfunction|blackmail|catastroph|attack|weapon", "ai-risk"),
    (r"cod(e|ing)\b|software|programm", "coding"),
    (r"robot|humanoid|self-driving|autonomous vehicle|robotaxi", "robotics"),
    (r"chip|GPU|H100|H200|Blackwell|datacenter|data center|compute", "compute"),
    (r"GPT-?\d|Claude \d|Gemini \d|Grok \d|release|launch|announce", "model-releases"),
)


@dataclass
class Question:
    platform: str
    question_id: str
    title: str
    url: str
    freeze: dt.datetime
    value_text: str
    close_date: dt.date | None
    set_file: str  # the question set it was first seen in

    @property
    def item(self) -> str:
        return f"{PLATFORMS[self.platform].organisation} question {self.question_id}"


@dataclass(frozen=True)
class Outcome:
    resolved_to: float
    resolution_date: dt.date
    set_file: str


def slug(text: str, words: int = 9) -> str:
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    parts = [p for p in re.split(r"[^a-z0-9]+", text) if p and p not in {"will", "the", "a", "an", "be", "of", "on", "by", "to"}]
    return "-".join(parts[:words]) or "question"


def file_url(commit: str, relpath: str) -> str:
    return f"https://github.com/{REPOSITORY}/blob/{commit}/{relpath}"


def _is_lfs_pointer(text: str) -> bool:
    return text.startswith("version https://git-lfs")


def _commit_of(location: Path) -> str:
    source_md = location / "SOURCE.md"
    match = re.search(rf"{re.escape(REPOSITORY)}@([0-9a-f]{{40}})", source_md.read_text(encoding="utf-8"))
    if not match:
        raise IngestError(f"{source_md}: no '{REPOSITORY}@<40-hex commit>' origin line; cannot cite the files read")
    return match.group(1)


def _sets(location: Path, folder: str) -> list[tuple[str, dict]]:
    """(relative path, parsed JSON) for every readable file of a folder, in date order."""
    found = []
    for path in sorted((location / "datasets" / folder).glob("*.json")):
        text = path.read_text(encoding="utf-8")
        if _is_lfs_pointer(text) or path.name.startswith("latest"):
            continue
        try:
            found.append((f"datasets/{folder}/{path.name}", json.loads(text)))
        except json.JSONDecodeError as err:
            raise IngestError(f"{path}: line {err.lineno}: not JSON ({err.msg})") from None
    return found


def _date(text: str | None) -> dt.date | None:
    if not text or text == "N/A":
        return None
    return dt.date.fromisoformat(text[:10])


def questions_in(location: Path) -> list[Question]:
    first: dict[tuple[str, str], Question] = {}
    for relpath, data in _sets(location, "question_sets"):
        for q in data.get("questions", []):
            platform = q.get("source")
            if platform not in PLATFORMS or not AI_TITLE.search(q.get("question") or ""):
                continue
            key = (platform, str(q["id"]))
            if key in first:
                continue  # sets are read in date order: the first appearance is kept
            first[key] = Question(
                platform=platform,
                question_id=str(q["id"]),
                title=re.sub(r"\s+", " ", q["question"]).strip(),
                url=q["url"],
                freeze=dt.datetime.fromisoformat(q["freeze_datetime"]),
                value_text=str(q["freeze_datetime_value"]),
                close_date=_date(q.get("market_info_close_datetime")),
                set_file=relpath,
            )
    return sorted(first.values(), key=lambda q: (q.freeze, q.platform, q.question_id))


def outcomes_in(location: Path) -> dict[tuple[str, str], Outcome]:
    """The outcome of every resolved market question, from the latest resolution set that has it."""
    found: dict[tuple[str, str], Outcome] = {}
    for relpath, data in _sets(location, "resolution_sets"):
        for r in data.get("resolutions", []):
            if r.get("source") in PLATFORMS and r.get("resolved"):
                found[(r["source"], str(r["id"]))] = Outcome(float(r["resolved_to"]), dt.date.fromisoformat(r["resolution_date"]), relpath)
    return found


def topics_for(title: str) -> list[str]:
    topics = [topic for pattern, topic in TOPIC_WORDS if re.search(pattern, title, re.IGNORECASE)]
    return list(dict.fromkeys(topics)) or ["ai-general"]


def probability(value_text: str) -> float:
    """The frozen value to four decimals (the platforms' own granularity is coarser), with more
    decimals only where four would make it 0 or 1; the dataset's exact text stays in the note."""
    value = float(value_text)
    digits = 4
    while round(value, digits) in (0.0, 1.0) and digits < 12:
        digits += 1
    return round(value, digits)


def left_out_reason(q: Question) -> str | None:
    if SHARE_PRICE_BAND.search(q.title):
        return "a band of a share price at a date, not a prediction about AI"
    try:
        value = float(q.value_text)
    except ValueError:
        return f"the frozen value '{q.value_text}' is not a probability"
    if not 0 < value < 1:
        return f"the frozen forecast is {value:g}; a probability of exactly 0 or 1 cannot be scored"
    if q.close_date is None:
        return "the question set gives no close date, so the claim has no deadline"
    return None


def claim_for(q: Question, outcome: Outcome | None, commit: str, retrieved: dt.date, claim_id: str) -> dict:
    platform = PLATFORMS[q.platform]
    made = q.freeze.date()
    prob = probability(q.value_text)
    deadline = deadline_for(q, outcome)
    read_at = file_url(commit, q.set_file)
    claim: dict = {
        "id": claim_id,
        "predictor_id": platform.predictor_id,
        "made_date": made,
        "made_date_precision": "day",
        "quote": q.title,
        "is_paraphrase": False,
        "statement": f"The {platform.organisation} question “{q.title}” resolves Yes.",
        "source": {
            "url": q.url,
            "read_at": read_at,
            "copy_reason": (
                f"The platform's page shows today's forecast, not the one on {made.isoformat()}; ForecastBench "
                f"recorded {platform.forecast_is} at the freeze time in its question set."
            ),
            "title": q.title,
            "publisher": platform.organisation,
            "kind": "primary",
            "format": "other",
            "locator": f"question set {q.set_file.rsplit('/', 1)[-1]}, {q.platform} question id {q.question_id}",
        },
        "deadline": {
            "date": deadline,
            "rule": "explicit_date",
            "words": f"market close {q.close_date.isoformat()}" if q.close_date else "not given",
            "note": deadline_note(q, outcome, deadline),
        },
        "confidence": {
            "basis": "stated",
            "stated_prob": prob,
            "note": (
                f"{platform.forecast_is.capitalize()} on {platform.organisation} at the freeze time "
                f"{q.freeze.isoformat()}, as recorded by ForecastBench (value in the question set: {q.value_text})."
            ),
        },
        "direction": "at_least",
        "topics": topics_for(q.title),
        **({"operationalisation": dict(OPERATIONALISATIONS[key])} if (key := (q.platform, q.question_id)) in OPERATIONALISATIONS else {}),
        "collections": [{"collection_id": COLLECTION_ID, "item": q.item}],
        "resolution": resolution_for(q, outcome, commit),
        "verification": [{
            "fields": ["quote", "made_date", "confidence", "deadline", "source"],
            "url": read_at,
            "checked_date": retrieved,
            "note": (
                "Imported mechanically from the ForecastBench question set (licence: "
                f"{LICENCE}); the platform's own page was not read here."
            ),
        }],
    }
    return claim


def deadline_for(q: Question, outcome: Outcome | None) -> dt.date:
    """The question's close date; a question the platform resolved No earlier ended then (a question's
    window can be shorter than its market's, e.g. one close date for a group of 'by <date>' markets)."""
    made = q.freeze.date()
    deadline = max(q.close_date, made) if q.close_date else made
    if outcome is not None and outcome.resolved_to == 0.0 and made <= outcome.resolution_date < deadline:
        return outcome.resolution_date
    return deadline


def deadline_note(q: Question, outcome: Outcome | None, deadline: dt.date) -> str:
    words = (
        "The question's close date as the question set gives it; the question's own wording says when the event "
        "must happen, and its outcome is the platform's resolution."
    )
    if q.close_date is not None and deadline < q.close_date:
        words += (
            f" The platform resolved the question No on {deadline.isoformat()}, before the close date "
            f"{q.close_date.isoformat()}: its window ended then, so that day is the deadline."
        )
    return words


def resolution_for(q: Question, outcome: Outcome | None, commit: str) -> dict:
    if outcome is None:
        return {"status": "pending"}
    evidence = [{"url": file_url(commit, outcome.set_file), "title": f"ForecastBench resolution set {outcome.set_file.rsplit('/', 1)[-1]}"}]
    if outcome.resolved_to not in (0.0, 1.0):
        return {
            "status": "ambiguous",
            "resolved_date": outcome.resolution_date,
            "note": f"ForecastBench records the question as resolved to {outcome.resolved_to:g}, neither Yes nor No.",
            "evidence": evidence,
        }
    answer = "Yes" if outcome.resolved_to == 1.0 else "No"
    return {
        "status": "true" if outcome.resolved_to == 1.0 else "false",
        "resolved_date": outcome.resolution_date,
        "note": (
            f"ForecastBench's resolution set records the {PLATFORMS[q.platform].organisation} question as resolved "
            f"{answer} on {outcome.resolution_date.isoformat()} (the platform's own resolution)."
        ),
        "evidence": evidence,
    }


def predictor_for(platform: Platform, commit: str, first_file: str, first_made: dt.date, retrieved: dt.date) -> dict:
    url = file_url(commit, first_file)
    return {
        "id": platform.predictor_id,
        "name": platform.name,
        "kind": "survey",
        "description": (
            f"The aggregate forecast of the users of {platform.organisation}, taken together ({platform.forecast_is}, "
            "as ForecastBench records it)."
        ),
        "affiliations": [{
            "organisation": platform.organisation,
            "title": "Crowd of forecasters on the platform, taken together",
            "role_class": "professional_forecaster",
            "attested_date": first_made,
            "source_url": url,
        }],
        "verification": [{
            "fields": ["description", "affiliations"],
            "url": url,
            "checked_date": retrieved,
            "note": (
                "The question set describes the value as 'the aggregate of predictions submitted by users on the "
                f"website {platform.organisation}'. Role class professional_forecaster = forecasting platform."
            ),
        }],
    }


def collection_for(questions: list[Question], left_out: list[tuple[Question, str]], commit: str, retrieved: dt.date,
                   absent: list[str]) -> dict:
    return {
        "id": COLLECTION_ID,
        "name": "ForecastBench (Forecasting Research Institute): AI questions from forecasting platforms",
        "kind": "systematic",
        "description": (
            "ForecastBench samples questions from Manifold, Metaculus, Polymarket and INFER every two weeks and "
            "records each one's crowd forecast at a freeze time and, later, its outcome. This collection is every "
            "question about AI in the question sets the snapshot holds, each with the crowd's probability at its "
            "first freeze. Question sets the snapshot does not hold (Git LFS objects): "
            + (", ".join(absent) if absent else "none") + f". Licence: {LICENCE}."
        ),
        "inclusion_rule": INCLUSION_RULE,
        "selected_by": (
            "ForecastBench's maintainers sampled the questions from the platforms; the rule on titles is Track "
            "Record's, applied by `trackrecord import-claims forecastbench-ai-questions`."
        ),
        "source": {
            "url": f"https://github.com/{REPOSITORY}/tree/{commit}/datasets/question_sets",
            "title": "ForecastBench datasets: question sets",
            "publisher": "Forecasting Research Institute",
        },
        "item_unit": "platform question (first appearance)",
        "items_in_source": len(questions),
        "left_out": [{"item": q.item, "reason": reason} for q, reason in left_out],
        "verification": [{
            "fields": ["items_in_source", "left_out"],
            "url": f"https://github.com/{REPOSITORY}/tree/{commit}/datasets",
            "checked_date": retrieved,
            "note": "Counted by the importer from every readable question set and resolution set of the snapshot.",
        }],
    }


def run_import(location: Path, root: Path, *, today: dt.date) -> list[Path]:
    if not (location / "datasets" / "question_sets").is_dir():
        raise IngestError(f"{location}: no datasets/question_sets folder; point --from at the forecastbench-datasets snapshot folder")
    commit = _commit_of(location)
    retrieved = retrieved_date(location)
    absent = sorted(
        p.name for p in (location / "datasets" / "question_sets").glob("*.json")
        if _is_lfs_pointer(p.read_text(encoding="utf-8")[:40])
    )
    absent += _absent_named_in_source_md(location)
    questions = questions_in(location)
    outcomes = outcomes_in(location)
    files: dict[Path, str] = {}
    left_out: list[tuple[Question, str]] = []
    used_ids: set[str] = set()
    first_seen: dict[str, tuple[str, dt.date]] = {}
    for q in questions:
        reason = left_out_reason(q)
        if reason:
            left_out.append((q, reason))
            continue
        outcome = outcomes.get((q.platform, q.question_id))
        if outcome and outcome.resolution_date > today:
            outcome = None
        platform = PLATFORMS[q.platform]
        made = q.freeze.date()
        claim_id = f"{made.isoformat()}-{platform.predictor_id}-{slug(q.title)}"
        if claim_id in used_ids:
            claim_id = f"{claim_id}-{slug(q.question_id, 1)[:8]}"
        used_ids.add(claim_id)
        first_seen.setdefault(q.platform, (q.set_file, made))
        target = root / "claims" / str(made.year) / f"{claim_id}.yaml"
        files[target] = render(claim_for(q, outcome, commit, retrieved, claim_id), "claim", HEADER.format(name=SOURCE_NAME))
    for name, (first_file, first_made) in first_seen.items():
        platform = PLATFORMS[name]
        target = root / "claims" / "predictors" / f"{platform.predictor_id}.yaml"
        files[target] = render(predictor_for(platform, commit, first_file, first_made, retrieved), "predictor", HEADER.format(name=SOURCE_NAME))
    target = root / "data" / "reference" / "collections" / f"{COLLECTION_ID}.yaml"
    files[target] = render(collection_for(questions, left_out, commit, retrieved, absent), "collection", HEADER.format(name=SOURCE_NAME))
    return write_imported(files, HEADER.format(name=SOURCE_NAME))


def _absent_named_in_source_md(location: Path) -> list[str]:
    """The question sets the snapshot could not hold, from SOURCE.md's 'Absent question sets:' line."""
    text = (location / "SOURCE.md").read_text(encoding="utf-8")
    match = re.search(r"^- Absent question sets:(.*)$", text, re.MULTILINE)
    return [name.strip() for name in match.group(1).split(",") if name.strip()] if match else []
