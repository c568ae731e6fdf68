"""Suggesting candidate claims and figures from article text.

Pure Python, no Django: the workbench passes text, the sources it already
tracks (with their descriptions and the people who speak for them), its
gazetteer, the article's date and outlet, and gets back suggestions an analyst
accepts, edits or drops.

    from extraction import suggest_claims, KnownSource, KnownPlace, SourceMatcher

    matcher = SourceMatcher(sources)          # build once per set of sources, reuse
    claims = suggest_claims(text, matcher, places=places, published="2025-03-09",
                            outlet="Levant Wire Service", author_speaks=False)

What counts as a claim
    A sentence in which someone other than the article's author is reported as
    saying, estimating, condemning, denying ... something ("X said", "according
    to X", "X told Y", "..., X reported", "X expressed concern", "X was quoted by
    Y as saying", "X, meanwhile, warned"). A sentence with no cue of its own
    right after a claim in the same paragraph is that speaker's claim when it
    carries counts or is nothing but a quotation ("In Baniyas, 60 were killed.",
    "The toll by province includes ..."): it is flagged `continuation`, with cue
    "continuation" and a lower confidence. With `author_speaks`, the outlet's own
    findings (sentences with counts, "We call on ...") are claims of the outlet.
    The author's narration is otherwise not a claim, and neither is a negated cue
    ("did not say", "has not commented"), nor a verb inside an opening
    subordinate clause ("After the government announced ..., residents said").

Span convention
    A claim's span is the whole sentence that carries the attributed content,
    attribution included, trimmed of surrounding whitespace, so that
    ``claim.quote == text[claim.start:claim.end]`` always holds and the analyst
    sees the content together with who it is attributed to. A quotation that
    runs over several sentences and closes in the same paragraph counts as one
    sentence: '"We ran. They shot at us," she said.' is one span. One sentence
    yields at most one claim.

Speakers
    Resolved to a known source (see sources.py) by name, alias or acronym, also
    inside a longer phrase; an acronym defined in brackets in the article
    ("Kordofan Rights Observatory (KRO)"); a person who speaks for it, by full
    name, surname or given name (recorded as `via_person`); one of its recorded
    descriptions ("the UK-based monitoring group"); its telling words ("the
    Observatory"); coreference ("he", "it", "the group", "the ministry"); a
    misspelling ("SHOR", "Dankanno"); or, for an indefinite description ("a war
    monitor"), the single known source of that kind the article names. A
    spokesperson named with a role for a known organisation speaks for it. Each
    suggestion says how it was resolved (`resolved_by`) and how sure that is
    (`source_confidence`). When nothing matches, one canonical name per speaker
    and article becomes ``proposed_source_name`` ("Germany's foreign ministry" ->
    "German foreign ministry"; a description named in the next sentences, "a
    volunteer rescuer ... The rescuer, Ko Thant," -> "Ko Thant").

Chain
    Intermediaries from the original speaker towards the article: "X told the
    AP" -> ["Associated Press"]; "According to AFP, a survivor said" ->
    ["Agence France-Presse"]; "Y said, citing X" -> speaker X, chain [Y].
    Generic audiences ("told reporters") are not intermediaries.

Figures
    Counts of people or things with a qualifier and what they count
    ("more than 1,000 people killed"), and their scope (labelled/FORMAT.md):
    outcome, population, sub-groups, place (resolved against the gazetteer),
    time (as of a date or a period, resolved against `published`), basis
    (cumulative, increment, incident) and part_of. Ages, years, dates,
    durations, distances, percentages and money are not figures. Vague
    quantities are their unit with a qualifier: dozens 12, scores 20 (dozens),
    hundreds 100, thousands 1,000; ranges have `value_high`.
"""

from .claims import figure_wording, suggest_claims
from .figures import extract_figures
from .places import PlaceIndex
from .results import (
    BASES,
    CLAIM_KINDS,
    OUTCOMES,
    POPULATIONS,
    QUALIFIERS,
    RESOLUTIONS,
    SOURCE_KINDS,
    KnownPlace,
    KnownSource,
    SuggestedClaim,
    SuggestedFigure,
)
from .sources import SourceMatcher

__all__ = [
    "BASES",
    "CLAIM_KINDS",
    "OUTCOMES",
    "POPULATIONS",
    "QUALIFIERS",
    "RESOLUTIONS",
    "SOURCE_KINDS",
    "KnownPlace",
    "KnownSource",
    "PlaceIndex",
    "SourceMatcher",
    "SuggestedClaim",
    "SuggestedFigure",
    "extract_figures",
    "figure_wording",
    "suggest_claims",
]
