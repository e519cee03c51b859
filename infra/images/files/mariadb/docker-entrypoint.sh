#!/bin/bash
# Entrypoint of the MariaDB stand-in for the official mysql image: the same contract, written here.
#   MYSQL_ROOT_PASSWORD | MYSQL_ALLOW_EMPTY_PASSWORD | MYSQL_RANDOM_ROOT_PASSWORD (one is required),
#   MYSQL_ROOT_HOST (default %), MYSQL_DATABASE, MYSQL_USER + MYSQL_PASSWORD, each also as *_FILE;
#   scripts in /docker-entrypoint-initdb.d (*.sh, *.sql, *.sql.gz) run once.
# On the first start (no mysql/ schema in the data directory named by --datadir or the config)
# it initialises the data directory with networking off, then execs the server. Runs as any uid
# that owns or may write the data directory (the image's mysql user is 999).
set -eo pipefail
shopt -s nullglob

log() { printf '%s [Note] [Entrypoint]: %s\n' "$(date -u '+%Y-%m-%d %H:%M:%S+00:00')" "$*"; }
die() { printf '%s [ERROR] [Entrypoint]: %s\n' "$(date -u '+%Y-%m-%d %H:%M:%S+00:00')" "$*" >&2; exit 1; }

# file_env VAR: VAR, or the contents of the file named by VAR_FILE (never both)
file_env() {
  local var="$1" file="$1_FILE"
  if [ -n "${!var:-}" ] && [ -n "${!file:-}" ]; then die "both $var and $file are set (but are exclusive)"; fi
  if [ -n "${!file:-}" ]; then export "$var"="$(< "${!file}")"; fi
  unset "$file"
}

sql_string() { local s="${1//\\/\\\\}"; printf "'%s'" "${s//\'/\\\'}"; }
# shellcheck disable=SC2016 # backticks quote an SQL name
sql_name() { printf '`%s`' "${1//\`/\`\`}"; }

# setting NAME ARGS...: the server's effective value of NAME (config files plus the arguments)
setting() {
  local name="$1"
  shift
  "$@" --verbose --help 2>/dev/null \
    | awk -v name="$name" '/^Variables \(--variable-name=value\)/ { vars = 1 } vars && $1 == name { print $2; exit }'
}

