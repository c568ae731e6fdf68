"""Protected sources: pseudonymised in every export unless an admin chooses
real names; that choice is refused to others, recorded and printed."""

import re

import pikepdf
import pytest

from audit.models import AuditEvent
from exports.models import Export
from exports.pseudonyms import ProtectedSource, Pseudonymiser
from tests.exports.pdfcheck import pdf_text
from tests.exports.world import PROTECTED_NAMES, WITNESS, export_bytes
from workspaces.exceptions import NotAllowed

FORMATS = ["pdf", "html", "csv", "json", "claimreview", "annotation"]
LEAK = re.compile("|".join(re.escape(n) for n in PROTECTED_NAMES), re.IGNORECASE)


def _text(format: str, data: bytes, tmp_path) -> str:
    if format == "pdf":
        path = tmp_path / "report.pdf"
        path.write_bytes(data)
        with pikepdf.open(path) as pdf:
            metadata = " ".join(str(v) for v in pdf.docinfo.values())
            xmp = pdf.Root.Metadata.read_bytes().decode("utf-8")
            outline = " ".join(str(item.title) for item in pdf.open_outline().root)
        return "\n".join((metadata, xmp, outline, pdf_text(path)))
    return data.decode("utf-8")


@pytest.mark.parametrize("format", FORMATS)
def test_it_never_shows_a_protected_name_without_the_admins_choice(
    world, admin_user, format, tmp_path
):
    data = export_bytes(workspace=world.workspace, actor=admin_user, format=format)
    text = _text(format, data, tmp_path)
    assert not LEAK.search(text), LEAK.search(text)
    assert "Witness A" in text


def test_it_shows_real_names_when_an_admin_chooses_them(world, admin_user):
    data = export_bytes(
        workspace=world.workspace, actor=admin_user, format="json", include_real_names=True
    )
    assert WITNESS in data.decode("utf-8")


def test_it_refuses_real_names_to_a_non_admin(world, analyst, reviewer):
    for user in (analyst, reviewer):
        with pytest.raises(NotAllowed, match="real names"):
            export_bytes(
                workspace=world.workspace, actor=user, format="csv", include_real_names=True
            )
    assert not Export.objects.exists()


def test_it_records_the_choice_of_real_names(world, admin_user):
    export_bytes(workspace=world.workspace, actor=admin_user, format="csv", include_real_names=True)
    export = Export.objects.get()
    event = AuditEvent.objects.get(action="export")
    assert export.include_real_names is True
    assert event.changes["include_real_names"] is True
    assert event.actor == admin_user


def test_it_prints_the_choice_of_real_names_on_the_report(world, admin_user):
    html = export_bytes(
        workspace=world.workspace, actor=admin_user, format="html", include_real_names=True
    ).decode()
    assert "Real names included" in html
    assert "at the request of adam" in html


def test_it_keeps_pseudonyms_stable_between_exports(world, analyst, admin_user):
    first = export_bytes(workspace=world.workspace, actor=analyst, format="csv", record=False)
    second = export_bytes(workspace=world.workspace, actor=admin_user, format="csv", record=False)
    assert b"Witness A" in first
    assert first == second


def test_pseudonymiser_replaces_whole_words_case_insensitively_labelled_in_id_order():
    p = Pseudonymiser(
        [ProtectedSource(7, "Ali Sheha", ("Abu Karim",)), ProtectedSource(3, "Mona", ())]
    )
    assert p.text("ALI  SHEHA met abu karim; Monastery, Mona's") == (
        "Witness B met Witness B; Monastery, Witness A's"
    )


def test_pseudonymiser_moves_offsets_onto_the_new_text():
    p = Pseudonymiser([ProtectedSource(1, "Ali Sheha", ())])
    text = "Said Ali Sheha: gunmen came. Ali Sheha left."
    new, offsets = p.text_with_offsets(text)
    start, end = text.index("gunmen"), text.index("came") + 4
    assert new[offsets(start) : offsets(end, closing=True)] == "gunmen came"
    # A span starting inside the name takes the whole pseudonym.
    inside = text.index("Sheha")
    assert new[offsets(inside) : offsets(end, closing=True)] == "Witness A: gunmen came"
