#!/usr/bin/env bash
# Re-resolve requirements.lock (runtime) and requirements-dev.lock (runtime + development) in fresh
# virtual environments, so each lock is exactly what its file installs.
set -euo pipefail
cd "$(dirname "$0")/.."
for pair in "requirements.txt:requirements.lock" "requirements-dev.txt:requirements-dev.lock"; do
  src="${pair%%:*}" lock="${pair##*:}"
  env_dir="$(mktemp -d)"
  python3 -m venv "$env_dir"
  "$env_dir/bin/pip" install -q --upgrade pip
  "$env_dir/bin/pip" install -q -r "$src"
  { echo "# The full resolved set of $src (scripts/lock_requirements.sh writes it; do not edit)."
    "$env_dir/bin/pip" freeze --exclude-editable | sed -E 's/^torch==([0-9.]+)\+cpu$/torch==\1/'; } > "$lock"
  rm -rf "$env_dir"
done
