"""Scoring the extractor against articles in the label format
(labelled/FORMAT.md, `claims-workbench-labelled-article/2`).

Any directory of such files can be scored (`manage.py evaluate_suggestions
--labelled DIR`); each article's known sources (with descriptions and people),
places, publication date, outlet and `author_speaks` are passed to the
extractor, as the app passes a workspace's.

Measures
- Spans: a suggested claim matches a labelled one when their character ranges
  overlap with a Jaccard index of at least 0.5, one-to-one, best overlaps
  first. Precision over all suggested claims, recall over all labelled ones.
- Speakers: among matched pairs, right when the labelled speaker is a known
  source and the suggestion names that source (`source_key`), or the labelled
  speaker is new and the suggestion proposes a new source of the same name
  (equal once normalised: case, accents, leading determiners).
- Speaker resolution accuracy: over matched pairs, the suggested `source_key`
  equals the labelled one (both None counts as right: a new source was
  proposed where the label proposes one).
- Figures: within matched pairs, one-to-one, value, qualifier (and the high
  end of a range) and the head noun of what is counted agree. Precision over
  every suggested figure, recall over every labelled one.
- Figure scope: a figure's scope is right when the figure matches and its
  outcome, population, place (equal after resolving alternative spellings of
  the article's places), basis and time all equal the label. Precision over
  every suggested figure, recall over every labelled one; and per field, the
  share of matched figures that get it right.
- Continuations: over matched pairs, the share whose `continuation` flag
  equals the label.
- Duplicate source proposals: a suggested new source whose name resolves to a
  known source of the article by name, alias, acronym, description or person,
  plus, for every labelled new speaker, each extra name it was proposed under
  in the same article.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .claims import suggest_claims
from .results import KnownPlace, KnownSource, SuggestedClaim, SuggestedFigure
from .sources import form_tokens, is_acronym, strip_accents

LABELLED_ROOT = Path(__file__).resolve().parent / "labelled"
# Tuned on: the development set. Scored once, never tuned on: the held-out set.
LABELLED_DIR = LABELLED_ROOT / "dev"
HELD_OUT_DIR = LABELLED_ROOT / "heldout"
JACCARD_THRESHOLD = 0.5
LABEL_FORMAT = "claims-workbench-labelled-article/2"
SCOPE_FIELDS = ("outcome", "population", "place", "basis", "time")
FIELD_REPORT = (*SCOPE_FIELDS, "subgroups", "part_of")

Extractor = Callable[..., list[SuggestedClaim]]


@dataclass(frozen=True)
class ExpectedFigure:
    value: float
    qualifier: str
    counted: str
    value_high: float | None = None
    outcome: str | None = None
    population: str | None = None
    subgroups: tuple[str, ...] = ()
    place: str | None = None
    time: tuple[tuple[str, str], ...] | None = None
    basis: str | None = None
    part_of: int | None = None


@dataclass(frozen=True)
class ExpectedClaim:
    quote: str
    start: int
    end: int
    speaker: str
    chain: tuple[str, ...]
    kind: str
    figures: tuple[ExpectedFigure, ...]
    source_key: int | str | None = None
    via_person: str | None = None
    continuation: bool = False


@dataclass(frozen=True)
class LabelledArticle:
    name: str
    title: str
    text: str
    known_sources: tuple[KnownSource, ...]
    expected: tuple[ExpectedClaim, ...]
    held_out: bool = False
    places: tuple[KnownPlace, ...] = ()
    published: dt.date | None = None
    outlet: str = ""
    author_speaks: bool = False
    style: str = ""

    def context(self) -> dict[str, Any]:
        """What the app passes besides the text and the sources."""
        return {
            "places": self.places,
            "published": self.published,
            "outlet": self.outlet,
            "author_speaks": self.author_speaks,
        }


@dataclass
class Score:
    """Counts behind one precision/recall pair."""

    correct_predicted: int = 0
    predicted: int = 0
    correct_expected: int = 0
    expected: int = 0

    @property
    def precision(self) -> float:
        return self.correct_predicted / self.predicted if self.predicted else 1.0

    @property
    def recall(self) -> float:
        return self.correct_expected / self.expected if self.expected else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def add(self, other: Score) -> None:
        self.correct_predicted += other.correct_predicted
        self.predicted += other.predicted
        self.correct_expected += other.correct_expected
        self.expected += other.expected


@dataclass
class Ratio:
    right: int = 0
    total: int = 0

    @property
    def value(self) -> float:
        return self.right / self.total if self.total else 1.0

    def add(self, other: Ratio) -> None:
        self.right += other.right
        self.total += other.total

    def count(self, ok: bool) -> None:
        self.right += int(ok)
        self.total += 1


METRICS = ("spans", "speakers", "figures", "scope")
RATIOS = ("resolution", "continuation", "kind", "chain", "via_person")


@dataclass
class ArticleReport:
    name: str
    held_out: bool
    scores: dict[str, Score] = field(default_factory=lambda: {m: Score() for m in METRICS})
    ratios: dict[str, Ratio] = field(default_factory=lambda: {r: Ratio() for r in RATIOS})
    fields: dict[str, Ratio] = field(default_factory=lambda: {f: Ratio() for f in FIELD_REPORT})
    duplicates: list[str] = field(default_factory=list)
    proposals: int = 0
    proposals_for_known: int = 0
    matched: int = 0
    problems: list[str] = field(default_factory=list)

    @property
    def spans(self) -> Score:
        return self.scores["spans"]

    @property
    def speakers(self) -> Score:
        return self.scores["speakers"]

    @property
    def figures(self) -> Score:
        return self.scores["figures"]


@dataclass
class Report:
    articles: list[ArticleReport]

    def total(self, articles: Iterable[ArticleReport] | None = None) -> dict[str, Score]:
        totals = {m: Score() for m in METRICS}
        for article in self.articles if articles is None else articles:
            for metric in METRICS:
                totals[metric].add(article.scores[metric])
        return totals

    @property
    def totals(self) -> dict[str, Score]:
        return self.total()

    def ratio(self, name: str) -> float:
        total = Ratio()
        for article in self.articles:
            total.add(article.ratios[name])
        return total.value

    def field_accuracy(self) -> dict[str, float]:
        out = {}
        for name in FIELD_REPORT:
            total = Ratio()
            for article in self.articles:
                total.add(article.fields[name])
            out[name] = total.value
        return out

    @property
    def duplicates(self) -> int:
        return sum(len(a.duplicates) for a in self.articles)

    @property
    def proposals(self) -> int:
        return sum(a.proposals for a in self.articles)

    @property
    def proposals_for_known(self) -> int:
        return sum(a.proposals_for_known for a in self.articles)

    def kind_accuracy(self) -> float:
        return self.ratio("kind")

    def chain_accuracy(self) -> float:
        return self.ratio("chain")


def _time_key(value: Any) -> tuple[tuple[str, str], ...] | None:
    if not value:
        return None
    return tuple(sorted((str(k), str(v)) for k, v in dict(value).items()))


def _figure_from(data: dict[str, Any]) -> ExpectedFigure:
    high = data.get("value_high")
    return ExpectedFigure(
        value=float(data["value"]),
        qualifier=data["qualifier"],
        counted=data["counted"],
        value_high=float(high) if high is not None else None,
        outcome=data.get("outcome"),
        population=data.get("population"),
        subgroups=tuple(sorted(data.get("subgroups") or ())),
        place=data.get("place"),
        time=_time_key(data.get("time")),
        basis=data.get("basis"),
        part_of=data.get("part_of"),
    )


def load_labelled_set(directory: Path | str = LABELLED_DIR) -> list[LabelledArticle]:
    """Every labelled article of a directory, with each quote's offsets found in its
    text; a file in another format or with a quote not in its text is an error."""
    articles = []
    paths = sorted(Path(directory).glob("*.json"))
    if not paths:
        raise ValueError(f"No labelled articles (*.json) in {directory}")
    for path in paths:
        data = json.loads(path.read_text(encoding="utf-8"))
        if data.get("format", LABEL_FORMAT) != LABEL_FORMAT:
            raise ValueError(f"{path.name}: not in the label format {LABEL_FORMAT}")
        text = data["text"]
        expected = []
        for item in data["expected"]:
            start = text.find(item["quote"])
            if start < 0:
                raise ValueError(f"{path.name}: quote not in text: {item['quote'][:60]!r}")
            expected.append(
                ExpectedClaim(
                    quote=item["quote"],
                    start=start,
                    end=start + len(item["quote"]),
                    speaker=item["speaker"],
                    chain=tuple(item.get("chain", ())),
                    kind=item["kind"],
                    figures=tuple(_figure_from(f) for f in item.get("figures", ())),
                    source_key=item.get("source_key"),
                    via_person=item.get("via_person"),
                    continuation=bool(item.get("continuation", False)),
                )
            )
        published = data.get("published")
        articles.append(
            LabelledArticle(
                name=path.stem,
                title=data.get("title", path.stem),
                text=text,
                known_sources=tuple(
                    KnownSource(
                        s["key"],
                        s["name"],
                        tuple(s.get("aliases", ())),
                        s.get("kind", "other"),
                        tuple(s.get("descriptions", ())),
                        tuple(s.get("people", ())),
                    )
                    for s in data.get("known_sources", ())
                ),
                expected=tuple(expected),
                held_out=bool(data.get("held_out", False)),
                places=tuple(
                    KnownPlace(
                        p["name"],
                        tuple(p.get("alternatives", ())),
                        p.get("level", "locality"),
                        p.get("parent"),
                    )
                    for p in data.get("places", ())
                ),
                published=dt.date.fromisoformat(published) if published else None,
                outlet=data.get("outlet", "") or "",
                author_speaks=bool(data.get("author_speaks", False)),
                style=data.get("style", ""),
            )
        )
    return articles


def jaccard(a: tuple[int, int], b: tuple[int, int]) -> float:
    inter = max(0, min(a[1], b[1]) - max(a[0], b[0]))
    union = max(a[1], b[1]) - min(a[0], b[0])
    return inter / union if union > 0 else 0.0


def _stem(word: str) -> str:
    word = word.lower().replace("’", "'").removesuffix("'s").removesuffix("'")
    if word.endswith("ies") and len(word) > 4:
        return word[:-3] + "y"
    if word.endswith("s") and not word.endswith("ss") and len(word) > 3:
        return word[:-1]
    return word


_HEAD_BREAKS = frozenset(
    [
        "of",
        "from",
        "in",
        "at",
        "on",
        "with",
        "to",
        "by",
        "near",
        "over",
        "under",
        "inside",
        "into",
        "across",
        "among",
        "during",
        "after",
        "before",
        "as",
        "around",
        "east",
        "west",
        "north",
        "south",
        "who",
        "that",
        "which",
        "whom",
        "whose",
        "including",
        "loyal",
        "affiliated",
        "linked",
        "allied",
        "belonging",
        "aligned",
        "and",
        "or",
        "but",
        "than",
    ]
)
_PARTICIPLE_ADJECTIVES = frozenset(
    ["wounded", "injured", "missing", "displaced", "detained", "abducted", "killed", "dead"]
)
# Irregular participles and verbs that end the noun ("gunmen shot dead").
_VERB_WORDS = frozenset(
    [
        "shot",
        "driven",
        "fled",
        "taken",
        "seized",
        "found",
        "died",
        "hit",
        "lost",
        "held",
        "kept",
        "left",
        "struck",
        "brought",
        "burnt",
        "slain",
        "set",
        "dead",
        "are",
        "were",
        "was",
        "is",
        "have",
        "has",
        "had",
        "remain",
        "remained",
    ]
)


def counted_head(counted: str) -> str:
    """The noun that says what is counted: the last word before the first
    preposition, conjunction or verb, past any participle used as an adjective.
    'members of the security forces killed' -> 'member'; 'wounded people' ->
    'people'; 'gunmen shot dead' -> 'gunmen'; 'dead' -> 'dead'."""
    tokens = re.sub(r"[^\w\s'-]", " ", counted.lower()).split()
    i = 0
    while i < len(tokens) - 1 and tokens[i] in _PARTICIPLE_ADJECTIVES:
        i += 1
    chunk: list[str] = []
    for token in tokens[i:]:
        if chunk and (
            token in _HEAD_BREAKS or token in _VERB_WORDS or token.endswith(("ed", "ing"))
        ):
            break
        chunk.append(token)
    return _stem(chunk[-1]) if chunk else ""


def normalise_name(name: str) -> str:
    return " ".join(form_tokens(name))


def _figure_matches(expected: ExpectedFigure, predicted: SuggestedFigure) -> bool:
    high = getattr(predicted, "value_high", None)
    return (
        abs(float(predicted.value) - expected.value) < 1e-6
        and predicted.qualifier == expected.qualifier
        and (
            expected.value_high is None
            or (high is not None and abs(float(high) - expected.value_high) < 1e-6)
        )
        and counted_head(predicted.counted) == counted_head(expected.counted)
    )


class _Places:
    """The article's places, so that 'Banias' and 'Baniyas' compare equal."""

    def __init__(self, places: Sequence[KnownPlace]) -> None:
        self.canonical: dict[str, str] = {}
        for place in places:
            for form in (place.name, *place.alternatives):
                self.canonical.setdefault(normalise_name(strip_accents(form)), place.name)

    def resolve(self, name: str | None) -> str | None:
        if not name:
            return None
        return self.canonical.get(normalise_name(strip_accents(name)), name)


