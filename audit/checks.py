"""`check --deploy`: production needs a key to sign the audit checkpoints."""

from django.core.checks import Tags, Warning, register

from audit.checkpoints import SigningKeyMissing, signing_key


@register(Tags.security, deploy=True)
def audit_signing_key_configured(app_configs, **kwargs):
    try:
        signing_key()
    except SigningKeyMissing:
        return [
            Warning(
                "No audit signing key: checkpoints of the audit trail are not signed, so a "
                "database owner could rewrite history unseen.",
                hint="Set AUDIT_SIGNING_KEY (base64 Ed25519 seed) or AUDIT_SIGNING_KEY_FILE; "
                "see the README.",
                id="audit.W001",
            )
        ]
    except ValueError as exc:
        return [Warning(f"The audit signing key is unusable: {exc}", id="audit.W002")]
    return []
