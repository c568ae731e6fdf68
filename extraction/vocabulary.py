"""Words that say what a figure counts: its outcome, population and sub-groups
(labelled/FORMAT.md, "Figures"). Kept apart from the logic so that widening the
vocabulary never means touching the rules."""

from __future__ import annotations

import re


def words(text: str) -> frozenset[str]:
    return frozenset(text.split())


# Verbs and nouns that name an outcome, as the article writes them.
OUTCOME_WORDS: dict[str, str] = {
    **dict.fromkeys(
        [
            "killed",
            "kill",
            "kills",
            "killing",
            "killings",
            "dead",
            "died",
            "die",
            "dies",
            "death",
            "deaths",
            "fatalities",
            "fatality",
            "martyrs",
            "martyr",
            "martyred",
            "slain",
            "executed",
            "executions",
            "beheaded",
            "massacred",
            "murdered",
            "slaughtered",
            "perished",
            "neutralised",
            "neutralized",
            "bodies",
            "body",
            "fell",
            "lost",
            "casualties",
            "shot",
            "buried",
            "toll",
            "victims",
        ],
        "killed",
    ),
    **dict.fromkeys(["wounded", "injured", "hurt", "wounding", "injuring", "injuries"], "injured"),
    **dict.fromkeys(["missing", "unaccounted", "trapped", "disappeared"], "missing"),
    **dict.fromkeys(
        ["detained", "arrested", "detaining", "arresting", "arrests", "captured"], "detained"
    ),
    **dict.fromkeys(["abducted", "kidnapped", "abducting", "kidnapping", "hostage"], "abducted"),
    **dict.fromkeys(
        [
            "displaced",
            "fled",
            "flee",
            "fleeing",
            "uprooted",
            "evacuated",
            "displacing",
            "forced",
            "driven",
            "exodus",
            "sheltering",
        ],
        "displaced",
    ),
}
# Nouns that already say the outcome: "deaths killed" would say it twice.
OUTCOME_NOUNS = words(
    """dead deaths fatalities martyrs wounded injured casualties killings missing displaced
    toll detainees"""
)
# Things, not people: a count of them has no outcome and no population.
THING_NOUNS = words(
    """homes home houses house buildings building shops shop schools school hospitals
    hospital clinics clinic missiles missile drones drone rockets rocket shells shell bombs
    bomb vehicles vehicle tanks tank trucks truck convoys convoy villages village hamlets
    hamlet towns town graves grave attacks attack strikes strike raids raid airstrikes
    incidents incident kits kit tonnes tons weapons boats boat aircraft planes plane
    checkpoints markets market camps camp sites site mosques mosque churches church
    positions bridges roads wells shelters tents meals parcels flights"""
)
SECURITY_FORCES = words(
    """soldiers soldier troops troop police policemen policeman officers officer personnel
    servicemen peacekeepers peacekeeper guards guard gendarmes gendarmerie army military
    conscripts recruits marines sailors airmen security"""
)
ARMED_GROUPS = words(
    """fighters fighter militants militant rebels rebel gunmen gunman insurgents insurgent
    attackers attacker terrorists terrorist jihadists jihadist militiamen militiaman militia
    militias guerrillas guerrilla combatants combatant remnants gang gangs gangsters cells
    paramilitaries bandits assailants extremists loyalists"""
)
CIVILIANS = words(
    """civilians civilian villagers villager residents resident families family children child
    women woman infants infant babies baby boys girls minors herders herder farmers farmer
    men teenagers teens adolescents worshippers students student pupils teachers journalists journalist doctors nurses medics
    paramedics aid workers worker employees drivers fishermen shepherds displaced refugees
    refugee passengers shoppers patients neighbours neighbors cousins brothers sisters sons
    daughters parents relatives colleagues seekers christians muslims alawites druze
    yazidis rohingya hindus sikhs copts pilgrims mourners"""
)
UNSPECIFIED = words(
    """people persons person dead victims bodies deaths fatalities others martyrs individuals
    casualties wounded injured suspects"""
)
SUBGROUP_WORDS: dict[str, str] = {
    **dict.fromkeys(
        ["children", "child", "infants", "infant", "babies", "baby", "boys", "girls", "minors"],
        "children",
    ),
    **dict.fromkeys(["women", "woman"], "women"),
    **dict.fromkeys(["men"], "men"),
    **dict.fromkeys(["elderly"], "elderly"),
    **dict.fromkeys(["journalists", "journalist", "reporters"], "journalists"),
    **dict.fromkeys(
        ["doctors", "nurses", "medics", "paramedics"],
        "medical workers",
    ),
}
# Communities named in casualty counts ("11 Christians"), tagged in lower case.
COMMUNITIES = words(
    """christians muslims alawites druze yazidis rohingya hindus sikhs copts kurds shia
    sunnis tutsis hutus masalit zaghawa fulani tigrayans amhara"""
)

# Verbs a count can be the object or subject of, written as past participles
# for "what is counted" ("killing" -> "killed").
PARTICIPLES: dict[str, str] = {
    "killing": "killed",
    "kills": "killed",
    "kill": "killed",
    "die": "died",
    "dies": "died",
    "wounding": "wounded",
    "injuring": "injured",
    "forcing": "forced",
    "displacing": "displaced",
    "detaining": "detained",
    "arresting": "arrested",
    "abducting": "abducted",
    "kidnapping": "kidnapped",
    "executing": "executed",
    "launching": "launched",
    "destroying": "destroyed",
    "burning": "burned",
    "burnt": "burned",
    "escape": "escaped",
    "displacement": "displaced",
    "abduction": "abducted",
    "arrest": "arrested",
    "deaths": "killed",
    "death": "killed",
    "killings": "killed",
}
# Verbs whose object is a count worth naming ("recovered 19 bodies").
OBJECT_VERBS = words(
    """killed killing kills wounded wounding injured injuring executed beheaded massacred
    murdered slaughtered neutralised neutralized shot arrested arresting detained detaining
    abducted abducting kidnapped kidnapping evacuated evacuating displaced displacing
    recovered buried pulled counted launched fired destroyed downed seized burned torched
    deployed distributed referred lost treated received carried registered recorded
    documented verified confirmed rescued freed released forcing forced"""
)
# "the killing of 212 civilians": a noun of the event before "of".
EVENT_NOUN_OF_RE = re.compile(
    r"\b(?P<noun>killing|killings|deaths?|escape|burning|abduction|arrest|displacement|"
    r"execution|evacuation|detention)\s+of\s+$",
    re.I,
)
