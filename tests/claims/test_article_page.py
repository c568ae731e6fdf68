"""The article page: highlights, escaping, and a query count that does not grow."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from claims.services.articles import article_import
from claims.services.claims import claim_create

HOSTILE = 'Text <script>alert("x")</script> and "><img src=x onerror=alert(1)> end.'


def test_it_shows_the_text_with_every_claim_highlighted(
    client_for, analyst, article, claim, workspace
):
    response = client_for(analyst).get(reverse("article_detail", args=[workspace.slug, article.pk]))
    html = response.content.decode()
    assert response.status_code == 200
    assert f'data-claims="{claim.pk}"' in html
    assert "kind-figure" in html
    assert "Monitoring Group" in html


def test_it_renders_the_article_text_exactly(client_for, analyst, article, claim, workspace):
    """The text container's characters must be the body's characters, or
    offsets computed in the browser would point at the wrong text."""
    import re
    from html import unescape

    html = (
        client_for(analyst)
        .get(reverse("article_detail", args=[workspace.slug, article.pk]))
        .content.decode()
    )
    inner = re.search(r'<div id="article-text"[^>]*>(.*?)</div>', html, re.S).group(1)
    assert unescape(re.sub(r"<[^>]+>", "", inner)) == article.body


def test_it_renders_hostile_text_inert(client_for, analyst, workspace, monitor):
    article = article_import(
        workspace=workspace, actor=analyst, title='<b>"title"</b>', body=HOSTILE
    )
    claim_create(
        article=article,
        actor=analyst,
        source=monitor,
        quote='<script>alert("x")</script>',
        statement='"><img src=x onerror=alert(2)>',
    )
    html = (
        client_for(analyst)
        .get(reverse("article_detail", args=[workspace.slug, article.pk]))
        .content.decode()
    )
    assert "<script>alert" not in html
    assert "<img src=x" not in html
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in html
    assert "&lt;b&gt;&quot;title&quot;&lt;/b&gt;" in html


def test_it_carries_a_csp_without_unsafe_inline_scripts(client_for, analyst, article, workspace):
    response = client_for(analyst).get(reverse("article_detail", args=[workspace.slug, article.pk]))
    policy = response["Content-Security-Policy"]
    script_src = next(p for p in policy.split(";") if p.strip().startswith("script-src"))
    assert "'unsafe-inline'" not in script_src
    assert "'nonce-" in script_src
    assert "'unsafe-inline'" not in policy


def test_it_serves_htmx_from_the_app_not_a_cdn(client_for, analyst, article, workspace):
    html = (
        client_for(analyst)
        .get(reverse("article_detail", args=[workspace.slug, article.pk]))
        .content.decode()
    )
    assert "/static/django_htmx/htmx-2.min.js" in html
    assert "https://" not in html.split("<body")[0]


def _claims(article, actor, source, count):
    body = article.body
    for i in range(count):
        start = i % (len(body) - 10)
        claim_create(
            article=article,
            actor=actor,
            source=source,
            start=start,
            end=start + 8,
            quote=body[start : start + 8],
            figures=[{"value": i, "counted": "people"}],
        )


def _queries_for_page(client, workspace, article):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("article_detail", args=[workspace.slug, article.pk]))
    assert response.status_code == 200
    return len(queries)


@pytest.mark.parametrize("count", [5])
def test_it_runs_the_same_queries_for_5_and_200_claims(
    client_for, analyst, workspace, monitor, ministry, count
):
    client = client_for(analyst)
    small = article_import(workspace=workspace, actor=analyst, title="Small", body="x" * 400)
    large = article_import(workspace=workspace, actor=analyst, title="Large", body="y" * 400)
    _claims(small, analyst, monitor, 5)
    _claims(large, analyst, ministry, 200)
    _queries_for_page(client, workspace, small)  # warm the session
    assert _queries_for_page(client, workspace, small) == _queries_for_page(
        client, workspace, large
    )


def test_it_runs_a_fixed_number_of_queries(
    client_for, analyst, workspace, article, claim, django_assert_num_queries
):
    client = client_for(analyst)
    client.get(reverse("article_detail", args=[workspace.slug, article.pk]))
    # session, user, workspace, membership, article, claims with sources, chains
    with django_assert_num_queries(7):
        client.get(reverse("article_detail", args=[workspace.slug, article.pk]))


def test_it_lists_articles_with_claim_counts_by_status(
    client_for, analyst, workspace, article, claim, django_assert_num_queries
):
    client = client_for(analyst)
    url = reverse("workspace_home", args=[workspace.slug])
    client.get(url)
    # session, user, workspace, membership, a page of articles, their claims counted by status
    with django_assert_num_queries(6):
        response = client.get(url)
    html = response.content.decode()
    assert "Clashes on the coast" in html
    assert '<td class="num">1</td>' in html
