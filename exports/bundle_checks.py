"""Checking a bundle whole before anything is written: first against its
declared JSON Schema (static/schemas/claims-workbench-bundle-v1.schema.json:
types, lengths, ranges, choices, usernames), then what a schema cannot say
(ids unique, references inside the bundle, bodies matching their hashes,
quotes matching the text, the four-eyes rule on imported reviews). Every
problem is reported with its place in the bundle as a JSON Pointer
("/claims/3/evidence/0/url: ...")."""

from __future__ import annotations

import functools
import hashlib
import json
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from django.conf import settings
from django.utils.dateparse import parse_date, parse_datetime
from jsonschema import Draft202012Validator, FormatChecker
from jsonschema.exceptions import ValidationError as SchemaError

SCHEMA_FILE = "schemas/claims-workbench-bundle-v1.schema.json"


SECTIONS = (
    "places",
    "vocabulary",
    "sources",
    "articles",
    "claims",
    "links",
    "snapshots",
    "audit_events",
)


# Changes to evidence that are a link check's or an archive's, not a person's.
NOT_EDITS = {"link_state"}


def schema_path() -> Path:
    return Path(settings.BASE_DIR) / "static" / SCHEMA_FILE


@functools.cache
def bundle_schema() -> dict[str, Any]:
    return json.loads(schema_path().read_text(encoding="utf-8"))


_formats = FormatChecker(formats=())


@_formats.checks("date-time", raises=ValueError)
def _is_datetime(value) -> bool:
    return not isinstance(value, str) or parse_datetime(value) is not None


@_formats.checks("date", raises=ValueError)
def _is_date(value) -> bool:
    return not isinstance(value, str) or parse_date(value) is not None


@functools.cache
def _validator() -> Draft202012Validator:
    return Draft202012Validator(bundle_schema(), format_checker=_formats)


def pointer(*parts) -> str:
    return "/" + "/".join(str(p).replace("~", "~0").replace("/", "~1") for p in parts)


SCHEMA_TYPES = {
    "array": "a list",
    "object": "an object",
    "integer": "an integer",
    "number": "a number",
    "string": "text",
    "boolean": "true/false",
    "null": "null",
}


def _type_name(value) -> str:
    return {
        bool: "true/false",
        int: "an integer",
        float: "a number",
        str: "text",
        list: "a list",
        dict: "an object",
        type(None): "null",
    }.get(type(value), type(value).__name__)


def _short(value, limit: int = 60) -> str:
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _schema_message(error: SchemaError) -> str:
    """The problem in words, without echoing a whole (maybe huge) value."""
    kind, expected, value = error.validator, error.validator_value, error.instance
    if kind == "type":
        wanted = [expected] if isinstance(expected, str) else expected
        words = " or ".join(SCHEMA_TYPES.get(w, w) for w in wanted)
        return f"expected {words}, found {_type_name(value)}"
    if kind == "maxLength":
        return f"longer than {expected} characters ({len(value)})"
    if kind == "minLength":
        return "must not be empty"
    if kind == "pattern":
        if "[\\w.@+-]" in expected:
            return f"{_short(value)} is not a valid username (letters, digits and @.+-_)"
        return f"{_short(value)} does not have the expected form ({expected})"
    if kind == "enum":
        choices = ", ".join(repr(c) for c in expected[:12])
        return f"{_short(value)} is not one of {choices}"
    if kind == "const":
        return f"must be {expected!r}"
    if kind in ("minimum", "maximum"):
        return f"{_short(value)} must be at {'least' if kind == 'minimum' else 'most'} {expected}"
    if kind in ("maxItems", "minItems"):
        return f"must hold at {'most' if kind == 'maxItems' else 'least'} {expected} items"
    if kind == "format":
        return f"{_short(value)} is not a valid {expected.replace('-', ' and ')}"
    return error.message[:200]


def schema_problems(data: Any) -> list[str]:
    errors = sorted(_validator().iter_errors(data), key=lambda e: [str(p) for p in e.path])
    return [f"{pointer(*error.absolute_path)}: {_schema_message(error)}" for error in errors]


