"""Audit reports and exports: PDF and HTML reports, CSV, the JSON bundle,
schema.org ClaimReview and W3C Web Annotation; one module per format, and
the shared scope, pseudonymisation and recording. Start with runner."""
