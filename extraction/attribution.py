"""Finding, inside one sentence, the reporting cue and the phrases that name
the speaker and any intermediaries ("told the AP", "according to AFP")."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from .lexicon import (
    AGENT_NOUNS,
    CUE_PHRASES,
    CUE_VERBS,
    DETERMINERS,
    FINITE_VERBS,
    GENERIC_AUDIENCES,
    INTERJECTIONS,
    INVERTING_CUES,
    RELATIVE_WORDS,
    SUBORDINATE_OPENER,
    words,
)
from .sentences import QUOTE_MASK, mask_quotes
from .speakers import clean_phrase, is_proper_name, leading_subject, looks_like_speaker

# A cue that is really a negation, a passive or an adjective attributes nothing.
NEGATED_BEFORE = re.compile(
    r"(?:\bnot|n't|\bnever|\bdeclined\s+to|\brefused\s+to|\bwithout|\byet\s+to|\bto|\bno\s+one)\s*$",
    re.IGNORECASE,
)
MODAL_BEFORE = re.compile(
    r"\b(?:would|could|can|cannot|may|might|will|should|must|did|does|do|to)\s*$", re.IGNORECASE
)
# Bare verb forms only attribute after a plural subject ("aid groups say").
BARE_CUES = words("say report claim estimate deny warn urge accuse condemn insist allege")
PASSIVE_BEFORE = re.compile(
    r"(?:\b(?:was|were|is|are|be|been|being|the|a|an|widely|often|so)|so-)\s*$", re.IGNORECASE
)
PASSIVE_AFTER = {
    "by": None,  # "was killed by", any cue
    "of": {"accused", "suspected", "alleged"},
    "as": {"described", "painted", "called", "named", "reported"},
    "at": {"estimated", "counted"},
    "to": {"said", "reported", "estimated", "alleged", "believed"},
}
CUE_RE = re.compile(
    r"\b(?P<cue>according\s+to|"
    + CUE_PHRASES
    + "|"
    + "|".join(sorted(CUE_VERBS | BARE_CUES, key=len, reverse=True))
    + r")\b",
    re.IGNORECASE,
)
# "X was quoted by the agency as saying", "he was quoted by SANA as saying".
QUOTED_BY_RE = re.compile(
    r"(?P<subj>[^,;:\u2592]*?)\s*(?:,\s*(?:who|which)[^,]*,\s*)?\b(?:was|were)\s+quoted\s+by\s+"
    r"(?P<relay>[^,;:\u2592]+?)\s+as\s+saying\b",
    re.IGNORECASE,
)
# "..., which it quoted as saying that ..."
WHICH_QUOTED_RE = re.compile(
    r"(?P<obj>[^,;:\u2592]+?),\s+(?:which|whom|who)\s+(?P<subj>it|they|he|she|the\s+\w+)\s+"
    r"quoted\s+as\s+saying\b",
    re.IGNORECASE,
)
# Relays named by how a statement reached the article.
CARRIED_RE = re.compile(
    r"\b(?:in\s+a\s+(?:statement|message|video|post)|statement)\s+(?:carried|read|broadcast|"
    r"aired|published|released|relayed)\s+(?:by|on|through)\s+(?P<np>[^,.;:\u2592]+)|"
    r"\bthrough\s+(?:its|their|the)\s+(?P<np2>[^,.;:\u2592]+?)\s+(?:news\s+agency|agency|"
    r"channel|outlet|website|media\s+wing)\b",
    re.IGNORECASE,
)
# Commas inside numbers ("2,800") do not separate anything.
SEPARATORS = re.compile(r"(?<!\d),|,(?!\d)|[;:()\[\]—–]|" + QUOTE_MASK + r"+")
NP_AFTER_RE = re.compile(
    r"\s*(?P<np>(?:(?:Dr|Mr|Mrs|Ms|Gen|Lt|Col|Maj|Capt|Sgt|Prof|Rev|St|U\.S|U\.N)\.\s*|"
    r"[^,.;:!?()\n—–\"“”\u2592])+)"
)
TOLD_RE = re.compile(
    r"\s+(?P<np>.+?)(?=\s+(?:that|about|on|in|by|from|at|during|after|when|while|as|because|"
    r"how|of|over|via|earlier|late|last|this)\b|[,.;:!?\"“”\u2592]|$)",
    re.IGNORECASE,
)
CITING_RE = re.compile(r"\bciting\s+(?P<np>[^,.;:\u2592]+)", re.IGNORECASE)
INTERVIEW_RE = re.compile(
    r"\b(?:in\s+an\s+interview\s+with|speaking\s+to|in\s+comments\s+to|writing\s+in)\s+"
    r"(?P<np>[^,.;:\u2592]+?)(?=\s+(?:on|that|last|this)\b|[,.;:]|$)",
    re.IGNORECASE,
)
QUOTED_AS_RE = re.compile(r"\s+(?P<np>.+?)\s+as\s+saying\b", re.IGNORECASE)
APPOSITIVE_START = re.compile(
    r"^(?:a|an|who|which|whose|whom|where|speaking|based|citing|writing|known|also|formerly|"
    r"himself|herself|aged|\d+)\b",
    re.IGNORECASE,
)


@dataclass
class Attribution:
    cue: str
    cue_start: int
    cue_end: int
    speaker: str
    speaker_start: int
    speaker_end: int
    appositives: list[str] = field(default_factory=list)
    # Intermediaries, ordered from the original speaker towards the article.
    chain: list[str] = field(default_factory=list)
    inverted: bool = False
    content_start: int = 0
    content_end: int = 0


def _segments(masked: str, end: int) -> list[tuple[int, int]]:
    """Comma-separated stretches of masked[:end], as (start, end)."""
    spans: list[tuple[int, int]] = []
    pos = 0
    for sep in SEPARATORS.finditer(masked, 0, end):
        spans.append((pos, sep.start()))
        pos = sep.end()
    spans.append((pos, end))
    return spans


def _strip_span(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start] in " \t\n":
        start += 1
    while end > start and text[end - 1] in " \t\n":
        end -= 1
    return start, end


def _is_appositive(segment: str, previous: str) -> bool:
    segment = segment.strip()
    if not segment:
        return False
    if APPOSITIVE_START.match(segment):
        return True
    return segment.split()[0].lower() == "the" and is_proper_name(previous.strip())


def _opens_noun_phrase(text: str) -> bool:
    """'aid workers warned' opens with a noun phrase; 'supports government
    forces' opens with a verb, so its subject is the antecedent."""
    first = text.split()[0] if text.split() else ""
    low = first.lower()
    if low in DETERMINERS or first[:1].isupper() or low in AGENT_NOUNS:
        return True
    return not (low in FINITE_VERBS or low.endswith(("s", "ed")))


