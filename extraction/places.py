"""The workspace gazetteer, compiled once: place names and their alternative
spellings ("Banias" for "Baniyas"), where the text mentions them, and which
place contains which (country > region > district > locality)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from .results import KnownPlace
from .sources import form_tokens, norm_token, word_spans

LEVELS = {"country": 0, "region": 1, "district": 2, "locality": 3}


@dataclass(frozen=True)
class PlaceMention:
    start: int
    end: int
    place: KnownPlace


class PlaceIndex:
    """Every name and alternative of the known places, looked up by words."""

    def __init__(self, places: Iterable[KnownPlace] = ()) -> None:
        self.places: tuple[KnownPlace, ...] = tuple(places)
        self.by_name: dict[str, KnownPlace] = {p.name: p for p in self.places}
        self._forms: dict[tuple[str, ...], KnownPlace] = {}
        self._lengths: dict[str, set[int]] = {}
        for place in self.places:
            for form in (place.name, *place.alternatives):
                tokens = tuple(norm_token(w) for _, _, w in word_spans(form))
                if not tokens:
                    continue
                self._forms.setdefault(tokens, place)
                self._lengths.setdefault(tokens[0], set()).add(len(tokens))
        self.countries = [p for p in self.places if p.level == "country"]

    def __bool__(self) -> bool:
        return bool(self.places)

    def resolve(self, name: str | None) -> KnownPlace | None:
        if not name:
            return None
        tokens = tuple(norm_token(w) for _, _, w in word_spans(name))
        return self._forms.get(tokens) or self._forms.get(form_tokens(name))

    def mentions(self, text: str, start: int = 0, end: int | None = None) -> list[PlaceMention]:
        """Places named in text[start:end], leftmost-longest; a name counts only
        when written with a capital ("the Centre department", not "the centre")."""
        end = len(text) if end is None else end
        words = word_spans(text[start:end])
        lowered = [norm_token(w) for _, _, w in words]
        found: list[PlaceMention] = []
        i = 0
        while i < len(words):
            hit = None
            for size in sorted(self._lengths.get(lowered[i], ()), reverse=True):
                key = tuple(lowered[i : i + size])
                place = self._forms.get(key) if len(key) == size else None
                if place is not None:
                    hit = (size, place)
                    break
            first = words[i][2]
            if hit is None or not (first[:1].isupper() or first.lower() in {"al", "el"}):
                i += 1
                continue
            size, place = hit
            found.append(PlaceMention(start + words[i][0], start + words[i + size - 1][1], place))
            i += size
        return found

    def depth(self, place: KnownPlace) -> int:
        return LEVELS.get(place.level, 3)

    def ancestors(self, place: KnownPlace) -> list[KnownPlace]:
        chain: list[KnownPlace] = []
        seen = {place.name}
        parent = self.by_name.get(place.parent) if place.parent else None
        while parent is not None and parent.name not in seen:
            chain.append(parent)
            seen.add(parent.name)
            parent = self.by_name.get(parent.parent) if parent.parent else None
        return chain

    def contains(self, outer: KnownPlace, inner: KnownPlace) -> bool:
        return outer.name == inner.name or any(a.name == outer.name for a in self.ancestors(inner))

    def combine(self, places: list[KnownPlace]) -> KnownPlace | None:
        """One place for several mentions: the most specific when each contains the
        next ("Dangila in Amhara"), else the smallest place containing them all
        ("in Latakia, Tartus and Hama provinces" -> the country)."""
        unique: list[KnownPlace] = []
        for place in places:
            if all(p.name != place.name for p in unique):
                unique.append(place)
        if not unique:
            return None
        for candidate in unique:
            if all(self.contains(p, candidate) for p in unique):
                return candidate  # the one every other place contains
        deepest = max(unique, key=self.depth)
        common = [deepest, *self.ancestors(deepest)]
        for candidate in common:
            if all(self.contains(candidate, p) for p in unique):
                return candidate
        return None

    def single_country(self) -> KnownPlace | None:
        return self.countries[0] if len(self.countries) == 1 else None
