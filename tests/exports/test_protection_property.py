"""The property behind F1-F4: whatever a protected source is called (now or
before), however the name is spelled (case, decomposed or compatibility
Unicode, invisible joiners, slug separators, percent-encoding once or
twice) and wherever it is written (titles, bodies, quotes, statements,
evidence, article and evidence URLs in path, query or fragment, the
history), no export format carries it.

The check is independent of the pseudonymiser: the file is folded (NFKC,
case-folded, invisible characters dropped, percent-decoded until stable)
and stripped of everything but letters and digits, and the name, folded the
same way, must not occur in it."""

from __future__ import annotations

import itertools
import unicodedata
from urllib.parse import quote, unquote

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from claims.models import Source
from claims.services.articles import article_import
from claims.services.claims import claim_create
from claims.services.evidence import evidence_create
from claims.services.sources import source_create, source_update
from exports.models import Export
from tests.exports.test_protected import _text
from tests.exports.world import export_bytes, with_workflow
from workspaces.models import Membership, Workspace

LETTERS = "abcdefghijklmnoprstuvzäåéèëñöøüçłžšαβγδεκλμπρστжзклмнпрст"

word = st.text(alphabet=LETTERS, min_size=4, max_size=8)
# At least one letter beyond ASCII, so a generated name never coincides with
# the files' own words ("Fals" is in every JSON "false"); ASCII names are the
# fixed tests' (test_protection_holds.py).
names = (
    st.lists(word, min_size=1, max_size=3, unique=True)
    .map(lambda words: " ".join(w.capitalize() for w in words))
    .filter(lambda name: not name.isascii())
)


def _fullwidth(text: str) -> str:
    return "".join(chr(ord(c) + 0xFEE0) if "!" <= c <= "~" else c for c in text)


SPELLINGS = {
    "as is": lambda n: n,
    "upper": str.upper,
    "lower": str.lower,
    "nfd": lambda n: unicodedata.normalize("NFD", n),
    "fullwidth": _fullwidth,
    "joiners": lambda n: n.replace(" ", "\u200b"),
    "hyphens": lambda n: n.lower().replace(" ", "-"),
    "underscores": lambda n: n.replace(" ", "_"),
    "plus": lambda n: n.replace(" ", "+"),
}
ADDRESS_SPELLINGS = {
    "slug": lambda n: n.lower().replace(" ", "-"),
    "percent": lambda n: quote(n, safe=""),
    "double percent": lambda n: quote(quote(n, safe=""), safe=""),
    "percent nfd": lambda n: quote(unicodedata.normalize("NFD", n), safe=""),
}
TEXT_PLACES = ("title", "body", "statement", "excerpt", "note", "description", "rationale")
URL_PLACES = ("article path", "article query", "evidence fragment", "note url")


def _fold(text: str) -> str:
    for _ in range(4):
        decoded = unquote(text)
        if decoded == text:
            break
        text = decoded
    folded = unicodedata.normalize("NFKC", unicodedata.normalize("NFC", text)).casefold()
    return "".join(c for c in folded if c.isalnum())


counter = itertools.count()


def _world(analyst, admin_user, *, name, former, spellings, places, address, url_places):
    ws = Workspace.objects.create(slug=f"prop-{next(counter)}", name="Property desk")
    Membership.objects.create(workspace=ws, user=analyst, role="analyst")
    Membership.objects.create(workspace=ws, user=admin_user, role="admin")
    witness = source_create(
        workspace=ws,
        actor=analyst,
        name=former or name,
        kind=Source.Kind.WITNESS,
        aliases=[SPELLINGS[spellings[0]](name)],
        protected=True,
        description="",
    )
    if former:
        source_update(source=witness, actor=admin_user, name=name, aliases=[])
    spelled = itertools.cycle([SPELLINGS[s](n) for s in spellings for n in (name, former or name)])
    text = {
        place: f"About {next(spelled)} here." if place in places else "" for place in TEXT_PLACES
    }
    token = ADDRESS_SPELLINGS[address](former or name)
    url = {place: token if place in url_places else "x" for place in URL_PLACES}
    body = f"Opening line. {text['body']} The witness {next(spelled)} said the road was closed."
    article = article_import(
        workspace=ws,
        actor=analyst,
        title=f"Road {text['title']}",
        body=body,
        url=f"https://news.example/{url['article path']}/story?who={url['article query']}",
        suggest=False,
    )
    body = article.body  # stored in NFC
    quote_start = body.index("The witness")
    claim = claim_create(
        article=article,
        actor=analyst,
        source=witness,
        start=quote_start,
        end=len(body),
        quote=body[quote_start:],
        statement=text["statement"][:300],
    )
    evidence_create(
        claim=claim,
        actor=analyst,
        stance="context",
        title="Interview",
        url=f"https://example.org/i#{url['evidence fragment']}",
        excerpt=text["excerpt"],
        note=f"{text['note']} https://example.org/p/{url['note url']}",
    )
    source_update(source=witness, actor=analyst, description=text["description"])
    with_workflow(
        claim,
        status="approved",
        verdict="unverified",
        rationale=text["rationale"] or "Single witness.",
        proposed_by=analyst,
        approved_by=admin_user,
    )
    return ws


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    name=names,
    former=st.one_of(st.none(), names),
    spellings=st.lists(st.sampled_from(sorted(SPELLINGS)), min_size=1, max_size=4),
    places=st.sets(st.sampled_from(TEXT_PLACES), min_size=1),
    address=st.sampled_from(sorted(ADDRESS_SPELLINGS)),
    url_places=st.sets(st.sampled_from(URL_PLACES)),
)
def test_no_format_carries_a_protected_name(
    analyst, admin_user, name, former, spellings, places, address, url_places, tmp_path
):
    if former and _fold(former) == _fold(name):
        former = None
    ws = _world(
        analyst,
        admin_user,
        name=name,
        former=former,
        spellings=spellings,
        places=places,
        address=address,
        url_places=url_places,
    )
    for format in ("html", "csv", "json", "claimreview", "annotation"):
        data = _fold(
            _text(format, export_bytes(workspace=ws, actor=analyst, format=format), tmp_path)
        )
        for protected in filter(None, (name, former)):
            assert _fold(protected) not in data, (format, protected)
    assert Export.objects.filter(workspace=ws).count() == 5


@settings(
    max_examples=4,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(name=names, spellings=st.lists(st.sampled_from(sorted(SPELLINGS)), min_size=2, max_size=4))
def test_the_pdf_carries_no_protected_name(analyst, admin_user, name, spellings, tmp_path):
    ws = _world(
        analyst,
        admin_user,
        name=name,
        former=None,
        spellings=spellings,
        places=set(TEXT_PLACES),
        address="percent",
        url_places=set(URL_PLACES),
    )
    data = _fold(_text("pdf", export_bytes(workspace=ws, actor=analyst, format="pdf"), tmp_path))
    assert _fold(name) not in data
