"""Unit tests of extraction: pure functions, no database."""

import json
import time

import pytest

from extraction import (
    CLAIM_KINDS,
    QUALIFIERS,
    SOURCE_KINDS,
    KnownSource,
    extract_figures,
    suggest_claims,
)
from extraction.evaluation import (
    HELD_OUT_DIR,
    LABELLED_DIR,
    counted_head,
    jaccard,
    load_labelled_set,
    match_spans,
)
from extraction.numbers import parse_number
from extraction.sentences import split_sentences

MONITOR = KnownSource(1, "Levant Casualty Observatory", ("LCO",), "monitor")
MINISTRY = KnownSource(2, "Karvian Health Ministry", ("health ministry",), "government")
AGENCY = KnownSource(3, "Associated Press", ("AP",), "news_outlet")
SOURCES = (MONITOR, MINISTRY, AGENCY)


def one_claim(text: str, sources=SOURCES):
    claims = suggest_claims(text, sources)
    assert len(claims) == 1, [c.quote for c in claims]
    return claims[0]


def only_figure(text: str):
    figures = extract_figures(text)
    assert len(figures) == 1, [(f.text, f.counted) for f in figures]
    return figures[0]


# --- numbers ---------------------------------------------------------------


def test_it_reads_digits_with_thousands_separators():
    assert parse_number("1,000") == 1000
    assert parse_number("12,500") == 12500


def test_it_reads_decimal_millions():
    assert parse_number("1.5 million") == 1_500_000


def test_it_reads_hyphenated_number_words():
    assert parse_number("thirty-five") == 35


def test_it_reads_compound_number_words():
    assert parse_number("one hundred and twenty") == 120


def test_it_reads_two_dozen_as_twenty_four():
    assert parse_number("two dozen") == 24


def test_it_reads_a_dozen_as_twelve():
    assert only_figure("Gunmen killed a dozen farmers.").value == 12


def test_it_reads_dozens_of_as_its_unit_with_a_vague_qualifier():
    figure = only_figure("Dozens of people were wounded.")
    assert (figure.value, figure.qualifier) == (12, "dozens")


@pytest.mark.parametrize(
    ("phrase", "value", "qualifier"),
    [
        ("hundreds of", 100, "hundreds"),
        ("thousands of", 1000, "thousands"),
        ("scores of", 20, "dozens"),
        ("several dozen", 12, "dozens"),
        ("tens of thousands of", 10_000, "thousands"),
    ],
)
def test_it_reads_vague_plurals_as_their_unit(phrase, value, qualifier):
    figure = only_figure(f"The fighting displaced {phrase} families.")
    assert (figure.value, figure.qualifier) == (value, qualifier)


# --- qualifiers --------------------------------------------------------------


@pytest.mark.parametrize(
    ("phrase", "qualifier"),
    [
        ("more than 1,000", "more_than"),
        ("over 1,000", "more_than"),
        ("at least 1,000", "at_least"),
        ("nearly 1,000", "nearly"),
        ("about 1,000", "about"),
        ("around 1,000", "about"),
        ("some 1,000", "about"),
        ("up to 1,000", "up_to"),
        ("as many as 1,000", "up_to"),
        ("fewer than 1,000", "fewer_than"),
        ("1,000", "exact"),
    ],
)
def test_it_reads_the_qualifier_in_front_of_a_figure(phrase, qualifier):
    figure = only_figure(f"The shelling killed {phrase} civilians.")
    assert (figure.value, figure.qualifier, figure.text) == (1000, qualifier, phrase)


def test_it_keeps_an_explicit_qualifier_over_a_vague_one():
    figure = only_figure("More than two dozen soldiers died.")
    assert (figure.value, figure.qualifier) == (24, "more_than")


# --- figures and what they count -------------------------------------------------


def test_it_gives_the_figure_phrase_with_exact_offsets():
    text = "Rescuers said more than 1,000 people had died."
    figure = only_figure(text)
    assert text[figure.start : figure.end] == figure.text == "more than 1,000"


def test_it_names_what_is_counted_with_the_event():
    assert only_figure("At least 40 civilians were killed on Friday.").counted == "civilians killed"


