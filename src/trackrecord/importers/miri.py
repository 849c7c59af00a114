"""Import the MIRI / FHI AI timeline predictions dataset (Armstrong & Sotala 2012, as amended by
AI Impacts) into claims.

Each row is a prediction of when human-level AI arrives. The importer writes one claim per row
with a point, median or range prediction, and one claim per stated quantile for rows that give
"10% / 50% / 90%" years. Quotes are the dataset's transcriptions; the dataset is the cited
(secondary) source, and every claim says so. Files the importer wrote carry a header line; a file
whose header a curator removed is theirs and is never overwritten.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from ..ingest import IngestError, retrieved_date
from .files import render, write_imported

SOURCE_NAME = "miri-ai-predictions"
CSV_NAME = "ai_predictions.csv"
UPSTREAM = "AABoyles/AIPredict@280bc135913d5f366c78fb117c6526e6d9a6d129:data-raw/ai_predictions.csv"
UPSTREAM_URL = "https://raw.githubusercontent.com/AABoyles/AIPredict/280bc135913d5f366c78fb117c6526e6d9a6d129/data-raw/ai_predictions.csv"
DATASET_URL = "http://aiimpacts.org/miri-ai-predictions-dataset/"
HEADER = "# Written by `trackrecord import {name}` from the MIRI/AI Impacts dataset; delete this line to take the file over by hand.\n"

# Evidence that human-level AI had not arrived by late 2023: the largest survey of AI researchers,
# run in October 2023, put only 10% on machines outperforming humans at every task by 2027.
HLMI_EVIDENCE = {
    "url": "https://arxiv.org/html/2401.02843v2",
    "title": "Thousands of AI Authors on the Future of AI (Grace et al., January 2024)",
}
EVIDENCE_COVERS_UNTIL = dt.date(2023, 10, 1)

# Rows curated from their primary sources instead (the Long Bet between Kapor and Kurzweil).
CURATED_ELSEWHERE = {("2002", "Kapor"), ("2002", "Kurzweil")}


@dataclass(frozen=True)
class Prediction:
    quantile: float | None  # stated probability of arrival by the year, if any
    year: int
    rule: str
    words: str


def slug(text: str) -> str:
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def predictor_for(row: dict) -> tuple[str, str, str]:
    """(id, name, description). Full names only where the row itself gives them."""
    match = re.search(r"Q&A with ([A-Z][\w.\-]+(?: [A-Z][\w.\-]+)+) on", row["Title"])
    if match:
        name = match.group(1)
        return slug(name), name, f"Interviewed by Alexander Kruel in '{row['Title']}' (MIRI/AI Impacts dataset)."
    if row["Title"] == "I, Rodney Brooks, Am a Robot":
        return "rodney-brooks", "Rodney Brooks", "Roboticist."
    surname = row["Author"].strip()
    return (
        f"{slug(surname)}-aiimpacts",
        surname,
        f"Named only as '{surname}' in the MIRI/AI Impacts AI predictions dataset (author of '{row['Title']}', "
        f"{row['PublicationYear']}); the full name has not been verified.",
    )


def predictions(row: dict) -> list[Prediction]:
    text = row["PointPrediction"].strip()
    pairs = re.findall(r"(\d{1,2})%\s*(?:chance)?\s*:?\s*(\d{4})", text)
    if len(pairs) >= 2:
        return [Prediction(int(p) / 100, int(y), "by_year_end", f"{p}%: {y}") for p, y in pairs]
    median = row["MedianPrediction"].strip()
    if not re.fullmatch(r"\d{4}", median):
        return []
    year = int(median)
    span = re.fullmatch(r"\s*(\d{4})\s*[-–]\s*(\d{4})\s*", text)
    if span:
        return [Prediction(None, int(span.group(2)), "range_upper", text)]
    return [Prediction(None, year, "by_year_end", text)]


def is_no_earlier_than(row: dict) -> bool:
    return row["PointPrediction"].strip().lower().startswith(("after", "not before", ">"))


def claim_for(row: dict, prediction: Prediction, predictor_id: str, today: dt.date, retrieved: dt.date) -> dict:
    made = dt.date(int(row["PublicationYear"]), 1, 1)
    deadline = dt.date(prediction.year, 12, 31)
    at_most = is_no_earlier_than(row)
    prefix = f"p{round(prediction.quantile * 100)}-" if prediction.quantile is not None else ""
    what = "no-human-level-ai-before" if at_most else "human-level-ai-by"
    claim_id = f"{made.isoformat()}-{predictor_id}-{prefix}{what}-{prediction.year}"
    quote = re.sub(r"\s+", " ", row["Quote"]).strip().strip("“”\"").strip()
    is_paraphrase = not quote
    if is_paraphrase:
        quote = f"{row['PointPrediction'].strip()} (the dataset's summary of the prediction)"
    claim: dict = {
        "id": claim_id,
        "predictor_id": predictor_id,
        "made_date": made,
        "made_date_precision": "year",
        "quote": quote,
        "is_paraphrase": is_paraphrase,
    }
    if is_paraphrase:
        claim["paraphrase_reason"] = "The dataset gives no quote for this row, only its summary of the predicted years."
    if at_most:
        statement = f"No AI system with roughly human-level general intelligence exists before {prediction.year + 1}."
    else:
        statement = f"An AI system with roughly human-level general intelligence exists by {deadline.isoformat()}."
    claim["statement"] = statement + (
        " 'Human-level' is the dataset's reading of the prediction (its column 'AI'); the quote may word it differently."
    )
    claim["source"] = {
        "url": DATASET_URL,
        "title": "MIRI AI Predictions Dataset",
        "publisher": "AI Impacts / MIRI / FHI",
        "kind": "secondary",
        "format": "other",
        "locator": f"row: author '{row['Author']}', {row['PublicationYear']}, '{row['Title']}' ({row['SourceType'] or 'type not given'})",
    }
    claim["deadline"] = {"date": deadline, "rule": prediction.rule, "words": prediction.words}
    if prediction.quantile is not None:
        claim["confidence"] = {
            "basis": "stated",
            "stated_prob": prediction.quantile,
            "note": "The predictor gave years for stated chances; this claim is the one for this chance.",
        }
    else:
        claim["confidence"] = {
            "basis": "editorial",
            "stated_prob": 0.5,
            "note": (
                "Median-year rule: a single predicted year (or the dataset's median of a range) is read as the "
                "predictor's median, i.e. a 50% chance by then."
            ),
        }
    claim["direction"] = "at_most" if at_most else "at_least"
    claim["topics"] = ["agi", "timelines"]
    claim["resolution"] = resolution_for(deadline, at_most, today)
    status = row["Status"].strip()
    claim["verification"] = [{
        "fields": ["quote", "made_date", "deadline", "source"],
        "url": UPSTREAM_URL,
        "checked_date": retrieved,
        "note": (
            "Imported mechanically from the dataset's CSV; the original publication was not read here. "
            f"Dataset status for this row: '{status or 'none given'}'."
        ),
    }]
    return claim


def resolution_for(deadline: dt.date, at_most: bool, today: dt.date) -> dict:
    if deadline >= today or deadline > EVIDENCE_COVERS_UNTIL:
        return {"status": "pending"}
    return {
        "status": "true" if at_most else "false",
        "resolved_date": deadline + dt.timedelta(days=1) if deadline < dt.date(2023, 1, 1) else EVIDENCE_COVERS_UNTIL,
        "note": (
            "No AI system was generally regarded as human-level by the deadline: in October 2023, 2,778 surveyed "
            "AI researchers put a 10% chance on unaided machines outperforming humans at every task by 2027."
        ),
        "evidence": [dict(HLMI_EVIDENCE)],
    }


def run_import(location: Path, root: Path, *, today: dt.date) -> list[Path]:
    path = location / CSV_NAME
    if not path.exists():
        raise IngestError(f"{path} not found; point --from at the miri-aiimpacts-ai-predictions snapshot folder")
    raw = path.read_bytes()
    rows = list(csv.DictReader(io.StringIO(raw.decode("cp1252"), newline="")))  # the export is Windows-1252
    retrieved = retrieved_date(location)
    files: dict[Path, str] = {}
    predictors: dict[str, dict] = {}
    for row in rows:
        if (row["PublicationYear"], row["Author"]) in CURATED_ELSEWHERE:
            continue
        found = predictions(row)
        if not found:
            continue
        predictor_id, name, description = predictor_for(row)
        predictors.setdefault(predictor_id, {
            "id": predictor_id, "name": name, "kind": "person", "description": description,
        })
        for prediction in found:
            claim = claim_for(row, prediction, predictor_id, today, retrieved)
            target = root / "claims" / row["PublicationYear"] / f"{claim['id']}.yaml"
            if target in files:
                raise IngestError(f"{CSV_NAME}: two rows give claim id {claim['id']}")
            files[target] = render(claim, "claim", HEADER.format(name=SOURCE_NAME))
    for predictor_id, predictor in predictors.items():
        target = root / "claims" / "predictors" / f"{predictor_id}.yaml"
        files[target] = render(predictor, "predictor", HEADER.format(name=SOURCE_NAME))
    return write_imported(files, HEADER.format(name=SOURCE_NAME))
