#!/bin/bash
# Entrypoint of the PostgreSQL stand-in for the official postgres image: the same contract, written
# here. POSTGRES_PASSWORD (required unless POSTGRES_HOST_AUTH_METHOD=trust), POSTGRES_USER (default
# postgres), POSTGRES_DB (default: the user), POSTGRES_INITDB_ARGS, POSTGRES_HOST_AUTH_METHOD
# (default scram-sha-256), each also as *_FILE; PGDATA (default /var/lib/postgresql/data);
# /docker-entrypoint-initdb.d (*.sh, *.sql, *.sql.gz) on the first start, which runs initdb.
set -Eeo pipefail
shopt -s nullglob

die() { echo >&2 "error: $*"; exit 1; }

file_env() {
  local var="$1" file="$1_FILE" default="${2:-}"
  if [ -n "${!var:-}" ] && [ -n "${!file:-}" ]; then die "both $var and $file are set (but are exclusive)"; fi
  local value="$default"
  if [ -n "${!var:-}" ]; then value="${!var}"; elif [ -n "${!file:-}" ]; then value="$(< "${!file}")"; fi
  export "$var"="$value"
  unset "$file"
}

psql_as_owner() { psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --no-password --no-psqlrc "$@"; }

initialise() {
  if [ -z "$POSTGRES_PASSWORD" ] && [ "$POSTGRES_HOST_AUTH_METHOD" != trust ]; then
    die 'Database is uninitialized and superuser password is not specified. You must specify POSTGRES_PASSWORD to a non-empty value for the superuser (or POSTGRES_HOST_AUTH_METHOD=trust).'
  fi
  # the password reaches initdb through a pipe: never a command line or a file on disk
  # shellcheck disable=SC2086 # POSTGRES_INITDB_ARGS is a list of arguments
  initdb --username="$POSTGRES_USER" --pwfile=<(printf '%s\n' "$POSTGRES_PASSWORD") $POSTGRES_INITDB_ARGS
  printf '\nhost all all all %s\n' "$POSTGRES_HOST_AUTH_METHOD" >> "$PGDATA/pg_hba.conf"

  PGUSER="$POSTGRES_USER" pg_ctl -D "$PGDATA" -o "-c listen_addresses='' -p 5432" -w start
  if [ "$POSTGRES_DB" != postgres ]; then
    psql_as_owner --dbname postgres --set db="$POSTGRES_DB" <<<'CREATE DATABASE :"db";'
    echo "created database $POSTGRES_DB"
  fi
  local f
  for f in /docker-entrypoint-initdb.d/*; do
    # shellcheck source=/dev/null
    case "$f" in
      *.sh) echo "running $f"; . "$f" ;;
      *.sql) echo "running $f"; psql_as_owner --dbname "$POSTGRES_DB" -f "$f" ;;
      *.sql.gz) echo "running $f"; gunzip -c "$f" | psql_as_owner --dbname "$POSTGRES_DB" ;;
      *) echo "ignoring $f" ;;
    esac
  done
  PGUSER="$POSTGRES_USER" pg_ctl -D "$PGDATA" -m fast -w stop
  echo 'PostgreSQL init process complete; ready for start up.'
}

if [ "${1#-}" != "$1" ]; then set -- postgres "$@"; fi

if [ "$1" = postgres ]; then
  export PGDATA="${PGDATA:-/var/lib/postgresql/data}"
  file_env POSTGRES_PASSWORD
  file_env POSTGRES_USER postgres
  file_env POSTGRES_DB "$POSTGRES_USER"
  file_env POSTGRES_INITDB_ARGS
  export POSTGRES_HOST_AUTH_METHOD="${POSTGRES_HOST_AUTH_METHOD:-scram-sha-256}"
  mkdir -p "$PGDATA"
  chmod 00700 "$PGDATA" 2>/dev/null || :
  if [ ! -s "$PGDATA/PG_VERSION" ]; then initialise; fi
  unset POSTGRES_PASSWORD
fi
exec "$@"
