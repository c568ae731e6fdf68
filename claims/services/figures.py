"""The figure-dict contract: how a figure is given to the claim services, by
the claim form, the bundle import and accepted suggestions alike.

A figure is a dict with these keys (all but `value` and `counted` optional):

- `value`: the number (>= 0); `qualifier`: exact, more_than, at_least, about,
  nearly, up_to, fewer_than, range, dozens, hundreds, thousands;
  `value_high`: the top of a range (qualifier "range");
- `counted`: what is counted, in the report's words ("members of the
  security forces"); kept as written;
- `outcome`: an Outcome, its key, its label or a workspace term ("executed");
- `population`: civilians, security_forces, armed_groups, unspecified (or a
  label or term: "militants");
- `subgroups`: a list (or a comma-separated string) of sub-group tags;
- `place`: a Place, its id, or a name resolved in the workspace's gazetteer
  (alternative spellings count; "Baniyas (Tartus)" tells two apart);
- `as_of`, `period_start`, `period_end`: dates (or ISO strings);
- `basis`: cumulative, increment, incident;
- `part_of`: another figure this one is a part of: an int that is the index
  (0-based) of a figure of the same claim; a Figure of the workspace (or
  "figure:<id>", or an int beyond the claim's figures, taken as a Figure id).

Where the outcome, population, sub-groups, basis or place are not given, the
wording of `counted` suggests them (the workspace's lexicon and gazetteer),
so a figure typed as free text still gets a scope when its words say it.
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError

from claims.models import Figure
from counting.figures import figure_interval
from counting.scope import Population, normalise_phrase, normalise_tag, parse_counted
from counting.wording import day, plain_number, quantity
from vocabulary.models import Outcome, Place, PlaceName
from vocabulary.selectors import (
    known_subgroups,
    lexicon_for,
    outcomes_for,
    resolve_outcome,
    resolve_place,
    resolve_population,
    resolve_subgroup,
)
from workspaces.models import Workspace

FIGURE_KEYS = (
    "value",
    "qualifier",
    "value_high",
    "counted",
    "outcome",
    "population",
    "subgroups",
    "place",
    "as_of",
    "period_start",
    "period_end",
    "basis",
    "part_of",
)


MAX_VALUE = Decimal("1e12")


@dataclass
class FigureVocabulary:
    """The workspace's vocabulary, read once for a claim's figures (or for
    all the claims of a bundle being imported)."""

    workspace: Workspace
    _outcomes: dict | None = None
    _lexicon: Any = None
    _subgroups: dict[str, str] | None = None
    _place_names: dict[str, int] | None = None

    def outcome(self, text) -> Outcome | None:
        """An outcome by key or label (cached), else by a workspace term."""
        if self._outcomes is None:
            self._outcomes = {}
            for outcome in outcomes_for(workspace=self.workspace):
                self._outcomes[outcome.key] = outcome
                self._outcomes[normalise_phrase(outcome.label)] = outcome
        if isinstance(text, Outcome):
            return text if text.workspace_id in (None, self.workspace.pk) else None
        key = normalise_phrase(str(text or ""))
        found = self._outcomes.get(key.replace(" ", "_")) or self._outcomes.get(key)
        return found or resolve_outcome(workspace=self.workspace, text=text)

    @property
    def lexicon(self):
        if self._lexicon is None:
            self._lexicon = lexicon_for(workspace=self.workspace)
        return self._lexicon

    @property
    def subgroups(self) -> dict[str, str]:
        if self._subgroups is None:
            self._subgroups = known_subgroups(workspace=self.workspace)
        return self._subgroups

    @property
    def place_names(self) -> dict[str, int]:
        if self._place_names is None:
            names: dict[str, int] = {}
            for key, place_id in PlaceName.objects.filter(workspace=self.workspace).values_list(
                "key", "place_id"
            ):
                names[key] = -1 if key in names and names[key] != place_id else place_id
            self._place_names = {k: v for k, v in names.items() if v != -1}
        return self._place_names


def _error(index: int, message: str) -> ValidationError:
    return ValidationError({"figures": f"Figure {index}: {message}"})


def _decimal(index: int, raw, what: str) -> Decimal:
    try:
        number = Decimal(str(raw).replace(",", "").strip())
    except (InvalidOperation, ValueError):
        raise _error(index, f"the {what} is not a number.") from None
    if not number.is_finite():
        raise _error(index, f"the {what} is not a number.")
    if number < 0:
        raise _error(index, f"a count cannot be negative ({what} {raw}).")
    if number >= MAX_VALUE:
        raise _error(index, f"the {what} must be below a trillion.")
    return number.quantize(Decimal("0.01"))


def _date(index: int, raw, what: str) -> datetime.date | None:
    if raw in (None, ""):
        return None
    if isinstance(raw, datetime.datetime):
        return raw.date()
    if isinstance(raw, datetime.date):
        return raw
    try:
        return datetime.date.fromisoformat(str(raw).strip())
    except ValueError:
        raise _error(index, f"the {what} “{raw}” is not a date (YYYY-MM-DD).") from None


def _subgroup_list(raw) -> list[str]:
    if raw in (None, ""):
        return []
    if isinstance(raw, str):
        return [part for part in raw.split(",") if part.strip()]
    return [str(part) for part in raw if str(part).strip()]


def _clean_one(index: int, figure: dict[str, Any], vocabulary: FigureVocabulary) -> dict[str, Any]:
    workspace = vocabulary.workspace
    value = _decimal(index, figure.get("value", ""), "value")
    qualifier = figure.get("qualifier") or Figure.Qualifier.EXACT
    high_raw = figure.get("value_high")
    value_high = None if high_raw in (None, "") else _decimal(index, high_raw, "top of the range")
    if value_high is not None and qualifier == Figure.Qualifier.EXACT:
        qualifier = Figure.Qualifier.RANGE
    if qualifier not in Figure.Qualifier.values:
        raise _error(index, f"unknown qualifier “{qualifier}”.")
    if qualifier == Figure.Qualifier.RANGE:
        if value_high is None:
            raise _error(index, "a range needs its top value as well as its bottom.")
        if value_high < value:
            raise _error(
                index,
                f"the range's top ({quantity(value_high, 'exact')}) is below its bottom "
                f"({quantity(value, 'exact')}).",
            )
    elif value_high is not None:
        raise _error(index, "only a range has a top value; choose “a range” or clear it.")
    counted = " ".join(str(figure.get("counted") or "").split())[:200]
    if not counted:
        raise _error(index, "say what is counted.")
    guess = parse_counted(counted, vocabulary.lexicon, vocabulary.place_names)

    outcome_raw = figure.get("outcome")
    if outcome_raw in (None, ""):
        outcome = (
            resolve_outcome(workspace=workspace, text=guess.outcome) if guess.outcome else None
        )
    else:
        outcome = resolve_outcome(workspace=workspace, text=outcome_raw)
        if outcome is None:
            raise _error(index, f"unknown outcome “{outcome_raw}”.")

    population_raw = figure.get("population")
    if population_raw in (None, ""):
        population = guess.population or Population.UNSPECIFIED
    else:
        population = resolve_population(workspace=workspace, text=population_raw)
        if population is None:
            raise _error(
                index,
                f"unknown population “{population_raw}” (civilians, security forces, "
                "armed groups or unspecified).",
            )

    subgroups_raw = figure.get("subgroups")
    if subgroups_raw is None:
        subgroups = list(guess.subgroups)
    else:
        subgroups = []
        for raw in _subgroup_list(subgroups_raw):
            tag = resolve_subgroup(workspace=workspace, text=raw, known=vocabulary.subgroups)
            if tag is None:
                raise _error(
                    index,
                    f"unknown sub-group “{raw.strip()}”; an admin adds sub-groups on the "
                    "Vocabulary page.",
                )
            if tag not in subgroups:
                subgroups.append(tag)
    subgroups = sorted({normalise_tag(tag) for tag in subgroups})

    place_raw = figure.get("place")
    if place_raw in (None, ""):
        place = Place.objects.filter(pk=guess.place).first() if guess.place else None
    else:
        try:
            place = resolve_place(workspace=workspace, value=place_raw)
        except ValidationError as exc:
            raise _error(index, " ".join(exc.messages)) from None

    as_of = _date(index, figure.get("as_of"), "as-of date")
    start = _date(index, figure.get("period_start"), "start of the period")
    end = _date(index, figure.get("period_end"), "end of the period")
    if start and end and end < start:
        raise _error(index, f"the period ends ({day(end)}) before it starts ({day(start)}).")
    if as_of and start and as_of < start:
        raise _error(
            index, f"it is counted to {day(as_of)}, before its period starts ({day(start)})."
        )

    basis = figure.get("basis") or guess.basis or ""
    if basis not in ("", *Figure.Basis.values):
        raise _error(index, f"unknown basis “{basis}” (cumulative, increment or incident).")
    return {
        "value": value,
        "qualifier": qualifier,
        "value_high": value_high,
        "counted": counted,
        "outcome": outcome,
        "population": population,
        "subgroups": subgroups,
        "place": place,
        "as_of": as_of,
        "period_start": start,
        "period_end": end,
        "basis": basis,
        "part_of": figure.get("part_of"),
    }


def _part_target(
    index: int, raw, count: int, workspace: Workspace
) -> tuple[int | None, Figure | None]:
    """(index within the claim, or a Figure of the workspace) for part_of."""
    if raw in (None, ""):
        return None, None
    if isinstance(raw, Figure):
        figure = raw
    else:
        text = str(raw).strip()
        if text.startswith(("figure:", "id:")):
            text = text.partition(":")[2]
            if not text.isdigit():
                raise _error(index, f"part of “{raw}”: not a figure.")
            figure = Figure.objects.filter(pk=int(text)).select_related("claim").first()
        elif text.lstrip("-").isdigit():
            number = int(text)
            if 0 <= number < count:
                if number == index - 1:
                    raise _error(index, "a figure cannot be a part of itself.")
                return number, None
            figure = Figure.objects.filter(pk=number).select_related("claim").first()
        else:
            raise _error(index, f"part of “{raw}”: give another figure.")
    if figure is None or figure.claim.workspace_id != workspace.pk:
        raise _error(
            index, "the figure it is a part of belongs to another workspace (or does not exist)."
        )
    return None, figure


def _inherit(part: dict[str, Any], total: dict[str, Any], *, given: dict[str, Any]) -> None:
    """A part counts what its total counts, to the same day: "344 civilians"
    among "610 people killed since Thursday" are civilians killed since
    Thursday. What the part's dict did not give comes from its total."""
    if part["outcome"] is None and given.get("outcome") in (None, ""):
        part["outcome"] = total["outcome"]
    if not part["basis"] and given.get("basis") in (None, ""):
        part["basis"] = total["basis"]
    if not (part["as_of"] or part["period_start"] or part["period_end"]):
        part["as_of"] = total["as_of"]
        part["period_start"], part["period_end"] = total["period_start"], total["period_end"]