def _rejected(masked: str, start: int, end: int, cue: str) -> bool:
    before = masked[:start]
    if NEGATED_BEFORE.search(before) or PASSIVE_BEFORE.search(before):
        return True
    if cue in BARE_CUES and MODAL_BEFORE.search(before):
        return True
    after = re.match(r"\s+(\w+)", masked[end:])
    nxt = after.group(1).lower() if after else ""
    if cue in {"pledged", "pledges", "promised", "promises"} and nxt in {
        "allegiance",
        "loyalty",
        "support",
        "reinforcements",
        "aid",
    }:
        return True
    if nxt in PASSIVE_AFTER:
        verbs = PASSIVE_AFTER[nxt]
        means = re.match(
            r"\s+by\s+(?:tele)?phone|\s+by\s+(?:text|e-?mail|video|radio|satellite)",
            masked[end:],
            re.I,
        )
        if (verbs is None and not means) or (verbs is not None and cue in verbs):
            return True
    # "a group called X": a participle after an indefinite noun, not a report.
    return (
        cue in {"called", "named", "described"}
        and re.search(r"\b(?:a|an)\s+[\w-]+\s*$", before) is not None
    )


def _np_after(sentence: str, pos: int) -> tuple[str, int, int] | None:
    match = NP_AFTER_RE.match(sentence, pos)
    if not match:
        return None
    s, e = _strip_span(sentence, match.start("np"), match.end("np"))
    return (sentence[s:e], s, e) if s < e else None


