"""System checks: the PDF report's fonts are installed (warned at start-up,
and by `manage.py check --deploy`, rather than at the first PDF export)."""

from django.core import checks

from exports.fonts import REQUIRED_FONTS, font_dirs, missing_fonts


def pdf_fonts_installed(app_configs, **kwargs):
    missing = missing_fonts()
    if not missing:
        return []
    packages = " ".join(sorted({REQUIRED_FONTS[name] for name in missing}))
    return [
        checks.Warning(
            f"The PDF report's fonts are missing: {', '.join(missing)} "
            f"(looked in {', '.join(font_dirs())}).",
            hint=f"Install the Debian packages {packages}, or set EXPORT_PDF_FONT_DIRS.",
            id="exports.W001",
        )
    ]
