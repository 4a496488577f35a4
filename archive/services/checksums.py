"""SHA-256 of a local file or of a stored one (any storage), read in blocks: what ingest takes,
fixity re-checks and replication verifies; and the refusal when a sender's checksum differs."""
import hashlib
from pathlib import Path

from django.utils.translation import gettext

HASH_BLOCK = 1 << 20


def _digest(handle) -> tuple[str, int]:
    digest, size = hashlib.sha256(), 0
    while block := handle.read(HASH_BLOCK):
        digest.update(block)
        size += len(block)
    return digest.hexdigest(), size


def sha256_of(path: Path) -> tuple[str, int]:
    with open(path, "rb") as handle:
        return _digest(handle)


def stored_checksum(storage, name: str) -> tuple[str, int]:
    with storage.open(name, "rb") as handle:
        return _digest(handle)


def sha256_mismatch(got: str, sent: str | None) -> str | None:
    """Why a file is refused when the sha256 its sender gave is not its own (None: none given, or it matches)."""
    sent = (sent or "").strip().lower()
    if sent and sent != got:
        return gettext("the file's sha256 is %(got)s, not the %(sent)s that was sent") % {"got": got, "sent": sent}
    return None