def _appositives_after(sentence: str, masked: str, pos: int) -> list[str]:
    out: list[str] = []
    rest = masked[pos:]
    if not rest.lstrip().startswith(","):
        return out
    for part in rest.split(","):
        part = part.strip().rstrip(".")
        if part:
            out.append(part)
    return out[:3]


def _subject_before(
    sentence: str, masked: str, cue_start: int
) -> tuple[str, int, int, list[str]] | None:
    segments = _segments(masked, cue_start)
    spans = [_strip_span(sentence, s, e) for s, e in segments]
    i = len(spans) - 1
    s, e = spans[i]
    pre = masked[:cue_start].rstrip()
    if s >= e and i > 0 and pre.endswith(",") and not pre[:-1].rstrip().endswith(QUOTE_MASK):
        # "X, a monitoring group, said": the comma closes an appositive.
        i -= 1
        s, e = spans[i]
        if i > 0 and INTERJECTIONS.match(sentence[s:e]):
            # "X, meanwhile, warned": the adverb is set off, X is the subject.
            i -= 1
            s, e = spans[i]
    if s >= e:
        return None
    text = sentence[s:e]
    appositives: list[str] = []
    relative = re.match(r"(?:where|when|whom|which|that)\s+(?=\S)", text, re.I)
    if (
        relative
        and _opens_noun_phrase(text[relative.end() :])
        and looks_like_speaker(clean_phrase(text[relative.end() :]))
    ):
        # "Pemba, where aid workers warned": the clause has its own subject.
        s += relative.end()
        return sentence[s:e], s, e, appositives
    if (
        text.lower() in RELATIVE_WORDS
        or re.fullmatch(r"(?:which|who|that)(?:\s+(?:had|has|have|was|were|is|also))+", text, re.I)
    ) and i > 0:
        # "X, which documents killings", "X, which had recorded": X is the subject.
        i -= 1
        s, e = spans[i]
        text = sentence[s:e]
        if not looks_like_speaker(clean_phrase(text)):
            tail = re.search(r"\b(?:from|by)\s+(?P<np>(?:the\s+)?[A-Z][^,]*)$", text)
            if tail:
                # "The most cited figure comes from the X Project, which had recorded"
                s += tail.start("np")
                text = sentence[s:e]
    while i > 0:
        ps, pe = spans[i - 1]
        previous = sentence[ps:pe]
        if not _is_appositive(text, previous) or not looks_like_speaker(clean_phrase(previous)):
            break
        appositives.insert(0, text)
        i -= 1
        s, e = ps, pe
        text = previous
    named = re.sub(r"^the\s+", "", clean_phrase(text), flags=re.I)
    if i > 0 and named and is_proper_name(named):
        ps, pe = spans[i - 1]
        previous = sentence[ps:pe].strip()
        if re.match(r"^(?:a|an|the|one)\s", previous, re.I) and looks_like_speaker(previous):
            # "A UN envoy, Jane Doe, said", "The group, the Sagaing Defence Force, said"
            appositives.insert(0, previous)
    phrase = clean_phrase(text)
    if looks_like_speaker(phrase):
        return text, s, e, appositives
    # "President X suspended the talks and announced ...": the subject is the
    # sentence's own, before its first verb.
    if re.search(r"\b(?:and|but)\s*$", masked[:cue_start]):
        subject = leading_subject(sentence[spans[0][0] : spans[0][1]])
        if subject and looks_like_speaker(clean_phrase(subject)):
            start = sentence.find(subject)
            return subject, start, start + len(subject), appositives
    return None


def _told_target(sentence: str, masked: str, cue_end: int) -> str | None:
    match = TOLD_RE.match(masked, cue_end)
    if not match:
        return None
    target = sentence[match.start("np") : match.end("np")].strip()
    if not target or target.lower().split()[-1] in GENERIC_AUDIENCES:
        return None
    return target


