"""Claim: one prediction about AI, with its source, deadline, confidence and resolution."""

from __future__ import annotations

from pydantic import Field

from .common import (
    DatePrecision,
    DocumentedEnum,
    Flag,
    HttpUrl,
    Id,
    IsoDate,
    Link,
    LongText,
    Number,
    Probability,
    Record,
    Tag,
    Text,
    Verification,
)


class SourceKind(DocumentedEnum):
    PRIMARY = "primary", "the predictor's own words: their essay, post, paper, book, talk, video or interview"
    SECONDARY = "secondary", "someone else's report of what the predictor said"


class SourceFormat(DocumentedEnum):
    ESSAY = "essay", "essay or blog post by the predictor"
    POST = "post", "short social-media post"
    PAPER = "paper", "scientific paper or preprint"
    BOOK = "book", "book or book chapter"
    TALK = "talk", "talk, lecture or keynote (recording or transcript)"
    VIDEO = "video", "video other than a talk"
    INTERVIEW = "interview", "interview in print or broadcast"
    PODCAST = "podcast", "podcast episode"
    ARTICLE = "article", "news or magazine article"
    REPORT = "report", "report by an organisation"
    SURVEY = "survey", "survey results"
    OTHER = "other", "anything else"


class Source(Record):
    """The original source of the quote, and the copy it was read at when the original could not be read.

    Several claims may cite one source; they must describe it alike. `title`, `publisher` and
    `published_date` always describe the original, even when only a copy was read.
    """

    url: HttpUrl | None = Field(None, description="Address of the original (the speaker's own words, or the original publisher's article), written only if it was seen. Required unless read_at is given.")
    read_at: HttpUrl | None = Field(None, description="The copy (syndication, mirror, aggregator) where the quote was actually read, when the original could not be read; give copy_reason with it.")
    copy_reason: Text | None = Field(None, description="Why the original itself could not be read (paywalled, gone, not found); required with read_at.")
    title: Text = Field(description="Title of the original.")
    publisher: Text | None = Field(None, description="Who published the original (the person's own site, the outlet, journal, channel), not the site of a copy.")
    kind: SourceKind = Field(description=f"{SourceKind.describe()}.")
    format: SourceFormat = Field(description=f"Medium of the source. {SourceFormat.describe()}.")
    published_date: IsoDate | None = Field(None, description="Publication date of the source, if known.")
    archive_url: HttpUrl | None = Field(None, description="An archived copy of the original (Wayback Machine, archive.today), only one that was seen.")
    locator: Text | None = Field(None, description="Where in the source: page, section or timestamp.")


class DeadlineRule(DocumentedEnum):
    """How a deadline date is derived from the words. The methods page lists these rules."""

    EXPLICIT_DATE = "explicit_date", "a calendar date was stated; the deadline is that date"
    BY_YEAR_END = "by_year_end", "'by 2027', 'in 2027': the deadline is 31 December of that year"
    WITHIN_YEARS = "within_years", "'within N years', 'in N years': made_date plus N years (state N in deadline.years)"
    WITHIN_DAYS = "within_days", "'in N days', 'a few thousand days': made_date plus N days (state the reading of N in the note)"
    END_OF_NEXT_YEAR = "end_of_next_year", "'by the end of next year', 'next year': 31 December of the year after made_date"
    RANGE_UPPER = "range_upper", "a range ('2025 to 2030', 'three to eight years'): the upper end"
    LIFETIME = "lifetime", "'in my lifetime': the predictor's statistical life expectancy at made_date (state the source in the note)"
    EDITORIAL = "editorial", "no horizon in the words; chosen by the editors (say why in the note)"


class Deadline(Record):
    date: IsoDate = Field(description="The date by which the claim must have come true.")
    rule: DeadlineRule = Field(description=f"How the date was derived. {DeadlineRule.describe()}.")
    words: Text | None = Field(None, description="The words of the source the deadline was derived from, e.g. 'within five years'.")
    years: Number | None = Field(None, ge=0, le=1000, description="N, for rule within_years.")
    note: Text | None = Field(None, description="How the rule was applied when it is not obvious.")


class ConfidenceBasis(DocumentedEnum):
    STATED = "stated", "the predictor stated a probability; it is in stated_prob"
    VERBAL = "verbal", "a phrase ('likely', 'almost certainly', a bare 'will'), mapped through the verbal-probability scale"
    EDITORIAL = "editorial", "neither; the editors set stated_prob and say why in the note"
    UNSCORABLE = "unscorable", "a hedge too vague to score ('could', 'may', 'possible'); recorded, never scored"