initialise() {
  local datadir="$1" socket="$2"
  shift 2
  for v in MYSQL_ROOT_PASSWORD MYSQL_DATABASE MYSQL_USER MYSQL_PASSWORD MYSQL_ROOT_HOST; do file_env "$v"; done
  if [ -z "$MYSQL_ROOT_PASSWORD" ] && [ -z "$MYSQL_ALLOW_EMPTY_PASSWORD" ] && [ -z "$MYSQL_RANDOM_ROOT_PASSWORD" ]; then
    die 'Database is uninitialized and password option is not specified: set MYSQL_ROOT_PASSWORD, MYSQL_ALLOW_EMPTY_PASSWORD or MYSQL_RANDOM_ROOT_PASSWORD'
  fi
  if [ "$MYSQL_USER" = root ]; then die 'MYSQL_USER="root", MYSQL_USER and MYSQL_PASSWORD are for configuring a regular user and cannot be used for the root user'; fi
  if [ -n "$MYSQL_RANDOM_ROOT_PASSWORD" ] && [ -z "$MYSQL_ROOT_PASSWORD" ]; then
    MYSQL_ROOT_PASSWORD="$(head -c 18 /dev/urandom | base64)"
    log "GENERATED ROOT PASSWORD: $MYSQL_ROOT_PASSWORD"
  fi
  local root_host="${MYSQL_ROOT_HOST:-%}"

  mkdir -p "$datadir"
  log "Initializing database files in $datadir"
  local output
  output="$(mariadb-install-db --datadir="$datadir" --auth-root-authentication-method=normal \
    --skip-test-db --skip-name-resolve --skip-log-bin 2>&1)" || die "mariadb-install-db failed: $output"
  log 'Database files initialized'

  log 'Starting temporary server'
  "$@" --skip-networking --socket="$socket" --skip-log-bin &
  local pid=$! i
  for i in $(seq 60); do
    if mariadb --protocol=socket --socket="$socket" -uroot -e 'SELECT 1' >/dev/null 2>&1; then break; fi
    kill -0 "$pid" 2>/dev/null || die 'temporary server exited during initialisation'
    [ "$i" = 60 ] && die 'temporary server did not start within 60 s'
    sleep 1
  done
  log 'Temporary server started'

  # one batch on stdin: no secret ever appears on a command line
  {
    # accounts for the host name at initialisation are of no use: clients are never resolved
    printf "DELETE FROM mysql.global_priv WHERE Host NOT IN ('localhost', '%%');\n"
    printf "DELETE FROM mysql.proxies_priv WHERE Host NOT IN ('localhost', '%%');\n"
    printf 'FLUSH PRIVILEGES;\n'
    printf "ALTER USER 'root'@'localhost' IDENTIFIED BY %s;\n" "$(sql_string "$MYSQL_ROOT_PASSWORD")"
    if [ "$root_host" != localhost ]; then
      printf "CREATE USER 'root'@%s IDENTIFIED BY %s;\n" "$(sql_string "$root_host")" "$(sql_string "$MYSQL_ROOT_PASSWORD")"
      printf "GRANT ALL ON *.* TO 'root'@%s WITH GRANT OPTION;\n" "$(sql_string "$root_host")"
    fi
    if [ -n "$MYSQL_DATABASE" ]; then
      log "Creating database $MYSQL_DATABASE" >&2
      printf 'CREATE DATABASE IF NOT EXISTS %s;\n' "$(sql_name "$MYSQL_DATABASE")"
    fi
    if [ -n "$MYSQL_USER" ] && [ -n "$MYSQL_PASSWORD" ]; then
      log "Creating user $MYSQL_USER" >&2
      printf "CREATE USER %s@'%%' IDENTIFIED BY %s;\n" "$(sql_string "$MYSQL_USER")" "$(sql_string "$MYSQL_PASSWORD")"
      if [ -n "$MYSQL_DATABASE" ]; then
        printf "GRANT ALL ON %s.* TO %s@'%%';\n" "$(sql_name "$MYSQL_DATABASE")" "$(sql_string "$MYSQL_USER")"
      fi
    fi
  } | mariadb --protocol=socket --socket="$socket" -uroot

  local f
  for f in /docker-entrypoint-initdb.d/*; do
    # shellcheck source=/dev/null
    case "$f" in
      *.sh) log "running $f"; . "$f" ;;
      *.sql) log "running $f"; MYSQL_PWD="$MYSQL_ROOT_PASSWORD" mariadb --protocol=socket --socket="$socket" -uroot ${MYSQL_DATABASE:+"$MYSQL_DATABASE"} < "$f" ;;
      *.sql.gz) log "running $f"; gunzip -c "$f" | MYSQL_PWD="$MYSQL_ROOT_PASSWORD" mariadb --protocol=socket --socket="$socket" -uroot ${MYSQL_DATABASE:+"$MYSQL_DATABASE"} ;;
      *) log "ignoring $f" ;;
    esac
  done

  log 'Stopping temporary server'
  kill -TERM "$pid"
  wait "$pid" || die 'temporary server did not stop cleanly'
  log 'Init process done. Ready for start up.'
}

# first argument is an option: it is for the server
if [ "${1#-}" != "$1" ]; then set -- mysqld "$@"; fi

if [ "$1" = mysqld ] || [ "$1" = mariadbd ]; then
  datadir="$(setting datadir "$@")"
  socket="$(setting socket "$@")"
  [ -n "$datadir" ] || die "could not read the data directory from '$*' --verbose --help"
  if [ ! -d "${datadir%/}/mysql" ]; then
    initialise "${datadir%/}" "$socket" "$@"
  fi
fi
exec "$@"
