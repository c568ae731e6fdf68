"""Autocomplete for articles and sources: at most 20 suggestions, this
workspace's only, typos in names allowed on PostgreSQL."""

from django.db import connection
from django.urls import reverse

from claims.selectors import PICK_LIMIT
from claims.services.sources import source_create


def _pick(client, world, name, q):
    response = client.get(reverse(name, args=[world.workspace.slug]), {"q": q})
    assert response.status_code == 200
    return response.json()["results"]


def test_it_suggests_articles_by_title_or_id(client_for, world):
    client = client_for(world.analyst)
    assert [r["id"] for r in _pick(client, world, "article_pick", "baniyas")] == [world.article.pk]
    assert [r["id"] for r in _pick(client, world, "article_pick", str(world.article.pk))] == [
        world.article.pk
    ]
    assert _pick(client, world, "article_pick", "b") == []  # two letters at least


def test_it_suggests_sources_and_forgives_typos_on_postgresql(client_for, world):
    client = client_for(world.analyst)
    assert [r["label"] for r in _pick(client, world, "source_pick", "hadd")] == ["Mona Haddad"]
    typo = [r["label"] for r in _pick(client, world, "source_pick", "Hadad")]
    assert typo == (["Mona Haddad"] if connection.vendor == "postgresql" else [])


def test_it_never_suggests_another_workspace(client_for, world):
    client = client_for(world.analyst)
    assert _pick(client, world, "source_pick", "Other Monitor") == []
    assert _pick(client, world, "article_pick", "elsewhere") == []


def test_it_suggests_at_most_twenty(client_for, world):
    for i in range(PICK_LIMIT + 5):
        source_create(workspace=world.workspace, actor=world.analyst, name=f"Relief Group {i}")
    assert len(_pick(client_for(world.analyst), world, "source_pick", "Relief")) == PICK_LIMIT


def test_markup_stays_data(client_for, world):
    source_create(workspace=world.workspace, actor=world.analyst, name="<img src=x onerror=1>")
    results = _pick(client_for(world.analyst), world, "source_pick", "<img")
    assert results[0]["label"] == "<img src=x onerror=1>"  # JSON; picker.js sets textContent
