"""Signed checkpoints: a witness of the audit chain outside the database.

The hash chain shows that events were altered, unless whoever alters them
also recomputes every later hash and the stored head; someone with write
access to the database can do exactly that. So, as Certificate Transparency
does with signed tree heads, the chain head of each workspace (its event
count and last hash, with the time) is signed with an Ed25519 key the
database never holds and appended to a log outside the database. Later,
`verify_audit` compares the chain with every checkpoint: a chain shorter than
a checkpoint saw (truncated, or its last events removed and the head
rewound), an event whose hash differs from the one a checkpoint signed
(history rewritten and the later hashes recomputed), or a checkpoint whose
signature does not verify (forged), is named as such.

Checkpoints are written on every export (after its event commits), on every
report (printed on it), and at intervals by beat (`audit_checkpoint_all`).

- Key: AUDIT_SIGNING_KEY (base64 of the 32-byte Ed25519 seed, or a PEM
  private key) from the environment, else the file AUDIT_SIGNING_KEY_FILE;
  with AUDIT_SIGNING_KEY_GENERATE (on while DEBUG) a missing file is created,
  for the demo. Verification needs only the public key: AUDIT_VERIFY_KEYS
  (base64 raw public keys, comma-separated), else the signing key's own.
- Log: AUDIT_CHECKPOINT_DIR, one JSON line per checkpoint in
  workspace-<id>.jsonl, appended under a lock and synced to disk.
"""

from __future__ import annotations

import base64
import contextlib
import datetime
import fcntl
import hashlib
import json
import logging
import os
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import (
    Ed25519PrivateKey,
    Ed25519PublicKey,
)
from django.conf import settings
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from audit.models import AuditChain, AuditEvent

log = logging.getLogger(__name__)

CHECKPOINT_VERSION = 1


class SigningKeyMissing(RuntimeError):
    """No signing key is configured (and none may be generated)."""


# --- Keys --------------------------------------------------------------------


def _private_key_from(text: str) -> Ed25519PrivateKey:
    text = text.strip()
    if text.startswith("-----BEGIN"):
        key = serialization.load_pem_private_key(text.encode("ascii"), password=None)
        if not isinstance(key, Ed25519PrivateKey):
            raise ValueError("AUDIT_SIGNING_KEY is a PEM key but not an Ed25519 one.")
        return key
    seed = base64.b64decode(text, validate=True)
    if len(seed) != 32:
        raise ValueError("AUDIT_SIGNING_KEY must be base64 of a 32-byte Ed25519 seed.")
    return Ed25519PrivateKey.from_private_bytes(seed)


def _key_file() -> Path:
    return Path(getattr(settings, "AUDIT_SIGNING_KEY_FILE", "") or "")


def signing_key() -> Ed25519PrivateKey:
    """The key that signs checkpoints; SigningKeyMissing when there is none."""
    configured = getattr(settings, "AUDIT_SIGNING_KEY", "")
    if configured:
        return _private_key_from(configured)
    path = _key_file()
    if str(path) and path.is_file():
        return _private_key_from(path.read_text(encoding="ascii"))
    if str(path) and getattr(settings, "AUDIT_SIGNING_KEY_GENERATE", False):
        return _generate_key_file(path)
    raise SigningKeyMissing(
        "No audit signing key: set AUDIT_SIGNING_KEY or AUDIT_SIGNING_KEY_FILE "
        "(see the README, “The audit trail's witness”)."
    )


def _generate_key_file(path: Path) -> Ed25519PrivateKey:
    key = Ed25519PrivateKey.generate()
    seed = key.private_bytes(
        serialization.Encoding.Raw,
        serialization.PrivateFormat.Raw,
        serialization.NoEncryption(),
    )
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        # Another process made it first: use theirs.
        return _private_key_from(path.read_text(encoding="ascii"))
    with os.fdopen(fd, "w", encoding="ascii") as file:
        file.write(base64.b64encode(seed).decode("ascii") + "\n")
    path.with_suffix(".pub").write_text(public_key_text(key.public_key()) + "\n")
    log.warning("Generated an audit signing key in %s (for the demo; see the README).", path)
    return key


def public_key_text(key: Ed25519PublicKey) -> str:
    raw = key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return base64.b64encode(raw).decode("ascii")


