"""Production settings: check --deploy is clean, and secrets are required."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

PRODUCTION = {
    "DEBUG": "0",
    "SECRET_KEY": "a-long-random-production-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz",
    "ALLOWED_HOSTS": "claims.example.org",
    "CSRF_TRUSTED_ORIGINS": "https://claims.example.org",
    # base64 of a 32-byte Ed25519 seed (a test value, not a secret).
    "AUDIT_SIGNING_KEY": "MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=",
}


def _manage(*args, **env):
    # Start from the developer's environment minus anything a test run adds.
    dropped = set(PRODUCTION) | {"DJANGO_ALLOW_ASYNC_UNSAFE", "AUDIT_SIGNING_KEY_FILE"}
    full_env = {k: v for k, v in os.environ.items() if k not in dropped} | env
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=full_env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_it_passes_check_deploy_without_warnings():
    result = _manage("check", "--deploy", "--fail-level", "WARNING", **PRODUCTION)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_it_refuses_to_start_in_production_without_a_secret_key():
    env = dict(PRODUCTION)
    env.pop("SECRET_KEY")
    result = _manage("check", **env)
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_it_warns_when_no_audit_signing_key_is_configured(tmp_path):
    env = {k: v for k, v in PRODUCTION.items() if k != "AUDIT_SIGNING_KEY"}
    env["AUDIT_SIGNING_KEY_FILE"] = str(tmp_path / "missing.key")
    result = _manage("check", "--deploy", "--fail-level", "WARNING", **env)
    assert result.returncode != 0
    assert "audit.W001" in result.stdout + result.stderr
