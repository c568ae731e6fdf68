"""Where stored exports live: files under EXPORT_FILES_DIR (default
MEDIA_ROOT/exports, never served directly), one folder per workspace.
Downloads stream the file (FileResponse); the database keeps only its name,
size and SHA-256."""

from __future__ import annotations

import contextlib
import os
import uuid
from pathlib import Path

from django.conf import settings


def files_dir() -> Path:
    return Path(settings.EXPORT_FILES_DIR)


def new_file_name(*, workspace_id: int, extension: str) -> str:
    """A fresh name, relative to the exports folder."""
    return f"{workspace_id}/{uuid.uuid4().hex}.{extension}"


def export_path(name: str) -> Path:
    """The absolute path of a stored export; refuses names that leave the folder."""
    root = files_dir().resolve()
    path = (root / name).resolve()
    if not name or root not in path.parents:
        raise ValueError(f"Not a stored export: {name!r}")
    return path


def open_for_writing(name: str):
    path = export_path(name)
    path.parent.mkdir(parents=True, exist_ok=True)
    return open(path, "xb")


def remove(name: str) -> None:
    if name:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(export_path(name))
