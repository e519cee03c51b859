#!/bin/sh
# Entrypoint of the curl stand-in, as curl's official image's: options and URLs go to curl.
set -eu
if [ "$#" -eq 0 ] || [ "${1#-}" != "$1" ] || ! command -v "$1" >/dev/null 2>&1; then set -- curl "$@"; fi
exec "$@"