def test_it_keeps_whose_members_were_counted():
    figure = only_figure("Another 90 members of the border police also died.")
    assert figure.counted == "members of the border police died"


def test_it_keeps_who_fighters_were_affiliated_with():
    figure = only_figure("Some 60 fighters affiliated with the old regime were killed.")
    assert figure.counted == "fighters affiliated with the old regime killed"


def test_it_reads_the_event_from_before_the_count():
    assert only_figure("The dead included 300 civilians.").counted == "civilians killed"


def test_it_borrows_the_noun_for_an_elided_count():
    figures = extract_figures("The blast killed 12 people and wounded 30.")
    assert [f.counted for f in figures] == ["people killed", "people wounded"]


def test_it_reads_a_partitive_count():
    assert only_figure("Air defences shot down 20 of the drones.").counted == "drones shot down"


def test_it_counts_a_bare_death_toll_as_dead():
    assert only_figure("The toll rose to 87 on Monday.").counted == "dead"


@pytest.mark.parametrize(
    "text",
    [
        "Ahmed, a 57-year-old teacher, left.",
        "The war began in 2011.",
        "The siege lasted three days.",
        "Prices rose 40 percent.",
        "The convoy travelled 60 kilometres.",
        "He said one of the worst attacks happened on March 7.",
        "The mother of four fled.",
    ],
)
def test_it_skips_numbers_that_are_not_counts(text):
    assert extract_figures(text) == []


def test_it_limits_figures_to_the_given_range():
    text = "Police said 5 people died. Medics said 9 people died."
    figures = extract_figures(text, text.index("Medics"))
    assert [f.value for f in figures] == [9]


# --- speakers --------------------------------------------------------------------


def test_it_resolves_a_speaker_by_known_name():
    claim = one_claim("The Levant Casualty Observatory said 40 civilians were killed.")
    assert (claim.speaker, claim.source_key, claim.proposed_source_name) == (MONITOR.name, 1, "")


def test_it_resolves_a_speaker_by_alias():
    assert one_claim("The LCO said 40 civilians were killed.").source_key == 1


def test_it_resolves_a_speaker_by_name_in_any_case():
    assert one_claim("The levant casualty observatory said 40 died.").source_key == 1


def test_it_resolves_the_observatory_to_the_known_monitor():
    claim = one_claim("Fighting spread to the port, according to the Observatory.")
    assert claim.source_key == 1


def test_it_resolves_a_pronoun_to_the_previous_speaker():
    text = "Farmer Idris Kano said the shelling began at dawn. He said his barn was burned."
    claims = suggest_claims(text, SOURCES)
    assert [c.speaker for c in claims] == ["Idris Kano", "Idris Kano"]


def test_it_resolves_it_to_the_previous_organisation():
    text = "The Karvian Health Ministry said 12 people died. It urged calm."
    assert [c.source_key for c in suggest_claims(text, SOURCES)] == [2, 2]


def test_it_resolves_the_ministry_to_an_earlier_ministry():
    text = "The Karvian Health Ministry said 12 people died. The ministry said hospitals were full."
    assert [c.source_key for c in suggest_claims(text, SOURCES)] == [2, 2]


def test_it_resolves_the_group_to_an_earlier_speaker():
    text = (
        "The Levant Casualty Observatory said 40 people died. The group said the toll would rise."
    )
    assert [c.source_key for c in suggest_claims(text, SOURCES)] == [1, 1]


def test_it_resolves_an_indefinite_monitor_to_the_only_known_one_named():
    text = (
        "Clashes killed 70 people, a war monitor said. "
        "The Levant Casualty Observatory said most were civilians."
    )
    assert suggest_claims(text, SOURCES)[0].source_key == 1


def test_it_proposes_a_new_source_when_nothing_matches():
    claim = one_claim("Villagers in Sarun said the soldiers burned the market.")
    assert claim.source_key is None
    assert claim.proposed_source_name == "Villagers in Sarun"
    assert claim.proposed_source_kind == "witness"


