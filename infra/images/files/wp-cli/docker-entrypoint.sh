#!/bin/sh
# Entrypoint of the wp-cli stand-in, as the official wordpress:cli image's: options go to `wp`.
set -eu
if [ "${1#-}" != "${1:-}" ]; then set -- wp "$@"; fi
exec "$@"