def _scope_values(figure: Any, places: _Places) -> dict[str, Any]:
    if isinstance(figure, ExpectedFigure):
        time = figure.time
        subgroups = tuple(sorted(figure.subgroups))
    else:
        time = _time_key(getattr(figure, "time", None))
        subgroups = tuple(sorted(s.lower() for s in getattr(figure, "subgroups", None) or ()))
    return {
        "outcome": getattr(figure, "outcome", None),
        "population": getattr(figure, "population", None),
        "place": places.resolve(getattr(figure, "place", None)),
        "basis": getattr(figure, "basis", None),
        "time": time,
        "subgroups": subgroups,
        "part_of": getattr(figure, "part_of", None),
    }


def _source_by_name(name: str, sources: Sequence[KnownSource]) -> KnownSource | None:
    """A known source the name stands for: its name, an alias or acronym, a
    description or one of its people (exactly, once normalised), or the
    acronym of its name."""
    norm = normalise_name(name)
    if not norm:
        return None
    for source in sources:
        forms = (source.name, *source.aliases, *source.descriptions, *source.people)
        if norm in {normalise_name(f) for f in forms}:
            return source
        initials = "".join(w[0] for w in form_tokens(source.name) if w not in {"of", "for", "and"})
        if is_acronym(name.strip()) and name.strip().lower() == initials:
            return source
    return None


