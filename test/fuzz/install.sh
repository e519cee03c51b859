#!/usr/bin/env bash
# Installs schemathesis (from PyPI) into a virtualenv under the user's cache dir and prints the path
# of its `st` executable. Reuses the venv when the pinned version is already there.
set -euo pipefail

VERSION="${SCHEMATHESIS_VERSION:-4.32.5}"
CACHE="${XDG_CACHE_HOME:-$HOME/.cache}/store-platform"
VENV="$CACHE/schemathesis-$VERSION"

if ! command -v python3 >/dev/null 2>&1; then
  echo "python3 is required for the OpenAPI fuzz pass (Debian: apt-get install python3 python3-venv)" >&2
  exit 3
fi

if ! python3 -c 'import venv, ensurepip' >/dev/null 2>&1; then
  echo "python3 has no venv/ensurepip module (Debian: apt-get install python3-venv)" >&2
  exit 4
fi

# .complete marks a finished install, so an interrupted one is redone rather than reused
if [ ! -f "$VENV/.complete" ]; then
  mkdir -p "$CACHE"
  rm -rf "$VENV"
  python3 -m venv "$VENV" >&2
  "$VENV/bin/python" -m pip install --quiet --disable-pip-version-check "schemathesis==$VERSION" >&2
  touch "$VENV/.complete"
fi
echo "$VENV/bin/st"
