"""Word lists the extractor reasons with. Kept in one place so that widening the
vocabulary never means touching the logic."""

from __future__ import annotations

import re


def words(text: str) -> frozenset[str]:
    return frozenset(text.split())


# --- reporting cues -------------------------------------------------------
# Verbs that attribute content to a speaker. Base forms ("say", "report") are
# left out on purpose: as nouns or infinitives they attribute nothing.
CUE_VERBS = words(
    """said says told tells stated states claimed claims reported reports condemned condemns
    urged urges blamed blames accused accuses denied denies warned warns called calls
    described describes added adds confirmed confirms estimated estimates counted counts
    documented documents announced announces alleged alleges insisted insists painted paints
    vowed vows acknowledged acknowledges noted notes explained explains recalled recounted
    wrote writes posted tweeted declared declares asserted asserts maintained maintains
    rejected rejects dismissed dismisses denounced denounces deplored deplores welcomed
    welcomes demanded demands pledged pledges promised promises argued argues recorded
    records quoted charged charges testified described urging reaffirmed reaffirms reiterated
    reiterates stressed stresses cautioned cautions registered registers verified verifies
    disputed disputes"""
)
# Reporting phrases of more than one word ("expressed concern", "put the toll at").
CUE_PHRASES = (
    r"expressed\s+(?:(?:deep|grave|serious|great|profound|its|their|his|her)\s+)*"
    r"(?:concern|alarm|regret|outrage|shock|sympathy|solidarity|condolences|dismay|sadness)|"
    r"voiced\s+(?:(?:deep|grave|serious)\s+)*(?:concern|alarm)|"
    r"put(?:s)?\s+the\s+(?:(?:death|overall|total)\s+)?(?:toll|number\s+of\s+[\w\s,]{2,60}?)(?=\s+(?:at|as))|"
    r"holds?\s+(?:[\w'’-]+\s+){1,6}?(?:fully\s+)?responsible|"
    r"claimed\s+responsibility|call(?:s|ed)?\s+on"
)
REACTION_CUES = words(
    """condemned condemns urged urges denounced denounces deplored deplores welcomed welcomes
    demanded demands call"""
)
REACTION_CUE_RE = re.compile(r"^(?:expressed|voiced|call(?:s|ed)?\s+on)\b", re.I)
# "called on" / "called for" are reactions; "called X Y" is a characterisation.
REACTION_PHRASES = re.compile(r"\bcall(?:ed|s)\s+(?:on|for)\b", re.I)
REACTION_CONTENT = re.compile(
    r"\b(?:concern(?:ed)?|alarm(?:ed)?|outrage(?:d)?|condolences|solidarity|stands? with|"
    r"shock(?:ed)?|appall(?:ed)?|dismay(?:ed)?|regret)\b",
    re.I,
)
# Verbs that only attribute when a quotation sits right before them:
# '"...," said X'. Others ("documents") never invert.
INVERTING_CUES = words("said says added told wrote continued recalled explained asked")

