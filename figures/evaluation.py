"""Evaluating reconciliation and matching on reporting sequences
(figures/sequences/FORMAT.md): load a sequence into a fresh workspace through
the services an analyst's entries go through, reconcile, run the match job
on every claim, and compare what was found with what the sequence expects.

Used by `manage.py evaluate_figures --sequences DIR` and by the tests.
"""

from __future__ import annotations

import datetime
import json
import uuid
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.contrib.auth import get_user_model

from claims.models import Claim, Figure
from claims.services.articles import article_import
from claims.services.claims import claim_create, claim_update
from claims.services.sources import source_create
from figures.services import figures_reconcile, workspace_reconciliation
from matching.models import LinkProposal
from matching.services import claim_for_matching, matches_find_now
from vocabulary.services import gazetteer_load, tolerance_set, vocabulary_load
from workspaces.models import Membership, Workspace

SEQUENCE_FORMAT = "claims-workbench-figure-sequence/1"


BOUNDS_QUALIFIER = {
    "exact": "exact",
    "at_least": "at_least",
    "at_most": "up_to",
    "about": "about",
    "range": "range",
}


RELATIONS = ("updates", "repeat", "conflict", "corroboration")


def load_sequence_file(path: Path) -> dict[str, Any]:
    data = json.loads(path.read_text(encoding="utf-8"))
    if data.get("format") != SEQUENCE_FORMAT:
        raise ValueError(f"{path.name}: not a {SEQUENCE_FORMAT} file.")
    return data


@dataclass
class Loaded:
    """A sequence in a workspace: its figures and claims by key and by id."""

    workspace: Workspace
    figures: dict[str, int] = field(default_factory=dict)  # key -> Figure id
    claims: dict[str, int] = field(default_factory=dict)  # key -> Claim id

    @property
    def figure_keys(self) -> dict[int, str]:
        return {v: k for k, v in self.figures.items()}

    @property
    def claim_keys(self) -> dict[int, str]:
        return {v: k for k, v in self.claims.items()}


def _date(text):
    return datetime.date.fromisoformat(text) if text else None


def _figure_dict(f: dict[str, Any], places, part_of) -> dict[str, Any]:
    period = f.get("period") or {}
    bounds = f.get("bounds", "exact")
    return {
        "value": f["value"] if bounds != "range" else f.get("low", f["value"]),
        "qualifier": BOUNDS_QUALIFIER[bounds],
        "value_high": f.get("high") if bounds == "range" else None,
        "counted": f["counted"],
        "outcome": f["outcome"],
        "population": f["population"],
        "subgroups": list(f.get("subgroups") or []),
        "place": places[f["place"]],
        "as_of": _date(f.get("as_of")),
        "period_start": _date(period.get("from")),
        "period_end": _date(period.get("to")),
        "basis": f["basis"],
        "part_of": part_of,
    }


def load_sequence(data: dict[str, Any], *, actor=None) -> Loaded:
    """Load a sequence into a new workspace (the actor becomes its admin)."""
    if actor is None:
        actor, _ = get_user_model().objects.get_or_create(username="figures-evaluator")
    slug = f"eval-{uuid.uuid4().hex[:12]}"
    workspace = Workspace.objects.create(slug=slug, name=data.get("title", slug)[:200])
    Membership.objects.create(workspace=workspace, user=actor, role=Membership.Role.ADMIN)
    loaded = Loaded(workspace)
    tolerance_set(workspace=workspace, actor=actor, tolerance=data.get("tolerance", 0.1))
    places = gazetteer_load(workspace=workspace, actor=actor, places=data["places"])
    vocabulary = data.get("vocabulary") or {}
    subgroups = sorted(
        {
            tag
            for report in data["reports"]
            for claim in report["claims"]
            for f in claim.get("figures") or []
            for tag in f.get("subgroups") or []
        }
    )
    terms = [
        {"kind": kind, "phrase": phrase, "meaning": meaning}
        for kind, table in (("population", "populations"), ("outcome", "outcomes"))
        for meaning, phrases in (vocabulary.get(table) or {}).items()
        for phrase in phrases
    ]
    vocabulary_load(
        workspace=workspace,
        actor=actor,
        subgroups=[{"key": tag, "label": tag} for tag in subgroups],
        terms=terms,
    )
    sources = {
        s["key"]: source_create(
            workspace=workspace,
            actor=actor,
            name=s["name"],
            kind=s.get("kind", "other"),
            aliases=s.get("aliases") or [],
        )
        for s in data["sources"]
    }
    figure_claim: dict[str, str] = {}
    deferred: dict[str, list] = defaultdict(list)
    spec: dict[str, tuple[dict, list]] = {}
    for report in data["reports"]:
        article = article_import(
            workspace=workspace,
            actor=actor,
            title=report["title"],
            body=report["text"],
            outlet=sources.get(report.get("outlet")),
            published_on=_date(report.get("published")),
            suggest=False,
        )
        for item in report["claims"]:
            figure_keys = [f["key"] for f in item.get("figures") or []]
            dicts = []
            for f in item.get("figures") or []:
                target = f.get("part_of")
                if target in figure_keys:
                    part_of = figure_keys.index(target)
                elif target in loaded.figures:
                    part_of = Figure.objects.get(pk=loaded.figures[target])
                else:
                    part_of = None
                    if target:
                        deferred[item["key"]].append((f["key"], target))
                dicts.append(_figure_dict(f, places, part_of))
            claim = claim_create(
                article=article,
                actor=actor,
                source=sources[item["source"]],
                quote=item["quote"],
                kind=item.get("kind", "other"),
                statement=item.get("statement", ""),
                intermediaries=[sources[k] for k in item.get("chain") or [] if k != item["source"]],
                figures=dicts,
            )
            loaded.claims[item["key"]] = claim.pk
            for position, figure in enumerate(claim.figures.order_by("position")):
                loaded.figures[figure_keys[position]] = figure.pk
                figure_claim[figure_keys[position]] = item["key"]
            spec[item["key"]] = (item, dicts)
    for claim_key, pairs in deferred.items():
        # A part recorded against a total reported later: set once both exist.
        item, dicts = spec[claim_key]
        keys = [f["key"] for f in item["figures"]]
        for figure_key, target in pairs:
            dicts[keys.index(figure_key)]["part_of"] = Figure.objects.get(pk=loaded.figures[target])
        claim = Claim.objects.get(pk=loaded.claims[claim_key])
        claim_update(claim=claim, actor=actor, expected_version=claim.version, figures=dicts)
    return loaded


