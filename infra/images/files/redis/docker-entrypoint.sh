#!/bin/sh
# Entrypoint of the Redis stand-in for the official redis image: options or a *.conf file go to
# redis-server; private files by default (umask 0077); and, as the official build's compiled-in
# default, protected mode off unless a config file or an argument says otherwise.
set -e
if [ "${1#-}" != "$1" ] || [ "${1%.conf}" != "$1" ]; then set -- redis-server "$@"; fi
if [ "$1" = redis-server ]; then
  um="$(umask)"
  if [ "$um" = 0022 ]; then umask 0077; fi
  case " $* " in
    *" --protected-mode "*) ;;
    *) if [ "${2%.conf}" = "${2:-}" ]; then set -- "$@" --protected-mode no; fi ;;
  esac
fi
exec "$@"
