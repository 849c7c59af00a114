"""Every rule `trackrecord check` applies, with its code, what it means and how to fix it.

Codes are stable: a code is never reused for another rule. The contributor docs and the
`trackrecord rules` command are generated from this table.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..errors import Severity


@dataclass(frozen=True)
class Rule:
    code: str
    name: str  # kebab-case, used in the bad-record corpus' file names
    fix: str  # default advice; a problem may give more specific advice
    severity: Severity = Severity.ERROR


_RULES = [
    # Reading the file
    Rule("YAML001", "malformed-yaml", "fix the YAML syntax here; an unclosed quote or bracket, or a missing colon, is the usual cause"),
    Rule("YAML002", "tab-indent", "indent with spaces; YAML does not allow tabs"),
    Rule("YAML003", "duplicate-key", "keep only one of the keys with this name"),
    Rule("YAML004", "alias", "write the value out in full; anchors, aliases (*name) and merge keys (<<) are not allowed"),
    Rule("YAML005", "unsafe-tag", "remove the !!tag and write a plain value"),
    Rule("YAML006", "not-utf8", "save the file as UTF-8"),
    Rule("YAML007", "empty-file", "fill in the record (start from `trackrecord new ...`) or delete the file"),
    Rule("YAML008", "not-a-mapping", "a record is one mapping of keys to values that starts with `id:`"),
    Rule("YAML009", "file-too-large", "split the data or trim it; no record needs this much"),
    # Where the file is
    Rule("LOC001", "unknown-location", "move the file to claims/predictors/, claims/<year>/, data/series/, data/reference/ or models/"),
    Rule("LOC002", "yml-extension", "rename the file to end in .yaml"),
    # Fields (from the schema)
    Rule("FLD001", "unknown-key", "remove the key or correct its spelling; the schema lists the allowed keys"),
    Rule("FLD002", "missing-field", "add the field; the template (`trackrecord new`) shows every required field"),
    Rule("FLD003", "wrong-type", "give a value of the expected type"),
    Rule("FLD004", "not-allowed-value", "use one of the allowed values"),
    Rule("FLD005", "invalid-date", "write a real calendar date as YYYY-MM-DD"),
    Rule("FLD006", "out-of-range", "give a value inside the allowed range"),
    Rule("FLD007", "too-long", "shorten the text; quote the relevant sentences only"),
    Rule("FLD008", "empty", "fill in a value, or remove the key if the field is optional"),
    Rule("FLD009", "invalid-url", "give a full http:// or https:// address"),
    Rule("FLD010", "invalid-value", "correct the value"),
    Rule("FMT001", "not-canonical", "run `trackrecord check --fix` (key order, quoting, dates, indentation; meaning is kept)", Severity.WARNING),
    Rule("TPL001", "unfilled-template", "replace the TODO placeholder with the real value"),
    # Identity
    Rule("ID001", "duplicate-id", "give each record its own id; ids are never reused"),
    Rule("ID002", "filename-not-id", "rename the file to <id>.yaml, or correct the id"),
    Rule("ID003", "wrong-year-folder", "move the claim to claims/<year of made_date>/"),
    Rule("ID004", "claim-id-form", "name the claim <made_date>-<predictor_id>-<slug>, e.g. 2024-06-04-leopold-aschenbrenner-agi-2027 (a made_date refined later to the day keeps an id minted with the first of its month or year)"),
    # References between records
    Rule("REF001", "unknown-predictor", "add claims/predictors/<id>.yaml (`trackrecord new predictor`) or correct the id"),
    Rule("REF002", "unknown-series", "add data/series/<id>.yaml or correct the id"),
    Rule("REF003", "unknown-paradigm", "add models/<id>.yaml or correct the id"),
    Rule("REF004", "unknown-claim", "point to an existing claim id"),
    Rule("REF005", "bad-claim-link", "a claim can only restate or retract an earlier claim by the same predictor"),
    Rule("REF006", "unknown-scale-source", "list the source under `sources:` or correct the id"),
    Rule("REF007", "unknown-collection", "add data/reference/collections/<id>.yaml or correct the id"),
    # Claims
    Rule("CLM001", "deadline-before-made", "a deadline cannot precede the date the claim was made; check both dates"),
    Rule("CLM002", "made-in-future", "check made_date; a claim cannot be made after today"),
    Rule("CLM003", "resolution-incomplete", "a resolution other than pending needs resolved_date, a note and at least one evidence link"),
    Rule("CLM004", "paraphrase-reason", "set is_paraphrase: true together with paraphrase_reason, or neither"),
    Rule("CLM005", "confidence-basis", "stated and editorial need stated_prob; verbal and unscorable need phrase and no stated_prob"),
    Rule("CLM006", "resolution-date", "resolved_date must lie between made_date and today"),
    Rule("CLM007", "came-true-date", "came_true_date is for claims resolved false or partly that happened after their deadline"),
    Rule("CLM008", "unknown-phrase", "use a phrase from data/reference/verbal-probability-scale.yaml, or propose adding it there"),
    Rule("CLM009", "deadline-rule", "make deadline.date follow deadline.rule (see the rules on the methods page)"),
    Rule("CLM010", "overdue", "the deadline has passed: resolve the claim with evidence", Severity.WARNING),
    Rule("CLM011", "duplicate-claim", "one predictor's identical quote with the same deadline is recorded twice; keep one claim (a restatement on another day gets its own date and restates_claim_id)"),
    Rule("CLM012", "resolved-early", "a claim can be resolved false before its deadline only with a note saying why it can no longer come true", Severity.WARNING),
    Rule("CLM013", "data-disagree", "the recorded resolution disagrees with what the series' points say by the deadline: correct the resolution, or the operationalisation (series, comparator, threshold) if it does not capture the claim"),
    Rule("CLM014", "data-resolves", "the series' points already decide this pending claim: resolve it with evidence", Severity.WARNING),
    Rule("SRC001", "source-conflict", "every claim citing this URL must give the same title, publisher, kind and format"),
    Rule("SRC002", "source-no-address", "give source.url (the original, if you saw its address) or source.read_at (the copy you read), or both"),
    Rule("SRC003", "copy-reason", "give source.copy_reason together with source.read_at (why the original could not be read), or neither"),
    Rule("SRC004", "url-not-normal", "write the URL without the host's trailing dot and without tracking parameters (utm_*, fbclid, ...)"),
    Rule("SRC005", "unknown-publisher-domain", "add the domain to data/reference/publishers.yaml with the publisher's name and kind", Severity.WARNING),
    Rule("SRC006", "copy-only-source", "cite the original (the speaker's own words or the original publisher's article); if only this copy could be read, move its URL to source.read_at and give source.copy_reason"),
    Rule("SRC007", "archive-as-source", "an archived snapshot belongs in source.archive_url; cite the original's address in source.url"),
    # Predictors
    Rule("PRD001", "affiliation-dates", "an affiliation cannot end before it starts, nor start after today"),
    Rule("PRD002", "end-precision", "give end_date_precision only together with end_date"),
    Rule("PRD003", "affiliation-undated", "give start_date, or if no source states it, attested_date: a day a source shows the role held"),
    # Metric series
    Rule("SER001", "bounds", "a bounded series needs floor < ceiling; other series must not set them"),
    Rule("SER002", "point-out-of-bounds", "a point must lie between the series' floor and ceiling"),
    Rule("SER003", "log-nonpositive", "a log-scale series can only hold positive values"),
    Rule("SER004", "interval", "a point's interval must satisfy lower <= value <= upper"),
    Rule("SER005", "point-in-future", "check the point's date; it is after today"),
    Rule("SER006", "duplicate-point", "the same system appears twice on one date; keep one"),
    # Paradigms
    Rule("PAR001", "series-paradigm", "the series names another paradigm; make the two agree"),
    Rule("PAR002", "priors-family", "give priors only for families the paradigm compares"),
    Rule("PAR003", "prior-missing", "every parameter of a fitted family needs a prior; add it under priors.<family>"),
    Rule("PAR004", "prior-unknown", "the family has no parameter of that name; see site/methods/trend-models.md for the names"),
    Rule("PAR005", "prior-distribution", "use a distribution whose support suits the parameter (listed in the message)"),
    Rule("PAR006", "prior-arguments", "give exactly the arguments the distribution takes (listed in the message)"),
    # Collections
    Rule("COL001", "collection-count", "make items_in_source equal the collection's member claims plus its left_out items: record the missing items, or list each with its reason"),
    Rule("COL002", "collection-item-twice", "give each member claim its own item label; one item of the source is one claim"),
    # Publishers registry
    Rule("PUB001", "publisher-duplicate", "list each domain once, lowercase, without 'www.' or a trailing dot"),
    # Verbal-probability scale
    Rule("VRB001", "scale-probs", "a scorable phrase needs low_prob <= default_prob <= high_prob; an unscorable one has none"),
    Rule("VRB002", "scale-duplicate", "each phrase and alias may appear once in the scale"),
]

RULES: dict[str, Rule] = {r.code: r for r in _RULES}
assert len(RULES) == len(_RULES), "duplicate rule code"