@dataclass
class Score:
    expected: int = 0
    found: int = 0
    correct: int = 0

    @property
    def precision(self) -> float:
        return self.correct / self.found if self.found else 1.0

    @property
    def recall(self) -> float:
        return self.correct / self.expected if self.expected else 1.0

    def add(self, other: Score) -> None:
        self.expected += other.expected
        self.found += other.found
        self.correct += other.correct


@dataclass
class SequenceResult:
    name: str
    scores: dict[str, Score] = field(default_factory=dict)
    proposals: dict[str, Score] = field(default_factory=dict)
    false_conflicts: list = field(default_factory=list)
    missing: dict[str, list] = field(default_factory=dict)
    extra: dict[str, list] = field(default_factory=dict)
    wrong_proposals: list = field(default_factory=list)


def _compare(name: str, expected: list, found: list, result: SequenceResult) -> None:
    expected_set = Counter(expected)
    found_set = Counter(found)
    correct = sum((expected_set & found_set).values())
    result.scores[name] = Score(len(expected), len(found), correct)
    result.missing[name] = sorted(map(str, (expected_set - found_set).elements()))
    result.extra[name] = sorted(map(str, (found_set - expected_set).elements()))


def evaluate_sequence(name: str, data: dict[str, Any], *, actor=None) -> SequenceResult:
    """Load, reconcile, match every claim, and score against `expected`."""
    loaded = load_sequence(data, actor=actor)
    workspace = loaded.workspace
    figures_reconcile(workspace=workspace)
    reconciliation = workspace_reconciliation(workspace=workspace)
    for claim_id in loaded.claims.values():
        claim = claim_for_matching(workspace_id=workspace.pk, pk=claim_id)
        matches_find_now(claim)
    key = loaded.figure_keys
    expected = data["expected"]
    result = SequenceResult(name)
    _compare(
        "updates",
        [tuple(u["figures"]) for u in expected["updates"]],
        [tuple(key[r.id] for r in u.records) for u in reconciliation.updates],
        result,
    )
    _compare(
        "repeats",
        [tuple(sorted(p)) for p in expected["repeats"]],
        [tuple(sorted((key[r.first.id], key[r.again.id]))) for r in reconciliation.repeats],
        result,
    )
    _compare(
        "parts checks",
        [(p["total"], tuple(sorted(p["parts"])), p["state"]) for p in expected["parts_checks"]],
        [
            (key[p.total.id], tuple(sorted(key[x.id] for x in p.parts)), p.state)
            for p in reconciliation.parts_checks
        ],
        result,
    )
    expected_conflicts = [tuple(sorted(p)) for p in expected["conflicts"]]
    found_conflicts = [
        tuple(sorted(key[r.id] for r in c.records)) for c in reconciliation.conflicts
    ]
    _compare("conflicts", expected_conflicts, found_conflicts, result)
    result.false_conflicts = [c for c in found_conflicts if c not in expected_conflicts]
    _compare(
        "ranges",
        [
            (tuple(sorted(r["figures"])), Decimal(str(r["low"])), Decimal(str(r["high"])))
            for r in expected["ranges"]
        ],
        [
            (tuple(sorted(key[x.id] for x in r.records)), r.low.normalize(), r.high.normalize())
            for r in reconciliation.ranges
        ],
        result,
    )
    claim_key = loaded.claim_keys
    found = {
        frozenset((claim_key[p.claim_id], claim_key[p.other_id])): (p.relation, p.reason)
        for p in LinkProposal.objects.filter(workspace=workspace)
    }
    wanted = {frozenset(p["claims"]): p["relation"] for p in expected["proposals"]}
    for relation in RELATIONS:
        score = Score(
            expected=sum(1 for r in wanted.values() if r == relation),
            found=sum(1 for r, _ in found.values() if r == relation),
            correct=sum(
                1 for pair, (r, _) in found.items() if r == relation and wanted.get(pair) == r
            ),
        )
        result.proposals[relation] = score
    for pair, (relation, reason) in sorted(found.items(), key=lambda x: sorted(x[0])):
        if wanted.get(pair) != relation:
            result.wrong_proposals.append((sorted(pair), relation, wanted.get(pair), reason))
    for pair, relation in sorted(wanted.items(), key=lambda x: sorted(x[0])):
        if pair not in found:
            result.wrong_proposals.append((sorted(pair), None, relation, "not proposed"))
    return result


def totals(results: list[SequenceResult]) -> tuple[dict[str, Score], dict[str, Score], Score]:
    """Reconciliation scores, proposal scores by relation, and all proposals."""
    rec: dict[str, Score] = defaultdict(Score)
    prop: dict[str, Score] = defaultdict(Score)
    overall = Score()
    for result in results:
        for name, score in result.scores.items():
            rec[name].add(score)
        for name, score in result.proposals.items():
            prop[name].add(score)
            overall.add(score)
    return dict(rec), dict(prop), overall
