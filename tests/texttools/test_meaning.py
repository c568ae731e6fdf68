"""Reading claims into frames (texttools.meaning): pure."""

from texttools.meaning import NgramIndex, concept_overlap, read_frame


def test_paraphrases_share_concepts_though_not_words():
    a = read_frame(
        "armed men had taken her husband and two sons from their house; she found their bodies"
    )
    b = read_frame("dozens of men had been led out of their homes and shot dead")
    assert {"ABDUCT", "HOME", "KILL"} <= a.concepts & b.concepts
    assert concept_overlap(a, b) > 0.3


def test_a_denial_denies_who_not_that_people_were_killed():
    frame = read_frame("The ministry denied that its units had carried out executions")
    assert "STATE" in frame.denied
    assert "KILL" in frame.asserted


def test_what_is_denied_is_the_claim_not_who_made_it():
    frame = read_frame(
        "The government dismissed the rebels' claim to have captured the city as a lie"
    )
    assert frame.denied == {"CAPTURE"}


def test_a_determiner_negates_only_the_words_after_it():
    frame = read_frame(
        "an attack on a village where no fighting was under way could be a war crime"
    )
    assert "FIGHT" in frame.denied
    assert "WAR_CRIME" in frame.asserted


def test_it_reads_who_the_dead_mostly_were():
    assert read_frame("most of the dead were women and children").predominant == {"CIVILIAN"}
    assert read_frame("the bodies were mostly those of soldiers").predominant == {"COMBATANT"}


def test_it_finds_places_by_any_spelling_and_parties_by_demonym():
    frame = read_frame("Russian missiles hit Banias", places={"banias": 7, "baniyas": 7})
    assert frame.places == {7}
    assert "russia" in frame.entities


def test_character_ngrams_see_spelling_variants_as_close():
    index = NgramIndex.build({1: "killings in Baniyas", 2: "killed in Banias", 3: "aid lorries"})
    assert index.cosine(1, 2) > index.cosine(1, 3)