# --- noun phrases ------------------------------------------------------------
DETERMINERS = words(
    """the a an this that these those its his her their our some several many other
    another both each every one two three four five six seven eight nine ten few various"""
)
PRONOUNS = words("he she they it we i")
PERSON_PRONOUNS = words("he she")
RELATIVE_WORDS = words("who whom whose which that where when")
FINITE_VERBS = words(
    """is are was were has have had will would can could should may might must did does do
    been being am be"""
)
PREPOSITIONS = words(
    """in at from near outside inside to of for with by around on across into over under
    during since after before between through within among along toward towards"""
)
LEADING_FILLERS = re.compile(
    r"^(?:(?:and|but|yet|so|meanwhile|however|later|earlier|separately|also|instead|then|"
    r"still|now|today|tonight|yesterday|moreover|in addition|in response|for (?:its|his|her|"
    r"their) part|reached by (?:phone|telephone)|speaking by (?:phone|telephone)|"
    r"in remarks to [\w\s]+?|at a (?:press conference|briefing|news conference)(?: in \w+)?)"
    r"\b[\s,]*)+",
    re.I,
)
# Adverbs set off by commas between a subject and its verb: "X, meanwhile, warned".
INTERJECTIONS = re.compile(
    r"^\s*(?:meanwhile|however|too|also|separately|in turn|in response|for (?:its|his|her|"
    r"their) part|in a statement|in a separate statement|on \w+day|earlier|later|for example|"
    r"though|again|likewise|similarly|instead|in addition|by contrast|for their part)\s*$",
    re.I,
)
# A sentence that opens with a subordinate clause: its verbs are not the report.
SUBORDINATE_OPENER = re.compile(
    r"^\W*(?:\d{1,2}[:.]\d{2}\W*)?(?:after|when|before|since|as|while|although|though|if|once|because|until|"
    r"whereas|even\s+as|even\s+though)\b",
    re.I,
)
_DAY = (
    r"(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday|weekend|night|morning|"
    r"afternoon|evening|week|month|year|day)"
)
TIME_PHRASE = re.compile(
    rf"^(?:(?:on|last|this|early|late|earlier|later|late on|early on)\s+(?:\w+\s+)?{_DAY}\b[\s,]*)+",
    re.I,
)
TRAILING_FILLERS = re.compile(
    r"(?:\s+(?:also|later|earlier|previously|again|repeatedly|separately|further|reportedly|"
    r"initially|originally|first|then|since|already|has|have|had|did|does|do|will|would|"
    r"yesterday|today|now|publicly|angrily|flatly|immediately|quickly|swiftly|strongly|"
    rf"separately|(?:on|last|this)\s+{_DAY}))+$",
    re.I,
)
# Nouns that wrap a source without being one: "a statement from the ministry".
CONTAINER_RE = re.compile(
    r"^(?:(?:a|an|the|its|their|his|her)\s+)?(?:(?:new|latest|recent|joint|written|"
    r"separate|preliminary|updated|official|final|monthly|weekly|annual|[\w]+-based)\s+)*"
    r"(?:statement|report|tally|count|estimate|figures|data|toll|assessment|investigation|list|"
    r"record|records|bulletin|update|count|study|survey|analysis|review|investigation)\s+"
    r"(?:from|by|of|issued by|released by|compiled by|published by|conducted by)\s+",
    re.I,
)
# People/organisation nouns that make a phrase plausible as a speaker.
AGENT_NOUNS = words(
    """resident residents witness witnesses official officials authority authorities police
    army military government ministry ministries minister ministers rebels rebel militants
    militant fighters fighter activist activists medic medics doctor doctors rescuer rescuers
    survivor survivors villager villagers source sources diplomat diplomats analyst analysts
    expert experts monitor monitors spokesman spokeswoman spokesperson spokespeople group
    groups agency agencies office commission council committee network organisation
    organization observatory media television tv newspaper broadcaster radio mission coalition
    movement militia forces troops soldiers soldier commander commanders leader leaders
    president governor mayor resident worker workers families family relatives relative woman
    women man men mother father farmer driver student teacher chief head director envoy
    rapporteur investigators team service department agency administration presidency
    cabinet junta command headquarters watchdog charity ngo nurse nurses paramedics
    paramedic people person locals local campaigners campaigner lawyer lawyers journalist
    journalists reporter reporters correspondent representative representatives ambassador
    embassy premier parliament lawmakers lawmaker senator governorate municipality council
    tribe elders elder leader cleric imam priest bishop displaced refugees refugee shopkeeper
    students teachers neighbours neighbors neighbour neighbor daughter son brother sister
    husband wife uncle aunt eyewitness eyewitnesses guard guards staff volunteers volunteer
    crews crew hospital clinic insurgents gunmen delegation body institute centre center
    foundation project alliance front brigade brigades battalion management operator
    operators company firm board directorate bureau secretariat regime association union
    federation"""
)
# "A spokesman for X": the speaker talks for X, which is the source to track.
ROLE_NOUNS = words(
    """spokesman spokeswoman spokesperson director head chief commander leader official
    representative secretary minister spokespeople"""
)
ROLE_OF_RE = re.compile(
    r"^(?:a|an|the)?\s*(?:(?:senior|deputy|chief|top|regional|local|military|press)\s+)*"
    r"(?:spokesman|spokeswoman|spokesperson|director|head|chief|commander|leader|official|"
    r"representative|secretary)\s+(?:for|of|at|with|from)\s+(?P<org>.+)$",
    re.I,
)
HONORIFICS = words(
    """mr mrs ms dr prof gen general lt col colonel maj major capt captain sgt sergeant
    lieutenant brig brigadier adm admiral rev sheikh"""
)
# Words that end a title in front of a person's name ("Health Minister").
TITLE_HEADS = words(
    """mr mrs ms dr prof gen general lt col colonel maj major capt captain sgt sergeant
    lieutenant brig brigadier adm admiral rev sheikh imam president minister governor mayor
    commander resident activist doctor farmer ambassador envoy senator judge premier
    chairman chairwoman secretary official spokesman spokeswoman spokesperson director head
    chief leader representative"""
)
# Generic words that say little about which source is meant.
GENERIC_NAME_WORDS = words(
    """the of for and in on at to a an human rights national international united ministry
    government forces force army council committee group agency office department news
    foreign health interior defence defense state states people's people general
    organization organisation commission network service services project data"""
)

