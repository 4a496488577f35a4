#!/usr/bin/env bash
# pgvector for the machine's PostgreSQL (similar recordings through an HNSW index; see README).
# Debian bookworm packages no pgvector, so Debian's own source of it (trixie's pgvector 0.8.0,
# from the Debian archive, checked against the sha256 its Sources index gives) is built against
# bookworm's server headers. Idempotent; exits 0 without pgvector when it cannot be had, and the
# archive then ranks similar recordings in memory, as on SQLite.
set -uo pipefail

VERSION=0.8.0
SHA256=867a2c328d4928a5a9d6f052cd3bc78c7d60228a9b914ad32aa3db88e9de27b0
URL="http://deb.debian.org/debian/pool/main/p/pgvector/pgvector_${VERSION}.orig.tar.gz"

major="$(ls /etc/postgresql 2>/dev/null | sort -n | tail -n1)"
if [ -z "$major" ]; then echo "pgvector: no local PostgreSQL cluster; skipped"; exit 0; fi
if [ -f "/usr/share/postgresql/$major/extension/vector.control" ]; then
  echo "pgvector: already installed for PostgreSQL $major"; exit 0
fi
if [ "$(id -u)" = 0 ]; then SUDO=; else SUDO=sudo; fi

fail() { echo "pgvector: $1; similar recordings stay in memory on PostgreSQL" >&2; exit 0; }

if [ ! -x "/usr/lib/postgresql/$major/bin/pg_config" ] || [ ! -d "/usr/include/postgresql/$major/server" ]; then
  $SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq \
    "postgresql-server-dev-$major" >/dev/null || fail "could not install postgresql-server-dev-$major"
fi
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
curl -fsSL --retry 3 -o "$work/pgvector.tar.gz" "$URL" || fail "could not download $URL"
echo "$SHA256  $work/pgvector.tar.gz" | sha256sum -c --quiet - || fail "checksum mismatch for $URL"
tar -xzf "$work/pgvector.tar.gz" -C "$work"
make -s -C "$work/pgvector-$VERSION" PG_CONFIG="/usr/lib/postgresql/$major/bin/pg_config" OPTFLAGS="" >/dev/null \
  || fail "build failed"
$SUDO make -s -C "$work/pgvector-$VERSION" PG_CONFIG="/usr/lib/postgresql/$major/bin/pg_config" install >/dev/null \
  || fail "install failed"
echo "pgvector: $VERSION installed for PostgreSQL $major"
