"""Configuration a deployment relies on: argon2 hashing, no default secret outside development."""
import os
import subprocess
import sys
from pathlib import Path

from django.contrib.auth.hashers import Argon2PasswordHasher

ROOT = Path(__file__).resolve().parent.parent


def _settings_in_subprocess(**env):
    code = "import config.settings as s; print(s.PASSWORD_HASHERS[0]); print(s.DEBUG)"
    full_env = {k: v for k, v in os.environ.items() if k not in ("SECRET_KEY", "DEBUG")} | env
    return subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=full_env, capture_output=True, text=True)


def test_passwords_are_hashed_with_argon2():
    result = _settings_in_subprocess()
    assert result.stdout.splitlines()[0] == "django.contrib.auth.hashers.Argon2PasswordHasher"
    encoded = Argon2PasswordHasher().encode("correct horse", Argon2PasswordHasher().salt())
    assert encoded.startswith("argon2$") and Argon2PasswordHasher().verify("correct horse", encoded)


def test_secret_key_is_required_when_debug_is_off():
    refused = _settings_in_subprocess(DEBUG="0")
    assert refused.returncode != 0 and "SECRET_KEY must be set" in refused.stderr
    accepted = _settings_in_subprocess(DEBUG="0", SECRET_KEY="x" * 50)
    assert accepted.returncode == 0 and accepted.stdout.splitlines()[1] == "False"