# --- what a speaker is -------------------------------------------------------
KIND_HINTS: tuple[tuple[str, re.Pattern[str]], ...] = (
    (
        "news_outlet",
        re.compile(
            r"\b(?:associated press|reuters|afp|agence france-presse|bbc|al jazeera|cnn|"
            r"news agency|agency's|newspaper|television|tv|radio|broadcaster|channel|"
            r"state media|media outlet|news|times|post|journal|gazette|herald|tribune)\b",
            re.I,
        ),
    ),
    (
        "international_org",
        re.compile(
            r"\b(?:united nations|u\.n\.|unicef|unhcr|ocha|world health organi[sz]ation|"
            r"icrc|red cross|red crescent|msf|doctors without borders|m[ée]decins sans "
            r"fronti[èe]res|world food programme|wfp|iom|unrwa|african union|european union|"
            r"aid groups?|aid agenc(?:y|ies)|humanitarian|rapporteur|peacekeep\w*|envoy)\b",
            re.I,
        ),
    ),
    (
        "monitor",
        re.compile(
            r"\b(?:observatory|monitor(?:ing)?|watchdog|rights group|human rights|"
            r"documentation|acled|airwars|amnesty|ombudsman|data project|tracks)\b",
            re.I,
        ),
    ),
    (
        "armed_group",
        re.compile(
            r"\b(?:rebels?|militias?|insurgents?|militants?|jihadists?|gunmen|fighters|"
            r"paramilitar\w*|guerrillas?|gangs?|faction|liberation|brigades?|front|hamas|"
            r"armed groups?|"
            r"hezbollah|houthis?|al-shabaa?b|taliban|isis|islamic state|jnim|m23|rsf|eln|"
            r"fano|commanders)\b",
            re.I,
        ),
    ),
    (
        "government",
        re.compile(
            r"\b(?:government|ministry|minister|president|prime minister|army|military|"
            r"police|authorities|officials?|governor|administration|junta|security forces|"
            r"security sources|spokes(?:man|woman|person) for the (?:army|government|"
            r"ministry|police|military)|state|mayor|cabinet|presidency|council|"
            r"defen[cs]e|interior|armed forces|air force|navy|command)\b",
            re.I,
        ),
    ),
    (
        "witness",
        re.compile(
            r"\b(?:residents?|witness(?:es)?|eyewitness(?:es)?|survivors?|villagers?|"
            r"farmers?|drivers?|shopkeepers?|students?|teachers?|relatives?|neighbou?rs?|"
            r"mothers?|fathers?|families|family|locals?|refugees?|displaced|doctors?|nurses?|"
            r"medics?|paramedics?|health workers?|rescue workers?|rescuers?|volunteers?|"
            r"woman|women|man|men|lives|fled|sheltering|year-old)\b",
            re.I,
        ),
    ),
)
# Acronyms are only acronyms in capitals: "who" and "us" are ordinary words.
ACRONYM_KINDS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("news_outlet", re.compile(r"\b(?:AP|AFP|BBC|CNN)\b")),
    ("international_org", re.compile(r"\b(?:UN|WHO|IOM|WFP|ICRC|EU|AU)\b")),
)
FOREIGN_MARKERS = re.compile(
    r"\b(?:foreign ministry|foreign minister|state department|white house|kremlin|"
    r"embassy|ambassador|secretary of state|quai d'orsay|foreign office|"
    r"central command|centcom)\b",
    re.I,
)
# Country names and demonyms; used to tell a foreign government from the local one.
COUNTRIES: dict[str, tuple[str, ...]] = {
    "syria": ("syria", "syrian"),
    "france": ("france", "french"),
    "britain": ("britain", "british", "uk", "u.k."),
    "united states": ("united states", "u.s.", "us", "american", "washington"),
    "russia": ("russia", "russian", "moscow", "kremlin"),
    "ukraine": ("ukraine", "ukrainian", "kyiv"),
    "sudan": ("sudan", "sudanese"),
    "myanmar": ("myanmar", "burmese"),
    "congo": ("congo", "congolese", "kinshasa"),
    "rwanda": ("rwanda", "rwandan", "kigali"),
    "yemen": ("yemen", "yemeni", "sanaa"),
    "israel": ("israel", "israeli"),
    "ethiopia": ("ethiopia", "ethiopian"),
    "burkina faso": ("burkina faso", "burkinabe"),
    "mali": ("mali", "malian"),
    "niger": ("niger", "nigerien"),
    "nigeria": ("nigeria", "nigerian", "abuja"),
    "haiti": ("haiti", "haitian"),
    "somalia": ("somalia", "somali", "mogadishu"),
    "colombia": ("colombia", "colombian", "bogotá", "bogota"),
    "turkey": ("turkey", "turkish", "ankara"),
    "iran": ("iran", "iranian", "tehran"),
    "china": ("china", "chinese", "beijing"),
    "germany": ("germany", "german", "berlin"),
    "egypt": ("egypt", "egyptian", "cairo"),
    "qatar": ("qatar", "qatari", "doha"),
    "saudi arabia": ("saudi", "saudi arabia", "riyadh"),
    "lebanon": ("lebanon", "lebanese", "beirut"),
    "iraq": ("iraq", "iraqi", "baghdad"),
    "libya": ("libya", "libyan", "tripoli"),
    "mozambique": ("mozambique", "mozambican", "maputo"),
    "south africa": ("south africa", "south african", "pretoria"),
    "kenya": ("kenya", "kenyan", "nairobi"),
    "chad": ("chad", "chadian"),
    "uganda": ("uganda", "ugandan", "kampala"),
    "palestine": ("palestinian", "gaza", "west bank"),
    "india": ("india", "indian", "new delhi"),
    "pakistan": ("pakistan", "pakistani", "islamabad"),
    "afghanistan": ("afghanistan", "afghan", "kabul"),
}