def _check_part(index: int, part: dict[str, Any], total: dict[str, Any], total_name: str) -> None:
    """A part cannot be larger than its total, nor count another outcome."""
    part_interval = figure_interval(part["value"], part["qualifier"], part["value_high"])
    whole = figure_interval(total["value"], total["qualifier"], total["value_high"])
    if whole.hi is not None and part_interval.lo > whole.hi:
        raise _error(
            index,
            f"{quantity(part['value'], part['qualifier'], part['value_high'])} is larger than "
            f"the total it is a part of ({total_name}: "
            f"{quantity(total['value'], total['qualifier'], total['value_high'])}).",
        )
    if part["outcome"] and total["outcome"] and part["outcome"].pk != total["outcome"].pk:
        raise _error(
            index,
            f"a part counts the same outcome as its total ({total_name} counts "
            f"{total['outcome'].label}, this one {part['outcome'].label}).",
        )


def clean_figures(
    figures: Sequence[dict[str, Any]],
    *,
    workspace: Workspace,
    vocabulary: FigureVocabulary | None = None,
) -> list[dict[str, Any]]:
    """Validated figure dicts (see the module's docstring for the contract).
    Raises ValidationError naming the figure and what is wrong: a negative
    count, a period that ends before it starts, a place of another
    workspace's gazetteer, a part larger than its total, ...

    Each returned dict holds Figure fields plus `part_of_index` (a figure of
    the same claim) or `part_of` (a Figure of another claim)."""
    vocabulary = vocabulary or FigureVocabulary(workspace)
    cleaned = [_clean_one(i, dict(f), vocabulary) for i, f in enumerate(figures, start=1)]
    for i, figure in enumerate(cleaned, start=1):
        position, other = _part_target(i, figure.pop("part_of"), len(cleaned), workspace)
        figure["part_of_index"], figure["part_of"] = position, other
        if position is not None:
            _inherit(figure, cleaned[position], given=figures[i - 1])
            _check_part(i, figure, cleaned[position], f"figure {position + 1}")
        elif other is not None:
            total = {
                "value": other.value,
                "qualifier": other.qualifier,
                "value_high": other.value_high,
                "outcome": other.outcome,
            }
            _check_part(i, figure, total, f"figure {other.pk}")
    for i, figure in enumerate(cleaned, start=1):
        seen, position = {i - 1}, figure["part_of_index"]
        while position is not None:
            if position in seen:
                raise _error(i, "its parts and totals go round in a circle.")
            seen.add(position)
            position = cleaned[position]["part_of_index"]
    return cleaned