def speaker_matches(expected: ExpectedClaim, predicted: SuggestedClaim) -> bool:
    if expected.source_key is not None:
        return predicted.source_key == expected.source_key
    return predicted.source_key is None and normalise_name(expected.speaker) == normalise_name(
        predicted.proposed_source_name or predicted.speaker
    )


def _chain_matches(
    expected: Sequence[str], predicted: Sequence[str], sources: Sequence[KnownSource]
) -> bool:
    if len(expected) != len(predicted):
        return False
    for e, p in zip(expected, predicted, strict=True):
        ke, kp = _source_by_name(e, sources), _source_by_name(p, sources)
        if not (
            (ke is not None and kp is not None and ke.key == kp.key)
            or (normalise_name(e) == normalise_name(p))
        ):
            return False
    return True


def match_spans(
    expected: Sequence[ExpectedClaim], predicted: Sequence[SuggestedClaim]
) -> list[tuple[int, int]]:
    """One-to-one (expected index, predicted index) pairs, best overlap first."""
    pairs = []
    for i, e in enumerate(expected):
        for j, p in enumerate(predicted):
            score = jaccard((e.start, e.end), (p.start, p.end))
            if score >= JACCARD_THRESHOLD:
                pairs.append((score, i, j))
    pairs.sort(key=lambda t: (-t[0], t[1], t[2]))
    used_e: set[int] = set()
    used_p: set[int] = set()
    matched = []
    for _, i, j in pairs:
        if i not in used_e and j not in used_p:
            used_e.add(i)
            used_p.add(j)
            matched.append((i, j))
    return sorted(matched)


