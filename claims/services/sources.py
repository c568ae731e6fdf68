"""Writes on sources."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from audit.models import AuditEvent
from audit.services import audit_record, save_if_changed, save_new
from claims.models import Source, SourceChangeProposal
from workspaces.access import ADMINS, ANNOTATORS, require_role, role_of
from workspaces.exceptions import NotAllowed
from workspaces.models import Workspace

SOURCE_FIELDS = ("name", "kind", "aliases", "description", "reliability", "protected")


# What only an admin may change on a protected source: who it is and whether
# it stays protected. An analyst's change of these becomes a proposal.
PROTECTION_FIELDS = ("name", "aliases", "protected")


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


def _cleaned_fields(fields: dict) -> dict:
    unknown = set(fields) - set(SOURCE_FIELDS)
    if unknown:
        raise TypeError(f"Unknown source fields: {sorted(unknown)}")
    fields = dict(fields)
    if "aliases" in fields:
        fields["aliases"] = clean_aliases(fields["aliases"])
    if "name" in fields:
        fields["name"] = " ".join(str(fields["name"]).split())
    if "protected" in fields:
        fields["protected"] = bool(fields["protected"])
    return fields


def protection_changes(source: Source, fields: dict) -> dict:
    """The fields of `fields` that would change a protected source's name,
    aliases or protection ({} for an unprotected source)."""
    if not source.protected:
        return {}
    fields = _cleaned_fields(fields)
    return {
        name: fields[name]
        for name in PROTECTION_FIELDS
        if name in fields and fields[name] != getattr(source, name)
    }


@transaction.atomic
def source_update(*, source: Source, actor, **fields) -> Source:
    """Edit a source. While it is protected only an admin may change its
    name, aliases or protection (an analyst proposes such a change with
    source_change_propose): otherwise one could untick "protected", export
    the real name, and tick it again."""
    require_role(workspace=source.workspace, user=actor, roles=ANNOTATORS, action="edit sources")
    source = Source.objects.select_for_update().get(pk=source.pk)
    before = _snapshot(source)
    fields = _cleaned_fields(fields)
    guarded = protection_changes(source, fields)
    if guarded and role_of(workspace=source.workspace, user=actor) not in ADMINS:
        raise NotAllowed(
            "Only an admin can change the name, aliases or protection of a protected source; "
            "propose the change for an admin to accept."
        )
    for name, value in fields.items():
        setattr(source, name, value)
    source.full_clean()
    save_if_changed(
        source, workspace=source.workspace, actor=actor, before=before, after=_snapshot(source)
    )
    return source


@transaction.atomic
def source_change_propose(
    *, source: Source, actor, fields: dict, note: str = ""
) -> SourceChangeProposal:
    """An analyst's proposed change to a protected source's name, aliases or
    protection, waiting for an admin. Audited on the source."""
    require_role(
        workspace=source.workspace, user=actor, roles=ANNOTATORS, action="propose source changes"
    )
    source = Source.objects.select_for_update().get(pk=source.pk)
    changes = protection_changes(source, fields)
    if not changes:
        raise ValidationError(
            "There is nothing to propose: the name, aliases and protection are unchanged."
        )
    proposal = SourceChangeProposal(
        workspace=source.workspace,
        source=source,
        fields=changes,
        note=" ".join(note.split())[:500],
        proposed_by=actor,
    )
    proposal.full_clean()
    proposal.save()
    audit_record(
        workspace=source.workspace,
        actor=actor,
        obj=source,
        action=AuditEvent.Action.UPDATE,
        changes={
            "change_proposed": [None, proposal.pk],
            **{name: [getattr(source, name), value] for name, value in changes.items()},
        },
    )
    return proposal


@transaction.atomic
def source_change_decide(*, proposal: SourceChangeProposal, actor, accept: bool) -> Source:
    """An admin accepts (the change is applied, as the admin's edit) or
    rejects a proposed change; either way it is recorded."""
    require_role(
        workspace=proposal.workspace, user=actor, roles=ADMINS, action="decide source changes"
    )
    proposal = SourceChangeProposal.objects.select_for_update().get(pk=proposal.pk)
    if proposal.status != SourceChangeProposal.Status.PENDING:
        raise ValidationError(f"This proposal was already {proposal.get_status_display().lower()}.")
    source = proposal.source
    if accept:
        source = source_update(source=source, actor=actor, **proposal.fields)
    proposal.status = (
        SourceChangeProposal.Status.ACCEPTED if accept else SourceChangeProposal.Status.REJECTED
    )
    proposal.decided_by, proposal.decided_at = actor, timezone.now()
    proposal.save()
    audit_record(
        workspace=proposal.workspace,
        actor=actor,
        obj=source,
        action=AuditEvent.Action.UPDATE,
        changes={"change_proposal": [proposal.pk, proposal.status]},
    )
    return source