def usable_scope(figures: Sequence[dict[str, Any]], *, workspace: Workspace) -> list[dict]:
    """Figure dicts with the scope keys the workspace cannot resolve taken out
    (an extractor's place that is not in the gazetteer, an outcome or
    sub-group the vocabulary lacks, a part_of beyond the claim's figures): for
    suggestions accepted as they are, which should not fail on them."""
    vocabulary = FigureVocabulary(workspace)
    usable = []
    for figure in figures:
        figure = dict(figure)
        if figure.get("place") not in (None, ""):
            try:
                resolve_place(workspace=workspace, value=figure["place"])
            except ValidationError:
                figure.pop("place")
        if (
            figure.get("outcome") not in (None, "")
            and vocabulary.outcome(figure["outcome"]) is None
        ):
            figure.pop("outcome")
        if (
            figure.get("population") not in (None, "")
            and resolve_population(workspace=workspace, text=figure["population"]) is None
        ):
            figure.pop("population")
        if figure.get("subgroups"):
            tags = [
                resolve_subgroup(workspace=workspace, text=t, known=vocabulary.subgroups)
                for t in _subgroup_list(figure["subgroups"])
            ]
            figure["subgroups"] = [t for t in tags if t]
        part_of = figure.get("part_of")
        if part_of is not None and not (isinstance(part_of, int) and 0 <= part_of < len(figures)):
            figure.pop("part_of")
        for key in ("as_of", "period_start", "period_end"):
            try:
                _date(0, figure.get(key), key)
            except ValidationError:
                figure.pop(key)
        usable.append(figure)
    for figure in usable:
        total = usable[figure["part_of"]] if "part_of" in figure else None
        if total is not None:
            try:
                part = figure_interval(figure["value"], figure.get("qualifier") or "exact")
                whole = figure_interval(total["value"], total.get("qualifier") or "exact")
            except (ArithmeticError, TypeError, ValueError):
                continue
            if total is figure or (whole.hi is not None and part.lo > whole.hi):
                figure.pop("part_of")
    return usable


