"""W3C Web Annotation (JSON-LD): selectors that re-anchor on the article."""

from claims.models import Claim
from tests.exports.world import export_json


def _annotations(world, user, **kwargs) -> list[dict]:
    collection = export_json(workspace=world.workspace, actor=user, format="annotation", **kwargs)
    assert collection["type"] == "AnnotationCollection"
    assert collection["total"] == len(collection["first"]["items"])
    return collection["first"]["items"]


def _selectors(annotation: dict) -> tuple[dict, dict]:
    by_type = {s["type"]: s for s in annotation["target"]["selector"]}
    return by_type["TextQuoteSelector"], by_type["TextPositionSelector"]


def test_it_makes_one_annotation_per_claim(world, analyst):
    items = _annotations(world, analyst)
    assert len(items) == Claim.objects.filter(workspace=world.workspace).count()
    for item in items:
        assert item["@context"] == "http://www.w3.org/ns/anno.jsonld"
        assert item["type"] == "Annotation"
        assert item["target"]["source"] == world.article.url
        assert any(b["purpose"] == "describing" and b["value"] for b in item["body"])


def test_its_selectors_re_anchor_on_the_article_text(world, admin_user):
    body = world.article.body
    for item in _annotations(world, admin_user, include_real_names=True):
        quote, position = _selectors(item)
        assert body[position["start"] : position["end"]] == quote["exact"]
        found = body.find(quote["prefix"] + quote["exact"] + quote["suffix"])
        assert found == position["start"] - len(quote["prefix"])
        assert body.count(quote["prefix"] + quote["exact"] + quote["suffix"]) == 1


def test_pseudonymised_annotations_keep_positions_on_the_original_text(world, analyst):
    body = world.article.body
    for item in _annotations(world, analyst):
        quote, position = _selectors(item)
        if "Witness A" in quote["exact"]:
            original = body[position["start"] : position["end"]]
            assert original.replace("Ali Sheha", "Witness A") == quote["exact"]
        else:
            assert body[position["start"] : position["end"]] == quote["exact"]


def test_it_describes_the_claim_in_the_body(world, analyst):
    item = next(
        i
        for i in _annotations(world, analyst)
        if i["id"].endswith(f"/{world.figure_claim.pk}/#annotation")
    )
    describing = next(b for b in item["body"] if b["purpose"] == "describing")["value"]
    assert "Monitoring Group" in describing and "Corroborated" in describing
    assert {"type": "TextualBody", "purpose": "assessing", "value": "Corroborated"} in item["body"]
    assert item["creator"] == {"type": "Person", "nickname": "ana"}


def test_it_points_at_the_workbench_when_the_article_has_no_url(world, analyst):
    type(world.article).objects.filter(pk=world.article.pk).update(url="")
    items = _annotations(world, analyst)
    assert {i["target"]["source"] for i in items} == {
        f"http://testserver/w/desk-a/articles/{world.article.pk}/"
    }