def _when(value):
    return parse_datetime(value) if isinstance(value, str) and value else None


def _unique_ids(items: list[dict], section: str, problems: list[str]) -> set[int]:
    seen: set[int] = set()
    for index, item in enumerate(items):
        if item["id"] in seen:
            problems.append(f"{pointer(section, index, 'id')}: id {item['id']} is repeated")
        seen.add(item["id"])
    return seen


def _ref(problems, where: str, what: str, value, known: set) -> None:
    if value is not None and value not in known:
        problems.append(f"{where}: {what} {value!r} is not in the bundle")


def reference_problems(data: dict[str, Any]) -> list[str]:
    """What the schema cannot check. Call only on data that passed the schema."""
    problems: list[str] = []
    place_ids = _unique_ids(data.get("places") or [], "places", problems)
    for index, place in enumerate(data.get("places") or []):
        _ref(problems, pointer("places", index, "parent"), "place", place.get("parent"), place_ids)
    figure_ids: set[int] = set()
    for index, claim in enumerate(data["claims"]):
        for position, figure in enumerate(claim.get("figures") or []):
            here = pointer("claims", index, "figures", position)
            _ref(problems, f"{here}/place", "place", figure.get("place"), place_ids)
            if figure.get("id") is not None:
                if figure["id"] in figure_ids:
                    problems.append(f"{here}/id: figure id {figure['id']} is repeated")
                figure_ids.add(figure["id"])
    for index, claim in enumerate(data["claims"]):
        for position, figure in enumerate(claim.get("figures") or []):
            here = pointer("claims", index, "figures", position)
            _ref(problems, f"{here}/part_of", "figure", figure.get("part_of"), figure_ids)
    source_ids = _unique_ids(data["sources"], "sources", problems)
    article_ids = _unique_ids(data["articles"], "articles", problems)
    claim_ids = _unique_ids(data["claims"], "claims", problems)
    _unique_ids(data["links"], "links", problems)
    _unique_ids(data["snapshots"], "snapshots", problems)
    names: dict[str, int] = {}
    for index, source in enumerate(data["sources"]):
        key = " ".join(source["name"].split()).casefold()
        if key in names:
            problems.append(
                f"{pointer('sources', index, 'name')}: the same name as /sources/{names[key]}"
            )
        names.setdefault(key, index)
    bodies: dict[int, str] = {}
    for index, article in enumerate(data["articles"]):
        where = pointer("articles", index)
        _ref(problems, f"{where}/outlet", "source", article.get("outlet"), source_ids)
        _ref(
            problems,
            f"{where}/previous_version",
            "article",
            article.get("previous_version"),
            article_ids,
        )
        bodies[article["id"]] = article["body"]
        if hashlib.sha256(article["body"].encode("utf-8")).hexdigest() != article["body_sha256"]:
            problems.append(f"{where}/body: does not match its SHA-256 (altered?)")
    evidence_ids: set[int] = set()
    for index, claim in enumerate(data["claims"]):
        where = pointer("claims", index)
        _ref(problems, f"{where}/article", "article", claim["article"], article_ids)
        _ref(problems, f"{where}/source", "source", claim["source"], source_ids)
        for position, via in enumerate(claim.get("intermediaries") or []):
            _ref(problems, f"{where}/intermediaries/{position}", "source", via, source_ids)
        body = bodies.get(claim["article"])
        start, end = claim["start"], claim["end"]
        if body is not None and (not start < end <= len(body) or body[start:end] != claim["quote"]):
            problems.append(f"{where}/quote: is not the article text at {start}–{end}")
        for position, evidence in enumerate(claim.get("evidence") or []):
            here = f"{where}/evidence/{position}"
            if evidence["id"] in evidence_ids:
                problems.append(f"{here}/id: evidence id {evidence['id']} is repeated")
            evidence_ids.add(evidence["id"])
            _ref(problems, f"{here}/publisher", "source", evidence.get("publisher"), source_ids)
            _ref(problems, f"{here}/origin", "source", evidence.get("origin"), source_ids)
    for index, link in enumerate(data["links"]):
        where = pointer("links", index)
        _ref(problems, f"{where}/from_claim", "claim", link["from_claim"], claim_ids)
        _ref(problems, f"{where}/to_claim", "claim", link["to_claim"], claim_ids)
    for index, snapshot in enumerate(data["snapshots"]):
        where = pointer("snapshots", index)
        _ref(problems, f"{where}/evidence", "evidence", snapshot.get("evidence"), evidence_ids)
        _ref(problems, f"{where}/article", "article", snapshot.get("article"), article_ids)
    for index, event in enumerate(data["audit_events"]):
        if event["actor"] is not None and not _is_username(event["actor_name"]):
            problems.append(
                f"{pointer('audit_events', index, 'actor_name')}: "
                f"{_short(event['actor_name'])} is not a valid username"
            )
    counts = data.get("counts") or {}
    for name in SECTIONS:
        held = len(data.get(name) or [])
        if name in counts and counts[name] != held:
            problems.append(
                f"{pointer('counts', name)}: the bundle holds {held} {name} but says "
                f"{counts[name]} (a truncated or edited file?)"
            )
    problems.extend(four_eyes_problems(data))
    return problems


