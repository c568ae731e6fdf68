"""Audit reports and exports: PDF and HTML reports, CSV, the JSON bundle,
schema.org ClaimReview and W3C Web Annotation; one module per format, and
the shared scope, pseudonymisation and recording."""

from claims.services.exports.runner import (
    FORMATS,
    export_blocks,
    export_enqueue,
    export_file_for,
    export_filename,
    export_needs_job,
    export_prepare,
    export_stream,
    export_to_storage,
    export_write,
)

__all__ = [
    "FORMATS",
    "export_blocks",
    "export_enqueue",
    "export_file_for",
    "export_filename",
    "export_needs_job",
    "export_prepare",
    "export_stream",
    "export_to_storage",
    "export_write",
]