class Confidence(Record):
    basis: ConfidenceBasis = Field(description=f"Where the probability comes from. {ConfidenceBasis.describe()}.")
    stated_prob: Probability | None = Field(None, description="Probability in (0, 1), for bases stated and editorial. Never 0 or 1.")
    phrase: Text | None = Field(None, description="The hedge as said ('likely', 'will'), for bases verbal and unscorable; must be in the verbal-probability scale.")
    note: Text | None = Field(None, description="Why this basis and value, especially for editorial.")


class Direction(DocumentedEnum):
    AT_LEAST = "at_least", "AI progress will be at least this fast (it happens by the deadline)"
    AT_MOST = "at_most", "AI progress will be no faster than this (it does not happen by the deadline)"


class Comparator(DocumentedEnum):
    GE = ">=", "the metric reaches or exceeds the threshold"
    LE = "<=", "the metric falls to or below the threshold"


class Operationalisation(Record):
    """A threshold on a metric series; such a claim is resolved from the data."""

    series_id: Id = Field(description="The metric series (data/series/<id>.yaml).")
    comparator: Comparator = Field(description=f"{Comparator.describe()}.")
    threshold_value: Number = Field(description="The threshold, in the series' unit.")
    note: Text | None = Field(None, description="Why this series and threshold capture the claim.")


class ResolutionStatus(DocumentedEnum):
    PENDING = "pending", "not yet resolved"
    TRUE = "true", "came true by the deadline (for at_most claims: the thing did not happen by then)"
    FALSE = "false", "did not come true by the deadline"
    PARTLY = "partly", "came partly true; the note says which part"
    AMBIGUOUS = "ambiguous", "cannot be resolved either way; excluded from scores"
    RETRACTED = "retracted", "withdrawn by the predictor before the deadline; excluded from scores"


class Resolution(Record):
    status: ResolutionStatus = Field(ResolutionStatus.PENDING, description=f"{ResolutionStatus.describe()}.")
    resolved_date: IsoDate | None = Field(None, description="When the outcome became known; required unless pending.")
    came_true_date: IsoDate | None = Field(None, description="For a claim that failed its deadline but happened later: when it happened.")
    note: Text | None = Field(None, description="A short, neutral account of the outcome; required unless pending.")
    evidence: list[Link] = Field(default_factory=list, description="Sources that show the outcome; at least one unless pending.")


class CollectionMembership(Record):
    """Membership of a systematic collection (data/reference/collections/<id>.yaml)."""

    collection_id: Id = Field(description="The collection (data/reference/collections/<id>.yaml).")
    item: Text = Field(description="Which item of the collection's source this claim records, e.g. 'MATH 2024, superforecasters, 5th percentile'; unique within the collection.")


class Claim(Record):
    id: Id = Field(description="Stable id: '<made_date>-<predictor_id>-<slug>'; the file name. Never reused.")
    predictor_id: Id = Field(description="Who made the claim (claims/predictors/<id>.yaml).")
    co_predictor_ids: list[Id] = Field(default_factory=list, description="Co-signers, each with a predictor record.")
    made_date: IsoDate = Field(description="When the claim was made (first of the month or year if less is known).")
    made_date_precision: DatePrecision = Field(DatePrecision.DAY, description="How precisely made_date is known.")
    quote: LongText = Field(description="The words exactly as they appear in the source; a paraphrase only with is_paraphrase.")
    is_paraphrase: Flag = Field(False, description="True when the quote is a paraphrase because the words could not be read.")
    paraphrase_reason: Text | None = Field(None, description="Why the words could not be quoted; required with is_paraphrase.")
    statement: LongText = Field(description="The claim restated so that two independent readers would resolve it the same way.")
    source: Source = Field(description="Where the quote was read.")
    deadline: Deadline = Field(description="By when the claim must come true, and how that date was derived.")
    confidence: Confidence = Field(description="How sure the predictor said they were.")
    direction: Direction = Field(description=f"{Direction.describe()}.")
    topics: list[Tag] = Field(default_factory=list, description="Lowercase kebab-case topic tags, e.g. agi, self-driving, coding.")
    paradigm_id: Id | None = Field(None, description="The paradigm the claim is about, if any (models/<id>.yaml).")
    operationalisation: Operationalisation | None = Field(None, description="A metric threshold that resolves the claim from data.")
    collections: list[CollectionMembership] = Field(default_factory=list, description="The systematic collections this claim belongs to, with its item in each.")
    restates_claim_id: Id | None = Field(None, description="An earlier claim by the same predictor that this one restates or revises.")
    retracts_claim_id: Id | None = Field(None, description="An earlier claim by the same predictor that this one withdraws.")
    resolution: Resolution = Field(default_factory=Resolution, description="The outcome, with evidence.")
    verification: list[Verification] = Field(default_factory=list, description="Which fields were checked against which source, when.")


