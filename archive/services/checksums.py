"""SHA-256 of a local file or of a stored one (any storage), read in blocks: what ingest takes,
fixity re-checks and replication verifies."""
import hashlib
from pathlib import Path

HASH_BLOCK = 1 << 20


def sha256_of(path: Path) -> tuple[str, int]:
    digest, size = hashlib.sha256(), 0
    with open(path, "rb") as f:
        while chunk := f.read(HASH_BLOCK):
            digest.update(chunk)
            size += len(chunk)
    return digest.hexdigest(), size


def stored_checksum(storage, name: str) -> tuple[str, int]:
    digest, size = hashlib.sha256(), 0
    with storage.open(name, "rb") as handle:
        while block := handle.read(HASH_BLOCK):
            digest.update(block)
            size += len(block)
    return digest.hexdigest(), size
