"""Predictor: a person, organisation, survey or group whose predictions are recorded."""

from __future__ import annotations

from pydantic import Field

from .common import DatePrecision, DocumentedEnum, HttpUrl, Id, IsoDate, Link, Record, Text, Verification


class PredictorKind(DocumentedEnum):
    PERSON = "person", "one named person"
    ORGANISATION = "organisation", "a company, lab, agency or other institution speaking as such"
    SURVEY = "survey", "an aggregate of many respondents, e.g. an expert survey's median"
    GROUP = "group", "a named group of people writing together, e.g. the authors of a scenario"


class RoleClass(DocumentedEnum):
    """What someone was, professionally, when they spoke. Order = precedence when several apply.

    Insider roles come first because "were insiders better calibrated?" is the first question;
    critic comes next, so a professor or founder who is on record as a public critic of AI claims
    on that day is counted with the critics, which is the second question.
    """

    LAB_EXECUTIVE = "lab_executive", "leads or co-founded a company that builds AI systems (OpenAI, Google DeepMind, Tesla Autopilot, ...)"
    LAB_RESEARCHER = "lab_researcher", "employed as a researcher or engineer at such a company"
    CRITIC = "critic", "whose public role is criticism of AI claims or hype"
    INDUSTRY_EXECUTIVE = "industry_executive", "executive of a technology company that sells or deploys AI but does not build frontier systems"
    INVESTOR = "investor", "invests in AI companies professionally"
    ACADEMIC = "academic", "university or research-institute scientist not employed by an AI company"
    PROFESSIONAL_FORECASTER = "professional_forecaster", "forecaster by trade or forecasting platform"
    JOURNALIST = "journalist", "reporter, editor or commentator"
    GOVERNMENT = "government", "official or politician"
    SURVEY = "survey", "respondents to a survey, taken together"
    AUTHOR = "author", "writer of fiction or popular non-fiction"
    OTHER = "other", "none of the above (say which in the affiliation title)"


# "Industry insider" is computed from the role held on the day a claim was made, never asserted.
INSIDER_ROLE_CLASSES = frozenset({RoleClass.LAB_EXECUTIVE, RoleClass.LAB_RESEARCHER})


class Affiliation(Record):
    organisation: Text = Field(description="Organisation, as it was named at the time.")
    title: Text | None = Field(None, description="Job title as stated by the source, e.g. 'Chief executive officer'.")
    role_class: RoleClass = Field(description=f"Class of the role. {RoleClass.describe()}.")
    start_date: IsoDate | None = Field(None, description="First day of the role (first day of the month or year if less is known); empty if no source gives it, and then attested_date is required.")
    start_date_precision: DatePrecision = Field(DatePrecision.DAY, description="How precisely start_date is known.")
    attested_date: IsoDate | None = Field(None, description="A day on which a source shows the role held, when its start is not known; the role then counts from this day only.")
    end_date: IsoDate | None = Field(None, description="Last day of the role; empty while it is held.")
    end_date_precision: DatePrecision | None = Field(None, description="How precisely end_date is known; the role is taken to last to the end of that month or year.")
    source_url: HttpUrl | None = Field(None, description="Where the role and its dates were read.")


class Predictor(Record):
    id: Id = Field(description="Stable id, lowercase kebab-case of the name; the file name. Never reused.")
    name: Text = Field(description="Name as commonly written.")
    kind: PredictorKind = Field(description=f"What the predictor is. {PredictorKind.describe()}.")
    description: Text | None = Field(None, description="One neutral sentence saying who this is.")
    links: list[Link] = Field(default_factory=list, description="The predictor's own site, profile or encyclopedia page.")
    affiliations: list[Affiliation] = Field(
        default_factory=list,
        description="Roles over time; a claim's role class and insider flag are computed from the role held on its date.",
    )
    verification: list[Verification] = Field(default_factory=list, description="Which fields were checked against which source, when.")
