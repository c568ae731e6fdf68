"""Four articles about one event, from several outlets: agreeing, repeated,
conflicting and updated figures, each figure with its scope (killed, in
Syria, cumulative totals counted to a day). Shared by the matching and
figures tests."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from claims.models import Claim
from claims.services.articles import article_import
from claims.services.claims import claim_create
from claims.services.sources import source_create
from vocabulary.services import place_create

TEXT_A = (
    "A monitoring group said more than 1,000 people were killed in two days of fighting on the "
    "coast, among them 745 civilians, 125 members of the security forces and 148 fighters.\n\n"
    "The monitor said security forces shot civilians at close range in several villages."
)
TEXT_B = (
    "More than 1,000 people were killed in two days of fighting on the coast, the monitoring "
    "group told the news agency, among them 745 civilians.\n\nShops stayed closed on Sunday."
)
TEXT_C = (
    "The interior ministry said 300 people were killed in the fighting on the coast.\n\n"
    "The ministry denied that security forces shot civilians in the villages."
)
TEXT_D = (
    "The monitoring group raised its toll to 1,311 people killed in the coastal violence.\n\n"
    "A hospital director said 740 civilians were killed in the fighting on the coast."
)


def claim_in(article, actor, source, quote, *, figures=(), statement="", intermediaries=()):
    return claim_create(
        article=article,
        actor=actor,
        source=source,
        quote=quote,
        kind="figure" if figures else "statement",
        statement=statement,
        figures=list(figures),
        intermediaries=list(intermediaries),
    )


MARCH_8 = datetime.date(2025, 3, 8)


def figure(value, counted, qualifier="exact", *, place="Syria", basis="cumulative", as_of=None):
    """A figure dict of the claim services' contract; the outcome and
    population come from the wording ("civilian deaths": killed, civilians)."""
    return {
        "value": str(value),
        "qualifier": qualifier,
        "counted": counted,
        "place": place,
        "basis": basis,
        "as_of": as_of,
    }


@dataclass
class World:
    monitor: object
    ministry: object
    agency: object
    paper: object
    hospital: object
    a: object  # monitor's toll, with its parts, on 8 March (agency)
    b: object  # the same toll relayed by the paper on 9 March
    c: object  # the ministry's much lower toll on 9 March
    d: object  # the monitor's later, higher toll on 10 March
    a_toll: Claim
    a_shooting: Claim
    b_toll: Claim
    c_toll: Claim
    c_denial: Claim
    d_toll: Claim
    d_hospital: Claim


def build_world(workspace, analyst, monitor, ministry, agency) -> World:
    """Four articles about one event: agreeing, repeated, conflicting and updated figures.
    The monitor's toll of 8 March is relayed on 9 March (a repeat), raised on 10
    March (an update); the ministry's much lower toll and the hospital's count
    of civilians are counted to 8 March too."""
    syria = place_create(workspace=workspace, actor=analyst, name="Syria", level="country")
    place_create(
        workspace=workspace,
        actor=analyst,
        name="Latakia",
        level="region",
        parent=syria,
        alternatives=["Lattakia"],
    )
    paper = source_create(
        workspace=workspace, actor=analyst, name="Daily Paper", kind="news_outlet"
    )
    hospital = source_create(
        workspace=workspace, actor=analyst, name="Coast Hospital", kind="other"
    )
    a, b, c, d = (
        article_import(
            workspace=workspace,
            actor=analyst,
            title=title,
            body=body,
            outlet=outlet,
            published_on=datetime.date(2025, 3, day),
        )
        for title, body, outlet, day in (
            ("Monitor: more than 1,000 killed", TEXT_A, agency, 8),
            ("Toll passes 1,000", TEXT_B, paper, 9),
            ("Ministry gives lower toll", TEXT_C, paper, 9),
            ("Toll rises to 1,311", TEXT_D, agency, 10),
        )
    )
    a_toll = claim_in(
        a,
        analyst,
        monitor,
        "more than 1,000 people were killed in two days of fighting on the coast, among them "
        "745 civilians, 125 members of the security forces and 148 fighters",
        statement="More than 1,000 people killed on the coast",
        figures=[
            figure(1000, "people killed", "more_than"),
            figure(745, "civilians killed"),
            figure(125, "security forces killed"),
            figure(148, "fighters killed"),
        ],
    )
    a_shooting = claim_in(
        a,
        analyst,
        monitor,
        "security forces shot civilians at close range in several villages",
        statement="Security forces shot civilians in the villages",
    )
    b_toll = claim_in(
        b,
        analyst,
        monitor,
        "More than 1,000 people were killed in two days of fighting on the coast",
        statement="More than 1,000 people killed on the coast",
        figures=[figure(1000, "people killed", "more_than", as_of=MARCH_8)],
        intermediaries=[agency],
    )
    c_toll = claim_in(
        c,
        analyst,
        ministry,
        "300 people were killed in the fighting on the coast",
        statement="300 people killed on the coast",
        figures=[figure(300, "people killed", as_of=MARCH_8)],
    )
    c_denial = claim_in(
        c,
        analyst,
        ministry,
        "denied that security forces shot civilians in the villages",
        statement="Security forces did not shoot civilians in the villages",
    )
    d_toll = claim_in(
        d,
        analyst,
        monitor,
        "raised its toll to 1,311 people killed in the coastal violence",
        statement="1,311 people killed on the coast",
        figures=[figure(1311, "people killed")],
    )
    d_hospital = claim_in(
        d,
        analyst,
        hospital,
        "740 civilians were killed in the fighting on the coast",
        statement="740 civilians killed on the coast",
        figures=[figure(740, "civilian deaths", as_of=MARCH_8)],
    )
    return World(
        monitor,
        ministry,
        agency,
        paper,
        hospital,
        a,
        b,
        c,
        d,
        a_toll,
        a_shooting,
        b_toll,
        c_toll,
        c_denial,
        d_toll,
        d_hospital,
    )
