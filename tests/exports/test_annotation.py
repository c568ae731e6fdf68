"""W3C Web Annotation (JSON-LD): the model's MUSTs (and the SHOULDs we meet),
written as tests, selectors that select the same text on the exported
article text, and JSON-LD expansion with pyld that loses no term."""

import copy
import datetime
import json
import re
from pathlib import Path

import pytest
from pyld import jsonld

from claims.models import Claim
from exports.formats.annotation import ANNO_CONTEXT, ni_uri
from tests.exports.world import export_json

CONTEXTS = {ANNO_CONTEXT: Path(__file__).parent / "jsonld" / "anno.jsonld"}
ANNO_TERMS = json.loads(CONTEXTS[ANNO_CONTEXT].read_text())["@context"]
UTC_Z = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$")
IRI = re.compile(r"^(https?://[^\s]+|ni:///sha-256;[A-Za-z0-9_-]{43})$")
MOTIVATIONS = {
    k for k, v in ANNO_TERMS.items() if isinstance(v, str) and v.startswith("oa:") and k.islower()
}


def _local_contexts(url, options=None):
    """pyld's document loader, offline: only the contexts we ship."""
    if url not in CONTEXTS:
        raise jsonld.JsonLdError(f"No local copy of {url}", "loading document failed")
    return {
        "contextUrl": None,
        "documentUrl": url,
        "document": json.loads(CONTEXTS[url].read_text()),
    }


def _collection(world, user, **kwargs) -> dict:
    return export_json(workspace=world.workspace, actor=user, format="annotation", **kwargs)


def _selectors(annotation: dict) -> tuple[dict, dict]:
    by_type = {s["type"]: s for s in annotation["target"]["selector"]}
    return by_type["TextQuoteSelector"], by_type["TextPositionSelector"]


def _assert_utc(value: str) -> None:
    assert UTC_Z.match(value), value
    datetime.datetime.fromisoformat(value)


# ------------------------------------------------------------ the collection
def test_the_collection_has_its_musts(world, analyst):
    collection = _collection(world, analyst)
    assert collection["@context"] == ANNO_CONTEXT
    assert IRI.match(collection["id"])
    assert collection["type"] == "AnnotationCollection"
    assert collection["label"]
    items = collection["first"]["items"]
    assert collection["total"] == len(items) == 3  # a non-negative integer that counts
    _assert_utc(collection["created"])


def test_its_page_has_an_id_and_is_part_of_the_collection(world, analyst):
    collection = _collection(world, analyst)
    page = collection["first"]
    assert IRI.match(page["id"]) and page["id"] != collection["id"]
    assert page["type"] == "AnnotationPage"
    assert page["partOf"] == collection["id"]
    assert page["startIndex"] == 0
    assert isinstance(page["items"], list)
    assert collection["last"] == page["id"]  # one page: the first is the last
    assert "next" not in page


def test_ids_use_the_public_address(world, analyst, settings):
    settings.WORKBENCH_PUBLIC_BASE_URL = "https://claims.example.org"
    collection = export_json(
        workspace=world.workspace, actor=analyst, format="annotation", base_url=None
    )
    assert collection["id"].startswith("https://claims.example.org/")
    assert collection["first"]["id"].startswith("https://claims.example.org/")
    for item in collection["first"]["items"]:
        assert item["id"].startswith("https://claims.example.org/w/desk-a/claims/")


# ------------------------------------------------------------ each annotation
def test_each_annotation_has_its_musts(world, analyst):
    items = _collection(world, analyst)["first"]["items"]
    assert len({i["id"] for i in items}) == len(items)
    for item in items:
        assert item["@context"] == ANNO_CONTEXT  # stands alone when split
        assert IRI.match(item["id"])
        assert item["type"] == "Annotation"
        assert item["motivation"] in MOTIVATIONS
        _assert_utc(item["created"])
        _assert_utc(item["modified"])
        assert item["creator"] == {"type": "Person", "nickname": "ana"}
        target = item["target"]
        assert target["type"] == "SpecificResource"
        source = target["source"]
        assert IRI.match(source if isinstance(source, str) else source["id"])
        quote, position = _selectors(item)
        assert isinstance(quote["exact"], str) and quote["exact"]
        assert isinstance(quote["prefix"], str) and isinstance(quote["suffix"], str)
        assert isinstance(position["start"], int) and isinstance(position["end"], int)
        assert 0 <= position["start"] < position["end"]


