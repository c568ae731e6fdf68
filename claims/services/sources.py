"""Writes on sources."""

from __future__ import annotations

from django.db import transaction

from audit.services import save_if_changed, save_new
from claims.models import Source
from workspaces.access import ANNOTATORS, require_role
from workspaces.models import Workspace

SOURCE_FIELDS = ("name", "kind", "aliases", "description", "reliability", "protected")


def _snapshot(source: Source) -> dict:
    return {name: getattr(source, name) for name in SOURCE_FIELDS}


def clean_aliases(aliases) -> list[str]:
    """Aliases arrive as a list or as comma/newline separated text."""
    if isinstance(aliases, str):
        aliases = aliases.replace("\n", ",").split(",")
    seen: dict[str, str] = {}
    for alias in aliases or []:
        alias = " ".join(str(alias).split())
        if alias and alias.casefold() not in seen:
            seen[alias.casefold()] = alias
    return list(seen.values())


@transaction.atomic
def source_create(
    *,
    workspace: Workspace,
    actor,
    name: str,
    kind: str = Source.Kind.OTHER,
    aliases=(),
    description: str = "",
    reliability: str = Source.Reliability.F,
    protected: bool = False,
) -> Source:
    require_role(workspace=workspace, user=actor, roles=ANNOTATORS, action="create sources")
    source = Source(
        workspace=workspace,
        name=" ".join(name.split()),
        kind=kind,
        aliases=clean_aliases(aliases),
        description=description.strip(),
        reliability=reliability,
        protected=protected,
        created_by=actor,
    )
    save_new(source, workspace=workspace, actor=actor, after=_snapshot(source))
    return source


@transaction.atomic
def source_update(*, source: Source, actor, **fields) -> Source:
    require_role(workspace=source.workspace, user=actor, roles=ANNOTATORS, action="edit sources")
    source = Source.objects.select_for_update().get(pk=source.pk)
    before = _snapshot(source)
    unknown = set(fields) - set(SOURCE_FIELDS)
    if unknown:
        raise TypeError(f"Unknown source fields: {sorted(unknown)}")
    if "aliases" in fields:
        fields["aliases"] = clean_aliases(fields["aliases"])
    if "name" in fields:
        fields["name"] = " ".join(fields["name"].split())
    for name, value in fields.items():
        setattr(source, name, value)
    source.full_clean()
    save_if_changed(
        source, workspace=source.workspace, actor=actor, before=before, after=_snapshot(source)
    )
    return source