def _describe(figure: SuggestedFigure | ExpectedFigure) -> str:
    return f"{figure.value:g} {figure.qualifier} {figure.counted!r}"


def _score_figures(
    report: ArticleReport, e: ExpectedClaim, p: SuggestedClaim, places: _Places
) -> None:
    free = list(p.figures)
    for figure in e.figures:
        hit = next((f for f in free if _figure_matches(figure, f)), None)
        if hit is None:
            report.problems.append(f"figure missed: {_describe(figure)} in {e.quote[:60]!r}")
            continue
        free.remove(hit)
        report.scores["figures"].correct_predicted += 1
        report.scores["figures"].correct_expected += 1
        want, got = _scope_values(figure, places), _scope_values(hit, places)
        for name in FIELD_REPORT:
            report.fields[name].count(want[name] == got[name])
        wrong = [n for n in SCOPE_FIELDS if want[n] != got[n]]
        if not wrong:
            report.scores["scope"].correct_predicted += 1
            report.scores["scope"].correct_expected += 1
        else:
            detail = ", ".join(f"{n} {want[n]!r} got {got[n]!r}" for n in wrong)
            report.problems.append(f"scope: {_describe(figure)}: {detail}")
    for extra in free:
        report.problems.append(f"figure extra: {_describe(extra)} in {e.quote[:60]!r}")