def _quoted_by(sentence: str, masked: str) -> Attribution | None:
    """'X was quoted by Y as saying ...' (Y relays X) and '..., X, which it quoted
    as saying ...' (the sentence's subject relays X)."""
    m = QUOTED_BY_RE.search(masked)
    if m:
        s, e = _strip_span(sentence, m.start("subj"), m.end("subj"))
        subject = sentence[s:e]
        if s < e and looks_like_speaker(clean_phrase(subject)):
            relay = sentence[m.start("relay") : m.end("relay")].strip()
            content_start = m.end()
            return Attribution(
                cue="quoted",
                cue_start=m.start("relay"),
                cue_end=m.end(),
                speaker=subject,
                speaker_start=s,
                speaker_end=e,
                chain=[relay],
                content_start=content_start if content_start < len(sentence) - 2 else 0,
                content_end=len(sentence) if content_start < len(sentence) - 2 else s,
            )
    m = WHICH_QUOTED_RE.search(masked)
    if m:
        obj_start, obj_end = m.start("obj"), m.end("obj")
        named = re.search(r"\bas\s+(?P<np>.+)$", masked[obj_start:obj_end])
        if named:
            obj_start += named.start("np")
        s, e = _strip_span(sentence, obj_start, obj_end)
        relay = leading_subject(sentence[: m.start("obj") + (named.start() if named else 0)])
        return Attribution(
            cue="quoted",
            cue_start=m.start("subj"),
            cue_end=m.end(),
            speaker=sentence[s:e],
            speaker_start=s,
            speaker_end=e,
            chain=[relay or m.group("subj")],
            content_start=m.end(),
            content_end=len(sentence),
        )
    return None


# "The town of Sarun recorded the heaviest losses": a place, not a speaker.
PLACE_SUBJECT = re.compile(
    r"^(?:the\s+)?(?:(?:[\w-]+\s+){0,2}(?:town|city|village|province|district|region|capital|"
    r"camp|neighbourhood|neighborhood|area|state|governorate|county|municipality)\s+of\s+"
    r"[A-Z]|(?:across|in|on|at)\s)",
    re.IGNORECASE,
)


