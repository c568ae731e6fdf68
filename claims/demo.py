"""Demo data: a workspace, two users and one annotated article.

The article is written for this project. It carries the facts reported about
the violence on Syria's coast in March 2025 (the monitor's figures, the
government's statement, residents' testimony, the French reaction, the news
agency's report) in our own words.
"""

DEMO_WORKSPACE = {
    "slug": "demo",
    "name": "Syria coast, March 2025",
    "description": (
        "Demo desk: checking the casualty figures and attributed statements about the "
        "clashes and reprisal killings on Syria's Mediterranean coast."
    ),
}


DEMO_USERS = [
    {"username": "analyst", "password": "analyst-demo-2025", "role": "analyst"},
    {"username": "reviewer", "password": "reviewer-demo-2025", "role": "reviewer"},
    {"username": "admin", "password": "admin-demo-2025", "role": "admin"},
]


DEMO_SOURCES = [
    {
        "name": "Syrian Observatory for Human Rights",
        "kind": "monitor",
        "reliability": "C",
        "aliases": ["SOHR", "the Observatory"],
        "description": "War monitor based in Britain that relies on a network of contacts inside Syria.",
    },
    {
        "name": "Syrian interim government",
        "kind": "government",
        "reliability": "D",
        "aliases": ["the government", "Syrian authorities"],
    },
    {
        "name": "Residents of Alawite towns",
        "kind": "witness",
        "reliability": "F",
        "aliases": ["residents"],
    },
    {
        "name": "Ali Sheha",
        "kind": "witness",
        "reliability": "F",
        "protected": True,
        "description": "Resident of Baniyas quoted by name in the press.",
    },
    {
        "name": "French foreign ministry",
        "kind": "foreign_government",
        "reliability": "B",
        "aliases": ["Quai d'Orsay", "France"],
    },
    {"name": "Associated Press", "kind": "news_outlet", "reliability": "B", "aliases": ["AP"]},
    {
        "name": "Coastal Desk Review",
        "kind": "news_outlet",
        "reliability": "C",
        "description": "Fictional outlet that publishes the demo article.",
    },
]


DEMO_ARTICLE_TITLE = "Reprisal killings push Syria coast death toll past 1,000"


DEMO_ARTICLE_BODY = """\
Reprisal killings push Syria coast death toll past 1,000

More than 1,000 people have died in Syria during several days of fighting on the coast and the revenge attacks that came after it, making this one of the bloodiest episodes since the war started fourteen years ago.

The Syrian Observatory for Human Rights, a monitoring group based in Britain, said 745 civilians were among the dead, most of them shot at close range. The monitor counted a further 125 members of the government's security forces and 148 fighters loyal to the deposed president Bashar Assad.

The unrest is the gravest challenge yet for the new authorities, who removed Assad only three months earlier. The government said its forces were answering attacks by remnants of the old army, and put the wider bloodshed down to "individual actions".

Electricity and drinking water were cut across large parts of the countryside around Latakia.

Residents of Alawite towns told reporters that gunmen had shot members of their community in the streets and at the doors of their homes. Many houses were looted and burned, the Associated Press reported.

In Baniyas, one of the hardest-hit towns, residents described bodies left in homes and on rooftops. A local resident, Ali Sheha, said the gunmen stopped people from collecting the dead for hours after they had been shot at close range.

France's foreign ministry condemned "atrocities committed against civilians on religious grounds and against prisoners" and called on the interim authorities to allow independent investigations.

According to the Observatory, the fighting began when government forces trying to arrest a wanted man near the coastal city of Jableh were ambushed by Assad loyalists.
"""


# Claims already annotated in the demo article: the quote is located in the text.
DEMO_CLAIMS = [
    {
        "quote": "More than 1,000 people have died in Syria during several days of fighting on the coast and the revenge attacks that came after it",
        "source": "Syrian Observatory for Human Rights",
        "kind": "figure",
        "statement": "More than 1,000 people killed in the coastal violence",
        "figures": [
            {
                "value": 1000,
                "qualifier": "more_than",
                "counted": "people killed",
                "place": "Syria",
                "basis": "cumulative",
                "as_of": "2025-03-09",
            }
        ],
    },
    {
        "quote": "said 745 civilians were among the dead, most of them shot at close range",
        "source": "Syrian Observatory for Human Rights",
        "kind": "figure",
        "statement": "745 civilians among the dead, mostly shot at close range",
        "figures": [
            {
                "value": 745,
                "qualifier": "exact",
                "counted": "civilians killed",
                "place": "Syria",
                "basis": "cumulative",
                "as_of": "2025-03-09",
            }
        ],
    },
    {
        "quote": "The monitor counted a further 125 members of the government's security forces and 148 fighters loyal to the deposed president Bashar Assad.",
        "source": "Syrian Observatory for Human Rights",
        "kind": "figure",
        "statement": "125 security-force members and 148 Assad loyalists killed",
        "figures": [
            {
                "value": 125,
                "qualifier": "exact",
                "counted": "security forces killed",
                "place": "Syria",
                "basis": "cumulative",
                "as_of": "2025-03-09",
            },
            {
                "value": 148,
                "qualifier": "exact",
                "counted": "pro-Assad fighters killed",
                "place": "Syria",
                "basis": "cumulative",
                "as_of": "2025-03-09",
            },
        ],
    },
    {
        "quote": 'The government said its forces were answering attacks by remnants of the old army, and put the wider bloodshed down to "individual actions".',
        "source": "Syrian interim government",
        "kind": "statement",
        "statement": 'Government blames the wider violence on "individual actions"',
    },
    {
        "quote": "gunmen had shot members of their community in the streets and at the doors of their homes",
        "source": "Residents of Alawite towns",
        "kind": "testimony",
        "statement": "Gunmen shot Alawite residents in streets and at their doors",
    },
    {
        "quote": "Many houses were looted and burned, the Associated Press reported.",
        "source": "Associated Press",
        "kind": "event",
        "statement": "Many houses looted and burned",
    },
    {
        "quote": "A local resident, Ali Sheha, said the gunmen stopped people from collecting the dead for hours after they had been shot at close range.",
        "source": "Ali Sheha",
        "kind": "testimony",
        "via": ["Associated Press"],
        "statement": "Gunmen prevented residents of Baniyas from recovering bodies for hours",
    },
    {
        "quote": 'France\'s foreign ministry condemned "atrocities committed against civilians on religious grounds and against prisoners"',
        "source": "French foreign ministry",
        "kind": "reaction",
        "statement": "France condemns atrocities against civilians and prisoners",
    },
]
