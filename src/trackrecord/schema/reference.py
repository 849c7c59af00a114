"""Reference tables (data/reference/): the versioned verbal-probability scale, the publishers
registry, and the systematic collections claims belong to."""

from __future__ import annotations

from pydantic import Field

from .common import DocumentedEnum, Flag, HttpUrl, Id, IsoDate, LongText, Probability, Record, Text, Verification


class ScaleSource(Record):
    id: Id = Field(description="Short id used by phrases' source_ids, e.g. 'icd-203'.")
    title: Text = Field(description="Title of the source.")
    url: HttpUrl | None = Field(None, description="Where it can be read.")
    note: Text | None = Field(None, description="What was taken from it, and whether it was re-checked.")


class VerbalPhrase(Record):
    phrase: Text = Field(description="The phrase, lowercase, as matched against claims' confidence.phrase.")
    aliases: list[Text] = Field(default_factory=list, description="Other phrasings with the same reading.")
    is_scorable: Flag = Field(description="False for hedges too vague to score ('could', 'may').")
    low_prob: Probability | None = Field(None, description="Low variant, for sensitivity analysis.")
    default_prob: Probability | None = Field(None, description="The value used by default.")
    high_prob: Probability | None = Field(None, description="High variant, for sensitivity analysis.")
    source_ids: list[Id] = Field(default_factory=list, description="Sources the numbers are taken from.")
    provenance: Text | None = Field(None, description="What the sources say for this phrase, and how the numbers follow.")


class VerbalScale(Record):
    id: Id = Field(description="'verbal-probability-scale'; the file name.")
    version: Text = Field(description="Version of the scale; bump it whenever a number changes.")
    version_date: IsoDate = Field(description="Date of this version.")
    description: Text = Field(description="What the scale is for and how it was built.")
    sources: list[ScaleSource] = Field(min_length=1, description="The sources of the numbers.")
    phrases: list[VerbalPhrase] = Field(min_length=1, description="Phrases and their probabilities.")


class PublisherKind(DocumentedEnum):
    """What a web host is to the words it carries. Order = from the speaker's own words outwards."""

    OWN_SITE = "own_site", "the speaker's or the organisation's own site (their blog, the lab's pages)"
    ORIGINAL_PUBLISHER = "original_publisher", "a publisher of original reporting or papers (newspaper, wire service, journal, preprint server)"
    PLATFORM = "platform", "a platform where people publish their own words (a social network, video or podcast host, a blogging service, a forum)"
    AGGREGATOR = "aggregator", "republishes or summarises others' reporting (syndication, scraper, news aggregator, summary site)"
    MIRROR = "mirror", "a copy of another site's pages (proxy, reader view, alternative front end)"
    ARCHIVE = "archive", "a web archive holding dated snapshots (Wayback Machine, archive.today)"


COPY_KINDS = frozenset({"aggregator", "mirror"})


class Publisher(Record):
    domain: Text = Field(description="The host, lowercase, without 'www.' and without a trailing dot; it also covers its subdomains unless one is listed itself.")
    name: Text = Field(description="The publisher's name as it presents itself.")
    kind: PublisherKind = Field(description=f"{PublisherKind.describe()}.")
    note: Text | None = Field(None, description="Why this kind, where it is not obvious (e.g. which original a mirror copies).")


class PublisherRegistry(Record):
    id: Id = Field(description="'publishers'; the file name.")
    version: Text = Field(description="Version of the registry; bump it whenever an entry's kind changes.")
    version_date: IsoDate = Field(description="Date of this version.")
    description: Text = Field(description="What the registry is for and how entries were classified.")
    publishers: list[Publisher] = Field(min_length=1, description="One entry per domain.")


class CollectionKind(DocumentedEnum):
    SYSTEMATIC = "systematic", "every item a stated rule admits from a stated source (a tournament's questions, a survey's items, a dated list)"
    CURATED = "curated", "items chosen by the editors; the rule says how"


class CollectionSource(Record):
    url: HttpUrl = Field(description="The page or paper that lists the collection's items (one that was read).")
    title: Text = Field(description="Its title.")
    publisher: Text | None = Field(None, description="Who published it.")
    published_date: IsoDate | None = Field(None, description="When it was published, if known.")


class LeftOutItem(Record):
    item: Text = Field(description="The item of the source that has no claim, named as in the source.")
    reason: Text = Field(description="Why it was not recorded (not yet resolvable, unreadable, no threshold, ...).")


class Collection(Record):
    """A set of claims selected by a rule, with its completeness counted rather than asserted."""

    id: Id = Field(description="Stable id; the file name (data/reference/collections/<id>.yaml).")
    name: Text = Field(description="Name of the collection.")
    kind: CollectionKind = Field(description=f"{CollectionKind.describe()}.")
    description: LongText = Field(description="What the collection is: the source, who made the predictions, when.")
    inclusion_rule: LongText = Field(description="The rule that says which items of the source belong to the collection.")
    selected_by: Text = Field(description="Who chose the items: the source's authors, the editors, or both (say which did what).")
    source: CollectionSource | None = Field(None, description="The page or paper that lists the items; none when the editors gathered them from many sources (the inclusion rule then says how they were searched).")
    item_unit: Text = Field(description="What one item is, e.g. 'question × group × percentile'.")
    items_in_source: int = Field(ge=0, le=100000, description="How many items the rule admits from the source; must equal the member claims plus left_out.")
    left_out: list[LeftOutItem] = Field(default_factory=list, description="Every admitted item without a claim, with the reason.")
    verification: list[Verification] = Field(default_factory=list, description="What was checked against which source, when.")