def _count_duplicates(
    report: ArticleReport,
    article: LabelledArticle,
    predicted: Sequence[SuggestedClaim],
    pairs: Sequence[tuple[int, int]],
) -> None:
    names: dict[str, set[str]] = {}
    for claim in predicted:
        if claim.source_key is not None:
            continue
        name = claim.proposed_source_name or claim.speaker
        report.proposals += 1
        known = _source_by_name(name, article.known_sources)
        if known is not None:
            report.duplicates.append(f"{name!r} is the known source {known.name!r}")
    for i, j in pairs:
        e, p = article.expected[i], predicted[j]
        if p.source_key is not None:
            continue
        if e.source_key is not None:
            report.proposals_for_known += 1
            continue
        names.setdefault(normalise_name(e.speaker), set()).add(
            normalise_name(p.proposed_source_name or p.speaker)
        )
    for speaker, proposed in names.items():
        for extra in sorted(proposed)[1:]:
            report.duplicates.append(f"{speaker!r} proposed again as {extra!r}")


def call_extractor(extractor: Extractor, article: LabelledArticle) -> list[SuggestedClaim]:
    return extractor(article.text, article.known_sources, **article.context())


def evaluate_article(
    article: LabelledArticle, extractor: Extractor = suggest_claims
) -> ArticleReport:
    predicted = call_extractor(extractor, article)
    expected = article.expected
    pairs = match_spans(expected, predicted)
    places = _Places(article.places)
    report = ArticleReport(name=article.name, held_out=article.held_out, matched=len(pairs))
    report.scores["spans"] = Score(len(pairs), len(predicted), len(pairs), len(expected))
    report.scores["speakers"] = Score(0, len(predicted), 0, len(expected))
    n_pred = sum(len(p.figures) for p in predicted)
    n_exp = sum(len(e.figures) for e in expected)
    report.scores["figures"] = Score(0, n_pred, 0, n_exp)
    report.scores["scope"] = Score(0, n_pred, 0, n_exp)
    matched_e = {i for i, _ in pairs}
    matched_p = {j for _, j in pairs}
    for i, j in pairs:
        e, p = expected[i], predicted[j]
        if speaker_matches(e, p):
            report.speakers.correct_predicted += 1
            report.speakers.correct_expected += 1
        else:
            report.problems.append(
                f"speaker: expected {e.speaker!r}, got {p.speaker!r}"
                f"{' (new)' if p.source_key is None else ''} in {e.quote[:60]!r}"
            )
        report.ratios["resolution"].count(p.source_key == e.source_key)
        cont = bool(getattr(p, "continuation", False))
        report.ratios["continuation"].count(cont == e.continuation)
        if cont != e.continuation:
            report.problems.append(
                f"continuation: expected {e.continuation}, got {cont} in {e.quote[:60]!r}"
            )
        report.ratios["kind"].count(e.kind == p.kind)
        if e.kind != p.kind:
            report.problems.append(f"kind: expected {e.kind}, got {p.kind} in {e.quote[:60]!r}")
        chain_ok = _chain_matches(e.chain, p.chain, article.known_sources)
        report.ratios["chain"].count(chain_ok)
        if not chain_ok:
            report.problems.append(
                f"chain: expected {list(e.chain)}, got {p.chain} in {e.quote[:60]!r}"
            )
        if e.source_key is not None and e.source_key == p.source_key:
            via = getattr(p, "via_person", None)
            via_ok = normalise_name(e.via_person or "") == normalise_name(via or "")
            report.ratios["via_person"].count(via_ok)
            if not via_ok:
                report.problems.append(
                    f"via: expected {e.via_person!r}, got {via!r} in {e.quote[:60]!r}"
                )
        _score_figures(report, e, p, places)
    _count_duplicates(report, article, predicted, pairs)
    for i, e in enumerate(expected):
        if i not in matched_e:
            report.problems.append(f"claim missed: {e.speaker!r}: {e.quote[:70]!r}")
    for j, p in enumerate(predicted):
        if j not in matched_p:
            report.problems.append(f"claim extra: {p.speaker!r}: {p.quote[:70]!r}")
    for duplicate in report.duplicates:
        report.problems.append(f"duplicate proposal: {duplicate}")
    return report


