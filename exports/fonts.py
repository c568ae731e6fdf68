"""The PDF report's fonts: which files it needs, and whether they are installed.
Light on purpose: the start-up check (exports/checks.py) imports it."""

from __future__ import annotations

import os

from django.conf import settings

# The fonts the template names, by the file each Debian package installs.
REQUIRED_FONTS = {
    "DejaVuSans.ttf": "fonts-dejavu-core",
    "DejaVuSans-Bold.ttf": "fonts-dejavu-core",
    "DejaVuSerif.ttf": "fonts-dejavu-core",
    "DejaVuSansMono.ttf": "fonts-dejavu-core",
    "NotoSansArabic-Regular.ttf": "fonts-noto-core",
    "NotoNaskhArabic-Regular.ttf": "fonts-noto-core",
    "Amiri-Regular.ttf": "fonts-hosny-amiri",
}


DEFAULT_FONT_DIRS = ("/usr/share/fonts",)


def font_dirs() -> list[str]:
    return list(getattr(settings, "EXPORT_PDF_FONT_DIRS", DEFAULT_FONT_DIRS))


def missing_fonts(dirs: list[str] | None = None) -> list[str]:
    """The required font files found in none of the font folders."""
    wanted = set(REQUIRED_FONTS)
    for folder in dirs if dirs is not None else font_dirs():
        for _, _, files in os.walk(folder):
            wanted -= set(files)
            if not wanted:
                return []
    return sorted(wanted)