def key_id(key: Ed25519PublicKey) -> str:
    raw = key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return hashlib.sha256(raw).hexdigest()[:16]


def verify_keys() -> dict[str, Ed25519PublicKey]:
    """The public keys checkpoints may be signed with, by key id."""
    configured = getattr(settings, "AUDIT_VERIFY_KEYS", None) or []
    keys = [Ed25519PublicKey.from_public_bytes(base64.b64decode(k)) for k in configured]
    if not keys:
        with contextlib.suppress(SigningKeyMissing):
            keys = [signing_key().public_key()]
    return {key_id(k): k for k in keys}


# --- Checkpoints -------------------------------------------------------------


@dataclass(frozen=True)
class Checkpoint:
    workspace: int
    slug: str
    events: int
    head: str
    at: str
    key: str
    signature: str

    def payload(self) -> dict[str, Any]:
        """What the signature covers."""
        return {
            "v": CHECKPOINT_VERSION,
            "workspace": self.workspace,
            "slug": self.slug,
            "events": self.events,
            "head": self.head,
            "at": self.at,
        }

    def as_line(self) -> str:
        return json.dumps(
            {**self.payload(), "key": self.key, "sig": self.signature}, sort_keys=True
        )

    @property
    def at_display(self) -> str:
        return self.at[:19].replace("T", " ") + " UTC"


def _message(payload: dict[str, Any]) -> bytes:
    return json.dumps(payload, sort_keys=True, separators=(",", ":")).encode("utf-8")


def checkpoint_dir() -> Path:
    return Path(settings.AUDIT_CHECKPOINT_DIR)


def log_path(workspace_id: int) -> Path:
    return checkpoint_dir() / f"workspace-{workspace_id}.jsonl"


def _append(checkpoint: Checkpoint) -> None:
    path = log_path(checkpoint.workspace)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o640)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        os.write(fd, (checkpoint.as_line() + "\n").encode("utf-8"))
        os.fsync(fd)
    finally:
        os.close(fd)


def checkpoint_sign(workspace) -> Checkpoint:
    """Sign the workspace's chain head now and append it to the log (at once,
    or when the surrounding transaction commits, so a rolled-back head is
    never witnessed). SigningKeyMissing without a key."""
    key = signing_key()
    chain = AuditChain.objects.filter(workspace_id=workspace.pk).first()
    events, head = (chain.sequence, chain.head) if chain else (0, "")
    unsigned = Checkpoint(
        workspace=workspace.pk,
        slug=workspace.slug,
        events=events,
        head=head,
        at=timezone.now().astimezone(datetime.UTC).isoformat(timespec="microseconds"),
        key=key_id(key.public_key()),
        signature="",
    )
    signature = base64.b64encode(key.sign(_message(unsigned.payload()))).decode("ascii")
    checkpoint = Checkpoint(**{**unsigned.__dict__, "signature": signature})
    if transaction.get_connection().in_atomic_block:
        transaction.on_commit(partial(_append, checkpoint))
    else:
        _append(checkpoint)
    return checkpoint


def checkpoint_sign_quietly(workspace) -> Checkpoint | None:
    """checkpoint_sign, or None (logged) when no key is configured: an export
    still works, and its report says it carries no checkpoint."""
    try:
        return checkpoint_sign(workspace)
    except SigningKeyMissing as exc:
        log.warning("%s", exc)
        return None


def checkpoint_after_commit(workspace) -> None:
    """Sign the head once the current transaction has committed (an export's
    event included)."""
    transaction.on_commit(partial(checkpoint_sign_quietly, workspace))


def _last_line(path: Path) -> str:
    with open(path, "rb") as file:
        file.seek(0, os.SEEK_END)
        size = file.tell()
        file.seek(max(0, size - 4096))
        lines = file.read().decode("utf-8", "replace").splitlines()
    return lines[-1] if lines else ""


def checkpoint_all(workspaces) -> int:
    """Beat: sign each workspace's head when it moved since its last
    checkpoint. Returns how many were signed."""
    signed = 0
    for workspace in workspaces:
        chain = AuditChain.objects.filter(workspace_id=workspace.pk).first()
        if chain is None or not chain.sequence:
            continue
        path = log_path(workspace.pk)
        if path.exists():
            try:
                last = json.loads(_last_line(path))
            except ValueError:
                last = {}
            if last.get("events") == chain.sequence and last.get("head") == chain.head:
                continue
        checkpoint_sign(workspace)
        signed += 1
    return signed