def figure_fields(figure: dict[str, Any]) -> dict[str, Any]:
    """The Figure model fields of a cleaned figure dict."""
    return {k: v for k, v in figure.items() if k not in ("part_of", "part_of_index")}


def write_figures(claim, figures: Sequence[dict[str, Any]]) -> list[Figure]:
    """Replace a claim's figures with cleaned ones. Rows are updated in place
    by position, so figures of other claims recorded as parts of these keep
    their link; removed rows leave those parts unlinked."""
    existing = list(Figure.objects.filter(claim=claim).order_by("position", "id"))
    kept: list[Figure] = []
    for position, data in enumerate(figures):
        if position < len(existing):
            figure = existing[position]
            for name, value in figure_fields(data).items():
                setattr(figure, name, value)
            figure.position = position
            figure.part_of = None
        else:
            figure = Figure(claim=claim, position=position, **figure_fields(data))
        figure.save()
        kept.append(figure)
    for figure in existing[len(figures) :]:
        figure.delete()
    for figure, data in zip(kept, figures, strict=True):
        target = data.get("part_of")
        if data.get("part_of_index") is not None:
            target = kept[data["part_of_index"]]
        if target is not None:
            figure.part_of = target
            figure.save(update_fields=["part_of"])
    return kept


def figure_snapshot(figure: Figure) -> dict[str, Any]:
    """A figure as history records it (and an approval covers)."""
    from_plain = {
        "value": plain_number(figure.value),
        "qualifier": figure.qualifier,
        "counted": figure.counted,
    }
    scope = {
        "value_high": plain_number(figure.value_high) if figure.value_high is not None else None,
        "outcome": figure.outcome.key if figure.outcome_id else None,
        "population": figure.population,
        "subgroups": list(figure.subgroups or []),
        "place": figure.place.name if figure.place_id else None,
        "as_of": figure.as_of,
        "period_start": figure.period_start,
        "period_end": figure.period_end,
        "basis": figure.basis,
        "part_of": figure.part_of_id,
    }
    return {**from_plain, **{k: v for k, v in scope.items() if v not in (None, "", [])}}