def _is_username(value) -> bool:
    return (
        isinstance(value, str)
        and 0 < len(value) <= 150
        and all(c.isalnum() or c in "@.+-_" for c in value)
    )


def _edited_evidence(events: Iterable[tuple[int, dict]]) -> dict[tuple[str, str], list]:
    """(actor name, evidence id) -> [(event index, time)] of evidence edits."""
    edits: dict[tuple[str, str], list] = {}
    for index, event in events:
        if event["object_type"] != "evidence" or set(event["changes"]) <= NOT_EDITS:
            continue
        key = (event["actor_name"], event["object_id"])
        edits.setdefault(key, []).append((index, _when(event["created_at"])))
    return edits


def four_eyes_problems(data: dict[str, Any]) -> list[str]:
    """The four-eyes rule on imported reviews: nobody approves their own
    proposal, nor a claim whose evidence they added or changed after it was
    proposed (as the evidence and the bundle's history record it)."""
    problems: list[str] = []
    edits = _edited_evidence(enumerate(data["audit_events"]))
    for index, claim in enumerate(data["claims"]):
        where = pointer("claims", index)
        proposer = claim.get("proposed_by") or ""
        approvers = []
        if claim.get("approved_by"):
            approvers.append((f"{where}/approved_by", claim["approved_by"]))
        for position, review in enumerate(claim.get("reviews") or []):
            if review["decision"] != "approved":
                continue
            approvers.append((f"{where}/reviews/{position}/reviewer", review["reviewer"]))
            if review.get("proposed_by") and review["reviewer"] == review["proposed_by"]:
                problems.append(
                    f"{where}/reviews/{position}/reviewer: {review['reviewer']} approved their "
                    "own proposal (four-eyes rule)"
                )
        proposed_at = _when(claim.get("proposed_at"))
        for here, approver in approvers:
            if proposer and approver == proposer:
                problems.append(f"{here}: {approver} approved their own proposal (four-eyes rule)")
            if proposed_at is None:
                continue
            for position, evidence in enumerate(claim.get("evidence") or []):
                added_at = _when(evidence.get("added_at"))
                touched = (
                    evidence.get("added_by") == approver and added_at and (added_at >= proposed_at)
                )
                touched = touched or any(
                    when and when >= proposed_at
                    for _, when in edits.get((approver, str(evidence["id"])), [])
                )
                if touched:
                    problems.append(
                        f"{here}: {approver} approved the claim after adding or changing its "
                        f"evidence {where}/evidence/{position} (four-eyes rule)"
                    )
    return sorted(set(problems), key=problems.index)


def bundle_problems(data: Any) -> list[str]:
    """Every problem of the bundle, each with its path; [] for a good one."""
    problems = schema_problems(data)
    if problems:
        # The rest needs well-typed data; fix these first.
        return problems
    return reference_problems(data)