# --- Verification ------------------------------------------------------------


@dataclass(frozen=True)
class CheckpointReport:
    checked: int
    latest: Checkpoint | None
    problems: tuple[str, ...]
    log: str

    @property
    def ok(self) -> bool:
        return not self.problems


def _read_log(workspace_id: int) -> list[tuple[int, Any]]:
    path = log_path(workspace_id)
    if not path.exists():
        return []
    entries = []
    with open(path, encoding="utf-8", errors="replace") as file:
        for number, line in enumerate(file, start=1):
            if not line.strip():
                continue
            try:
                entries.append((number, json.loads(line)))
            except ValueError:
                entries.append((number, None))
    return entries


def _parse(entry: Any) -> Checkpoint | None:
    fields = ("workspace", "slug", "events", "head", "at", "key", "sig")
    if not isinstance(entry, dict) or not all(k in entry for k in fields):
        return None
    try:
        return Checkpoint(
            workspace=int(entry["workspace"]),
            slug=str(entry["slug"]),
            events=int(entry["events"]),
            head=str(entry["head"]),
            at=str(entry["at"]),
            key=str(entry["key"]),
            signature=str(entry["sig"]),
        )
    except (TypeError, ValueError):
        return None


def _signature_ok(checkpoint: Checkpoint, keys: dict[str, Ed25519PublicKey]) -> bool:
    key = keys.get(checkpoint.key)
    if key is None:
        return False
    try:
        key.verify(base64.b64decode(checkpoint.signature), _message(checkpoint.payload()))
    except (InvalidSignature, ValueError):
        return False
    return True


def checkpoint_verify(workspace) -> CheckpointReport:
    """Compare the workspace's chain with every checkpoint in its log (the
    chain's own consistency is audit_verify_chain's job)."""
    keys = verify_keys()
    path = log_path(workspace.pk)
    problems: list[str] = []
    valid: list[Checkpoint] = []
    for number, entry in _read_log(workspace.pk):
        checkpoint = _parse(entry)
        where = f"checkpoint log line {number}"
        if checkpoint is None:
            problems.append(f"{where} is not a checkpoint (the log was altered)")
        elif checkpoint.workspace != workspace.pk:
            problems.append(f"{where} is for another workspace ({checkpoint.workspace})")
        elif not keys:
            problems.append(f"{where} cannot be checked: no verification key is configured")
        elif not _signature_ok(checkpoint, keys):
            problems.append(
                f"{where} (signed {checkpoint.at_display}, {checkpoint.events} events) has a "
                "signature that does not verify with the audit key: a forged or altered checkpoint"
            )
        else:
            valid.append(checkpoint)
    chain = AuditChain.objects.filter(workspace_id=workspace.pk).first()
    stored_head = chain.sequence if chain else 0
    last_event = (
        AuditEvent.objects.filter(workspace_id=workspace.pk).aggregate(last=Max("sequence"))["last"]
        or 0
    )
    present = min(last_event, stored_head)
    wanted = {c.events for c in valid if 0 < c.events <= present}
    hashes = dict(
        AuditEvent.objects.filter(workspace_id=workspace.pk, sequence__in=wanted).values_list(
            "sequence", "hash"
        )
    )
    for checkpoint in valid:
        signed = f"the checkpoint signed {checkpoint.at_display}"
        if checkpoint.events > present:
            if present == 0:
                problems.append(
                    f"{signed} saw {checkpoint.events} events but the chain now holds none: "
                    "the audit trail was truncated"
                )
            else:
                problems.append(
                    f"{signed} saw {checkpoint.events} events but the chain now holds "
                    f"{present}: events were removed from the end and the head rewound"
                )
        elif checkpoint.events and hashes.get(checkpoint.events) != checkpoint.head:
            problems.append(
                f"event #{checkpoint.events} no longer has the hash {signed} recorded "
                f"({checkpoint.head[:16]}…): events were rewritten and the later hashes "
                "recomputed (re-chained)"
            )
    latest = max(valid, key=lambda c: (c.events, c.at), default=None)
    return CheckpointReport(len(valid), latest, tuple(problems), str(path))
