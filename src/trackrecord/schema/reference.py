"""Reference tables: the versioned verbal-probability scale (data/reference/)."""

from __future__ import annotations

from pydantic import Field

from .common import Flag, HttpUrl, Id, IsoDate, Probability, Record, Text


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
