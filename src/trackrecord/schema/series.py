"""Metric series: a capability or input metric over time, with its origin and its points."""

from __future__ import annotations

from pydantic import Field

from .common import DatePrecision, DocumentedEnum, HttpUrl, Id, IsoDate, Number, Record, Tag, Text


class Scale(DocumentedEnum):
    LOG = "log", "positive and growing multiplicatively; modelled on the log scale (compute, horizons, prices)"
    BOUNDED = "bounded", "between a floor (chance) and a ceiling (accuracy on a benchmark)"
    LINEAR = "linear", "neither; modelled as is"


class Better(DocumentedEnum):
    HIGHER = "higher", "higher values are better (the frontier is the running maximum)"
    LOWER = "lower", "lower values are better (the frontier is the running minimum, e.g. prices)"


class PointsCover(DocumentedEnum):
    ALL = "all", "points for all systems measured; the frontier is computed at build time"
    FRONTIER = "frontier", "the upstream lists only state-of-the-art systems"


class Origin(Record):
    """Provenance of an upstream dataset (after OWID's origin block)."""

    producer: Text = Field(description="Who produced the data, e.g. 'Epoch AI', 'METR'.")
    citation: Text = Field(description="How the producer asks to be cited.")
    url: HttpUrl = Field(description="The producer's page for the dataset.")
    url_download: HttpUrl | None = Field(None, description="The file that was downloaded, if different from url.")
    licence: Text = Field(description="Licence of the data as stated by the producer, e.g. 'CC BY 4.0'.")
    retrieved_date: IsoDate = Field(description="When the upstream file was retrieved.")
    upstream_path: Text | None = Field(None, description="Repository, commit and path of the upstream file, if it came from one.")
    checksum_sha256: Text | None = Field(None, pattern=r"^[0-9a-f]{64}$", description="SHA-256 of the upstream file as read.")
    note: Text | None = Field(None, description="Caveats about the upstream data.")


class Dispute(Record):
    """Why a point is disputed: a submission found to have cheated or trained on the test set, a
    score its producer withdrew. A disputed point is kept and shown, but left out of the frontier,
    the fits and the data resolution of claims."""

    reason: Text = Field(description="What is disputed, in a neutral sentence.")
    source_url: HttpUrl = Field(description="The page that says so (the producer's notice, the report of the problem), as read.")
    source_title: Text = Field(description="Title of that page.")
    checked_date: IsoDate = Field(description="When the page was read.")


class Point(Record):
    date: IsoDate = Field(description="Release or measurement date of the system.")
    date_precision: DatePrecision = Field(DatePrecision.DAY, description="How precisely date is known.")
    value: Number = Field(description="The measured value, in the series' unit.")
    lower: Number | None = Field(None, description="Lower end of the value's interval, if the upstream gives one.")
    upper: Number | None = Field(None, description="Upper end of the value's interval, if the upstream gives one.")
    system: Text = Field(description="The system measured, as the upstream names it.")
    paradigm_id: Id | None = Field(None, description="The paradigm of this point, when it differs from the series'.")
    tags: list[Tag] = Field(default_factory=list, description="Kebab-case tags, e.g. reasoning-model.")
    source_url: HttpUrl | None = Field(None, description="A page for this particular value, if there is one.")
    note: Text | None = Field(None, description="Anything unusual about this point.")
    disputed: Dispute | None = Field(None, description="Set by a curator when the value is disputed, with the source that says so; `trackrecord ingest` keeps it when it rewrites the series.")


class MetricSeries(Record):
    id: Id = Field(description="Stable id, with the unit in it, e.g. 'metr-horizon-p50-minutes'; the file name.")
    name: Text = Field(description="Human-readable name.")
    description: Text = Field(description="What exactly is measured, and how.")
    unit: Text = Field(description="Unit of value, e.g. 'minutes', 'FLOP', 'fraction correct', 'USD per million tokens'.")
    scale: Scale = Field(description=f"{Scale.describe()}.")
    floor: Number | None = Field(None, description="For bounded series: the chance level.")
    ceiling: Number | None = Field(None, description="For bounded series: the largest possible value (e.g. 1).")
    better: Better = Field(Better.HIGHER, description=f"{Better.describe()}.")
    points_cover: PointsCover = Field(description=f"{PointsCover.describe()}.")
    paradigm_id: Id = Field(description="The paradigm the series belongs to (models/<id>.yaml).")
    origin: Origin = Field(description="Where the data come from, under which licence.")
    points: list[Point] = Field(min_length=1, description="The observations.")