def find_attribution(
    sentence: str, not_speaker: Callable[[str], bool] | None = None
) -> Attribution | None:
    """The attribution of a sentence, or None when nobody is reported as saying it.
    `not_speaker` rejects subjects the caller knows are not speakers (places)."""
    masked = mask_quotes(sentence)
    quoted = _quoted_by(sentence, masked) if "quoted" in masked.lower() else None
    if quoted is not None:
        return quoted
    according: tuple[str, int, int, int, int] | None = None
    found: Attribution | None = None
    opener_end = -1
    if SUBORDINATE_OPENER.match(masked):
        comma = masked.find(",")
        opener_end = comma if comma > 0 else -1
    for match in CUE_RE.finditer(masked):
        cue = re.sub(r"\s+", " ", match.group("cue").lower())
        start, end = match.span("cue")
        if (
            match.group("cue")[0].isupper()
            and cue != "according to"
            and masked[:start].strip(" \"“‘'(")
        ):
            continue  # "Omar Said" is a name, not a verb
        if cue == "according to":
            np = _np_after(masked, end)
            if np and according is None:
                text = sentence[np[1] : np[2]]
                named = re.match(
                    r",\s*(?P<name>(?:[A-Z][\w'’-]+\s+){0,3}[A-Z][\w'’-]+)\s*(?:[,.]|$)",
                    masked[np[2] :],
                )
                if named and is_proper_name(named.group("name")):
                    # "according to the city's mayor, Andriy Kovalenko."
                    s0 = np[2] + named.start("name")
                    according = (named.group("name"), s0, s0 + len(named.group("name")), start, end)
                else:
                    according = (text, np[1], np[2], start, end)
            continue
        if found is not None or _rejected(masked, start, end, cue):
            continue
        if start < opener_end:
            continue  # "After the government announced ..., residents said"
        subject = _subject_before(sentence, masked, start)
        if subject is not None:
            phrase = clean_phrase(subject[0])
            if PLACE_SUBJECT.match(phrase) or (not_speaker is not None and not_speaker(phrase)):
                continue
        if subject is None:
            pre = masked[:start].rstrip()
            if cue in INVERTING_CUES and (pre.endswith((",", QUOTE_MASK)) or not pre):
                np = _np_after(masked, end)
                if np and looks_like_speaker(clean_phrase(sentence[np[1] : np[2]])):
                    found = Attribution(
                        cue=cue,
                        cue_start=start,
                        cue_end=end,
                        speaker=sentence[np[1] : np[2]],
                        speaker_start=np[1],
                        speaker_end=np[2],
                        appositives=_appositives_after(sentence, masked, np[2]),
                        inverted=True,
                        content_start=0,
                        content_end=start,
                    )
            continue
        text, s, e, appositives = subject
        quoted_as = QUOTED_AS_RE.match(masked, end) if cue == "quoted" else None
        if quoted_as:
            speaker_text = sentence[quoted_as.start("np") : quoted_as.end("np")]
            found = Attribution(
                cue="quoted",
                cue_start=start,
                cue_end=end,
                speaker=speaker_text,
                speaker_start=quoted_as.start("np"),
                speaker_end=quoted_as.end("np"),
                chain=[text],
                content_start=quoted_as.end(),
                content_end=len(sentence),
            )
            continue
        # Content follows the cue when the attribution opens the sentence
        # ("X said ..."), and precedes it when it closes it ("..., X said").
        opening = len(masked[:s].split()) <= 5 and QUOTE_MASK not in masked[:s]
        found = Attribution(
            cue=cue,
            cue_start=start,
            cue_end=end,
            speaker=text,
            speaker_start=s,
            speaker_end=e,
            appositives=appositives,
            content_start=end if opening else 0,
            content_end=len(sentence) if opening else s,
        )
        if cue in {"told", "tells"}:
            target = _told_target(sentence, masked, end)
            if target:
                found.chain.append(target)
                if found.content_start == end:
                    found.content_start = sentence.index(target, end) + len(target)
    if found is None and according is None:
        return None
    if found is None:
        assert according is not None
        text, s, e, cstart, cend = according
        before_is_content = masked[:cstart].strip(" ,") != ""
        found = Attribution(
            cue="according to",
            cue_start=cstart,
            cue_end=cend,
            speaker=text,
            speaker_start=s,
            speaker_end=e,
            content_start=0 if before_is_content else e,
            content_end=cstart if before_is_content else len(sentence),
        )
        cited = re.match(
            r",\s*(?:which|who)\s+(?:cited|quoted)\s+(?P<np>[^,;:\u2592]+)", masked[e:]
        )
        if cited:
            # "according to Reuters, which cited the Observatory": the Observatory speaks.
            s0, e0 = _strip_span(sentence, e + cited.start("np"), e + cited.end("np"))
            found.chain = [found.speaker]
            found.speaker, found.speaker_start, found.speaker_end = sentence[s0:e0], s0, e0
            if found.content_start == e:
                found.content_start = e + cited.end()
    elif according is not None:
        found.chain.insert(0, according[0])
    for appositive in list(found.appositives):
        cited = re.match(r"\s*citing\s+(?P<np>.+)$", appositive, re.I)
        if cited:
            found.chain = [found.speaker, *found.chain]
            found.speaker = cited.group("np").strip()
            at = sentence.find(found.speaker)
            found.speaker_start, found.speaker_end = at, at + len(found.speaker)
            found.appositives.remove(appositive)
            break
    carried = CARRIED_RE.search(masked)
    if carried:
        group = "np" if carried.group("np") else "np2"
        found.chain.append(sentence[carried.start(group) : carried.end(group)].strip())
    citing = CITING_RE.search(masked, found.cue_end)
    if citing:
        original = sentence[citing.start("np") : citing.end("np")].strip()
        found.chain = [found.speaker, *found.chain]
        found.speaker = original
        found.speaker_start, found.speaker_end = citing.start("np"), citing.end("np")
    interview = INTERVIEW_RE.search(masked)
    if interview:
        found.chain.append(sentence[interview.start("np") : interview.end("np")].strip())
    return found