def evaluate(articles: Iterable[LabelledArticle], extractor: Extractor = suggest_claims) -> Report:
    return Report([evaluate_article(a, extractor) for a in articles])


def format_table(report: Report, *, verbose: bool = False) -> str:
    """A plain-text table of precision, recall and F1, totals last, then the
    accuracies and the duplicate proposals."""
    lines: list[str] = []
    header = f"{'':28} {'metric':9} {'P':>6} {'R':>6} {'F1':>6}  {'hits/pred':>10} {'hits/exp':>9}"

    def rows(label: str, scores: dict[str, Score]) -> None:
        for metric, score in scores.items():
            lines.append(
                f"{label[:28]:28} {metric:9} {score.precision:6.3f} {score.recall:6.3f} "
                f"{score.f1:6.3f}  {score.correct_predicted:>4}/{score.predicted:<5} "
                f"{score.correct_expected:>4}/{score.expected:<4}"
            )
            label = ""

    lines.append(header)
    if verbose:
        for article in report.articles:
            rows(article.name, article.scores)
    rows(f"ALL ({len(report.articles)} articles)", report.totals)
    lines.append(
        f"speaker resolution accuracy {report.ratio('resolution'):.3f}, "
        f"continuation accuracy {report.ratio('continuation'):.3f}, "
        f"via-person accuracy {report.ratio('via_person'):.3f} (over matched claims)"
    )
    lines.append(
        f"claim kind accuracy {report.kind_accuracy():.3f}, "
        f"chain accuracy {report.chain_accuracy():.3f} (over matched claims)"
    )
    fields = report.field_accuracy()
    lines.append(
        "figure scope field accuracy (over matched figures): "
        + ", ".join(f"{name} {value:.3f}" for name, value in fields.items())
    )
    lines.append(
        f"duplicate source proposals {report.duplicates} (of {report.proposals} proposals; "
        f"{report.proposals_for_known} matched claims proposed a new source where the label "
        "names a known one)"
    )
    if verbose:
        for article in report.articles:
            for problem in article.problems:
                lines.append(f"  {article.name}: {problem}")
    return "\n".join(lines)
