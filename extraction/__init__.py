"""Suggesting candidate claims and figures from article text.

Pure Python, no Django: the workbench passes text and the sources it already
tracks, and gets back suggestions an analyst accepts, edits or drops.

    from extraction import suggest_claims, extract_figures, KnownSource

What counts as a claim
    A sentence in which someone other than the article's author is reported as
    saying, estimating, condemning, denying ... something ("X said", "according
    to X", "X told Y", "..., X reported"). Two kinds of sentence with no cue of
    their own are claims of the previous sentence's speaker: one that carries on
    its figures ("A further 125 soldiers also died.") and one that is nothing but
    a quotation. The author's own narration is not a claim, and neither is a
    negated cue ("did not say", "has not commented").

Span convention
    A claim's span is the whole sentence that carries the attributed content,
    attribution included, trimmed of surrounding whitespace, so that
    ``claim.quote == text[claim.start:claim.end]`` always holds and the analyst
    sees the content together with who it is attributed to. A quotation that
    runs over several sentences and closes in the same paragraph counts as one
    sentence: '"We ran. They shot at us," she said.' is one span. One sentence
    yields at most one claim.

Speakers
    The speaker is resolved to a known source by name or alias (case- and
    accent-insensitive, also inside a longer phrase: "the Britain-based Syrian
    Observatory for Human Rights"), by a telling word ("the Observatory"), by
    coreference ("he", "it", "the group", "the ministry" -> an earlier speaker
    or the previous sentence's subject) or, for an indefinite description
    ("a war monitor"), by the single known source of that kind that the
    article names. A spokesperson or director of a known organisation speaks
    for it ("a spokesman for the Kachin Independence Army" -> that source);
    otherwise a named person is the speaker. When nothing matches, the cleaned
    phrase becomes ``proposed_source_name`` with a guessed kind.

Chain
    Intermediaries from the original speaker towards the article: "X told the
    AP" -> ["Associated Press"]; "According to AFP, a survivor said" ->
    ["Agence France-Presse"]; "Y said, citing X" -> speaker X, chain [Y].
    Generic audiences ("told reporters") are not intermediaries.

Figures
    Counts of people or things with a qualifier and what they count
    ("more than 1,000 people killed"). Ages, years, dates, durations,
    distances, percentages and money are not figures. Vague plurals are lower
    bounds: dozens 24, hundreds 200, thousands 2,000.
"""

from .claims import suggest_claims
from .figures import extract_figures
from .results import (
    CLAIM_KINDS,
    QUALIFIERS,
    SOURCE_KINDS,
    KnownSource,
    SuggestedClaim,
    SuggestedFigure,
)

__all__ = [
    "CLAIM_KINDS",
    "QUALIFIERS",
    "SOURCE_KINDS",
    "KnownSource",
    "SuggestedClaim",
    "SuggestedFigure",
    "extract_figures",
    "suggest_claims",
]