# Definite descriptions and the kinds of source they can point back to.
HEAD_KINDS: dict[str, frozenset[str]] = {
    "group": frozenset({"monitor", "armed_group", "international_org", "other"}),
    "monitor": frozenset({"monitor"}),
    "watchdog": frozenset({"monitor"}),
    "observatory": frozenset({"monitor"}),
    "commission": frozenset({"monitor", "government", "international_org"}),
    "network": frozenset({"monitor", "news_outlet", "other"}),
    "organisation": frozenset({"international_org", "monitor", "other"}),
    "organization": frozenset({"international_org", "monitor", "other"}),
    "charity": frozenset({"international_org", "other"}),
    "mission": frozenset({"international_org", "monitor"}),
    "body": frozenset({"international_org", "monitor", "government", "other"}),
    "agency": frozenset({"news_outlet", "international_org", "government"}),
    "broadcaster": frozenset({"news_outlet"}),
    "newspaper": frozenset({"news_outlet"}),
    "outlet": frozenset({"news_outlet"}),
    "channel": frozenset({"news_outlet"}),
    "station": frozenset({"news_outlet"}),
    "ministry": frozenset({"government", "foreign_government"}),
    "government": frozenset({"government", "foreign_government"}),
    "authorities": frozenset({"government"}),
    "administration": frozenset({"government", "foreign_government"}),
    "army": frozenset({"government"}),
    "military": frozenset({"government", "foreign_government"}),
    "police": frozenset({"government"}),
    "office": frozenset({"government", "monitor", "international_org"}),
    "service": frozenset({"other", "government", "international_org"}),
    "rebels": frozenset({"armed_group"}),
    "militia": frozenset({"armed_group"}),
    "militants": frozenset({"armed_group"}),
    "insurgents": frozenset({"armed_group"}),
    "movement": frozenset({"armed_group"}),
    "coalition": frozenset({"armed_group", "foreign_government"}),
    "faction": frozenset({"armed_group"}),
    "council": frozenset({"government", "international_org"}),
    "committee": frozenset({"government", "international_org", "monitor"}),
}
# Heads generic enough that "the group" may point at any earlier speaker of a
# fitting kind. Institution words ("the army", "the ministry") are not: they
# only pick up an earlier speaker whose name contains them.
GENERIC_HEADS = words(
    """group monitor watchdog observatory organisation organization charity mission body
    agency broadcaster newspaper outlet channel station rebels militia militants insurgents
    movement faction service network commission coalition"""
)
# Generic listeners who are not intermediaries ("told reporters").
GENERIC_AUDIENCES = words(
    """reporters journalists us me him her them parliament lawmakers crowd supporters
    mourners conference briefing audience"""
)