def test_each_body_is_a_textual_body_with_a_defined_purpose(world, analyst):
    for item in _collection(world, analyst)["first"]["items"]:
        assert item["body"]
        for body in item["body"]:
            assert body["type"] == "TextualBody"
            assert isinstance(body["value"], str) and body["value"]
            assert body["purpose"] in MOTIVATIONS
            if "language" in body:
                assert re.fullmatch(r"[a-z]{2,3}(-[A-Za-z0-9]+)*", body["language"])
            if "format" in body:
                assert body["format"] == "text/plain"


def test_the_verdict_is_an_assessing_body(world, analyst):
    item = next(
        i
        for i in _collection(world, analyst)["first"]["items"]
        if i["id"].endswith(f"/{world.figure_claim.pk}/#annotation")
    )
    describing = next(b for b in item["body"] if b["purpose"] == "describing")["value"]
    assert "Monitoring Group" in describing and "Corroborated" in describing
    assert {"type": "TextualBody", "purpose": "assessing", "value": "Corroborated"} in item["body"]
    assert "assessing" in ANNO_TERMS  # the 2021 context defines it


# ------------------------------------------------------------ selectors agree
def _assert_selectors_select(text: str, item: dict) -> None:
    quote, position = _selectors(item)
    start, end = position["start"], position["end"]
    assert text[start:end] == quote["exact"]
    assert text[:start].endswith(quote["prefix"])
    assert text[end:].startswith(quote["suffix"])


def test_both_selectors_select_the_same_text_of_the_article(world, admin_user):
    items = _collection(world, admin_user, include_real_names=True)["first"]["items"]
    for item in items:
        assert item["target"]["source"] == world.article.url
        _assert_selectors_select(world.article.body, item)


def test_pseudonymised_selectors_point_into_the_exported_pseudonymised_text(world, analyst):
    collection = _collection(world, analyst)
    assert "pseudonymised" in collection["label"]
    bundle = export_json(workspace=world.workspace, actor=analyst, format="json")
    exported = {a["id"]: a["body"] for a in bundle["articles"]}[world.article.pk]
    assert "Ali Sheha" not in exported and "Witness A" in exported
    for item in collection["first"]["items"]:
        source = item["target"]["source"]
        assert source["id"] == ni_uri(exported)  # the text the bundle carries
        assert source["type"] == "Text" and "pseudonymised" in source["label"]
        _assert_selectors_select(exported, item)
        assert "Ali Sheha" not in json.dumps(item)


def test_an_article_left_unchanged_by_pseudonyms_keeps_its_own_address(
    world, analyst, article, monitor
):
    Claim.objects.create(
        workspace=article.workspace,
        article=article,
        quote="gunmen fired at close range",
        start=article.body.index("gunmen fired"),
        end=article.body.index("gunmen fired") + len("gunmen fired at close range"),
        source=monitor,
        created_by=analyst,
    )
    items = _collection(world, analyst, params={"article": [article.pk]})["first"]["items"]
    assert len(items) == 1
    assert items[0]["target"]["source"] == f"http://testserver/w/desk-a/articles/{article.pk}/"
    _assert_selectors_select(article.body, items[0])


# ------------------------------------------------------------ JSON-LD
def _normalised(value):
    """Compaction writes a one-item array as its item; compare them as lists."""
    if isinstance(value, dict):
        return {
            k: _normalised(v) if k == "@context" or isinstance(v, list) else [_normalised(v)]
            for k, v in value.items()
        }
    if isinstance(value, list):
        return [_normalised(v) for v in value]
    return value


@pytest.mark.parametrize("real_names", [True, False])
def test_json_ld_expansion_loses_no_term(world, admin_user, real_names):
    collection = _collection(world, admin_user, include_real_names=real_names)
    options = {"documentLoader": _local_contexts}
    expanded = jsonld.expand(copy.deepcopy(collection), options)
    assert "http://www.w3.org/ns/oa#assessing" in json.dumps(expanded)
    compacted = jsonld.compact(expanded, ANNO_CONTEXT, options)
    compacted["@context"] = collection["@context"]
    # Every annotation repeats the context; compaction keeps it once.
    for item in collection["first"]["items"]:
        del item["@context"]
    assert _normalised(compacted) == _normalised(collection)


def test_it_points_at_the_workbench_when_the_article_has_no_url(world, admin_user):
    type(world.article).objects.filter(pk=world.article.pk).update(url="")
    items = _collection(world, admin_user, include_real_names=True)["first"]["items"]
    assert {i["target"]["source"] for i in items} == {
        f"http://testserver/w/desk-a/articles/{world.article.pk}/"
    }
