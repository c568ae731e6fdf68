"""The matcher's rules for statements (matching.rules): pure, no database."""

from matching.rules import ClaimView, Context, meaning_text, statement_relation
from texttools.meaning import NgramIndex, read_frame

CTX = Context(parents={}, depth_of=lambda place: 2)


def view(pk, source, text, *, kind="statement", article=None):
    return ClaimView(
        pk=pk,
        source_id=source,
        source_name=f"Source {source}",
        article_id=article or pk,
        frame=read_frame(text),
        can_deny=kind != "figure",
    )


def relate(a, b):
    index = NgramIndex.build({a.pk: "x", b.pk: "x"})
    return statement_relation(a, b, cosine=index.cosine(a.pk, b.pk) * 0, ctx=CTX)


def test_a_denial_of_who_did_it_conflicts_with_a_claim_of_who_did():
    denial = view(1, 1, "The ministry denied that its units had carried out executions")
    blame = view(2, 2, "It blamed the killings on members of the security forces")
    match = relate(denial, blame)
    assert match.relation == "conflict"
    assert "denies" in match.reason


def test_a_denial_does_not_conflict_with_a_claim_naming_no_one():
    denial = view(1, 1, "The ministry denied that its units had carried out executions")
    account = view(2, 2, "Dozens of men were led out of their homes and shot dead")
    assert relate(denial, account) is None


def test_contrary_accounts_of_an_operation_conflict():
    ended = view(1, 1, "The ministry announced the end of the military operation on the coast")
    ongoing = view(2, 2, "The monitor said clashes were still under way near Jableh")
    assert relate(ended, ongoing).relation == "conflict"


def test_paraphrases_from_independent_sources_corroborate():
    a = view(
        1,
        1,
        "civilians were killed both by loyalist fighters and by factions under the command of the ministry",
    )
    b = view(
        2,
        2,
        "both sides killed civilians: loyalist fighters and factions aligned with the new authorities",
    )
    assert relate(a, b).relation == "corroboration"


def test_one_source_saying_the_same_again_is_a_repeat():
    a = view(1, 1, "forces came under a treacherous attack by remnants of the former regime")
    b = view(2, 1, "a treacherous attack on its forces by remnants of the former regime")
    index = NgramIndex.build({1: a.frame.matched and "a", 2: "b"})
    assert index is not None
    assert statement_relation(a, b, cosine=0.9, ctx=CTX).relation == "repeat"


def test_unrelated_statements_are_left_alone():
    a = view(1, 1, "The port was closed to shipping on Monday")
    b = view(2, 2, "Aid lorries entered the territory after a blockade")
    assert relate(a, b) is None


def test_a_count_is_not_denied_by_a_sweeping_statement():
    """A general denial conflicts with a figure only about the same incident."""
    denial = view(1, 1, "Its forces do not strike civilian targets")
    count = ClaimView(
        pk=2,
        source_id=2,
        source_name="Regional administration",
        article_id=2,
        frame=read_frame("A missile strike killed 19 civilians"),
        has_figures=True,
        figure_concepts=frozenset({"KILL", "CASUALTY", "FIGURES", "CIVILIAN"}),
        can_deny=False,
    )
    assert relate(denial, count) is None


def test_the_speaker_prefix_is_not_what_the_claim_is_about():
    assert meaning_text("Gaza Civil Defence: most of the dead were children", "q") == (
        "most of the dead were children. q"
    )