def test_it_guesses_a_foreign_government():
    text = (
        "Karvia's army said it had retaken the town. Karvian officials said Karvia was calm. "
        "The German foreign ministry condemned the killings in Karvia."
    )
    claim = suggest_claims(text)[-1]
    assert claim.proposed_source_kind == "foreign_government"


def test_it_lets_a_named_spokesman_speak_for_a_known_organisation():
    claim = one_claim("Dina Faris, a spokeswoman for the Karvian Health Ministry, said 8 died.")
    assert claim.source_key == 2


def test_it_keeps_a_named_person_when_the_organisation_is_unknown():
    claim = one_claim("Army spokesman Omar Said accused the rebels of shelling the city.")
    assert (claim.speaker, claim.source_key) == ("Omar Said", None)


def test_it_does_not_match_a_known_name_inside_a_place():
    sources = (KnownSource(9, "Karvian government", ("Karvia City",), "government"),)
    claim = one_claim("According to a diplomat in Karvia City, talks have stalled.", sources)
    assert claim.source_key is None


# --- chains ----------------------------------------------------------------------


def test_it_puts_the_listener_of_told_in_the_chain():
    claim = one_claim("Residents told the Associated Press that gunmen looted shops.")
    assert (claim.speaker, claim.chain) == ("Residents", ["Associated Press"])


def test_it_puts_according_to_in_the_chain_when_someone_else_speaks():
    claim = one_claim("According to the AP, a survivor said the gunmen came at night.")
    assert (claim.speaker, claim.chain) == ("survivor", ["Associated Press"])


def test_it_makes_the_cited_source_the_speaker():
    claim = one_claim("A UN official said 300 people died, citing the Karvian Health Ministry.")
    assert (claim.source_key, claim.chain) == (2, ["UN"])


def test_it_leaves_generic_audiences_out_of_the_chain():
    assert one_claim("The governor told reporters that the curfew would stay.").chain == []


def test_it_makes_the_agency_the_speaker_of_an_event_report():
    claim = one_claim("Many houses were burned across the valley, the Associated Press reported.")
    assert (claim.source_key, claim.chain, claim.kind) == (3, [], "event")


# --- claim kinds -------------------------------------------------------------------


def test_it_calls_a_count_a_figure_claim():
    assert (
        one_claim("The Levant Casualty Observatory said 745 civilians were killed.").kind
        == "figure"
    )


def test_it_calls_a_government_position_a_statement():
    claim = one_claim(
        "The Karvian Health Ministry said the hospitals had been deliberately targeted."
    )
    assert claim.kind == "statement"


def test_it_calls_a_residents_account_testimony():
    assert one_claim("Residents said gunmen went from house to house.").kind == "testimony"


def test_it_calls_a_foreign_condemnation_a_reaction():
    assert one_claim("The French foreign ministry condemned the killings.").kind == "reaction"


def test_it_calls_a_monitors_account_an_event():
    claim = one_claim("According to the Observatory, the clashes began at a checkpoint.")
    assert claim.kind == "event"


def test_it_writes_a_one_line_statement_with_the_figures():
    claim = one_claim("The Levant Casualty Observatory said 745 civilians were killed.")
    assert claim.statement == "Levant Casualty Observatory: 745 civilians killed"


# --- sentences without cues of their own ------------------------------------------


def test_it_attributes_a_continued_count_to_the_previous_speaker():
    text = (
        "The Levant Casualty Observatory said 745 civilians were killed. "
        "Additionally, 125 soldiers were also killed."
    )
    claims = suggest_claims(text, SOURCES)
    assert [c.source_key for c in claims] == [1, 1]
    assert claims[1].figures[0].counted == "soldiers killed"


def test_it_attributes_a_bare_quote_to_the_previous_speaker():
    text = 'Residents said the town was empty. "Nobody is left."'
    assert [c.speaker for c in suggest_claims(text)] == ["Residents", "Residents"]


def test_it_does_not_attribute_an_unrelated_count():
    text = "The Karvian Health Ministry said 5 died. Rain fell. At least 20 people were killed."
    assert len(suggest_claims(text, SOURCES)) == 1


