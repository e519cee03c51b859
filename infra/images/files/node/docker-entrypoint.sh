#!/bin/sh
# Entrypoint of the Node stand-in, as the official node image's: the command runs with node when
# its first argument is an option or not a command on PATH (or a file that is not executable).
set -e
if [ "${1#-}" != "${1:-}" ] || [ -z "$(command -v "${1:-}")" ] || { [ -f "${1:-}" ] && ! [ -x "${1:-}" ]; }; then
  set -- node "$@"
fi
exec "$@"