@pytest.mark.parametrize(
    "text",
    [
        "The ministry did not say how many people died.",
        "The army has not commented on the strike.",
        "It is estimated that 5,000 people fled.",
        "The Karvian Health Ministry declined to say who fired.",
    ],
)
def test_it_ignores_negated_and_passive_cues(text):
    assert suggest_claims(text, SOURCES) == []


def test_it_ignores_cues_inside_quotations():
    claim = one_claim('"They said we would be safe," said Lina Haddad, a teacher.')
    assert claim.speaker == "Lina Haddad"


# --- offsets ---------------------------------------------------------------------------


def test_it_returns_exact_offsets_for_every_labelled_claim():
    for article in load_labelled_set():
        for claim in suggest_claims(article.text, article.known_sources):
            assert article.text[claim.start : claim.end] == claim.quote
            for figure in claim.figures:
                assert article.text[figure.start : figure.end] == figure.text


def test_it_keeps_offsets_exact_with_unicode_quotes():
    text = "Intro line.\n\n“We lost everything. Even the goats,” said Mariam Idé, 40.\n"
    claim = one_claim(text)
    assert text[claim.start : claim.end] == claim.quote
    assert claim.quote.startswith("“We lost") and claim.quote.endswith("40.")


def test_it_keeps_offsets_exact_with_markup_in_the_text():
    # The extractor hands text back untouched; escaping is the page's job.
    text = 'Intro.\n\nThe Karvian Health Ministry said "<script>alert(1)</script>" was posted.\n'
    claim = one_claim(text)
    assert text[claim.start : claim.end] == claim.quote
    assert "<script>alert(1)</script>" in claim.quote


def test_it_keeps_a_quotation_of_several_sentences_in_one_span():
    text = '"We ran. They shot at us. My brother fell," said Yara Nasser.'
    assert one_claim(text).quote == text


@pytest.mark.parametrize("text", ["", "   \n\t"])
def test_it_returns_nothing_for_empty_text(text):
    assert suggest_claims(text) == []
    assert extract_figures(text) == []


def test_it_does_not_split_sentences_after_abbreviations():
    text = "Dr. Amal Saleh of the U.S. clinic said 3 people died. Police said it was calm."
    assert len(split_sentences(text)) == 2


# --- the labelled set and the scorer ------------------------------------------


def test_it_finds_every_labelled_quote_exactly_once():
    for path in sorted([*LABELLED_DIR.glob("*.json"), *HELD_OUT_DIR.glob("*.json")]):
        data = json.loads(path.read_text(encoding="utf-8"))
        for item in data["expected"]:
            assert data["text"].count(item["quote"]) == 1, (path.name, item["quote"][:50])


def test_it_labels_only_known_kinds_and_qualifiers():
    for article in load_labelled_set():
        assert {s.kind for s in article.known_sources} <= set(SOURCE_KINDS)
        for claim in article.expected:
            assert claim.kind in CLAIM_KINDS
            assert {f.qualifier for f in claim.figures} <= set(QUALIFIERS)


def test_it_ships_at_least_twelve_articles_of_150_to_450_words():
    articles = load_labelled_set()
    assert len(articles) >= 12
    assert all(150 <= len(a.text.split()) <= 450 for a in articles)


def test_it_scores_span_overlap_as_jaccard():
    assert jaccard((0, 10), (5, 15)) == pytest.approx(5 / 15)


def test_it_matches_spans_one_to_one():
    article = load_labelled_set()[0]
    claims = suggest_claims(article.text, article.known_sources)
    pairs = match_spans(article.expected, claims + claims)
    assert len({i for i, _ in pairs}) == len(pairs) == len({j for _, j in pairs})


def test_it_compares_what_is_counted_by_its_head_noun():
    assert counted_head("members of the government's security forces killed") == "member"
    assert counted_head("wounded people") == "people"
    assert counted_head("families evacuated") == "family"


def test_it_handles_twenty_thousand_words_quickly():
    article = load_labelled_set()[0]
    text = "\n\n".join([article.text] * (20_000 // len(article.text.split()) + 1))
    started = time.perf_counter()
    suggest_claims(text, article.known_sources)
    # About a quarter of a second on a developer machine; the margin is for CI.
    assert time.perf_counter() - started < 2.0
